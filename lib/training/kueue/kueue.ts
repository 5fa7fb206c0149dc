import { Construct } from 'constructs';
import { teamGpuQuota, placementGroupOf } from './private/facts';
import { LocalQueue, TeamQueue, WorkloadPriority, WorkloadPriorityClass } from './queues';
import {
  ClusterQueueV1Beta2, ClusterQueueV1Beta2SpecPreemptionBorrowWithinCohortPolicy, ClusterQueueV1Beta2SpecPreemptionReclaimWithinCohort,
  ClusterQueueV1Beta2SpecPreemptionWithinClusterQueue, ClusterQueueV1Beta2SpecResourceGroupsFlavorsResourcesBorrowingLimit,
  ClusterQueueV1Beta2SpecResourceGroupsFlavorsResourcesLendingLimit, ClusterQueueV1Beta2SpecResourceGroupsFlavorsResourcesNominalQuota,
} from '../../../imports/kueue-clusterqueue-kueue.x-k8s.io';
import { ResourceFlavorV1Beta2 } from '../../../imports/kueue-resourceflavor-kueue.x-k8s.io';
import { TopologyV1Beta2 } from '../../../imports/kueue-topology-kueue.x-k8s.io';
import { HelmComponent, KubernetesComponent, Stage } from '../../core/component';
import { JsonObject } from '../../core/deep-merge';
import { PlatformDefinition } from '../../core/platform-definition';
import { SYSTEM_NODE_TOLERATION } from '../../core/scheduling';
import { check, checkDnsLabel, isToken } from '../../core/validation';
import { DeviceManagement } from '../../gpu/device-management/labels';
import { GpuNodePool } from '../../gpu/gpu-node-pool';
import { Team } from '../../teams/team';
import { ContainerImage, HelmChartVersion } from '../../versions';

/** Namespace of the Kueue controller (upstream's install default). */
export const KUEUE_NAMESPACE = 'kueue-system';
/** The resource Kueue's quotas count: whole NVIDIA GPUs. */
export const GPU_RESOURCE = 'nvidia.com/gpu';

/**
 * Resources Kueue leaves out of its accounting (manager configuration `resources.excludeResourcePrefixes`): the
 * platform's queues hold GPU quota only; CPU, memory and the rest stay governed by each team's ResourceQuota.
 */
export const KUEUE_EXCLUDED_RESOURCE_PREFIXES: readonly string[] = [
  'cpu', 'memory', 'ephemeral-storage', 'hugepages-', 'pods', 'vpc.amazonaws.com/efa',
];

/**
 * Node labels of the EC2 instance topology, highest network layer first, then the node: the levels of the
 * {@link Kueue} `Topology` for topology-aware scheduling. UNCERTAIN: the `topology.k8s.aws/network-node-layer-*`
 * labels are those EKS documents for instance topology (EC2 DescribeInstanceTopology, layer 1 farthest from the
 * instance); check that the nodes of the pool carry them before relying on TAS.
 */
export const AWS_NETWORK_TOPOLOGY_LEVELS: readonly string[] = [
  'topology.k8s.aws/network-node-layer-1',
  'topology.k8s.aws/network-node-layer-2',
  'topology.k8s.aws/network-node-layer-3',
  'kubernetes.io/hostname',
];

/** Job frameworks Kueue manages (manager configuration `integrations.frameworks`). */
export enum KueueIntegration {
  /** Kubernetes `batch/v1` Job. */
  BATCH_JOB = 'batch/job',
  /** JobSet (what Kubeflow Trainer v2 runs a TrainJob as). */
  JOBSET = 'jobset.x-k8s.io/jobset',
  /** Kubeflow Trainer v2 TrainJob. */
  TRAINJOB = 'trainer.kubeflow.org/trainjob',
  /** KubeRay RayJob. */
  RAY_JOB = 'ray.io/rayjob',
  /** KubeRay RayCluster. */
  RAY_CLUSTER = 'ray.io/raycluster',
  /** LeaderWorkerSet. */
  LEADER_WORKER_SET = 'leaderworkerset.x-k8s.io/leaderworkerset',
}

