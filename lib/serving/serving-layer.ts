import { Aws } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { KedaOperator } from './autoscaling/keda-operator';
import { ModelAutoscaling, ScaleToZeroOptions } from './autoscaling/model-autoscaling';
import { ensureInferenceExtensionCrds } from './llm-d/crds';
import { InferencePool, InferencePoolOptions } from './llm-d/inference-pool';
import { describeArchitecture, sameArchitecture } from './fine-tune-output';
import { LoraAdapterSourceKind, resolveLoraServing } from './lora-adapter';
import { LwsController } from './lws';
import { HuggingFaceTokenSecret, ModelSource, ModelSourceKind } from './model-source';
import { ModelLayout, checkTensorParallelFits, describeModelLayout, sizeModel } from './sizing';
import { defaultKvCacheDType, VllmModel, VllmModelOptions } from './vllm-model';
import { ModelTask } from './model-endpoint';
import { Duration } from 'aws-cdk-lib';
import { PodIdentityRole } from '../cluster/pod-identity';
import { KubernetesComponent, Stage } from '../core/component';
import { acknowledgeNagFindings, NagFindingRule } from '../core/nag-acknowledgements';
import { PlatformDefinition } from '../core/platform-definition';
import { recordModelDecision } from '../report/private/model-decisions';
import { check, checkDnsSubdomain } from '../core/validation';
import { DeviceManagement } from '../gpu/device-management/labels';
import { GpuLayer } from '../gpu/gpu-layer';
import { GpuNodePool } from '../gpu/gpu-node-pool';
import { ExternalSecrets } from '../secrets/external-secrets';

/** KEDA autoscaling of one model (see ModelAutoscaling for each field). */
export interface ModelAutoscalingOptions {
  /** Minimum replicas; 0 needs `scaleToZero`. @default 1 */
  readonly minReplicas?: number;
  /** Maximum replicas. */
  readonly maxReplicas: number;
  /** Target `vllm:num_requests_waiting` per replica. @default 5 */
  readonly queueDepthPerReplica?: number;
  /** Optional second trigger on `vllm:kv_cache_usage_perc` (0-1). @default - none */
  readonly kvCacheUtilization?: number;
  /** Scale-down stabilization window. @default Duration.minutes(10) */
  readonly scaleDownStabilization?: Duration;
  /** Replicas while Prometheus cannot be read. @default - max(minReplicas, 1) */
  readonly fallbackReplicas?: number;
  /** Scale to zero with an activation metric that exists while no model pod runs. @default - never below minReplicas */
  readonly scaleToZero?: ScaleToZeroOptions;
}

/** Options of `platform.serving.addModel()`. */
export interface ModelOptions extends VllmModelOptions {
  /** GPU pools the model may run on (reference by construct); sizing picks the cheapest fitting instance type. */
  readonly pools: GpuNodePool[];
  /** Concurrent sequences at full context the sizing must hold. @default 16 */
  readonly concurrency?: number;
  /** Tensor-parallel size, instead of the sized one. @default - from sizing */
  readonly tensorParallelSize?: number;
  /** KEDA autoscaling on queue depth. @default - fixed `replicas` */
  readonly autoscaling?: ModelAutoscalingOptions;
  /**
   * llm-d prefix-cache-aware routing: an InferencePool over the model's pods with the llm-d router endpoint picker.
   * The gateway layer routes HTTP traffic to the pool. @default - no InferencePool (route to the Service)
   */
  readonly routing?: InferencePoolOptions;
}

/** Where the platform's default Hugging Face token comes from. */
export interface HuggingFaceTokenOptions {
  /**
   * Name of the Kubernetes Secret in each model namespace, materialized by External Secrets from the AWS Secrets
   * Manager secret `<cluster>/<namespace>/<secretName>`, which the operator creates (a JSON object with `key`).
   */
  readonly secretName: string;
  /** Key of the token in the Secret and JSON property of the AWS secret. @default 'HF_TOKEN' */
  readonly key?: string;
}

