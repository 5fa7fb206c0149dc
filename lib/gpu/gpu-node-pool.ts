import { Annotations, Duration, Size } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CpuArchitecture, GpuInstanceType, GpuModel, PriceBasis, selectGpuInstanceTypes } from './catalog';
import { DeviceManagement, GPU_DEVICE_MANAGEMENT_LABEL } from './device-management/labels';
import { MigLayout } from './mig-layout';
import { PlatformDefinition } from '../core/platform-definition';
import { Cpu } from '../core/units';
import { check, PlatformValidationError } from '../core/validation';
import { CapacityReservationSelector } from '../karpenter/ec2-node-class';
import { NodePool } from '../karpenter/node-pool';
import {
  CapacityType, ConsolidationPolicy, DisruptionReason, NodePoolDisruption, NodeRequirement, NodeTaint, RequirementOperator,
  TaintEffect,
} from '../karpenter/node-pool-types';

/** Label every node of a GPU pool carries with the pool's name; workloads select their pool with it. */
export const GPU_POOL_LABEL = 'agentic-eks.io/gpu-pool';
/** Label on nodes of pools with EFA; the EFA device plugin runs only there. */
export const EFA_POOL_LABEL = 'agentic-eks.io/efa';
/** Node label that picks a device-plugin time-slicing configuration (NVIDIA device plugin / GPU Operator). */
export const DEVICE_PLUGIN_CONFIG_LABEL = 'nvidia.com/device-plugin.config';
/** Node label that picks a MIG layout applied by the GPU Operator's MIG manager. */
export const MIG_CONFIG_LABEL = 'nvidia.com/mig.config';
/** Node labels a GPU pool sets itself from its props; `labels` may not override them. */
const OWNED_LABELS = [GPU_POOL_LABEL, EFA_POOL_LABEL, DEVICE_PLUGIN_CONFIG_LABEL, MIG_CONFIG_LABEL];

/** The taint of every GPU node. */
export const GPU_TAINT: NodeTaint = { key: 'nvidia.com/gpu', value: 'true', effect: TaintEffect.NO_SCHEDULE };

/** Limits of a GPU pool. */
export interface GpuNodePoolLimits {
  /** Total GPUs of the pool. Required: an unbounded GPU pool is a bill, not a default. */
  readonly gpus: number;
  /** Total CPU of the pool's nodes, e.g. `Cpu.cores(512)`. @default - no CPU limit */
  readonly cpu?: Cpu;
  /** Total memory. @default - no memory limit */
  readonly memory?: Size;
}

/** Node AMI of a GPU pool. */
export enum GpuAmiFamily {
  /** EKS AL2023 (Karpenter picks the NVIDIA variant for GPU types): driver and container toolkit on the AMI. */
  AL2023 = 'al2023',
  /** Bottlerocket NVIDIA variant: driver, toolkit, device plugin and MIG manager on the AMI. */
  BOTTLEROCKET = 'bottlerocket',
}

/** Pinned Bottlerocket AMI alias (UNCERTAIN: release seen in public manifests, not re-read upstream). */
export const BOTTLEROCKET_AMI_ALIAS = 'bottlerocket@v1.55.0';

