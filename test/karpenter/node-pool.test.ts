import { Aws, Duration, Size } from 'aws-cdk-lib';
import { Chart, Testing } from 'cdk8s';
import {
  CapacityType, ConsolidationPolicy, Cpu, DisruptionReason, Ec2NodeClass, NodePool, NodePoolProps, RequirementOperator,
  TaintEffect,
} from '../../lib';
import { expectValidK8sObjects } from '../k8s-schema';
import { find, objects } from '../util';

const CLUSTER = 'test';
const NODE_ROLE = 'KarpenterNodeRole-test';

/** A NodePool with id 'general' in a fresh chart; `props` override the minimal valid props. */
function newPool(props: Partial<NodePoolProps> = {}, id = 'general'): { chart: Chart; pool: NodePool } {
  const chart = Testing.chart();
  const pool = new NodePool(chart, id, { clusterName: CLUSTER, nodeRoleName: NODE_ROLE, limits: { cpu: Cpu.cores(100) }, ...props });
  return { chart, pool };
}

/** The synthesized NodePool object named `name`. */
function nodePoolObject(chart: Chart, name = 'general'): Record<string, any> {
  return find(objects(chart), 'NodePool', name);
}

/** The rendered requirements of the NodePool named `name`. */
function requirementsOf(chart: Chart, name = 'general'): Array<Record<string, any>> {
  return nodePoolObject(chart, name).spec.template.spec.requirements;
}

/** The rendered requirement on `key`, if any. */
function requirementOn(chart: Chart, key: string): Record<string, any> | undefined {
  return requirementsOf(chart).find((r) => r.key === key);
}

