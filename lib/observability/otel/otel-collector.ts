import { Construct } from 'constructs';
import {
  ExternalSecret, ExternalSecretSpecSecretStoreRefKind, ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetTemplateEngineVersion,
} from '../../../imports/eso-externalsecret-external-secrets.io';
import { HelmComponent, KubernetesComponent, Stage } from '../../core/component';
import { JsonObject } from '../../core/deep-merge';
import { PlatformDefinition } from '../../core/platform-definition';
import { PodSecurityLevel } from '../../core/pod-security';
import { check, checkDnsLabel, checkDnsSubdomain, checkLiteral } from '../../core/validation';
import { FlowPeer, FlowPort } from '../../network/flow';
import { NetworkFlows } from '../../network/network-flows';
import { AWS_SECRET_STORE, ExternalSecrets } from '../../secrets/external-secrets';
import { ContainerImage, HelmChartVersion } from '../../versions';
import { Langfuse, LangfuseVersion } from '../langfuse/langfuse';

/** OTLP/gRPC port. */
export const OTLP_GRPC_PORT = 4317;
/** OTLP/HTTP port. */
export const OTLP_HTTP_PORT = 4318;
/** Name of the collector's Deployment and Service (`fullnameOverride`). */
export const OTEL_COLLECTOR_NAME = 'otel-collector';
/** Secret holding `LANGFUSE_AUTH` (base64 of `pk-lf-...:sk-lf-...`). */
export const LANGFUSE_AUTH_SECRET = 'langfuse-otel-auth';

/** Default LangSmith API base URL (US SaaS). */
export const LANGSMITH_DEFAULT_ENDPOINT = 'https://api.smith.langchain.com';

/** A key of a Kubernetes Secret, materialized from AWS Secrets Manager. */
export interface OtelSecretKeyRef {
  /** Secret name (a DNS subdomain). */
  readonly name: string;
  /** Key in the Secret, and JSON property of the AWS secret. */
  readonly key: string;
}

/**
 * LangSmith (managed, or self-hosted) as a second trace destination of the collector, next to Langfuse: every span the
 * collector receives is sent to both. The spans carry prompts and completions: they leave the cluster.
 * @see https://docs.langchain.com/langsmith/trace-with-opentelemetry
 */
export interface LangSmithExportOptions {
  /**
   * LangSmith API base URL; the exporter sends to `<endpoint>/otel/v1/traces`. EU: `https://eu.api.smith.langchain.com`,
   * AWS-hosted US: `https://aws.api.smith.langchain.com`, or a self-hosted URL.
   * @default LANGSMITH_DEFAULT_ENDPOINT
   */
  readonly endpoint?: string;
  /** LangSmith project the traces land in (`Langsmith-Project` header). @default - the workspace's default project */
  readonly project?: string;
  /**
   * The API key's Secret in the collector's namespace, materialized by External Secrets from the AWS Secrets Manager
   * secret `<cluster>/<namespace>/<name>` (JSON property `key`), which the operator creates.
   * @default { name: 'langsmith-api-key', key: 'api-key' }
   */
  readonly apiKeySecret?: OtelSecretKeyRef;
}

/** Options of {@link OtelCollector}. */
export interface OtelCollectorOptions {
  /** Namespace. @default 'opentelemetry' */
  readonly namespace?: string;
  /** The chart. @default HelmChartVersion.OPENTELEMETRY_COLLECTOR */
  readonly chart?: HelmChartVersion;
  /**
   * Collector image (`image.repository` and `image.tag`; the chart requires the repository). It must contain the OTLP
   * receiver, the `memory_limiter` and `batch` processors and the `otlphttp` exporter.
   * @default ContainerImage.OTEL_COLLECTOR_K8S (the Kubernetes distribution at the chart's appVersion)
   */
  readonly image?: ContainerImage;
  /** Collector replicas. @default 2 */
  readonly replicas?: number;
  /**
   * Also export traces to LangSmith, for teams that use it.
   * @default - Langfuse only
   */
  readonly langSmith?: LangSmithExportOptions;
  /** Raw chart values deep-merged after the computed ones (escape hatch). @default - none */
  readonly values?: JsonObject;
}

/** Props of {@link OtelCollector}. */
export interface OtelCollectorProps extends OtelCollectorOptions {
  /** The platform's Kubernetes-side definition. */
  readonly definition: PlatformDefinition;
  /** The secrets layer. */
  readonly secrets: ExternalSecrets;
  /** The Langfuse the traces go to; needs `initialization` (its generated API keys authenticate the exporter). */
  readonly langfuse: Langfuse;
}

