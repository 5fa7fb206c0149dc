import { Duration } from 'aws-cdk-lib';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { TrainJob, TrainJobSpecTrainerResourcesPerNodeLimits } from '../../imports/trainer-trainjob-trainer.kubeflow.org';
import { DatasetSource } from './dataset-source';
import { LocalQueue, WorkloadPriorityClass } from './kueue/queues';
import { FineTuneMemory, FineTuneMethod, ShardingStrategy } from './sizing';
import { GpuNodePool, GPU_TAINT, DO_NOT_DISRUPT_ANNOTATION } from '../gpu/gpu-node-pool';
import { FineTuneOutput } from '../serving/fine-tune-output';
import { HuggingFaceTokenSecret, ModelSource } from '../serving/model-source';
import { ModelSpec } from '../serving/model-spec';
import { ContainerImage } from '../versions';

/** Manager name of the library's runtime patches. */
export const RUNTIME_PATCH_MANAGER = 'agentic-eks.io/training';

/** A toleration of the training pods (Kubernetes form). */
export interface TrainingToleration {
  /** Taint key. @default - every key (with operator Exists) */
  readonly key?: string;
  /** `Exists` or `Equal`. @default 'Equal' */
  readonly operator?: string;
  /** Taint value. @default - none */
  readonly value?: string;
  /** Taint effect. @default - every effect */
  readonly effect?: string;
}

/**
 * What a fine-tune adds to the pods of its training runtime (a TrainJob `runtimePatches` entry, applied to the `node`
 * job): tolerations, node selection and volumes. The library already adds the GPU taint's toleration, the pool's
 * node selector and the ServiceAccount.
 * @see https://github.com/kubeflow/trainer/blob/v2.3.0/examples/yaml/02-runtime-patches.yaml
 */
export interface TrainingRuntimePatches {
  /** Extra tolerations. @default - none */
  readonly tolerations?: TrainingToleration[];
  /** Extra node selector labels (merged with the pool's). @default - none */
  readonly nodeSelector?: Record<string, string>;
  /** Pod volumes (Kubernetes form, e.g. `{ name: 'fsx', persistentVolumeClaim: { claimName: 'datasets' } }`). @default - none */
  readonly volumes?: Record<string, unknown>[];
  /** Where the trainer container mounts them (`{ name, mountPath, readOnly? }`). @default - none */
  readonly volumeMounts?: TrainingVolumeMount[];
}

/** Options of `platform.training.addFineTuning()`. */
export interface FineTuningOptions {
  /** TrainJob name (DNS label, at most 40 characters: JobSet prefixes pod names with it). */
  readonly name: string;
  /** The base model (its memory shape drives the synth-time check). */
  readonly model: ModelSpec;
  /**
   * Where the base model's weights come from: `ModelSource.fromHuggingFace()` or `ModelSource.fromS3()`.
   * @default - the model's Hugging Face repository, with the platform's Hugging Face token
   */
  readonly modelSource?: ModelSource;
  /** The training data: `DatasetSource.fromS3()`, `fromHuggingFace()` or `fromUri('s3://...' | 'hf://...')`. */
  readonly dataset: DatasetSource;
  /** Where the trainer writes checkpoints, `s3://bucket/prefix` (read/write for the fine-tune's role); passed as `CHECKPOINT_URI`. */
  readonly checkpoints: string;
  /**
   * Where the training program writes the servable result in Hugging Face format, `s3://bucket/prefix`, passed as
   * `OUTPUT_URI`: for LoRA a PEFT adapter (`adapter_config.json`, `adapter_model.safetensors`), for a full fine-tune
   * the model (`config.json`, tokenizer, `*.safetensors`). {@link FineTuning.output} hands it to serving
   * (`LoraAdapter.fromFineTune()`, `ModelSource.fromFineTune()`).
   * @default - `<checkpoints>/hf`
   */
  readonly output?: string;
  /** The GPU pool the training nodes run on (by construct). */
  readonly pool: GpuNodePool;
  /** Training nodes. @default 1 */
  readonly nodes?: number;
  /** torchrun processes (one GPU each) per node. @default - the pool's GPUs per node */
  readonly processesPerNode?: number;
  /** Full fine-tune or LoRA. @default FineTuneMethod.LORA */
  readonly method?: FineTuneMethod;
  /** Sharding of weights, gradients and optimizer states. @default ShardingStrategy.FSDP */
  readonly strategy?: ShardingStrategy;
  /** LoRA rank. @default 16 */
  readonly loraRank?: number;
  /** Tokens per training sequence (activation sizing). @default 4096 */
  readonly sequenceLength?: number;
  /** Sequences per GPU per step (activation sizing). @default 1 */
  readonly microBatchSize?: number;
  /**
   * What torchrun runs: the training script and its arguments (e.g. a Megatron-Bridge or NeMo AutoModel recipe in the
   * NeMo image). `MODEL_DIR`, `DATASET_DIR`, `CHECKPOINT_URI`, `FINE_TUNE_METHOD` and `SHARDING_STRATEGY` are in its
   * environment.
   */
  readonly command: string[];
  /** Extra environment of the trainer. @default - none */
  readonly env?: Record<string, string>;
  /** Trainer image. @default ContainerImage.NEMO */
  readonly image?: ContainerImage;
  /** Use the pool's EFA interfaces (the `nemo-efa` runtime). @default - the pool's `efa` */
  readonly efa?: boolean;
  /** Tolerations, node selection and volumes added to the training pods. @default - none */
  readonly runtimePatches?: TrainingRuntimePatches;
  /**
   * The Kueue LocalQueue (from `kueue.addTeamQueue()`): the TrainJob gets the `kueue.x-k8s.io/queue-name` label and is
   * created suspended; Kueue starts it when the team's ClusterQueue admits all its GPUs at once. The fine-tune runs in
   * the queue's team namespace; its pool must be one of the queue's pools.
   * @default - not queued
   */
  readonly queue?: LocalQueue;
  /**
   * The Kueue WorkloadPriorityClass (`kueue.priorityClass('high')`, `kueue.addPriorityClass()`); needs `queue`.
   * @default - none (priority 0)
   */
  readonly priority?: WorkloadPriorityClass;
  /** How long the TrainJob may run before it is failed (`activeDeadlineSeconds`). @default - no deadline */
  readonly activeDeadline?: Duration;
}

