import { ApiObject } from 'cdk8s';
import { ClusterModel } from '../../../lib/checks/model';
import { NamespacesProtected } from '../../../lib/checks/rules/namespaces-protected';
import { NetworkFlowsAllowed } from '../../../lib/checks/rules/network-flows-allowed';
import { RuleStatus } from '../../../lib/checks/rule';
import { evaluatePlatformChecks } from '../../../lib/checks/run';
import { KubernetesComponent, Stage } from '../../../lib/core/component';
import { FlowPeer, FlowPort, NetworkFlows } from '../../../lib/network';
import { expectValidK8sObjects } from '../../k8s-schema';
import { examplePlatform, testDefinition } from '../../util';

function platformWithFlow() {
  const definition = testDefinition();
  definition.ensureNamespace('litellm');
  definition.ensureNamespace('langfuse');
  const flows = NetworkFlows.of(definition);
  flows.allow({
    name: 'litellm-to-langfuse', from: FlowPeer.pods('litellm', { app: 'litellm' }), to: FlowPeer.inNamespace('langfuse'),
    ports: [FlowPort.tcp(3000)], description: 'traces',
  });
  return { definition, flows };
}

describe('network-flows-allowed', () => {
  test('compliant: the generated policies allow every declared flow', () => {
    const { definition } = platformWithFlow();
    expect(NetworkFlowsAllowed.evaluate(ClusterModel.of(definition))).toEqual({ status: RuleStatus.COMPLIANT, findings: [] });
  });

  test('non-compliant: a hand-written default-deny in an unenforced namespace blocks a flow', () => {
    const { definition, flows } = platformWithFlow();
    flows.allow({ name: 'litellm-to-search', from: FlowPeer.pods('litellm', { app: 'litellm' }), to: FlowPeer.inNamespace('search'), ports: [FlowPort.tcp(8080)], description: 'x' });
    const extra = new KubernetesComponent(definition, 'Search', { name: 'search', namespace: 'search', stage: Stage.WORKLOADS, description: 'x' });
    new ApiObject(extra, 'Deny', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'search' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } });
    expect(NetworkFlowsAllowed.evaluate(ClusterModel.of(definition)).findings.map((f) => f.message)).toEqual([
      "flow 'litellm-to-search' (pods app=litellm in 'litellm' -> any pod in 'search', TCP 8080) is blocked on the ingress of the destination in namespace 'search': "
      + "isolated by NetworkPolicy 'search/deny' and no NetworkPolicy allows it; fix: allow it in 'search' (ingress from pods app=litellm in 'litellm' on TCP 8080), or remove the policy that narrows it",
    ]);
  });

  test('non-compliant: a hand-written egress policy on another port blocks the source side', () => {
    const { definition, flows } = platformWithFlow();
    flows.allow({ name: 'search-to-litellm', from: FlowPeer.inNamespace('search'), to: FlowPeer.pods('litellm', { app: 'litellm' }), ports: [FlowPort.tcp(4000)], description: 'x' });
    const extra = new KubernetesComponent(definition, 'Search', { name: 'search', namespace: 'search', stage: Stage.WORKLOADS, description: 'x' });
    new ApiObject(extra, 'P', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'only-5432', namespace: 'search' },
      spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ protocol: 'TCP', port: 5432 }] }] } });
    expect(NetworkFlowsAllowed.evaluate(ClusterModel.of(definition)).findings.map((f) => f.message)).toEqual([
      "flow 'search-to-litellm' (any pod in 'search' -> pods app=litellm in 'litellm', TCP 4000) is blocked on the egress of the source in namespace 'search': "
      + "isolated by NetworkPolicy 'search/only-5432' and no NetworkPolicy allows it; fix: allow it in 'search' (egress to pods app=litellm in 'litellm' on TCP 4000), or remove the policy that narrows it",
    ]);
  });

  test('non-compliant: every policy that isolates the pod is named, in apply order, whatever its selector', () => {
    // GIVEN policies in 'search' that select the destination by one label, by another, by all pods and by an
    // expression, one that selects other pods, and none that allows the flow
    const { definition, flows } = platformWithFlow();
    flows.allow({ name: 'litellm-to-search', from: FlowPeer.pods('litellm', { app: 'litellm' }), to: FlowPeer.pods('search', { app: 'search', tier: 'web' }), ports: [FlowPort.tcp(8080)], description: 'x' });
    const extra = new KubernetesComponent(definition, 'Search', { name: 'search', namespace: 'search', stage: Stage.WORKLOADS, description: 'x' });
    const policy = (name: string, podSelector: Record<string, unknown>) => new ApiObject(extra, name, {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: 'search' }, spec: { podSelector, policyTypes: ['Ingress'] },
    });
    policy('by-tier', { matchLabels: { tier: 'web' } });
    policy('other-app', { matchLabels: { app: 'other' } });
    policy('all-pods', {});
    policy('by-app', { matchLabels: { app: 'search', tier: 'web' } });
    policy('by-expression', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] });

    // WHEN
    const findings = NetworkFlowsAllowed.evaluate(ClusterModel.of(definition)).findings.map((f) => f.message);

    // THEN
    expect(findings).toEqual([
      "flow 'litellm-to-search' (pods app=litellm in 'litellm' -> pods app=search,tier=web in 'search', TCP 8080) is blocked on the ingress of the destination in namespace 'search': "
      + "isolated by NetworkPolicy 'search/by-tier', 'search/all-pods', 'search/by-app', 'search/by-expression' and no NetworkPolicy allows it; "
      + "fix: allow it in 'search' (ingress from pods app=litellm in 'litellm' on TCP 8080), or remove the policy that narrows it",
    ]);
  });

  test('not applicable without flows', () => {
    expect(NetworkFlowsAllowed.evaluate(ClusterModel.of(testDefinition())).status).toBe(RuleStatus.NOT_APPLICABLE);
  });
});

