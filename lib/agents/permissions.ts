import { Aws, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeNagFindings, NagFindingRule } from '../core/nag-acknowledgements';
import { check } from '../core/validation';

/** AWS permissions an agent's own role gets: `actions` on `resources`, always under the platform's boundary. */
export interface AgentPermission {
  /** IAM actions (`s3:GetObject`, wildcards allowed: `s3:Get*`). */
  readonly actions: string[];
  /** Resource ARNs (literal strings: they are checked against the boundary at synth; wildcards allowed). */
  readonly resources: string[];
}

/**
 * What the platform lets any agent do on AWS beyond invoking Bedrock models: the permissions boundary every agent
 * role carries. An agent whose `permissions` ask for more fails at synth.
 */
export interface AgentsPermissionsBoundaryOptions {
  /**
   * IAM actions agents may be granted besides Bedrock invocation (wildcards allowed).
   * @default - none: agents may only invoke Bedrock models
   */
  readonly allowedActions?: string[];
  /**
   * Resource ARNs those actions may apply to (wildcards allowed). Required with `allowedActions`.
   * @default - none
   */
  readonly allowedResources?: string[];
}

/** One statement of the boundary, with literal patterns for the synth-time check. */
interface BoundaryStatement {
  readonly actions: string[];
  readonly resources: string[];
  readonly describe: string;
}

const ACTION = /^[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+$/;
const ARN = /^arn:[a-z*?-]*:[a-z0-9*?-]*:[a-z0-9*?-]*:[0-9*?]*:\S+$/;

/** Bedrock invocation, which every agent may use (its model through Pod Identity). */
export const BEDROCK_INVOKE_ACTIONS: readonly string[] = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];

/** A glob (`*`, `?`) as a regular expression; `ignoreCase` for IAM actions. */
function glob(pattern: string, ignoreCase: boolean): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, ignoreCase ? 'i' : '');
}

/**
 * True when the boundary pattern covers the requested one. The requested pattern is read as a literal string that
 * the boundary's glob must match: `s3:*` covers `s3:Get*`, `s3:GetObject` does not. Sound (never accepts a wider
 * request), slightly strict for exotic wildcards.
 */
function covers(pattern: string, requested: string, ignoreCase: boolean): boolean {
  return glob(pattern, ignoreCase).test(requested);
}

/** Checks the shape of a permission list (`prop` names it in messages). */
export function checkPermissions(prop: string, permissions: readonly AgentPermission[]): void {
  for (const p of permissions) {
    check(p.actions.length > 0 && p.resources.length > 0, `each entry of '${prop}' needs at least one action and one resource`);
    for (const a of p.actions) {
      check(!Token.isUnresolved(a) && ACTION.test(a), `action '${a}' of '${prop}' must be an IAM action such as s3:GetObject`);
    }
    for (const r of p.resources) {
      check(!Token.isUnresolved(r),
        `resource of '${prop}' must be a literal ARN, not a token: it is checked against the platform's permissions boundary at synth`);
      check(r === '*' || ARN.test(r), `resource '${r}' of '${prop}' must be an ARN (arn:partition:service:region:account:resource) or '*'`);
    }
  }
}

/**
 * The permissions boundary of every agent role (an IAM managed policy): Bedrock model invocation, plus what the
 * platform allows with `allowedActions` on `allowedResources`. Roles of agents are created with it, and
 * {@link checkWithin} refuses, at synth, an agent that asks for more.
 */
export class AgentsPermissionsBoundary extends Construct {
  /** The managed policy set as permissions boundary on every agent role. */
  public readonly policy: iam.ManagedPolicy;
  private readonly statements: BoundaryStatement[];

  constructor(scope: Construct, id: string, options: AgentsPermissionsBoundaryOptions = {}) {
    super(scope, id);
    const actions = options.allowedActions ?? [];
    const resources = options.allowedResources ?? [];
    check((actions.length === 0) === (resources.length === 0),
      `'permissionsBoundary' needs both 'allowedActions' and 'allowedResources' (got ${actions.length} action(s) and ${resources.length} resource(s))`);
    if (actions.length > 0) checkPermissions('permissionsBoundary', [{ actions, resources }]);
    this.statements = [
      {
        actions: [...BEDROCK_INVOKE_ACTIONS],
        resources: ['arn:*:bedrock:*::foundation-model/*', 'arn:*:bedrock:*:*:inference-profile/*'],
        describe: `${BEDROCK_INVOKE_ACTIONS.join(', ')} on Bedrock foundation models and inference profiles`,
      },
      ...(actions.length > 0 ? [{ actions: [...actions], resources: [...resources], describe: `${actions.join(', ')} on ${resources.join(', ')}` }] : []),
    ];
    this.policy = new iam.ManagedPolicy(this, 'Resource', {
      description: 'Permissions boundary of every agent role of the platform: the most any agent may do on AWS',
      statements: [
        new iam.PolicyStatement({
          sid: 'InvokeBedrockModels',
          actions: [...BEDROCK_INVOKE_ACTIONS],
          resources: [
            `arn:${Aws.PARTITION}:bedrock:*::foundation-model/*`,
            `arn:${Aws.PARTITION}:bedrock:*:${Aws.ACCOUNT_ID}:inference-profile/*`,
          ],
        }),
        ...(actions.length > 0 ? [new iam.PolicyStatement({ sid: 'PlatformAllowed', actions: [...actions], resources: [...resources] })] : []),
      ],
    });
    acknowledgeNagFindings(this, NagFindingRule.WILDCARDS,
      'A permissions boundary grants nothing by itself: it caps every agent role; the wildcards are the Bedrock models any agent may be given and the patterns the platform allows');
  }

  /** What the boundary allows, one line per statement (for messages). */
  public get allowed(): string[] {
    return this.statements.map((s) => s.describe);
  }

  /**
   * Throws when an agent's permissions are not all within the boundary: every (action, resource) pair must be covered
   * by one statement of the boundary.
   */
  public checkWithin(agent: string, permissions: AgentPermission[]): void {
    for (const p of permissions) {
      for (const action of p.actions) {
        for (const resource of p.resources) {
          const ok = this.statements.some((s) => s.actions.some((a) => covers(a, action, true)) && s.resources.some((r) => covers(r, resource, false)));
          check(ok,
            `agent '${agent}' asks for '${action}' on '${resource}' ('permissions'): a permissions boundary wider than the platform's, `
            + `which allows ${this.allowed.join('; ')}; widen the agents layer's 'permissionsBoundary' or narrow the agent's 'permissions'`);
        }
      }
    }
  }
}
