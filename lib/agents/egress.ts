import { check, checkDnsLabel, checkLiteral } from '../core/validation';
import { FlowPeer, FlowPort } from '../network/flow';

/** What an egress declaration reaches. */
export enum AgentEgressKind {
  /** Every pod of a namespace of the platform. */
  NAMESPACE = 'namespace',
  /** A host outside the cluster, by name: enforced as any address on its port (NetworkPolicies have no FQDN). */
  HOST = 'host',
  /** Addresses outside the pod network, by CIDR. */
  CIDR = 'cidr',
}

/** Options of {@link AgentEgress.toNamespace} and {@link AgentEgress.toCidr}. */
export interface AgentEgressPortOptions {
  /** TCP ports. @default - every port */
  readonly ports?: number[];
}

/** Options of {@link AgentEgress.toHost}. */
export interface AgentEgressHostOptions {
  /** TCP port. @default 443 */
  readonly port?: number;
}

const HOST = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * A destination an agent (or an MCP server the platform runs) may open connections to, beyond what the layer
 * derives from its model, tools and tracing. Each becomes a network flow and so an egress NetworkPolicy in the
 * agents' namespace (default deny) and, for an enforced destination namespace, its ingress policy.
 *
 * What is enforced: namespaces and CIDRs exactly (Kubernetes NetworkPolicy, enforced on EKS by the VPC CNI network
 * policy agent). Host names are NOT: NetworkPolicy has no FQDN peer and the VPC CNI implements none, so
 * {@link AgentEgress.toHost} opens the port to every address (`0.0.0.0/0`) and only records the host. Pin external
 * hosts with an egress proxy or a CNI that filters by name (Cilium FQDN policies) when that matters.
 */
export class AgentEgress {
  /** Every pod of `namespace` (a namespace the platform has: checked at synth), on `ports`. */
  public static toNamespace(namespace: string, options: AgentEgressPortOptions = {}): AgentEgress {
    checkDnsLabel('egress namespace', namespace);
    return new AgentEgress(AgentEgressKind.NAMESPACE, namespace, ports(`namespace '${namespace}'`, options.ports));
  }

  /**
   * A host outside the cluster (`api.github.com`). Enforced only as "any address on `port`": see the class docs.
   */
  public static toHost(host: string, options: AgentEgressHostOptions = {}): AgentEgress {
    checkLiteral('egress host', host);
    check(HOST.test(host), `egress host '${host}' must be a DNS name such as api.github.com`);
    return new AgentEgress(AgentEgressKind.HOST, host, ports(`host '${host}'`, [options.port ?? 443]));
  }

  /** Addresses of an IPv4 CIDR outside the pod network (a VPC peer, an on-premises range), on `ports`. */
  public static toCidr(cidr: string, options: AgentEgressPortOptions = {}): AgentEgress {
    FlowPeer.ipv4Cidr(cidr);
    return new AgentEgress(AgentEgressKind.CIDR, cidr, ports(`CIDR ${cidr}`, options.ports));
  }

  /** Kind. */
  public readonly kind: AgentEgressKind;
  /** The namespace, host or CIDR. */
  public readonly target: string;
  /** Ports (empty: every port). */
  public readonly ports: number[];

  private constructor(kind: AgentEgressKind, target: string, list: number[]) {
    this.kind = kind;
    this.target = target;
    this.ports = list;
  }

  /** The flow destination. */
  public get peer(): FlowPeer {
    switch (this.kind) {
      case AgentEgressKind.NAMESPACE: return FlowPeer.inNamespace(this.target);
      case AgentEgressKind.CIDR: return FlowPeer.ipv4Cidr(this.target);
      default: return FlowPeer.internet();
    }
  }

  /** The flow ports. */
  public get flowPorts(): FlowPort[] {
    return this.ports.map((p) => FlowPort.tcp(p));
  }

  /** A flow-name suffix: `namespace-billing`, `host-api-github-com`, `cidr-10-20-0-0-16`. */
  public get slug(): string {
    return `${this.kind}-${this.target.replace(/[./]/g, '-')}`;
  }

  /** For descriptions: `namespace 'billing'`, `host api.github.com (enforced as any address on TCP 443)`. */
  public toString(): string {
    const on = this.ports.length === 0 ? 'any port' : this.ports.map((p) => `TCP ${p}`).join(', ');
    switch (this.kind) {
      case AgentEgressKind.NAMESPACE: return `namespace '${this.target}' (${on})`;
      case AgentEgressKind.CIDR: return `${this.target} (${on})`;
      default: return `host ${this.target} (enforced as any address on ${on}: NetworkPolicies have no FQDN)`;
    }
  }
}

function ports(what: string, list: number[] | undefined): number[] {
  for (const p of list ?? []) {
    check(Number.isInteger(p) && p >= 1 && p <= 65535, `port (${p}) of egress to ${what} must be a whole number from 1 to 65535`);
  }
  return [...(list ?? [])];
}
