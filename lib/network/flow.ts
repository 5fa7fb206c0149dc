import { check, checkDnsLabel, checkLiteral } from '../core/validation';

/** Label on every team namespace (the team's name); flows to or from {@link FlowPeer.teams} select it. */
export const TEAM_NAMESPACE_LABEL = 'agentic-eks.io/team';
/** Label Kubernetes puts on every namespace: its name. NetworkPolicies select namespaces by it. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
/** Namespace of kube-prometheus-stack's Prometheus. */
export const MONITORING_NAMESPACE_NAME = 'monitoring';
/** Address of the EKS Pod Identity Agent on every node (link-local, port 80). */
export const POD_IDENTITY_AGENT_CIDR = '169.254.170.23/32';

/** Transport protocol of a flow port (closed set). */
export enum Protocol {
  /** TCP. */
  TCP = 'TCP',
  /** UDP. */
  UDP = 'UDP',
}

/** A destination port of a flow: the port the destination pod listens on (after Service translation). */
export class FlowPort {
  /** A TCP port. */
  public static tcp(port: number): FlowPort {
    return new FlowPort(Protocol.TCP, port);
  }

  /** A UDP port. */
  public static udp(port: number): FlowPort {
    return new FlowPort(Protocol.UDP, port);
  }

  private constructor(
    /** Transport protocol. */
    public readonly protocol: Protocol,
    /** Port number. */
    public readonly port: number,
  ) {
    check(Number.isInteger(port) && port >= 1 && port <= 65535, `flow port (${port}) must be a whole number from 1 to 65535`);
  }

  /** `TCP 4000`. */
  public toString(): string {
    return `${this.protocol} ${this.port}`;
  }
}

/** What kind of endpoint a {@link FlowPeer} is. */
export enum FlowPeerKind {
  /** Pods of one namespace (all of them, or those with given labels). */
  PODS = 'pods',
  /** Every pod of every team namespace (namespaces labelled `agentic-eks.io/team`). */
  TEAMS = 'teams',
  /** Addresses outside the pod network, by CIDR (the API server, AWS endpoints, the internet, load balancers). */
  CIDR = 'cidr',
}

/**
 * One end of a network flow. Pods are selected as NetworkPolicies select them: by namespace (its
 * `kubernetes.io/metadata.name` label) and pod labels; addresses outside the cluster by CIDR.
 */
export class FlowPeer {
  /** Pods of `namespace` that carry every label of `labels`. */
  public static pods(namespace: string, labels: Record<string, string>): FlowPeer {
    checkDnsLabel('namespace', namespace);
    check(Object.keys(labels).length > 0, `FlowPeer.pods('${namespace}') needs at least one label; use FlowPeer.inNamespace() for every pod`);
    Object.entries(labels).forEach(([k, v]) => { checkLiteral(`label ${k}`, v); });
    return new FlowPeer(FlowPeerKind.PODS, { namespace, labels: { ...labels } });
  }

  /** Every pod of `namespace`. */
  public static inNamespace(namespace: string): FlowPeer {
    checkDnsLabel('namespace', namespace);
    return new FlowPeer(FlowPeerKind.PODS, { namespace });
  }

  /** The platform's Prometheus (every pod of the `monitoring` namespace of kube-prometheus-stack). */
  public static monitoring(): FlowPeer {
    return new FlowPeer(FlowPeerKind.PODS, { namespace: MONITORING_NAMESPACE_NAME, description: "Prometheus (namespace 'monitoring')" });
  }

  /** Every pod of every team namespace. */
  public static teams(): FlowPeer {
    return new FlowPeer(FlowPeerKind.TEAMS, { description: 'every team namespace' });
  }

  /**
   * The Kubernetes API server (TCP 443). On EKS its endpoints are ENIs whose addresses are unknown at synthesis
   * (and the public endpoint is on the internet), so the peer is `0.0.0.0/0` on port 443.
   */
  public static apiServer(): FlowPeer {
    return new FlowPeer(FlowPeerKind.CIDR, { cidr: '0.0.0.0/0', description: 'the Kubernetes API server', defaultPorts: [FlowPort.tcp(443)] });
  }

  /**
   * HTTPS endpoints outside the cluster: AWS APIs (S3, Bedrock, STS, ECR, through VPC endpoints or NAT), Hugging
   * Face, OpenAI. NetworkPolicies cannot filter by host name, so this is any IPv4 address on TCP 443: it limits
   * the port, not the destination.
   */
  public static internet(): FlowPeer {
    return new FlowPeer(FlowPeerKind.CIDR, { cidr: '0.0.0.0/0', description: 'HTTPS endpoints outside the cluster', defaultPorts: [FlowPort.tcp(443)] });
  }

