import { Duration, Size } from 'aws-cdk-lib';
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-34';
import { Construct } from 'constructs';
import { LORA_ADAPTERS_DIR, LoraAdapter, LoraAdapterSourceKind, LoraServingSettings, resolveLoraServing, VLLM_MAX_LORA_RANKS } from './lora-adapter';
import { IModelEndpoint, ModelTask, ModelWorkloadKind, PrefixCacheSettings } from './model-endpoint';
import { ModelSource, ModelSourceKind } from './model-source';
import { KvCacheDType, ModelSpec } from './model-spec';
import { ServiceMonitor } from '../../imports/prometheus-servicemonitor-monitoring.coreos.com';
import { LeaderWorkerSet, LeaderWorkerSetSpecLeaderWorkerTemplateRestartPolicy } from '../../imports/lws-leaderworkerset-leaderworkerset.x-k8s.io';
import { PlatformDefinition } from '../core/platform-definition';
import { PodSecurityLevel } from '../core/pod-security';
import { check, checkDnsLabel } from '../core/validation';
import { FlowPeer, FlowPort } from '../network/flow';
import { NetworkFlows } from '../network/network-flows';
import { GpuInstanceType } from '../gpu/catalog';
import { DeviceManagement } from '../gpu/device-management/labels';
import { GPU_POOL_LABEL, GpuNodePool } from '../gpu/gpu-node-pool';
import { ContainerImage } from '../versions';

/**
 * The `vllm serve` flags that run an embedding model with vLLM's pooling runner: `--runner pooling` and, for
 * checkpoints whose architecture is a causal LM (e.g. Qwen3-Embedding's `Qwen3ForCausalLM`), `--convert embed`.
 * UNCERTAIN at the pinned vLLM: read from the vLLM 0.10-0.18 docs (0.9 and older used `--task embed`).
 */
export const DEFAULT_POOLING_RUNNER_ARGS: readonly string[] = ['--runner', 'pooling', '--convert', 'embed'];

/** vLLM's HTTP port (OpenAI API, /health, /metrics). */
export const VLLM_PORT = 8000;
/** Label naming the model on every serving pod. */
export const MODEL_LABEL = 'agentic-eks.io/model';
/** Label recommended by the Gateway API Inference Extension for model-server pods. */
export const ENGINE_TYPE_LABEL = 'inference.networking.k8s.io/engine-type';


/** Options of a vLLM model that the serving layer does not compute. */
export interface VllmModelOptions {
  /** Object name (Deployment / LeaderWorkerSet / Service), a DNS label. */
  readonly name: string;
  /** The model. */
  readonly spec: ModelSpec;
  /**
   * What the model serves: text generation, or embeddings with vLLM's pooling runner (`poolingRunnerArgs`). An
   * embedding model is sized like any model; its defaults change: no prefix caching, KV cache in the model's dtype.
   * @default ModelTask.GENERATE
   */
  readonly task?: ModelTask;
  /**
   * The flags that select the pooling runner for `ModelTask.EMBED`, for vLLM versions whose flags differ.
   * @default DEFAULT_POOLING_RUNNER_ARGS (`--runner pooling --convert embed`)
   */
  readonly poolingRunnerArgs?: string[];
  /** Public model name (`--served-model-name`). @default - the Hugging Face repository of the spec */
  readonly servedModelName?: string;
  /** Where the weights come from. @default ModelSource.fromHuggingFace(spec.huggingFaceRepo) */
  readonly source?: ModelSource;
  /** Namespace. @default 'models' */
  readonly namespace?: string;
  /** Maximum context (`--max-model-len`). @default - min(model maximum, 32768) */
  readonly contextLength?: number;
  /** Share of GPU memory vLLM may use (`--gpu-memory-utilization`). @default 0.9 */
  readonly gpuMemoryUtilization?: number;
  /** KV-cache dtype. @default - FP8 when every GPU of the pool supports FP8 (generation), else AUTO */
  readonly kvCacheDType?: KvCacheDType;
  /** Automatic prefix caching (needed for llm-d prefix-aware routing). @default - true (generation), false (embeddings) */
  readonly prefixCaching?: boolean;
  /** KV block size in tokens (`--block-size`). @default 16 */
  readonly blockSize?: number;
  /** `PYTHONHASHSEED` of the servers (prefix hashes must agree across replicas and with the router). @default '42' */
  readonly hashSeed?: string;
  /**
   * LoRA adapters served next to the model (`LoraAdapter.fromFineTune(fineTune.output)`, `fromS3()`,
   * `fromHuggingFace()`); each must have been trained on a model of the same architecture as `spec`.
   * @default - none
   */
  readonly loraAdapters?: LoraAdapter[];
  /**
   * Largest LoRA rank vLLM reserves memory for (`--max-lora-rank`, one of {@link VLLM_MAX_LORA_RANKS}); at least the
   * rank of every adapter.
   * @default - 64, or the smallest allowed value that holds the largest adapter rank above 64
   */
  readonly maxLoraRank?: number;
  /**
   * Image of the init containers that download S3 adapters (`STORAGE_URI` into `/workspace/model`).
   * @default ContainerImage.KUBEFLOW_MODEL_INITIALIZER
   */
  readonly adapterDownloaderImage?: ContainerImage;
  /** OTLP endpoint for request traces (`--otlp-traces-endpoint`). @default - tracing off */
  readonly otlpTracesEndpoint?: string;
  /** Extra `vllm serve` arguments, appended last (escape hatch). @default - none */
  readonly extraArgs?: string[];
  /** vLLM image. @default ContainerImage.VLLM_OPENAI */
  readonly image?: ContainerImage;
  /** Replicas when no autoscaler manages the model. @default 1 */
  readonly replicas?: number;
  /** How long the startup probe waits for download and compilation. @default Duration.minutes(60) */
  readonly startupTimeout?: Duration;
  /** Size of the memory-backed /dev/shm. @default Size.gibibytes(16) */
  readonly sharedMemory?: Size;
  /** `release` label of the ServiceMonitor. @default 'kube-prometheus-stack' */
  readonly prometheusRelease?: string;
}

