import { ApiObject, Chart, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-34';
import { ContainerResources } from '../core/units';
import { Construct, IConstruct } from 'constructs';
import { AgentEgress } from './egress';
import { KAGENT_CONTROLLER_LABELS, KAGENT_CONTROLLER_PORT, KAGENT_NAMESPACE, KAGENT_RELEASE } from './kagent';
import { checkAgentObjectName, IMcpServer } from './mcp-server';
import { AgentModel, AgentModelProvider } from './model';
import { AgentPermission, checkPermissions } from './permissions';
import {
  AgentV1Alpha2, AgentV1Alpha2SpecDeclarativeDeploymentResourcesLimits, AgentV1Alpha2SpecDeclarativeDeploymentResourcesRequests,
  AgentV1Alpha2SpecDeclarativeRuntime, AgentV1Alpha2SpecDeclarativeSystemMessageFromType, AgentV1Alpha2SpecDeclarativeTools,
  AgentV1Alpha2SpecDeclarativeToolsType, AgentV1Alpha2SpecType,
} from '../../imports/kagent-agent-kagent.dev';
import { ModelConfigV1Alpha2, ModelConfigV1Alpha2SpecProvider } from '../../imports/kagent-modelconfig-kagent.dev';
import { KubernetesComponent } from '../core/component';
import { cpuQuantity, memoryQuantity } from '../core/private/quantities';
import { check, checkDnsSubdomain, checkLiteral, isToken } from '../core/validation';
import { FlowPeer, FlowPort } from '../network/flow';
import { LiteLlmSecretRef } from '../gateway/litellm/model';
import { NetworkFlows } from '../network/network-flows';

/** Port of every declarative agent's A2A server (container and Service). */
export const AGENT_PORT = 8080;
/** UID of kagent's Python agent runtime image (`USER python`, uid 1001, in kagent's python/Dockerfile). */
export const AGENT_RUNTIME_UID = 1001;

/** How an agent's system message is given. */
export class SystemMessage {
  /** The message itself, in the Agent object. */
  public static inline(text: string): SystemMessage {
    checkLiteral('systemMessage', text);
    return new SystemMessage(text);
  }

  /** A key of a ConfigMap in the agents' namespace (managed outside the platform, e.g. by the prompt owners). */
  public static fromConfigMap(name: string, key: string): SystemMessage {
    checkDnsSubdomain('systemMessage ConfigMap', name);
    check(/^[-._a-zA-Z0-9]+$/.test(key), `'key' (${key}) of the system message ConfigMap '${name}' must be letters, digits, '-', '_' or '.'`);
    return new SystemMessage(undefined, { name, key });
  }

  private constructor(
    /** The inline message. */
    public readonly text?: string,
    /** The ConfigMap and key holding the message. */
    public readonly configMap?: ConfigMapKeyRef,
  ) {}
}

/** A key of a ConfigMap. */
export interface ConfigMapKeyRef {
  /** ConfigMap name. */
  readonly name: string;
  /** Key in the ConfigMap's data. */
  readonly key: string;
}

/** Options of {@link AgentTool.mcp}. */
export interface McpToolOptions {
  /**
   * Tool names the agent may use. When the server declares its tools, each must be one of them (checked at synth).
   * @default - every tool of the server
   */
  readonly tools?: string[];
  /** Tools that pause for a human's approval before they run; each must be in `tools`. @default - none */
  readonly requireApproval?: string[];
}

/** What an agent's tool entry is. */
export enum AgentToolKind {
  /** Tools of an MCP server. */
  MCP = 'mcp',
  /** Another agent, called over A2A. */
  AGENT = 'agent',
}

/** A tool of an agent: tools of an MCP server, or another agent. */
export class AgentTool {
  /** Tools of an MCP server (a RemoteMCPServer or an MCPServer of the platform). */
  public static mcp(server: IMcpServer, options: McpToolOptions = {}): AgentTool {
    return new AgentTool(AgentToolKind.MCP, server, undefined, options);
  }

  /** Another agent of the platform, called as a tool (A2A at `http://<agent>.<namespace>:8080`). */
  public static agent(agent: IAgent): AgentTool {
    return new AgentTool(AgentToolKind.AGENT, undefined, agent, {});
  }

  private constructor(
    /** MCP tools or an agent. */
    public readonly kind: AgentToolKind,
    /** The MCP server (kind MCP). */
    public readonly server: IMcpServer | undefined,
    /** The agent (kind AGENT). */
    public readonly calledAgent: IAgent | undefined,
    /** Tool names and approvals (kind MCP). */
    public readonly options: McpToolOptions,
  ) {}
}

/** An agent of the platform. */
export interface IAgent extends IConstruct {
  /** Agent (and Service) name. */
  readonly agentName: string;
  /** Namespace. */
  readonly namespace: string;
  /** The agent's pods, as a flow peer. */
  readonly pods: FlowPeer;
  /** Agents this agent calls as tools (copy). */
  readonly calledAgents: IAgent[];
}

/** Options of an agent (what `platform.agents.addAgent()` takes). */
export interface AgentOptions {
  /** Agent name: the Agent object, its Deployment and Service. A DNS label starting with a letter, at most 50 characters. */
  readonly name: string;
  /** What the agent does: shown in the UI and given to agents that call it as a tool. */
  readonly description: string;
  /** System message. */
  readonly systemMessage: SystemMessage;
  /** The model it reasons with: `AgentModel.liteLlm(litellm, 'qwen3-32b')` or `AgentModel.bedrock(...)`. */
  readonly model: AgentModel;
  /** Tools: MCP servers' tools and other agents. More with {@link Agent.addTool}. @default - none */
  readonly tools?: AgentTool[];
  /** Replicas of the agent's Deployment. @default 1 */
  readonly replicas?: number;
  /** CPU and memory. @default - kagent's defaults: CPU request 100m, limit 2; memory request 384 MiB, limit 1 GiB */
  readonly resources?: ContainerResources;
  /**
   * AWS permissions of the agent's own Pod Identity role, within the platform's permissions boundary (an agent that
   * asks for more fails at synth). Its Bedrock model, if any, is added without being listed here.
   * @default - none beyond its model
   */
  readonly permissions?: AgentPermission[];
  /**
   * Where else the agent may open connections. Its model, MCP servers, agents it calls, the kagent controller and the
   * OpenTelemetry collector are allowed without being listed; everything else is denied.
   * @default - nothing else
   */
  readonly egress?: AgentEgress[];
}

/** Props of {@link Agent}. */
export interface AgentProps extends AgentOptions {
  /** Namespace (the agents'). */
  readonly namespace: string;
}

/**
 * A kagent declarative agent (`Agent`, `kagent.dev/v1alpha2`) with its own `ModelConfig` (through the platform's
 * LiteLLM with a virtual key of its own, or Bedrock through its own role) and its own ServiceAccount (no Kubernetes
 * API token; EKS Pod Identity role created by the agents layer). The kagent controller runs it as a Deployment and
 * Service named after it (pods labelled `app: kagent`, `kagent: <name>`), under restricted Pod Security (uid 1001,
 * no privilege escalation, no capabilities).
 *
 * Network: the agent may reach the kagent controller, its model, its MCP servers, the agents it calls and what
 * `egress` lists (network flows, so NetworkPolicies of the default-deny agents' namespace); the controller and the
 * agents that call it may reach it on port 8080.
 */
export class Agent extends Construct implements IAgent {
  /** Agent (and Service) name. */
  public readonly agentName: string;
  /** Namespace (the agents'). */
  public readonly namespace: string;
  /** The agent's pods, as a flow peer (`app: kagent`, `kagent: <name>`). */
  public readonly pods: FlowPeer;
  /** The Agent object. */
  public readonly resource: ApiObject;
  /** The agent's ModelConfig. */
  public readonly modelConfig: ApiObject;
  /** The agent's ServiceAccount name (the Pod Identity association's). */
  public readonly serviceAccountName: string;
  /** The model. */
  public readonly model: AgentModel;
  /** AWS permissions (copy). */
  public readonly permissions: AgentPermission[];
  /**
   * kagent's A2A endpoint of the agent, on the controller:
   * `http://kagent-controller.kagent.svc.cluster.local:8083/api/a2a/<namespace>/<name>` (callers need a network flow
   * to the controller).
   */
  public readonly a2aUrl: string;
  /** For LiteLLM models: the Secret and key holding the agent's virtual key. */
  public readonly liteLlmKeySecret?: LiteLlmSecretRef;
  private readonly tools: AgentTool[] = [];
  private readonly egress: AgentEgress[];

  constructor(scope: Construct, id: string, props: AgentProps) {
    super(scope, id);
    const name = props.name;
    checkAgentObjectName('an agent', name);
    check(props.model !== undefined && props.model !== null,
      `agent '${name}' needs a 'model': AgentModel.liteLlm(litellm, '<model name>') or AgentModel.bedrock('<model id>', { region })`);
    check(typeof props.description === 'string' && !isToken(props.description) && props.description.trim() !== '',
      `'description' of agent '${name}' must be a literal, non-empty string: kagent shows it and passes it to the agents that call this one`);
    check(props.systemMessage !== undefined, `agent '${name}' needs a 'systemMessage': SystemMessage.inline(...) or SystemMessage.fromConfigMap(...)`);
    const replicas = props.replicas ?? 1;
    check(!isToken(replicas) && Number.isInteger(replicas) && replicas >= 1, `'replicas' (${replicas}) of agent '${name}' must be an integer of at least 1`);
    this.permissions = [...(props.permissions ?? [])];
    checkPermissions(`permissions of agent '${name}'`, this.permissions);
    props.model.checkServed(name);
    const ns = props.namespace;
    this.agentName = name;
    this.namespace = ns;
    this.model = props.model;
    this.serviceAccountName = `agent-${name}`;
    this.pods = FlowPeer.pods(ns, { app: 'kagent', kagent: name });
    this.a2aUrl = `http://${KAGENT_RELEASE}-controller.${KAGENT_NAMESPACE}.svc.cluster.local:${KAGENT_CONTROLLER_PORT}/api/a2a/${ns}/${name}`;
    this.egress = [...(props.egress ?? [])];

    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.serviceAccountName, namespace: ns, labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'kagent' } },
      automountServiceAccountToken: false,
    });

    // ---- the model
    const modelConfigName = `${name}-model`;
    const model = props.model;
    if (model.provider === AgentModelProvider.LITELLM) {
      const key = model.litellm!.addVirtualKey(this, { alias: `agent-${ns}-${name}`, models: [model.model], namespace: ns, secretName: `agent-${name}-litellm-key` });
      this.liteLlmKeySecret = key.secret;
      this.modelConfig = new ModelConfigV1Alpha2(this, 'ModelConfig', {
        metadata: { name: modelConfigName, namespace: ns },
        spec: {
          provider: ModelConfigV1Alpha2SpecProvider.OPEN_AI,
          model: model.model,
          apiKeySecret: key.secret.name,
          apiKeySecretKey: key.secret.key,
          openAi: {
            baseUrl: `${model.litellm!.url.replace(/\/+$/, '')}/v1`,
            temperature: model.temperature !== undefined ? String(model.temperature) : undefined,
            maxTokens: model.maxTokens,
          },
        },
      });
    } else {
      this.modelConfig = new ModelConfigV1Alpha2(this, 'ModelConfig', {
        metadata: { name: modelConfigName, namespace: ns },
        spec: { provider: ModelConfigV1Alpha2SpecProvider.BEDROCK, model: model.model, bedrock: { region: model.region! } },
      });
    }

    // ---- the agent
    const message = props.systemMessage;
    const cpu = props.resources?.cpu;
    const memory = props.resources?.memory;
    const requests: Record<string, AgentV1Alpha2SpecDeclarativeDeploymentResourcesRequests> = {};
    const limits: Record<string, AgentV1Alpha2SpecDeclarativeDeploymentResourcesLimits> = {};
    if (cpu?.request) requests.cpu = AgentV1Alpha2SpecDeclarativeDeploymentResourcesRequests.fromString(String(cpuQuantity(cpu.request).value));
    if (cpu?.limit) limits.cpu = AgentV1Alpha2SpecDeclarativeDeploymentResourcesLimits.fromString(String(cpuQuantity(cpu.limit).value));
    if (memory?.request) requests.memory = AgentV1Alpha2SpecDeclarativeDeploymentResourcesRequests.fromString(String(memoryQuantity(memory.request).value));
    if (memory?.limit) limits.memory = AgentV1Alpha2SpecDeclarativeDeploymentResourcesLimits.fromString(String(memoryQuantity(memory.limit).value));
    const resources = props.resources === undefined ? undefined : {
      requests: Object.keys(requests).length > 0 ? requests : undefined,
      limits: Object.keys(limits).length > 0 ? limits : undefined,
    };
    this.resource = new AgentV1Alpha2(this, 'Resource', {
      metadata: { name, namespace: ns },
      spec: {
        type: AgentV1Alpha2SpecType.DECLARATIVE,
        description: props.description,
        declarative: {
          runtime: AgentV1Alpha2SpecDeclarativeRuntime.PYTHON,
          systemMessage: message.text,
          systemMessageFrom: message.configMap === undefined ? undefined : {
            type: AgentV1Alpha2SpecDeclarativeSystemMessageFromType.CONFIG_MAP, name: message.configMap.name, key: message.configMap.key,
          },
          modelConfig: modelConfigName,
          tools: Lazy.any({ produce: () => (this.tools.length > 0 ? this.tools.map((t) => this.renderTool(t)) : undefined) }) as unknown as AgentV1Alpha2SpecDeclarativeTools[],
          deployment: {
            replicas,
            resources,
            serviceAccountName: this.serviceAccountName,
            podSecurityContext: {
              runAsNonRoot: true, runAsUser: AGENT_RUNTIME_UID, runAsGroup: AGENT_RUNTIME_UID, fsGroup: AGENT_RUNTIME_UID,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            securityContext: {
              allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
            },
          },
        },
      },
    });

    this.declareFlows();
    for (const t of props.tools ?? []) this.addTool(t);
  }

  /** Agents this agent calls as tools (copy). */
  public get calledAgents(): IAgent[] {
    return this.tools.filter((t) => t.kind === AgentToolKind.AGENT).map((t) => t.calledAgent!);
  }

  /** MCP servers this agent takes tools from (copy). */
  public get mcpServers(): IMcpServer[] {
    return this.tools.filter((t) => t.kind === AgentToolKind.MCP).map((t) => t.server!);
  }

  /** The agent's tool entries: MCP servers' tools and agents, in the order added (copy). */
  public get toolEntries(): AgentTool[] {
    return [...this.tools];
  }

  /** Egress declarations (copy). */
  public get egressDeclarations(): AgentEgress[] {
    return [...this.egress];
  }

  /**
   * Adds a tool: checks tool names against what the server declares and refuses an agent tool that would close a
   * cycle of agents calling agents (kagent refuses such agents at run time); declares the flow to the tool.
   */
  public addTool(tool: AgentTool): void {
    const flows = NetworkFlows.of(this);
    const component = Chart.of(this) as KubernetesComponent;
    if (tool.kind === AgentToolKind.MCP) {
      const server = tool.server!;
      check(server.namespace === this.namespace,
        `MCP server '${server.serverName}' (namespace ${server.namespace}) of agent '${this.agentName}' must be in the agents' namespace ${this.namespace}`);
      check(!this.mcpServers.includes(server), `agent '${this.agentName}' takes tools from MCP server '${server.serverName}' twice; list its tools in one entry`);
      const wanted = tool.options.tools;
      check(wanted !== undefined || server.exposesUndeclaredTools !== true,
        `agent '${this.agentName}' takes every tool of MCP server '${server.serverName}', which also offers tools it does not declare `
        + `(e.g. write tools of a read-only server): name the tools, e.g. AgentTool.mcp(server, { tools: ['${server.declaredTools?.[0]}'] })`);
      if (wanted !== undefined) {
        check(wanted.length > 0, `'tools' of MCP server '${server.serverName}' for agent '${this.agentName}' must name at least one tool, or be left out`);
        for (const t of wanted) {
          check(server.declaredTools === undefined || server.declaredTools.includes(t),
            `agent '${this.agentName}' asks MCP server '${server.serverName}' for tool '${t}', which it does not declare (its tools: ${server.declaredTools?.join(', ')})`);
        }
      }
      for (const t of tool.options.requireApproval ?? []) {
        check(wanted !== undefined && wanted.includes(t),
          `'requireApproval' tool '${t}' of agent '${this.agentName}' must also be in the 'tools' it takes from MCP server '${server.serverName}'`);
      }
      this.tools.push(tool);
      flows.allow({
        name: `agent-${this.agentName}-to-mcp-${server.serverName}`, from: this.pods, to: server.destination.peer, ports: server.destination.ports,
        description: `agent '${this.agentName}' calls the tools of MCP server '${server.serverName}' (${server.url})`,
      });
      const serverChart = chartOf(server);
      if (serverChart !== undefined && serverChart !== component) component.addDependency(serverChart);
      return;
    }
    const callee = tool.calledAgent!;
    check(callee !== this, `agent '${this.agentName}' cannot call itself as a tool`);
    check(callee.namespace === this.namespace,
      `agent '${callee.agentName}' (namespace ${callee.namespace}) called by agent '${this.agentName}' must be in the agents' namespace ${this.namespace}`);
    check(!this.calledAgents.includes(callee), `agent '${this.agentName}' calls agent '${callee.agentName}' twice`);
    const path = findPath(callee, this, [this.agentName, callee.agentName]);
    check(path === undefined,
      `agents would call each other in a cycle: ${path?.join(' -> ')}; kagent refuses an agent whose tools lead back to it`);
    this.tools.push(tool);
    flows.allow({
      name: `agent-${this.agentName}-to-agent-${callee.agentName}`, from: this.pods, to: callee.pods, ports: [FlowPort.tcp(AGENT_PORT)],
      description: `agent '${this.agentName}' calls agent '${callee.agentName}' as a tool (A2A)`,
    });
    const calleeChart = chartOf(callee);
    if (calleeChart !== undefined && calleeChart !== component) component.addDependency(calleeChart);
  }

  private renderTool(t: AgentTool): AgentV1Alpha2SpecDeclarativeTools {
    if (t.kind === AgentToolKind.AGENT) {
      return { type: AgentV1Alpha2SpecDeclarativeToolsType.AGENT, agent: { name: t.calledAgent!.agentName } };
    }
    const s = t.server!;
    return {
      type: AgentV1Alpha2SpecDeclarativeToolsType.MCP_SERVER,
      mcpServer: {
        apiGroup: 'kagent.dev',
        kind: s.kind,
        name: s.serverName,
        toolNames: t.options.tools ? [...t.options.tools] : undefined,
        requireApproval: t.options.requireApproval && t.options.requireApproval.length > 0 ? [...t.options.requireApproval] : undefined,
      },
    };
  }

  /** Flows every agent needs: the controller both ways, its model, its egress declarations, AWS for its role. */
  private declareFlows(): void {
    const flows = NetworkFlows.of(this);
    const name = this.agentName;
    const controller = FlowPeer.pods(KAGENT_NAMESPACE, { ...KAGENT_CONTROLLER_LABELS });
    flows.allow({ name: `agent-${name}-to-kagent`, from: this.pods, to: controller, ports: [FlowPort.tcp(KAGENT_CONTROLLER_PORT)],
      description: `agent '${name}' keeps sessions and tasks in the kagent controller (KAGENT_URL)` });
    flows.allow({ name: `kagent-to-agent-${name}`, from: controller, to: this.pods, ports: [FlowPort.tcp(AGENT_PORT)],
      description: `the kagent controller forwards A2A requests (UI, API) to agent '${name}'` });
    if (this.model.provider === AgentModelProvider.LITELLM) {
      flows.allowToUrl(`agent-${name}-to-litellm`, this.pods, this.model.litellm!.url, `agent '${name}' calls its model '${this.model.model}' through LiteLLM`);
    }
    const aws = this.model.provider === AgentModelProvider.BEDROCK || this.permissions.length > 0;
    if (aws) {
      flows.allow({ name: `agent-${name}-to-aws`, from: this.pods, to: FlowPeer.internet(),
        description: `agent '${name}' calls AWS APIs (${this.model.provider === AgentModelProvider.BEDROCK ? 'Amazon Bedrock' : 'its permissions'}) with its role` });
      flows.allow({ name: `agent-${name}-to-pod-identity`, from: this.pods, to: FlowPeer.podIdentityAgent(),
        description: `agent '${name}' gets the credentials of its role from the Pod Identity Agent` });
    }
    for (const e of this.egress) {
      flows.allow({ name: `agent-${name}-to-${e.slug}`, from: this.pods, to: e.peer, ports: e.flowPorts,
        description: `agent '${name}' may reach ${e} ('egress')` });
    }
  }
}

/** The component (cdk8s Chart) a construct belongs to, if it is in one. */
function chartOf(c: IConstruct): KubernetesComponent | undefined {
  try {
    const chart = Chart.of(c);
    return KubernetesComponent.isKubernetesComponent(chart) ? chart : undefined;
  } catch {
    return undefined;
  }
}

/** A path of agent calls from `from` to `to` (names), if one exists. */
function findPath(from: IAgent, to: IAgent, path: string[]): string[] | undefined {
  if (from === to) return path;
  for (const next of from.calledAgents) {
    const found = findPath(next, to, [...path, next.agentName]);
    if (found !== undefined) return found;
  }
  return undefined;
}

