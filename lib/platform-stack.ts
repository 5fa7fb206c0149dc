import { Stack, StackProps, Token } from 'aws-cdk-lib';
import { AgentsLayer, AgentsLayerOptions } from './agents/agents-layer';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { PlatformCluster, SystemNodeGroupOptions } from './cluster/platform-cluster';
import { addStorageClasses } from './cluster/storage-classes';
import { HelmComponent } from './core/component';
import { PlatformDefinition } from './core/platform-definition';
import { PodSecurityLevel } from './core/pod-security';
import { NetworkFlows } from './network/network-flows';
import { check, PlatformValidationError } from './core/validation';
import { GatewayLayer, GatewayLayerOptions } from './gateway/gateway-layer';
import { GpuLayer, GpuLayerOptions } from './gpu/gpu-layer';
import { Karpenter, KarpenterOptions } from './karpenter/karpenter';
import { ObservabilityLayer } from './observability/observability-layer';
import { TeamsLayer } from './teams/teams-layer';
import { addPrometheusOperatorCrds, MONITORING_NAMESPACE } from './observability/prometheus-operator-crds';
import { RetrievalLayer, RetrievalLayerOptions } from './retrieval/retrieval-layer';
import { ServingLayer, ServingLayerOptions } from './serving/serving-layer';
import { TrainingLayer, TrainingLayerOptions } from './training/training-layer';
import { CdkRendering } from './rendering/cdk-rendering';
import { ComponentStacks } from './rendering/component-stacks';
import { Delivery, GitOpsOptions, resolveGitOpsOptions } from './rendering/gitops-options';
import { GitOpsRendering } from './rendering/gitops-rendering';
import { ExternalSecrets, ExternalSecretsOptions } from './secrets/external-secrets';
import { KARPENTER_MIN_FOR_KUBERNETES } from './versions';

/** Props of a platform. */
export interface PlatformStackProps extends StackProps {
  /**
   * EKS cluster name; also the name of Karpenter's interruption queue and the `karpenter.sh/discovery` tag value.
   * 1-46 characters (the Karpenter node role `KarpenterNodeRole-<name>` must fit IAM's 64).
   */
  readonly clusterName: string;
  /** Kubernetes version. @default eks.KubernetesVersion.V1_36 */
  readonly kubernetesVersion?: eks.KubernetesVersion;
  /** Existing VPC (private subnets get the Karpenter discovery tag). @default - a new VPC over up to 3 AZs */
  readonly vpc?: ec2.IVpc;
  /**
   * API server endpoint access. The default keeps `kubectl` usable from outside the VPC; restrict it with
   * `eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom('203.0.113.0/24')` or use `PRIVATE`.
   * @default eks.EndpointAccess.PUBLIC_AND_PRIVATE
   */
  readonly endpointAccess?: eks.EndpointAccess;
  /** IAM role or user ARN granted cluster-admin through an access entry. @default - only the stack's kubectl role */
  readonly adminPrincipalArn?: string;
  /** How the Kubernetes side reaches the cluster. @default Delivery.CDK */
  readonly delivery?: Delivery;
  /** Repository settings of the GitOps rendering (required for `Delivery.GITOPS` and for `dist/`). @default - none */
  readonly gitOps?: GitOpsOptions;
  /** System managed node group. @default - 2 to 4 m7i/m6i.large nodes */
  readonly systemNodeGroup?: SystemNodeGroupOptions;
  /** Karpenter settings. @default - the catalog's Karpenter */
  readonly karpenter?: KarpenterOptions;
  /** External Secrets settings. @default - the catalog's External Secrets Operator */
  readonly externalSecrets?: ExternalSecretsOptions;
  /** GPU layer settings (device plugin path, time-slicing configurations). @default - GPU Operator, no sharing */
  readonly gpu?: GpuLayerOptions;
  /** Serving settings (the default Hugging Face token). @default - no default Hugging Face token */
  readonly serving?: ServingLayerOptions;
  /** Gateway settings (implementation, TLS). @default - agentgateway, HTTP listener only */
  readonly gateway?: GatewayLayerOptions;
  /** Training settings (Trainer chart, runtime images). @default - the catalog's Kubeflow Trainer and images */
  readonly training?: TrainingLayerOptions;
  /** Retrieval settings (the Milvus operator). @default - the catalog's Milvus operator */
  readonly retrieval?: RetrievalLayerOptions;
  /**
   * Agents settings (namespace, kagent database and UI, the agents' AWS permissions boundary, tracing, sandboxes).
   * @default - namespace 'agents', in-cluster PostgreSQL, no UI, Bedrock-only boundary, traces to the collector,
   * sandboxes in namespace 'sandboxes'
   */
  readonly agents?: AgentsLayerOptions;
  /**
   * With `Delivery.CDK`: which stacks hold the charts and manifests. Keep the choice a deployed platform was made
   * with: moving a component between stacks uninstalls it. `ComponentStacks.parent()` keeps the layout of releases
   * before nested stacks.
   * @default ComponentStacks.nested()
   */
  readonly componentStacks?: ComponentStacks;
}

