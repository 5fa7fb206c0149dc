import { Kueue, KueueOptions } from './kueue/kueue';
import { MlflowOptions, MlflowTrackingServer } from './mlflow/mlflow';
import { KubeRayOperator, RayJob, RayJobOptions } from './ray/kuberay';
import { FsxCsiDriver, LustreFileSystem, LustreFileSystemOptions } from './storage/lustre';
import { ExternalSecrets } from '../secrets/external-secrets';
import { Annotations, Aws, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { k8s } from 'cdk8s-plus-34';
import { Construct } from 'constructs';
import { DatasetSourceKind, parseS3Uri } from './dataset-source';
import { FineTuning, FineTuningOptions } from './fine-tuning';
import { NcclTest, NcclTestOptions } from './nccl-test';
import { addNcclTestsRuntime, addNemoRuntime } from './runtimes';
import { checkFineTuneFits, FineTuneMethod, ShardingStrategy } from './sizing';
import { KubeflowTrainer, KubeflowTrainerOptions } from './trainer-controller';
import { PodIdentityRole } from '../cluster/pod-identity';
import { KubernetesComponent, Stage } from '../core/component';
import { acknowledgeNagFindings, NagFindingRule } from '../core/nag-acknowledgements';
import { PlatformDefinition } from '../core/platform-definition';
import { mostPermissive, PodSecurityLevel } from '../core/pod-security';
import { check, checkDnsLabel } from '../core/validation';
import { GpuNodePool } from '../gpu/gpu-node-pool';
import { FlowPeer } from '../network/flow';
import { NetworkFlows } from '../network/network-flows';
import { FineTuneOutputKind } from '../serving/fine-tune-output';
import { ModelSource, ModelSourceKind } from '../serving/model-source';
import { ServingLayer } from '../serving/serving-layer';
import { Team } from '../teams/team';
import { ContainerImage } from '../versions';

/** Default namespace of fine-tunes and fabric checks without a team. */
export const TRAINING_NAMESPACE = 'training';

/** Where a training workload runs: a team's namespace or a namespace. */
export interface TrainingPlacement {
  /** The team whose namespace the workload runs in. @default - `namespace` */
  readonly team?: Team;
  /** Namespace (without a team). @default 'training' */
  readonly namespace?: string;
}

/** Options of the training layer. */
export interface TrainingLayerOptions {
  /** The Kubeflow Trainer controller. @default - the catalog's chart */
  readonly trainer?: KubeflowTrainerOptions;
  /** Image of the NeMo runtimes. @default ContainerImage.NEMO */
  readonly nemoImage?: ContainerImage;
  /** Image of the nccl-tests runtime. @default ContainerImage.NCCL_TESTS */
  readonly ncclTestsImage?: ContainerImage;
}

/** Props of the training layer. */
export interface TrainingLayerProps extends TrainingLayerOptions {
  /** The definition. */
  readonly definition: PlatformDefinition;
  /** The cluster (Pod Identity roles of S3 sources and checkpoints). */
  readonly cluster: eks.Cluster;
  /** The serving layer (the platform's Hugging Face token). */
  readonly serving: ServingLayer;
  /** External Secrets (generated passwords of MLflow's database). */
  readonly secrets: ExternalSecrets;
}

/** Options of {@link TrainingLayer.addRayJob}: a RayJob of a team, submitted to its Kueue queue. */
export interface TrainingRayJobOptions extends RayJobOptions {}

/** Options of {@link TrainingLayer.addLustreFileSystem}. */
export interface TrainingLustreOptions extends LustreFileSystemOptions {}

/**
 * Training: Kubeflow Trainer v2 (installed with the first fine-tune or fabric check), NVIDIA NeMo
 * ClusterTrainingRuntimes, fine-tunes as TrainJobs checked against their pool's GPU memory at synth time, and an
 * nccl-tests fabric check for EFA pools. Each fine-tune is its own component `training-<name>`.
 */
export class TrainingLayer extends Construct {
  private readonly props: TrainingLayerProps;
  private _trainer?: KubeflowTrainer;
  private _runtimes?: KubernetesComponent;
  private readonly runtimeNames = new Set<string>();
  private readonly fineTunes: FineTuning[] = [];
  private _kueue?: Kueue;
  private _kubeRay?: KubeRayOperator;
  private _fsx?: FsxCsiDriver;
  private _mlflow?: MlflowTrackingServer;

  constructor(scope: Construct, id: string, props: TrainingLayerProps) {
    super(scope, id);
    this.props = props;
  }

  /** The Kubeflow Trainer controller, once a fine-tune or fabric check was added. */
  public get trainer(): KubeflowTrainer | undefined {
    return this._trainer;
  }

  /** The component holding the ClusterTrainingRuntimes, once a fine-tune or fabric check was added. */
  public get runtimes(): KubernetesComponent | undefined {
    return this._runtimes;
  }

  /** Kueue, once {@link addKueue} was called. */
  public get kueue(): Kueue | undefined {
    return this._kueue;
  }

  /** The MLflow tracking server, once {@link addMlflow} was called. */
  public get mlflow(): MlflowTrackingServer | undefined {
    return this._mlflow;
  }

  /**
   * Adds Kueue (once per platform): gang admission of TrainJobs and RayJobs, a ResourceFlavor per GPU pool, a
   * ClusterQueue per team in one cohort (`kueue.addPool()`, `kueue.addTeamQueue()`), WorkloadPriorityClasses.
   */
  public addKueue(options: KueueOptions = {}): Kueue {
    check(this._kueue === undefined, 'Kueue is added once per platform: use platform.training.kueue');
    this._kueue = new Kueue(this, 'Kueue', { ...options, definition: this.props.definition });
    return this._kueue;
  }

  /** Adds the MLflow tracking server (once per platform): Postgres backend, S3 artifacts through Pod Identity. */
  public addMlflow(options: MlflowOptions = {}): MlflowTrackingServer {
    check(this._mlflow === undefined, 'MLflow is added once per platform: use platform.training.mlflow');
    this._mlflow = new MlflowTrackingServer(this, 'Mlflow', {
      ...options, definition: this.props.definition, cluster: this.props.cluster, secrets: this.props.secrets,
    });
    return this._mlflow;
  }

  /** Adds a RayJob for Ray-based fine-tuning on a team's LocalQueue; the KubeRay operator is installed with the first. */
  public addRayJob(id: string, options: TrainingRayJobOptions): RayJob {
    this._kubeRay ??= new KubeRayOperator(this, 'KubeRay', { definition: this.props.definition });
    return new RayJob(this, `RayJob${id}`, { ...options, definition: this.props.definition, operator: this._kubeRay });
  }

  /**
   * Adds an FSx for Lustre file system (created AWS-side, or `existing`) as a PersistentVolume + claim for datasets and
   * checkpoints; the FSx CSI driver is installed with the first.
   */
  public addLustreFileSystem(id: string, options: TrainingLustreOptions): LustreFileSystem {
    this._fsx ??= new FsxCsiDriver(this, 'FsxCsiDriver', { definition: this.props.definition, cluster: this.props.cluster });
    return new LustreFileSystem(this, `Lustre${id}`, { ...options, definition: this.props.definition, cluster: this.props.cluster, driver: this._fsx });
  }

  /** The fine-tunes added so far. */
  public get fineTuneList(): FineTuning[] {
    return [...this.fineTunes];
  }

  /**
   * Adds a fine-tune of `options.model` on `options.pool`: checks nodes, processes and EFA against the pool, the
   * training state against its GPU memory and, with a `queue`, the pool and GPUs against the team's Kueue quota, then
   * emits a TrainJob on the NeMo runtime. It runs in `requested`'s team or namespace, else in its queue's team
   * namespace, else in `training`. `fineTune.output` hands its result to serving.
   */
  public addFineTuning(id: string, options: FineTuningOptions, requested: TrainingPlacement = {}): FineTuning {
    const name = options.name;
    checkDnsLabel('name', name);
    check(name.length <= 40, `'name' (${name}) of a fine-tune must be at most 40 characters: JobSet derives pod and Service names from it`);
    const pool = options.pool;
    const nodes = options.nodes ?? 1;
    const gpusPerNode = pool.minGpusPerNode;
    const processesPerNode = options.processesPerNode ?? gpusPerNode;
    for (const [prop, v] of [['nodes', nodes], ['processesPerNode', processesPerNode]] as const) {
      check(!Token.isUnresolved(v), `'${prop}' of fine-tune '${name}' must be a literal number, not a token`);
      check(Number.isInteger(v) && v >= 1, `'${prop}' (${v}) of fine-tune '${name}' must be an integer >= 1`);
    }
    check(processesPerNode <= gpusPerNode,
      `'processesPerNode' (${processesPerNode}) of fine-tune '${name}' is above the GPUs per node (${gpusPerNode}) of NodePool '${pool.name}'`);
    const maxNodes = Math.floor(pool.gpuLimits.gpus / pool.maxGpusPerNode);
    check(nodes <= maxNodes,
      `'nodes' (${nodes}) of fine-tune '${name}' is more than NodePool '${pool.name}' can launch: its 'limits.gpus' (${pool.gpuLimits.gpus}) allows ${maxNodes} ${maxNodes === 1 ? 'node' : 'nodes'} of ${pool.maxGpusPerNode} GPUs`);
    const efa = options.efa ?? pool.efa;
    check(!efa || pool.efa, `fine-tune '${name}' asks for EFA but NodePool '${pool.name}' has none: set 'efa: true' on an EFA pool (e.g. p5.48xlarge) or leave 'efa' unset`);
    if (nodes > 1 && !efa) {
      Annotations.of(this).addWarningV2('agentic-eks:trainingWithoutEfa',
        `fine-tune '${name}' spans ${nodes} nodes of NodePool '${pool.name}' without EFA: gradients cross nodes over TCP`);
    }
    check(options.checkpoints !== undefined, `'checkpoints' of fine-tune '${name}' is required (s3://bucket/prefix)`);
    const checkpoints = parseS3Uri('checkpoints', options.checkpoints);
    const output = options.output !== undefined
      ? parseS3Uri('output', options.output)
      : { bucket: checkpoints.bucket, prefix: `${checkpoints.prefix}/hf` };
    const outputInCheckpoints = output.bucket === checkpoints.bucket
      && (output.prefix === checkpoints.prefix || output.prefix.startsWith(`${checkpoints.prefix}/`));
    const method = options.method ?? FineTuneMethod.LORA;
    const strategy = options.strategy ?? ShardingStrategy.FSDP;
    const smallest = [...pool.candidates].sort((a, b) => a.gpu.memory.toMebibytes() - b.gpu.memory.toMebibytes())[0];
    const memory = checkFineTuneFits({
      name, model: options.model, method, strategy, loraRank: options.loraRank ?? 16,
      sequenceLength: options.sequenceLength ?? 4096, microBatchSize: options.microBatchSize ?? 1,
      nodes, gpusPerNode: processesPerNode, instanceType: smallest, poolName: pool.name,
    });
    check(options.command.length > 0, `'command' of fine-tune '${name}' must name the training script torchrun runs`);
    const placement = this.queuePlacement(name, options, requested, pool, nodes, processesPerNode);
    if (options.activeDeadline !== undefined) {
      check(options.activeDeadline.toSeconds() >= 1, `'activeDeadline' of fine-tune '${name}' must be at least one second`);
    }

    const namespace = placement.team?.namespace ?? placement.namespace ?? TRAINING_NAMESPACE;
    const definition = this.props.definition;
    const component = new KubernetesComponent(definition, `Training${id}`, {
      name: `training-${name}`,
      namespace,
      stage: Stage.WORKLOADS,
      description: `fine-tune '${name}' of ${options.model.name} (${method}, ${nodes} x ${processesPerNode} GPUs on NodePool ${pool.name})`,
    });
    this.wireNamespace(component, `fine-tune '${name}'`, namespace, placement, efa);
    component.addDependency(this.ensureRuntime(efa ? 'nemo-efa' : 'nemo'));
    if (options.queue !== undefined) component.addDependency(options.queue.kueue.queues);

    const namespaceComponent = placement.team?.component;
    const modelSource = this.modelSourceOf(options, namespace, component, namespaceComponent);
    const datasetToken = options.dataset.kind === DatasetSourceKind.HUGGING_FACE
      ? this.props.serving.huggingFaceTokenFor(namespace, options.dataset.tokenSecret, namespaceComponent) : undefined;
    if (datasetToken !== undefined) component.addDependency(datasetToken.component);
    new k8s.KubeServiceAccount(component, 'ServiceAccount', { metadata: { name, namespace } });
    const fineTune = new FineTuning(component, 'Resource', {
      ...options,
      namespace,
      resolvedModelSource: modelSource,
      resolvedOutput: {
        fineTuneName: name,
        kind: method === FineTuneMethod.LORA ? FineTuneOutputKind.LORA_ADAPTER : FineTuneOutputKind.FULL_WEIGHTS,
        baseModel: options.model,
        uri: `s3://${output.bucket}/${output.prefix}`,
        bucket: output.bucket,
        prefix: output.prefix,
        loraRank: method === FineTuneMethod.LORA ? options.loraRank ?? 16 : undefined,
      },
      datasetToken: datasetToken?.secret,
      resolved: { nodes, processesPerNode, method, strategy, efa },
      memory,
      serviceAccountName: name,
    });
    this.wireIdentity(id, name, namespace, [
      ...(modelSource.s3 !== undefined ? [{ ...modelSource.s3, write: false }] : []),
      ...(options.dataset.s3 !== undefined ? [{ ...options.dataset.s3, write: false }] : []),
      { ...checkpoints, write: true },
      ...(outputInCheckpoints ? [] : [{ ...output, write: true }]),
    ]);
    this.allowFlows(name, namespace);
    this.fineTunes.push(fineTune);
    return fineTune;
  }

  /**
   * Adds an nccl-tests all_reduce_perf run over `nodes` nodes of an EFA pool (a TrainJob on the `nccl-tests` MPI
   * runtime); the result is the table in the launcher's log.
   */
  public addNcclTest(id: string, options: NcclTestOptions, placement: TrainingPlacement = {}): NcclTest {
    const pool = options.pool;
    const name = options.name ?? `nccl-${pool.name}`;
    checkDnsLabel('name', name);
    const nodes = options.nodes ?? 2;
    check(Number.isInteger(nodes) && nodes >= 2, `'nodes' (${nodes}) of NCCL test '${name}' must be an integer >= 2: it measures the fabric between nodes`);
    check(pool.efa, `NCCL test '${name}' needs an EFA pool; NodePool '${pool.name}' has no EFA ('efa' is not set)`);
    const maxNodes = Math.floor(pool.gpuLimits.gpus / pool.maxGpusPerNode);
    check(nodes <= maxNodes,
      `'nodes' (${nodes}) of NCCL test '${name}' is more than NodePool '${pool.name}' can launch: its 'limits.gpus' (${pool.gpuLimits.gpus}) allows ${maxNodes} ${maxNodes === 1 ? 'node' : 'nodes'} of ${pool.maxGpusPerNode} GPUs`);
    const namespace = placement.team?.namespace ?? placement.namespace ?? TRAINING_NAMESPACE;
    const component = new KubernetesComponent(this.props.definition, `NcclTest${id}`, {
      name: `training-${name}`,
      namespace,
      stage: Stage.WORKLOADS,
      description: `nccl-tests all_reduce_perf over ${nodes} nodes of EFA NodePool ${pool.name}`,
    });
    this.wireNamespace(component, `NCCL test '${name}'`, namespace, placement, true);
    component.addDependency(this.ensureRuntime('nccl-tests'));
    this.allowFlows(name, namespace);
    return new NcclTest(component, 'Resource', { ...options, namespace, resolved: { name, nodes, gpusPerNode: pool.minGpusPerNode } });
  }

  /**
   * The placement of a fine-tune with its Kueue queue: the queue's team unless `placement` names the same team (or
   * namespace); refuses a priority without a queue, a queue of another team or namespace, a pool outside the queue
   * and more GPUs than the team can ever be admitted on the pool.
   */
  private queuePlacement(
    name: string, options: FineTuningOptions, placement: TrainingPlacement, pool: GpuNodePool, nodes: number, processesPerNode: number,
  ): TrainingPlacement {
    const queue = options.queue;
    if (queue === undefined) {
      check(options.priority === undefined,
        `'priority' (${options.priority?.name}) of fine-tune '${name}' needs a 'queue': Kueue reads the priority class of queued workloads only`);
      return placement;
    }
    const where = `'queue' (${queue.namespace}/${queue.name}) of fine-tune '${name}'`;
    if (placement.team !== undefined) {
      check(placement.team === queue.team,
        `${where} is a LocalQueue of team '${queue.team.name}', but the fine-tune runs in team '${placement.team.name}': a LocalQueue takes jobs of its own namespace only`);
    }
    if (placement.namespace !== undefined) {
      check(placement.namespace === queue.namespace,
        `${where} is in namespace '${queue.namespace}', but the fine-tune runs in namespace '${placement.namespace}': a LocalQueue takes jobs of its own namespace only`);
    }
    queue.teamQueue.checkAdmissible(`fine-tune '${name}'`, pool, nodes * processesPerNode, `${nodes} x ${processesPerNode}`);
    return { team: queue.team };
  }

  private wireNamespace(component: KubernetesComponent, what: string, namespace: string, placement: TrainingPlacement, efa: boolean): void {
    // The NeMo and nccl-tests images run as root (baseline); EFA adds IPC_LOCK, which only the privileged level allows.
    const level = efa ? PodSecurityLevel.PRIVILEGED : PodSecurityLevel.BASELINE;
    const team = placement.team;
    if (team !== undefined) {
      check(mostPermissive(team.podSecurity, level) === team.podSecurity,
        `${what} runs as root${efa ? ' with IPC_LOCK (EFA)' : ''}, which Pod Security level '${team.podSecurity}' of team '${team.name}' forbids: `
        + `create the team with 'podSecurity: PodSecurityLevel.${level.toUpperCase()}'`);
      component.addDependency(team.component);
      return;
    }
    component.addDependency(this.props.definition.ensureNamespace(namespace, { podSecurity: level }));
  }

  /** The controller and the runtimes component (created with the first training workload), with runtime `name`. */
  private ensureRuntime(name: 'nemo' | 'nemo-efa' | 'nccl-tests'): KubernetesComponent {
    this._trainer ??= new KubeflowTrainer(this, 'Trainer', { ...this.props.trainer, definition: this.props.definition });
    if (this._runtimes === undefined) {
      this._runtimes = new KubernetesComponent(this.props.definition, 'TrainingRuntimes', {
        name: 'training-runtimes',
        stage: Stage.CONFIGURATION,
        description: 'Kubeflow ClusterTrainingRuntimes: NVIDIA NeMo (torchrun) and nccl-tests (MPI)',
      });
      this._runtimes.addDependency(this._trainer.controller);
    }
    if (!this.runtimeNames.has(name)) {
      this.runtimeNames.add(name);
      if (name === 'nccl-tests') addNcclTestsRuntime(this._runtimes, this.props.ncclTestsImage ?? ContainerImage.NCCL_TESTS);
      else addNemoRuntime(this._runtimes, name === 'nemo-efa', this.props.nemoImage ?? ContainerImage.NEMO);
    }
    return this._runtimes;
  }

  private modelSourceOf(
    options: FineTuningOptions, namespace: string, component: KubernetesComponent, namespaceComponent?: KubernetesComponent,
  ): ModelSource {
    const given = options.modelSource ?? ModelSource.fromHuggingFace(options.model.huggingFaceRepo);
    check(given.kind !== ModelSourceKind.PVC,
      `'modelSource' of fine-tune '${options.name}' (${given.uri}) must come from Hugging Face or S3: the model initializer downloads it on every node`);
    if (given.kind !== ModelSourceKind.HUGGING_FACE) return given;
    const token = this.props.serving.huggingFaceTokenFor(namespace, given.tokenSecret, namespaceComponent);
    check(!(options.model.gated && given.uri === options.model.huggingFaceRepo && token === undefined),
      `'modelSource' of fine-tune '${options.name}' (${given.uri}) is gated on Hugging Face and needs a token: set the platform's `
      + `'serving.huggingFaceToken' or pass ModelSource.fromHuggingFace('${given.uri}', { tokenSecret })`);
    if (token === undefined) return given;
    component.addDependency(token.component);
    return ModelSource.fromHuggingFace(given.uri, { revision: given.revision, tokenSecret: token.secret });
  }

  /** A Pod Identity role that reads the S3 sources' prefixes and reads and writes the checkpoint (and output) prefix. */
  private wireIdentity(id: string, name: string, namespace: string, locations: Array<{ bucket: string; prefix: string; write: boolean }>): void {
    const identity = new PodIdentityRole(this, `${id}S3Access`, {
      cluster: this.props.cluster,
      namespace,
      serviceAccount: name,
      description: `fine-tune ${name}: reads its model and dataset prefixes, writes its checkpoints`,
    });
    for (const loc of locations) {
      const bucketArn = `arn:${Aws.PARTITION}:s3:::${loc.bucket}`;
      const actions = loc.write ? ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'] : ['s3:GetObject'];
      identity.addToPolicy(new iam.PolicyStatement({ actions, resources: [`${bucketArn}/${loc.prefix}/*`] }));
      identity.addToPolicy(new iam.PolicyStatement({
        actions: ['s3:ListBucket'], resources: [bucketArn], conditions: { StringLike: { 's3:prefix': [`${loc.prefix}/*`] } },
      }));
    }
    acknowledgeNagFindings(identity, NagFindingRule.WILDCARDS,
      'The fine-tune reads every object under its model and dataset prefixes and writes under its checkpoint prefix; the wildcards are the prefixes');
  }

  /** Pods of one TrainJob talk to each other on any port (torch rendezvous, NCCL bootstrap, MPI); they reach S3, Hugging Face and Pod Identity. */
  private allowFlows(name: string, namespace: string): void {
    const pods = FlowPeer.pods(namespace, { 'jobset.sigs.k8s.io/jobset-name': name });
    const flows = NetworkFlows.of(this.props.definition);
    flows.allow({ name: `training-${name}-peers`, from: pods, to: pods, description: `the nodes of TrainJob '${name}' rendezvous and exchange tensors` });
    flows.allow({ name: `training-${name}-to-internet`, from: pods, to: FlowPeer.internet(), description: `TrainJob '${name}' downloads its model and dataset and writes checkpoints (S3, Hugging Face)` });
    flows.allow({ name: `training-${name}-to-pod-identity`, from: pods, to: FlowPeer.podIdentityAgent(), description: `TrainJob '${name}' gets S3 credentials from the Pod Identity Agent` });
  }
}
