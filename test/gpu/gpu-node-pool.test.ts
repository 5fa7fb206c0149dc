import { Duration, Size } from 'aws-cdk-lib';
import { Testing } from 'cdk8s';
import {
  DevicePluginProvider,
  AL2023_AMI_ALIAS, BOTTLEROCKET_AMI_ALIAS, CapacityReservationSelector, CapacityType, ConsolidationPolicy, Cpu, CpuArchitecture,
  DeviceManagement, DisruptionReason, GpuAmiFamily, GpuModel, GpuNodePool, GpuNodePoolOptions, KubernetesComponent, MigLayout,
  PlatformDefinition, PlatformStack, PlatformStackProps, Stage, TaintEffect,
} from '../../lib';
import { expectValidK8sObjects } from '../k8s-schema';
import { find, objects, REGION, testPlatform } from '../util';

const NODE_ROLE = 'KarpenterNodeRole-test';
const RESERVATION_ID = 'cr-0123456789abcdef0';
const ACCOUNT = '123456789012';
const MODEL_LIST = 'A10G, L4, L40S, A100_40GB, A100_80GB, H100, H200, B200, B300, RTX_PRO_4500, RTX_PRO_6000';
const FAMILY_LIST = 'g5, g6, g6e, g7, g7e, gr6, p4d, p4de, p5, p5e, p5en, p6-b200, p6-b300';
const DRA_WARNING = "GPU NodePool 'dra' uses DRA without 'replicas': Karpenter 1.14 ignores DRA claims when it picks instances, "
  + 'so pods must select the pool with nodeSelector agentic-eks.io/gpu-pool=dra [ack: agentic-eks:draDynamicPool]';

/** A test platform with one GPU pool added through `platform.gpu.addNodePool(id, options)`. */
function addPool(
  options: GpuNodePoolOptions, id = 'gpu', platformProps: Partial<PlatformStackProps> = {},
): { platform: PlatformStack; pool: GpuNodePool } {
  const platform = testPlatform(platformProps);
  const pool = platform.gpu.addNodePool(id, options);
  return { platform, pool };
}

/** The synthesized NodePool named `name`. */
function nodePoolOf(platform: PlatformStack, name = 'gpu'): Record<string, any> {
  return find(objects(platform.karpenter.nodePools), 'NodePool', name);
}

/** The spec of the synthesized EC2NodeClass named `name`. */
function nodeClassSpecOf(platform: PlatformStack, name = 'gpu'): Record<string, any> {
  return find(objects(platform.karpenter.nodePools), 'EC2NodeClass', name).spec;
}

/** The rendered requirement on `key` of the NodePool named `name`, if any. */
function requirementOn(platform: PlatformStack, key: string, name = 'gpu'): Record<string, any> | undefined {
  return nodePoolOf(platform, name).spec.template.spec.requirements.find((r: { key: string }) => r.key === key);
}

/** The rendered node labels of the NodePool named `name`. */
function labelsOf(platform: PlatformStack, name = 'gpu'): Record<string, string> {
  return nodePoolOf(platform, name).spec.template.metadata.labels;
}

/** The warnings recorded on a construct's node (Annotations.of(...).addWarningV2 on a cdk8s construct). */
function warningsOf(pool: GpuNodePool): unknown[] {
  return pool.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => m.data);
}

const L40S_POOL: GpuNodePoolOptions = { gpus: [GpuModel.L40S], limits: { gpus: 16 } };
const P5_POOL: GpuNodePoolOptions = { instanceTypes: ['p5.48xlarge'], limits: { gpus: 16 } };