/** Options of a GPU NodePool (what `platform.gpu.addNodePool()` takes). */
export interface GpuNodePoolOptions {
  /** NodePool name. @default - the construct id */
  readonly name?: string;
  /** GPU models the pool may launch (any of them). @default - any model the other criteria allow */
  readonly gpus?: GpuModel[];
  /** Minimum memory per GPU. @default - none */
  readonly minGpuMemory?: Size;
  /** Instance families (`p5`, `g6e`, `p6-b200`). @default - all families of the chosen GPUs */
  readonly families?: string[];
  /** Exact instance types (`p5.48xlarge`). @default - every size of the chosen families */
  readonly instanceTypes?: string[];
  /** Minimum GPUs per node (e.g. 8 for tensor-parallel 8 on one node). @default 1 */
  readonly minGpusPerNode?: number;
  /** Limits; `gpus` is required. */
  readonly limits: GpuNodePoolLimits;
  /** Capacity types. @default [CapacityType.ON_DEMAND] (or [RESERVED, ON_DEMAND] with capacityReservations) */
  readonly capacityTypes?: CapacityType[];
  /**
   * Capacity reservations / Capacity Blocks the pool launches into. Types EC2 sells only as Capacity Blocks
   * (p5e.48xlarge) are candidates only with a reservation.
   * @default - none
   */
  readonly capacityReservations?: CapacityReservationSelector[];
  /** EFA: declare the instance type's EFA interfaces and label nodes for the EFA device plugin. @default false */
  readonly efa?: boolean;
  /** Placement group (by name) the nodes launch into; recommended with EFA. @default - none */
  readonly placementGroupName?: string;
  /** Who manages the GPUs on the pool's nodes. @default DeviceManagement.DEVICE_PLUGIN (BOTTLEROCKET_BUILTIN on Bottlerocket) */
  readonly deviceManagement?: DeviceManagement;
  /** Device-plugin time-slicing configuration name (configured on `platform.gpu`). @default - no sharing */
  readonly timeSlicingConfig?: string;
  /**
   * How the MIG manager of the GPU Operator partitions every GPU of the pool's nodes (node label
   * `nvidia.com/mig.config=<layout name>`; the layout is written into the MIG manager's configuration). On DRA pools
   * the DRA driver publishes the slices for MIG claim templates. Needs MIG GPUs of one partitioning (e.g. not A100
   * 40GB and 80GB in one pool).
   * @default - MIG off (the MIG manager's `all-disabled`)
   */
  readonly migLayout?: MigLayout;
  /** Static node count (DRA pools: Karpenter 1.14 ignores DRA claims when choosing instances). @default - dynamic */
  readonly replicas?: number;
  /** AMI family. @default GpuAmiFamily.AL2023 */
  readonly amiFamily?: GpuAmiFamily;
  /** Pinned AMI alias. @default - the catalog's AL2023 alias, or BOTTLEROCKET_AMI_ALIAS */
  readonly amiAlias?: string;
  /** Root volume (inference images are large). @default Size.gibibytes(300) */
  readonly rootVolumeSize?: Size;
  /** Root volume throughput, MiB/s. @default 500 */
  readonly rootVolumeThroughput?: number;
  /** Root volume IOPS. @default 6000 */
  readonly rootVolumeIops?: number;
  /** RAID0 of instance-store NVMe. @default true when every candidate type has local NVMe */
  readonly instanceStoreRaid0?: boolean;
  /** Disruption. @default - WhenEmpty after 10 minutes, 1 node at a time, no drift replacement on weekdays 08:00-18:00 UTC */
  readonly disruption?: NodePoolDisruption;
  /** Maximum node lifetime. @default Duration.days(30) */
  readonly expireAfter?: Duration;
  /** Extra labels. @default - none */
  readonly labels?: Record<string, string>;
  /** Extra taints (the `nvidia.com/gpu` taint is always set). @default - none */
  readonly taints?: NodeTaint[];
  /** Priority among pools. @default - none */
  readonly weight?: number;
}

/** Props of a GPU NodePool. */
export interface GpuNodePoolProps extends GpuNodePoolOptions {
  /** Cluster name. */
  readonly clusterName: string;
  /** Node role name. */
  readonly nodeRoleName: string;
}

/** Annotation that keeps Karpenter from disrupting a node while the pod runs (long training or batch jobs). */
export const DO_NOT_DISRUPT_ANNOTATION = { 'karpenter.sh/do-not-disrupt': 'true' } as const;

/**
 * A Karpenter NodePool for NVIDIA GPUs, chosen by model, generation, memory, family or type from the GPU catalog:
 * `nvidia.com/gpu` taint, a required GPU limit, GPU-friendly disruption, capacity reservations, EFA interfaces and
 * placement group, and the node labels that decide which device manager (device plugin or DRA) runs on its nodes.
 */
