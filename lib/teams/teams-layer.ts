import { Construct } from 'constructs';
import { Team, TeamOptions } from './team';
import { PlatformDefinition } from '../core/platform-definition';
import { check } from '../core/validation';

/** Props of the teams layer. */
export interface TeamsLayerProps {
  /** The platform's Kubernetes-side definition. */
  readonly definition: PlatformDefinition;
}

/**
 * The platform's tenants: `add()` creates a {@link Team} (namespace, quota, container defaults, network policies,
 * cost-allocation labels). Give a team's LiteLLM budget to LiteLLM with `litellm.addTeam(team.liteLlmTeam())` or
 * LiteLLM's `teams`; place workloads in its namespace with the `team` of their placement.
 */
export class TeamsLayer extends Construct {
  private readonly definition: PlatformDefinition;
  private readonly _teams: Team[] = [];

  constructor(scope: Construct, id: string, props: TeamsLayerProps) {
    super(scope, id);
    this.definition = props.definition;
  }

  /**
   * Adds a team: namespace with Pod Security labels, GPU / CPU / memory quota, container defaults, default-deny
   * network policies with the allows the platform needs, and cost-allocation labels. Its Kubernetes objects are the
   * component `team-<name>`.
   */
  public add(options: TeamOptions): Team {
    const taken = this._teams.find((t) => t.name === options.name);
    check(taken === undefined, `team name '${options.name}' is already used by a team of this platform`);
    const team = new Team(this.definition, `Team${options.name}`, { ...options, definition: this.definition });
    this._teams.push(team);
    return team;
  }

  /** The teams, in the order they were added. A copy. */
  public get teamList(): Team[] {
    return [...this._teams];
  }
}