describe('GpuNodePool', () => {
  describe('selection', () => {
    test('gpus [L40S] requires instance family g6e', () => {
      // GIVEN / WHEN
      const { platform } = addPool(L40S_POOL);

      // THEN
      expect(requirementOn(platform, 'karpenter.k8s.aws/instance-family')).toEqual({
        key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['g6e'],
      });
    });

    test('gpus [L40S] requires GPU name l40s', () => {
      // GIVEN / WHEN
      const { platform } = addPool(L40S_POOL);

      // THEN
      expect(requirementOn(platform, 'karpenter.k8s.aws/instance-gpu-name')).toEqual({
        key: 'karpenter.k8s.aws/instance-gpu-name', operator: 'In', values: ['l40s'],
      });
    });

    test('requires NVIDIA as the GPU manufacturer', () => {
      // GIVEN / WHEN
      const { platform } = addPool(L40S_POOL);

      // THEN
      expect(requirementOn(platform, 'karpenter.k8s.aws/instance-gpu-manufacturer')).toEqual({
        key: 'karpenter.k8s.aws/instance-gpu-manufacturer', operator: 'In', values: ['nvidia'],
      });
    });

    test('selection by model does not pin instance types', () => {
      // GIVEN / WHEN
      const { platform } = addPool(L40S_POOL);

      // THEN
      expect(requirementOn(platform, 'node.kubernetes.io/instance-type')).toBeUndefined();
    });

    test('renders no CPU instance-category or instance-generation requirement', () => {
      // GIVEN / WHEN
      const { platform } = addPool(L40S_POOL);

      // THEN
      expect(nodePoolOf(platform).spec.template.spec.requirements.map((r: { key: string }) => r.key)).toEqual([
        'karpenter.sh/capacity-type',
        'kubernetes.io/arch',
        'kubernetes.io/os',
        'karpenter.k8s.aws/instance-family',
        'karpenter.k8s.aws/instance-gpu-name',
        'karpenter.k8s.aws/instance-gpu-manufacturer',
      ]);
    });

    test('requires the CPU architecture of the candidates', () => {
      // GIVEN / WHEN
      const { platform } = addPool(L40S_POOL);

      // THEN
      expect(requirementOn(platform, 'kubernetes.io/arch')).toEqual({ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] });
    });

    test('gpus [H200] without a reservation requires p5en only: p5e is sold only as Capacity Blocks', () => {
      // GIVEN / WHEN
      const { platform, pool } = addPool({ gpus: [GpuModel.H200], limits: { gpus: 16 } });

      // THEN
      expect(requirementOn(platform, 'karpenter.k8s.aws/instance-family')!.values).toEqual(['p5en']);
      expect(requirementOn(platform, 'karpenter.k8s.aws/instance-gpu-name')!.values).toEqual(['h200']);
      expect(pool.candidates.map((c) => c.name)).toEqual(['p5en.48xlarge']);
    });

    test('gpus [H200] with a capacity reservation requires both H200 families, the Capacity Block type first', () => {
      // GIVEN / WHEN
      const { platform, pool } = addPool({
        gpus: [GpuModel.H200], limits: { gpus: 16 }, capacityReservations: [CapacityReservationSelector.byId(RESERVATION_ID)],
      });

      // THEN
      expect(requirementOn(platform, 'karpenter.k8s.aws/instance-family')!.values).toEqual(['p5e', 'p5en']);
      expect(pool.candidates.map((c) => c.name)).toEqual(['p5e.48xlarge', 'p5en.48xlarge']);
    });

    test('a pool of p5e.48xlarge alone needs a capacity reservation', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN / THEN
      expect(() => platform.gpu.addNodePool('h200', { instanceTypes: ['p5e.48xlarge'], limits: { gpus: 16 } })).toThrow(
        "GPU NodePool 'h200' selects only p5e.48xlarge, which EC2 sells only as Capacity Blocks (no on-demand price): "
        + "set 'capacityReservations' to the Capacity Block's reservation");
    });

    test('spot does not make p5e.48xlarge a candidate: it launches only into a reservation', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN / THEN
      expect(() => platform.gpu.addNodePool('h200', {
        instanceTypes: ['p5e.48xlarge'], limits: { gpus: 16 }, capacityTypes: [CapacityType.SPOT, CapacityType.ON_DEMAND],
      })).toThrow("GPU NodePool 'h200' selects only p5e.48xlarge, which EC2 sells only as Capacity Blocks");
    });

    test('both A100 variants require the one Karpenter GPU name a100', () => {
      // GIVEN / WHEN
      const { platform } = addPool({ gpus: [GpuModel.A100_40GB, GpuModel.A100_80GB], limits: { gpus: 16 } });

      // THEN
      expect(requirementOn(platform, 'karpenter.k8s.aws/instance-family')!.values).toEqual(['p4d', 'p4de']);
      expect(requirementOn(platform, 'karpenter.k8s.aws/instance-gpu-name')!.values).toEqual(['a100']);
    });

    test('a model found by name selects like the constant', () => {
      // GIVEN / WHEN
      const { platform } = addPool({ gpus: [GpuModel.fromName('l40s')], limits: { gpus: 16 } });

      // THEN
      expect(requirementOn(platform, 'karpenter.k8s.aws/instance-family')!.values).toEqual(['g6e']);
    });

    test('families [g6] requires that family and its GPU', () => {
      // GIVEN / WHEN
      const { platform } = addPool({ families: ['g6'], limits: { gpus: 16 } });

      // THEN
      expect(requirementOn(platform, 'karpenter.k8s.aws/instance-family')!.values).toEqual(['g6']);
      expect(requirementOn(platform, 'karpenter.k8s.aws/instance-gpu-name')!.values).toEqual(['l4']);
    });

    test('instanceTypes requires node.kubernetes.io/instance-type', () => {
      // GIVEN / WHEN
      const { platform } = addPool(P5_POOL);

      // THEN
      expect(requirementOn(platform, 'node.kubernetes.io/instance-type')).toEqual({
        key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['p5.48xlarge'],
      });
      expect(requirementOn(platform, 'karpenter.k8s.aws/instance-family')).toBeUndefined();
      expect(requirementOn(platform, 'karpenter.k8s.aws/instance-gpu-name')!.values).toEqual(['h100']);
    });

    test('several instanceTypes are listed sorted by name', () => {
      // GIVEN / WHEN
      const { platform } = addPool({ instanceTypes: ['g6e.48xlarge', 'g6e.12xlarge', 'g6.48xlarge'], limits: { gpus: 16 } });

      // THEN
      expect(requirementOn(platform, 'node.kubernetes.io/instance-type')!.values).toEqual(['g6.48xlarge', 'g6e.12xlarge', 'g6e.48xlarge']);
      expect(requirementOn(platform, 'karpenter.k8s.aws/instance-gpu-name')!.values).toEqual(['l4', 'l40s']);
    });

    test('minGpuMemory and minGpusPerNode require the list of matching instance types', () => {
      // GIVEN / WHEN
      const { platform } = addPool({ minGpuMemory: Size.gibibytes(80), minGpusPerNode: 8, limits: { gpus: 16 } });

      // THEN
      expect(requirementOn(platform, 'node.kubernetes.io/instance-type')).toEqual({
        key: 'node.kubernetes.io/instance-type',
        operator: 'In',
        values: ['g7e.48xlarge', 'p4de.24xlarge', 'p5.48xlarge', 'p5en.48xlarge', 'p6-b200.48xlarge', 'p6-b300.48xlarge'],
      });
      expect(requirementOn(platform, 'karpenter.k8s.aws/instance-family')).toBeUndefined();
    });

    test('minGpuMemory alone requires the list of instance types with that much memory per GPU', () => {
      // GIVEN / WHEN
      const { platform } = addPool({ minGpuMemory: Size.gibibytes(140), limits: { gpus: 16 } });

      // THEN
      expect(requirementOn(platform, 'node.kubernetes.io/instance-type')!.values).toEqual(
        ['p5en.48xlarge', 'p6-b200.48xlarge', 'p6-b300.48xlarge']);
      expect(requirementOn(platform, 'karpenter.k8s.aws/instance-gpu-name')!.values).toEqual(['b200', 'b300', 'h200']);
    });

    test('minGpusPerNode with a model requires the sizes with that many GPUs', () => {
      // GIVEN / WHEN
      const { platform } = addPool({ gpus: [GpuModel.L40S], minGpusPerNode: 4, limits: { gpus: 16 } });

      // THEN
      expect(requirementOn(platform, 'node.kubernetes.io/instance-type')!.values).toEqual(['g6e.12xlarge', 'g6e.24xlarge', 'g6e.48xlarge']);
    });

    test('candidates are the selected catalog types, cheapest first', () => {
      // GIVEN / WHEN
      const { pool } = addPool(L40S_POOL);

      // THEN
      expect(pool.candidates.map((c) => c.name)).toEqual([
        'g6e.xlarge', 'g6e.2xlarge', 'g6e.4xlarge', 'g6e.8xlarge', 'g6e.16xlarge', 'g6e.12xlarge', 'g6e.24xlarge', 'g6e.48xlarge',
      ]);
    });
  });

  describe('taints', () => {
    test('taints every node nvidia.com/gpu=true:NoSchedule', () => {
      // GIVEN / WHEN
      const { platform } = addPool(L40S_POOL);

      // THEN
      expect(nodePoolOf(platform).spec.template.spec.taints).toEqual([{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }]);
    });

    test('extra taints come after the GPU taint', () => {
      // GIVEN / WHEN
      const { platform } = addPool({ ...L40S_POOL, taints: [{ key: 'team', value: 'ml', effect: TaintEffect.NO_EXECUTE }] });

      // THEN
      expect(nodePoolOf(platform).spec.template.spec.taints).toEqual([
        { key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' },
        { key: 'team', value: 'ml', effect: 'NoExecute' },
      ]);
    });
  });

  describe('limits', () => {
    test('limits.gpus renders nvidia.com/gpu', () => {
      // GIVEN / WHEN
      const { platform } = addPool(L40S_POOL);

      // THEN
      expect(nodePoolOf(platform).spec.limits).toEqual({ 'nvidia.com/gpu': '16' });
    });

    test('cpu and memory limits render next to the GPU limit', () => {
      // GIVEN / WHEN
      const { platform } = addPool({ ...L40S_POOL, limits: { gpus: 16, cpu: Cpu.cores(512), memory: Size.gibibytes(4096) } });

      // THEN
      expect(nodePoolOf(platform).spec.limits).toEqual({ 'cpu': '512', 'memory': '4096Gi', 'nvidia.com/gpu': '16' });
    });

    test('gpuLimits keeps the limits as given, as a copy', () => {
      // GIVEN
      const limits = { gpus: 16, cpu: Cpu.cores(512) };

      // WHEN
      const { pool } = addPool({ ...L40S_POOL, limits });

      // THEN
      expect(pool.gpuLimits).toEqual({ gpus: 16, cpu: Cpu.cores(512) });
      expect(pool.gpuLimits).not.toBe(limits);
      expect(pool.limits).toEqual({ nvidiaGpus: 16, cpu: Cpu.cores(512), memory: undefined });
    });
  });

  describe('labels', () => {
    test('a device-plugin pool carries exactly the pool and device-management labels', () => {
      // GIVEN / WHEN
      const { platform } = addPool(L40S_POOL);

      // THEN
      expect(labelsOf(platform)).toEqual({
        'agentic-eks.io/gpu-pool': 'gpu',
        'agentic-eks.io/gpu-device-management': 'device-plugin',
      });
    });

    test('agentic-eks.io/gpu-pool carries the pool name', () => {
      // GIVEN / WHEN
      const { platform, pool } = addPool({ ...L40S_POOL, name: 'inference' });

      // THEN
      expect(pool.name).toBe('inference');
      expect(labelsOf(platform, 'inference')['agentic-eks.io/gpu-pool']).toBe('inference');
    });

    test('an EFA pool carries agentic-eks.io/efa=true', () => {
      // GIVEN / WHEN
      const { platform } = addPool({ ...P5_POOL, efa: true });

      // THEN
      expect(labelsOf(platform)['agentic-eks.io/efa']).toBe('true');
    });

    test('a pool without EFA has no EFA label', () => {
      // GIVEN / WHEN
      const { platform } = addPool(P5_POOL);

      // THEN
      expect(labelsOf(platform)['agentic-eks.io/efa']).toBeUndefined();
    });

    test('timeSlicingConfig sets nvidia.com/device-plugin.config', () => {
      // GIVEN / WHEN
      const { platform, pool } = addPool({ ...L40S_POOL, timeSlicingConfig: 'shared-4' }, 'gpu', { gpu: { timeSlicing: { 'shared-4': 4 } } });

      // THEN
      expect(labelsOf(platform)['nvidia.com/device-plugin.config']).toBe('shared-4');
      expect(pool.timeSlicingConfig).toBe('shared-4');
    });

    test('migLayout sets nvidia.com/mig.config and resolves the instances per GPU', () => {
      // GIVEN / WHEN
      const { platform, pool } = addPool({ ...P5_POOL, migLayout: MigLayout.uniform('1g.10gb') });

      // THEN
      expect(labelsOf(platform)['nvidia.com/mig.config']).toBe('all-1g.10gb');
      expect(pool.migLayout?.name).toBe('all-1g.10gb');
      expect(pool.migDevices).toEqual({ '1g.10gb': 7 });
    });

    test('no sharing labels without timeSlicingConfig or migConfig', () => {
      // GIVEN / WHEN
      const { platform, pool } = addPool(L40S_POOL);

      // THEN
      expect(labelsOf(platform)['nvidia.com/device-plugin.config']).toBeUndefined();
      expect(labelsOf(platform)['nvidia.com/mig.config']).toBeUndefined();
      expect(pool.timeSlicingConfig).toBeUndefined();
      expect(pool.migLayout).toBeUndefined();
    });

    test('extra labels are added', () => {
      // GIVEN / WHEN
      const { platform } = addPool({ ...L40S_POOL, labels: { 'example.com/team': 'ml' } });

      // THEN
      expect(labelsOf(platform)['example.com/team']).toBe('ml');
    });

    test('a device-management label equal to the mode is accepted', () => {
      // GIVEN / WHEN
      const { platform } = addPool({ ...L40S_POOL, labels: { 'agentic-eks.io/gpu-device-management': 'device-plugin' } });

      // THEN
      expect(labelsOf(platform)['agentic-eks.io/gpu-device-management']).toBe('device-plugin');
    });

    test('addLabel works after the pool is added', () => {
      // GIVEN
      const { platform, pool } = addPool(L40S_POOL);

      // WHEN
      pool.addLabel('example.com/late', 'yes');

      // THEN
      expect(labelsOf(platform)['example.com/late']).toBe('yes');
    });
  });

  describe('capacity', () => {
    test('defaults to on-demand', () => {
      // GIVEN / WHEN
      const { platform, pool } = addPool(L40S_POOL);

      // THEN
      expect(pool.capacityTypes).toEqual([CapacityType.ON_DEMAND]);
      expect(requirementOn(platform, 'karpenter.sh/capacity-type')).toEqual({
        key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'],
      });
    });

    test('renders no capacityReservationSelectorTerms without reservations', () => {
      // GIVEN / WHEN
      const { platform } = addPool(L40S_POOL);

      // THEN
      expect(nodeClassSpecOf(platform).capacityReservationSelectorTerms).toBeUndefined();
    });

    test('with capacityReservations defaults to reserved, then on-demand', () => {
      // GIVEN / WHEN
      const { platform, pool } = addPool({ ...P5_POOL, capacityReservations: [CapacityReservationSelector.byId(RESERVATION_ID)] });

      // THEN
      expect(pool.capacityTypes).toEqual([CapacityType.RESERVED, CapacityType.ON_DEMAND]);
      expect(requirementOn(platform, 'karpenter.sh/capacity-type')!.values).toEqual(['reserved', 'on-demand']);
    });

    test('an empty capacityReservations list keeps on-demand', () => {
      // GIVEN / WHEN
      const { platform, pool } = addPool({ ...P5_POOL, capacityReservations: [] });

      // THEN
      expect(pool.capacityTypes).toEqual([CapacityType.ON_DEMAND]);
      expect(nodeClassSpecOf(platform).capacityReservationSelectorTerms).toBeUndefined();
    });

    test('capacityReservations render the EC2NodeClass capacityReservationSelectorTerms byId and byTags', () => {
      // GIVEN / WHEN
      const { platform } = addPool({
        ...P5_POOL,
        capacityReservations: [
          CapacityReservationSelector.byId(RESERVATION_ID),
          CapacityReservationSelector.byTags({ team: 'ml', block: '*' }),
        ],
      });

      // THEN
      expect(nodeClassSpecOf(platform).capacityReservationSelectorTerms).toEqual([
        { id: RESERVATION_ID },
        { tags: { team: 'ml', block: '*' } },
      ]);
    });

    test('a byTags owner account renders as ownerID', () => {
      // GIVEN / WHEN
      const { platform } = addPool({
        ...L40S_POOL,
        capacityReservations: [CapacityReservationSelector.byTags({ team: 'ml' }, '123456789012')],
      });

      // THEN
      expect(nodeClassSpecOf(platform).capacityReservationSelectorTerms).toEqual([{ tags: { team: 'ml' }, ownerID: '123456789012' }]);
    });

    test('explicit capacityTypes win', () => {
      // GIVEN / WHEN
      const { platform } = addPool({ ...L40S_POOL, capacityTypes: [CapacityType.SPOT, CapacityType.ON_DEMAND] });

      // THEN
      expect(requirementOn(platform, 'karpenter.sh/capacity-type')!.values).toEqual(['spot', 'on-demand']);
    });

    test('reserved only, with a reservation', () => {
      // GIVEN / WHEN
      const { platform } = addPool({
        ...P5_POOL, capacityTypes: [CapacityType.RESERVED], capacityReservations: [CapacityReservationSelector.byTags({ team: 'ml' }, ACCOUNT)],
      });

      // THEN
      expect(requirementOn(platform, 'karpenter.sh/capacity-type')!.values).toEqual(['reserved']);
    });
  });

  describe('EFA and placement group', () => {
    test('an EFA p5.48xlarge pool declares 33 interfaces: the primary one and 32 efa-only', () => {
      // GIVEN / WHEN
      const { platform } = addPool({ ...P5_POOL, efa: true });

      // THEN
      const interfaces = nodeClassSpecOf(platform).networkInterfaces;
      expect(interfaces).toHaveLength(33);
      expect(interfaces[0]).toEqual({ networkCardIndex: 0, deviceIndex: 0, interfaceType: 'interface' });
      expect(interfaces.slice(1)).toEqual(
        Array.from({ length: 32 }, (_, card) => ({ networkCardIndex: card, deviceIndex: 1, interfaceType: 'efa-only' })));
    });

    test('efa and efaInterfaces reflect the layout', () => {
      // GIVEN / WHEN
      const { pool } = addPool({ ...P5_POOL, efa: true });

      // THEN
      expect(pool.efa).toBe(true);
      expect(pool.efaInterfaces).toBe(32);
    });

    test('an EFA p5en.48xlarge pool declares 16 efa-only interfaces', () => {
      // GIVEN / WHEN
      const { platform, pool } = addPool({ instanceTypes: ['p5en.48xlarge'], limits: { gpus: 16 }, efa: true });

      // THEN
      expect(pool.efaInterfaces).toBe(16);
      expect(nodeClassSpecOf(platform).networkInterfaces).toHaveLength(17);
    });

    test('without efa there are no network interfaces', () => {
      // GIVEN / WHEN
      const { platform, pool } = addPool(P5_POOL);

      // THEN
      expect(pool.efa).toBe(false);
      expect(pool.efaInterfaces).toBe(0);
      expect(nodeClassSpecOf(platform).networkInterfaces).toBeUndefined();
    });

    test('placementGroupName renders placementGroupSelector by name', () => {
      // GIVEN / WHEN
      const { platform } = addPool({ ...P5_POOL, efa: true, placementGroupName: 'p5-cluster' });

      // THEN
      expect(nodeClassSpecOf(platform).placementGroupSelector).toEqual({ name: 'p5-cluster' });
    });

    test('no placementGroupSelector by default', () => {
      // GIVEN / WHEN
      const { platform } = addPool({ ...P5_POOL, efa: true });

      // THEN
      expect(nodeClassSpecOf(platform).placementGroupSelector).toBeUndefined();
    });
  });

  describe('AMI and volumes', () => {
    test('defaults to the pinned AL2023 alias of the catalog', () => {
      // GIVEN / WHEN
      const { platform, pool } = addPool(L40S_POOL);

      // THEN
      expect(nodeClassSpecOf(platform).amiSelectorTerms).toEqual([{ alias: AL2023_AMI_ALIAS.alias }]);
      expect(pool.nodeClass.amiAlias).toBe(AL2023_AMI_ALIAS.alias);
    });

    test('an AL2023 pool has one block device, the root volume', () => {
      // GIVEN / WHEN
      const { platform } = addPool(L40S_POOL);

      // THEN
      expect(nodeClassSpecOf(platform).blockDeviceMappings.map((b: { deviceName: string }) => b.deviceName)).toEqual(['/dev/xvda']);
    });

    test('root volume defaults to 300Gi gp3 with 500 MiB/s and 6000 IOPS', () => {
      // GIVEN / WHEN
      const { platform } = addPool(L40S_POOL);

      // THEN
      expect(nodeClassSpecOf(platform).blockDeviceMappings).toEqual([{
        deviceName: '/dev/xvda',
        rootVolume: true,
        ebs: { volumeSize: '300Gi', volumeType: 'gp3', iops: 6000, throughput: 500, encrypted: true, deleteOnTermination: true },
      }]);
    });

    test('root volume size, throughput and IOPS can be set', () => {
      // GIVEN / WHEN
      const { platform } = addPool({ ...L40S_POOL, rootVolumeSize: Size.gibibytes(1000), rootVolumeThroughput: 1000, rootVolumeIops: 16000 });

      // THEN
      expect(nodeClassSpecOf(platform).blockDeviceMappings[0].ebs).toMatchObject({ volumeSize: '1000Gi', throughput: 1000, iops: 16000 });
    });

    test('amiAlias pins another AL2023 release', () => {
      // GIVEN / WHEN
      const { platform } = addPool({ ...L40S_POOL, amiAlias: 'al2023@v20260101' });

      // THEN
      expect(nodeClassSpecOf(platform).amiSelectorTerms).toEqual([{ alias: 'al2023@v20260101' }]);
    });

    test('Bottlerocket uses the pinned Bottlerocket alias', () => {
      // GIVEN / WHEN
      const { platform } = addPool({ ...L40S_POOL, amiFamily: GpuAmiFamily.BOTTLEROCKET });

      // THEN
      expect(nodeClassSpecOf(platform).amiSelectorTerms).toEqual([{ alias: BOTTLEROCKET_AMI_ALIAS }]);
    });

    test('Bottlerocket defaults deviceManagement to BOTTLEROCKET_BUILTIN', () => {
      // GIVEN / WHEN
      const { platform, pool } = addPool({ ...L40S_POOL, amiFamily: GpuAmiFamily.BOTTLEROCKET });

      // THEN
      expect(pool.deviceManagement).toBe(DeviceManagement.BOTTLEROCKET_BUILTIN);
      expect(labelsOf(platform)['agentic-eks.io/gpu-device-management']).toBe('bottlerocket');
    });

    test('Bottlerocket has two block devices: the 4Gi OS volume and the data volume as root', () => {
      // GIVEN / WHEN
      const { platform } = addPool({ ...L40S_POOL, amiFamily: GpuAmiFamily.BOTTLEROCKET });

      // THEN
      expect(nodeClassSpecOf(platform).blockDeviceMappings).toEqual([
        { deviceName: '/dev/xvda', ebs: { volumeSize: '4Gi', volumeType: 'gp3', encrypted: true, deleteOnTermination: true } },
        {
          deviceName: '/dev/xvdb',
          rootVolume: true,
          ebs: { volumeSize: '300Gi', volumeType: 'gp3', iops: 6000, throughput: 500, encrypted: true, deleteOnTermination: true },
        },
      ]);
    });

    test('Bottlerocket pools keep the GPU Operator device plugin and MIG manager off their nodes', () => {
      // GIVEN / WHEN
      const { platform } = addPool({ ...L40S_POOL, amiFamily: GpuAmiFamily.BOTTLEROCKET });

      // THEN
      expect(labelsOf(platform)).toMatchObject({
        'nvidia.com/gpu.deploy.device-plugin': 'false',
        'nvidia.com/gpu.deploy.mig-manager': 'false',
      });
    });

    test('BOTTLEROCKET_BUILTIN may be given explicitly with Bottlerocket', () => {
      // GIVEN / WHEN
      const { pool } = addPool({
        ...L40S_POOL, amiFamily: GpuAmiFamily.BOTTLEROCKET, deviceManagement: DeviceManagement.BOTTLEROCKET_BUILTIN,
      });

      // THEN
      expect(pool.deviceManagement).toBe(DeviceManagement.BOTTLEROCKET_BUILTIN);
    });

    test('RAID0 of instance-store NVMe by default when every candidate has local NVMe', () => {
      // GIVEN / WHEN
      const { platform, pool } = addPool(L40S_POOL);

      // THEN
      expect(pool.candidates.every((c) => c.localNvme)).toBe(true);
      expect(nodeClassSpecOf(platform).instanceStorePolicy).toBe('RAID0');
    });

    test('instanceStoreRaid0 false turns RAID0 off', () => {
      // GIVEN / WHEN
      const { platform } = addPool({ ...L40S_POOL, instanceStoreRaid0: false });

      // THEN
      expect(nodeClassSpecOf(platform).instanceStorePolicy).toBeUndefined();
    });

    test('the EC2NodeClass takes the pool name and the Karpenter node role', () => {
      // GIVEN / WHEN
      const { platform, pool } = addPool({ ...L40S_POOL, name: 'inference' });

      // THEN
      expect(pool.nodeClass.name).toBe('inference');
      expect(nodeClassSpecOf(platform, 'inference').role).toBe(NODE_ROLE);
      expect(nodePoolOf(platform, 'inference').spec.template.spec.nodeClassRef).toEqual({
        group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'inference',
      });
    });
  });

  describe('disruption', () => {
    test('defaults to WhenEmpty after 10m, one node at a time, no drift replacement in business hours', () => {
      // GIVEN / WHEN
      const { platform } = addPool(L40S_POOL);

      // THEN
      expect(nodePoolOf(platform).spec.disruption).toEqual({
        consolidationPolicy: 'WhenEmpty',
        consolidateAfter: '10m',
        budgets: [
          { nodes: '1' },
          { nodes: '0', schedule: '0 8 * * mon-fri', duration: '10h', reasons: ['Drifted'] },
        ],
      });
    });

    test('disruption replaces the default', () => {
      // GIVEN / WHEN
      const { platform } = addPool({
        ...L40S_POOL,
        disruption: {
          consolidationPolicy: ConsolidationPolicy.WHEN_EMPTY_OR_UNDERUTILIZED,
          consolidateAfter: Duration.minutes(30),
          budgets: [{ nodes: '0', schedule: '@daily', duration: Duration.hours(2), reasons: [DisruptionReason.UNDERUTILIZED] }],
        },
      });

      // THEN
      expect(nodePoolOf(platform).spec.disruption).toEqual({
        consolidationPolicy: 'WhenEmptyOrUnderutilized',
        consolidateAfter: '30m',
        budgets: [{ nodes: '0', schedule: '@daily', duration: '2h', reasons: ['Underutilized'] }],
      });
    });

    test('nodes expire after 720h by default', () => {
      // GIVEN / WHEN
      const { platform } = addPool(L40S_POOL);

      // THEN
      expect(nodePoolOf(platform).spec.template.spec.expireAfter).toBe('720h');
    });

    test('expireAfter sets the node lifetime', () => {
      // GIVEN / WHEN
      const { platform } = addPool({ ...L40S_POOL, expireAfter: Duration.days(7) });

      // THEN
      expect(nodePoolOf(platform).spec.template.spec.expireAfter).toBe('168h');
    });

    test('weight renders the pool priority', () => {
      // GIVEN / WHEN
      const { platform } = addPool({ ...L40S_POOL, weight: 50 });

      // THEN
      expect(nodePoolOf(platform).spec.weight).toBe(50);
    });
  });

  describe('DRA', () => {
    const DRA_STATIC: GpuNodePoolOptions = { ...P5_POOL, deviceManagement: DeviceManagement.DRA, replicas: 2 };

    test('a static DRA pool renders replicas', () => {
      // GIVEN / WHEN
      const { platform, pool } = addPool(DRA_STATIC, 'dra');

      // THEN
      expect(pool.replicas).toBe(2);
      expect(nodePoolOf(platform, 'dra').spec.replicas).toBe(2);
    });

    test("a static DRA pool renders limits as { nodes: '<replicas>' }", () => {
      // GIVEN / WHEN
      const { platform } = addPool(DRA_STATIC, 'dra');

      // THEN
      expect(nodePoolOf(platform, 'dra').spec.limits).toEqual({ nodes: '2' });
    });

    test('a static pool turns on the Karpenter feature gate staticCapacity', () => {
      // GIVEN / WHEN
      const { platform } = addPool(DRA_STATIC, 'dra');

      // THEN
      expect((platform.karpenter.controller.values().settings as Record<string, unknown>).featureGates).toEqual({ staticCapacity: true });
    });

    test('a dynamic pool turns on no feature gate', () => {
      // GIVEN / WHEN
      const { platform } = addPool(L40S_POOL);

      // THEN
      expect((platform.karpenter.controller.values().settings as Record<string, unknown>).featureGates).toBeUndefined();
    });

    test('a DRA pool is labelled for the DRA kubelet plugin', () => {
      // GIVEN / WHEN
      const { platform, pool } = addPool(DRA_STATIC, 'dra');

      // THEN
      expect(pool.deviceManagement).toBe(DeviceManagement.DRA);
      expect(labelsOf(platform, 'dra')['agentic-eks.io/gpu-device-management']).toBe('dra');
    });

    test('a DRA pool keeps the GPU Operator device plugin off its nodes (nvidia.com/gpu.deploy.device-plugin=false)', () => {
      // GIVEN / WHEN
      const { platform } = addPool(DRA_STATIC, 'dra');

      // THEN
      expect(labelsOf(platform, 'dra')).toEqual({
        'agentic-eks.io/gpu-pool': 'dra',
        'agentic-eks.io/gpu-device-management': 'dra',
        'nvidia.com/gpu.deploy.device-plugin': 'false',
      });
    });

    test('a DRA pool leaves the MIG manager alone', () => {
      // GIVEN / WHEN
      const { platform } = addPool(DRA_STATIC, 'dra');

      // THEN
      expect(labelsOf(platform, 'dra')['nvidia.com/gpu.deploy.mig-manager']).toBeUndefined();
    });

    test('a DRA pool without replicas records a warning on its node', () => {
      // GIVEN / WHEN
      const { pool } = addPool({ ...P5_POOL, deviceManagement: DeviceManagement.DRA }, 'dra');

      // THEN
      expect(warningsOf(pool)).toEqual([DRA_WARNING]);
    });

    test('a DRA pool with replicas records no warning', () => {
      // GIVEN / WHEN
      const { pool } = addPool(DRA_STATIC, 'dra');

      // THEN
      expect(warningsOf(pool)).toEqual([]);
    });

    test('a device-plugin pool records no warning', () => {
      // GIVEN / WHEN
      const { pool } = addPool(L40S_POOL);

      // THEN
      expect(pool.node.metadata).toEqual([]);
    });

    test('a DRA pool without replicas keeps nvidia.com/gpu limits', () => {
      // GIVEN / WHEN
      const { platform } = addPool({ ...P5_POOL, deviceManagement: DeviceManagement.DRA }, 'dra');

      // THEN
      expect(nodePoolOf(platform, 'dra').spec.limits).toEqual({ 'nvidia.com/gpu': '16' });
      expect(nodePoolOf(platform, 'dra').spec.replicas).toBeUndefined();
    });

    test('a DRA pool built directly in a Kubernetes 1.34 definition is accepted', () => {
      // GIVEN
      const definition = new PlatformDefinition({ clusterName: 't', region: REGION, kubernetesVersion: '1.34' });
      const chart = new KubernetesComponent(definition, 'Pools', { name: 'pools', stage: Stage.CONFIGURATION, description: 'GPU pools' });

      // WHEN
      const pool = new GpuNodePool(chart, 'dra', {
        ...P5_POOL, clusterName: 't', nodeRoleName: 'KarpenterNodeRole-t', deviceManagement: DeviceManagement.DRA, replicas: 1,
      });

      // THEN
      expect(pool.deviceManagement).toBe(DeviceManagement.DRA);
      expect(find(objects(chart), 'NodePool', 'dra').spec.replicas).toBe(1);
    });
  });

  describe('getters', () => {
    test('minGpusPerNode and maxGpusPerNode span the candidates', () => {
      // GIVEN / WHEN
      const { pool } = addPool(L40S_POOL);

      // THEN
      expect(pool.minGpusPerNode).toBe(1);
      expect(pool.maxGpusPerNode).toBe(8);
    });

    test('minGpusPerNode and maxGpusPerNode of a single type are equal', () => {
      // GIVEN / WHEN
      const { pool } = addPool(P5_POOL);

      // THEN
      expect([pool.minGpusPerNode, pool.maxGpusPerNode]).toEqual([8, 8]);
    });

    test('minGpusPerNode follows the minGpusPerNode option', () => {
      // GIVEN / WHEN
      const { pool } = addPool({ gpus: [GpuModel.L40S], minGpusPerNode: 4, limits: { gpus: 16 } });

      // THEN
      expect([pool.minGpusPerNode, pool.maxGpusPerNode]).toEqual([4, 8]);
    });

    test('nodeSelector pins a workload to the pool', () => {
      // GIVEN / WHEN
      const { pool } = addPool({ ...L40S_POOL, name: 'inference' });

      // THEN
      expect(pool.nodeSelector).toEqual({ 'agentic-eks.io/gpu-pool': 'inference' });
    });

    test('nodeSelector returns a copy', () => {
      // GIVEN
      const { pool } = addPool(L40S_POOL);

      // WHEN
      pool.nodeSelector['agentic-eks.io/gpu-pool'] = 'changed';

      // THEN
      expect(pool.nodeSelector).toEqual({ 'agentic-eks.io/gpu-pool': 'gpu' });
    });

    test('cpuArchitectures lists the candidates architectures once', () => {
      // GIVEN / WHEN
      const { pool } = addPool(L40S_POOL);

      // THEN
      expect(pool.cpuArchitectures).toEqual([CpuArchitecture.AMD64]);
    });

    test('deviceManagement defaults to DEVICE_PLUGIN', () => {
      // GIVEN / WHEN
      const { pool } = addPool(L40S_POOL);

      // THEN
      expect(pool.deviceManagement).toBe(DeviceManagement.DEVICE_PLUGIN);
    });

    test('the pool lives in the Karpenter NodePools component and is registered with Karpenter and the GPU layer', () => {
      // GIVEN / WHEN
      const { platform, pool } = addPool(L40S_POOL);

      // THEN
      expect(pool.node.scope).toBe(platform.karpenter.nodePools);
      expect(platform.karpenter.nodePoolList).toEqual([pool]);
      expect(platform.gpu.nodePools).toEqual([pool]);
    });

    test('uses the stable construct ids Resource and NodeClass', () => {
      // GIVEN / WHEN
      const { pool } = addPool(L40S_POOL);

      // THEN
      expect(pool.node.id).toBe('gpu');
      expect(pool.node.findChild('Resource')).toBe(pool.resource);
      expect(pool.node.findChild('NodeClass')).toBe(pool.nodeClass);
    });

    test('a device-plugin pool can be built directly in any chart', () => {
      // GIVEN
      const chart = Testing.chart();

      // WHEN
      new GpuNodePool(chart, 'gpu', { ...L40S_POOL, clusterName: 'test', nodeRoleName: NODE_ROLE });

      // THEN
      expect(objects(chart).map((o) => o.kind).sort()).toEqual(['EC2NodeClass', 'NodePool']);
    });
  });

  describe('errors', () => {
    test('an unknown GPU name', () => {
      // GIVEN / WHEN / THEN
      expect(() => GpuModel.fromName('X100')).toThrow(`unknown GPU 'X100': use one of ${MODEL_LIST}`);
    });

    test('a minimum GPU memory no instance type meets', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN / THEN
      expect(() => platform.gpu.addNodePool('gpu', { minGpuMemory: Size.gibibytes(400), limits: { gpus: 8 } })).toThrow(
        'no GPU instance type has at least 409600 MiB of memory per GPU (largest: b300 with 275040 MiB)');
    });

    test('criteria no instance type meets together', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN / THEN
      expect(() => platform.gpu.addNodePool('gpu', { gpus: [GpuModel.L40S], families: ['p5'], limits: { gpus: 8 } })).toThrow(
        'no GPU instance type matches gpus [L40S], families [p5]');
    });

    test('no selection criterion', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN / THEN
      expect(() => platform.gpu.addNodePool('gpu', { limits: { gpus: 8 } })).toThrow(
        'a GPU selection needs at least one of gpus, minGpuMemory, families or instanceTypes');
    });

    test('a family that is not an NVIDIA GPU family', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN / THEN
      expect(() => platform.gpu.addNodePool('gpu', { families: ['m5'], limits: { gpus: 8 } })).toThrow(
        `family 'm5' is not an NVIDIA GPU family: use one of ${FAMILY_LIST}`);
    });

    test('minGpusPerNode below 1', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN / THEN
      expect(() => platform.gpu.addNodePool('gpu', { gpus: [GpuModel.L40S], minGpusPerNode: 0, limits: { gpus: 8 } })).toThrow(
        "'minGpusPerNode' (0) must be an integer >= 1");
    });

    test('limits missing', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN / THEN
      expect(() => platform.gpu.addNodePool('gpu', { gpus: [GpuModel.L40S], limits: {} as never })).toThrow(
        "'limits.gpus' of GPU NodePool 'gpu' is required: an unbounded GPU pool is a bill, not a default");
    });

    test('limits undefined', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN / THEN
      expect(() => platform.gpu.addNodePool('gpu', { gpus: [GpuModel.L40S], limits: undefined as never })).toThrow(
        "'limits.gpus' of GPU NodePool 'gpu' is required: an unbounded GPU pool is a bill, not a default");
    });

    test.each([[0], [-8]])('limits.gpus %p', (gpus) => {
      // GIVEN
      const platform = testPlatform();

      // WHEN / THEN
      expect(() => platform.gpu.addNodePool('gpu', { gpus: [GpuModel.L40S], limits: { gpus } })).toThrow(
        `'limits.gpus' (${gpus}) of GPU NodePool 'gpu' must be greater than zero`);
    });

    test('the error names the pool by its name, not its id', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN / THEN
      expect(() => platform.gpu.addNodePool('gpu', { name: 'inference', gpus: [GpuModel.L40S], limits: { gpus: 0 } })).toThrow(
        "'limits.gpus' (0) of GPU NodePool 'inference' must be greater than zero");
    });

    test('EFA on an instance type without EFA', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN / THEN
      expect(() => platform.gpu.addNodePool('gpu', { instanceTypes: ['g6.xlarge'], efa: true, limits: { gpus: 8 } })).toThrow(
        "'efa' is set on GPU NodePool 'gpu' but g6.xlarge has no EFA interface; choose EFA types (e.g. p5.48xlarge) with 'instanceTypes'");
    });

    test('EFA on several instance types without EFA', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN / THEN
      expect(() => platform.gpu.addNodePool('gpu', { instanceTypes: ['g6.2xlarge', 'g6.xlarge'], efa: true, limits: { gpus: 8 } })).toThrow(
        "'efa' is set on GPU NodePool 'gpu' but g6.xlarge, g6.2xlarge have no EFA interface; choose EFA types (e.g. p5.48xlarge) with 'instanceTypes'");
    });

    test('EFA on instance types with different EFA layouts', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN / THEN
      expect(() => platform.gpu.addNodePool('gpu', { instanceTypes: ['p5.48xlarge', 'p5en.48xlarge'], efa: true, limits: { gpus: 16 } })).toThrow(
        "GPU NodePool 'gpu' mixes instance types with different EFA layouts (p5.48xlarge: 32, p5en.48xlarge: 16): one EFA pool needs one layout; narrow 'instanceTypes'");
    });

    test('DRA and a time-slicing config on one pool', () => {
      // GIVEN
      const platform = testPlatform({ gpu: { timeSlicing: { 'shared-4': 4 } } });

      // WHEN / THEN
      expect(() => platform.gpu.addNodePool('gpu', {
        ...P5_POOL, deviceManagement: DeviceManagement.DRA, replicas: 1, timeSlicingConfig: 'shared-4',
      })).toThrow(
        "GPU NodePool 'gpu' asks for DRA and the device plugin at once ('timeSlicingConfig' is a device-plugin setting): one device manager per node; use a DRA claim template for sharing");
    });

    test('DRA with a MIG layout is allowed (the MIG manager partitions, the DRA driver publishes the slices)', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN
      const pool = platform.gpu.addNodePool('gpu', {
        ...P5_POOL, deviceManagement: DeviceManagement.DRA, replicas: 1, migLayout: MigLayout.uniform('3g.40gb'),
      });

      // THEN
      expect(pool.migDevices).toEqual({ '3g.40gb': 2 });
    });

    test('a gpu-device-management label that conflicts with deviceManagement', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN / THEN
      expect(() => platform.gpu.addNodePool('gpu', { ...L40S_POOL, labels: { 'agentic-eks.io/gpu-device-management': 'dra' } })).toThrow(
        "GPU NodePool 'gpu' asks for two device managers ('deviceManagement' device-plugin and label agentic-eks.io/gpu-device-management=dra): one device manager per node");
    });

    test('DRA on Kubernetes below 1.34', () => {
      // GIVEN
      const definition = new PlatformDefinition({ clusterName: 't', region: REGION, kubernetesVersion: '1.33' });
      const chart = new KubernetesComponent(definition, 'Pools', { name: 'pools', stage: Stage.CONFIGURATION, description: 'GPU pools' });

      // WHEN / THEN
      expect(() => new GpuNodePool(chart, 'dra', {
        ...P5_POOL, clusterName: 't', nodeRoleName: 'KarpenterNodeRole-t', deviceManagement: DeviceManagement.DRA, replicas: 1,
      })).toThrow("GPU NodePool 'dra' uses DRA, which needs Kubernetes 1.34 or later (resource.k8s.io/v1); the platform runs 1.33");
    });

    test('a DRA pool outside a PlatformDefinition', () => {
      // GIVEN
      const chart = Testing.chart();

      // WHEN / THEN
      expect(() => new GpuNodePool(chart, 'dra', {
        ...P5_POOL, clusterName: 'test', nodeRoleName: NODE_ROLE, deviceManagement: DeviceManagement.DRA, replicas: 1,
      })).toThrow('construct is not part of a PlatformDefinition');
    });

    test('reserved capacity without a reservation selector', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN / THEN
      expect(() => platform.gpu.addNodePool('gpu', { ...P5_POOL, capacityTypes: [CapacityType.RESERVED, CapacityType.ON_DEMAND] })).toThrow(
        "GPU NodePool 'gpu' allows capacity type 'reserved' but selects no reservation: set 'capacityReservations' (Karpenter does no open matching)");
    });

    test('an instance type from a non-GPU family', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN / THEN
      expect(() => platform.gpu.addNodePool('gpu', { instanceTypes: ['m5.large'], limits: { gpus: 8 } })).toThrow(
        `instance type 'm5.large' is not an NVIDIA GPU instance type in the catalog (families: ${FAMILY_LIST})`);
    });

    test('replicas that hold more GPUs than the GPU limit', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN / THEN
      expect(() => platform.gpu.addNodePool('gpu', { ...P5_POOL, deviceManagement: DeviceManagement.DRA, replicas: 3 })).toThrow(
        "'replicas' (3) of GPU NodePool 'gpu' can hold up to 24 GPUs, above 'limits.gpus' (16)");
    });

    test('replicas are checked against the largest candidate', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN / THEN
      expect(() => platform.gpu.addNodePool('gpu', { gpus: [GpuModel.L40S], limits: { gpus: 8 }, replicas: 2 })).toThrow(
        "'replicas' (2) of GPU NodePool 'gpu' can hold up to 16 GPUs, above 'limits.gpus' (8)");
    });

    test('replicas with weight', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN / THEN
      expect(() => platform.gpu.addNodePool('gpu', { ...P5_POOL, replicas: 1, weight: 10 })).toThrow(
        "NodePool 'gpu' cannot combine 'replicas' (static capacity) with 'weight'");
    });

    test('Bottlerocket and DRA', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN / THEN
      expect(() => platform.gpu.addNodePool('gpu', {
        ...P5_POOL, amiFamily: GpuAmiFamily.BOTTLEROCKET, deviceManagement: DeviceManagement.DRA, replicas: 1,
      })).toThrow("GPU NodePool 'gpu': Bottlerocket NVIDIA nodes run their own device plugin, so DRA needs the AL2023 AMI family");
    });

    test('Bottlerocket with the device plugin', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN / THEN
      expect(() => platform.gpu.addNodePool('gpu', {
        ...L40S_POOL, amiFamily: GpuAmiFamily.BOTTLEROCKET, deviceManagement: DeviceManagement.DEVICE_PLUGIN,
      })).toThrow("GPU NodePool 'gpu': Bottlerocket NVIDIA nodes already run the device plugin; deviceManagement must be bottlerocket, not device-plugin");
    });

    test('BOTTLEROCKET_BUILTIN on AL2023', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN / THEN
      expect(() => platform.gpu.addNodePool('gpu', { ...L40S_POOL, deviceManagement: DeviceManagement.BOTTLEROCKET_BUILTIN })).toThrow(
        "GPU NodePool 'gpu': deviceManagement bottlerocket needs amiFamily BOTTLEROCKET");
    });

    test('a time-slicing config not defined on the layer (none defined)', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN / THEN
      expect(() => platform.gpu.addNodePool('gpu', { ...L40S_POOL, timeSlicingConfig: 'shared-4' })).toThrow(
        "GPU NodePool 'gpu' uses time-slicing config 'shared-4', which is not defined in 'gpu.timeSlicing' (defined: none)");
    });

    test('a time-slicing config not defined on the layer (others defined)', () => {
      // GIVEN
      const platform = testPlatform({ gpu: { timeSlicing: { 'shared-2': 2, 'shared-8': 8 } } });

      // WHEN / THEN
      expect(() => platform.gpu.addNodePool('gpu', { ...L40S_POOL, name: 'sliced', timeSlicingConfig: 'shared-4' })).toThrow(
        "GPU NodePool 'sliced' uses time-slicing config 'shared-4', which is not defined in 'gpu.timeSlicing' (defined: shared-2, shared-8)");
    });

    test('a time-slicing replica count below 1 (reported when the platform is built, before any pool)', () => {
      // GIVEN / WHEN / THEN
      expect(() => testPlatform({ gpu: { timeSlicing: { s: 0 } } })).toThrow("'timeSlicing.s' (0) must be at least 1 replica");
    });

    test('a pool that fails validation leaves nothing behind', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN
      expect(() => platform.gpu.addNodePool('gpu', { ...L40S_POOL, efa: true })).toThrow(/have no EFA interface/);

      // THEN
      expect(platform.gpu.nodePools).toEqual([]);
      expect(platform.karpenter.nodePoolList).toEqual([]);
      expect(objects(platform.karpenter.nodePools)).toEqual([]);
    });

    test('migLayout on GPUs without MIG', () => {
      expect(() => testPlatform().gpu.addNodePool('gpu', { ...L40S_POOL, migLayout: MigLayout.uniform('1g.10gb') }))
        .toThrow("'migLayout' (all-1g.10gb) of GPU NodePool 'gpu' needs MIG-capable GPUs; L40S cannot be partitioned");
    });

    test('migLayout with the standalone device plugin', () => {
      const platform = testPlatform({ gpu: { devicePlugin: DevicePluginProvider.STANDALONE } });
      expect(() => platform.gpu.addNodePool('gpu', { gpus: [GpuModel.H100], limits: { gpus: 8 }, migLayout: MigLayout.uniform('1g.10gb') }))
        .toThrow("GPU NodePool 'gpu' sets 'migLayout', which the GPU Operator's MIG manager applies; the standalone device plugin has none (use devicePlugin GPU_OPERATOR)");
    });

    test('migLayout with a profile the GPU does not offer', () => {
      expect(() => testPlatform().gpu.addNodePool('gpu', { instanceTypes: ['p4d.24xlarge'], limits: { gpus: 8 }, migLayout: MigLayout.uniform('1g.20gb') }))
        .toThrow("'migLayout' (all-1g.20gb) of GPU NodePool 'gpu' uses MIG profile '1g.20gb', which A100_40GB does not offer (it offers 1g.5gb, 1g.5gb+me, 1g.10gb, 2g.10gb, 3g.20gb, 4g.20gb, 7g.40gb)");
    });

    test('migLayout on GPUs that would be partitioned differently', () => {
      expect(() => testPlatform().gpu.addNodePool('gpu', { gpus: [GpuModel.A100_40GB, GpuModel.A100_80GB], limits: { gpus: 16 }, migLayout: MigLayout.uniform('1g.10gb') }))
        .toThrow("'migLayout' (all-1g.10gb) of GPU NodePool 'gpu' partitions its GPUs differently (A100_40GB: 4 x 1g.10gb; A100_80GB: 7 x 1g.10gb): one layout needs one partitioning; narrow 'gpus'");
    });

    test('migLayout on a MIG GPU without a profile table', () => {
      expect(() => testPlatform().gpu.addNodePool('gpu', { gpus: [GpuModel.RTX_PRO_6000], limits: { gpus: 8 }, migLayout: MigLayout.uniform('1g.24gb') }))
        .toThrow("'migLayout' (all-1g.24gb) of GPU NodePool 'gpu' needs MIG-capable GPUs with a profile table in the catalog; RTX_PRO_6000 has none");
    });

    test('time-slicing on Bottlerocket', () => {
      const platform = testPlatform({ gpu: { timeSlicing: { s: 2 } } });
      expect(() => platform.gpu.addNodePool('gpu', { ...L40S_POOL, amiFamily: GpuAmiFamily.BOTTLEROCKET, timeSlicingConfig: 's' }))
        .toThrow("GPU NodePool 'gpu': 'timeSlicingConfig' has no effect on Bottlerocket, whose built-in device plugin is configured through Bottlerocket settings");
    });

    test.each([['agentic-eks.io/gpu-pool'], ['agentic-eks.io/efa'], ['nvidia.com/device-plugin.config'], ['nvidia.com/mig.config'], ['nvidia.com/gpu.deploy.dcgm-exporter']])(
      'a user label %p the pool owns', (key) => {
        expect(() => testPlatform().gpu.addNodePool('gpu', { ...L40S_POOL, labels: { [key]: 'x' } }))
          .toThrow(`label '${key}' of GPU NodePool 'gpu' is set by the library (pool name, EFA, device-manager, time-slicing and MIG settings); use the matching prop instead`);
      });

    test('a pool name that is not a DNS subdomain', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN / THEN
      expect(() => platform.gpu.addNodePool('gpu', { ...L40S_POOL, name: 'GPU_Pool' })).toThrow(
        "'name' (GPU_Pool) must be a DNS subdomain: 1-253 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit");
    });
  });
});