/** Options of the serving layer. */
export interface ServingLayerOptions {
  /**
   * The Hugging Face token every model loaded from Hugging Face uses unless its source names its own
   * (`ModelSource.fromHuggingFace(repo, { tokenSecret })`). Gated models (`ModelSpec.gated`) need one of the two.
   * @default - no default token: only models whose source names a token Secret get one
   * @see https://huggingface.co/docs/hub/models-gated
   */
  readonly huggingFaceToken?: HuggingFaceTokenOptions;
}

/** Props of the serving layer. */
export interface ServingLayerProps extends ServingLayerOptions {
  /** The definition. */
  readonly definition: PlatformDefinition;
  /** The GPU layer (DRA claim templates for models on DRA pools). */
  readonly gpu: GpuLayer;
  /** The cluster (Pod Identity for S3 model sources). */
  readonly cluster: eks.Cluster;
  /** The secrets layer (Hugging Face tokens). */
  readonly secrets: ExternalSecrets;
}

/**
 * Model serving: sizes each model against the platform's GPU pools at synth time, runs it with vLLM (Deployment,
 * or LeaderWorkerSet across nodes), autoscales it with KEDA on queue depth, and installs the LWS controller and
 * KEDA once, when a model needs them. Each model is its own component `model-<name>`.
 */
export class ServingLayer extends Construct {
  private readonly props: ServingLayerProps;
  private readonly models: VllmModel[] = [];
  private readonly layouts = new Map<VllmModel, ModelLayout | undefined>();
  private readonly pools = new Map<VllmModel, InferencePool>();
  private _keda?: KedaOperator;
  private _lws?: LwsController;
  private _tokens?: KubernetesComponent;
  private readonly tokenSecrets = new Map<string, string>();

  constructor(scope: Construct, id: string, props: ServingLayerProps) {
    super(scope, id);
    this.props = props;
    if (props.huggingFaceToken !== undefined) {
      checkDnsSubdomain('huggingFaceToken.secretName', props.huggingFaceToken.secretName);
    }
  }

  /**
   * The component holding the ExternalSecrets of Hugging Face tokens, one per namespace and Secret name (created
   * with the first model that needs a token).
   */
  public get huggingFaceTokens(): KubernetesComponent | undefined {
    return this._tokens;
  }

  /**
   * The Hugging Face token Secret a workload in `namespace` uses: `token` when given, else the platform's default
   * token (`huggingFaceToken`), else none. The Secret is materialized by the `hf-tokens` component, returned so the
   * caller can depend on it; `namespaceComponent` is the component that creates the namespace (a team's), when it is
   * not a shared namespace of the definition. Used by the training layer for gated models and datasets.
   */
  public huggingFaceTokenFor(namespace: string, token?: HuggingFaceTokenSecret, namespaceComponent?: KubernetesComponent):
  HuggingFaceTokenInNamespace | undefined {
    const fallback = this.props.huggingFaceToken;
    const secret = token ?? (fallback !== undefined ? { name: fallback.secretName, key: fallback.key ?? 'HF_TOKEN' } : undefined);
    if (secret === undefined) return undefined;
    const component = this.tokenSecretFor(namespace, secret, namespaceComponent).component;
    return { secret: { name: secret.name, key: secret.key ?? 'HF_TOKEN' }, component };
  }