const EKS_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]*$/;
const IAM_PRINCIPAL_ARN = /^arn:aws(-cn|-us-gov)?:(iam::\d{12}:(role|user)\/[\w+=,.@\/-]+|sts::\d{12}:assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+)$/;

/**
 * An agentic-AI platform on Amazon EKS. The AWS side (VPC, cluster, Karpenter, identities, secrets) is built in this
 * stack; the Kubernetes side is defined once in {@link PlatformStack.definition} and rendered either by `cdk deploy`
 * (`Delivery.CDK`) or as a GitOps directory that Argo CD applies (`Delivery.GITOPS`, see {@link writeGitOps}).
 */
export class PlatformStack extends Stack {
  /** The Kubernetes-side definition (a cdk8s App holding every component). */
  public readonly definition: PlatformDefinition;
  /** The EKS cluster. */
  public readonly cluster: eks.Cluster;
  /** The cluster with its VPC, system node group and add-ons. */
  public readonly platformCluster: PlatformCluster;
  /** Karpenter; add NodePools with `karpenter.addNodePool()`. */
  public readonly karpenter: Karpenter;
  /** Secrets from AWS Secrets Manager through External Secrets; add them with `secrets.addSecret()`. */
  public readonly secrets: ExternalSecrets;
  /** The network flows every component declares; the NetworkPolicies of the platform's namespaces come from them. */
  public readonly network: NetworkFlows;
  /** The Prometheus operator CRDs (every layer emits ServiceMonitors). */
  public readonly prometheusCrds: HelmComponent;
  /** GPU infrastructure; add GPU pools with `gpu.addNodePool()`. */
  public readonly gpu: GpuLayer;
  /** Model serving; add models with `serving.addModel()`. */
  public readonly serving: ServingLayer;
  /** Fine-tuning on Kubeflow Trainer; add fine-tunes with `training.addFineTuning()`. */
  public readonly training: TrainingLayer;
  /** Retrieval: Milvus vector stores on S3; add them with `retrieval.addVectorStore()`. */
  public readonly retrieval: RetrievalLayer;
  /** The gateway; route models with `gateway.routeModel()`, add the LiteLLM proxy with `gateway.addLiteLlm()`. */
  /** Agents on kagent, each with its own identity and egress boundary; add them with `agents.addAgent()`. */
  public readonly agents: AgentsLayer;
  /** The gateway layer: Gateway API controller, model routes, LiteLLM. */
  public readonly gateway: GatewayLayer;
  /**
   * Metrics, alerts, dashboards, Langfuse, the OpenTelemetry collector and evaluations (`observability.addEvaluation()`).
   */
  public readonly observability: ObservabilityLayer;
  /** The platform's tenants; add them with `teams.add()`. */
  public readonly teams: TeamsLayer;
  /** How the Kubernetes side reaches the cluster. */
  public readonly delivery: Delivery;
  /** GitOps settings, if any. */
  public readonly gitOps?: GitOpsOptions;
  /** The CDK rendering (attaches components at synthesis with `Delivery.CDK`). */
  public readonly rendering: CdkRendering;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const name = props.clusterName;
    check(!Token.isUnresolved(name), `'clusterName' must be a literal string, not a token: it is written into Kubernetes manifests`);
    check(name.length >= 1 && name.length <= 100 && EKS_NAME.test(name),
      `'clusterName' (${name}) must be a valid EKS cluster name: 1-100 letters, digits, '-' or '_', starting with a letter or digit`);
    check(name.length <= 46,
      `'clusterName' (${name}) must be at most 46 characters: the Karpenter node role 'KarpenterNodeRole-${name}' must fit IAM's 64`);
    const version = props.kubernetesVersion ?? eks.KubernetesVersion.V1_36;
    const supported = Object.keys(KARPENTER_MIN_FOR_KUBERNETES);
    check(supported.includes(version.version),
      `'kubernetesVersion' (${version.version}) is not supported: use one of ${supported.join(', ')}`);
    if (props.adminPrincipalArn !== undefined && !Token.isUnresolved(props.adminPrincipalArn)) {
      check(IAM_PRINCIPAL_ARN.test(props.adminPrincipalArn),
        `'adminPrincipalArn' (${props.adminPrincipalArn}) must be an IAM role or user ARN such as arn:aws:iam::123456789012:role/Admin`);
    }
    if (Token.isUnresolved(this.region)) {
      throw new PlatformValidationError(
        `PlatformStack '${id}' needs a concrete region ('env.region'): the GitOps rendering writes it into manifests`);
    }
    this.delivery = props.delivery ?? Delivery.CDK;
    if (props.gitOps !== undefined) {
      resolveGitOpsOptions(props.gitOps);
    }
    this.gitOps = props.gitOps;

