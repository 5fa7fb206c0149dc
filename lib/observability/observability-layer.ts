import { Duration, Size } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { Langfuse, LangfuseOptions } from './langfuse/langfuse';
import { AlertKind, IPlatformComponents, PlatformAlerts, PlatformComponentKind } from './metrics/alerts';
import { GrafanaDashboards } from './metrics/dashboards';
import { PROMETHEUS_STACK_RELEASE, PrometheusStack } from './metrics/prometheus-stack';
import { MONITORING_NAMESPACE } from './prometheus-operator-crds';
import { PodIdentityRole } from '../cluster/pod-identity';
import { acknowledgeNagFindings, NagFindingRule } from '../core/nag-acknowledgements';
import { OtelCollector, OtelCollectorOptions } from './otel/otel-collector';
import { RagasEvaluation, RagasEvaluationOptions } from './evaluation/ragas-evaluation';
import { KubernetesComponent, Stage } from '../core/component';
import { PlatformDefinition } from '../core/platform-definition';
import { check } from '../core/validation';
import { FlowPeer, FlowPort } from '../network/flow';
import { KAGENT_CONTROLLER_LABELS, KAGENT_CONTROLLER_PORT, KAGENT_NAMESPACE } from '../agents/kagent';
import { NetworkFlows } from '../network/network-flows';
import { GpuLayer } from '../gpu/gpu-layer';
import { ExternalSecrets } from '../secrets/external-secrets';
import { ServingLayer } from '../serving/serving-layer';
import { Team } from '../teams/team';

/** Default namespace of evaluations without a team. */
export const EVALUATION_NAMESPACE = 'evaluations';

/** Where an evaluation runs: a team's namespace or a namespace. */
export interface EvaluationPlacement {
  /** The team whose namespace the evaluation runs in. @default - `namespace` */
  readonly team?: Team;
  /** Namespace (without a team). @default 'evaluations' */
  readonly namespace?: string;
}

/** Options of metrics, alerts and dashboards. */
export interface MonitoringOptions {
  /** Prometheus retention. @default Duration.days(15) */
  readonly retention?: Duration;
  /** Prometheus storage. @default Size.gibibytes(100) */
  readonly storage?: Size;
  /** Alerts to emit. @default - every alert of the components the platform runs */
  readonly alerts?: AlertKind[];
  /** Time-to-first-token SLO (p95) in seconds. @default 2 */
  readonly ttftSloSeconds?: number;
  /** Price of an idle GPU hour for the idle-cost panel and alert (estimate from the GPU catalog). @default - none */
  readonly gpuPricePerHourUsd?: number;
  /**
   * Remote write to Amazon Managed Service for Prometheus: the workspace's remote-write URL (a literal: manifests
   * carry no tokens). Prometheus gets a Pod Identity role with `AmazonPrometheusRemoteWriteAccess` and signs with SigV4.
   * @default - local Prometheus only
   */
  readonly managedPrometheusRemoteWriteUrl?: string;
  /**
   * Scrape kube-proxy: only after its `metricsBindAddress` is `0.0.0.0:10249` (the EKS add-on binds `127.0.0.1`).
   * @default false
   */
  readonly scrapeKubeProxy?: boolean;
}

/** Props of the observability layer. */
export interface ObservabilityLayerProps {
  /** The definition. */
  readonly definition: PlatformDefinition;
  /** The cluster. */
  readonly cluster: eks.Cluster;
  /** The secrets layer. */
  readonly secrets: ExternalSecrets;
  /** The GPU layer (what runs decides which alerts and dashboards apply). */
  readonly gpu: GpuLayer;
  /** The serving layer. */
  readonly serving: ServingLayer;
}

/**
 * Observability and cost: kube-prometheus-stack with the platform's alerts and Grafana dashboards (`addMonitoring`),
 * self-hosted Langfuse (`addLangfuse`) and an OpenTelemetry collector exporting traces to it (`addOtelCollector`).
 */
export class ObservabilityLayer extends Construct {
  private readonly props: ObservabilityLayerProps;
  private _prometheus?: PrometheusStack;
  private _langfuse?: Langfuse;
  private _otel?: OtelCollector;

  constructor(scope: Construct, id: string, props: ObservabilityLayerProps) {
    super(scope, id);
    this.props = props;
  }