/** The default priority classes: `low` (100), `normal` (1000) and `high` (10000). */
export const DEFAULT_WORKLOAD_PRIORITIES: readonly WorkloadPriority[] = [
  { name: 'low', value: 100, description: 'Preemptible experiments and sweeps' },
  { name: 'normal', value: 1000, description: 'Regular training and fine-tuning jobs' },
  { name: 'high', value: 10000, description: 'Deadline-bound jobs; preempt lower priorities' },
];

/** Options of {@link Kueue}. */
export interface KueueOptions {
  /** The pinned chart. @default HelmChartVersion.KUEUE */
  readonly chart?: HelmChartVersion;
  /** Controller image. @default ContainerImage.KUEUE (the released image; the chart's git default is staging) */
  readonly image?: ContainerImage;
  /**
   * Job frameworks Kueue manages.
   * @default - TrainJob, JobSet, RayJob, RayCluster and batch Job
   * @see https://kueue.sigs.k8s.io/docs/reference/kueue-config.v1beta2/#Integrations
   */
  readonly integrations?: KueueIntegration[];
  /** Workload priority classes. @default DEFAULT_WORKLOAD_PRIORITIES (low, normal, high) */
  readonly priorities?: WorkloadPriority[];
  /** Cohort every team queue joins, so idle quota is lent and borrowed between teams. @default 'platform' */
  readonly cohort?: string;
  /**
   * Raw chart values deep-merged after the computed ones (escape hatch).
   * @default - none
   * @see https://github.com/kubernetes-sigs/kueue/blob/v0.19.2/charts/kueue/values.yaml
   */
  readonly values?: JsonObject;
}

/** Props of {@link Kueue}. */
export interface KueueProps extends KueueOptions {
  /** The platform's Kubernetes-side definition. */
  readonly definition: PlatformDefinition;
}

/** Options of {@link Kueue.addPool}. */
export interface KueuePoolOptions {
  /**
   * Topology-aware scheduling: the flavor names the `Topology` of {@link AWS_NETWORK_TOPOLOGY_LEVELS}, so Kueue packs
   * the pods of a job onto nodes close in the EC2 network. TAS only places pods on nodes that exist: use it with
   * static pools (`replicas`) or capacity blocks.
   * @default - on for EFA pools that launch into a placement group, off otherwise
   */
  readonly topologyAwareScheduling?: boolean;
}

/** GPU quota of a team on one pool. */
export interface TeamPoolQuota {
  /** The GPU pool (its ResourceFlavor is added to Kueue if needed). */
  readonly pool: GpuNodePool;
  /**
   * GPUs guaranteed to the team on this pool (`nominalQuota`).
   * @default - the team's whole `gpuQuota` (one pool only)
   */
  readonly gpus?: number;
  /**
   * GPUs the team may borrow on this pool from idle quota of the cohort (`borrowingLimit`). Borrowed GPUs still count
   * against the team's ResourceQuota, so `gpus` plus `borrowingLimit` over all pools may not exceed `gpuQuota`.
   * @default - one pool: `gpuQuota` minus `gpus`; several pools: 0
   */
  readonly borrowingLimit?: number;
  /** GPUs of the team's quota on this pool the cohort may borrow (`lendingLimit`). @default - all of `gpus` */
  readonly lendingLimit?: number;
}

/** Options of {@link Kueue.addTeamQueue}. */
export interface TeamQueueOptions {
  /** The team; its `gpuQuota` is the ceiling of the queue. */
  readonly team: Team;
  /** GPU quota per pool. */
  readonly pools: TeamPoolQuota[];
  /** Names of the LocalQueues in the team's namespace (all point at the team's ClusterQueue). @default ['default'] */
  readonly localQueues?: string[];
}