  /** Clients anywhere (a load balancer in front of a Gateway, with or without client-IP preservation). */
  public static anywhere(): FlowPeer {
    return new FlowPeer(FlowPeerKind.CIDR, { cidr: '0.0.0.0/0', description: 'clients anywhere' });
  }

  /** The EKS Pod Identity Agent on the node (169.254.170.23, TCP 80), where the AWS SDKs get Pod Identity credentials. */
  public static podIdentityAgent(): FlowPeer {
    return new FlowPeer(FlowPeerKind.CIDR, { cidr: POD_IDENTITY_AGENT_CIDR, description: 'the EKS Pod Identity Agent', defaultPorts: [FlowPort.tcp(80)] });
  }

  /** An IPv4 CIDR outside the pod network (e.g. an external database). */
  public static ipv4Cidr(cidr: string): FlowPeer {
    checkLiteral('cidr', cidr);
    check(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d|[12]\d|3[0-2])$/.test(cidr) && cidr.split('/')[0].split('.').every((o) => Number(o) <= 255),
      `'cidr' (${cidr}) must be an IPv4 CIDR such as 10.0.0.0/16`);
    return new FlowPeer(FlowPeerKind.CIDR, { cidr });
  }

  /** Kind of peer. */
  public readonly kind: FlowPeerKind;
  /** Namespace of a PODS peer. */
  public readonly namespace?: string;
  /** CIDR of a CIDR peer. */
  public readonly cidr?: string;
  /** Ports a flow to this peer uses when it names none (443 for the API server and the internet). */
  public readonly defaultPorts?: FlowPort[];
  private readonly _labels?: Record<string, string>;
  private readonly _description?: string;

  private constructor(kind: FlowPeerKind, o: { namespace?: string; labels?: Record<string, string>; cidr?: string; description?: string; defaultPorts?: FlowPort[] }) {
    this.kind = kind;
    this.namespace = o.namespace;
    this._labels = o.labels;
    this.cidr = o.cidr;
    this._description = o.description;
    this.defaultPorts = o.defaultPorts;
  }

  /** Pod labels a PODS peer selects (undefined: every pod of the namespace). Copy. */
  public get labels(): Record<string, string> | undefined {
    return this._labels === undefined ? undefined : { ...this._labels };
  }

  /** For messages: `pods app=x in 'ns'`, `any pod in 'ns'`, `every team namespace`, `the Kubernetes API server (0.0.0.0/0)`. */
  public toString(): string {
    if (this.kind === FlowPeerKind.CIDR) return `${this._description ?? 'CIDR'} (${this.cidr})`;
    if (this._description !== undefined) return this._description;
    if (this._labels === undefined) return `any pod in '${this.namespace}'`;
    return `pods ${Object.entries(this._labels).map(([k, v]) => `${k}=${v}`).join(',')} in '${this.namespace}'`;
  }
}

/** A network flow a component needs (what `NetworkFlows.allow()` takes). */
export interface NetworkFlowOptions {
  /**
   * Flow name, unique in the platform: lower-case letters, digits and '-', at most 245 characters. The generated
   * NetworkPolicies are `<name>-ingress` (destination side) and `<name>-egress` (source side).
   */
  readonly name: string;
  /** Where connections start. */
  readonly from: FlowPeer;
  /** Where they go. */
  readonly to: FlowPeer;
  /**
   * Destination ports (as the destination pod listens, after Service translation).
   * @default - the peer's default ports (443 for the API server and the internet), else every port
   */
  readonly ports?: FlowPort[];
  /** One line saying why the platform needs the flow. */
  readonly description: string;
}

/** A declared flow. */
export interface NetworkFlow {
  /** Flow name. */
  readonly name: string;
  /** Source. */
  readonly from: FlowPeer;
  /** Destination. */
  readonly to: FlowPeer;
  /** Destination ports; empty means every port. */
  readonly ports: FlowPort[];
  /** Why. */
  readonly description: string;
}

/** `flow 'name' (from -> to, TCP 4000)`, for messages. */
export function describeFlow(flow: NetworkFlow): string {
  const ports = flow.ports.length === 0 ? 'any port' : flow.ports.map((p) => p.toString()).join(', ');
  return `flow '${flow.name}' (${flow.from} -> ${flow.to}, ${ports})`;
}

/** Where connections go, as a network-flow destination: the pods and the ports they listen on. */
export interface FlowDestination {
  /** The destination pods (or addresses). */
  readonly peer: FlowPeer;
  /** Ports the destination listens on. */
  readonly ports: FlowPort[];
}