  /**
   * kube-prometheus-stack picking up every ServiceMonitor, PodMonitor and PrometheusRule of the platform, alerts
   * for the components the platform runs and the GPU fleet, model serving and token dashboards.
   */
  public addMonitoring(options: MonitoringOptions = {}): PrometheusStack {
    check(this._prometheus === undefined, 'monitoring is already added to this platform');
    const definition = this.props.definition;
    const amp = options.managedPrometheusRemoteWriteUrl;
    this._prometheus = new PrometheusStack(definition, 'KubePrometheusStack', {
      retention: options.retention,
      storage: options.storage,
      scrapeKubeProxy: options.scrapeKubeProxy,
      remoteWrite: amp !== undefined ? { url: amp, region: definition.region } : undefined,
    });
    if (amp !== undefined) {
      const identity = new PodIdentityRole(this, 'PrometheusRemoteWrite', {
        cluster: this.props.cluster,
        namespace: MONITORING_NAMESPACE,
        serviceAccount: `${PROMETHEUS_STACK_RELEASE}-prometheus`,
        description: 'Prometheus remote write to Amazon Managed Service for Prometheus',
      });
      identity.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonPrometheusRemoteWriteAccess'));
      acknowledgeNagFindings(identity, NagFindingRule.MANAGED_POLICIES,
        'AmazonPrometheusRemoteWriteAccess (aps:RemoteWrite) is the policy AWS documents for Prometheus remote write');
    }
    // What the platform runs is asked when the manifests are rendered: pools and models added after monitoring count.
    const running = (): PlatformComponentKind[] => [
      PlatformComponentKind.KARPENTER,
      ...(this.props.gpu.nodePools.length > 0 ? [PlatformComponentKind.GPU] : []),
      ...(this.props.serving.modelList.length > 0 ? [PlatformComponentKind.VLLM] : []),
    ];
    const components: IPlatformComponents = { runningComponents: running };
    const alerts = new PlatformAlerts(definition, 'PlatformAlerts', {
      components, alerts: options.alerts, ttftSloSeconds: options.ttftSloSeconds, idleGpuCostPerHourUsd: options.gpuPricePerHourUsd,
    });
    alerts.addDependency(this._prometheus);
    const dashboards = new GrafanaDashboards(definition, 'GrafanaDashboards', {
      components: { runningComponents: () => running().filter((c) => c !== PlatformComponentKind.KARPENTER) }, gpuPricePerHourUsd: options.gpuPricePerHourUsd,
    });
    dashboards.addDependency(this._prometheus);
    return this._prometheus;
  }

  /** Self-hosted Langfuse (traces, tokens, cost, prompts) with S3 blob storage through Pod Identity. */
  public addLangfuse(options: LangfuseOptions = {}): Langfuse {
    check(this._langfuse === undefined, 'Langfuse is already added to this platform');
    this._langfuse = new Langfuse(this, 'Langfuse', {
      ...options, definition: this.props.definition, cluster: this.props.cluster, secrets: this.props.secrets,
    });
    return this._langfuse;
  }

  /**
   * An OpenTelemetry collector that receives OTLP (vLLM, the endpoint pickers, LiteLLM, agents) and exports to Langfuse
   * (and to LangSmith with `langSmith`).
   */
  public addOtelCollector(options: OtelCollectorOptions = {}): OtelCollector {
    check(this._langfuse !== undefined, 'add Langfuse (observability.addLangfuse) before the OpenTelemetry collector that exports to it');
    this._otel = new OtelCollector(this, 'OtelCollector', {
      ...options, definition: this.props.definition, secrets: this.props.secrets, langfuse: this._langfuse,
    });
    return this._otel;
  }

  /**
   * Adds a RAGAS evaluation CronJob (the user's image; RAGAS has no official image) as its own component
   * `evaluation-<name>`, in a team's namespace or, without a team, in `placement.namespace` (default 'evaluations'),
   * with the network flows to the Langfuse and LiteLLM it uses and, with `agent`, to the kagent controller (A2A).
   */
  public addEvaluation(id: string, options: RagasEvaluationOptions, placement: EvaluationPlacement = {}): RagasEvaluation {
    check(placement.team === undefined || placement.namespace === undefined,
      `evaluation '${options.name}' has both a 'team' (${placement.team?.name}) and a 'namespace' (${placement.namespace}) in its placement: the team's namespace is used, leave 'namespace' out`);
    const namespace = placement.team?.namespace ?? placement.namespace ?? EVALUATION_NAMESPACE;
    const definition = this.props.definition;
    const component = new KubernetesComponent(definition, `Evaluation${id}`, {
      name: `evaluation-${options.name}`,
      namespace,
      stage: Stage.WORKLOADS,
      description: `RAGAS evaluation '${options.name}' (${options.schedule})`,
    });
    component.addDependency(placement.team !== undefined ? placement.team.component : definition.ensureNamespace(namespace));
    const agent = options.agent;
    if (agent !== undefined) {
      check(agent.node.scopes.includes(definition),
        `evaluation '${options.name}' targets agent '${agent.agentName}' of another platform: evaluate an agent of this platform (platform.agents.addAgent)`);
    }
    const evaluation = new RagasEvaluation(component, 'Resource', { ...options, namespace });
    const network = NetworkFlows.of(definition);
    const pods = FlowPeer.inNamespace(namespace);
    const langfuseUrl = options.langfuse?.url ?? options.langfuseHost;
    const litellmUrl = options.judge.litellm?.url ?? options.judge.litellmUrl;
    if (langfuseUrl !== undefined) {
      network.allowToUrl(`evaluation-${options.name}-to-langfuse`, pods, langfuseUrl, `evaluation '${options.name}' reads datasets and writes scores in Langfuse`);
    }
    if (litellmUrl !== undefined) {
      network.allowToUrl(`evaluation-${options.name}-to-litellm`, pods, litellmUrl, `evaluation '${options.name}' asks its judge model through LiteLLM`);
    }
    if (agent !== undefined) {
      network.allow({
        name: `evaluation-${options.name}-to-kagent`,
        from: pods,
        to: FlowPeer.pods(KAGENT_NAMESPACE, { ...KAGENT_CONTROLLER_LABELS }),
        ports: [FlowPort.tcp(KAGENT_CONTROLLER_PORT)],
        description: `evaluation '${options.name}' asks agent '${agent.agentName}' its questions through kagent's A2A endpoint (${agent.a2aUrl})`,
      });
    }
    return evaluation;
  }

  /** Langfuse, if added. */
  public get langfuse(): Langfuse | undefined {
    return this._langfuse;
  }

  /** The collector, if added. */
  public get otelCollector(): OtelCollector | undefined {
    return this._otel;
  }
}
