import { Construct } from 'constructs';
import { checkSandboxPod, sandboxPodTemplate, SandboxPodOptions } from './sandbox-pod';
import { Sandbox as SandboxResource, SandboxSpecOperatingMode } from '../../../imports/agent-sandbox-sandbox-agents.x-k8s.io';
import {
  SandboxTemplate as SandboxTemplateResource, SandboxTemplateSpecNetworkPolicyManagement,
} from '../../../imports/agent-sandbox-sandboxtemplate-extensions.agents.x-k8s.io';
import { SandboxWarmPool as SandboxWarmPoolResource } from '../../../imports/agent-sandbox-sandboxwarmpool-extensions.agents.x-k8s.io';
import { KubernetesComponent } from '../../core/component';
import { check, checkDnsLabel } from '../../core/validation';
import { FlowPeer, FlowPort } from '../../network/flow';
import { NetworkFlows } from '../../network/network-flows';

/** Label on the pods of every sandbox made from a template: the template's name. */
export const SANDBOX_TEMPLATE_LABEL = 'agentic-eks.io/sandbox-template';
/** Label on the pod of a standalone sandbox: its name. */
export const SANDBOX_LABEL = 'agentic-eks.io/sandbox';

/** Options of a sandbox template (`platform.agents.sandboxes.addTemplate()`). */
export interface SandboxTemplateOptions extends SandboxPodOptions {
  /** Name of the SandboxTemplate (a DNS label of at most 46 characters). */
  readonly name: string;
  /** A Service per sandbox (`spec.service`), so clients reach each sandbox by name. @default - true when `port` is set */
  readonly service?: boolean;
}

/** Options of a warm pool. */
export interface SandboxWarmPoolOptions {
  /** Name of the SandboxWarmPool. @default '<template>-pool' */
  readonly name?: string;
  /** Sandboxes kept started and ready to be claimed. */
  readonly replicas: number;
}

/** Props shared by the sandbox constructs: where they go. */
export interface SandboxPlacementProps {
  /** The component the sandbox objects are added to. */
  readonly component: KubernetesComponent;
  /** Namespace of the sandboxes. */
  readonly namespace: string;
  /** The network flows the sandbox's flows are declared on. @default - the flows of the component's platform */
  readonly network?: NetworkFlows;
}

/** Props of {@link SandboxTemplate}. */
export interface SandboxTemplateProps extends SandboxTemplateOptions, SandboxPlacementProps {}

/** Props of {@link Sandbox}. */
export interface SandboxProps extends SandboxOptions, SandboxPlacementProps {}

/** Options of a standalone sandbox (`platform.agents.sandboxes.addSandbox()`). */
export interface SandboxOptions extends SandboxPodOptions {
  /** Name of the Sandbox (a DNS label of at most 46 characters). */
  readonly name: string;
  /** A Service for the sandbox (`spec.service`). @default - true when `port` is set */
  readonly service?: boolean;
  /** Start suspended (`operatingMode: Suspended`: no pod until resumed). @default false */
  readonly suspended?: boolean;
}

/**
 * Checks the name of a sandbox object: a DNS label of at most 46 characters (its component is
 * `sandbox-template-<name>`; the controller derives pod and Service names from it).
 */
export function checkSandboxName(kind: string, name: string): void {
  checkDnsLabel('name', name);
  check(name.length <= 46,
    `'name' (${name}) of a ${kind} must be at most 46 characters: its component and the controller's pod and Service names derive from it`);
}

/** Flows of sandbox pods: declared egress, and clients allowed in on the sandbox port. */
class SandboxFlows {
  private readonly clients = new Set<string>();

  private readonly flows?: NetworkFlows;

  constructor(placement: SandboxPlacementProps, private readonly what: string, private readonly flowPrefix: string,
    private readonly pods: FlowPeer, private readonly port: number | undefined) {
    this.flows = placement.network ?? NetworkFlows.tryOf(placement.component);
  }

  public egress(options: SandboxPodOptions): void {
    const flows = this.flows;
    for (const e of options.egress ?? []) {
      flows?.allow({ name: `${this.flowPrefix}-to-${e.name}`, from: this.pods, to: e.peer, ports: e.ports,
        description: `${this.what} reaches ${e.target}` });
    }
  }

  public allowFrom(client: string, peer: FlowPeer, description?: string): void {
    checkDnsLabel('client', client);
    check(this.port !== undefined, `${this.what} serves no port: set 'port' before allowing clients in`);
    check(!this.clients.has(client), `client '${client}' of ${this.what} is allowed twice`);
    this.clients.add(client);
    this.flows?.allow({ name: `${this.flowPrefix}-from-${client}`, from: peer, to: this.pods, ports: [FlowPort.tcp(this.port)],
      description: description ?? `${client} calls ${this.what}` });
  }
}

/**
 * A SandboxTemplate (`extensions.agents.x-k8s.io/v1beta1`): the blueprint of the sandboxes agents claim per session
 * (with a SandboxClaim naming it) or take from a {@link SandboxWarmPool}. Its pods run under the restricted Pod
 * Security profile without a ServiceAccount token, with a read-only root filesystem and an optional RuntimeClass
 * (gVisor, Kata). `networkPolicyManagement: Unmanaged`: the controller creates no NetworkPolicy, the platform's
 * default-deny namespace and the declared flows (`egress`, {@link allowFrom}) decide what the sandboxes reach.
 */
