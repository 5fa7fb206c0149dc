import { Construct } from 'constructs';
import {
  ClusterTrainingRuntime, ClusterTrainingRuntimeSpecMlPolicyMpiMpiImplementation as MpiImplementation,
  ClusterTrainingRuntimeSpecTemplateSpecReplicatedJobsDependsOnStatus as DependsOnStatus,
  ClusterTrainingRuntimeSpecTemplateSpecSuccessPolicyOperator as SuccessPolicyOperator,
} from '../../imports/trainer-clustertrainingruntime-trainer.kubeflow.org';
import { ContainerImage } from '../versions';

/** Name of the NeMo runtime for pools without EFA. */
export const NEMO_RUNTIME = 'nemo';
/** Name of the NeMo runtime for EFA pools. */
export const NEMO_EFA_RUNTIME = 'nemo-efa';
/** Name of the nccl-tests runtime (MPI). */
export const NCCL_TESTS_RUNTIME = 'nccl-tests';

/** Where the initializers write and the trainer reads, on every node (an emptyDir). */
export const WORKSPACE = { volume: 'workspace', mountPath: '/workspace', dataset: '/workspace/dataset', model: '/workspace/model' } as const;

/**
 * libfabric / NCCL environment of EFA pods, for aws-ofi-nccl >= 1.7 with libfabric >= 1.18 (aws/aws-ofi-nccl
 * doc/efa-env-var.md; infra.md section 3):
 * - `FI_PROVIDER=efa`: libfabric uses only the EFA provider, so a missing device fails loudly instead of falling back
 *   to TCP (only strictly needed by aws-ofi-nccl <= 1.5, harmless since).
 * - `NCCL_NET_PLUGIN=ofi`: NCCL loads `libnccl-net-ofi.so` (aws-ofi-nccl). NVIDIA's PyTorch base images default to the
 *   Spectrum-X plugin (`spcx`) since mid 2026 (NVIDIA-NeMo/Megatron-Bridge PR #5033), and NCCL 2.29+ looks for a
 *   differently named OFI library by default (NVIDIA/exemplar-performance PR #39), both silent TCP fallbacks.
 * Not set: `FI_EFA_USE_DEVICE_RDMA` ("do not set for libfabric>=1.18.0 and aws-ofi-nccl>=1.7.0"; p5 needs
 * aws-ofi-nccl >= 1.7.3 anyway), `NCCL_PROTO=simple` (<= 1.5 only), `FI_EFA_FORK_SAFE`, `RDMAV_*`, socket tuning.
 */
export const EFA_ENV: ReadonlyArray<{ readonly name: string; readonly value: string }> = [
  { name: 'FI_PROVIDER', value: 'efa' },
  { name: 'NCCL_NET_PLUGIN', value: 'ofi' },
];

const ANCESTOR = 'trainer.kubeflow.org/trainjob-ancestor-step';

/**
 * The NeMo ClusterTrainingRuntimes: `nemo` and, for EFA pools, `nemo-efa`. torchrun launches the training program
 * (the runtime's ML policy is `torch`; nodes and processes per node come from each TrainJob) in the pinned NeMo image.
 * Every node first downloads the base model and the dataset into its own `/workspace` (Kubeflow's model and dataset
 * initializers as init containers: no shared volume is needed across nodes; their `STORAGE_URI` and token come
 * from each TrainJob's runtime patch). `/dev/shm` is memory-backed (NCCL and the data loaders use it). `nemo-efa`
 * adds the libfabric / NCCL environment of {@link EFA_ENV} and `IPC_LOCK` (EFA pins memory for RDMA); the EFA
 * devices themselves are requested per TrainJob (`resourcesPerNode`, the pool's interface count).
 */
