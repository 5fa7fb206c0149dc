import { Template } from 'aws-cdk-lib/assertions';
import { FlowPeer, FlowPort, NetworkFlows, PodSecurityLevel, urlDestination } from '../../lib';
import { KubernetesComponent, Stage } from '../../lib/core/component';
import { expectValidK8sObjects } from '../k8s-schema';
import { find, testDefinition, testPlatform } from '../util';

describe('NetworkFlows', () => {
  test('renders default-deny, DNS and one policy per flow side in each shared namespace, late', () => {
    // GIVEN
    const definition = testDefinition();
    definition.ensureNamespace('litellm');
    const flows = NetworkFlows.of(definition);
    // WHEN (declared after the component exists: rendered late)
    flows.allow({
      name: 'litellm-to-langfuse', from: FlowPeer.pods('litellm', { app: 'litellm' }), to: FlowPeer.inNamespace('langfuse'),
      ports: [FlowPort.tcp(3000)], description: 'traces',
    });
    definition.ensureNamespace('langfuse');
    const objs = flows.component.toJson() as Record<string, any>[];
    // THEN
    expectValidK8sObjects(objs);
    expect(objs.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'langfuse/default-deny', 'langfuse/allow-dns', 'langfuse/litellm-to-langfuse-ingress',
      'litellm/default-deny', 'litellm/allow-dns', 'litellm/litellm-to-langfuse-egress',
    ]);
    expect(find(objs, 'NetworkPolicy', 'litellm-to-langfuse-ingress')).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name: 'litellm-to-langfuse-ingress', namespace: 'langfuse',
        labels: { 'app.kubernetes.io/managed-by': 'agentic-eks' },
        annotations: { 'agentic-eks.io/flow': 'litellm-to-langfuse', 'agentic-eks.io/flow-description': 'traces' },
      },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'litellm' } }, podSelector: { matchLabels: { app: 'litellm' } } }],
          ports: [{ protocol: 'TCP', port: 3000 }],
        }],
      },
    });
    expect(find(objs, 'NetworkPolicy', 'litellm-to-langfuse-egress').spec).toEqual({
      podSelector: { matchLabels: { app: 'litellm' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'langfuse' } } }], ports: [{ protocol: 'TCP', port: 3000 }] }],
    });
    expect(flows.component.stage).toBe(Stage.CRDS);
    expect(flows.component.dependencies).toEqual([definition.namespaces]);
  });

  test('the API server and the internet are 0.0.0.0/0 on TCP 443; teams are selected by their label', () => {
    const definition = testDefinition();
    definition.ensureNamespace('models');
    const flows = NetworkFlows.of(definition);
    flows.allow({ name: 'downloads', from: FlowPeer.inNamespace('models'), to: FlowPeer.internet(), description: 'weights' });
    flows.allow({ name: 'teams-in', from: FlowPeer.teams(), to: FlowPeer.inNamespace('models'), description: 'x' });
    const objs = flows.policiesFor('models') as Record<string, any>[];
    expect(find(objs, 'NetworkPolicy', 'downloads-egress').spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] }]);
    expect(find(objs, 'NetworkPolicy', 'teams-in-ingress').spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchExpressions: [{ key: 'agentic-eks.io/team', operator: 'Exists' }] } }],
    }]);
    expect(FlowPeer.apiServer().defaultPorts?.map(String)).toEqual(['TCP 443']);
    expectValidK8sObjects(objs);
  });

  test('team namespaces render into the team component', () => {
    const definition = testDefinition();
    const component = new KubernetesComponent(definition, 'T', { name: 'team-x', namespace: 'x', stage: Stage.CONFIGURATION, description: 'x' });
    const flows = NetworkFlows.of(definition);
    flows.addTeamNamespace('x', component);
    expect(flows.enforcedNamespaces).toEqual(['x']);
    expect((component.toJson() as Record<string, any>[]).map((o) => o.metadata.name)).toEqual(['default-deny', 'allow-dns']);
  });

  test('URLs become flow destinations', () => {
    expect(String(urlDestination('u', 'http://langfuse-web.langfuse.svc.cluster.local:3000').peer)).toBe("any pod in 'langfuse'");
    expect(urlDestination('u', 'http://litellm.litellm.svc:4000/v1').ports.map(String)).toEqual(['TCP 4000']);
    expect(String(urlDestination('u', 'https://api.openai.com/v1').peer)).toBe('HTTPS endpoints outside the cluster (0.0.0.0/0)');
    expect(urlDestination('u', 'http://inference-gateway.gateway.svc/qwen').ports.map(String)).toEqual(['TCP 80']);
  });

  test('errors', () => {
    const flows = NetworkFlows.of(testDefinition());
    const ok = { from: FlowPeer.inNamespace('a'), to: FlowPeer.inNamespace('b'), description: 'x' };
    flows.allow({ name: 'a-to-b', ...ok });
    expect(() => flows.allow({ name: 'a-to-b', ...ok })).toThrow("flow 'a-to-b' is declared twice; flow names must be unique");
    expect(() => flows.allow({ name: 'A', ...ok })).toThrow("flow name 'A' must be lower-case letters, digits and '-' (at most 245 characters), starting and ending with a letter or digit");
    expect(() => flows.allow({ name: 'x', from: FlowPeer.internet(), to: FlowPeer.apiServer(), description: 'x' }))
      .toThrow("flow 'x' goes from HTTPS endpoints outside the cluster (0.0.0.0/0) to the Kubernetes API server (0.0.0.0/0): at least one end must be pods of the cluster");
    expect(() => flows.allow({ name: 'y', ...ok, description: ' ' })).toThrow("flow 'y' needs a 'description' saying why the platform needs it");
    expect(() => FlowPort.tcp(70000)).toThrow('flow port (70000) must be a whole number from 1 to 65535');
    expect(() => FlowPeer.pods('a', {})).toThrow("FlowPeer.pods('a') needs at least one label; use FlowPeer.inNamespace() for every pod");
    expect(() => FlowPeer.ipv4Cidr('10.0.0.0/33')).toThrow("'cidr' (10.0.0.0/33) must be an IPv4 CIDR such as 10.0.0.0/16");
    expect(() => flows.policiesFor('nope')).toThrow("namespace 'nope' is not enforced by the platform's network flows");
  });
});