const DEFAULT_INTEGRATIONS = [
  KueueIntegration.TRAINJOB, KueueIntegration.JOBSET, KueueIntegration.RAY_JOB, KueueIntegration.RAY_CLUSTER, KueueIntegration.BATCH_JOB,
];
const TOPOLOGY_NAME = 'aws-network';

function checkGpuCount(prop: string, value: number | undefined): void {
  if (value === undefined || isToken(value)) return;
  check(Number.isInteger(value) && value >= 0, `'${prop}' (${value}) must be a whole number of GPUs, zero or more`);
}

/**
 * Kueue (chart `kueue` from `oci://registry.k8s.io/kueue/charts`) in `kueue-system` on the system nodes, and the
 * platform's queues: a `ResourceFlavor` per GPU pool (node labels and taints read from the pool, so Kueue and
 * Karpenter agree), a `ClusterQueue` per team whose GPU quota comes from the team's `gpuQuota` and that lends and
 * borrows within one cohort, `LocalQueue`s in the team namespaces, `WorkloadPriorityClass`es and, for EFA pools in a
 * placement group, a `Topology` for topology-aware scheduling.
 *
 * Kubernetes side: component `kueue` (stage CONTROLLERS; the chart owns the Kueue CRDs) and component `kueue-queues`
 * (stage CONFIGURATION). Jobs join a queue by reference: `addTeamQueue()` returns the team's {@link LocalQueue}s and
 * {@link priorityClass} the {@link WorkloadPriorityClass}es, which fine-tunes and RayJobs take as `queue` and
 * `priority` (labels `kueue.x-k8s.io/queue-name` and `kueue.x-k8s.io/priority-class`). Kueue counts GPUs only
 * ({@link KUEUE_EXCLUDED_RESOURCE_PREFIXES}).
 */
export class Kueue extends Construct {
  /** The Kueue chart. */
  public readonly controller: HelmComponent;
  /** Flavors, topology, priority classes and queues. */
  public readonly queues: KubernetesComponent;
  /** The cohort of the team queues. */
  public readonly cohort: string;
  /** Frameworks Kueue manages. */
  public readonly integrations: KueueIntegration[];
  private readonly flavors = new Map<string, { pool: GpuNodePool; topology: boolean }>();
  private readonly teamQueues = new Map<string, TeamQueue>();
  private readonly priorities = new Map<string, WorkloadPriorityClass>();
  private topology?: TopologyV1Beta2;

  constructor(scope: Construct, id: string, props: KueueProps) {
    super(scope, id);
    this.cohort = props.cohort ?? 'platform';
    checkDnsLabel('cohort', this.cohort);
    this.integrations = [...new Set(props.integrations ?? DEFAULT_INTEGRATIONS)];
    check(this.integrations.length > 0, "'integrations' must name at least one job framework");
    const priorities = props.priorities ?? DEFAULT_WORKLOAD_PRIORITIES;
    const names = new Set<string>();
    for (const p of priorities) {
      check(!names.has(p.name), `workload priority class '${p.name}' is defined twice`);
      names.add(p.name);
    }
    const image = props.image ?? ContainerImage.KUEUE;
    const integrations = this.integrations;

    this.controller = new HelmComponent(props.definition, 'Kueue', {
      name: 'kueue',
      namespace: KUEUE_NAMESPACE,
      stage: Stage.CONTROLLERS,
      description: 'Kueue: job queueing with GPU quotas per team, cohorts, priorities and topology-aware scheduling',
      chart: props.chart ?? HelmChartVersion.KUEUE,
      // The chart renders its CRDs from templates/crd/ (no switch): this component owns the kueue.x-k8s.io CRDs.
      includesCrds: true,
      values: { render: () => ({
        controllerManager: {
          manager: { image: { repository: image.repository, tag: image.tag, pullPolicy: 'IfNotPresent' } },
          tolerations: [SYSTEM_NODE_TOLERATION],
        },
        managerConfig: { controllerManagerConfigYaml: managerConfigYaml(integrations) },
      }) },
      valueOverrides: props.values,
    });

    this.queues = new KubernetesComponent(props.definition, 'KueueQueues', {
      name: 'kueue-queues',
      stage: Stage.CONFIGURATION,
      description: `Kueue flavors, priority classes and team queues (cohort '${this.cohort}')`,
    });
    this.queues.addDependency(this.controller);
    for (const p of priorities) this.addPriorityClass(p);
  }

