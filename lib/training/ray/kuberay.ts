import { Size } from 'aws-cdk-lib';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { HelmComponent, KubernetesComponent, Stage } from '../../core/component';
import { JsonObject } from '../../core/deep-merge';
import { PlatformDefinition } from '../../core/platform-definition';
import { cpuQuantity, memoryQuantity } from '../../core/private/quantities';
import { Cpu } from '../../core/units';
import { SYSTEM_NODE_TOLERATION } from '../../core/scheduling';
import { check, checkDnsLabel, checkLiteral } from '../../core/validation';
import { EFA_POOL_LABEL, GpuNodePool } from '../../gpu/gpu-node-pool';
import { FlowPeer, FlowPort } from '../../network/flow';
import { NetworkFlows } from '../../network/network-flows';
import { ContainerImage, HelmChartVersion } from '../../versions';
import { LocalQueue, WorkloadPriorityClass } from '../kueue/queues';
import { LustreFileSystem } from '../storage/lustre';

/** Namespace of the KubeRay operator. */
export const KUBERAY_NAMESPACE = 'kuberay';
/** Port of the Ray dashboard / job API on the head (the operator polls job status there). */
export const RAY_DASHBOARD_PORT = 8265;

/** Options of the KubeRay operator. */
export interface KubeRayOperatorOptions {
  /** The pinned chart. @default HelmChartVersion.KUBERAY_OPERATOR */
  readonly chart?: HelmChartVersion;
  /**
   * Raw chart values deep-merged after the computed ones (escape hatch).
   * @default - none
   * @see https://github.com/ray-project/kuberay/blob/v1.7.0/helm-chart/kuberay-operator/values.yaml
   */
  readonly values?: JsonObject;
}

/** Props of the KubeRay operator. */
export interface KubeRayOperatorProps extends KubeRayOperatorOptions {
  /** The platform's Kubernetes-side definition. */
  readonly definition: PlatformDefinition;
}

/**
 * The KubeRay operator (chart `kuberay-operator`) in namespace `kuberay`, on the system nodes. Its RayCluster, RayJob,
 * RayService and RayCronJob CRDs (0.8-1.4 MB each) come from the chart's `crds/` and exceed the 256 KiB client-side
 * apply limit: Argo CD applies them server-side (`ServerSideApply=true`, the GitOps rendering's default). Kueue needs
 * no batch-scheduler setting here.
 */
export class KubeRayOperator extends Construct {
  /** The chart. */
  public readonly operator: HelmComponent;
  /** Namespace. */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: KubeRayOperatorProps) {
    super(scope, id);
    this.namespace = KUBERAY_NAMESPACE;
    this.operator = new HelmComponent(props.definition, 'KubeRayOperator', {
      name: 'kuberay-operator',
      namespace: KUBERAY_NAMESPACE,
      stage: Stage.CONTROLLERS,
      description: 'KubeRay operator: RayJob and RayCluster for Ray-based fine-tuning',
      chart: props.chart ?? HelmChartVersion.KUBERAY_OPERATOR,
      includesCrds: true,
      values: { render: () => ({ tolerations: [SYSTEM_NODE_TOLERATION] }) },
      valueOverrides: props.values,
    });
  }
}

/** CPU and memory of a Ray pod. */
export interface RayPodResources {
  /** CPU. */
  readonly cpu: Cpu;
  /** Memory. */
  readonly memory: Size;
}

/** A shared volume mounted into every Ray pod. */
export interface RayVolumeMount {
  /** The Lustre file system (its claim must be in the team's namespace). */
  readonly fileSystem: LustreFileSystem;
  /** Mount path. */
  readonly mountPath: string;
}

/** Options of a {@link RayJob} (what `platform.training.addRayJob()` takes). */
export interface RayJobOptions {
  /**
   * The Kueue LocalQueue the job is submitted to (from `kueue.addTeamQueue()`): the job runs in the queue's team
   * namespace, suspended until the team's ClusterQueue admits it.
   */
  readonly queue: LocalQueue;
  /** RayJob name (a DNS label). */
  readonly name: string;
  /** Ray image (its Ray version must be `rayVersion`), e.g. `rayproject/ray:2.49.0-py311-gpu`. */
  readonly image: ContainerImage;
  /** Ray version of the image (`rayClusterSpec.rayVersion`). */
  readonly rayVersion: string;
  /** Command the job runs on the head, e.g. `python /mnt/code/finetune.py`. */
  readonly entrypoint: string;
  /** GPU pool of the workers; must be a pool of the team's Kueue queue. */
  readonly pool: GpuNodePool;
  /** Worker pods. @default 1 */
  readonly workers?: number;
  /** GPUs per worker. @default - the GPUs of the pool's smallest node */
  readonly gpusPerWorker?: number;
  /** CPU and memory of the head (on CPU nodes). @default - 2 CPU, 8 GiB */
  readonly head?: RayPodResources;
  /** CPU and memory of each worker. @default - 8 CPU, 64 GiB */
  readonly worker?: RayPodResources;
  /** Kueue priority class (`kueue.priorityClass('normal')`, `kueue.addPriorityClass()`). @default - none (priority 0) */
  readonly priority?: WorkloadPriorityClass;
  /** Shared volumes mounted into the head and the workers. @default - none */
  readonly volumes?: RayVolumeMount[];
}