describe('namespaces-protected', () => {
  test('compliant: shared namespaces are labelled and enforced', () => {
    const { definition } = platformWithFlow();
    expect(NamespacesProtected.evaluate(ClusterModel.of(definition))).toEqual({ status: RuleStatus.COMPLIANT, findings: [] });
  });

  test('non-compliant: a Namespace without Pod Security labels', () => {
    const { definition } = platformWithFlow();
    const extra = new KubernetesComponent(definition, 'Raw', { name: 'raw', stage: Stage.CRDS, description: 'x' });
    new ApiObject(extra, 'Ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'raw', labels: { 'pod-security.kubernetes.io/enforce': 'strict' } } });
    expect(NamespacesProtected.evaluate(ClusterModel.of(definition)).findings.map((f) => f.message)).toEqual([
      "Namespace 'raw' has 'pod-security.kubernetes.io/enforce: strict', not one of restricted, baseline, privileged; fix: use a Pod Security level",
      "Namespace 'raw' has no label 'pod-security.kubernetes.io/warn'; fix: declare it with definition.ensureNamespace() (which labels it) or add the label",
      "Namespace 'raw' has no label 'pod-security.kubernetes.io/audit'; fix: declare it with definition.ensureNamespace() (which labels it) or add the label",
    ]);
  });

  test('non-compliant: an enforced namespace without its default-deny', () => {
    const definition = testDefinition();
    const component = new KubernetesComponent(definition, 'T', { name: 'team-x', namespace: 'x', stage: Stage.CONFIGURATION, description: 'x' });
    const flows = NetworkFlows.of(definition);
    (flows as any)._teams.push('x'); // enforced, but nothing rendered into a component
    void component;
    expect(NamespacesProtected.evaluate(ClusterModel.of(definition)).findings.map((f) => f.message)).toEqual([
      "namespace 'x' has no default-deny NetworkPolicy (every pod, Ingress and Egress, no rules); fix: render its policies with NetworkFlows (shared namespaces and teams get one)",
    ]);
  });
});

describe('the example platform', () => {
  test('passes both rules', () => {
    const definition = examplePlatform().definition;
    const results = evaluatePlatformChecks(definition, [NetworkFlowsAllowed, NamespacesProtected]);
    expectValidK8sObjects([...definition.namespaces.toJson(), ...NetworkFlows.find(definition)!.component.toJson()]);
    expect(results.map((r) => [r.rule.id, r.status, r.findings])).toEqual([
      ['network-flows-allowed', RuleStatus.COMPLIANT, []],
      ['namespaces-protected', RuleStatus.COMPLIANT, []],
    ]);
  });
});