/** Props of a vLLM model: options plus the layout the serving layer chose. */
export interface VllmModelProps extends VllmModelOptions {
  /** GPU pool the model runs on. */
  readonly pool: GpuNodePool;
  /** Instance type the layout was sized for. */
  readonly instanceType: GpuInstanceType;
  /** Tensor-parallel size (GPUs per node used). */
  readonly tensorParallelSize: number;
  /** Pipeline-parallel size (nodes per replica; > 1 runs on a LeaderWorkerSet). @default 1 */
  readonly pipelineParallelSize?: number;
  /** DRA claim template of the pool's GPUs (DRA pools only). @default - none */
  readonly resourceClaimTemplateName?: string;
  /**
   * An autoscaler (KEDA) owns the replica count: the workload is rendered without `replicas`, so neither `cdk deploy`
   * nor Argo CD's self-heal fights the HPA. @default false
   */
  readonly autoscaled?: boolean;
}

/**
 * The KV-cache dtype a model gets when none is given: FP8 for generation when every candidate GPU supports it (half
 * the KV memory), else the model's own dtype; embeddings always keep the model's dtype.
 */
export function defaultKvCacheDType(task: ModelTask, candidates: readonly GpuInstanceType[]): KvCacheDType {
  return task === ModelTask.GENERATE && candidates.every((c) => c.gpu.fp8) ? KvCacheDType.FP8 : KvCacheDType.AUTO;
}