describe('Pod Security labels of the platform namespaces', () => {
  test('shared namespaces are restricted unless asked otherwise; Helm namespaces baseline; the most permissive level wins', () => {
    const definition = testDefinition();
    definition.ensureNamespace('litellm');
    definition.ensureNamespace('models');
    definition.requirePodSecurity('models', PodSecurityLevel.PRIVILEGED);
    definition.ensureNamespace('models', { podSecurity: PodSecurityLevel.BASELINE });
    const objs = definition.namespaces.toJson() as Record<string, any>[];
    expectValidK8sObjects(objs);
    expect(find(objs, 'Namespace', 'litellm').metadata.labels).toEqual({
      'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.36',
      'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/audit-version': 'v1.36',
      'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/warn-version': 'v1.36',
    });
    expect(find(objs, 'Namespace', 'models').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(() => definition.ensureNamespace('kube-system')).toThrow("namespace 'kube-system' belongs to Kubernetes: the platform does not declare it");
  });

  test('a platform declares the namespaces of its Helm components (not kube-system) with their levels', () => {
    const platform = testPlatform();
    const objs = platform.definition.namespaces.toJson() as Record<string, any>[];
    const levels = Object.fromEntries(objs.map((o) => [o.metadata.name, o.metadata.labels['pod-security.kubernetes.io/enforce']]));
    expect(levels.monitoring).toBe('privileged');
    expect(levels['external-secrets']).toBe('baseline');
    expect(levels['kube-system']).toBeUndefined();
    expectValidK8sObjects(objs);
  });
});

describe('vpc-cni add-on', () => {
  test('enforces NetworkPolicies', () => {
    Template.fromStack(testPlatform()).hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'vpc-cni',
      ConfigurationValues: '{"enableNetworkPolicy":"true"}',
    });
  });
});
