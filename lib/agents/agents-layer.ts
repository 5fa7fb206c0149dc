import { AgentSandboxes, AgentSandboxesOptions } from './sandbox/agent-sandboxes';
import { Annotations, Aws } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { Agent, AgentOptions } from './agent';
import { AgentEgress, AgentEgressKind } from './egress';
import { KAgent, KAGENT_CONTROLLER_LABELS, KAGENT_CONTROLLER_PORT, KAGENT_NAMESPACE, KAgentOptions } from './kagent';
import { checkAgentObjectName, IMcpServer, McpServer, McpServerOptions, RemoteMcpServer, RemoteMcpServerOptions } from './mcp-server';
import { AgentModelProvider } from './model';
import { AgentsPermissionsBoundary, AgentsPermissionsBoundaryOptions, checkPermissions } from './permissions';
import { PodIdentityRole } from '../cluster/pod-identity';
import { KubernetesComponent, Stage } from '../core/component';
import { acknowledgeNagFindings, NagFindingRule } from '../core/nag-acknowledgements';
import { PlatformDefinition, SYSTEM_NAMESPACES } from '../core/platform-definition';
import { PodSecurityLevel } from '../core/pod-security';
import { check, checkDnsLabel } from '../core/validation';
import { FlowPeer, FlowPort } from '../network/flow';
import { NetworkFlows } from '../network/network-flows';
import { ObservabilityLayer } from '../observability/observability-layer';
import { OTLP_GRPC_PORT } from '../observability/otel/otel-collector';
import { ExternalSecrets } from '../secrets/external-secrets';

/** Default namespace of agents, their model configurations and the MCP servers they use. */
export const AGENTS_NAMESPACE = 'agents';

/** Options of the agents layer (`agents` of the platform). */
export interface AgentsLayerOptions {
  /**
   * Namespace of every agent, ModelConfig and MCP server: restricted Pod Security, default-deny NetworkPolicies with
   * the allows generated from what each agent declares.
   * @default 'agents'
   */
  readonly namespace?: string;
  /** kagent itself (charts, images, database, UI). @default - the catalog's kagent, in-cluster PostgreSQL, no UI */
  readonly kagent?: KAgentOptions;
  /**
   * The permissions boundary of every agent role: what the platform allows agents on AWS besides invoking Bedrock.
   * @default - Bedrock model invocation only
   */
  readonly permissionsBoundary?: AgentsPermissionsBoundaryOptions;
  /**
   * Send the traces of the agents and of the controller to the platform's OpenTelemetry collector (and so to
   * Langfuse, next to LiteLLM's and vLLM's spans). Uses the collector added (`observability.addOtelCollector()`)
   * before the first agent or MCP server.
   * @default true
   */
  readonly tracing?: boolean;
  /**
   * Sandboxed tool execution (kubernetes-sigs/agent-sandbox), reached as `agents.sandboxes`: the sandboxes'
   * namespace and the controller.
   * @default - namespace 'sandboxes', the catalog's controller
   */
  readonly sandboxes?: AgentSandboxesOptions;
}

/** Props of the agents layer. */
export interface AgentsLayerProps extends AgentsLayerOptions {
  /** The definition. */
  readonly definition: PlatformDefinition;
  /** The cluster (Pod Identity roles of the agents). */
  readonly cluster: eks.Cluster;
  /** External Secrets (kagent's database, LiteLLM keys of the agents). */
  readonly secrets: ExternalSecrets;
  /** Observability (the OpenTelemetry collector). */
  readonly observability: ObservabilityLayer;
}

/**
 * Agents on kagent, each isolated: `addAgent()` gives every agent its own ServiceAccount and EKS Pod Identity role
 * under a permissions boundary the platform defines, its own LiteLLM virtual key, and an egress boundary (the
 * agents' namespace denies everything the agent does not declare). kagent (CRDs, controller, kmcp, database) is
 * installed with the first agent or MCP server.
 */
export class AgentsLayer extends Construct {
  /** Namespace of the agents. */
  public readonly namespace: string;
  private readonly props: AgentsLayerProps;
  private _kagent?: KAgent;
  private _boundary?: AgentsPermissionsBoundary;
  private readonly _agents: Agent[] = [];
  private readonly _servers: IMcpServer[] = [];
  private readonly names = new Map<string, string>();