export function addNemoRuntime(scope: Construct, efa: boolean, image: ContainerImage): ClusterTrainingRuntime {
  const initializer = (name: string, img: string) => ({
    name,
    image: img,
    volumeMounts: [{ name: WORKSPACE.volume, mountPath: WORKSPACE.mountPath }],
  });
  return new ClusterTrainingRuntime(scope, efa ? 'NemoEfa' : 'Nemo', {
    metadata: {
      name: efa ? NEMO_EFA_RUNTIME : NEMO_RUNTIME,
      labels: { 'trainer.kubeflow.org/framework': 'torch' },
    },
    spec: {
      mlPolicy: { numNodes: 1, torch: {} },
      template: {
        spec: {
          replicatedJobs: [{
            name: 'node',
            template: {
              metadata: { labels: { [ANCESTOR]: 'trainer' } },
              spec: {
                template: {
                  spec: {
                    initContainers: [
                      initializer('model-initializer', ContainerImage.KUBEFLOW_MODEL_INITIALIZER.uri),
                      initializer('dataset-initializer', ContainerImage.KUBEFLOW_DATASET_INITIALIZER.uri),
                    ],
                    containers: [{
                      name: 'node',
                      image: image.uri,
                      command: ['torchrun'],
                      env: [
                        { name: 'MODEL_DIR', value: WORKSPACE.model },
                        { name: 'DATASET_DIR', value: WORKSPACE.dataset },
                        ...(efa ? EFA_ENV.map((e) => ({ ...e })) : []),
                      ],
                      securityContext: efa ? { capabilities: { add: ['IPC_LOCK'] } } : undefined,
                      volumeMounts: [
                        { name: WORKSPACE.volume, mountPath: WORKSPACE.mountPath },
                        { name: 'dshm', mountPath: '/dev/shm' },
                      ],
                    }],
                    volumes: [
                      { name: WORKSPACE.volume, emptyDir: {} },
                      { name: 'dshm', emptyDir: { medium: 'Memory' } },
                    ],
                  },
                },
              },
            },
          }],
        },
      },
    },
  });
}

/**
 * The `nccl-tests` ClusterTrainingRuntime: Kubeflow Trainer's MPI policy (Open MPI, SSH keys and hostfile generated
 * by the trainer, the launcher also a node) over the nccl-tests image. Node pods run `sshd`; the launcher runs
 * `mpirun ... all_reduce_perf` (the TrainJob's command) and its log holds the result table.
 */
export function addNcclTestsRuntime(scope: Construct, image: ContainerImage): ClusterTrainingRuntime {
  const container = (command?: string[]) => ({
    name: 'node',
    image: image.uri,
    command,
    env: EFA_ENV.map((e) => ({ ...e })),
    securityContext: { capabilities: { add: ['IPC_LOCK'] } },
    volumeMounts: [{ name: 'dshm', mountPath: '/dev/shm' }],
  });
  const podSpec = (command?: string[]) => ({
    containers: [container(command)],
    volumes: [{ name: 'dshm', emptyDir: { medium: 'Memory' } }],
  });
  return new ClusterTrainingRuntime(scope, 'NcclTests', {
    metadata: { name: NCCL_TESTS_RUNTIME, labels: { 'trainer.kubeflow.org/framework': 'mpi' } },
    spec: {
      mlPolicy: {
        numNodes: 1,
        mpi: { numProcPerNode: 1, mpiImplementation: MpiImplementation.OPEN_MPI, sshAuthMountPath: '/root/.ssh', runLauncherAsNode: true },
      },
      template: {
        spec: {
          network: { publishNotReadyAddresses: true },
          successPolicy: { operator: SuccessPolicyOperator.ALL, targetReplicatedJobs: ['launcher'] },
          replicatedJobs: [
            {
              name: 'launcher',
              dependsOn: [{ name: 'node', status: DependsOnStatus.READY }],
              template: {
                metadata: { labels: { [ANCESTOR]: 'trainer' } },
                spec: { template: { spec: podSpec() } },
              },
            },
            {
              name: 'node',
              template: { spec: { template: { spec: podSpec(['/bin/bash', '-c', 'ssh-keygen -A && mkdir -p /run/sshd && exec /usr/sbin/sshd -De']) } } },
            },
          ],
        },
      },
    },
  });
}
