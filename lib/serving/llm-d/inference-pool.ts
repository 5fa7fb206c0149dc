import { Size } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { InferenceObjective, InferenceObjectiveOptions } from './inference-objective';
import { EndpointPicker, eppSelectorLabels, EXT_PROC_PORT, HEALTH_PORT, METRICS_PORT } from './private/endpoint-picker';
import { dnsLabelFrom, EPP_SUFFIX, MAX_POOL_NAME_LENGTH, showLabels } from './private/names';
import { mebibytes, memoryQuantity } from './private/quantities';
import {
  InferencePool as InferencePoolResource,
  InferencePoolSpecAppProtocol,
  InferencePoolSpecEndpointPickerRefFailureMode,
} from '../../../imports/gie-inferencepool-inference.networking.k8s.io';
import { KubernetesComponent } from '../../core/component';
import { PlatformDefinition } from '../../core/platform-definition';
import { Cpu, CpuResources, MemoryResources } from '../../core/units';
import { check, checkDnsLabel, checkLiteral, isToken } from '../../core/validation';
import { DEFAULT_PROMETHEUS_RELEASE } from '../../gpu/device-management/nvidia-gpu-operator';
import { FlowPeer, FlowPort } from '../../network/flow';
import { NetworkFlows } from '../../network/network-flows';
import { ContainerImage } from '../../versions';
import { IModelEndpoint } from '../model-endpoint';

/** API group of InferencePool (Gateway API Inference Extension, GA v1). */
export const INFERENCE_POOL_GROUP = 'inference.networking.k8s.io';
/** Port of the EPP's ext-proc gRPC server: what `endpointPickerRef` and the gateway dial. */
export const EPP_EXT_PROC_PORT: number = EXT_PROC_PORT;
/** Port of the EPP's gRPC health service (`--grpc-health-port`). */
export const EPP_HEALTH_PORT: number = HEALTH_PORT;
/** Port of the EPP's Prometheus metrics. */
export const EPP_METRICS_PORT: number = METRICS_PORT;

/**
 * What the gateway does when the endpoint picker cannot be reached.
 * @see https://gateway-api-inference-extension.sigs.k8s.io/api-types/inferencepool/
 */
export enum FailureMode {
  /** Route the request to any pod of the pool (upstream chart default). */
  FAIL_OPEN = 'FailOpen',
  /** Fail the request (the CRD's own default). */
  FAIL_CLOSE = 'FailClose',
}

const FAILURE_MODES: Record<FailureMode, InferencePoolSpecEndpointPickerRefFailureMode> = {
  [FailureMode.FAIL_OPEN]: InferencePoolSpecEndpointPickerRefFailureMode.FAIL_OPEN,
  [FailureMode.FAIL_CLOSE]: InferencePoolSpecEndpointPickerRefFailureMode.FAIL_CLOSE,
};

/**
 * Weights of the scorers of the EPP's default scheduling profile. A weight of 0 removes the scorer; whole numbers
 * only (upstream configurations use integers).
 * @see https://github.com/llm-d/llm-d-router/blob/v0.10.0/config/charts/routerlib/templates/_config.yaml
 */
export interface ScorerWeights {
  /**
   * `queue-scorer`: prefers pods with short waiting queues.
   * @default 2
   */
  readonly queue?: number;
  /**
   * `kv-cache-utilization-scorer`: prefers pods with free KV-cache.
   * @default 2
   */
  readonly kvCacheUtilization?: number;
  /**
   * `prefix-cache-scorer` (fed by the approximate prefix index): prefers pods that recently served the same prompt
   * prefix. Needs prefix caching on the model.
   * @default 3
   */
  readonly prefixCache?: number;
}

/**
 * CPU and memory of the endpoint picker container. Each part left out keeps its default.
 *
 * The defaults (request 2 CPU and 4Gi, limit 8Gi, no CPU limit) suit a pool serving up to a few hundred requests per
 * second. The upstream chart requests 8 CPU and 8Gi (limit 16Gi), sized for large fleets at high request rates;
 * raise these when the EPP's CPU saturates (it parses and hashes every prompt).
 */
export interface EndpointPickerResources {
  /**
   * CPU request and limit.
   * @default - request Cpu.cores(2), no limit (bursts, as upstream leaves it)
   */
  readonly cpu?: CpuResources;
  /**
   * Memory request and limit.
   * @default - request Size.gibibytes(4), limit Size.gibibytes(8)
   */
  readonly memory?: MemoryResources;
}