describe('NodePool', () => {
  describe('defaults', () => {
    test('names the NodePool after the construct id', () => {
      // GIVEN / WHEN
      const { chart, pool } = newPool();

      // THEN
      expect(pool.name).toBe('general');
      expect(nodePoolObject(chart).metadata).toEqual({ name: 'general' });
    });

    test('emits a karpenter.sh/v1 NodePool', () => {
      // GIVEN / WHEN
      const { chart } = newPool();

      // THEN
      expect(nodePoolObject(chart).apiVersion).toBe('karpenter.sh/v1');
    });

    test('requires spot and on-demand capacity', () => {
      // GIVEN / WHEN
      const { chart, pool } = newPool();

      // THEN
      expect(requirementOn(chart, 'karpenter.sh/capacity-type')).toEqual({
        key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'],
      });
      expect(pool.capacityTypes).toEqual([CapacityType.SPOT, CapacityType.ON_DEMAND]);
    });

    test('requires amd64', () => {
      // GIVEN / WHEN
      const { chart } = newPool();

      // THEN
      expect(requirementOn(chart, 'kubernetes.io/arch')).toEqual({ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] });
    });

    test('requires linux', () => {
      // GIVEN / WHEN
      const { chart } = newPool();

      // THEN
      expect(requirementOn(chart, 'kubernetes.io/os')).toEqual({ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] });
    });

    test('requires instance categories c, m and r', () => {
      // GIVEN / WHEN
      const { chart } = newPool();

      // THEN
      expect(requirementOn(chart, 'karpenter.k8s.aws/instance-category')).toEqual({
        key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'],
      });
    });

    test('requires instance generation greater than 4', () => {
      // GIVEN / WHEN
      const { chart } = newPool();

      // THEN
      expect(requirementOn(chart, 'karpenter.k8s.aws/instance-generation')).toEqual({
        key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['4'],
      });
    });

    test('renders exactly the five default requirements, in order', () => {
      // GIVEN / WHEN
      const { chart } = newPool();

      // THEN
      expect(requirementsOf(chart).map((r) => r.key)).toEqual([
        'karpenter.sh/capacity-type',
        'kubernetes.io/arch',
        'kubernetes.io/os',
        'karpenter.k8s.aws/instance-category',
        'karpenter.k8s.aws/instance-generation',
      ]);
    });

    test('consolidates WhenEmptyOrUnderutilized after 1m with a 10% budget', () => {
      // GIVEN / WHEN
      const { chart } = newPool();

      // THEN
      expect(nodePoolObject(chart).spec.disruption).toEqual({
        consolidationPolicy: 'WhenEmptyOrUnderutilized',
        consolidateAfter: '1m',
        budgets: [{ nodes: '10%' }],
      });
    });

    test('expires nodes after 720h', () => {
      // GIVEN / WHEN
      const { chart } = newPool();

      // THEN
      expect(nodePoolObject(chart).spec.template.spec.expireAfter).toBe('720h');
    });

    test('refers to its own EC2NodeClass of the same name', () => {
      // GIVEN / WHEN
      const { chart } = newPool();

      // THEN
      expect(nodePoolObject(chart).spec.template.spec.nodeClassRef).toEqual({
        group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'general',
      });
      expect(find(objects(chart), 'EC2NodeClass', 'general').spec.role).toBe(NODE_ROLE);
    });

    test('its own EC2NodeClass discovers subnets by the cluster name', () => {
      // GIVEN / WHEN
      const { chart } = newPool();

      // THEN
      expect(find(objects(chart), 'EC2NodeClass', 'general').spec.subnetSelectorTerms).toEqual([
        { tags: { 'karpenter.sh/discovery': CLUSTER } },
      ]);
    });

    test('emits exactly one NodePool and one EC2NodeClass', () => {
      // GIVEN / WHEN
      const { chart } = newPool();

      // THEN
      expect(objects(chart).map((o) => o.kind).sort()).toEqual(['EC2NodeClass', 'NodePool']);
    });

    test('has no labels, taints or weight', () => {
      // GIVEN / WHEN
      const { chart } = newPool();

      // THEN
      const spec = nodePoolObject(chart).spec;
      expect(spec.template.metadata).toBeUndefined();
      expect(spec.template.spec.taints).toBeUndefined();
      expect(spec.weight).toBeUndefined();
    });

    test('uses the stable construct ids Resource and NodeClass', () => {
      // GIVEN / WHEN
      const { pool } = newPool();

      // THEN
      expect(pool.node.findChild('Resource')).toBe(pool.resource);
      expect(pool.node.findChild('NodeClass')).toBe(pool.nodeClass);
    });
  });

  describe('props', () => {
    test('name sets the NodePool and EC2NodeClass names', () => {
      // GIVEN / WHEN
      const { chart, pool } = newPool({ name: 'batch.pool' });

      // THEN
      expect(pool.name).toBe('batch.pool');
      expect(nodePoolObject(chart, 'batch.pool').spec.template.spec.nodeClassRef.name).toBe('batch.pool');
      expect(find(objects(chart), 'EC2NodeClass', 'batch.pool')).toBeDefined();
    });

    test('capacityTypes [ON_DEMAND] requires on-demand only', () => {
      // GIVEN / WHEN
      const { chart } = newPool({ capacityTypes: [CapacityType.ON_DEMAND] });

      // THEN
      expect(requirementOn(chart, 'karpenter.sh/capacity-type')?.values).toEqual(['on-demand']);
    });

    test('capacityTypes may include reserved', () => {
      // GIVEN / WHEN
      const { chart, pool } = newPool({ capacityTypes: [CapacityType.RESERVED, CapacityType.ON_DEMAND] });

      // THEN
      expect(requirementOn(chart, 'karpenter.sh/capacity-type')?.values).toEqual(['reserved', 'on-demand']);
      expect(pool.capacityTypes).toEqual([CapacityType.RESERVED, CapacityType.ON_DEMAND]);
    });

    test('instanceCategories replaces the default categories', () => {
      // GIVEN / WHEN
      const { chart } = newPool({ instanceCategories: ['g', 'p'] });

      // THEN
      expect(requirementOn(chart, 'karpenter.k8s.aws/instance-category')?.values).toEqual(['g', 'p']);
    });

    test('instanceCategories [] removes the instance-category requirement', () => {
      // GIVEN / WHEN
      const { chart } = newPool({ instanceCategories: [] });

      // THEN
      expect(requirementOn(chart, 'karpenter.k8s.aws/instance-category')).toBeUndefined();
    });

    test('minInstanceGeneration n requires generation Gt n-1', () => {
      // GIVEN / WHEN
      const { chart } = newPool({ minInstanceGeneration: 7 });

      // THEN
      expect(requirementOn(chart, 'karpenter.k8s.aws/instance-generation')).toEqual({
        key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['6'],
      });
    });

    test('minInstanceGeneration 0 removes the instance-generation requirement', () => {
      // GIVEN / WHEN
      const { chart } = newPool({ minInstanceGeneration: 0 });

      // THEN
      expect(requirementOn(chart, 'karpenter.k8s.aws/instance-generation')).toBeUndefined();
    });

    test('architectures sets the arch requirement', () => {
      // GIVEN / WHEN
      const { chart } = newPool({ architectures: ['amd64', 'arm64'] });

      // THEN
      expect(requirementOn(chart, 'kubernetes.io/arch')?.values).toEqual(['amd64', 'arm64']);
    });

    test('requirements are appended after the defaults', () => {
      // GIVEN / WHEN
      const { chart } = newPool({
        requirements: [{ key: 'karpenter.k8s.aws/instance-family', operator: RequirementOperator.IN, values: ['m7i', 'c7i', 'r7i'], minValues: 2 }],
      });

      // THEN
      const requirements = requirementsOf(chart);
      expect(requirements).toHaveLength(6);
      expect(requirements[5]).toEqual({
        key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['m7i', 'c7i', 'r7i'], minValues: 2,
      });
    });

    test('a requirement without values renders no values field', () => {
      // GIVEN / WHEN
      const { chart } = newPool({
        requirements: [{ key: 'karpenter.k8s.aws/instance-gpu-count', operator: RequirementOperator.DOES_NOT_EXIST }],
      });

      // THEN
      expect(requirementOn(chart, 'karpenter.k8s.aws/instance-gpu-count')).toEqual({
        key: 'karpenter.k8s.aws/instance-gpu-count', operator: 'DoesNotExist',
      });
    });

    test('a requirement on a default key replaces the default requirement', () => {
      // GIVEN / WHEN
      const { chart } = newPool({
        requirements: [{ key: 'kubernetes.io/arch', operator: RequirementOperator.IN, values: ['arm64'] }],
      });

      // THEN
      const arch = requirementsOf(chart).filter((r) => r.key === 'kubernetes.io/arch');
      expect(arch).toEqual([{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }]);
    });

    test('a later requirement on the same key replaces an earlier one', () => {
      // GIVEN / WHEN
      const { chart } = newPool({
        requirements: [
          { key: 'karpenter.k8s.aws/instance-family', operator: RequirementOperator.IN, values: ['m7i'] },
          { key: 'karpenter.k8s.aws/instance-family', operator: RequirementOperator.NOT_IN, values: ['t3'] },
        ],
      });

      // THEN
      const family = requirementsOf(chart).filter((r) => r.key === 'karpenter.k8s.aws/instance-family');
      expect(family).toEqual([{ key: 'karpenter.k8s.aws/instance-family', operator: 'NotIn', values: ['t3'] }]);
    });

    test('labels go to the node template metadata', () => {
      // GIVEN / WHEN
      const { chart } = newPool({ labels: { 'team': 'ml', 'example.com/tier': 'batch' } });

      // THEN
      expect(nodePoolObject(chart).spec.template.metadata).toEqual({ labels: { 'team': 'ml', 'example.com/tier': 'batch' } });
    });

    test('taints go to the node template spec', () => {
      // GIVEN / WHEN
      const { chart } = newPool({
        taints: [
          { key: 'nvidia.com/gpu', value: 'true', effect: TaintEffect.NO_SCHEDULE },
          { key: 'dedicated', effect: TaintEffect.PREFER_NO_SCHEDULE },
        ],
      });

      // THEN
      expect(nodePoolObject(chart).spec.template.spec.taints).toEqual([
        { key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' },
        { key: 'dedicated', effect: 'PreferNoSchedule' },
      ]);
    });

    test('disruption.consolidationPolicy WHEN_EMPTY', () => {
      // GIVEN / WHEN
      const { chart } = newPool({ disruption: { consolidationPolicy: ConsolidationPolicy.WHEN_EMPTY } });

      // THEN
      expect(nodePoolObject(chart).spec.disruption.consolidationPolicy).toBe('WhenEmpty');
    });

    test('disruption.consolidateAfter renders as a Go duration', () => {
      // GIVEN / WHEN
      const { chart } = newPool({ disruption: { consolidateAfter: Duration.seconds(30) } });

      // THEN
      expect(nodePoolObject(chart).spec.disruption.consolidateAfter).toBe('30s');
    });

    test('disruption.budgets replace the default 10% budget', () => {
      // GIVEN / WHEN
      const { chart } = newPool({ disruption: { budgets: [{ nodes: '2' }] } });

      // THEN
      expect(nodePoolObject(chart).spec.disruption.budgets).toEqual([{ nodes: '2' }]);
    });

    test('a budget with schedule and duration renders the duration as a Go duration', () => {
      // GIVEN / WHEN
      const { chart } = newPool({
        disruption: { budgets: [{ nodes: '0', schedule: '0 9 * * mon-fri', duration: Duration.hours(8) }] },
      });

      // THEN
      expect(nodePoolObject(chart).spec.disruption.budgets).toEqual([{ nodes: '0', schedule: '0 9 * * mon-fri', duration: '8h' }]);
    });

    test('a budget duration of whole minutes renders in minutes', () => {
      // GIVEN / WHEN
      const { chart } = newPool({
        disruption: { budgets: [{ nodes: '1', schedule: '@daily', duration: Duration.minutes(90) }] },
      });

      // THEN
      expect(nodePoolObject(chart).spec.disruption.budgets[0].duration).toBe('90m');
    });

    test('budget reasons render as Karpenter reason names', () => {
      // GIVEN / WHEN
      const { chart } = newPool({
        disruption: { budgets: [{ nodes: '5%', reasons: [DisruptionReason.UNDERUTILIZED, DisruptionReason.DRIFTED] }] },
      });

      // THEN
      expect(nodePoolObject(chart).spec.disruption.budgets).toEqual([{ nodes: '5%', reasons: ['Underutilized', 'Drifted'] }]);
    });

    test('weight sets spec.weight', () => {
      // GIVEN / WHEN
      const { chart } = newPool({ weight: 10 });

      // THEN
      expect(nodePoolObject(chart).spec.weight).toBe(10);
    });

    test.each([1, 100])('weight %p is accepted', (weight) => {
      // GIVEN / WHEN
      const { chart } = newPool({ weight });

      // THEN
      expect(nodePoolObject(chart).spec.weight).toBe(weight);
    });

    test('expireAfter renders as a Go duration in hours', () => {
      // GIVEN / WHEN
      const { chart } = newPool({ expireAfter: Duration.days(7) });

      // THEN
      expect(nodePoolObject(chart).spec.template.spec.expireAfter).toBe('168h');
    });

    test('expireAfter of whole minutes renders in minutes', () => {
      // GIVEN / WHEN
      const { chart } = newPool({ expireAfter: Duration.minutes(90) });

      // THEN
      expect(nodePoolObject(chart).spec.template.spec.expireAfter).toBe('90m');
    });

    test('a shared nodeClass is referenced and not duplicated', () => {
      // GIVEN
      const chart = Testing.chart();
      const shared = new Ec2NodeClass(chart, 'shared', { clusterName: CLUSTER, nodeRoleName: NODE_ROLE });

      // WHEN
      const a = new NodePool(chart, 'a', { clusterName: CLUSTER, nodeRoleName: NODE_ROLE, limits: { cpu: Cpu.cores(10) }, nodeClass: shared });
      const b = new NodePool(chart, 'b', { clusterName: CLUSTER, nodeRoleName: NODE_ROLE, limits: { cpu: Cpu.cores(10) }, nodeClass: shared });

      // THEN
      expect(a.nodeClass).toBe(shared);
      expect(b.nodeClass).toBe(shared);
      expect(nodePoolObject(chart, 'a').spec.template.spec.nodeClassRef.name).toBe('shared');
      expect(nodePoolObject(chart, 'b').spec.template.spec.nodeClassRef.name).toBe('shared');
      expect(objects(chart).filter((o) => o.kind === 'EC2NodeClass')).toHaveLength(1);
    });

    test('nodeClassOptions configure the pool\'s own EC2NodeClass', () => {
      // GIVEN / WHEN
      const { chart, pool } = newPool({ nodeClassOptions: { amiAlias: 'bottlerocket@v1.55.0', rootVolumeSize: Size.gibibytes(200) } });

      // THEN
      const nodeClass = find(objects(chart), 'EC2NodeClass', 'general');
      expect(pool.nodeClass.amiAlias).toBe('bottlerocket@v1.55.0');
      expect(nodeClass.spec.amiSelectorTerms).toEqual([{ alias: 'bottlerocket@v1.55.0' }]);
      expect(nodeClass.spec.blockDeviceMappings[1].ebs.volumeSize).toBe('200Gi');
    });

    test('nodeClassOptions.name names the own EC2NodeClass and the reference', () => {
      // GIVEN / WHEN
      const { chart } = newPool({ nodeClassOptions: { name: 'general-class' } });

      // THEN
      expect(nodePoolObject(chart).spec.template.spec.nodeClassRef.name).toBe('general-class');
      expect(find(objects(chart), 'EC2NodeClass', 'general-class')).toBeDefined();
    });

    test('nodeClassOptions are ignored when nodeClass is given', () => {
      // GIVEN
      const chart = Testing.chart();
      const shared = new Ec2NodeClass(chart, 'shared', { clusterName: CLUSTER, nodeRoleName: NODE_ROLE });

      // WHEN
      new NodePool(chart, 'general', {
        clusterName: CLUSTER, nodeRoleName: NODE_ROLE, limits: { cpu: Cpu.cores(10) }, nodeClass: shared, nodeClassOptions: { name: 'ignored' },
      });

      // THEN
      expect(objects(chart).filter((o) => o.kind === 'EC2NodeClass').map((o) => (o.metadata as { name: string }).name)).toEqual(['shared']);
      expect(nodePoolObject(chart).spec.template.spec.nodeClassRef.name).toBe('shared');
    });
  });

  describe('limits', () => {
    test('renders only the limits that are set', () => {
      // GIVEN / WHEN
      const { chart } = newPool({ limits: { cpu: Cpu.cores(100) } });

      // THEN
      expect(nodePoolObject(chart).spec.limits).toEqual({ cpu: '100' });
    });

    test('renders memory in whole GiB as Gi', () => {
      // GIVEN / WHEN
      const { chart } = newPool({ limits: { memory: Size.gibibytes(512) } });

      // THEN
      expect(nodePoolObject(chart).spec.limits).toEqual({ memory: '512Gi' });
    });

    test('renders memory that is not whole GiB as Mi', () => {
      // GIVEN / WHEN
      const { chart } = newPool({ limits: { memory: Size.mebibytes(1536) } });

      // THEN
      expect(nodePoolObject(chart).spec.limits).toEqual({ memory: '1536Mi' });
    });

    test('renders nvidiaGpus as nvidia.com/gpu', () => {
      // GIVEN / WHEN
      const { chart } = newPool({ limits: { nvidiaGpus: 16 } });

      // THEN
      expect(nodePoolObject(chart).spec.limits).toEqual({ 'nvidia.com/gpu': '16' });
    });

    test('renders cpu, memory and GPUs together', () => {
      // GIVEN / WHEN
      const { chart } = newPool({ limits: { cpu: Cpu.cores(1000), memory: Size.tebibytes(2), nvidiaGpus: 64 } });

      // THEN
      expect(nodePoolObject(chart).spec.limits).toEqual({ 'cpu': '1000', 'memory': '2048Gi', 'nvidia.com/gpu': '64' });
    });

    test('renders a fractional cpu limit', () => {
      // GIVEN / WHEN
      const { chart } = newPool({ limits: { cpu: Cpu.cores(0.5) } });

      // THEN
      expect(nodePoolObject(chart).spec.limits).toEqual({ cpu: '500m' });
    });
  });

  describe('late additions', () => {
    test('addRequirement after construction appears in the synthesized NodePool', () => {
      // GIVEN
      const { chart, pool } = newPool();

      // WHEN
      pool.addRequirement({ key: 'topology.kubernetes.io/zone', operator: RequirementOperator.IN, values: ['us-west-2a'] });

      // THEN
      expect(requirementOn(chart, 'topology.kubernetes.io/zone')).toEqual({
        key: 'topology.kubernetes.io/zone', operator: 'In', values: ['us-west-2a'],
      });
    });

    test('addRequirement after construction replaces a default requirement', () => {
      // GIVEN
      const { chart, pool } = newPool();

      // WHEN
      pool.addRequirement({ key: 'karpenter.sh/capacity-type', operator: RequirementOperator.IN, values: ['on-demand'] });

      // THEN
      expect(requirementsOf(chart).filter((r) => r.key === 'karpenter.sh/capacity-type')).toEqual([
        { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
      ]);
    });

    test('addLabel after construction appears in the synthesized NodePool', () => {
      // GIVEN
      const { chart, pool } = newPool({ labels: { team: 'ml' } });

      // WHEN
      pool.addLabel('workload', 'inference');

      // THEN
      expect(nodePoolObject(chart).spec.template.metadata.labels).toEqual({ team: 'ml', workload: 'inference' });
    });

    test('addTaint after construction appears in the synthesized NodePool', () => {
      // GIVEN
      const { chart, pool } = newPool();

      // WHEN
      pool.addTaint({ key: 'nvidia.com/gpu', effect: TaintEffect.NO_SCHEDULE });

      // THEN
      expect(nodePoolObject(chart).spec.template.spec.taints).toEqual([{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }]);
    });

    test('addTaint with a key and effect already present adds nothing', () => {
      // GIVEN
      const { chart, pool } = newPool({ taints: [{ key: 'dedicated', value: 'ml', effect: TaintEffect.NO_SCHEDULE }] });

      // WHEN
      pool.addTaint({ key: 'dedicated', value: 'ml', effect: TaintEffect.NO_SCHEDULE });

      // THEN
      expect(nodePoolObject(chart).spec.template.spec.taints).toEqual([{ key: 'dedicated', value: 'ml', effect: 'NoSchedule' }]);
    });

    test('addTaint with the same key and another effect adds a second taint', () => {
      // GIVEN
      const { chart, pool } = newPool({ taints: [{ key: 'dedicated', effect: TaintEffect.NO_SCHEDULE }] });

      // WHEN
      pool.addTaint({ key: 'dedicated', effect: TaintEffect.NO_EXECUTE });

      // THEN
      expect(nodePoolObject(chart).spec.template.spec.taints).toEqual([
        { key: 'dedicated', effect: 'NoSchedule' },
        { key: 'dedicated', effect: 'NoExecute' },
      ]);
    });
  });

  describe('getters', () => {
    test('nodeRequirements lists the recorded requirements', () => {
      // GIVEN / WHEN
      const { pool } = newPool({ capacityTypes: [CapacityType.ON_DEMAND] });

      // THEN
      expect(pool.nodeRequirements[0]).toEqual({
        key: 'karpenter.sh/capacity-type', operator: RequirementOperator.IN, values: ['on-demand'],
      });
    });

    test('nodeRequirements returns copies', () => {
      // GIVEN
      const { chart, pool } = newPool();

      // WHEN
      const requirements = pool.nodeRequirements;
      requirements[0].values?.push('reserved');
      requirements.pop();

      // THEN
      expect(pool.nodeRequirements).toHaveLength(5);
      expect(requirementOn(chart, 'karpenter.sh/capacity-type')?.values).toEqual(['spot', 'on-demand']);
    });

    test('addRequirement copies its argument', () => {
      // GIVEN
      const { chart, pool } = newPool();
      const values = ['us-west-2a'];

      // WHEN
      pool.addRequirement({ key: 'topology.kubernetes.io/zone', operator: RequirementOperator.IN, values });
      values.push('us-west-2b');

      // THEN
      expect(requirementOn(chart, 'topology.kubernetes.io/zone')?.values).toEqual(['us-west-2a']);
    });

    test('nodeLabels returns a copy', () => {
      // GIVEN
      const { chart, pool } = newPool({ labels: { team: 'ml' } });

      // WHEN
      const labels = pool.nodeLabels;
      labels.team = 'changed';
      labels.extra = 'x';

      // THEN
      expect(pool.nodeLabels).toEqual({ team: 'ml' });
      expect(nodePoolObject(chart).spec.template.metadata.labels).toEqual({ team: 'ml' });
    });

    test('nodeTaints returns copies', () => {
      // GIVEN
      const { chart, pool } = newPool({ taints: [{ key: 'dedicated', effect: TaintEffect.NO_SCHEDULE }] });

      // WHEN
      const taints = pool.nodeTaints;
      taints.push({ key: 'other', effect: TaintEffect.NO_EXECUTE });

      // THEN
      expect(pool.nodeTaints).toEqual([{ key: 'dedicated', effect: TaintEffect.NO_SCHEDULE }]);
      expect(nodePoolObject(chart).spec.template.spec.taints).toEqual([{ key: 'dedicated', effect: 'NoSchedule' }]);
    });
  });

  describe('validation', () => {
    test('rejects a pool without any limit', () => {
      // GIVEN
      const chart = Testing.chart();

      // WHEN / THEN
      expect(() => new NodePool(chart, 'general', { clusterName: CLUSTER, nodeRoleName: NODE_ROLE, limits: {} })).toThrow(
        "'limits' of NodePool 'general' must set at least one of cpu, memory or nvidiaGpus: a pool without limits can grow without bound",
      );
    });

    test('rejects a cpu limit of 0', () => {
      // GIVEN / WHEN / THEN
      expect(() => newPool({ limits: { cpu: Cpu.cores(0) } })).toThrow("'limits.cpu' (0) of NodePool 'general' must be greater than zero");
    });

    test('rejects a negative cpu limit', () => {
      // GIVEN / WHEN / THEN
      expect(() => newPool({ limits: { cpu: Cpu.cores(-1) } })).toThrow('Cpu.cores(-1) is not a CPU amount: it must be a finite number, zero or more');
    });

    test('rejects a memory limit of 0', () => {
      // GIVEN / WHEN / THEN
      expect(() => newPool({ limits: { memory: Size.gibibytes(0) } })).toThrow(
        "'limits.memory' (0) of NodePool 'general' must be greater than zero",
      );
    });

    test('rejects a GPU limit of 0', () => {
      // GIVEN / WHEN / THEN
      expect(() => newPool({ limits: { cpu: Cpu.cores(10), nvidiaGpus: 0 } })).toThrow(
        "'limits.nvidiaGpus' (0) of NodePool 'general' must be greater than zero",
      );
    });

    test.each([0, 101, 2.5])('rejects weight %p', (weight) => {
      // GIVEN / WHEN / THEN
      expect(() => newPool({ weight })).toThrow(`'weight' (${weight}) of NodePool 'general' must be an integer from 1 to 100`);
    });

    test('rejects a budget with a schedule but no duration', () => {
      // GIVEN / WHEN / THEN
      expect(() => newPool({ disruption: { budgets: [{ nodes: '0', schedule: '0 9 * * mon-fri' }] } })).toThrow(
        "disruption budget of NodePool 'general' needs both 'schedule' and 'duration', or neither (got schedule 0 9 * * mon-fri)",
      );
    });

    test('rejects a budget with a duration but no schedule', () => {
      // GIVEN / WHEN / THEN
      expect(() => newPool({ disruption: { budgets: [{ nodes: '0', duration: Duration.hours(8) }] } })).toThrow(
        "disruption budget of NodePool 'general' needs both 'schedule' and 'duration', or neither (got schedule none)",
      );
    });

    test.each(['ten', '10 %', '-1', '1.5', ''])('rejects budget nodes %p', (nodes) => {
      // GIVEN / WHEN / THEN
      expect(() => newPool({ disruption: { budgets: [{ nodes }] } })).toThrow(
        `disruption budget 'nodes' (${nodes}) of NodePool 'general' must be a count such as '1' or a percentage from 0% to 100%`,
      );
    });

    test.each(['GPU_Pool', 'Upper', '-leading', 'trailing-'])('rejects name %p', (name) => {
      // GIVEN / WHEN / THEN
      expect(() => newPool({ name })).toThrow(
        `'name' (${name}) must be a DNS subdomain: 1-253 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit`,
      );
    });

    test('rejects an id that is not a valid name when no name is given', () => {
      // GIVEN / WHEN / THEN
      expect(() => newPool({}, 'General')).toThrow(
        "'name' (General) must be a DNS subdomain: 1-253 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit",
      );
    });

    test('rejects a token as name', () => {
      // GIVEN / WHEN / THEN
      expect(() => newPool({ name: Aws.STACK_NAME })).toThrow(
        "'name' must be a literal string, not a token: Kubernetes manifests of the GitOps rendering cannot carry CloudFormation tokens",
      );
    });

    test('rejects empty capacityTypes', () => {
      // GIVEN / WHEN / THEN
      expect(() => newPool({ capacityTypes: [] })).toThrow("'capacityTypes' of NodePool 'general' must name at least one capacity type");
    });

    test('reports an invalid nodeClassOptions value of its own EC2NodeClass', () => {
      // GIVEN / WHEN / THEN
      expect(() => newPool({ nodeClassOptions: { rootVolumeIops: 100 } })).toThrow(
        "'rootVolumeIops' (100) must be between 3000 and 16000 (gp3)",
      );
    });
  });

  test('every emitted object is valid against its upstream schema', () => {
    // GIVEN
    const chart = Testing.chart();
    const shared = new Ec2NodeClass(chart, 'shared', { clusterName: CLUSTER, nodeRoleName: NODE_ROLE, amiAlias: 'bottlerocket@v1.55.0' });
    new NodePool(chart, 'general', { clusterName: CLUSTER, nodeRoleName: NODE_ROLE, limits: { cpu: Cpu.cores(100), memory: Size.mebibytes(1536) } });
    const gpu = new NodePool(chart, 'gpu', {
      clusterName: CLUSTER,
      nodeRoleName: NODE_ROLE,
      nodeClass: shared,
      limits: { cpu: Cpu.cores(1000), memory: Size.gibibytes(4096), nvidiaGpus: 64 },
      capacityTypes: [CapacityType.RESERVED, CapacityType.ON_DEMAND],
      instanceCategories: ['g', 'p'],
      architectures: ['amd64', 'arm64'],
      requirements: [
        { key: 'karpenter.k8s.aws/instance-family', operator: RequirementOperator.IN, values: ['p5', 'p5e', 'g6e'], minValues: 2 },
        { key: 'karpenter.k8s.aws/instance-gpu-count', operator: RequirementOperator.EXISTS },
      ],
      labels: { 'example.com/accelerator': 'nvidia' },
      taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: TaintEffect.NO_SCHEDULE }],
      disruption: {
        consolidationPolicy: ConsolidationPolicy.WHEN_EMPTY,
        consolidateAfter: Duration.minutes(10),
        budgets: [
          { nodes: '0', schedule: '0 9 * * mon-fri', duration: Duration.hours(8), reasons: [DisruptionReason.UNDERUTILIZED] },
          { nodes: '1' },
        ],
      },
      expireAfter: Duration.days(14),
      weight: 50,
    });

    // WHEN
    gpu.addLabel('example.com/late', 'yes');
    gpu.addTaint({ key: 'dedicated', effect: TaintEffect.NO_EXECUTE });
    const objs = objects(chart);

    // THEN
    expect(objs).toHaveLength(4);
    expectValidK8sObjects(objs);
  });
});

