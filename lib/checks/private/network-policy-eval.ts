import { ClusterModel, ModelObject } from '../model';
import { FlowPeer, FlowPeerKind, FlowPort, NAMESPACE_NAME_LABEL, NetworkFlow } from '../../network/flow';

type Json = Record<string, any>;

/** A concrete end of a flow: a representative pod (namespace and labels) or a CIDR. */
export type Endpoint =
  | { readonly kind: 'pod'; readonly namespace: string; readonly namespaceLabels: Record<string, string>; readonly labels: Record<string, string> }
  | { readonly kind: 'cidr'; readonly cidr: string };

/** Whether a Kubernetes label selector selects `labels` (matchLabels and matchExpressions; `{}` selects all). */
export function selects(selector: Json | undefined, labels: Record<string, string>): boolean {
  if (selector === undefined || selector === null) return true;
  for (const [k, v] of Object.entries((selector.matchLabels ?? {}) as Record<string, string>)) {
    if (labels[k] !== v) return false;
  }
  for (const e of (selector.matchExpressions ?? []) as Json[]) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = (e.values ?? []) as string[];
    if (e.operator === 'In' && !(has && values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && values.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

function ipv4(cidr: string): [number, number] {
  const [addr, bits] = cidr.split('/');
  const n = addr.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  const prefix = bits === undefined ? 32 : Number(bits);
  return [prefix === 0 ? 0 : n - (n % 2 ** (32 - prefix)), prefix];
}

/** Whether CIDR `inner` lies within `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
  const [o, op] = ipv4(outer);
  const [i, ip] = ipv4(inner);
  return ip >= op && (op === 0 || Math.floor(i / 2 ** (32 - op)) === Math.floor(o / 2 ** (32 - op)));
}

function cidrsOverlap(a: string, b: string): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

/** Whether a NetworkPolicyPeer, seen from a policy in `policyNamespace`, matches an endpoint. */
function peerMatches(peer: Json, policyNamespace: string, e: Endpoint): boolean {
  if (peer.ipBlock !== undefined) {
    if (e.kind !== 'cidr') return false; // Pod IPs in ipBlocks are implementation-defined: not counted.
    return cidrContains(peer.ipBlock.cidr, e.cidr) && !((peer.ipBlock.except ?? []) as string[]).some((x) => cidrsOverlap(x, e.cidr));
  }
  if (e.kind !== 'pod') return false;
  const nsOk = peer.namespaceSelector === undefined ? e.namespace === policyNamespace : selects(peer.namespaceSelector, e.namespaceLabels);
  return nsOk && selects(peer.podSelector, e.labels);
}

function portCovered(rulePorts: Json[] | undefined, port: FlowPort): boolean {
  if (rulePorts === undefined || rulePorts.length === 0) return true;
  return rulePorts.some((p) => (p.protocol ?? 'TCP') === port.protocol && (p.port === undefined
    || (typeof p.port === 'number' && (p.port === port.port || (p.endPort !== undefined && port.port >= p.port && port.port <= p.endPort)))));
}

function portsCovered(rulePorts: Json[] | undefined, ports: FlowPort[]): boolean {
  if (ports.length === 0) return rulePorts === undefined || rulePorts.length === 0;
  return ports.every((p) => portCovered(rulePorts, p));
}

/** Policy types of a NetworkPolicy, with the API server's defaults. */
function policyTypes(spec: Json): string[] {
  if (Array.isArray(spec.policyTypes)) return spec.policyTypes as string[];
  return spec.egress !== undefined ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** The NetworkPolicies of one namespace, indexed by the first `matchLabels` entry of their pod selector. */
interface PolicyIndex {
  /** Policies whose pod selector has no `matchLabels` (they may select any pod): always candidates. */
  readonly open: ModelObject[];
  /** The other policies by `<key>=<value>` of their first `matchLabels` entry: only pods with that label can match. */
  readonly byLabel: Map<string, ModelObject[]>;
  /** Apply order of every policy. */
  readonly order: Map<ModelObject, number>;
}

const POLICY_INDEXES = new WeakMap<ClusterModel, Map<string, PolicyIndex>>();

/**
 * The NetworkPolicies of a namespace that may select a pod with these labels, in apply order: a superset of those
 * whose pod selector selects it (the caller still checks). Indexed once per model and namespace, so checking every
 * flow of a platform with hundreds of models (and as many policies in one namespace) stays linear.
 */
function candidatePolicies(model: ClusterModel, namespace: string, labels: Record<string, string>): ModelObject[] {
  let indexes = POLICY_INDEXES.get(model);
  if (indexes === undefined) POLICY_INDEXES.set(model, indexes = new Map());
  let index = indexes.get(namespace);
  if (index === undefined) {
    index = { open: [], byLabel: new Map(), order: new Map() };
    for (const o of model.ofKind('NetworkPolicy', namespace)) {
      index.order.set(o, index.order.size);
      const first = Object.entries((((o.object.spec ?? {}) as Json).podSelector?.matchLabels ?? {}) as Record<string, string>)[0];
      if (first === undefined) {
        index.open.push(o);
      } else {
        const key = `${first[0]}=${first[1]}`;
        const list = index.byLabel.get(key);
        if (list === undefined) index.byLabel.set(key, [o]);
        else list.push(o);
      }
    }
    indexes.set(namespace, index);
  }
  const found = [...index.open, ...Object.entries(labels).flatMap(([k, v]) => index!.byLabel.get(`${k}=${v}`) ?? [])];
  return found.sort((a, b) => index!.order.get(a)! - index!.order.get(b)!);
}

/** The verdict on one side of a connection. */
export interface SideVerdict {
  /** Allowed. */
  readonly allowed: boolean;
  /** Policies that isolate the pod in this direction (`ns/name`). */
  readonly isolatedBy: string[];
}

/**
 * Whether the NetworkPolicies of the model allow `pod` to send (egress) to, or receive (ingress) from, `peer` on
 * `ports`: a pod no policy of that type selects is not isolated; an isolated pod needs one selecting policy with a
 * rule whose peers match and whose ports cover every port.
 */
export function sideAllows(model: ClusterModel, direction: 'Ingress' | 'Egress', pod: Endpoint & { kind: 'pod' }, peer: Endpoint, ports: FlowPort[]): SideVerdict {
  const selecting = candidatePolicies(model, pod.namespace, pod.labels)
    .filter((o) => {
      const spec = (o.object.spec ?? {}) as Json;
      return policyTypes(spec).includes(direction) && selects(spec.podSelector ?? {}, pod.labels);
    });
  const isolatedBy = selecting.map((o) => `${o.namespace}/${o.name}`);
  if (selecting.length === 0) return { allowed: true, isolatedBy };
  const allowed = selecting.some((o) => {
    const spec = (o.object.spec ?? {}) as Json;
    const rules = (direction === 'Ingress' ? spec.ingress : spec.egress) as Json[] | undefined;
    return (rules ?? []).some((r) => {
      const peers = (direction === 'Ingress' ? r.from : r.to) as Json[] | undefined;
      const peerOk = peers === undefined || peers.length === 0 || peers.some((p) => peerMatches(p, pod.namespace, peer));
      return peerOk && portsCovered(r.ports, ports);
    });
  });
  return { allowed, isolatedBy };
}

/** Labels of a namespace as the model knows them (its Namespace object, else only its name label). */
export function namespaceLabels(model: ClusterModel, namespace: string): Record<string, string> {
  const ns = model.find('Namespace', namespace);
  const labels = ((ns?.object.metadata as Json | undefined)?.labels ?? {}) as Record<string, string>;
  return { ...labels, [NAMESPACE_NAME_LABEL]: namespace };
}

/** The concrete endpoints a peer stands for (one per team namespace for TEAMS). */
export function endpointsOf(model: ClusterModel, peer: FlowPeer, teamNamespaces: string[]): Endpoint[] {
  if (peer.kind === FlowPeerKind.CIDR) return [{ kind: 'cidr', cidr: peer.cidr! }];
  const namespaces = peer.kind === FlowPeerKind.TEAMS ? teamNamespaces : [peer.namespace!];
  return namespaces.map((namespace) => ({
    kind: 'pod' as const, namespace, namespaceLabels: namespaceLabels(model, namespace), labels: peer.labels ?? {},
  }));
}

/** Blocked sides of a flow, as finding messages. */
export function blockedSides(model: ClusterModel, flow: NetworkFlow, teamNamespaces: string[], describe: string): string[] {
  const findings: string[] = [];
  const sources = endpointsOf(model, flow.from, teamNamespaces);
  const destinations = endpointsOf(model, flow.to, teamNamespaces);
  for (const s of sources) {
    for (const d of destinations) {
      for (const [direction, pod, peer] of [['Egress', s, d], ['Ingress', d, s]] as const) {
        if (pod.kind !== 'pod') continue;
        const verdict = sideAllows(model, direction, pod, peer, flow.ports);
        if (verdict.allowed) continue;
        const side = direction === 'Egress' ? 'egress of the source' : 'ingress of the destination';
        const message = `${describe} is blocked on the ${side} in namespace '${pod.namespace}': isolated by NetworkPolicy `
          + `${verdict.isolatedBy.map((n) => `'${n}'`).join(', ')} and no NetworkPolicy allows it; fix: allow it in `
          + `'${pod.namespace}' (${direction.toLowerCase()} ${direction === 'Egress' ? 'to' : 'from'} ${direction === 'Egress' ? flow.to : flow.from}`
          + `${flow.ports.length > 0 ? ` on ${flow.ports.map(String).join(', ')}` : ''}), or remove the policy that narrows it`;
        if (!findings.includes(message)) findings.push(message);
      }
    }
  }
  return findings;
}