  /** The workload priority classes, in the order they were defined. */
  public get priorityClasses(): WorkloadPriorityClass[] {
    return [...this.priorities.values()];
  }

  /**
   * Adds a `WorkloadPriorityClass` (cluster-scoped, in the `kueue-queues` component) and returns it, to pass as
   * `priority` of fine-tunes and RayJobs.
   */
  public addPriorityClass(priority: WorkloadPriority): WorkloadPriorityClass {
    check(!this.priorities.has(priority.name), `workload priority class '${priority.name}' is defined twice`);
    const created = new WorkloadPriorityClass(this.queues, `Priority-${priority.name}`, { ...priority, kueue: this });
    this.priorities.set(priority.name, created);
    return created;
  }

  /** The workload priority class named `name` (e.g. `'high'` of the defaults); refuses a class that is not defined. */
  public priorityClass(name: string): WorkloadPriorityClass {
    const p = this.priorities.get(name);
    check(p !== undefined, `workload priority class '${name}' is not defined (defined: ${[...this.priorities.keys()].join(', ') || 'none'})`);
    return p;
  }

  /** Names of the pools that have a ResourceFlavor. */
  public get flavorNames(): string[] {
    return [...this.flavors.keys()];
  }

  /**
   * Adds the `ResourceFlavor` of a GPU pool (named after the pool): `nodeLabels` the pool's selector label,
   * `nodeTaints` and `tolerations` the pool's taints, and `topologyName` for topology-aware scheduling. Adding a pool
   * twice returns the first flavor's name.
   * @returns the flavor name
   */
  public addPool(pool: GpuNodePool, options: KueuePoolOptions = {}): string {
    const existing = this.flavors.get(pool.name);
    if (existing !== undefined) {
      check(existing.pool === pool, `two GPU pools are named '${pool.name}': Kueue flavors are named after their pool`);
      return pool.name;
    }
    check(pool.deviceManagement !== DeviceManagement.DRA,
      `GPU NodePool '${pool.name}' hands out GPUs through DRA claims, which Kueue's '${GPU_RESOURCE}' quotas do not count: queue jobs on device-plugin pools`);
    check(pool.migLayout === undefined,
      `GPU NodePool '${pool.name}' partitions its GPUs with MIG layout '${pool.migLayout?.name}' (resources nvidia.com/mig-*): Kueue quotas here count whole GPUs ('${GPU_RESOURCE}')`);
    const placementGroup = placementGroupOf(pool);
    const topology = options.topologyAwareScheduling ?? (pool.efa && placementGroup !== undefined);
    if (topology) this.ensureTopology();
    const taints = pool.nodeTaints;
    new ResourceFlavorV1Beta2(this.queues, `Flavor-${pool.name}`, {
      metadata: { name: pool.name },
      spec: {
        nodeLabels: pool.nodeSelector,
        nodeTaints: taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
        tolerations: taints.map((t) => ({ key: t.key, operator: t.value !== undefined ? 'Equal' : 'Exists', value: t.value, effect: t.effect })),
        topologyName: topology ? TOPOLOGY_NAME : undefined,
      },
    });
    this.flavors.set(pool.name, { pool, topology });
    return pool.name;
  }