/**
 * An OpenTelemetry Collector (Helm chart `open-telemetry/opentelemetry-collector`, mode `deployment`, image
 * `otel/opentelemetry-collector-k8s`) that
 * receives OTLP traces over gRPC (4317) and HTTP (4318), batches them and sends them to Langfuse's OTLP/HTTP
 * endpoint `<langfuse>/api/public/otel` (Langfuse does not accept gRPC). Point vLLM (`--otlp-traces-endpoint
 * <otlpGrpcEndpoint>`), LiteLLM (`otel` callback) and agents (`OTEL_EXPORTER_OTLP_ENDPOINT`) at it.
 *
 * The exporter authenticates with `Authorization: Basic ${env:LANGFUSE_AUTH}`; `LANGFUSE_AUTH` comes from the
 * Secret `langfuse-otel-auth`, which an `ExternalSecret` template computes from the two generated Langfuse keys
 * (`{{ printf "pk-lf-%s:sk-lf-%s" .pk .sk | b64enc }}`), so no key appears in code or manifests.
 *
 * With `langSmith`, a second exporter `otlphttp/langsmith` sends the same traces to `<endpoint>/otel` with
 * `x-api-key: ${env:LANGSMITH_API_KEY}` (from an ExternalSecret of the operator's AWS secret) and, optionally,
 * `Langsmith-Project`; the flow `otel-collector-to-langsmith` allows HTTPS out of the collector's namespace.
 */
export class OtelCollector extends Construct {
  /** The chart. */
  public readonly chart: HelmComponent;
  /** The component holding the auth ExternalSecret. */
  public readonly secretsComponent: KubernetesComponent;
  /** Namespace. */
  public readonly namespace: string;
  /** OTLP/gRPC endpoint, e.g. for vLLM's `--otlp-traces-endpoint`. */
  public readonly otlpGrpcEndpoint: string;
  /** OTLP/HTTP base endpoint (exporters append `/v1/traces`), e.g. for `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  public readonly otlpHttpEndpoint: string;
  /** The collector configuration given to the chart (`config`). */
  public readonly config: JsonObject;
  /** The AWS Secrets Manager secret holding the LangSmith API key, when LangSmith is a destination. */
  public readonly langSmithApiKeySecretName?: string;

