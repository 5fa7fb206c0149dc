import { Duration, Size } from 'aws-cdk-lib';
import { ApiObject, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-34';
import { ContainerResources, Cpu, CpuResources, MemoryResources } from '../core/units';
import { Construct, IConstruct } from 'constructs';
import { AgentEgress } from './egress';
import { declaredToolsAnnotations } from './private/annotations';
import {
  McpServer as KmcpServer, McpServerSpecDeploymentImagePullPolicy, McpServerSpecDeploymentInitContainerImagePullPolicy,
  McpServerSpecDeploymentResourcesLimits, McpServerSpecDeploymentResourcesRequests, McpServerSpecTransportType,
} from '../../imports/kagent-mcpserver-kagent.dev';
import { RemoteMcpServer as KagentRemoteMcpServer, RemoteMcpServerSpecProtocol } from '../../imports/kagent-remotemcpserver-kagent.dev';
import { cpuQuantity, memoryQuantity } from '../core/private/quantities';
import { check, checkDnsLabel, checkDnsSubdomain, checkLiteral, isToken } from '../core/validation';
import { FlowDestination, FlowPeer, FlowPort } from '../network/flow';
import { urlDestination } from '../network/service-url';
import { ContainerImage } from '../versions';

/** How kagent reaches an MCP server: the kind of the object an agent's tool entry names. */
export enum McpServerKind {
  /** `kagent.dev/v1alpha2` RemoteMCPServer: a URL. */
  REMOTE = 'RemoteMCPServer',
  /** `kagent.dev/v1alpha1` MCPServer: a server kmcp runs from an image. */
  KMCP = 'MCPServer',
}

/** Port an MCP server the platform runs listens on unless set (with `McpServerTransport.STDIO`: kmcp's transport adapter). */
export const MCP_SERVER_PORT = 3000;

/** How an MCP server the platform runs speaks MCP (what kmcp's `transportType` says). */
export enum McpServerTransport {
  /** The server itself serves MCP over streamable HTTP at `/mcp` on `port`. */
  STREAMABLE_HTTP = 'http',
  /**
   * The server speaks MCP over standard input and output: kmcp copies its transport adapter (agentgateway) into the
   * pod, runs it as the container's process, and the adapter spawns `command` with `args` and serves streamable HTTP
   * at `/mcp` (and SSE at `/sse`) on `port`. For servers that only speak stdio, or whose HTTP mode binds to localhost.
   */
  STDIO = 'stdio',
}

/** MCP transport of a remote server. */
export enum McpProtocol {
  /** Streamable HTTP (MCP 2025-03-26 and later). */
  STREAMABLE_HTTP = 'STREAMABLE_HTTP',
  /** Server-sent events (the older HTTP transport). */
  SSE = 'SSE',
}

/** An MCP server agents can take tools from (created with `platform.agents.addMcpServer` or `addRemoteMcpServer`). */
export interface IMcpServer extends IConstruct {
  /** Name of the kagent object (RemoteMCPServer or MCPServer). */
  readonly serverName: string;
  /** Namespace of the kagent object (the agents' namespace). */
  readonly namespace: string;
  /** Kind of the kagent object an agent's tool entry names. */
  readonly kind: McpServerKind;
  /** The URL agents call. */
  readonly url: string;
  /** Tool names the server declares; undefined when it declares none (then any name is accepted). */
  readonly declaredTools?: string[];
  /**
   * The server offers tools besides `declaredTools` (e.g. write tools of a server declared read-only): an agent must
   * then name the tools it takes, since kagent hands an agent without a tool list every tool of the server.
   * @default false
   */
  readonly exposesUndeclaredTools?: boolean;
  /**
   * Tools whose results are retrieved documents (RAG contexts), e.g. the search tools of a vector store's server: an
   * evaluation of an agent scores them as the contexts it retrieved.
   * @default - none
   */
  readonly retrievalTools?: string[];
  /** Where agents' connections go, as a network-flow destination. */
  readonly destination: FlowDestination;
}

/** Options of a RemoteMCPServer (what `platform.agents.addRemoteMcpServer()` takes). */
export interface RemoteMcpServerOptions {
  /** Object name: a DNS label of at most 50 characters. */
  readonly name: string;
  /** The server's URL (`http://` or `https://`), e.g. `https://mcp.example.com/mcp` or an in-cluster Service URL. */
  readonly url: string;
  /** What the server offers (kagent requires it; shown to users picking tools). */
  readonly description: string;
  /** Transport. @default McpProtocol.STREAMABLE_HTTP */
  readonly protocol?: McpProtocol;
  /**
   * The tool names the server offers. When set, an agent asking for a tool not in the list fails at synth; the list
   * is written to the object as annotation `agentic-eks.io/mcp-tools`, which the platform check
   * `agent-references-resolve` reads (agents added by hand are checked too).
   * @default - not declared: tool names are checked by kagent at run time only
   */
  readonly tools?: string[];
  /** Timeout of a connection. @default Duration.seconds(30) */
  readonly timeout?: Duration;
}

/** Props of {@link RemoteMcpServer}. */
export interface RemoteMcpServerProps extends RemoteMcpServerOptions {
  /** Namespace (the agents'). */
  readonly namespace: string;
}

const NAME = /^[a-z]([-a-z0-9]{0,48}[a-z0-9])?$/;
const TOOL = /^[A-Za-z0-9_][-A-Za-z0-9_.]{0,127}$/;

/** Checks a name shared by agents and MCP servers (their Services share the namespace). */
export function checkAgentObjectName(what: string, name: string): void {
  checkDnsLabel('name', name);
  check(NAME.test(name), `'name' (${name}) of ${what} must start with a letter and have at most 50 characters: kagent names a Service after it`);
}

function checkTools(server: string, tools: string[] | undefined): string[] | undefined {
  if (tools === undefined) return undefined;
  check(tools.length > 0, `'tools' of MCP server '${server}' must name at least one tool, or be left out`);
  const seen = new Set<string>();
  for (const t of tools) {
    check(typeof t === 'string' && TOOL.test(t), `tool name '${t}' of MCP server '${server}' must be 1-128 letters, digits, '_', '-' or '.'`);
    check(!seen.has(t), `tool '${t}' is declared twice by MCP server '${server}'`);
    seen.add(t);
  }
  return [...tools];
}

/** A duration as kagent's `metav1.Duration` (`30s`). */
function seconds(prop: string, owner: string, d: Duration): string {
  const ms = d.toMilliseconds();
  check(ms >= 1000 && ms % 1000 === 0, `'${prop}' (${d.toHumanString()}) of ${owner} must be a whole number of seconds, at least 1`);
  return `${ms / 1000}s`;
}

/**
 * An MCP server kagent reaches by URL (`RemoteMCPServer`, `kagent.dev/v1alpha2`): a server outside the cluster, or
 * one of the platform's Services. Agents' connections to it are declared as network flows from its URL (an
 * in-cluster Service URL: its namespace and port; any other host: the internet on the URL's port, as NetworkPolicies
 * cannot name hosts).
 */
export class RemoteMcpServer extends Construct implements IMcpServer {
  /** Name of the kagent object. */
  public readonly serverName: string;
  /** Namespace (the agents'). */
  public readonly namespace: string;
  /** Kind of the kagent object an agent's tool entry names. */
  public readonly kind: McpServerKind = McpServerKind.REMOTE;
  /** The URL agents call. */
  public readonly url: string;
  /** Tool names the server declares, if any. */
  public readonly declaredTools?: string[];
  /** Where agents' connections go, as a network-flow destination. */
  public readonly destination: FlowDestination;
  /** The RemoteMCPServer object. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: RemoteMcpServerProps) {
    super(scope, id);
    checkAgentObjectName('MCP server', props.name);
    checkLiteral('url', props.url);
    check(/^https?:\/\/[^\s/?#]+(\S*)$/.test(props.url),
      `'url' (${props.url}) of MCP server '${props.name}' must be an http:// or https:// URL`);
    checkLiteral('description', props.description);
    this.serverName = props.name;
    this.namespace = props.namespace;
    this.url = props.url;
    this.declaredTools = checkTools(props.name, props.tools);
    const target = urlDestination(`url of MCP server '${props.name}'`, props.url);
    this.destination = { peer: target.peer, ports: target.ports };
    this.resource = new KagentRemoteMcpServer(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, annotations: declaredToolsAnnotations(this.declaredTools) },
      spec: {
        url: props.url,
        description: props.description,
        protocol: props.protocol === McpProtocol.SSE ? RemoteMcpServerSpecProtocol.SSE : RemoteMcpServerSpecProtocol.STREAMABLE_UNDERSCORE_HTTP,
        timeout: seconds('timeout', `MCP server '${props.name}'`, props.timeout ?? Duration.seconds(30)),
      },
    });
  }
}

/** Kubernetes API access of an MCP server the platform runs. */
export class McpKubernetesAccess {
  /**
   * Read access to the cluster: the built-in `view` ClusterRole (no Secrets, no RBAC objects), bound to the server's
   * own ServiceAccount, whose token is then mounted.
   */
  public static readOnly(): McpKubernetesAccess {
    return new McpKubernetesAccess('view');
  }

  /** A ClusterRole of your own, bound to the server's ServiceAccount cluster-wide. */
  public static clusterRole(name: string): McpKubernetesAccess {
    checkDnsLabel('clusterRole', name);
    return new McpKubernetesAccess(name);
  }

  private constructor(
    /** The ClusterRole bound to the server's ServiceAccount. */
    public readonly clusterRoleName: string,
  ) {}
}

/** Options of an MCP server run from an image (what `platform.agents.addMcpServer()` takes). */
export interface McpServerOptions {
  /** Name of the server, its Service and ServiceAccount: a DNS label of at most 50 characters. */
  readonly name: string;
  /** What the server offers. @default - `MCP server <name>` */
  readonly description?: string;
  /** The pinned image. It must serve MCP over streamable HTTP at `/mcp` on `port` (the path kagent calls). */
  readonly image: ContainerImage;
  /** Port the server listens on (with `McpServerTransport.STDIO`: the port of kmcp's transport adapter). @default 3000 */
  readonly port?: number;
  /**
   * How the server speaks MCP. With `STDIO`, kmcp runs its transport adapter as the container's process and the
   * adapter spawns `command` (required) with `args`.
   * @default McpServerTransport.STREAMABLE_HTTP
   */
  readonly transport?: McpServerTransport;
  /**
   * Image of kmcp's transport adapter, copied into the pod by an init container (`McpServerTransport.STDIO` only):
   * its binary must run in `image` (the musl build is static).
   * @default ContainerImage.KMCP_TRANSPORT_ADAPTER
   */
  readonly transportAdapterImage?: ContainerImage;
  /** Command (entrypoint). @default - the image's entrypoint (required with `McpServerTransport.STDIO`) */
  readonly command?: string;
  /** Arguments. @default - none */
  readonly args?: string[];
  /** Literal environment variables (no secret values). @default - none */
  readonly env?: { [name: string]: string };
  /**
   * Secrets in the agents' namespace whose every key becomes an environment variable of the server (kmcp
   * `secretRefs`, i.e. `envFrom`), e.g. a Secret with key `MILVUS_TOKEN`. Created outside the platform (an
   * ExternalSecret), never with values in code.
   * @default - none
   */
  readonly secretEnv?: string[];
  /**
   * The tool names the server offers. When set, an agent asking for a tool not in the list fails at synth; the list
   * is written to the object as annotation `agentic-eks.io/mcp-tools` (see {@link RemoteMcpServerOptions.tools}).
   * @default - not declared
   */
  readonly tools?: string[];
  /**
   * UID (and GID) the server runs as: the pod runs as non-root with a read-only root file system (a writable `/tmp`,
   * `HOME=/tmp`), no privilege escalation and no capabilities (restricted Pod Security).
   * @default 65532 (`nonroot` of distroless images)
   */
  readonly user?: number;
  /**
   * Kubernetes API access. Without it the server's ServiceAccount token is not mounted and it has no RBAC.
   * @default - no API access, no token
   */
  readonly kubernetesAccess?: McpKubernetesAccess;
  /** Where the server may open connections (default deny otherwise). @default - nowhere */
  readonly egress?: AgentEgress[];
  /**
   * RuntimeClass that sandboxes the server's pod: `gvisor` (runsc) or `kata` (a micro-VM). The RuntimeClass and a
   * node image whose containerd has that handler must already exist: EKS-optimized AMIs ship neither (install gVisor
   * through a custom AMI or node bootstrap, Kata needs bare-metal or nested-virtualization instances), and pods stay
   * Pending otherwise. kmcp's MCPServer has no RuntimeClass field, so such a server is run by the platform itself
   * (Deployment, Service and a RemoteMCPServer pointing at it) instead of through kmcp.
   * @default - the node's default runtime (runc), run by kmcp
   */
  readonly runtimeClass?: string;
  /** Replicas. @default 1 */
  readonly replicas?: number;
  /** CPU and memory. @default - CPU request 100m; memory request and limit 256 MiB */
  readonly resources?: ContainerResources;
  /** Timeout of agents' connections. @default Duration.seconds(30) */
  readonly timeout?: Duration;
}

/** Props of {@link McpServer}. */
export interface McpServerProps extends McpServerOptions {
  /** Namespace (the agents'). */
  readonly namespace: string;
}

const MCP_PATH = '/mcp';
const TMP = '/tmp';
const DEFAULT_CPU: CpuResources = { request: Cpu.millis(100) };
const DEFAULT_MEMORY: MemoryResources = { request: Size.mebibytes(256), limit: Size.mebibytes(256) };

/**
 * An MCP server the platform runs from a pinned image, under restricted Pod Security: non-root, read-only root file
 * system with a writable `/tmp`, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp, its own
 * ServiceAccount whose token is mounted only with `kubernetesAccess`. kmcp runs it (`MCPServer`, `kagent.dev/v1alpha1`,
 * streamable HTTP); with `runtimeClass` the platform runs it itself (kmcp's MCPServer has no RuntimeClass field).
 * Agents call `http://<name>.<namespace>:<port>/mcp`.
 */
export class McpServer extends Construct implements IMcpServer {
  /** Name of the kagent object. */
  public readonly serverName: string;
  /** Namespace (the agents'). */
  public readonly namespace: string;
  /** Kind of the kagent object an agent's tool entry names. */
  public readonly kind: McpServerKind;
  /** The URL agents call. */
  public readonly url: string;
  /** Tool names the server declares, if any. */
  public readonly declaredTools?: string[];
  /** Where agents' connections go, as a network-flow destination. */
  public readonly destination: FlowDestination;
  /** Port. */
  public readonly port: number;
  /** The server's pods, as a flow peer. */
  public readonly pods: FlowPeer;
  /** Name of its ServiceAccount. */
  public readonly serviceAccountName: string;
  /** Kubernetes API access, if any. */
  public readonly kubernetesAccess?: McpKubernetesAccess;
  /** Egress declarations. */
  public readonly egress: AgentEgress[];
  /** How the server speaks MCP. */
  public readonly transport: McpServerTransport;

  constructor(scope: Construct, id: string, props: McpServerProps) {
    super(scope, id);
    const name = props.name;
    checkAgentObjectName('MCP server', name);
    const port = props.port ?? MCP_SERVER_PORT;
    check(!isToken(port) && Number.isInteger(port) && port >= 1 && port <= 65535,
      `'port' (${port}) of MCP server '${name}' must be a whole number from 1 to 65535`);
    const user = props.user ?? 65532;
    check(Number.isInteger(user) && user >= 1, `'user' (${user}) of MCP server '${name}' must be a non-root UID (an integer of at least 1)`);
    const replicas = props.replicas ?? 1;
    check(Number.isInteger(replicas) && replicas >= 1, `'replicas' (${replicas}) of MCP server '${name}' must be an integer of at least 1`);
    if (props.runtimeClass !== undefined) checkDnsLabel('runtimeClass', props.runtimeClass);
    const transport = props.transport ?? McpServerTransport.STREAMABLE_HTTP;
    const stdio = transport === McpServerTransport.STDIO;
    if (stdio) {
      check(props.command !== undefined && props.command.trim() !== '',
        `MCP server '${name}' uses McpServerTransport.STDIO and needs a 'command': kmcp's transport adapter spawns it`);
      check(props.runtimeClass === undefined,
        `MCP server '${name}' cannot combine McpServerTransport.STDIO with 'runtimeClass' (${props.runtimeClass}): the platform runs sandboxed servers itself, without kmcp's transport adapter; give it an image that serves streamable HTTP`);
    } else {
      check(props.transportAdapterImage === undefined,
        `'transportAdapterImage' of MCP server '${name}' applies to McpServerTransport.STDIO only`);
    }
    const secretEnv = [...(props.secretEnv ?? [])];
    for (const secret of secretEnv) checkDnsSubdomain('secretEnv', secret);
    check(new Set(secretEnv).size === secretEnv.length, `'secretEnv' of MCP server '${name}' names a Secret twice (${secretEnv.join(', ')})`);
    check(!(secretEnv.length > 0 && props.runtimeClass !== undefined),
      `'secretEnv' of MCP server '${name}' is not supported with 'runtimeClass' (${props.runtimeClass}) yet: mount the Secret through kmcp, without a RuntimeClass`);
    for (const k of Object.keys(props.env ?? {})) {
      check(/^[A-Za-z_][A-Za-z0-9_]*$/.test(k), `environment variable name '${k}' of MCP server '${name}' must be letters, digits and '_'`);
    }
    const ns = props.namespace;
    this.serverName = name;
    this.namespace = ns;
    this.port = port;
    this.kubernetesAccess = props.kubernetesAccess;
    this.egress = [...(props.egress ?? [])];
    this.transport = transport;
    this.declaredTools = checkTools(name, props.tools);
    this.url = `http://${name}.${ns}:${port}${MCP_PATH}`;
    this.serviceAccountName = `mcp-${name}`;
    const sandboxed = props.runtimeClass !== undefined;
    this.kind = sandboxed ? McpServerKind.REMOTE : McpServerKind.KMCP;
    const selector = { 'app.kubernetes.io/instance': name, 'app.kubernetes.io/managed-by': sandboxed ? 'agentic-eks' : 'kmcp' };
    this.pods = FlowPeer.pods(ns, selector);
    this.destination = { peer: this.pods, ports: [FlowPort.tcp(port)] };
    const token = props.kubernetesAccess !== undefined;
    const timeout = seconds('timeout', `MCP server '${name}'`, props.timeout ?? Duration.seconds(30));

    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.serviceAccountName, namespace: ns, labels: { 'app.kubernetes.io/instance': name } },
      automountServiceAccountToken: token,
    });
    if (props.kubernetesAccess !== undefined) {
      const binding = new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
        metadata: { name: `${ns}-mcp-${name}-${props.kubernetesAccess.clusterRoleName}` },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: props.kubernetesAccess.clusterRoleName },
        subjects: [{ kind: 'ServiceAccount', name: this.serviceAccountName, namespace: ns }],
      });
      // Cluster-scoped: no namespace (cdk8s gives every object its chart's).
      binding.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }

    const cpu = props.resources?.cpu ?? DEFAULT_CPU;
    const memory = props.resources?.memory ?? DEFAULT_MEMORY;
    const requests: Record<string, string> = {};
    const limits: Record<string, string> = {};
    if (cpu.request) requests.cpu = cpuQuantity(cpu.request).value as string;
    if (cpu.limit) limits.cpu = cpuQuantity(cpu.limit).value as string;
    if (memory.request) requests.memory = memoryQuantity(memory.request).value as string;
    if (memory.limit) limits.memory = memoryQuantity(memory.limit).value as string;
    const env = { HOME: TMP, ...(props.env ?? {}) };
    const podSecurityContext = {
      runAsNonRoot: true, runAsUser: user, runAsGroup: user, fsGroup: user, seccompProfile: { type: 'RuntimeDefault' },
    };
    const securityContext = {
      allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true,
      capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    };
    const description = props.description ?? `MCP server ${name}`;

    if (!sandboxed) {
      new KmcpServer(this, 'Resource', {
        metadata: { name, namespace: ns, annotations: declaredToolsAnnotations(this.declaredTools) },
        spec: {
          transportType: stdio ? McpServerSpecTransportType.STDIO : McpServerSpecTransportType.HTTP,
          httpTransport: stdio ? undefined : { targetPort: port, path: MCP_PATH },
          stdioTransport: stdio ? {} : undefined,
          timeout,
          deployment: {
            image: props.image.uri,
            imagePullPolicy: McpServerSpecDeploymentImagePullPolicy.IF_NOT_PRESENT,
            port,
            cmd: props.command,
            args: props.args ? [...props.args] : undefined,
            env,
            secretRefs: secretEnv.length > 0 ? secretEnv.map((n) => ({ name: n })) : undefined,
            initContainer: stdio ? {
              image: (props.transportAdapterImage ?? ContainerImage.KMCP_TRANSPORT_ADAPTER).uri,
              imagePullPolicy: McpServerSpecDeploymentInitContainerImagePullPolicy.IF_NOT_PRESENT,
              securityContext,
            } : undefined,
            replicas,
            serviceAccountName: this.serviceAccountName,
            podSecurityContext,
            securityContext,
            resources: {
              requests: Object.fromEntries(Object.entries(requests).map(([k, v]) => [k, McpServerSpecDeploymentResourcesRequests.fromString(v)])),
              limits: Object.keys(limits).length > 0
                ? Object.fromEntries(Object.entries(limits).map(([k, v]) => [k, McpServerSpecDeploymentResourcesLimits.fromString(v)]))
                : undefined,
            },
            volumes: [{ name: 'tmp', emptyDir: {} }],
            volumeMounts: [{ name: 'tmp', mountPath: TMP }],
          },
        },
      });
      return;
    }

    // Run by the platform: kmcp cannot set runtimeClassName.
    const labels = { 'app.kubernetes.io/name': name, ...selector };
    new k8s.KubeDeployment(this, 'Deployment', {
      metadata: { name, namespace: ns, labels },
      spec: {
        replicas,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            runtimeClassName: props.runtimeClass,
            serviceAccountName: this.serviceAccountName,
            automountServiceAccountToken: token,
            enableServiceLinks: false,
            securityContext: podSecurityContext,
            containers: [{
              name: 'mcp-server',
              image: props.image.uri,
              imagePullPolicy: 'IfNotPresent',
              command: props.command !== undefined ? [props.command] : undefined,
              args: props.args ? [...props.args] : undefined,
              env: Object.entries(env).map(([k, v]) => ({ name: k, value: v })),
              ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
              readinessProbe: { tcpSocket: { port: k8s.IntOrString.fromString('http') }, periodSeconds: 10 },
              resources: {
                requests: Object.keys(requests).length > 0 ? mapQuantities(requests) : undefined,
                limits: Object.keys(limits).length > 0 ? mapQuantities(limits) : undefined,
              },
              securityContext,
              volumeMounts: [{ name: 'tmp', mountPath: TMP }],
            }],
            volumes: [{ name: 'tmp', emptyDir: {} }],
          },
        },
      },
    });
    new k8s.KubeService(this, 'Service', {
      metadata: { name, namespace: ns, labels },
      spec: { selector, ports: [{ name: 'http', port, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' }] },
    });
    new KagentRemoteMcpServer(this, 'Resource', {
      metadata: { name, namespace: ns, annotations: declaredToolsAnnotations(this.declaredTools) },
      spec: { url: this.url, description, protocol: RemoteMcpServerSpecProtocol.STREAMABLE_UNDERSCORE_HTTP, timeout },
    });
  }
}

function mapQuantities(q: Record<string, string>): Record<string, k8s.Quantity> {
  return Object.fromEntries(Object.entries(q).map(([k, v]) => [k, k8s.Quantity.fromString(v)]));
}