test('every Kubernetes object of a 20-pool GPU platform is valid against its upstream schema (strict, with CEL)', () => {
  // GIVEN
  const platform = testPlatform({ gpu: { timeSlicing: { 'shared-4': 4 } } });
  const gpu = platform.gpu;
  gpu.addNodePool('l40s', L40S_POOL);
  gpu.addNodePool('l4', { gpus: [GpuModel.L4], limits: { gpus: 32 } });
  gpu.addNodePool('a10g', { families: ['g5'], limits: { gpus: 8 }, capacityTypes: [CapacityType.SPOT, CapacityType.ON_DEMAND] });
  gpu.addNodePool('h100-efa', { ...P5_POOL, efa: true, placementGroupName: 'p5-cluster' });
  gpu.addNodePool('h200-efa', {
    instanceTypes: ['p5e.48xlarge'], efa: true, limits: { gpus: 16 }, capacityReservations: [CapacityReservationSelector.byId('cr-p5e')],
  });
  gpu.addNodePool('p5en-efa', { instanceTypes: ['p5en.48xlarge'], efa: true, limits: { gpus: 16 } });
  gpu.addNodePool('b200-efa', { instanceTypes: ['p6-b200.48xlarge'], efa: true, limits: { gpus: 16 } });
  gpu.addNodePool('b300-reserved', {
    instanceTypes: ['p6-b300.48xlarge'], limits: { gpus: 16 }, capacityTypes: [CapacityType.RESERVED],
    capacityReservations: [CapacityReservationSelector.byId(RESERVATION_ID)],
  });
  gpu.addNodePool('h100-reserved-tags', {
    gpus: [GpuModel.H100], limits: { gpus: 16 },
    capacityReservations: [CapacityReservationSelector.byTags({ team: 'ml', block: '*' }, ACCOUNT), CapacityReservationSelector.byId('cr-1')],
  });
  gpu.addNodePool('dra-static', { ...P5_POOL, deviceManagement: DeviceManagement.DRA, replicas: 2 });
  gpu.addNodePool('dra-dynamic', { gpus: [GpuModel.L40S], limits: { gpus: 8 }, deviceManagement: DeviceManagement.DRA });
  gpu.addNodePool('bottlerocket', { gpus: [GpuModel.L4], limits: { gpus: 8 }, amiFamily: GpuAmiFamily.BOTTLEROCKET });
  gpu.addNodePool('sliced', { gpus: [GpuModel.L4], limits: { gpus: 8 }, timeSlicingConfig: 'shared-4' });
  gpu.addNodePool('mig', { ...P5_POOL, migLayout: MigLayout.uniform('1g.10gb') });
  gpu.addNodePool('big-memory', { minGpuMemory: Size.gibibytes(80), minGpusPerNode: 8, limits: { gpus: 64 } });
  gpu.addNodePool('rtx6000', { gpus: [GpuModel.RTX_PRO_6000], limits: { gpus: 8 }, capacityTypes: [CapacityType.SPOT] });
  gpu.addNodePool('rtx4500', { gpus: [GpuModel.RTX_PRO_4500], limits: { gpus: 8 }, weight: 50 });
  gpu.addNodePool('a100', {
    gpus: [GpuModel.A100_40GB, GpuModel.A100_80GB], limits: { gpus: 16 },
    disruption: { consolidationPolicy: ConsolidationPolicy.WHEN_EMPTY_OR_UNDERUTILIZED, consolidateAfter: Duration.minutes(5), budgets: [{ nodes: '10%' }] },
  });
  gpu.addNodePool('no-raid', {
    gpus: [GpuModel.L40S], limits: { gpus: 8 }, instanceStoreRaid0: false,
    rootVolumeSize: Size.gibibytes(1000), rootVolumeThroughput: 1000, rootVolumeIops: 16000,
  });
  const labelled = gpu.addNodePool('labelled', {
    name: 'labelled.pool', gpus: [GpuModel.L40S], limits: { gpus: 8, cpu: Cpu.cores(512), memory: Size.gibibytes(4096) },
    labels: { 'example.com/team': 'ml' }, taints: [{ key: 'team', value: 'ml', effect: TaintEffect.NO_EXECUTE }],
    expireAfter: Duration.days(7),
  });
  labelled.addLabel('example.com/late', 'yes');

  // WHEN
  const objs = objects(platform.karpenter.nodePools);

  // THEN
  expect(gpu.nodePools).toHaveLength(20);
  expect(objs.filter((o) => o.kind === 'NodePool')).toHaveLength(20);
  expect(objs.filter((o) => o.kind === 'EC2NodeClass')).toHaveLength(20);
  expectValidK8sObjects(objs);
});