describe('NodePool: inputs the Karpenter CRD would reject fail at synth', () => {
  test('a budget percentage above 100%', () => {
    expect(() => newPool({ disruption: { budgets: [{ nodes: '150%' }] } }))
      .toThrow("disruption budget 'nodes' (150%) of NodePool 'general' must be a count such as '1' or a percentage from 0% to 100%");
  });

  test('a budget duration that is not whole minutes', () => {
    expect(() => newPool({ disruption: { budgets: [{ nodes: '0', schedule: '@daily', duration: Duration.seconds(90) }] } }))
      .toThrow("disruption budget 'duration' (90 s) of NodePool 'general' must be a positive whole number of minutes");
  });

  test('a budget schedule that is not a cron expression', () => {
    expect(() => newPool({ disruption: { budgets: [{ nodes: '0', schedule: 'weekdays', duration: Duration.hours(1) }] } }))
      .toThrow("disruption budget 'schedule' (weekdays) of NodePool 'general' must be a 5-field cron expression or a macro such as @daily");
  });

  test('a later taint with the same key and effect replaces the earlier one', () => {
    const { chart, pool } = newPool({ taints: [{ key: 'team', value: 'a', effect: TaintEffect.NO_SCHEDULE }] });
    pool.addTaint({ key: 'team', value: 'b', effect: TaintEffect.NO_SCHEDULE });
    expect(nodePoolObject(chart).spec.template.spec.taints).toEqual([{ key: 'team', value: 'b', effect: 'NoSchedule' }]);
  });
});

