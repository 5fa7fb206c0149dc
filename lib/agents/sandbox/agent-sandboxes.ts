import { Construct } from 'constructs';
import { AgentSandboxController, AgentSandboxControllerOptions } from './controller';
import { checkSandboxName, Sandbox, SandboxOptions, SandboxTemplate, SandboxTemplateOptions } from './sandboxes';
import { KubernetesComponent, Stage } from '../../core/component';
import { PlatformDefinition } from '../../core/platform-definition';
import { PodSecurityLevel } from '../../core/pod-security';
import { check, checkDnsLabel } from '../../core/validation';
import { NetworkFlows } from '../../network/network-flows';

/** Default namespace of sandboxes. */
export const SANDBOX_NAMESPACE = 'sandboxes';

/** Options of {@link AgentSandboxes}. */
export interface AgentSandboxesOptions {
  /** Namespace of the sandboxes (restricted Pod Security, default-deny). @default 'sandboxes' */
  readonly namespace?: string;
  /** The agent-sandbox controller. @default - the catalog's image, one replica, a ServiceMonitor */
  readonly controller?: AgentSandboxControllerOptions;
}

/** Props of {@link AgentSandboxes}. */
export interface AgentSandboxesProps extends AgentSandboxesOptions {
  /** The platform's Kubernetes-side definition. */
  readonly definition: PlatformDefinition;
  /** The platform's network flows (the sandbox namespace's NetworkPolicies). @default NetworkFlows.of(definition) */
  readonly network?: NetworkFlows;
}

/**
 * Sandboxed tool execution for agents with kubernetes-sigs/agent-sandbox: SandboxTemplates (`addTemplate`) that
 * agents claim one sandbox of per session, their warm pools, and standalone Sandboxes (`addSandbox`). The controller
 * and its CRDs ({@link AgentSandboxController}) are installed with the first template or sandbox. Sandboxes run in
 * their own namespace at Pod Security level restricted, default-deny: each one reaches only its declared egress and
 * is reached only by the clients it allows.
 */
export class AgentSandboxes extends Construct {
  /** Namespace of the sandboxes. */
  public readonly namespace: string;
  /** The network flows the controller and the sandboxes declare their flows on. */
  public readonly network: NetworkFlows;
  private readonly props: AgentSandboxesProps;
  private _controller?: AgentSandboxController;
  private readonly templates: SandboxTemplate[] = [];
  private readonly sandboxes: Sandbox[] = [];

  constructor(scope: Construct, id: string, props: AgentSandboxesProps) {
    super(scope, id);
    this.namespace = props.namespace ?? SANDBOX_NAMESPACE;
    checkDnsLabel('namespace', this.namespace);
    this.props = props;
    this.network = props.network ?? NetworkFlows.of(props.definition);
  }

  /** The controller, once a template or sandbox was added. */
  public get controller(): AgentSandboxController | undefined {
    return this._controller;
  }

  /** The templates added so far. */
  public get templateList(): SandboxTemplate[] {
    return [...this.templates];
  }

  /** The standalone sandboxes added so far. */
  public get sandboxList(): Sandbox[] {
    return [...this.sandboxes];
  }

  /** Adds a SandboxTemplate as its own component `sandbox-template-<name>`. */
  public addTemplate(id: string, options: SandboxTemplateOptions): SandboxTemplate {
    checkSandboxName('sandbox template', options.name);
    check(!this.templates.some((t) => t.templateName === options.name), `sandbox template '${options.name}' is added twice`);
    const component = this.component(`SandboxTemplate${id}`, `sandbox-template-${options.name}`, `SandboxTemplate '${options.name}' (${options.image.uri})`);
    const template = new SandboxTemplate(this, `Template${id}`, { ...options, namespace: this.namespace, component, network: this.network });
    this.templates.push(template);
    return template;
  }

  /** Adds a standalone Sandbox as its own component `sandbox-<name>`. */
  public addSandbox(id: string, options: SandboxOptions): Sandbox {
    checkSandboxName('sandbox', options.name);
    check(!this.sandboxes.some((s) => s.sandboxName === options.name), `sandbox '${options.name}' is added twice`);
    const component = this.component(`Sandbox${id}`, `sandbox-${options.name}`, `Sandbox '${options.name}' (${options.image.uri})`);
    const sandbox = new Sandbox(this, `Sandbox${id}`, { ...options, namespace: this.namespace, component, network: this.network });
    this.sandboxes.push(sandbox);
    return sandbox;
  }

  private component(id: string, name: string, description: string): KubernetesComponent {
    const definition = this.props.definition;
    this._controller ??= new AgentSandboxController(this, 'Controller', { ...this.props.controller, definition, network: this.network });
    const component = new KubernetesComponent(definition, id, { name, namespace: this.namespace, stage: Stage.WORKLOADS, description });
    component.addDependency(definition.ensureNamespace(this.namespace, { podSecurity: PodSecurityLevel.RESTRICTED }), this._controller.component);
    return component;
  }
}