/** OpenTelemetry tracing of the endpoint picker (`--tracing=true` and the OTEL_* variables the chart sets). */
export interface EndpointPickerTracing {
  /** OTLP endpoint, `http://` or `https://` (OTEL_EXPORTER_OTLP_ENDPOINT), e.g. `http://otel-collector.observability:4317`. */
  readonly otlpEndpoint: string;
  /**
   * Share of traces kept (`parentbased_traceidratio` sampler argument), between 0 and 1.
   * @default 0.1
   */
  readonly samplingRatio?: number;
}

/** Options of an InferencePool, for a factory that knows the model. */
export interface InferencePoolOptions {
  /**
   * Pool name: the InferencePool, and `<name>-epp` for the endpoint picker's objects. A DNS label of at most 59
   * characters.
   * @default - derived from the model's served name (`Qwen/Qwen3-32B` → `qwen-qwen3-32b`)
   */
  readonly name?: string;
  /**
   * What the gateway does when the endpoint picker is down.
   * @default FailureMode.FAIL_OPEN
   */
  readonly failureMode?: FailureMode;
  /**
   * Scorer weights of the default scheduling profile.
   * @default - queue 2, kvCacheUtilization 2, prefixCache 3 (upstream's default profile)
   */
  readonly scorers?: ScorerWeights;
  /**
   * Endpoint picker image (pinned).
   * @default ContainerImage.LLM_D_ROUTER_EPP
   */
  readonly eppImage?: ContainerImage;
  /**
   * Endpoint picker replicas. Above 1 the replicas elect a leader (`--ha-enable-leader-election`): one is active and
   * the others stay NotReady as hot standbys.
   * @default 1
   */
  readonly eppReplicas?: number;
  /**
   * CPU and memory of the endpoint picker.
   * @default - see {@link EndpointPickerResources}
   */
  readonly eppResources?: EndpointPickerResources;
  /**
   * `release` label of the EPP's ServiceMonitor (kube-prometheus-stack selects ServiceMonitors by it).
   * @default 'kube-prometheus-stack'
   */
  readonly prometheusRelease?: string;
  /**
   * OpenTelemetry tracing of routing decisions.
   * @default - tracing off (`--tracing=false`)
   */
  readonly tracing?: EndpointPickerTracing;
  /**
   * Pod labels the pool selects, stated to have them checked: they must equal the model's pod labels.
   * @default - the model's pod labels
   */
  readonly selector?: Record<string, string>;
  /**
   * Port of the model servers the pool targets, stated to have it checked: it must equal the model's port.
   * @default - the model's port
   */
  readonly targetPort?: number;
  /**
   * KV block size (tokens) of the EPP's prefix index before it reads the model's block size from its metrics
   * (`approx-prefix-cache-producer` `blockSizeTokens`). Must equal the model's `--block-size`. The EPP measures
   * matches in blocks of at least 64 tokens whatever this says (llm-d-router#1158).
   * @default - the model's block size
   */
  readonly prefixCacheBlockSize?: number;
  /**
   * Hash seed the routing layer assumes for the model's prefix-block hashes. Must equal the model's `PYTHONHASHSEED`.
   * Only a precise (KV-event) prefix index hashes with it (`tokenProcessorConfig.hashSeed`); the approximate index
   * this construct configures uses its own seedless hash, so the value is checked, not written.
   * @default - the model's hash seed
   */
  readonly prefixCacheHashSeed?: string;
}

/** Props of an InferencePool. */
export interface InferencePoolProps extends InferencePoolOptions {
  /** The vLLM model whose pods the pool groups. The pool's objects go into its namespace. */
  readonly model: IModelEndpoint;
}

/** A reference to an InferencePool, as an HTTPRoute `backendRefs[]` entry carries it. */
export interface InferencePoolBackendRef {
  /** `inference.networking.k8s.io`. */
  readonly group: string;
  /** `InferencePool`. */
  readonly kind: string;
  /** Pool name. */
  readonly name: string;
}

/** An InferencePool as the gateway layer and InferenceObjectives see it. */
export interface IInferencePool extends IConstruct {
  /** InferencePool name. */
  readonly poolName: string;
  /** Namespace of the pool (the model's). */
  readonly namespace: string;
  /** Name of the endpoint picker's Service. */
  readonly eppServiceName: string;
  /** The model whose pods the pool groups. */
  readonly model: IModelEndpoint;
  /** The endpoint picker's pods, as a network flow peer. */
  readonly eppPeer: FlowPeer;
  /** The pool as an HTTPRoute backend. */
  backendRef(): InferencePoolBackendRef;
}