describe('NodePool: budget schedules use the same cron parser as CronJobs', () => {
  test('five words that are not cron fields', () => {
    expect(() => newPool({ disruption: { budgets: [{ nodes: '0', schedule: 'every day at eight am', duration: Duration.hours(1) }] } }))
      .toThrow("disruption budget 'schedule' (every day at eight am) of NodePool 'general' must be a 5-field cron expression or a macro such as @daily");
  });

  test('a real weekday window passes', () => {
    expect(() => newPool({ disruption: { budgets: [{ nodes: '0', schedule: '0 8 * * mon-fri', duration: Duration.hours(10) }] } })).not.toThrow();
  });
});

describe('NodePool: CRD rules on requirements, labels, taints and durations are checked at the door', () => {
  const refused: [string, Partial<NodePoolProps> | ((pool: NodePool) => void), string][] = [
    ['a karpenter.sh requirement other than capacity-type',
      { requirements: [{ key: 'karpenter.sh/zone', operator: RequirementOperator.IN, values: ['a'] }] },
      "requirement key 'karpenter.sh/zone' of NodePool 'general' is restricted: the karpenter.sh domain is restricted (only karpenter.sh/capacity-type is allowed); use another key"],
    ['the karpenter.sh/nodepool label',
      { labels: { 'karpenter.sh/nodepool': 'x' } },
      "label key 'karpenter.sh/nodepool' of NodePool 'general' is restricted: Karpenter sets it to the pool's name itself; use another key"],
    ['a kubernetes.io/hostname requirement',
      { requirements: [{ key: 'kubernetes.io/hostname', operator: RequirementOperator.EXISTS }] },
      "requirement key 'kubernetes.io/hostname' of NodePool 'general' is restricted: every node has its own host name; use another key"],
    ['an unknown karpenter.k8s.aws label',
      { labels: { 'karpenter.k8s.aws/team': 'ml' } },
      "label key 'karpenter.k8s.aws/team' of NodePool 'general' is restricted: the karpenter.k8s.aws domain is restricted to the instance labels Karpenter defines; use another key"],
    ['a kubernetes.io label that is not well known',
      { labels: { 'kubernetes.io/role': 'gpu' } },
      "label key 'kubernetes.io/role' of NodePool 'general' is restricted: the kubernetes.io and k8s.io domains are restricted to well-known labels (karpenter.sh/capacity-type, kubernetes.io/arch, kubernetes.io/os, topology.kubernetes.io/zone, topology.kubernetes.io/region, node.kubernetes.io/instance-type, node.kubernetes.io/windows-build) and node.kubernetes.io/*; use another key"],
    ['a label key that is not a qualified name',
      { labels: { 'team name': 'ml' } },
      "label key 'team name' of NodePool 'general' must be a label key: an optional DNS-subdomain prefix and '/', then 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit"],
    ['a label value with a space',
      { labels: { team: 'machine learning' } },
      "label 'team' value 'machine learning' of NodePool 'general' must be a label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit"],
    ['In without values',
      { requirements: [{ key: 'example.com/team', operator: RequirementOperator.IN, values: [] }] },
      "requirement 'example.com/team' of NodePool 'general' has operator In and needs at least one value"],
    ['Exists with values',
      { requirements: [{ key: 'example.com/team', operator: RequirementOperator.EXISTS, values: ['a'] }] },
      "requirement 'example.com/team' of NodePool 'general' has operator Exists and takes no values (got a)"],
    ['Gt with two values',
      { requirements: [{ key: 'karpenter.k8s.aws/instance-cpu', operator: RequirementOperator.GT, values: ['4', '8'] }] },
      "requirement 'karpenter.k8s.aws/instance-cpu' of NodePool 'general' has operator Gt and needs exactly one value, a non-negative integer (got 4, 8)"],
    ['Lt with a non-integer',
      { requirements: [{ key: 'karpenter.k8s.aws/instance-cpu', operator: RequirementOperator.LT, values: ['8.5'] }] },
      "requirement 'karpenter.k8s.aws/instance-cpu' of NodePool 'general' has operator Lt and needs exactly one value, a non-negative integer (got 8.5)"],
    ['minValues with NotIn',
      { requirements: [{ key: 'karpenter.k8s.aws/instance-family', operator: RequirementOperator.NOT_IN, values: ['t3'], minValues: 2 }] },
      "'minValues' (2) of requirement 'karpenter.k8s.aws/instance-family' of NodePool 'general' needs operator In or Exists, not NotIn"],
    ['minValues above the number of values',
      { requirements: [{ key: 'karpenter.k8s.aws/instance-family', operator: RequirementOperator.IN, values: ['m7i', 'c7i'], minValues: 3 }] },
      "'minValues' (3) of requirement 'karpenter.k8s.aws/instance-family' of NodePool 'general' is more than its 2 value(s) (m7i, c7i): list at least 3 values or lower 'minValues'"],
    ['minValues above 50',
      { requirements: [{ key: 'karpenter.k8s.aws/instance-family', operator: RequirementOperator.EXISTS, minValues: 51 }] },
      "'minValues' (51) of requirement 'karpenter.k8s.aws/instance-family' of NodePool 'general' must be an integer from 1 to 50"],
    ['a taint effect that does not exist',
      { taints: [{ key: 'dedicated', effect: 'NoRun' as TaintEffect }] },
      "'effect' (NoRun) of taint 'dedicated' of NodePool 'general' must be one of NoSchedule, PreferNoSchedule, NoExecute"],
    ['a taint value with a space',
      { taints: [{ key: 'dedicated', value: 'ml team', effect: TaintEffect.NO_SCHEDULE }] },
      "taint value 'ml team' of taint 'dedicated' of NodePool 'general' must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit"],
    ['a taint key that is not a qualified name',
      { taints: [{ key: '-dedicated', effect: TaintEffect.NO_SCHEDULE }] },
      "taint key '-dedicated' of NodePool 'general' must be a qualified name: an optional DNS-subdomain prefix and '/', then 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit"],
    ['an expireAfter of part of a second',
      { expireAfter: Duration.millis(1500) },
      "'expireAfter' (1 second 500 millis) of NodePool 'general' must be a whole number of seconds, at least 1"],
    ['an expireAfter of zero',
      { expireAfter: Duration.seconds(0) },
      "'expireAfter' (0 seconds) of NodePool 'general' must be a whole number of seconds, at least 1"],
    ['a consolidateAfter of part of a second',
      { disruption: { consolidateAfter: Duration.millis(500) } },
      "'disruption.consolidateAfter' (500 millis) of NodePool 'general' must be a whole number of seconds"],
    ['more than 50 budgets',
      { disruption: { budgets: Array.from({ length: 51 }, () => ({ nodes: '1' })) } },
      "'disruption.budgets' of NodePool 'general' has 51 budgets; Karpenter allows at most 50"],
    ['a restricted label added after construction',
      (pool) => pool.addLabel('karpenter.sh/nodepool', 'other'),
      "label key 'karpenter.sh/nodepool' of NodePool 'general' is restricted: Karpenter sets it to the pool's name itself; use another key"],
    ['a bad requirement added after construction',
      (pool) => pool.addRequirement({ key: 'example.com/gen', operator: RequirementOperator.GT, values: [] }),
      "requirement 'example.com/gen' of NodePool 'general' has operator Gt and needs exactly one value, a non-negative integer (got none)"],
  ];

  test.each(refused)('refuses %s', (_name, input, message) => {
    if (typeof input === 'function') {
      const { pool } = newPool();
      expect(() => input(pool)).toThrow(message);
    } else {
      expect(() => newPool(input)).toThrow(message);
    }
  });

  test('accepts well-known and custom keys, In/Exists with minValues, Gt/Lt, taints and durations; the object passes the CRD', () => {
    // GIVEN / WHEN
    const { chart, pool } = newPool({
      requirements: [
        { key: 'karpenter.k8s.aws/instance-family', operator: RequirementOperator.IN, values: ['m7i', 'c7i', 'r7i'], minValues: 3 },
        { key: 'karpenter.k8s.aws/instance-size', operator: RequirementOperator.EXISTS, minValues: 2 },
        { key: 'karpenter.k8s.aws/instance-cpu', operator: RequirementOperator.LT, values: ['65'] },
        { key: 'topology.kubernetes.io/zone', operator: RequirementOperator.NOT_IN, values: ['us-west-2d'] },
        { key: 'node.kubernetes.io/instance-type', operator: RequirementOperator.NOT_IN, values: ['m7i.metal-48xl'] },
        { key: 'example.com/team', operator: RequirementOperator.EXISTS },
      ],
      labels: { 'example.com/tier': 'batch', 'node.kubernetes.io/lifecycle': 'karpenter', 'team': 'ml' },
      taints: [{ key: 'example.com/dedicated', value: 'ml', effect: TaintEffect.NO_EXECUTE }],
      expireAfter: Duration.hours(36),
      disruption: { consolidateAfter: Duration.seconds(0), budgets: [{ nodes: '2' }] },
    });
    pool.addLabel('topology.kubernetes.io/zone', 'us-west-2a');

    // THEN
    expectValidK8sObjects(objects(chart));
    expect(nodePoolObject(chart).spec.template.spec.expireAfter).toBe('36h');
  });
});