  /**
   * Sandboxed tool execution (kubernetes-sigs/agent-sandbox): add SandboxTemplates with `sandboxes.addTemplate()`.
   */
  public readonly sandboxes: AgentSandboxes;

  constructor(scope: Construct, id: string, props: AgentsLayerProps) {
    super(scope, id);
    this.sandboxes = new AgentSandboxes(this, 'Sandboxes', {
      ...props.sandboxes, definition: props.definition, network: NetworkFlows.of(props.definition),
    });
    const ns = props.namespace ?? AGENTS_NAMESPACE;
    checkDnsLabel('namespace', ns);
    check(ns !== KAGENT_NAMESPACE && !SYSTEM_NAMESPACES.includes(ns),
      `'namespace' (${ns}) of the agents must be a namespace of their own, not '${KAGENT_NAMESPACE}' or a namespace of Kubernetes`);
    const boundary = props.permissionsBoundary ?? {};
    const actions = boundary.allowedActions ?? [];
    const resources = boundary.allowedResources ?? [];
    check((actions.length === 0) === (resources.length === 0),
      `'permissionsBoundary' needs both 'allowedActions' and 'allowedResources' (got ${actions.length} action(s) and ${resources.length} resource(s))`);
    if (actions.length > 0) checkPermissions('permissionsBoundary', [{ actions, resources }]);
    this.namespace = ns;
    this.props = props;
  }

  /** kagent, once an agent or MCP server was added. */
  public get kagent(): KAgent | undefined {
    return this._kagent;
  }

  /** The permissions boundary of the agent roles, once an agent was added. */
  public get permissionsBoundary(): AgentsPermissionsBoundary | undefined {
    return this._boundary;
  }

  /** The agents added so far (copy). */
  public get agentList(): Agent[] {
    return [...this._agents];
  }

  /** The MCP servers added so far (copy). */
  public get mcpServers(): IMcpServer[] {
    return [...this._servers];
  }