const DEFAULT_WEIGHTS: Required<ScorerWeights> = { queue: 2, kvCacheUtilization: 2, prefixCache: 3 };
const DEFAULT_CPU_REQUEST = Cpu.cores(2);
const DEFAULT_MEMORY_REQUEST = Size.gibibytes(4);
const DEFAULT_MEMORY_LIMIT = Size.gibibytes(8);

/** Throws unless `value` is a literal whole number in [min, max]. */
function checkInteger(prop: string, value: number, min: number, max: number, allowed: string): void {
  check(!isToken(value), `'${prop}' must be a literal number, not a token: Kubernetes manifests of the GitOps rendering cannot carry CloudFormation tokens`);
  check(Number.isInteger(value) && value >= min && value <= max, `'${prop}' (${value}) must be ${allowed}`);
}

/**
 * An InferencePool (Gateway API Inference Extension v1) over the pods of one vLLM model, with its llm-d Router
 * endpoint picker (EPP): Deployment, Service, ServiceAccount and namespaced RBAC, the plugin ConfigMap and a
 * ServiceMonitor, all in the model's namespace. Shaped like the `llm-d-router-gateway` chart (llm-d-router v0.10.0).
 * An HTTPRoute sends traffic to it through {@link backendRef}.
 *
 * The pool checks at construction that it agrees with the model: same pod labels, same port, prefix caching on when
 * the prefix scorer is used, same KV block size and hash seed.
 *
 * ```ts
 * const pool = new InferencePool(component, 'Qwen', { model: qwen });
 * pool.addObjective('Critical', { name: 'critical', priority: 10 });
 * ```
 */
export class InferencePool extends Construct implements IInferencePool {
  /** InferencePool name. */
  public readonly poolName: string;
  /** Namespace of the pool and its endpoint picker (the model's). */
  public readonly namespace: string;
  /** Name of the endpoint picker's Service (and of its Deployment, ServiceAccount, ConfigMap): `<poolName>-epp`. */
  public readonly eppServiceName: string;
  /** The model whose pods the pool groups. */
  public readonly model: IModelEndpoint;
  /** Failure mode of the pool's `endpointPickerRef`. */
  public readonly failureMode: FailureMode;
  /** Endpoint picker replicas. */
  public readonly eppReplicas: number;
  private readonly _scorers: Required<ScorerWeights>;
  private readonly _objectives: InferenceObjective[] = [];