  /**
   * Adds a team's queue: ClusterQueue `<team>` (cohort {@link cohort}, only the team's namespace, GPU quota per pool)
   * and LocalQueues in the team's namespace. The team's `gpuQuota` is the one definition of its GPUs: a queue on one
   * pool takes all of it; guaranteed GPUs plus borrowing limits may never exceed it, since the team's ResourceQuota
   * would refuse the pods of what Kueue admits beyond it.
   */
  public addTeamQueue(options: TeamQueueOptions): TeamQueue {
    const team = options.team;
    check(!this.teamQueues.has(team.name), `team '${team.name}' already has a Kueue queue`);
    const quota = teamGpuQuota(team);
    check(quota !== undefined,
      `team '${team.name}' has no 'gpuQuota': its Kueue GPU quota is taken from it (ResourceQuota requests.nvidia.com/gpu); set 'gpuQuota' on the team`);
    const pools = options.pools;
    check(pools.length > 0, `the Kueue queue of team '${team.name}' must name at least one GPU pool in 'pools'`);
    const names = new Set<string>();
    for (const p of pools) {
      check(!names.has(p.pool.name), `the Kueue queue of team '${team.name}' names pool '${p.pool.name}' twice`);
      names.add(p.pool.name);
      checkGpuCount(`pools[${p.pool.name}].gpus`, p.gpus);
      checkGpuCount(`pools[${p.pool.name}].borrowingLimit`, p.borrowingLimit);
      checkGpuCount(`pools[${p.pool.name}].lendingLimit`, p.lendingLimit);
      if (pools.length > 1) {
        check(p.gpus !== undefined,
          `'gpus' of pool '${p.pool.name}' in the Kueue queue of team '${team.name}' is required when the queue spans ${pools.length} pools: split the team's 'gpuQuota' (${quota}) between them`);
      }
    }
    const nominal: Record<string, number> = {};
    for (const p of pools) nominal[p.pool.name] = p.gpus ?? quota;
    const totalNominal = Object.values(nominal).reduce((a, b) => a + b, 0);
    const borrowing: Record<string, number> = {};
    for (const p of pools) borrowing[p.pool.name] = p.borrowingLimit ?? (pools.length === 1 ? Math.max(0, quota - totalNominal) : 0);
    const totalBorrowing = Object.values(borrowing).reduce((a, b) => a + b, 0);
    check(totalNominal + totalBorrowing <= quota,
      `Kueue quota of team '${team.name}' (${totalNominal} guaranteed + ${totalBorrowing} borrowable = ${totalNominal + totalBorrowing} GPUs) exceeds the team's 'gpuQuota' (${quota}), the ResourceQuota requests.nvidia.com/gpu its pods are held to: lower 'gpus' or 'borrowingLimit', or raise 'gpuQuota'`);
    for (const p of pools) {
      if (p.lendingLimit !== undefined) {
        check(p.lendingLimit <= nominal[p.pool.name],
          `'lendingLimit' (${p.lendingLimit}) of pool '${p.pool.name}' in the Kueue queue of team '${team.name}' exceeds its guaranteed GPUs (${nominal[p.pool.name]})`);
      }
    }
    const localQueues = options.localQueues ?? ['default'];
    check(localQueues.length > 0, `the Kueue queue of team '${team.name}' needs at least one LocalQueue in 'localQueues'`);
    check(new Set(localQueues).size === localQueues.length, `'localQueues' of team '${team.name}' names a queue twice`);
    localQueues.forEach((q) => checkDnsLabel('localQueues', q));
    for (const p of pools) this.addPool(p.pool);

    new ClusterQueueV1Beta2(this.queues, `ClusterQueue-${team.name}`, {
      metadata: { name: team.name, labels: team.labels },
      spec: {
        cohortName: this.cohort,
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': team.namespace } },
        preemption: {
          reclaimWithinCohort: ClusterQueueV1Beta2SpecPreemptionReclaimWithinCohort.ANY,
          borrowWithinCohort: { policy: ClusterQueueV1Beta2SpecPreemptionBorrowWithinCohortPolicy.LOWER_PRIORITY },
          withinClusterQueue: ClusterQueueV1Beta2SpecPreemptionWithinClusterQueue.LOWER_PRIORITY,
        },
        resourceGroups: [{
          coveredResources: [GPU_RESOURCE],
          flavors: pools.map((p) => ({
            name: p.pool.name,
            resources: [{
              name: GPU_RESOURCE,
              nominalQuota: ClusterQueueV1Beta2SpecResourceGroupsFlavorsResourcesNominalQuota.fromNumber(nominal[p.pool.name]),
              borrowingLimit: ClusterQueueV1Beta2SpecResourceGroupsFlavorsResourcesBorrowingLimit.fromNumber(borrowing[p.pool.name]),
              lendingLimit: p.lendingLimit !== undefined
                ? ClusterQueueV1Beta2SpecResourceGroupsFlavorsResourcesLendingLimit.fromNumber(p.lendingLimit) : undefined,
            }],
          })),
        }],
      },
    });
    const queues = localQueues.map((q) => new LocalQueue(this.queues, `LocalQueue-${team.name}-${q}`, {
      kueue: this, team, name: q, clusterQueueName: team.name,
    }));
    this.queues.addDependency(team.component);
    const result = new TeamQueue({ team, clusterQueueName: team.name, localQueues: queues, nominalGpus: nominal, borrowingLimits: borrowing });
    this.teamQueues.set(team.name, result);
    return result;
  }