  /** Adds a model: sizes it, picks pool and layout, and emits its objects. */
  public addModel(id: string, options: ModelOptions): VllmModel {
    check(options.pools.length > 0, `model '${options.name}' needs at least one GPU pool in 'pools'`);
    check(/^[a-z0-9]([-a-z0-9]{0,55}[a-z0-9])?$/.test(options.name),
      `'name' (${options.name}) of a model must be a DNS label of at most 57 characters (its component is 'model-<name>')`);
    const source = this.sourceOf(options);
    const lora = resolveLoraServing(options.name, options.spec, options.servedModelName ?? options.spec.huggingFaceRepo,
      options.loraAdapters ?? [], options.maxLoraRank);
    const context = options.contextLength ?? Math.min(options.spec.maxContextLength, 32768);
    check(context <= options.spec.maxContextLength,
      `'contextLength' (${context}) is above the model's maximum context (${options.spec.maxContextLength}) of ${options.spec.name}`);
    const candidates = options.pools.flatMap((p) => p.candidates);
    // Only pools that declare EFA may host a model across nodes.
    const multiNodeCandidates = options.pools.filter((p) => p.efa).flatMap((p) => p.candidates);
    const sizing = {
      model: options.spec,
      contextLength: context,
      concurrency: options.concurrency ?? 16,
      kvCacheDType: options.kvCacheDType ?? defaultKvCacheDType(options.task ?? ModelTask.GENERATE, candidates),
      gpuMemoryUtilization: options.gpuMemoryUtilization,
      reservedBytesPerGpu: lora?.bytesPerGpu,
    };
    let layout: ModelLayout | undefined;
    let instanceType;
    let tp: number;
    let pp = 1;
    if (options.tensorParallelSize !== undefined) {
      tp = options.tensorParallelSize;
      const divisible = candidates.filter((c) => c.gpuCount % tp === 0);
      if (divisible.length === 0) {
        const widest = options.pools.reduce((a, b) => (b.maxGpusPerNode > a.maxGpusPerNode ? b : a));
        checkTensorParallelFits(tp, widest.maxGpusPerNode, widest.name, options.spec);
      }
      // The model must still fit in memory with this TP on one node: size with TP at most the given one.
      const fit = sizeModel({ ...sizing, candidates: divisible, maxTensorParallel: tp, multiNodeCandidates: [] });
      instanceType = fit.instanceType;
      checkTensorParallelFits(tp, instanceType.gpuCount, this.poolOf(options.pools, instanceType.name).name, options.spec);
    } else {
      layout = sizeModel({ ...sizing, candidates, multiNodeCandidates });
      instanceType = layout.instanceType;
      tp = layout.tensorParallelSize;
      pp = layout.pipelineParallelSize;
    }
    const pool = this.poolOf(pp > 1 ? options.pools.filter((p) => p.efa) : options.pools, instanceType.name);
    const definition = this.props.definition;
    const component = new KubernetesComponent(definition, `Model${id}`, {
      name: `model-${options.name}`,
      namespace: options.namespace ?? 'models',
      stage: Stage.WORKLOADS,
      description: `vLLM model ${options.spec.name} (${options.name}) on NodePool ${pool.name}`,
    });
    component.addDependency(definition.ensureNamespace(options.namespace ?? 'models'));
    let claim: string | undefined;
    if (pool.deviceManagement === DeviceManagement.DRA) {
      const template = this.props.gpu.dra.addGpuClaimTemplate(`${id}Gpus`, {
        namespace: options.namespace ?? 'models', name: `${options.name}-gpus`, count: tp,
      });
      claim = template.name;
      component.addDependency(this.props.gpu.dra.claims);
    }
    const model = new VllmModel(component, 'Resource', {
      ...options,
      source,
      contextLength: context,
      pool,
      instanceType,
      tensorParallelSize: tp,
      pipelineParallelSize: pp,
      resourceClaimTemplateName: claim,
      autoscaled: options.autoscaling !== undefined,
    });
    if (pp > 1) {
      this._lws ??= new LwsController(this, 'Lws', { definition });
      component.addDependency(this._lws.controller);
    }
    if (options.autoscaling !== undefined) {
      this._keda ??= new KedaOperator(this, 'Keda', { definition });
      component.addDependency(this._keda.operator);
      new ModelAutoscaling(component, 'Autoscaling', { ...options.autoscaling, model });
    }
    this.wireIdentityAndSecrets(id, model, component);
    if (options.routing !== undefined) {
      component.addDependency(ensureInferenceExtensionCrds(definition));
      this.pools.set(model, new InferencePool(component, 'InferencePool', { ...options.routing, model }));
    }
    // The decision goes to the platform report (REPORT.md / report.json beside each rendering).
    recordModelDecision(definition, {
      model,
      layout: layout ?? describeModelLayout({ ...sizing, instanceType, tensorParallelSize: tp }),
      given: layout === undefined,
      concurrency: sizing.concurrency,
      kvCacheDType: sizing.kvCacheDType,
      minReplicas: options.autoscaling !== undefined ? options.autoscaling.minReplicas ?? 1 : options.replicas ?? 1,
      maxReplicas: options.autoscaling !== undefined ? options.autoscaling.maxReplicas : options.replicas ?? 1,
      autoscaled: options.autoscaling !== undefined,
    });
    this.models.push(model);
    this.layouts.set(model, layout);
    return model;
  }