  constructor(scope: Construct, id: string, props: InferencePoolProps) {
    super(scope, id);
    const model = props.model;
    this.model = model;
    this.namespace = model.namespace;
    checkDnsLabel('namespace', this.namespace);

    this.poolName = props.name ?? dnsLabelFrom(model.servedModelName);
    if (props.name === undefined) {
      check(this.poolName.length > 0,
        `cannot derive an InferencePool name from served model name '${model.servedModelName}'; set 'name'`);
    }
    checkDnsLabel('name', this.poolName);
    check(this.poolName.length <= MAX_POOL_NAME_LENGTH,
      `'name' (${this.poolName}) of InferencePool is ${this.poolName.length} characters; at most ${MAX_POOL_NAME_LENGTH} fit, since the endpoint picker's Service is '<name>${EPP_SUFFIX}' (a DNS label)`);
    this.eppServiceName = `${this.poolName}${EPP_SUFFIX}`;
    const pool = `InferencePool '${this.poolName}'`;
    const modelName = `model '${model.servedModelName}'`;

    // ---- agreement with the model ----
    const podLabels = { ...model.podLabels };
    check(Object.keys(podLabels).length > 0, `${modelName} has no pod labels, so ${pool} cannot select its pods`);
    if (props.selector !== undefined) {
      const selector = props.selector;
      const matchesModel = Object.entries(selector).every(([k, v]) => podLabels[k] === v);
      check(matchesModel,
        `${pool} selects ${showLabels(selector)}, which matches no pod of ${modelName} (pods carry ${showLabels(podLabels)})`);
      check(Object.keys(selector).length === Object.keys(podLabels).length,
        `${pool} selects ${showLabels(selector)}, which may also match pods of other models; select all of ${modelName}'s pod labels ${showLabels(podLabels)}`);
    }
    if (props.targetPort !== undefined) {
      checkInteger('targetPort', props.targetPort, 1, 65535, 'a port number (1-65535)');
      check(props.targetPort === model.port, `${pool} targets port ${props.targetPort} but ${modelName} serves on ${model.port}`);
    }

    const weights: Required<ScorerWeights> = {
      queue: props.scorers?.queue ?? DEFAULT_WEIGHTS.queue,
      kvCacheUtilization: props.scorers?.kvCacheUtilization ?? DEFAULT_WEIGHTS.kvCacheUtilization,
      prefixCache: props.scorers?.prefixCache ?? DEFAULT_WEIGHTS.prefixCache,
    };
    for (const [key, weight] of Object.entries(weights)) {
      checkInteger(`scorers.${key}`, weight, 0, Number.MAX_SAFE_INTEGER, 'a whole number, 0 or more (0 removes the scorer)');
    }
    check(weights.queue + weights.kvCacheUtilization + weights.prefixCache > 0,
      `${pool} has no scorer: at least one of 'scorers.queue', 'scorers.kvCacheUtilization', 'scorers.prefixCache' must be above 0`);
    this._scorers = weights;

    let blockSize: number | undefined;
    if (weights.prefixCache > 0) {
      const cache = model.prefixCache;
      check(cache !== undefined, `${pool} scores prefix-cache hits but ${modelName} runs with prefix caching off`);
      if (props.prefixCacheBlockSize !== undefined) {
        checkInteger('prefixCacheBlockSize', props.prefixCacheBlockSize, 1, Number.MAX_SAFE_INTEGER, 'a whole number of tokens, 1 or more');
        check(props.prefixCacheBlockSize === cache.blockSize,
          `${pool} indexes prompt prefixes in blocks of ${props.prefixCacheBlockSize} tokens but ${modelName} caches KV blocks of ${cache.blockSize} tokens (--block-size); the two must match`);
      }
      if (props.prefixCacheHashSeed !== undefined) {
        checkLiteral('prefixCacheHashSeed', props.prefixCacheHashSeed);
        check(props.prefixCacheHashSeed === cache.hashSeed,
          `${pool} hashes prompt prefixes with seed '${props.prefixCacheHashSeed}' but ${modelName} runs with PYTHONHASHSEED '${cache.hashSeed}'; the two must match`);
      }
      blockSize = cache.blockSize;
    } else {
      for (const prop of ['prefixCacheBlockSize', 'prefixCacheHashSeed'] as const) {
        check(props[prop] === undefined, `'${prop}' is set but ${pool} does not score prefix-cache hits ('scorers.prefixCache' is 0)`);
      }
    }

    // ---- endpoint picker ----
    this.failureMode = props.failureMode ?? FailureMode.FAIL_OPEN;
    this.eppReplicas = props.eppReplicas ?? 1;
    checkInteger('eppReplicas', this.eppReplicas, 1, 100, 'a whole number between 1 and 100');
    const cpu: CpuResources = { request: props.eppResources?.cpu?.request ?? DEFAULT_CPU_REQUEST, limit: props.eppResources?.cpu?.limit };
    const memory: MemoryResources = {
      request: props.eppResources?.memory?.request ?? DEFAULT_MEMORY_REQUEST,
      limit: props.eppResources?.memory?.limit ?? DEFAULT_MEMORY_LIMIT,
    };
    checkResources(cpu, memory);
    const release = props.prometheusRelease ?? DEFAULT_PROMETHEUS_RELEASE;
    checkLiteral('prometheusRelease', release);
    if (props.tracing !== undefined) {
      checkLiteral('tracing.otlpEndpoint', props.tracing.otlpEndpoint);
      check(/^https?:\/\/\S+$/.test(props.tracing.otlpEndpoint),
        `'tracing.otlpEndpoint' (${props.tracing.otlpEndpoint}) must be an http:// or https:// URL`);
      const ratio = props.tracing.samplingRatio;
      check(ratio === undefined || (!isToken(ratio) && ratio >= 0 && ratio <= 1),
        `'tracing.samplingRatio' (${ratio}) must be between 0 and 1`);
    }

    new InferencePoolResource(this, 'Resource', {
      metadata: { name: this.poolName, namespace: this.namespace },
      spec: {
        selector: { matchLabels: podLabels },
        targetPorts: [{ number: model.port }],
        appProtocol: InferencePoolSpecAppProtocol.HTTP,
        endpointPickerRef: {
          name: this.eppServiceName,
          port: { number: EPP_EXT_PROC_PORT },
          failureMode: FAILURE_MODES[this.failureMode],
        },
      },
    });

    new EndpointPicker(this, 'EndpointPicker', {
      name: this.eppServiceName,
      poolName: this.poolName,
      namespace: this.namespace,
      image: props.eppImage ?? ContainerImage.LLM_D_ROUTER_EPP,
      replicas: this.eppReplicas,
      cpu,
      memory,
      prometheusRelease: release,
      tracing: props.tracing === undefined ? undefined
        : { otlpEndpoint: props.tracing.otlpEndpoint, samplingRatio: props.tracing.samplingRatio ?? 0.1 },
      config: {
        queueWeight: weights.queue,
        kvCacheUtilizationWeight: weights.kvCacheUtilization,
        prefixCacheWeight: weights.prefixCache,
        prefixCacheBlockSize: blockSize,
        metricsPath: '/metrics',
      },
    });

    this.dependOnNamespace();
    this.declareFlows(props.tracing?.otlpEndpoint);
  }

