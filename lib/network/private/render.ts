import { FlowPeer, FlowPeerKind, FlowPort, NAMESPACE_NAME_LABEL, NetworkFlow, TEAM_NAMESPACE_LABEL } from '../flow';

/** Annotation naming the flow a generated NetworkPolicy implements. */
export const FLOW_ANNOTATION = 'agentic-eks.io/flow';
/** Annotation carrying the flow's description. */
export const FLOW_DESCRIPTION_ANNOTATION = 'agentic-eks.io/flow-description';
/** Name of the default-deny policy of every enforced namespace. */
export const DEFAULT_DENY_POLICY = 'default-deny';
/** Name of the DNS policy of every enforced namespace. */
export const DNS_POLICY = 'allow-dns';

type Json = Record<string, unknown>;

/** Namespaces whose pods a peer selects, among the enforced ones. */
export function namespacesOf(peer: FlowPeer, teamNamespaces: string[]): string[] {
  if (peer.kind === FlowPeerKind.TEAMS) return [...teamNamespaces];
  if (peer.kind === FlowPeerKind.PODS) return [peer.namespace!];
  return [];
}

/** The NetworkPolicyPeer that selects `peer` from any namespace. */
export function policyPeer(peer: FlowPeer): Json {
  if (peer.kind === FlowPeerKind.CIDR) return { ipBlock: { cidr: peer.cidr } };
  if (peer.kind === FlowPeerKind.TEAMS) {
    return { namespaceSelector: { matchExpressions: [{ key: TEAM_NAMESPACE_LABEL, operator: 'Exists' }] } };
  }
  const labels = peer.labels;
  return {
    namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: peer.namespace } },
    ...(labels !== undefined ? { podSelector: { matchLabels: labels } } : {}),
  };
}

function podSelector(peer: FlowPeer): Json {
  const labels = peer.kind === FlowPeerKind.PODS ? peer.labels : undefined;
  return labels === undefined ? {} : { matchLabels: labels };
}

function ports(list: FlowPort[]): Json {
  return list.length === 0 ? {} : { ports: list.map((p) => ({ protocol: p.protocol, port: p.port })) };
}

function policy(name: string, namespace: string, spec: Json, flow?: NetworkFlow): Json {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name,
      namespace,
      labels: { 'app.kubernetes.io/managed-by': 'agentic-eks' },
      ...(flow !== undefined ? { annotations: { [FLOW_ANNOTATION]: flow.name, [FLOW_DESCRIPTION_ANNOTATION]: flow.description } } : {}),
    },
    spec,
  };
}

/**
 * The NetworkPolicies of one enforced namespace: `default-deny` (ingress and egress), `allow-dns` (egress to CoreDNS,
 * UDP and TCP 53), then for each flow `<flow>-ingress` where the namespace holds the destination and `<flow>-egress`
 * where it holds the source.
 */
export function renderPolicies(namespace: string, flows: NetworkFlow[], teamNamespaces: string[]): Json[] {
  const out: Json[] = [
    policy(DEFAULT_DENY_POLICY, namespace, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    policy(DNS_POLICY, namespace, {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      }],
    }),
  ];
  for (const flow of flows) {
    if (namespacesOf(flow.to, teamNamespaces).includes(namespace)) {
      out.push(policy(`${flow.name}-ingress`, namespace, {
        podSelector: podSelector(flow.to),
        policyTypes: ['Ingress'],
        ingress: [{ from: [policyPeer(flow.from)], ...ports(flow.ports) }],
      }, flow));
    }
    if (namespacesOf(flow.from, teamNamespaces).includes(namespace)) {
      out.push(policy(`${flow.name}-egress`, namespace, {
        podSelector: podSelector(flow.from),
        policyTypes: ['Egress'],
        egress: [{ to: [policyPeer(flow.to)], ...ports(flow.ports) }],
      }, flow));
    }
  }
  return out;
}