  /**
   * Adds an agent (component `agent-<name>`): its Agent, ModelConfig, ServiceAccount and LiteLLM key in the agents'
   * namespace, its Pod Identity role under the platform's permissions boundary, and the network flows of what it
   * uses and declares.
   */
  public addAgent(id: string, options: AgentOptions): Agent {
    const name = options.name;
    checkAgentObjectName('an agent', name);
    check(options.model !== undefined && options.model !== null,
      `agent '${name}' needs a 'model': AgentModel.liteLlm(litellm, '<model name>') or AgentModel.bedrock('<model id>', { region })`);
    const permissions = options.permissions ?? [];
    checkPermissions(`permissions of agent '${name}'`, permissions);
    this.claimName(name, 'agent');
    const boundary = this.ensureBoundary();
    boundary.checkWithin(name, permissions);
    const kagent = this.ensureKagent();

    const definition = this.props.definition;
    const component = new KubernetesComponent(definition, `Agent${id}`, {
      name: `agent-${name}`,
      namespace: this.namespace,
      stage: Stage.WORKLOADS,
      description: `agent '${name}' (kagent, model ${options.model.model})`,
    });
    component.addDependency(kagent.chart, definition.namespaces, this.props.secrets.store);
    const agent = new Agent(component, 'Resource', { ...options, namespace: this.namespace });
    component._addLateObjects(() => {
      this.checkEgressNamespaces(`agent '${name}'`, agent.egressDeclarations);
      return [];
    });

    // ---- AWS side: a role of its own, always under the boundary
    const identity = new PodIdentityRole(this, `${id}Identity`, {
      cluster: this.props.cluster,
      namespace: this.namespace,
      serviceAccount: agent.serviceAccountName,
      description: `agent ${name} of EKS cluster ${definition.clusterName}, within the agents' permissions boundary`,
    });
    iam.PermissionsBoundary.of(identity.role).apply(boundary.policy);
    const model = agent.model;
    let wildcards = false;
    if (model.provider === AgentModelProvider.BEDROCK) {
      const arns = model.isInferenceProfile
        ? [
          `arn:${Aws.PARTITION}:bedrock:${model.region}:${Aws.ACCOUNT_ID}:inference-profile/${model.model}`,
          // A cross-region inference profile invokes its foundation model in any region of its geography.
          `arn:${Aws.PARTITION}:bedrock:*::foundation-model/${model.foundationModelId}`,
        ]
        : [`arn:${Aws.PARTITION}:bedrock:${model.region}::foundation-model/${model.model}`];
      wildcards ||= model.isInferenceProfile;
      identity.addToPolicy(new iam.PolicyStatement({
        sid: 'InvokeBedrockModel', actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], resources: arns,
      }));
    }
    permissions.forEach((p, i) => {
      identity.addToPolicy(new iam.PolicyStatement({ sid: `AgentPermission${i}`, actions: [...p.actions], resources: [...p.resources] }));
      wildcards ||= [...p.actions, ...p.resources].some((x) => x.includes('*'));
    });
    if (wildcards) {
      acknowledgeNagFindings(identity, NagFindingRule.WILDCARDS,
        `The agent's declared permissions, each within the platform's permissions boundary (checked at synth and enforced by IAM); a Bedrock inference profile invokes its foundation model in any region of its geography`);
    }
    this._agents.push(agent);
    return agent;
  }

  /**
   * Adds an MCP server run from a pinned image (component `mcp-<name>`): by kmcp (`MCPServer`), or by the platform
   * when it needs a RuntimeClass (gVisor, Kata). Restricted Pod Security, read-only root file system, its own
   * ServiceAccount without a token unless it needs the Kubernetes API, default-deny egress.
   */
  public addMcpServer(id: string, options: McpServerOptions): McpServer {
    checkAgentObjectName('MCP server', options.name);
    this.claimName(options.name, 'MCP server');
    const kagent = this.ensureKagent();
    const component = this.serverComponent(id, options.name,
      `MCP server '${options.name}' (${options.image.uri}${options.runtimeClass ? `, RuntimeClass ${options.runtimeClass}` : ''})`);
    component.addDependency(kagent.chart);
    const server = new McpServer(component, 'Resource', { ...options, namespace: this.namespace });
    const flows = NetworkFlows.of(this.props.definition);
    this.allowDiscovery(server);
    if (server.kubernetesAccess !== undefined) {
      flows.allow({ name: `mcp-${server.serverName}-to-api-server`, from: server.pods, to: FlowPeer.apiServer(),
        description: `MCP server '${server.serverName}' reads the Kubernetes API (ClusterRole ${server.kubernetesAccess.clusterRoleName})` });
    }
    for (const e of server.egress) {
      flows.allow({ name: `mcp-${server.serverName}-to-${e.slug}`, from: server.pods, to: e.peer, ports: e.flowPorts,
        description: `MCP server '${server.serverName}' may reach ${e} ('egress')` });
    }
    component._addLateObjects(() => {
      this.checkEgressNamespaces(`MCP server '${server.serverName}'`, server.egress);
      return [];
    });
    this._servers.push(server);
    return server;
  }

  /** Adds an MCP server reached by URL (component `mcp-<name>`: a RemoteMCPServer). */
  public addRemoteMcpServer(id: string, options: RemoteMcpServerOptions): RemoteMcpServer {
    checkAgentObjectName('MCP server', options.name);
    this.claimName(options.name, 'MCP server');
    const kagent = this.ensureKagent();
    const component = this.serverComponent(id, options.name, `MCP server '${options.name}' at ${options.url}`);
    component.addDependency(kagent.chart);
    const server = new RemoteMcpServer(component, 'Resource', { ...options, namespace: this.namespace });
    if (server.destination.peer.namespace !== undefined) this.allowDiscovery(server);
    this._servers.push(server);
    return server;
  }

  private serverComponent(id: string, name: string, description: string): KubernetesComponent {
    const component = new KubernetesComponent(this.props.definition, `McpServer${id}`, {
      name: `mcp-${name}`, namespace: this.namespace, stage: Stage.WORKLOADS, description,
    });
    component.addDependency(this.props.definition.namespaces);
    return component;
  }

  /** The kagent controller lists a server's tools (RemoteMCPServer status): it connects to the server. */
  private allowDiscovery(server: IMcpServer): void {
    NetworkFlows.of(this.props.definition).allow({
      name: `kagent-to-mcp-${server.serverName}`,
      from: FlowPeer.pods(KAGENT_NAMESPACE, { ...KAGENT_CONTROLLER_LABELS }),
      to: server.destination.peer,
      ports: server.destination.ports,
      description: `the kagent controller lists the tools of MCP server '${server.serverName}'`,
    });
  }

  /** Agents and MCP servers share the namespace and name Services after themselves: one name, one object. */
  private claimName(name: string, what: string): void {
    const other = this.names.get(name);
    check(other === undefined, `name '${name}' of ${what} is already used by ${other} '${name}': agents and MCP servers share the namespace ${this.namespace}`);
    this.names.set(name, what);
  }

  private ensureBoundary(): AgentsPermissionsBoundary {
    this._boundary ??= new AgentsPermissionsBoundary(this, 'PermissionsBoundary', this.props.permissionsBoundary);
    return this._boundary;
  }

  /** kagent and the agents' namespace, created with the first agent or MCP server. */
  private ensureKagent(): KAgent {
    if (this._kagent !== undefined) return this._kagent;
    const definition = this.props.definition;
    definition.ensureNamespace(this.namespace, { podSecurity: PodSecurityLevel.RESTRICTED });
    const collector = this.props.tracing === false ? undefined : this.props.observability.otelCollector;
    if (this.props.tracing !== false && collector === undefined) {
      Annotations.of(this).addWarningV2('agentic-eks:agentsWithoutTracing',
        'agents are added before an OpenTelemetry collector (observability.addOtelCollector()): their traces are not sent anywhere; add the collector first, or set agents.tracing to false');
    }
    this._kagent = new KAgent(this, 'Kagent', {
      ...this.props.kagent,
      definition,
      secrets: this.props.secrets,
      agentsNamespace: this.namespace,
      tracingEndpoint: collector?.otlpGrpcEndpoint,
    });
    const flows = NetworkFlows.of(definition);
    flows.allow({ name: 'teams-to-kagent', from: FlowPeer.teams(), to: FlowPeer.pods(KAGENT_NAMESPACE, { ...KAGENT_CONTROLLER_LABELS }),
      ports: [FlowPort.tcp(KAGENT_CONTROLLER_PORT)],
      description: 'team workloads call agents through the kagent controller (A2A at /api/a2a/<namespace>/<agent>)' });
    if (collector !== undefined) {
      const target = FlowPeer.inNamespace(collector.namespace);
      const ports = [FlowPort.tcp(OTLP_GRPC_PORT)];
      flows.allow({ name: 'agents-to-otel-collector', from: FlowPeer.pods(this.namespace, { app: 'kagent' }), to: target, ports,
        description: 'agents send their traces (OTLP/gRPC) to the OpenTelemetry collector, which exports them to Langfuse' });
      flows.allow({ name: 'kagent-to-otel-collector', from: FlowPeer.pods(KAGENT_NAMESPACE, { ...KAGENT_CONTROLLER_LABELS }), to: target, ports,
        description: 'the kagent controller sends its traces to the OpenTelemetry collector' });
    }
    return this._kagent;
  }

  /** Egress to a namespace must name one the platform has (checked when the manifests are rendered). */
  private checkEgressNamespaces(what: string, egress: readonly AgentEgress[]): void {
    const definition = this.props.definition;
    const known = new Set([...definition.declaredNamespaces, ...(NetworkFlows.find(definition)?.teamNamespaces ?? []), ...SYSTEM_NAMESPACES]);
    for (const e of egress.filter((x) => x.kind === AgentEgressKind.NAMESPACE)) {
      check(known.has(e.target),
        `'egress' of ${what} names namespace '${e.target}', which the platform does not have (its namespaces: ${[...known].sort().join(', ')}); `
        + 'add what creates it (a team, the layer that uses it) or remove the egress entry');
    }
  }
}