export class SandboxTemplate extends Construct {
  /** Name of the SandboxTemplate. */
  public readonly templateName: string;
  /** Namespace. */
  public readonly namespace: string;
  /** The component holding the template (and its warm pools). */
  public readonly component: KubernetesComponent;
  /** Port of the sandbox API, if any. */
  public readonly port?: number;
  private readonly _podLabels: Record<string, string>;
  private readonly flows: SandboxFlows;
  private readonly pools: SandboxWarmPool[] = [];

  constructor(scope: Construct, id: string, props: SandboxTemplateProps) {
    super(scope, id);
    checkSandboxName('sandbox template', props.name);
    const what = `sandbox template '${props.name}'`;
    checkSandboxPod(what, props);
    this.templateName = props.name;
    this.namespace = props.namespace;
    this.component = props.component;
    this.port = props.port;
    this._podLabels = { [SANDBOX_TEMPLATE_LABEL]: props.name };
    new SandboxTemplateResource(this.component, `SandboxTemplate-${props.name}`, {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        podTemplate: sandboxPodTemplate(props, this._podLabels),
        service: props.service ?? props.port !== undefined,
        networkPolicyManagement: SandboxTemplateSpecNetworkPolicyManagement.UNMANAGED,
      },
    });
    this.flows = new SandboxFlows(props, what, `sandbox-template-${props.name}`, FlowPeer.pods(props.namespace, this._podLabels), props.port);
    this.flows.egress(props);
  }

  /** Labels of every pod made from this template. */
  public get podLabels(): Record<string, string> {
    return { ...this._podLabels };
  }

  /** The warm pools of the template. */
  public get warmPools(): SandboxWarmPool[] {
    return [...this.pools];
  }

  /**
   * Keeps `replicas` sandboxes of this template started, so a claim gets one without a cold start (image pull,
   * runtime start).
   */
  public addWarmPool(id: string, options: SandboxWarmPoolOptions): SandboxWarmPool {
    const pool = new SandboxWarmPool(this, id, { ...options, template: this });
    this.pools.push(pool);
    return pool;
  }

  /**
   * Declares that `peer` may call the sandboxes on their `port` (flow `sandbox-template-<name>-from-<client>`), e.g. the
   * agent that claims them.
   */
  public allowFrom(client: string, peer: FlowPeer, description?: string): void {
    this.flows.allowFrom(client, peer, description);
  }
}

/** Props of {@link SandboxWarmPool}. */
export interface SandboxWarmPoolProps extends SandboxWarmPoolOptions {
  /** The template the pool starts sandboxes of. */
  readonly template: SandboxTemplate;
}

/** A SandboxWarmPool (`extensions.agents.x-k8s.io/v1beta1`) of a template, in the template's component. */
export class SandboxWarmPool extends Construct {
  /** Name of the SandboxWarmPool. */
  public readonly poolName: string;
  /** Sandboxes kept ready. */
  public readonly replicas: number;

  constructor(scope: Construct, id: string, props: SandboxWarmPoolProps) {
    super(scope, id);
    const t = props.template;
    const name = props.name ?? `${t.templateName}-pool`;
    checkSandboxName('sandbox warm pool', name);
    check(Number.isInteger(props.replicas) && props.replicas >= 0,
      `'replicas' (${props.replicas}) of sandbox warm pool '${name}' must be a whole number`);
    this.poolName = name;
    this.replicas = props.replicas;
    new SandboxWarmPoolResource(t.component, `SandboxWarmPool-${name}`, {
      metadata: { name, namespace: t.namespace },
      spec: { replicas: props.replicas, sandboxTemplateRef: { name: t.templateName } },
    });
  }
}

/**
 * A standalone Sandbox (`agents.x-k8s.io/v1beta1`): one long-lived sandbox pod with a stable identity, made without a
 * template (a shared code-execution tool server, say), with the same pod hardening as {@link SandboxTemplate}.
 */
export class Sandbox extends Construct {
  /** Name of the Sandbox. */
  public readonly sandboxName: string;
  /** Namespace. */
  public readonly namespace: string;
  /** The component holding the sandbox. */
  public readonly component: KubernetesComponent;
  /** Port of the sandbox API, if any. */
  public readonly port?: number;
  private readonly _podLabels: Record<string, string>;
  private readonly flows: SandboxFlows;

  constructor(scope: Construct, id: string, props: SandboxProps) {
    super(scope, id);
    checkSandboxName('sandbox', props.name);
    const what = `sandbox '${props.name}'`;
    checkSandboxPod(what, props);
    this.sandboxName = props.name;
    this.namespace = props.namespace;
    this.component = props.component;
    this.port = props.port;
    this._podLabels = { [SANDBOX_LABEL]: props.name };
    new SandboxResource(this.component, `Sandbox-${props.name}`, {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        podTemplate: sandboxPodTemplate(props, this._podLabels),
        service: props.service ?? props.port !== undefined,
        operatingMode: props.suspended ? SandboxSpecOperatingMode.SUSPENDED : SandboxSpecOperatingMode.RUNNING,
      },
    });
    this.flows = new SandboxFlows(props, what, `sandbox-${props.name}`, FlowPeer.pods(props.namespace, this._podLabels), props.port);
    this.flows.egress(props);
  }

  /** Labels of the sandbox's pod. */
  public get podLabels(): Record<string, string> {
    return { ...this._podLabels };
  }

  /** Declares that `peer` may call the sandbox on its `port` (flow `sandbox-<name>-from-<client>`). */
  public allowFrom(client: string, peer: FlowPeer, description?: string): void {
    this.flows.allowFrom(client, peer, description);
  }
}