  /** The endpoint picker's pods, as a network flow peer (the gateway sends ext-proc calls to them). */
  public get eppPeer(): FlowPeer {
    return FlowPeer.pods(this.namespace, eppSelectorLabels(this.eppServiceName));
  }

  /** Flows of the endpoint picker: Prometheus scrapes it; it reads model metrics, the API server and exports traces. */
  private declareFlows(otlp: string | undefined): void {
    const flows = NetworkFlows.tryOf(this);
    if (flows === undefined) return;
    const epp = this.eppPeer;
    const name = this.eppServiceName;
    flows.allow({ name: `monitoring-to-${name}-${this.namespace}`, from: FlowPeer.monitoring(), to: epp, ports: [FlowPort.tcp(EPP_METRICS_PORT)],
      description: `Prometheus scrapes the endpoint picker '${this.namespace}/${name}'` });
    flows.allow({ name: `${name}-${this.namespace}-to-model`, from: epp, to: FlowPeer.pods(this.namespace, this.model.podLabels), ports: [FlowPort.tcp(this.model.port)],
      description: `endpoint picker '${name}' reads queue and KV-cache metrics of the pool's model servers` });
    flows.allow({ name: `${name}-${this.namespace}-api-server`, from: epp, to: FlowPeer.apiServer(),
      description: `endpoint picker '${name}' watches pods, InferencePools and InferenceObjectives, and holds its leader lease` });
    if (otlp !== undefined) flows.allowToUrl(`${name}-${this.namespace}-traces`, epp, otlp, `endpoint picker '${name}' exports traces`);
  }

  /** Scorer weights in effect (a copy). */
  public get scorers(): ScorerWeights {
    return { ...this._scorers };
  }

  /** InferenceObjectives added with {@link addObjective} (a copy). */
  public get objectives(): InferenceObjective[] {
    return [...this._objectives];
  }

  /** The pool as an HTTPRoute backend: `{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name }`. */
  public backendRef(): InferencePoolBackendRef {
    return { group: INFERENCE_POOL_GROUP, kind: 'InferencePool', name: this.poolName };
  }

  /**
   * Adds an InferenceObjective (`llm-d.ai/v1alpha2`) that gives requests naming it a priority in this pool's flow
   * control.
   */
  public addObjective(id: string, options: InferenceObjectiveOptions): InferenceObjective {
    const existing = this._objectives.find((o) => o.objectiveName === options.name);
    check(existing === undefined, `InferencePool '${this.poolName}' already has an InferenceObjective named '${options.name}'`);
    const objective = new InferenceObjective(this, id, { ...options, pool: this });
    this._objectives.push(objective);
    return objective;
  }

  /** Declares the model's namespace on the platform and makes the enclosing component wait for it. */
  private dependOnNamespace(): void {
    const root = this.node.root;
    const component = [...this.node.scopes].reverse().find(KubernetesComponent.isKubernetesComponent);
    if (!(root instanceof PlatformDefinition) || component === undefined) return;
    const namespaces = root.ensureNamespace(this.namespace);
    if (namespaces !== component) component.addDependency(namespaces);
  }
}

/** Throws unless the EPP's limits are not below its requests. */
function checkResources(cpu: CpuResources, memory: MemoryResources): void {
  if (cpu.request !== undefined && cpu.limit !== undefined) {
    check(cpu.limit.toMillis() >= cpu.request.toMillis(),
      `'eppResources.cpu.limit' (${cpu.limit}) must not be below 'eppResources.cpu.request' (${cpu.request})`);
  }
  if (memory.request !== undefined && memory.limit !== undefined) {
    memoryQuantity(memory.request, 'eppResources.memory.request');
    memoryQuantity(memory.limit, 'eppResources.memory.limit');
    check(mebibytes(memory.limit) >= mebibytes(memory.request),
      `'eppResources.memory.limit' (${memoryQuantity(memory.limit)}) must not be below 'eppResources.memory.request' (${memoryQuantity(memory.request)})`);
  }
}