/** Props of {@link RayJob}. */
export interface RayJobProps extends RayJobOptions {
  /** The platform's Kubernetes-side definition. */
  readonly definition: PlatformDefinition;
  /** The KubeRay operator. */
  readonly operator: KubeRayOperator;
}

const RESTRICTED = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/**
 * A RayJob (`ray.io/v1`) for Ray-based fine-tuning on the platform's pools and queues: submitted suspended to the
 * team's Kueue LocalQueue (label `kueue.x-k8s.io/queue-name`), head on CPU nodes, workers on a GPU pool with its node
 * selector and toleration, the cluster torn down when the job finishes. Kubernetes side: component
 * `rayjob-<name>` (stage WORKLOADS) in the team's namespace.
 *
 * The RayJob CRD is not among the stored schemas (`shared/schemas/kuberay` has RayCluster and RayService only), so
 * the object is built from its group, version and kind; tests validate it against the CRD of the vendored chart.
 */
export class RayJob extends Construct {
  /** The component. */
  public readonly component: KubernetesComponent;
  /** The RayJob object. */
  public readonly resource: ApiObject;
  /** Namespace (the team's). */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: RayJobProps) {
    super(scope, id);
    checkDnsLabel('name', props.name);
    checkLiteral('entrypoint', props.entrypoint);
    check(props.entrypoint.trim().length > 0, `'entrypoint' of RayJob '${props.name}' must not be empty`);
    check(/^\d+\.\d+\.\d+$/.test(props.rayVersion), `'rayVersion' (${props.rayVersion}) of RayJob '${props.name}' must be a Ray version such as 2.49.0`);
    const team = props.queue.team;
    const pool = props.pool;
    const teamQueue = props.queue.teamQueue;
    check(teamQueue.gpuCeiling(pool) !== undefined,
      `GPU NodePool '${pool.name}' is not in the Kueue queue of team '${team.name}' (its pools: ${Object.keys(teamQueue.nominalGpus).join(', ')}): RayJob '${props.name}' would never be admitted`);
    const workers = props.workers ?? 1;
    check(Number.isInteger(workers) && workers >= 1, `'workers' (${workers}) of RayJob '${props.name}' must be an integer of at least 1`);
    const gpus = props.gpusPerWorker ?? pool.minGpusPerNode;
    check(Number.isInteger(gpus) && gpus >= 1 && gpus <= pool.maxGpusPerNode,
      `'gpusPerWorker' (${gpus}) of RayJob '${props.name}' must be an integer from 1 to the ${pool.maxGpusPerNode} GPUs of a node of pool '${pool.name}'`);
    teamQueue.checkAdmissible(`RayJob '${props.name}'`, pool, workers * gpus, `${workers} x ${gpus}`);
    for (const v of props.volumes ?? []) {
      check(v.fileSystem.namespace === team.namespace,
        `volume '${v.fileSystem.claimName}' of RayJob '${props.name}' is claimed in namespace '${v.fileSystem.namespace}', not in the team's '${team.namespace}'`);
      check(v.mountPath.startsWith('/'), `'mountPath' (${v.mountPath}) of RayJob '${props.name}' must be an absolute path`);
    }
    const labels = props.queue.labels(props.priority);
    this.namespace = team.namespace;

    this.component = new KubernetesComponent(props.definition, `RayJob-${team.name}-${props.name}`, {
      name: `rayjob-${props.name}`,
      namespace: team.namespace,
      stage: Stage.WORKLOADS,
      description: `RayJob '${props.name}' of team '${team.name}': ${workers} worker(s) x ${gpus} GPU(s) on pool '${pool.name}'`,
    });
    this.component.addDependency(team.component, props.queue.kueue.queues, props.operator.operator);

    const head = props.head ?? { cpu: Cpu.cores(2), memory: Size.gibibytes(8) };
    const worker = props.worker ?? { cpu: Cpu.cores(8), memory: Size.gibibytes(64) };
    const mounts = (props.volumes ?? []).map((v, i) => ({ name: `shared-${i}`, mountPath: v.mountPath }));
    const volumes = (props.volumes ?? []).map((v, i) => v.fileSystem.podVolume(`shared-${i}`));
    const shm = { name: 'dshm', emptyDir: { medium: 'Memory' } };
    const podLabels = { ...team.labels, 'app.kubernetes.io/name': props.name, 'app.kubernetes.io/component': 'ray' };
    const workerResources: Record<string, string> = { 'nvidia.com/gpu': `${gpus}` };
    if (pool.efa) workerResources['vpc.amazonaws.com/efa'] = `${pool.efaInterfaces}`;

    this.resource = new ApiObject(this.component, 'Resource', {
      apiVersion: 'ray.io/v1',
      kind: 'RayJob',
      metadata: { name: props.name, namespace: team.namespace, labels: { ...team.labels, ...labels } },
      spec: {
        entrypoint: props.entrypoint,
        // Kueue unsuspends the job when the team's queue admits it.
        suspend: true,
        shutdownAfterJobFinishes: true,
        ttlSecondsAfterFinished: 600,
        rayClusterSpec: {
          rayVersion: props.rayVersion,
          headGroupSpec: {
            rayStartParams: {},
            template: {
              metadata: { labels: podLabels },
              spec: {
                containers: [{
                  name: 'ray-head',
                  image: props.image.uri,
                  ports: [
                    { name: 'gcs', containerPort: 6379, protocol: 'TCP' },
                    { name: 'dashboard', containerPort: RAY_DASHBOARD_PORT, protocol: 'TCP' },
                    { name: 'client', containerPort: 10001, protocol: 'TCP' },
                  ],
                  resources: {
                    requests: { cpu: cpuQuantity(head.cpu).value, memory: memoryQuantity(head.memory).value },
                    limits: { cpu: cpuQuantity(head.cpu).value, memory: memoryQuantity(head.memory).value },
                  },
                  securityContext: RESTRICTED,
                  volumeMounts: [{ name: 'dshm', mountPath: '/dev/shm' }, ...mounts],
                }],
                volumes: [shm, ...volumes],
              },
            },
          },
          workerGroupSpecs: [{
            groupName: pool.name,
            replicas: workers,
            minReplicas: workers,
            maxReplicas: workers,
            rayStartParams: {},
            template: {
              metadata: { labels: podLabels },
              spec: {
                nodeSelector: pool.efa ? { ...pool.nodeSelector, [EFA_POOL_LABEL]: 'true' } : pool.nodeSelector,
                tolerations: pool.nodeTaints.map((t) => ({
                  key: t.key, operator: t.value !== undefined ? 'Equal' : 'Exists', value: t.value, effect: t.effect,
                })),
                containers: [{
                  name: 'ray-worker',
                  image: props.image.uri,
                  resources: {
                    requests: { cpu: cpuQuantity(worker.cpu).value, memory: memoryQuantity(worker.memory).value, ...workerResources },
                    limits: { cpu: cpuQuantity(worker.cpu).value, memory: memoryQuantity(worker.memory).value, ...workerResources },
                  },
                  securityContext: RESTRICTED,
                  volumeMounts: [{ name: 'dshm', mountPath: '/dev/shm' }, ...mounts],
                }],
                volumes: [shm, ...volumes],
              },
            },
          }],
        },
        submitterPodTemplate: {
          metadata: { labels: podLabels },
          spec: {
            restartPolicy: 'Never',
            containers: [{
              name: 'ray-job-submitter',
              image: props.image.uri,
              resources: { requests: { cpu: '200m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
              securityContext: RESTRICTED,
            }],
          },
        },
      },
    });

    const flows = NetworkFlows.of(props.definition);
    const flowName = `kuberay-to-team-${team.name}`;
    if (!flows.flows.some((f) => f.name === flowName)) {
      flows.allow({
        name: flowName,
        from: FlowPeer.inNamespace(props.operator.namespace),
        to: FlowPeer.inNamespace(team.namespace),
        ports: [FlowPort.tcp(RAY_DASHBOARD_PORT)],
        description: `the KubeRay operator follows the RayJobs of team '${team.name}' through the Ray dashboard API`,
      });
    }
  }
}