  /** The queue of a team; throws when the team has none. */
  public queueOf(team: Team): TeamQueue {
    const q = this.teamQueues.get(team.name);
    check(q !== undefined && q.team === team,
      `team '${team.name}' has no Kueue queue: add it with addTeamQueue() first (teams with queues: ${[...this.teamQueues.keys()].join(', ') || 'none'})`);
    return q;
  }

  /** Whether the flavor of a pool uses topology-aware scheduling. */
  public isTopologyAware(pool: GpuNodePool): boolean {
    return this.flavors.get(pool.name)?.topology ?? false;
  }

  private ensureTopology(): void {
    if (this.topology !== undefined) return;
    this.topology = new TopologyV1Beta2(this.queues, 'Topology', {
      metadata: { name: TOPOLOGY_NAME },
      spec: { levels: AWS_NETWORK_TOPOLOGY_LEVELS.map((nodeLabel) => ({ nodeLabel })) },
    });
  }
}

/** The Kueue manager Configuration (`config.kueue.x-k8s.io/v1beta2`) with the chart's defaults and the platform's integrations. */
export function managerConfigYaml(integrations: readonly KueueIntegration[]): string {
  return [
    'apiVersion: config.kueue.x-k8s.io/v1beta2',
    'kind: Configuration',
    'health:',
    '  healthProbeBindAddress: :8081',
    'metrics:',
    '  bindAddress: :8443',
    'webhook:',
    '  port: 9443',
    'leaderElection:',
    '  leaderElect: true',
    '  resourceName: c1f6bfd2.kueue.x-k8s.io',
    'controller:',
    '  groupKindConcurrency:',
    '    Job.batch: 5',
    '    Pod: 5',
    '    Workload.kueue.x-k8s.io: 10',
    '    LocalQueue.kueue.x-k8s.io: 5',
    '    ClusterQueue.kueue.x-k8s.io: 5',
    '    ResourceFlavor.kueue.x-k8s.io: 1',
    'clientConnection:',
    '  qps: 300',
    '  burst: 500',
    'integrations:',
    '  frameworks:',
    ...integrations.map((f) => `  - ${JSON.stringify(f)}`),
    'resources:',
    '  excludeResourcePrefixes:',
    ...KUEUE_EXCLUDED_RESOURCE_PREFIXES.map((p) => `  - ${JSON.stringify(p)}`),
    '',
  ].join('\n');
}
