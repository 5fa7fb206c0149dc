import { Duration, Size, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { Stage } from '../../lib/core/component';
import { PlatformDefinition } from '../../lib/core/platform-definition';
import { Cpu } from '../../lib/core/units';
import { PodSecurityLevel, Team, TeamProps } from '../../lib/teams';
import { FlowPeer, FlowPort, NetworkFlows } from '../../lib/network';
import { expectValidK8sObjects } from '../k8s-schema';
import { find, objects, testDefinition } from '../util';

function team(props: Partial<TeamProps> = {}, definition: PlatformDefinition = testDefinition()): { team: Team; objs: Record<string, unknown>[] } {
  const scope = new Construct(definition, 'Teams');
  const t = new Team(scope, 'Search', { definition, name: 'search', ...props });
  return { team: t, objs: objects(t.component) };
}

function error(props: Partial<TeamProps>): () => void {
  return () => team(props);
}

describe('Team', () => {
  describe('defaults', () => {
    test('a component team-<name> of stage CONFIGURATION with valid objects', () => {
      // GIVEN / WHEN
      const { team: t, objs } = team();
      // THEN
      expectValidK8sObjects(objs);
      expect(t.component.componentName).toBe('team-search');
      expect(t.component.stage).toBe(Stage.CONFIGURATION);
      expect(t.component.namespace).toBe('search');
      expect(t.namespace).toBe('search');
      expect(objs.map((o) => `${o.kind}/${(o.metadata as { name: string }).name}`).sort()).toEqual([
        'LimitRange/container-defaults',
        'Namespace/search',
        'NetworkPolicy/allow-dns',
        'NetworkPolicy/default-deny',
        'NetworkPolicy/monitoring-to-team-search-ingress',
        'NetworkPolicy/team-search-internal-egress',
        'NetworkPolicy/team-search-internal-ingress',
      ]);
    });

    test('the namespace enforces, audits and warns on the restricted level, with the team label', () => {
      const { team: t, objs } = team();
      expect(find(objs, 'Namespace', 'search').metadata.labels).toEqual({
        'agentic-eks.io/team': 'search',
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'v1.36',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/audit-version': 'v1.36',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/warn-version': 'v1.36',
      });
      expect(t.labels).toEqual({ 'agentic-eks.io/team': 'search' });
    });

    test('no ResourceQuota without quotas; LimitRange defaults', () => {
      const { team: t, objs } = team();
      expect(objs.filter((o) => o.kind === 'ResourceQuota')).toEqual([]);
      expect([t.gpuQuota, t.cpuQuota, t.memoryQuota]).toEqual([undefined, undefined, undefined]);
      expect(find(objs, 'LimitRange', 'container-defaults').spec).toEqual({
        limits: [{ type: 'Container', default: { cpu: '1', memory: '1Gi' }, defaultRequest: { cpu: '100m', memory: '256Mi' } }],
      });
    });

    test('network policies come from the flow declarations: default deny, DNS, the team\'s own flows', () => {
      const { objs } = team();
      const ns = (n: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': n } } });
      expect(find(objs, 'NetworkPolicy', 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
      expect(find(objs, 'NetworkPolicy', 'team-search-internal-ingress').spec).toEqual({
        podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [ns('search')] }],
      });
      expect(find(objs, 'NetworkPolicy', 'team-search-internal-egress').spec).toEqual({
        podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [ns('search')] }],
      });
      expect(find(objs, 'NetworkPolicy', 'allow-dns').spec).toEqual({
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{
          to: [{ ...ns('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
        }],
      });
      expect(find(objs, 'NetworkPolicy', 'monitoring-to-team-search-ingress').spec).toEqual({
        podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [ns('monitoring')] }],
      });
      for (const o of objs.filter((x) => x.kind !== 'Namespace')) {
        expect((o.metadata as { namespace: string }).namespace).toBe('search');
      }
    });

    test('flows other components declare for every team reach the team namespace (no namespace list in the team)', () => {
      const definition = testDefinition();
      const flows = NetworkFlows.of(definition);
      flows.allow({ name: 'teams-to-litellm', from: FlowPeer.teams(), to: FlowPeer.inNamespace('litellm'), ports: [FlowPort.tcp(4000)], description: 'x' });
      const { objs } = team({}, definition);
      expect(find(objs, 'NetworkPolicy', 'teams-to-litellm-egress').spec).toEqual({
        podSelector: {}, policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'litellm' } } }], ports: [{ protocol: 'TCP', port: 4000 }] }],
      });
      expectValidK8sObjects(objs);
    });

    test('liteLlmTeam() without liteLlm options is just the name', () => {
      expect(team().team.liteLlmTeam()).toEqual({ name: 'search' });
    });

    test('no GPU quota by default', () => {
      expect(team().team.gpuQuota).toBeUndefined();
    });
  });

  describe('props', () => {
    test('quotas, container defaults, pod security and cost center', () => {
      const { team: t, objs } = team({
        gpuQuota: 8,
        cpuQuota: Cpu.cores(64),
        memoryQuota: Size.gibibytes(512),
        defaultContainerLimits: { cpu: Cpu.cores(2), memory: Size.gibibytes(4) },
        defaultContainerRequests: { cpu: Cpu.millis(500), memory: Size.mebibytes(512) },
        podSecurity: PodSecurityLevel.BASELINE,
        costCenter: 'CC-1234',
      });
      expectValidK8sObjects(objs);
      const labels = { 'agentic-eks.io/team': 'search', 'agentic-eks.io/cost-center': 'CC-1234' };
      expect(t.labels).toEqual(labels);
      expect([t.gpuQuota, t.cpuQuota?.toCores(), t.memoryQuota?.toGibibytes()]).toEqual([8, 64, 512]);
      expect(find(objs, 'Namespace', 'search').metadata.labels).toEqual({
        ...labels,
        'pod-security.kubernetes.io/enforce': 'baseline',
        'pod-security.kubernetes.io/enforce-version': 'v1.36',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/audit-version': 'v1.36',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/warn-version': 'v1.36',
      });
      const quota = find(objs, 'ResourceQuota', 'team-quota');
      expect(quota.metadata.labels).toEqual(labels);
      expect(quota.spec.hard).toEqual({
        'requests.nvidia.com/gpu': 8,
        'requests.cpu': '64',
        'limits.cpu': '64',
        'requests.memory': '512Gi',
        'limits.memory': '512Gi',
      });
      expect(find(objs, 'LimitRange', 'container-defaults').spec.limits[0]).toEqual({
        type: 'Container', default: { cpu: '2', memory: '4Gi' }, defaultRequest: { cpu: '500m', memory: '512Mi' },
      });
      expect(find(objs, 'NetworkPolicy', 'default-deny').metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'agentic-eks' });
    });

    test('a zero GPU quota forbids GPUs; fractional CPU quotas become millicores', () => {
      const { objs } = team({ gpuQuota: 0, cpuQuota: Cpu.cores(2.5) });
      expectValidK8sObjects(objs);
      expect(find(objs, 'ResourceQuota', 'team-quota').spec.hard).toEqual({
        'requests.nvidia.com/gpu': 0, 'requests.cpu': '2500m', 'limits.cpu': '2500m',
      });
    });

    test('privileged pod security', () => {
      const { objs } = team({ podSecurity: PodSecurityLevel.PRIVILEGED });
      expect(find(objs, 'Namespace', 'search').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    });

    test('liteLlmTeam() carries the budget and limits, as copies', () => {
      const models = ['qwen3-32b', 'claude'];
      const { team: t } = team({
        liteLlm: { maxBudgetUsd: 500, budgetDuration: Duration.days(30), rpmLimit: 600, tpmLimit: 200000, models },
      });
      const lt = t.liteLlmTeam();
      expect(lt).toEqual({ name: 'search', maxBudgetUsd: 500, budgetDuration: Duration.days(30), rpmLimit: 600, tpmLimit: 200000, models });
      models.push('other');
      lt.models!.push('x');
      expect(t.liteLlmTeam().models).toEqual(['qwen3-32b', 'claude']);
    });

    test('labels returns a copy', () => {
      const { team: t } = team();
      t.labels.extra = 'x';
      expect(t.labels).toEqual({ 'agentic-eks.io/team': 'search' });
    });

    test('two teams make two components', () => {
      const definition = testDefinition();
      const a = new Team(definition, 'A', { definition, name: 'a' });
      const b = new Team(definition, 'B', { definition, name: 'b' });
      expect(definition.components.map((c) => c.componentName)).toEqual(['namespaces', 'network-policies', 'team-a', 'team-b']);
      expectValidK8sObjects([...objects(a.component), ...objects(b.component)]);
    });
  });

  describe('errors', () => {
    test.each(['Search', 'search_team', '-search', 'a'.repeat(64), 'x.y'])('name %p', (name) => {
      expect(error({ name })).toThrow(
        `team name '${name}' must be a DNS label: lower-case letters, digits and '-', at most 63 characters`);
    });

    test('empty name', () => {
      expect(error({ name: '' })).toThrow("'name' must not be empty");
    });

    test.each(['default', 'kube-system'])('reserved name %p', (name) => {
      expect(error({ name })).toThrow(`team name '${name}' is a namespace of Kubernetes or of the platform: choose another name`);
    });

    test('a shared platform namespace', () => {
      const definition = testDefinition();
      definition.ensureNamespace('models');
      expect(() => new Team(definition, 'Models', { definition, name: 'models' })).toThrow(
        "team name 'models' is a namespace of Kubernetes or of the platform: choose another name");
    });

    test('gpuQuota', () => {
      expect(error({ gpuQuota: -1 })).toThrow("'gpuQuota' (-1) of team 'search' must be zero or more");
      expect(error({ gpuQuota: 1.5 })).toThrow("'gpuQuota' (1.5) of team 'search' must be a whole number of GPUs");
    });

    test('cpuQuota', () => {
      expect(() => error({ cpuQuota: Cpu.cores(-0.5) })).toThrow('Cpu.cores(-0.5) is not a CPU amount: it must be a finite number, zero or more');
    });

    test('memoryQuota', () => {
      expect(error({ memoryQuota: Size.gibibytes(Token.asNumber({ Ref: 'Memory' })) })).toThrow(
        "'memoryQuota' must be a literal size, not a token: sizes are written into Kubernetes manifests");
    });

    test('costCenter', () => {
      expect(error({ costCenter: 'cost center' })).toThrow(
        "'costCenter' (cost center) of team 'search' must be a label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
      expect(error({ costCenter: '' })).toThrow("'costCenter' must not be empty");
    });
  });
});