export class GpuNodePool extends NodePool {
  /**
   * Candidate instance types, cheapest first. Types EC2 sells only as Capacity Blocks (p5e.48xlarge) are candidates
   * only of pools that launch into capacity reservations.
   */
  public readonly candidates: GpuInstanceType[];
  /** Device manager of the pool's nodes. */
  public readonly deviceManagement: DeviceManagement;
  /** Whether nodes have EFA. */
  public readonly efa: boolean;
  /** EFA interfaces per node (0 without EFA). */
  public readonly efaInterfaces: number;
  /** Time-slicing configuration name, if any. */
  public readonly timeSlicingConfig?: string;
  /** MIG layout, if any. */
  public readonly migLayout?: MigLayout;
  /** MIG instances per GPU of the layout (profile -> count), if any. */
  public readonly migDevices?: Readonly<Record<string, number>>;
  /** Limits as given. */
  public readonly gpuLimits: GpuNodePoolLimits;

  constructor(scope: Construct, id: string, props: GpuNodePoolProps) {
    const name = props.name ?? id;
    const limits = props.limits ?? ({} as GpuNodePoolLimits);
    check(limits.gpus !== undefined,
      `'limits.gpus' of GPU NodePool '${name}' is required: an unbounded GPU pool is a bill, not a default`);
    check(limits.gpus > 0, `'limits.gpus' (${limits.gpus}) of GPU NodePool '${name}' must be greater than zero`);
    const capacityTypes = props.capacityTypes
      ?? (props.capacityReservations && props.capacityReservations.length > 0 ? [CapacityType.RESERVED, CapacityType.ON_DEMAND] : [CapacityType.ON_DEMAND]);
    if (capacityTypes.includes(CapacityType.RESERVED)) {
      check((props.capacityReservations ?? []).length > 0,
        `GPU NodePool '${name}' allows capacity type 'reserved' but selects no reservation: set 'capacityReservations' (Karpenter does no open matching)`);
    }
    const selected = selectGpuInstanceTypes({
      gpus: props.gpus,
      minGpuMemory: props.minGpuMemory,
      families: props.families,
      instanceTypes: props.instanceTypes,
      minGpusPerNode: props.minGpusPerNode,
    });
    // A type EC2 sells only as Capacity Blocks (p5e.48xlarge) launches only into a reservation the pool selects.
    const reserved = capacityTypes.includes(CapacityType.RESERVED);
    const candidates = reserved ? selected : selected.filter((c) => c.priceBasis !== PriceBasis.CAPACITY_BLOCK);
    if (candidates.length === 0) {
      const names = selected.map((c) => c.name).join(', ');
      throw new PlatformValidationError(
        `GPU NodePool '${name}' selects only ${names}, which EC2 sells only as Capacity Blocks (no on-demand price): `
        + `set 'capacityReservations' to the Capacity Block's reservation`);
    }
    const bottlerocket = props.amiFamily === GpuAmiFamily.BOTTLEROCKET;
    const mode = props.deviceManagement ?? (bottlerocket ? DeviceManagement.BOTTLEROCKET_BUILTIN : DeviceManagement.DEVICE_PLUGIN);
    const labelMode = props.labels?.[GPU_DEVICE_MANAGEMENT_LABEL];
    check(labelMode === undefined || labelMode === mode,
      `GPU NodePool '${name}' asks for two device managers ('deviceManagement' ${mode} and label ${GPU_DEVICE_MANAGEMENT_LABEL}=${labelMode}): one device manager per node`);
    if (mode === DeviceManagement.DRA) {
      check(props.timeSlicingConfig === undefined,
        `GPU NodePool '${name}' asks for DRA and the device plugin at once ('timeSlicingConfig' is a device-plugin setting): one device manager per node; use a DRA claim template for sharing`);
      check(!bottlerocket, `GPU NodePool '${name}': Bottlerocket NVIDIA nodes run their own device plugin, so DRA needs the AL2023 AMI family`);
    }
    if (mode === DeviceManagement.BOTTLEROCKET_BUILTIN) {
      check(bottlerocket, `GPU NodePool '${name}': deviceManagement ${mode} needs amiFamily BOTTLEROCKET`);
    }
    if (bottlerocket) {
      check(mode === DeviceManagement.BOTTLEROCKET_BUILTIN,
        `GPU NodePool '${name}': Bottlerocket NVIDIA nodes already run the device plugin; deviceManagement must be ${DeviceManagement.BOTTLEROCKET_BUILTIN}, not ${mode}`);
    }
    if (mode === DeviceManagement.DRA) {
      const version = PlatformDefinition.ofConstruct(scope).kubernetesVersion;
      const [major, minor] = version.split('.').map((x) => parseInt(x, 10));
      check(major > 1 || minor >= 34,
        `GPU NodePool '${name}' uses DRA, which needs Kubernetes 1.34 or later (resource.k8s.io/v1); the platform runs ${version}`);
    }
    if (bottlerocket) {
      const setting = props.timeSlicingConfig !== undefined ? 'timeSlicingConfig' : props.migLayout !== undefined ? 'migLayout' : undefined;
      check(setting === undefined,
        `GPU NodePool '${name}': '${setting}' has no effect on Bottlerocket, whose built-in device plugin is configured through Bottlerocket settings`);
    }
    let migDevices: Record<string, number> | undefined;
    if (props.migLayout !== undefined) {
      const layout = props.migLayout;
      const noMig = [...new Set(candidates.filter((c) => !c.gpu.mig).map((c) => c.gpu.displayName))];
      check(noMig.length === 0, `'migLayout' (${layout.name}) of GPU NodePool '${name}' needs MIG-capable GPUs; ${noMig.join(', ')} cannot be partitioned`);
      const perGpu = new Map<string, Record<string, number>>();
      for (const c of candidates) perGpu.set(c.gpu.displayName, layout.devicesOn(c.gpu, `GPU NodePool '${name}'`));
      const shapes = [...new Set([...perGpu.values()].map((d) => JSON.stringify(d)))];
      check(shapes.length === 1,
        `'migLayout' (${layout.name}) of GPU NodePool '${name}' partitions its GPUs differently (${[...perGpu].map(([g, d]) => `${g}: ${describeDevices(d)}`).join('; ')}): one layout needs one partitioning; narrow 'gpus'`);
      migDevices = perGpu.values().next().value;
    }
    for (const key of Object.keys(props.labels ?? {})) {
      check(!OWNED_LABELS.includes(key) && !key.startsWith('nvidia.com/gpu.deploy.'),
        `label '${key}' of GPU NodePool '${name}' is set by the library (pool name, EFA, device-manager, time-slicing and MIG settings); use the matching prop instead`);
    }
    const efa = props.efa ?? false;
    let efaInterfaces = 0;
    if (efa) {
      const without = candidates.filter((c) => c.efaInterfaces === 0);
      check(without.length === 0,
        `'efa' is set on GPU NodePool '${name}' but ${without.map((c) => c.name).join(', ')} ${without.length === 1 ? 'has' : 'have'} no EFA interface; choose EFA types (e.g. p5.48xlarge) with 'instanceTypes'`);
      const layouts = [...new Set(candidates.map((c) => c.efaInterfaces))];
      check(layouts.length === 1,
        `GPU NodePool '${name}' mixes instance types with different EFA layouts (${candidates.map((c) => `${c.name}: ${c.efaInterfaces}`).join(', ')}): one EFA pool needs one layout; narrow 'instanceTypes'`);
      efaInterfaces = layouts[0];
    }
    if (props.replicas !== undefined) {
      const maxPerNode = Math.max(...candidates.map((c) => c.gpuCount));
      check(props.replicas * maxPerNode <= limits.gpus,
        `'replicas' (${props.replicas}) of GPU NodePool '${name}' can hold up to ${props.replicas * maxPerNode} GPUs, above 'limits.gpus' (${limits.gpus})`);
    }
    const archs = [...new Set(candidates.map((c) => c.cpuArchitecture))];
    const raid0 = props.instanceStoreRaid0 ?? candidates.every((c) => c.localNvme);

    super(scope, id, {
      name,
      clusterName: props.clusterName,
      nodeRoleName: props.nodeRoleName,
      limits: { nvidiaGpus: limits.gpus, cpu: limits.cpu, memory: limits.memory },
      capacityTypes,
      instanceCategories: [],
      minInstanceGeneration: 0,
      architectures: archs,
      replicas: props.replicas,
      weight: props.weight,
      expireAfter: props.expireAfter,
      disruption: props.disruption ?? {
        consolidationPolicy: ConsolidationPolicy.WHEN_EMPTY,
        consolidateAfter: Duration.minutes(10),
        budgets: [
          { nodes: '1' },
          { nodes: '0', schedule: '0 8 * * mon-fri', duration: Duration.hours(10), reasons: [DisruptionReason.DRIFTED] },
        ],
      },
      nodeClassOptions: {
        amiAlias: props.amiAlias ?? (bottlerocket ? BOTTLEROCKET_AMI_ALIAS : undefined),
        rootVolumeSize: props.rootVolumeSize ?? Size.gibibytes(300),
        rootVolumeThroughput: props.rootVolumeThroughput ?? 500,
        rootVolumeIops: props.rootVolumeIops ?? 6000,
        capacityReservations: props.capacityReservations,
        placementGroupName: props.placementGroupName,
        efaInterfaces,
        instanceStoreRaid0: raid0,
      },
    });
    this.candidates = candidates;
    this.deviceManagement = mode;
    this.efa = efa;
    this.efaInterfaces = efaInterfaces;
    this.timeSlicingConfig = props.timeSlicingConfig;
    this.migLayout = props.migLayout;
    this.migDevices = migDevices;
    this.gpuLimits = { ...limits };

    if (mode === DeviceManagement.DRA) {
      if (props.replicas === undefined) {
        Annotations.of(this).addWarningV2('agentic-eks:draDynamicPool',
          `GPU NodePool '${name}' uses DRA without 'replicas': Karpenter 1.14 ignores DRA claims when it picks instances, so pods must select the pool with nodeSelector ${GPU_POOL_LABEL}=${name}`);
      }
    }

    this.addRequirement(GpuNodePool.typeRequirement(props, candidates));
    const gpuNames = [...new Set(candidates.map((c) => c.gpu.karpenterName))].sort();
    this.addRequirement({ key: 'karpenter.k8s.aws/instance-gpu-name', operator: RequirementOperator.IN, values: gpuNames });
    this.addRequirement({ key: 'karpenter.k8s.aws/instance-gpu-manufacturer', operator: RequirementOperator.IN, values: ['nvidia'] });
    this.addTaint(GPU_TAINT);
    for (const t of props.taints ?? []) this.addTaint(t);
    this.addLabel(GPU_POOL_LABEL, name);
    this.addLabel(GPU_DEVICE_MANAGEMENT_LABEL, mode);
    if (efa) this.addLabel(EFA_POOL_LABEL, 'true');
    if (props.timeSlicingConfig !== undefined) this.addLabel(DEVICE_PLUGIN_CONFIG_LABEL, props.timeSlicingConfig);
    if (props.migLayout !== undefined) this.addLabel(MIG_CONFIG_LABEL, props.migLayout.name);
    for (const [k, v] of Object.entries(props.labels ?? {})) this.addLabel(k, v);
  }