function quantity(size: Size): string {
  const mib = size.toMebibytes();
  return mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi`;
}

/**
 * A model served by vLLM (`vllm/vllm-openai`, pinned): a Deployment on one node, or a LeaderWorkerSet across nodes
 * (pipeline parallel, EFA when the pool has it), with a Service, a PodDisruptionBudget and a ServiceMonitor. Pods
 * tolerate the GPU taint, select their pool, request the layout's GPUs (or the pool's DRA claim), mount a
 * memory-backed /dev/shm, and probe /health (liveness) and /v1/models (readiness, startup).
 */
export class VllmModel extends Construct implements IModelEndpoint {
  /** Port vLLM serves its OpenAI-compatible API on (container and Service). */
  public static readonly PORT = VLLM_PORT;

  public readonly servedModelName: string;
  public readonly namespace: string;
  public readonly serviceName: string;
  public readonly port = VLLM_PORT;
  public readonly podLabels: Record<string, string>;
  public readonly workloadKind: ModelWorkloadKind;
  public readonly workloadName: string;
  public readonly workloadApiVersion: string;
  public readonly prefixCache?: PrefixCacheSettings;
  public readonly task: ModelTask;
  /** The model spec. */
  public readonly spec: ModelSpec;
  /** Pool. */
  public readonly pool: GpuNodePool;
  /** Tensor-parallel size. */
  public readonly tensorParallelSize: number;
  /** Pipeline-parallel size. */
  public readonly pipelineParallelSize: number;
  /** `--max-model-len`. */
  public readonly contextLength: number;
  /** The model source. */
  public readonly source: ModelSource;
  /** The `vllm serve` arguments (after the model argument), for inspection. */
  public readonly args: string[];
  /** `--max-lora-rank`, `--max-loras` and the GPU memory of the adapter slots, when the model serves adapters. */
  public readonly lora?: LoraServingSettings;
  private readonly _loraAdapters: LoraAdapter[];

  constructor(scope: Construct, id: string, props: VllmModelProps) {
    super(scope, id);
    checkDnsLabel('name', props.name);
    this.namespace = props.namespace ?? 'models';
    checkDnsLabel('namespace', this.namespace);
    this.spec = props.spec;
    this.pool = props.pool;
    this.workloadName = props.name;
    this.serviceName = props.name;
    this.servedModelName = props.servedModelName ?? props.spec.huggingFaceRepo;
    const tp = props.tensorParallelSize;
    const pp = props.pipelineParallelSize ?? 1;
    this.tensorParallelSize = tp;
    this.pipelineParallelSize = pp;
    const gpusPerNode = props.instanceType.gpuCount;
    check(Number.isInteger(tp) && tp >= 1 && gpusPerNode % tp === 0,
      `'tensorParallelSize' (${tp}) must divide the GPUs per node (${gpusPerNode}) of NodePool '${props.pool.name}'`);
    check(props.spec.attentionHeads % tp === 0,
      `'tensorParallelSize' (${tp}) must divide the attention heads (${props.spec.attentionHeads}) of ${props.spec.name}`);
    check(Number.isInteger(pp) && pp >= 1, `'pipelineParallelSize' (${pp}) must be an integer of at least 1`);
    if (pp > 1) {
      check(tp === gpusPerNode,
        `model '${props.name}' spans ${pp} nodes, so 'tensorParallelSize' (${tp}) must use every GPU of a node (${gpusPerNode})`);
    }
    check(props.pool.candidates.some((c) => c.name === props.instanceType.name),
      `instance type ${props.instanceType.name} is not a candidate of NodePool '${props.pool.name}'`);
    this.contextLength = props.contextLength ?? Math.min(props.spec.maxContextLength, 32768);
    check(Number.isInteger(this.contextLength) && this.contextLength >= 1 && this.contextLength <= props.spec.maxContextLength,
      `'contextLength' (${this.contextLength}) is above the model's maximum context (${props.spec.maxContextLength}) of ${props.spec.name}`);
    const util = props.gpuMemoryUtilization ?? 0.9;
    check(util > 0 && util < 1, `'gpuMemoryUtilization' (${util}) must be between 0 and 1`);
    const replicas = props.replicas ?? 1;
    check(Number.isInteger(replicas) && replicas >= 0, `'replicas' (${replicas}) must be a whole number`);
    const adapters = [...(props.loraAdapters ?? [])];
    this._loraAdapters = adapters;
    this.lora = resolveLoraServing(props.name, props.spec, this.servedModelName, adapters, props.maxLoraRank);
    const image = props.image ?? ContainerImage.VLLM_OPENAI;
    const source = props.source ?? ModelSource.fromHuggingFace(props.spec.huggingFaceRepo);
    this.source = source;
    const task = props.task ?? ModelTask.GENERATE;
    this.task = task;
    const embed = task === ModelTask.EMBED;
    check(embed || props.poolingRunnerArgs === undefined,
      `'poolingRunnerArgs' of model '${props.name}' apply to embedding models: set 'task: ModelTask.EMBED'`);
    const pooling = embed ? [...(props.poolingRunnerArgs ?? DEFAULT_POOLING_RUNNER_ARGS)] : [];
    check(!embed || pooling.length > 0, `'poolingRunnerArgs' of embedding model '${props.name}' must select vLLM's pooling runner, e.g. --runner pooling`);
    const fp8 = props.kvCacheDType ?? defaultKvCacheDType(task, props.pool.candidates);
    const prefixCaching = props.prefixCaching ?? !embed;
    const blockSize = props.blockSize ?? 16;
    check([8, 16, 32, 64, 128].includes(blockSize), `'blockSize' (${blockSize}) must be one of 8, 16, 32, 64, 128`);
    const hashSeed = props.hashSeed ?? '42';
    this.prefixCache = prefixCaching ? { blockSize, hashSeed } : undefined;
    this.podLabels = { [MODEL_LABEL]: props.name, [ENGINE_TYPE_LABEL]: 'vllm' };

    const args = [
      '--host', '0.0.0.0',
      '--port', String(VLLM_PORT),
      '--served-model-name', this.servedModelName,
      '--tensor-parallel-size', String(tp),
      '--pipeline-parallel-size', String(pp),
      '--max-model-len', String(this.contextLength),
      '--gpu-memory-utilization', String(util),
      '--block-size', String(blockSize),
      prefixCaching ? '--enable-prefix-caching' : '--no-enable-prefix-caching',
      '--disable-access-log-for-endpoints=/health,/metrics,/v1/models',
      ...pooling,
    ];
    if (fp8 === KvCacheDType.FP8) args.push('--kv-cache-dtype', 'fp8');
    if (source.revision) args.push('--revision', source.revision);
    if (source.kind === ModelSourceKind.S3) args.push('--load-format', 'runai_streamer');
    if (this.lora !== undefined) {
      args.push('--enable-lora', '--max-lora-rank', String(this.lora.maxLoraRank), '--max-loras', String(this.lora.maxLoras));
      args.push('--lora-modules', ...adapters.map((a) => `${a.name}=${a.path}`));
    }
    if (props.otlpTracesEndpoint) args.push('--otlp-traces-endpoint', props.otlpTracesEndpoint, '--collect-detailed-traces', 'all');
    const extra = props.extraArgs ?? [];
    for (const managed of [
      '--tensor-parallel-size', '--pipeline-parallel-size', '--served-model-name', '--port', '--host', '--max-model-len',
      '--gpu-memory-utilization', '--kv-cache-dtype', '--block-size', '--enable-prefix-caching', '--no-enable-prefix-caching',
      '--nnodes', '--node-rank', '--master-addr', '--headless', '--runner', '--convert', '--task',
    ]) {
      check(!extra.some((a) => a === managed || a.startsWith(`${managed}=`)),
        `'extraArgs' of model '${props.name}' sets ${managed}, which the library derives; use the matching prop`);
    }
    args.push(...extra);
    this.args = [...args];

    const dra = props.pool.deviceManagement === DeviceManagement.DRA;
    if (dra) {
      check(props.resourceClaimTemplateName !== undefined,
        `model '${props.name}' runs on DRA pool '${props.pool.name}' and needs a GPU claim template`);
    }
    const gpuLimits: Record<string, k8s.Quantity> = dra ? {} : { 'nvidia.com/gpu': k8s.Quantity.fromNumber(tp) };
    if (props.pool.efa && pp > 1) gpuLimits['vpc.amazonaws.com/efa'] = k8s.Quantity.fromNumber(props.pool.efaInterfaces);
    const cpu = Math.max(1, Math.floor((props.instanceType.vcpus * tp) / gpusPerNode * 0.8));
    const memGi = Math.max(4, Math.floor((props.instanceType.memory.toGibibytes() * tp) / gpusPerNode * 0.8));
    const shm = props.sharedMemory ?? Size.gibibytes(16);
    const env: k8s.EnvVar[] = [
      { name: 'HOME', value: '/home/vllm' },
      { name: 'USER', value: 'vllm' },
      { name: 'HF_HOME', value: '/home/vllm/.cache/huggingface' },
      { name: 'PYTHONHASHSEED', value: hashSeed },
    ];
    if (source.tokenSecret) {
      env.push({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: source.tokenSecret.name, key: source.tokenSecret.key ?? 'HF_TOKEN' } } });
    }
    if (props.pool.efa && pp > 1) env.push({ name: 'FI_PROVIDER', value: 'efa' });
    const volumes: k8s.Volume[] = [
      { name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString(quantity(shm)) } },
      { name: 'cache', emptyDir: {} },
    ];
    const mounts: k8s.VolumeMount[] = [
      { name: 'shm', mountPath: '/dev/shm' },
      { name: 'cache', mountPath: '/home/vllm/.cache' },
    ];
    if (source.kind === ModelSourceKind.PVC) {
      volumes.push({ name: 'models', persistentVolumeClaim: { claimName: source.claimName!, readOnly: true } });
      mounts.push({ name: 'models', mountPath: '/models', readOnly: true });
    }
    const s3Adapters = adapters.filter((a) => a.kind === LoraAdapterSourceKind.S3);
    if (s3Adapters.length > 0) {
      volumes.push({ name: 'lora-adapters', emptyDir: {} });
      mounts.push({ name: 'lora-adapters', mountPath: LORA_ADAPTERS_DIR, readOnly: true });
    }
    const restricted: k8s.SecurityContext = {
      allowPrivilegeEscalation: false,
      runAsNonRoot: true,
      runAsUser: 2000,
      runAsGroup: 0,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    };
    const downloader = props.adapterDownloaderImage ?? ContainerImage.KUBEFLOW_MODEL_INITIALIZER;
    // One init container per S3 adapter: the Kubeflow model initializer downloads the prefix into /workspace/model
    // (the adapter's own sub-directory of the emptyDir) with the pod's Pod Identity credentials, and the container
    // fails (and is retried) until the fine-tune has written a complete adapter.
    const initContainers: k8s.Container[] = s3Adapters.map((a, i) => ({
      name: `lora-${i}`,
      image: downloader.uri,
      command: ['sh', '-c',
        'python -m pkg.initializers.model && test -s /workspace/model/adapter_config.json && test -s /workspace/model/adapter_model.safetensors'],
      env: [{ name: 'STORAGE_URI', value: a.uri }, { name: 'HOME', value: '/tmp' }],
      resources: {
        requests: { cpu: k8s.Quantity.fromString('250m'), memory: k8s.Quantity.fromString('1Gi') },
        limits: { memory: k8s.Quantity.fromString('4Gi') },
      },
      volumeMounts: [{ name: 'lora-adapters', mountPath: '/workspace', subPath: a.name }],
      securityContext: restricted,
    }));
    const periodSeconds = 30;
    const startup = props.startupTimeout ?? Duration.minutes(60);
    const container = (command: string[], containerArgs: string[], serving: boolean): k8s.Container => ({
      name: 'vllm',
      image: image.uri,
      command,
      args: containerArgs,
      ports: serving ? [{ name: 'http', containerPort: VLLM_PORT, protocol: 'TCP' }] : undefined,
      env,
      resources: {
        requests: { cpu: k8s.Quantity.fromNumber(cpu), memory: k8s.Quantity.fromString(`${memGi}Gi`), ...gpuLimits },
        limits: { memory: k8s.Quantity.fromString(`${memGi}Gi`), ...gpuLimits },
        claims: dra ? [{ name: 'gpu' }] : undefined,
      },
      volumeMounts: mounts,
      startupProbe: serving ? {
        httpGet: { path: '/v1/models', port: k8s.IntOrString.fromNumber(VLLM_PORT) },
        periodSeconds,
        failureThreshold: Math.max(1, Math.ceil(startup.toSeconds() / periodSeconds)),
      } : undefined,
      readinessProbe: serving ? { httpGet: { path: '/v1/models', port: k8s.IntOrString.fromNumber(VLLM_PORT) }, periodSeconds: 10, failureThreshold: 3 } : undefined,
      livenessProbe: serving ? { httpGet: { path: '/health', port: k8s.IntOrString.fromNumber(VLLM_PORT) }, periodSeconds: 15, failureThreshold: 4 } : undefined,
      securityContext: {
        ...restricted,
        capabilities: { drop: ['ALL'], add: props.pool.efa && pp > 1 ? ['IPC_LOCK'] : undefined },
      },
    });
    // Its own ServiceAccount: the identity an EKS Pod Identity association gives S3 access to (S3 sources).
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: props.name, namespace: this.namespace, labels: { [MODEL_LABEL]: props.name } },
    });
    const podSpec = (c: k8s.Container): k8s.PodSpec => ({
      serviceAccountName: props.name,
      initContainers: initContainers.length > 0 ? initContainers : undefined,
      containers: [c],
      volumes,
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
      nodeSelector: { [GPU_POOL_LABEL]: props.pool.name, 'node.kubernetes.io/instance-type': props.instanceType.name },
      resourceClaims: dra ? [{ name: 'gpu', resourceClaimTemplateName: props.resourceClaimTemplateName }] : undefined,
      terminationGracePeriodSeconds: 60,
      enableServiceLinks: false,
    });
    const modelArg = source.uri;

    if (pp === 1) {
      this.workloadKind = ModelWorkloadKind.DEPLOYMENT;
      this.workloadApiVersion = 'apps/v1';
      new k8s.KubeDeployment(this, 'Deployment', {
        metadata: { name: props.name, namespace: this.namespace, labels: { ...this.podLabels } },
        spec: {
          replicas: props.autoscaled ? undefined : replicas,
          selector: { matchLabels: { ...this.podLabels } },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
          template: {
            metadata: { labels: { ...this.podLabels } },
            spec: podSpec(container(['vllm', 'serve'], [modelArg, ...args], true)),
          },
        },
      });
    } else {
      this.workloadKind = ModelWorkloadKind.LEADER_WORKER_SET;
      this.workloadApiVersion = 'leaderworkerset.x-k8s.io/v1';
      const leaderArgs = [modelArg, ...args, '--nnodes', String(pp), '--node-rank', '0', '--master-addr', '$(LWS_LEADER_ADDRESS)'];
      const workerArgs = [modelArg, ...args, '--nnodes', String(pp), '--node-rank', '$(LWS_WORKER_INDEX)', '--master-addr', '$(LWS_LEADER_ADDRESS)', '--headless'];
      const template = (c: k8s.Container, labels: Record<string, string>) =>
        k8s.toJson_PodTemplateSpec({ metadata: { labels }, spec: podSpec(c) });
      // The generated LeaderWorkerSet class re-maps its JSON through its own pod types after patches, which drops
      // core IntOrString / Quantity values; the object is therefore built from the class's GVK with core pod
      // templates (and validated against the LeaderWorkerSet CRD in the tests).
      new ApiObject(this, 'LeaderWorkerSet', {
        ...LeaderWorkerSet.GVK,
        metadata: { name: props.name, namespace: this.namespace, labels: { ...this.podLabels } },
        spec: {
          replicas: props.autoscaled ? undefined : replicas,
          leaderWorkerTemplate: {
            size: pp,
            restartPolicy: LeaderWorkerSetSpecLeaderWorkerTemplateRestartPolicy.RECREATE_GROUP_ON_POD_RESTART,
            leaderTemplate: template(container(['vllm', 'serve'], leaderArgs, true), { ...this.podLabels, role: 'leader' }),
            workerTemplate: template(container(['vllm', 'serve'], workerArgs, false), { [MODEL_LABEL]: props.name, role: 'worker' }),
          },
        },
      });
      // The serving pods are the leaders: only they carry the engine-type label the InferencePool and Service select.
      this.podLabels = { ...this.podLabels, role: 'leader' };
    }

    new k8s.KubeService(this, 'Service', {
      metadata: { name: this.serviceName, namespace: this.namespace, labels: { [MODEL_LABEL]: props.name } },
      spec: {
        selector: { ...this.podLabels },
        ports: [{ name: 'http', port: VLLM_PORT, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' }],
      },
    });
    new k8s.KubePodDisruptionBudget(this, 'Pdb', {
      metadata: { name: props.name, namespace: this.namespace },
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: { ...this.podLabels } } },
    });
    new ServiceMonitor(this, 'ServiceMonitor', {
      metadata: { name: props.name, namespace: this.namespace, labels: { release: props.prometheusRelease ?? 'kube-prometheus-stack' } },
      spec: {
        selector: { matchLabels: { [MODEL_LABEL]: props.name } },
        endpoints: [{ port: 'http', path: '/metrics', interval: '15s' }],
      },
    });
    this.declareFlows(props.name, source, adapters, props.otlpTracesEndpoint, pp > 1, props.pool.efa && pp > 1);
  }

  /** Network flows and Pod Security needs of the model's pods (see NetworkFlows). */
  private declareFlows(
    name: string, source: ModelSource, adapters: LoraAdapter[], otlp: string | undefined, multiNode: boolean, ipcLock: boolean,
  ): void {
    const flows = NetworkFlows.tryOf(this);
    if (flows === undefined) return;
    const pods = FlowPeer.pods(this.namespace, { [MODEL_LABEL]: name });
    flows.allow({ name: `monitoring-to-model-${name}`, from: FlowPeer.monitoring(), to: pods, ports: [FlowPort.tcp(VLLM_PORT)],
      description: `Prometheus scrapes vLLM metrics of model '${name}' (ServiceMonitor '${this.namespace}/${name}')` });
    const downloads = [
      ...(source.kind === ModelSourceKind.HUGGING_FACE || source.kind === ModelSourceKind.S3 ? [source.uri] : []),
      ...adapters.map((a) => a.uri),
    ];
    if (downloads.length > 0) {
      flows.allow({ name: `model-${name}-downloads`, from: pods, to: FlowPeer.internet(),
        description: `model '${name}' downloads its weights (${downloads.join(', ')}) over HTTPS` });
    }
    if (source.kind === ModelSourceKind.S3 || adapters.some((a) => a.kind === LoraAdapterSourceKind.S3)) {
      flows.allow({ name: `model-${name}-pod-identity`, from: pods, to: FlowPeer.podIdentityAgent(),
        description: `model '${name}' gets the credentials of its S3 reader role from the Pod Identity Agent` });
    }
    if (otlp !== undefined) flows.allowToUrl(`model-${name}-traces`, pods, otlp, `vLLM of model '${name}' exports request traces`);
    if (multiNode) {
      flows.allow({ name: `model-${name}-distributed`, from: pods, to: pods,
        description: `leader and workers of model '${name}' exchange tensors and control messages across nodes` });
    }
    // EFA needs IPC_LOCK, a capability outside the baseline profile.
    if (ipcLock) PlatformDefinition.ofConstruct(this).requirePodSecurity(this.namespace, PodSecurityLevel.PRIVILEGED);
  }

  /** The LoRA adapters served next to the model. */
  public get loraAdapters(): LoraAdapter[] {
    return [...this._loraAdapters];
  }

  /**
   * The model endpoint of one of its LoRA adapters: the same Service and pods, with the adapter's name as the served
   * model name (what `LiteLlmModel.selfHosted()` sends as `model`). Refuses a name that is not an adapter of the model.
   */
  public loraEndpoint(adapterName: string): IModelEndpoint {
    check(this._loraAdapters.some((a) => a.name === adapterName),
      `model '${this.workloadName}' serves no LoRA adapter '${adapterName}' (its adapters: ${this._loraAdapters.map((a) => a.name).join(', ') || 'none'})`);
    const id = `LoraEndpoint-${adapterName}`;
    const existing = this.node.tryFindChild(id);
    return existing instanceof LoraEndpoint ? existing : new LoraEndpoint(this, id, { model: this, adapterName });
  }

  /** The Kubernetes objects of the model (for tests and tools). */
  public get apiObjects(): ApiObject[] {
    return this.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
  }
}

/** The endpoint of a LoRA adapter of a {@link VllmModel} (see {@link VllmModel.loraEndpoint}). */
class LoraEndpoint extends Construct implements IModelEndpoint {
  public readonly task = ModelTask.GENERATE;
  public readonly servedModelName: string;
  public readonly namespace: string;
  public readonly serviceName: string;
  public readonly port: number;
  public readonly podLabels: Record<string, string>;
  public readonly workloadKind: ModelWorkloadKind;
  public readonly workloadName: string;
  public readonly workloadApiVersion: string;
  public readonly prefixCache?: PrefixCacheSettings;

  constructor(scope: Construct, id: string, props: { model: VllmModel; adapterName: string }) {
    super(scope, id);
    const m = props.model;
    this.servedModelName = props.adapterName;
    this.namespace = m.namespace;
    this.serviceName = m.serviceName;
    this.port = m.port;
    this.podLabels = { ...m.podLabels };
    this.workloadKind = m.workloadKind;
    this.workloadName = m.workloadName;
    this.workloadApiVersion = m.workloadApiVersion;
    this.prefixCache = m.prefixCache;
  }
}
