import { AgentEgress, AgentEgressKind, FlowPeerKind } from '../../lib';

describe('AgentEgress', () => {
  test('toNamespace: every pod of the namespace, on the ports given or every port', () => {
    const e = AgentEgress.toNamespace('billing', { ports: [8080] });
    expect([e.kind, e.target, e.ports, e.slug, e.toString()]).toEqual([AgentEgressKind.NAMESPACE, 'billing', [8080], 'namespace-billing', "namespace 'billing' (TCP 8080)"]);
    expect([e.peer.kind, e.peer.namespace, e.peer.labels]).toEqual([FlowPeerKind.PODS, 'billing', undefined]);
    expect(AgentEgress.toNamespace('billing').flowPorts).toEqual([]);
  });

  test('toHost: enforced as any address on the port (no FQDN in NetworkPolicies)', () => {
    const e = AgentEgress.toHost('api.github.com');
    expect([e.kind, e.ports, e.slug]).toEqual([AgentEgressKind.HOST, [443], 'host-api-github-com']);
    expect(e.peer.cidr).toBe('0.0.0.0/0');
    expect(e.toString()).toBe('host api.github.com (enforced as any address on TCP 443: NetworkPolicies have no FQDN)');
    expect(AgentEgress.toHost('smtp.example.com', { port: 587 }).flowPorts.map((p) => p.port)).toEqual([587]);
  });

  test('toCidr', () => {
    const e = AgentEgress.toCidr('10.20.0.0/16', { ports: [5432] });
    expect([e.kind, e.peer.cidr, e.slug, e.toString()]).toEqual([AgentEgressKind.CIDR, '10.20.0.0/16', 'cidr-10-20-0-0-16', '10.20.0.0/16 (TCP 5432)']);
  });

  test('errors', () => {
    expect(() => AgentEgress.toNamespace('Billing')).toThrow("'egress namespace' (Billing) must be a DNS label");
    expect(() => AgentEgress.toHost('https://api.github.com')).toThrow("egress host 'https://api.github.com' must be a DNS name such as api.github.com");
    expect(() => AgentEgress.toCidr('10.20.0.0')).toThrow("'cidr' (10.20.0.0) must be an IPv4 CIDR such as 10.0.0.0/16");
    expect(() => AgentEgress.toNamespace('billing', { ports: [0] })).toThrow("port (0) of egress to namespace 'billing' must be a whole number from 1 to 65535");
  });
});