  private static typeRequirement(props: GpuNodePoolOptions, candidates: GpuInstanceType[]): NodeRequirement {
    if (props.instanceTypes !== undefined || props.minGpusPerNode !== undefined || props.minGpuMemory !== undefined) {
      return { key: 'node.kubernetes.io/instance-type', operator: RequirementOperator.IN, values: candidates.map((c) => c.name).sort() };
    }
    const families = [...new Set(candidates.map((c) => c.family))].sort();
    return { key: 'karpenter.k8s.aws/instance-family', operator: RequirementOperator.IN, values: families };
  }

  /** GPUs per node of the smallest candidate (what a workload can count on). */
  public get minGpusPerNode(): number {
    return Math.min(...this.candidates.map((c) => c.gpuCount));
  }

  /** GPUs per node of the largest candidate. */
  public get maxGpusPerNode(): number {
    return Math.max(...this.candidates.map((c) => c.gpuCount));
  }

  /** Node selector that pins a workload to this pool. */
  public get nodeSelector(): Record<string, string> {
    return { [GPU_POOL_LABEL]: this.name };
  }

  /** CPU architectures of the candidates. */
  public get cpuArchitectures(): CpuArchitecture[] {
    return [...new Set(this.candidates.map((c) => c.cpuArchitecture))];
  }
}

/** `7 x 1g.10gb`, `1 x 3g.40gb + 1 x 2g.20gb`. */
export function describeDevices(devices: Readonly<Record<string, number>>): string {
  return Object.entries(devices).map(([p, n]) => `${n} x ${p}`).join(' + ');
}
