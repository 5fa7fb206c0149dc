import { Construct, IConstruct } from 'constructs';
import { describeFlow, FlowPeer, FlowPeerKind, NetworkFlow, NetworkFlowOptions } from './flow';
import { renderPolicies } from './private/render';
import { urlDestination } from './service-url';
import { KubernetesComponent, Stage } from '../core/component';
import { PlatformDefinition } from '../core/platform-definition';
import { check, checkDnsLabel } from '../core/validation';

const ID = 'NetworkFlows';
const FLOW_NAME = /^[a-z0-9]([-a-z0-9]{0,243}[a-z0-9])?$/;

/**
 * The network flows of a platform: every component declares the connections its pods make or accept
 * (`NetworkFlows.of(this).allow({ name, from, to, ports, description })`), and the NetworkPolicies of the platform's
 * namespaces are generated from those declarations when a rendering reads them, so the policies in force and the
 * `network-flows-allowed` check read the same list.
 *
 * Enforced namespaces: every shared namespace of the definition (`ensureNamespace`: models, litellm, gateway,
 * langfuse, the collector's, agentic-eks-system, evaluations, ...) through the component `network-policies` (stage
 * CRDS, right after the namespaces), and every team namespace through its team's component. Each gets
 * `default-deny` (ingress and egress), `allow-dns`, and one `<flow>-ingress` / `<flow>-egress` policy per flow that
 * ends / starts there. Namespaces of Helm-installed controllers are not enforced (see the README).
 *
 * ```ts
 * NetworkFlows.of(this).allow({
 *   name: 'litellm-to-langfuse', from: FlowPeer.pods('litellm', { app: 'litellm' }), to: FlowPeer.inNamespace('langfuse'),
 *   ports: [FlowPort.tcp(3000)], description: 'LiteLLM sends traces to Langfuse',
 * });
 * ```
 */
export class NetworkFlows extends Construct {
  /** The flows of the platform `scope` belongs to (created on first use). Throws outside a PlatformDefinition. */
  public static of(scope: IConstruct): NetworkFlows {
    const definition = PlatformDefinition.ofConstruct(scope);
    const existing = definition.node.tryFindChild(ID);
    return existing instanceof NetworkFlows ? existing : new NetworkFlows(definition);
  }

  /** The flows of a definition if any component declared one; never creates them (for checks). */
  public static find(definition: PlatformDefinition): NetworkFlows | undefined {
    const existing = definition.node.tryFindChild(ID);
    return existing instanceof NetworkFlows ? existing : undefined;
  }

  /**
   * The flows of the platform `scope` belongs to, or undefined when `scope` is in no PlatformDefinition (a construct
   * tested on its own), where there is no namespace to render policies into.
   */
  public static tryOf(scope: IConstruct): NetworkFlows | undefined {
    return scope.node.root instanceof PlatformDefinition ? NetworkFlows.of(scope) : undefined;
  }

  /** The component holding the policies of the shared namespaces: `network-policies`, stage CRDS. */
  public readonly component: KubernetesComponent;
  private readonly definition: PlatformDefinition;
  private readonly _flows: NetworkFlow[] = [];
  private readonly _teams: string[] = [];

  private constructor(definition: PlatformDefinition) {
    super(definition, ID);
    this.definition = definition;
    this.component = new KubernetesComponent(definition, 'NetworkPolicies', {
      name: 'network-policies',
      stage: Stage.CRDS,
      description: 'NetworkPolicies of the platform namespaces, generated from the declared network flows',
    });
    this.component.addDependency(definition.namespaces);
    // A team namespace's policies are rendered by its team's component, even when it is also declared shared.
    this.component._addLateObjects(() => this.definition.sharedNamespaces.filter((ns) => !this._teams.includes(ns))
      .flatMap((ns) => this.policiesFor(ns)));
  }

  /** Declares a flow; the NetworkPolicies of both ends are generated from it. */
  public allow(options: NetworkFlowOptions): NetworkFlow {
    const { name, from, to } = options;
    check(FLOW_NAME.test(name), `flow name '${name}' must be lower-case letters, digits and '-' (at most 245 characters), starting and ending with a letter or digit`);
    check(!this._flows.some((f) => f.name === name), `flow '${name}' is declared twice; flow names must be unique`);
    check(from.kind !== FlowPeerKind.CIDR || to.kind !== FlowPeerKind.CIDR,
      `flow '${name}' goes from ${from} to ${to}: at least one end must be pods of the cluster`);
    check(options.description.trim().length > 0, `flow '${name}' needs a 'description' saying why the platform needs it`);
    const flow: NetworkFlow = { name, from, to, ports: [...(options.ports ?? to.defaultPorts ?? [])], description: options.description };
    this._flows.push(flow);
    return flow;
  }

  /**
   * Declares a flow to where a URL the source is configured with leads (see {@link urlDestination}): an in-cluster
   * Service URL becomes every pod of its namespace on the URL's port, any other URL the internet.
   */
  public allowToUrl(name: string, from: FlowPeer, url: string, description: string): NetworkFlow {
    const target = urlDestination(`flow '${name}' URL`, url);
    return this.allow({ name, from, to: target.peer, ports: target.ports, description });
  }

  /** Enforces the flows in a team namespace: its policies are rendered into the team's component. */
  public addTeamNamespace(namespace: string, component: KubernetesComponent): void {
    checkDnsLabel('namespace', namespace);
    check(!this._teams.includes(namespace), `team namespace '${namespace}' is added twice`);
    this._teams.push(namespace);
    component._addLateObjects(() => this.policiesFor(namespace));
  }

  /** Declared flows, in declaration order (copy). */
  public get flows(): NetworkFlow[] {
    return [...this._flows];
  }

  /** Team namespaces (copy). */
  public get teamNamespaces(): string[] {
    return [...this._teams];
  }

  /** Namespaces whose NetworkPolicies are generated: the shared namespaces, then the team namespaces. */
  public get enforcedNamespaces(): string[] {
    return [...this.definition.sharedNamespaces.filter((ns) => !this._teams.includes(ns)), ...this._teams];
  }

  /** The generated NetworkPolicies of an enforced namespace (plain Kubernetes JSON). */
  public policiesFor(namespace: string): Record<string, unknown>[] {
    check(this.enforcedNamespaces.includes(namespace), `namespace '${namespace}' is not enforced by the platform's network flows`);
    return renderPolicies(namespace, this._flows, this._teams);
  }

  /** One line per flow, for docs and debugging. */
  public describe(): string[] {
    return this._flows.map(describeFlow);
  }
}