  /** The models added so far. */
  public get modelList(): VllmModel[] {
    return [...this.models];
  }

  /** The sizing result of a model (undefined when its tensor-parallel size was given). */
  public layoutOf(model: VllmModel): ModelLayout | undefined {
    return this.layouts.get(model);
  }

  /** The InferencePool of a model, if it has llm-d routing. */
  public inferencePoolOf(model: VllmModel): InferencePool | undefined {
    return this.pools.get(model);
  }

  /** The model component of a model (its chart). */
  public componentOf(model: VllmModel): KubernetesComponent {
    return model.node.scope as KubernetesComponent;
  }

  /**
   * The model's source with the platform's default Hugging Face token filled in; refuses a gated model without a
   * token.
   */
  private sourceOf(options: ModelOptions): ModelSource {
    const given = options.source ?? ModelSource.fromHuggingFace(options.spec.huggingFaceRepo);
    const tuned = given.fineTune;
    if (tuned !== undefined) {
      check(sameArchitecture(tuned.baseModel, options.spec),
        `'source' of model '${options.name}' holds the weights of fine-tune '${tuned.fineTuneName}' of ${describeArchitecture(tuned.baseModel)}, `
        + `but 'spec' is ${describeArchitecture(options.spec)}: set 'spec' to the fine-tune's model`);
      check(tuned.baseModel.weightDType === options.spec.weightDType,
        `'spec' of model '${options.name}' stores weights as ${options.spec.weightDType}, but fine-tune '${tuned.fineTuneName}' writes `
        + `${tuned.baseModel.weightDType} (the dtype of ${tuned.baseModel.name}): the sizing would count the wrong bytes`);
    }
    if (given.kind !== ModelSourceKind.HUGGING_FACE) return given;
    const fallback = this.props.huggingFaceToken;
    const source = given.tokenSecret !== undefined || fallback === undefined
      ? given
      : ModelSource.fromHuggingFace(given.uri, {
        revision: given.revision,
        tokenSecret: { name: fallback.secretName, key: fallback.key ?? 'HF_TOKEN' },
      });
    check(!(options.spec.gated && given.uri === options.spec.huggingFaceRepo && source.tokenSecret === undefined),
      `'source' of model '${options.name}' (${given.uri}) is gated on Hugging Face and needs a token: set the platform's `
      + `'serving.huggingFaceToken' or pass ModelSource.fromHuggingFace('${given.uri}', { tokenSecret })`);
    return source;
  }