/** Props of a {@link FineTuning}. */
export interface FineTuningProps extends FineTuningOptions {
  /** Namespace. */
  readonly namespace: string;
  /** Model source with the token resolved. */
  readonly resolvedModelSource: ModelSource;
  /** The servable result. */
  readonly resolvedOutput: FineTuneOutput;
  /** Hugging Face token Secret of the dataset, resolved. */
  readonly datasetToken?: HuggingFaceTokenSecret;
  /** Resolved nodes, processes per node, method, strategy, EFA. */
  readonly resolved: FineTuneLayout;
  /** The memory check's result. */
  readonly memory: FineTuneMemory;
  /** ServiceAccount of the pods. */
  readonly serviceAccountName: string;
}

function tokenEnv(token: HuggingFaceTokenSecret | undefined): Record<string, unknown>[] {
  return token === undefined ? [] : [{ name: 'ACCESS_TOKEN', valueFrom: { secretKeyRef: { name: token.name, key: token.key ?? 'HF_TOKEN' } } }];
}

/**
 * A fine-tune: a Kubeflow `TrainJob` on the NeMo runtime, pinned to its GPU pool (GPU taint toleration, the pool's
 * node selector), with `karpenter.sh/do-not-disrupt` on its pods, the base model and dataset downloaded on every node,
 * and checkpoints written to S3.
 */
export class FineTuning extends Construct {
  /** TrainJob name. */
  public readonly name: string;
  /** Namespace. */
  public readonly namespace: string;
  /** Nodes. */
  public readonly nodes: number;
  /** Processes (GPUs) per node. */
  public readonly processesPerNode: number;
  /** The GPU memory check. */
  public readonly memory: FineTuneMemory;
  /** The GPU pool the fine-tune runs on. */
  public readonly pool: GpuNodePool;
  /** How long the TrainJob may run, if limited. */
  public readonly activeDeadline?: Duration;
  /** The TrainJob. */
  public readonly trainJob: ApiObject;
  /**
   * What the fine-tune writes for serving (`OUTPUT_URI`): a LoRA adapter or full weights of {@link FineTuningOptions.model}
   * in S3. Serve it with `LoraAdapter.fromFineTune(fineTune.output)` on a model of the base model, or
   * `ModelSource.fromFineTune(fineTune.output)`.
   */
  public readonly output: FineTuneOutput;