    this.definition = new PlatformDefinition({
      clusterName: name, region: this.region, kubernetesVersion: version.version,
      systemNodeInstanceTypes: props.systemNodeGroup?.instanceTypes?.map((t) => t.toString()),
    });
    this.network = NetworkFlows.of(this.definition);
    // kube-prometheus-stack's node exporter uses the host network, PID namespace and paths.
    this.definition.requirePodSecurity(MONITORING_NAMESPACE, PodSecurityLevel.PRIVILEGED);
    this.prometheusCrds = addPrometheusOperatorCrds(this.definition);
    addStorageClasses(this.definition);
    this.platformCluster = new PlatformCluster(this, 'Cluster', {
      clusterName: name,
      version,
      vpc: props.vpc,
      endpointAccess: props.endpointAccess,
      adminPrincipalArn: props.adminPrincipalArn,
      systemNodeGroup: props.systemNodeGroup,
    });
    this.cluster = this.platformCluster.cluster;
    this.karpenter = new Karpenter(this, 'Karpenter', { ...props.karpenter, cluster: this.cluster, definition: this.definition });
    this.secrets = new ExternalSecrets(this, 'Secrets', { ...props.externalSecrets, cluster: this.cluster, definition: this.definition });
    this.gpu = new GpuLayer(this, 'Gpu', { ...props.gpu, definition: this.definition, karpenter: this.karpenter });
    this.serving = new ServingLayer(this, 'Serving', {
      ...props.serving,
      definition: this.definition, gpu: this.gpu, cluster: this.cluster, secrets: this.secrets,
    });
    this.training = new TrainingLayer(this, 'Training', {
      ...props.training, definition: this.definition, cluster: this.cluster, serving: this.serving, secrets: this.secrets,
    });
    this.gateway = new GatewayLayer(this, 'Gateway', {
      ...props.gateway, definition: this.definition, serving: this.serving, cluster: this.cluster, secrets: this.secrets,
    });
    this.observability = new ObservabilityLayer(this, 'Observability', {
      definition: this.definition, cluster: this.cluster, secrets: this.secrets, gpu: this.gpu, serving: this.serving,
    });
    this.teams = new TeamsLayer(this, 'Teams', { definition: this.definition });
    this.agents = new AgentsLayer(this, 'Agents', {
      ...props.agents,
      definition: this.definition, cluster: this.cluster, secrets: this.secrets, observability: this.observability,
    });
    this.retrieval = new RetrievalLayer(this, 'Retrieval', {
      ...props.retrieval, definition: this.definition, cluster: this.cluster, agents: this.agents,
    });
    this.rendering = new CdkRendering(this, 'Rendering', {
      cluster: this.cluster,
      definition: this.definition,
      delivery: this.delivery,
      gitOps: props.gitOps,
      componentStacks: props.componentStacks,
      waitFor: [this.platformCluster.systemNodeGroup, this.karpenter.controllerRole.association, this.secrets.identity.association],
    });
  }

  /**
   * Writes the GitOps rendering of this platform to `outdir`. {@link PlatformApp} calls it after the CloudFormation
   * synthesis, so one `app.synth()` writes `cdk.out/` and `dist/`; call it yourself from a plain `App`, after
   * `app.synth()` to reuse the CDK rendering's model of the cluster.
   * @returns the written paths, relative to `outdir`
   */
  public writeGitOps(outdir: string): string[] {
    if (this.gitOps === undefined) {
      throw new PlatformValidationError(`'gitOps' must be set on PlatformStack '${this.node.id}' to write the GitOps rendering`);
    }
    // After `app.synth()` the CDK rendering's model of the cluster is reused (one synthesis of the manifests, one run
    // of the checks), unless constructs were added since.
    return GitOpsRendering._writeReusing(this.definition, this.gitOps, outdir, this.rendering._model);
  }
}