  /**
   * One ExternalSecret per namespace and Secret name, in the `hf-tokens` component, shared by the models that use
   * it (two components defining the same ExternalSecret would fight over it).
   */
  private tokenSecretFor(
    namespace: string, token: HuggingFaceTokenSecret, namespaceComponent?: KubernetesComponent,
  ): { component: KubernetesComponent; awsName: string } {
    const key = token.key ?? 'HF_TOKEN';
    if (this._tokens === undefined) {
      this._tokens = new KubernetesComponent(this.props.definition, 'HuggingFaceTokens', {
        name: 'hf-tokens',
        stage: Stage.CONFIGURATION,
        description: 'Hugging Face token Secrets of the models, from AWS Secrets Manager through External Secrets',
      });
      this._tokens.addDependency(this.props.secrets.store);
    }
    const id = `${namespace}/${token.name}`;
    const existing = this.tokenSecrets.get(id);
    if (existing !== undefined) {
      check(existing === key,
        `Hugging Face token Secret '${token.name}' in namespace '${namespace}' is used with key '${existing}' and key '${key}': one Secret, one key`);
    } else {
      // A team's namespace belongs to the team's component; any other is a shared namespace of the definition.
      this._tokens.addDependency(namespaceComponent ?? this.props.definition.ensureNamespace(namespace));
      this.props.secrets.referenceSecret(this._tokens, `${namespace}-${token.name}`, { namespace, name: token.name, key });
      this.tokenSecrets.set(id, key);
    }
    return { component: this._tokens, awsName: `${this.props.secrets.secretNamePrefix}${namespace}/${token.name}` };
  }

  /**
   * A Hugging Face token Secret comes from AWS Secrets Manager (`<cluster>/<namespace>/<secret>`, created by the
   * operator) through an ExternalSecret; an S3 source gets a Pod Identity role that may read only its prefix.
   */
  private wireIdentityAndSecrets(id: string, model: VllmModel, component: KubernetesComponent): void {
    const token = model.source.tokenSecret;
    if (token !== undefined) {
      const secret = this.tokenSecretFor(model.namespace, token);
      component.addDependency(secret.component);
    }
    // One role per ServiceAccount (EKS allows one Pod Identity association each): the weights and every S3 adapter.
    const reads = [
      ...(model.source.s3 !== undefined ? [{ ...model.source.s3, what: 'its weights' }] : []),
      ...model.loraAdapters.filter((a) => a.kind === LoraAdapterSourceKind.S3).map((a) => ({ ...a.s3!, what: a.description })),
    ];
    if (reads.length === 0) return;
    for (const r of reads) {
      check(r.prefix !== '',
        `model '${model.workloadName}' reads ${r.what} from the whole bucket s3://${r.bucket}: give a prefix, its Pod Identity role is scoped to it`);
    }
    const identity = new PodIdentityRole(this, `${id}S3Reader`, {
      cluster: this.props.cluster,
      namespace: model.namespace,
      serviceAccount: model.workloadName,
      description: `vLLM model ${model.workloadName}: reads ${reads.map((r) => `s3://${r.bucket}/${r.prefix}`).join(', ')}`,
    });
    for (const r of reads) {
      const bucketArn = `arn:${Aws.PARTITION}:s3:::${r.bucket}`;
      identity.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`${bucketArn}/${r.prefix}/*`] }));
      identity.addToPolicy(new iam.PolicyStatement({
        actions: ['s3:ListBucket'], resources: [bucketArn], conditions: { StringLike: { 's3:prefix': [`${r.prefix}/*`] } },
      }));
    }
    acknowledgeNagFindings(identity, NagFindingRule.WILDCARDS,
      'The model server reads every object under its own model and adapter prefixes; the wildcards are the prefixes');
  }

  private poolOf(pools: GpuNodePool[], instanceType: string): GpuNodePool {
    const pool = pools.find((p) => p.candidates.some((c) => c.name === instanceType));
    check(pool !== undefined, `instance type ${instanceType} belongs to none of the given pools`);
    return pool;
  }
}

/** A Hugging Face token Secret in a namespace, and the component that materializes it. */
export interface HuggingFaceTokenInNamespace {
  /** The Secret and key. */
  readonly secret: HuggingFaceTokenSecret;
  /** The component that creates it (depend on it). */
  readonly component: KubernetesComponent;
}
