import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { TrainJob, TrainJobSpecTrainerResourcesPerNodeLimits } from '../../imports/trainer-trainjob-trainer.kubeflow.org';
import { RUNTIME_PATCH_MANAGER } from './fine-tuning';
import { NCCL_TESTS_RUNTIME } from './runtimes';
import { DO_NOT_DISRUPT_ANNOTATION, GpuNodePool, GPU_TAINT } from '../gpu/gpu-node-pool';

/**
 * What all_reduce_perf should report as peak `busbw` (the last column, GB/s) between nodes of an instance type: close
 * to the node's EFA line rate in GB/s, which bounds the inter-node part of a ring all-reduce. UNCERTAIN: derived from
 * the published EFA bandwidth (p4d/p4de 4 x 100 Gbps, p5 and p5en 3200 Gbps), not from measurements read here; the
 * "expected" band is 80-95% of the line rate, as NCCL reaches on healthy fabrics. A result far below (single-digit
 * GB/s) means NCCL fell back to TCP sockets: look for `NET/OFI` / `Selected Provider is efa` in the log.
 */
export const EXPECTED_BUS_BANDWIDTH: Readonly<Record<string, { readonly lineRateGBps: number; readonly expectedGBps: string; readonly source: string }>> = {
  'p4d.24xlarge': { lineRateGBps: 50, expectedGBps: '40-47', source: 'EC2 p4d: 400 Gbps EFA (4 x 100); UNCERTAIN band' },
  'p4de.24xlarge': { lineRateGBps: 50, expectedGBps: '40-47', source: 'EC2 p4de: 400 Gbps EFA (4 x 100); UNCERTAIN band' },
  'p5.48xlarge': { lineRateGBps: 400, expectedGBps: '320-380', source: 'EC2 p5.48xlarge: 3200 Gbps EFAv2 (32 interfaces); UNCERTAIN band' },
  'p5en.48xlarge': { lineRateGBps: 400, expectedGBps: '320-380', source: 'EC2 p5en.48xlarge: 3200 Gbps EFAv3 (16 interfaces); UNCERTAIN band' },
};

/** Options of `platform.training.addNcclTest()`. */
export interface NcclTestOptions {
  /** TrainJob name. @default 'nccl-<pool name>' */
  readonly name?: string;
  /** The EFA pool to test. */
  readonly pool: GpuNodePool;
  /** Nodes (at least 2: the test is of the fabric between nodes). @default 2 */
  readonly nodes?: number;
  /** Largest message size of the sweep (all_reduce_perf `-e`). @default '16G' */
  readonly maxBytes?: string;
}

/** Props of an {@link NcclTest}. */
export interface NcclTestProps extends NcclTestOptions {
  /** Namespace. */
  readonly namespace: string;
  /** Resolved name and nodes. */
  readonly resolved: NcclTestLayout;
}

/**
 * A fabric check of an EFA pool: nccl-tests `all_reduce_perf` over `nodes` x GPUs per node, launched by `mpirun`
 * through Kubeflow Trainer's MPI runtime (`nccl-tests`), with `NCCL_DEBUG=INFO`. The launcher's log (`kubectl logs
 * -n <ns> -l jobset.sigs.k8s.io/replicatedjob-name=launcher`) holds the size / algbw / busbw table and the NCCL lines
 * that show which network was selected; compare the peak busbw with {@link EXPECTED_BUS_BANDWIDTH}.
 */
export class NcclTest extends Construct {
  /** TrainJob name. */
  public readonly name: string;
  /** The TrainJob. */
  public readonly trainJob: ApiObject;

  constructor(scope: Construct, id: string, props: NcclTestProps) {
    super(scope, id);
    const { name, nodes, gpusPerNode } = props.resolved;
    this.name = name;
    const pool = props.pool;
    const ranks = nodes * gpusPerNode;
    const mpirun = [
      'mpirun', '--allow-run-as-root', '--hostfile', '/etc/mpi/hostfile', '-np', `${ranks}`, '-N', `${gpusPerNode}`, '--bind-to', 'none',
      '-x', 'FI_PROVIDER', '-x', 'NCCL_NET_PLUGIN', '-x', 'NCCL_DEBUG=INFO', '-x', 'LD_LIBRARY_PATH', '-x', 'PATH',
      'all_reduce_perf', '-b', '8', '-e', props.maxBytes ?? '16G', '-f', '2', '-g', '1',
    ];
    const podPatch = {
      metadata: { annotations: { ...DO_NOT_DISRUPT_ANNOTATION } },
      spec: {
        nodeSelector: { ...pool.nodeSelector },
        tolerations: [{ key: GPU_TAINT.key, operator: 'Equal', value: GPU_TAINT.value, effect: GPU_TAINT.effect }] as never,
      },
    };
    this.trainJob = new TrainJob(this, 'Resource', {
      metadata: { name, namespace: props.namespace },
      spec: {
        runtimeRef: { apiGroup: 'trainer.kubeflow.org', kind: 'ClusterTrainingRuntime', name: NCCL_TESTS_RUNTIME },
        trainer: {
          command: mpirun,
          numNodes: nodes,
          numProcPerNode: gpusPerNode,
          resourcesPerNode: {
            limits: {
              'nvidia.com/gpu': TrainJobSpecTrainerResourcesPerNodeLimits.fromNumber(gpusPerNode),
              'vpc.amazonaws.com/efa': TrainJobSpecTrainerResourcesPerNodeLimits.fromNumber(pool.efaInterfaces),
            },
          },
        },
        runtimePatches: [{
          manager: RUNTIME_PATCH_MANAGER,
          trainingRuntimeSpec: {
            template: {
              spec: {
                replicatedJobs: ['launcher', 'node'].map((job) => ({ name: job, template: { spec: { template: podPatch } } })),
              },
            },
          },
        }],
      },
    });
  }
}

/** An NCCL test's resolved name and size. */
export interface NcclTestLayout {
  /** TrainJob name. */
  readonly name: string;
  /** Nodes. */
  readonly nodes: number;
  /** GPUs per node. */
  readonly gpusPerNode: number;
}