  constructor(scope: Construct, id: string, props: FineTuningProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace;
    this.nodes = props.resolved.nodes;
    this.processesPerNode = props.resolved.processesPerNode;
    this.memory = props.memory;
    this.pool = props.pool;
    this.activeDeadline = props.activeDeadline;
    this.output = props.resolvedOutput;
    const pool = props.pool;
    const patches = props.runtimePatches ?? {};
    const labels: Record<string, string> = props.queue !== undefined ? props.queue.labels(props.priority) : {};
    const limits: Record<string, TrainJobSpecTrainerResourcesPerNodeLimits> = {
      'nvidia.com/gpu': TrainJobSpecTrainerResourcesPerNodeLimits.fromNumber(this.processesPerNode),
    };
    if (props.resolved.efa) limits['vpc.amazonaws.com/efa'] = TrainJobSpecTrainerResourcesPerNodeLimits.fromNumber(pool.efaInterfaces);
    const env = {
      CHECKPOINT_URI: props.checkpoints,
      OUTPUT_URI: props.resolvedOutput.uri,
      FINE_TUNE_METHOD: props.resolved.method,
      SHARDING_STRATEGY: props.resolved.strategy,
      ...props.env,
    };
    const tolerations = [
      { key: GPU_TAINT.key, operator: 'Equal', value: GPU_TAINT.value, effect: GPU_TAINT.effect },
      ...(patches.tolerations ?? []),
    ];
    this.trainJob = new TrainJob(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: Object.keys(labels).length > 0 ? labels : undefined },
      spec: {
        runtimeRef: { apiGroup: 'trainer.kubeflow.org', kind: 'ClusterTrainingRuntime', name: props.resolved.efa ? 'nemo-efa' : 'nemo' },
        suspend: props.queue !== undefined ? true : undefined,
        activeDeadlineSeconds: props.activeDeadline?.toSeconds(),
        trainer: {
          image: (props.image ?? ContainerImage.NEMO).uri,
          command: ['torchrun', ...props.command],
          numNodes: this.nodes,
          numProcPerNode: this.processesPerNode,
          resourcesPerNode: { limits },
          env: Object.entries(env).map(([name, value]) => ({ name, value })),
        },
        runtimePatches: [{
          manager: RUNTIME_PATCH_MANAGER,
          trainingRuntimeSpec: {
            template: {
              spec: {
                replicatedJobs: [{
                  name: 'node',
                  template: {
                    spec: {
                      template: {
                        metadata: { annotations: { ...DO_NOT_DISRUPT_ANNOTATION } },
                        spec: {
                          serviceAccountName: props.serviceAccountName,
                          nodeSelector: { ...patches.nodeSelector, ...pool.nodeSelector },
                          tolerations: tolerations as never,
                          volumes: patches.volumes as never,
                          initContainers: [
                            { name: 'model-initializer', env: [{ name: 'STORAGE_URI', value: storageUri(props.resolvedModelSource) }, ...tokenEnv(props.resolvedModelSource.tokenSecret)] as never },
                            { name: 'dataset-initializer', env: [{ name: 'STORAGE_URI', value: props.dataset.uri }, ...tokenEnv(props.datasetToken)] as never },
                          ],
                          containers: patches.volumeMounts !== undefined && patches.volumeMounts.length > 0
                            ? [{ name: 'node', volumeMounts: patches.volumeMounts.map((m) => ({ ...m })) }]
                            : undefined,
                        },
                      },
                    },
                  },
                }],
              },
            },
          },
        }],
      },
    });
  }
}

/** The initializer's `STORAGE_URI` of a model source: `hf://org/name` or `s3://bucket/prefix`. */
export function storageUri(source: ModelSource): string {
  return source.s3 !== undefined ? source.uri : `hf://${source.uri}`;
}

/** Where the trainer container mounts a pod volume. */
export interface TrainingVolumeMount {
  /** Name of the volume (one of the patch's `volumes`). */
  readonly name: string;
  /** Mount path in the container. */
  readonly mountPath: string;
  /** Mount read-only. @default false */
  readonly readOnly?: boolean;
}

/** How a fine-tune runs, as resolved from its options and pool. */
export interface FineTuneLayout {
  /** Training nodes. */
  readonly nodes: number;
  /** Processes (GPUs) per node. */
  readonly processesPerNode: number;
  /** Full fine-tune or LoRA. */
  readonly method: FineTuneMethod;
  /** Sharding strategy. */
  readonly strategy: ShardingStrategy;
  /** Whether EFA is used. */
  readonly efa: boolean;
}