  constructor(scope: Construct, id: string, props: OtelCollectorProps) {
    super(scope, id);
    const ns = props.namespace ?? 'opentelemetry';
    checkDnsLabel('namespace', ns);
    const replicas = props.replicas ?? 2;
    check(Number.isInteger(replicas) && replicas >= 1, `'replicas' (${replicas}) must be an integer of at least 1`);
    const keys = props.langfuse.apiKeys;
    check(keys !== undefined,
      "OtelCollector needs the API keys of Langfuse: set 'initialization' ({ organization, project }) on the Langfuse construct");
    this.namespace = ns;
    const host = `${OTEL_COLLECTOR_NAME}.${ns}.svc.cluster.local`;
    this.otlpGrpcEndpoint = `http://${host}:${OTLP_GRPC_PORT}`;
    this.otlpHttpEndpoint = `http://${host}:${OTLP_HTTP_PORT}`;

    const secretsComponent = new KubernetesComponent(props.definition, 'OtelCollectorSecrets', {
      name: 'otel-collector-secrets',
      namespace: ns,
      stage: Stage.WORKLOADS,
      description: `Langfuse credentials of the OpenTelemetry Collector in namespace ${ns}`,
    });
    this.secretsComponent = secretsComponent;
    // The collector chart sets no pod security context: baseline enforced, restricted audited.
    secretsComponent.addDependency(props.definition.ensureNamespace(ns, { podSecurity: PodSecurityLevel.BASELINE }), props.secrets.store);
    new ExternalSecret(secretsComponent, 'LangfuseAuth', {
      metadata: { name: LANGFUSE_AUTH_SECRET, namespace: ns },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, name: AWS_SECRET_STORE },
        target: {
          name: LANGFUSE_AUTH_SECRET,
          creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
          template: {
            engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2,
            data: {
              auth: `{{ printf "${keys.publicKey.prefix}%s:${keys.secretKey.prefix}%s" .pk .sk | b64enc }}`,
            },
          },
        },
        data: [
          { secretKey: 'pk', remoteRef: { key: keys.publicKey.awsSecretName, property: keys.publicKey.property } },
          { secretKey: 'sk', remoteRef: { key: keys.secretKey.awsSecretName, property: keys.secretKey.property } },
        ],
      },
    });

    const extraEnvs: JsonObject[] = [{ name: 'LANGFUSE_AUTH', valueFrom: { secretKeyRef: { name: LANGFUSE_AUTH_SECRET, key: 'auth' } } }];
    const exporters: JsonObject = {};
    const langSmith = props.langSmith;
    let langSmithEndpoint: string | undefined;
    if (langSmith !== undefined) {
      langSmithEndpoint = (langSmith.endpoint ?? LANGSMITH_DEFAULT_ENDPOINT).replace(/\/+$/, '');
      checkLiteral('langSmith.endpoint', langSmithEndpoint);
      check(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(langSmithEndpoint),
        `'langSmith.endpoint' (${langSmith.endpoint}) must be an http:// or https:// base URL such as ${LANGSMITH_DEFAULT_ENDPOINT}`);
      if (langSmith.project !== undefined) {
        checkLiteral('langSmith.project', langSmith.project);
        check(/^[^\r\n]{1,256}$/.test(langSmith.project), `'langSmith.project' (${langSmith.project}) must be one line of at most 256 characters`);
      }
      const ref = langSmith.apiKeySecret ?? { name: 'langsmith-api-key', key: 'api-key' };
      checkDnsSubdomain('langSmith.apiKeySecret.name', ref.name);
      checkLiteral('langSmith.apiKeySecret.key', ref.key);
      check(/^[-._a-zA-Z0-9]+$/.test(ref.key), `'langSmith.apiKeySecret.key' (${ref.key}) must consist of letters, digits, '-', '_' or '.'`);
      this.langSmithApiKeySecretName = props.secrets.referenceSecret(secretsComponent, 'LangSmithApiKey', { namespace: ns, name: ref.name, key: ref.key });
      extraEnvs.push({ name: 'LANGSMITH_API_KEY', valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } });
      exporters['otlphttp/langsmith'] = {
        endpoint: `${langSmithEndpoint}/otel`,
        headers: { 'x-api-key': '${env:LANGSMITH_API_KEY}', ...(langSmith.project !== undefined ? { 'Langsmith-Project': langSmith.project } : {}) },
      };
    }

    const headers: JsonObject = { Authorization: 'Basic ${env:LANGFUSE_AUTH}' };
    if (props.langfuse.version === LangfuseVersion.V4) headers['x-langfuse-ingestion-version'] = '4';
    this.config = {
      receivers: {
        otlp: {
          protocols: {
            grpc: { endpoint: `\${env:MY_POD_IP}:${OTLP_GRPC_PORT}` },
            http: { endpoint: `\${env:MY_POD_IP}:${OTLP_HTTP_PORT}` },
          },
        },
      },
      processors: {
        memory_limiter: { check_interval: '5s', limit_percentage: 80, spike_limit_percentage: 25 },
        batch: {},
      },
      exporters: {
        'otlphttp/langfuse': { endpoint: props.langfuse.otelEndpoint, headers },
        ...exporters,
      },
      service: {
        pipelines: {
          traces: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['otlphttp/langfuse', ...Object.keys(exporters)] },
        },
      },
    };

    const config = this.config;
    const image = props.image ?? ContainerImage.OTEL_COLLECTOR_K8S;
    this.chart = new HelmComponent(props.definition, 'OtelCollector', {
      name: 'otel-collector',
      namespace: ns,
      stage: Stage.WORKLOADS,
      description: `OpenTelemetry Collector: OTLP traces at ${this.otlpGrpcEndpoint} (gRPC) and ${this.otlpHttpEndpoint} (HTTP) to Langfuse`,
      chart: props.chart ?? HelmChartVersion.OPENTELEMETRY_COLLECTOR,
      includesCrds: false,
      values: { render: () => ({
        mode: 'deployment',
        fullnameOverride: OTEL_COLLECTOR_NAME,
        replicaCount: replicas,
        image: { repository: image.repository, tag: image.tag },
        extraEnvs,
        config,
      }) },
      valueOverrides: props.values,
    });
    this.chart.addDependency(secretsComponent, props.langfuse.chart);

    const flows = NetworkFlows.of(props.definition);
    const collector = FlowPeer.inNamespace(ns);
    flows.allow({ name: 'teams-to-otel-collector', from: FlowPeer.teams(), to: collector,
      ports: [FlowPort.tcp(OTLP_GRPC_PORT), FlowPort.tcp(OTLP_HTTP_PORT)], description: 'agents of the teams send OTLP traces to the collector' });
    flows.allowToUrl('otel-collector-to-langfuse', collector, props.langfuse.otelEndpoint, 'the collector exports traces to Langfuse');
    if (langSmithEndpoint !== undefined) {
      flows.allowToUrl('otel-collector-to-langsmith', collector, langSmithEndpoint, `the collector exports traces to LangSmith at ${langSmithEndpoint}`);
    }
  }
}
