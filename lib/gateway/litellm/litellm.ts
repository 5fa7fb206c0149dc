import { createHash } from 'crypto';
import { Duration, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { k8s } from 'cdk8s-plus-34';
import { Construct } from 'constructs';
import { LiteLlmDatabase, LiteLlmDatabaseKind } from './database';
import { LiteLlmModel, LiteLlmProvider, LiteLlmSecretRef } from './model';
import { checkSecretRef } from './private/secret-ref';
import { liteLlmConfigYaml, liteLlmDuration, secretEnvName } from './private/config';
import { ExternalSecret, ExternalSecretSpecSecretStoreRefKind, ExternalSecretSpecTargetCreationPolicy } from '../../../imports/eso-externalsecret-external-secrets.io';
import { ServiceMonitor } from '../../../imports/prometheus-servicemonitor-monitoring.coreos.com';
import { PodIdentityRole } from '../../cluster/pod-identity';
import { KubernetesComponent, Stage } from '../../core/component';
import { acknowledgeNagFindings, NagFindingRule } from '../../core/nag-acknowledgements';
import { PlatformDefinition } from '../../core/platform-definition';
import { check, checkDnsLabel, isToken } from '../../core/validation';
import { FlowPeer, FlowPort } from '../../network/flow';
import { NetworkFlows } from '../../network/network-flows';
import { urlDestination } from '../../network/service-url';
import { AWS_SECRET_STORE, ExternalSecrets } from '../../secrets/external-secrets';
import { PlatformSecret } from '../../secrets/platform-secret';
import { ContainerImage } from '../../versions';

/** LiteLLM's HTTP port. */
export const LITELLM_PORT = 4000;
/** Name of LiteLLM's Deployment, Service and ServiceAccount. */
export const LITELLM_NAME = 'litellm';

/**
 * How LiteLLM's router picks a deployment within a model group.
 * @see https://docs.litellm.ai/docs/routing
 */
export enum RoutingStrategy {
  /** Random, weighted by `rpm`/`tpm` when set (LiteLLM's default). */
  SIMPLE_SHUFFLE = 'simple-shuffle',
  /** The deployment with the fewest requests in flight. */
  LEAST_BUSY = 'least-busy',
  /** The deployment with the most rpm/tpm headroom (uses Redis). */
  USAGE_BASED_V2 = 'usage-based-routing-v2',
  /** The deployment with the lowest recent latency. */
  LATENCY_BASED = 'latency-based-routing',
  /** The cheapest deployment. */
  COST_BASED = 'cost-based-routing',
}

/** Router settings. */
export interface LiteLlmRouting {
  /** Strategy within a load-balancing group. @default RoutingStrategy.SIMPLE_SHUFFLE */
  readonly strategy?: RoutingStrategy;
  /** Retries of a failed call. @default 2 */
  readonly numRetries?: number;
  /** Timeout of a call. @default Duration.seconds(600) */
  readonly timeout?: Duration;
  /**
   * Models tried, in order, when a model fails: `{ 'qwen3-32b': ['claude'] }`. Keys and values are public model names.
   * @default - no fallbacks
   * @see https://docs.litellm.ai/docs/proxy/reliability
   */
  readonly fallbacks?: { [modelName: string]: string[] };
}

/** A LiteLLM team (budget and rate limits shared by its keys). */
export interface LiteLlmTeam {
  /** Team alias. */
  readonly name: string;
  /** Budget in US dollars. @default - no budget */
  readonly maxBudgetUsd?: number;
  /** Period after which the budget resets. @default - never */
  readonly budgetDuration?: Duration;
  /** Requests per minute. @default - unlimited */
  readonly rpmLimit?: number;
  /** Tokens per minute. @default - unlimited */
  readonly tpmLimit?: number;
  /** Public model names the team may call. @default - all models */
  readonly models?: string[];
}

/** Langfuse tracing through LiteLLM's `langfuse_otel` callback. */
export interface LiteLlmLangfuse {
  /** Langfuse base URL, e.g. `http://langfuse-web.langfuse.svc:3000` (LiteLLM appends `/api/public/otel`). */
  readonly host: string;
  /** Secret holding the Langfuse public key. */
  readonly publicKeySecret: LiteLlmSecretRef;
  /** Secret holding the Langfuse secret key. */
  readonly secretKeySecret: LiteLlmSecretRef;
}

/** Horizontal autoscaling of the proxy on CPU. */
export interface LiteLlmAutoscaling {
  /** Fewest replicas. */
  readonly minReplicas: number;
  /** Most replicas. */
  readonly maxReplicas: number;
  /** Target average CPU utilization, percent of requests. @default 70 */
  readonly cpuUtilization?: number;
}

/** Props of {@link LiteLlm}. */
export interface LiteLlmProps extends LiteLlmOptions {
  /** The platform's Kubernetes-side definition. */
  readonly definition: PlatformDefinition;
  /** The cluster (Pod Identity association of Bedrock access). */
  readonly cluster: eks.Cluster;
  /** The secrets layer (generated keys and passwords, provider API keys). */
  readonly secrets: ExternalSecrets;
}

/** Options of the LiteLLM proxy (what `platform.addLiteLlm()` takes). */
export interface LiteLlmOptions {
  /** Namespace. @default 'litellm' */
  readonly namespace?: string;
  /** Proxy replicas (exclusive with `autoscaling`). @default 2 */
  readonly replicas?: number;
  /** Proxy image. @default ContainerImage.LITELLM */
  readonly image?: ContainerImage;
  /** The models, in `model_list` order. */
  readonly models: LiteLlmModel[];
  /** Router settings. @default - simple-shuffle, 2 retries, 600 s timeout, no fallbacks */
  readonly routing?: LiteLlmRouting;
  /** Database. @default LiteLlmDatabase.inCluster() */
  readonly database?: LiteLlmDatabase;
  /** Teams, emitted as request bodies for LiteLLM's `/team/new` API (ConfigMap `litellm-teams`). @default - none */
  readonly teams?: LiteLlmTeam[];
  /** Langfuse tracing. @default - none */
  readonly langfuse?: LiteLlmLangfuse;
  /**
   * Emit a ServiceMonitor for `/metrics` and enable the `prometheus` callback. LiteLLM's Prometheus metrics have
   * been an enterprise feature; check the license of the image before enabling.
   * @default false
   */
  readonly serviceMonitor?: boolean;
  /** CPU-based HorizontalPodAutoscaler instead of fixed `replicas`. @default - fixed replicas */
  readonly autoscaling?: LiteLlmAutoscaling;
}

const APP_LABEL = 'app.kubernetes.io/name';
const COMPONENT_LABEL = 'app.kubernetes.io/component';
const POSTGRES_PORT = 5432;
const REDIS_PORT = 6379;
const LITERAL_KEY = (name: string) => `API key of model '${name}' must come from a Secret, not a literal value`;

const RESTRICTED = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

function secretEnv(name: string, secret: string, key: string): k8s.EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

function intOrStr(n: number): k8s.IntOrString {
  return k8s.IntOrString.fromNumber(n);
}

function checkCount(prop: string, value: number | undefined, min: number): void {
  if (value === undefined || isToken(value)) return;
  check(Number.isInteger(value) && value >= min, `'${prop}' (${value}) must be an integer of at least ${min}`);
}

/**
 * The LiteLLM proxy: one OpenAI-compatible endpoint (`http://litellm.<namespace>.svc:4000`) in front of the
 * platform's vLLM models and of Bedrock, OpenAI and Anthropic, with virtual keys, teams and budgets kept in
 * PostgreSQL and shared rate-limit state in Valkey.
 *
 * Kubernetes side (component `litellm`): config.yaml generated from the typed model list, a Deployment, Service,
 * PodDisruptionBudget, ServiceAccount, optional HPA and ServiceMonitor, PostgreSQL (StatefulSet) and Valkey.
 * The master key, salt key and passwords are generated in AWS Secrets Manager; provider API keys are read from
 * secrets the operator stores (see {@link requiredSecrets}). LiteLLM needs a master key starting with `sk-`: the
 * proxy receives `sk-<generated value>` (Kubernetes `$(VAR)` expansion), so clients and admins use `sk-` followed
 * by the value of the AWS secret `<cluster>/<namespace>/litellm-master-key`.
 *
 * AWS side: for Bedrock models, an EKS Pod Identity role for the ServiceAccount `litellm` that may invoke exactly
 * those models.
 */
export class LiteLlm extends Construct {
  /** The component holding every Kubernetes object. */
  public readonly component: KubernetesComponent;
  /** Namespace. */
  public readonly namespace: string;
  /** In-cluster URL of the OpenAI-compatible API (without `/v1`). */
  public readonly url: string;
  /** The generated master key (without the `sk-` prefix the proxy adds). */
  public readonly masterKey: PlatformSecret;
  /** The generated salt key (encrypts provider keys stored in the database; never change it). */
  public readonly saltKey: PlatformSecret;
  /** Pod Identity role of the proxy, present when a Bedrock model is configured. */
  public readonly identity?: PodIdentityRole;
  /** The config.yaml given to the proxy. */
  public readonly configYaml: string;
  private readonly _requiredSecrets: string[] = [];
  private readonly _teamRequests: Record<string, unknown>[];

  constructor(scope: Construct, id: string, props: LiteLlmProps) {
    super(scope, id);
    const ns = props.namespace ?? 'litellm';
    checkDnsLabel('namespace', ns);
    this.namespace = ns;
    this.url = `http://${LITELLM_NAME}.${ns}.svc:${LITELLM_PORT}`;
    checkCount('replicas', props.replicas, 1);
    check(!(props.replicas !== undefined && props.autoscaling !== undefined),
      `'replicas' (${props.replicas}) and 'autoscaling' are exclusive: the HorizontalPodAutoscaler sets the replicas`);
    if (props.autoscaling) {
      const a = props.autoscaling;
      checkCount('autoscaling.minReplicas', a.minReplicas, 1);
      checkCount('autoscaling.maxReplicas', a.maxReplicas, a.minReplicas);
      checkCount('autoscaling.cpuUtilization', a.cpuUtilization, 1);
    }

    // ---- models, routing, teams: validated before anything is created
    const models = [...props.models];
    check(models.length > 0, "'models' must name at least one model");
    const byName = new Map<string, LiteLlmModel>();
    for (const m of models) {
      const other = byName.get(m.name);
      if (other) {
        check(other.loadBalance && m.loadBalance,
          `model name '${m.name}' is used by two models (${other.provider}, ${m.provider}); give them one name only in a load-balancing group (loadBalance: true)`);
      } else {
        byName.set(m.name, m);
      }
    }
    const routing = props.routing ?? {};
    checkCount('routing.numRetries', routing.numRetries, 0);
    const timeout = routing.timeout ?? Duration.seconds(600);
    check(timeout.toMilliseconds() >= 1000, `'routing.timeout' (${timeout.toHumanString()}) must be at least 1 second`);
    const fallbacks = Object.entries(routing.fallbacks ?? {});
    for (const [from, to] of fallbacks) {
      check(byName.has(from), `'routing.fallbacks' names model '${from}', which is not a model of this LiteLLM`);
      check(Array.isArray(to) && to.length > 0, `fallbacks of model '${from}' must name at least one model`);
      for (const x of to) check(byName.has(x), `fallback '${x}' of model '${from}' is not a model of this LiteLLM`);
      check(!to.includes(from), `model '${from}' cannot be its own fallback`);
    }
    this._teamRequests = (props.teams ?? []).map((t) => teamRequest(t, byName));
    const teamNames = new Set<string>();
    for (const t of props.teams ?? []) {
      check(!teamNames.has(t.name), `team name '${t.name}' is used twice`);
      teamNames.add(t.name);
    }
    if (props.langfuse) {
      check(/^https?:\/\/[^\s/]+(\/\S*)?$/.test(props.langfuse.host) && !props.langfuse.host.endsWith('/'),
        `'langfuse.host' (${props.langfuse.host}) must be an http:// or https:// URL without a trailing '/'`);
      checkSecretRef('langfuse', props.langfuse.publicKeySecret, "'langfuse.publicKeySecret' must come from a Secret, not a literal value");
      checkSecretRef('langfuse', props.langfuse.secretKeySecret, "'langfuse.secretKeySecret' must come from a Secret, not a literal value");
    }
    const database = props.database ?? LiteLlmDatabase.inCluster();
    const image = props.image ?? ContainerImage.LITELLM;

    // ---- the component and its secrets
    const component = new KubernetesComponent(props.definition, 'LiteLlm', {
      name: 'litellm',
      namespace: ns,
      stage: Stage.WORKLOADS,
      description: `LiteLLM proxy: one OpenAI-compatible API for ${byName.size} model(s) at ${this.url}`,
    });
    this.component = component;
    component.addDependency(props.definition.ensureNamespace(ns), props.secrets.store);

    this.masterKey = props.secrets.addSecret('LiteLlmMasterKey', { scope: component, namespace: ns, name: 'litellm-master-key', key: 'key', length: 48 });
    this.saltKey = props.secrets.addSecret('LiteLlmSaltKey', { scope: component, namespace: ns, name: 'litellm-salt-key', key: 'key', length: 48 });
    const redisPassword = props.secrets.addSecret('LiteLlmValkeyPassword', { scope: component, namespace: ns, name: 'litellm-valkey', key: 'password' });

    // Operator-provided secrets, one ExternalSecret per secret name (several keys allowed).
    const provided = new Map<string, Set<string>>();
    const provide = (ref: LiteLlmSecretRef): void => {
      const keys = provided.get(ref.name) ?? new Set<string>();
      keys.add(ref.key);
      provided.set(ref.name, keys);
    };
    const env: k8s.EnvVar[] = [
      secretEnv('MASTER_KEY_RAW', this.masterKey.secretName, this.masterKey.key),
      { name: 'LITELLM_MASTER_KEY', value: 'sk-$(MASTER_KEY_RAW)' },
      secretEnv('LITELLM_SALT_KEY', this.saltKey.secretName, this.saltKey.key),
    ];

    let dbUrl: string;
    let postgresPassword: PlatformSecret | undefined;
    if (database.kind === LiteLlmDatabaseKind.IN_CLUSTER) {
      postgresPassword = props.secrets.addSecret('LiteLlmPostgresPassword', { scope: component, namespace: ns, name: 'litellm-postgres', key: 'password' });
      env.push(secretEnv('DB_PASSWORD', postgresPassword.secretName, postgresPassword.key));
      dbUrl = `postgresql://litellm:$(DB_PASSWORD)@litellm-postgres.${ns}.svc:${POSTGRES_PORT}/litellm`;
    } else {
      const ref = database.passwordSecret!;
      provide(ref);
      env.push(secretEnv('DB_PASSWORD', ref.name, ref.key));
      dbUrl = `postgresql://${database.username}:$(DB_PASSWORD)@${database.host}:${database.port}/${database.database}`;
    }
    env.push(
      { name: 'DATABASE_URL', value: dbUrl },
      { name: 'REDIS_HOST', value: `litellm-valkey.${ns}.svc` },
      { name: 'REDIS_PORT', value: `${REDIS_PORT}` },
      secretEnv('REDIS_PASSWORD', redisPassword.secretName, redisPassword.key),
    );
    const envNames = new Map<string, string>();
    for (const m of models) {
      if (!m.apiKeySecret) continue;
      checkSecretRef(`model '${m.name}'`, m.apiKeySecret, LITERAL_KEY(m.name));
      const envName = secretEnvName(m.apiKeySecret);
      const refId = `${m.apiKeySecret.name}/${m.apiKeySecret.key}`;
      const seen = envNames.get(envName);
      check(seen === undefined || seen === refId,
        `secrets '${seen}' and '${refId}' map to one environment variable ${envName}; rename one of them`);
      if (seen === undefined) {
        envNames.set(envName, refId);
        provide(m.apiKeySecret);
        env.push(secretEnv(envName, m.apiKeySecret.name, m.apiKeySecret.key));
      }
    }
    const callbacks: string[] = [];
    if (props.langfuse) {
      callbacks.push('langfuse_otel');
      provide(props.langfuse.publicKeySecret);
      provide(props.langfuse.secretKeySecret);
      env.push(
        secretEnv('LANGFUSE_PUBLIC_KEY', props.langfuse.publicKeySecret.name, props.langfuse.publicKeySecret.key),
        secretEnv('LANGFUSE_SECRET_KEY', props.langfuse.secretKeySecret.name, props.langfuse.secretKeySecret.key),
        { name: 'LANGFUSE_OTEL_HOST', value: props.langfuse.host },
      );
    }
    if (props.serviceMonitor) callbacks.push('prometheus');
    env.push({ name: 'LITELLM_LOG', value: 'INFO' });

    for (const [name, keys] of [...provided.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const awsSecretName = `${props.secrets.secretNamePrefix}${ns}/${name}`;
      const sortedKeys = [...keys].sort();
      this._requiredSecrets.push(`${awsSecretName} (JSON keys: ${sortedKeys.join(', ')})`);
      new ExternalSecret(component, `Provided-${name}`, {
        metadata: { name, namespace: ns },
        spec: {
          refreshInterval: '1h',
          secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, name: AWS_SECRET_STORE },
          target: { name, creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER },
          data: sortedKeys.map((key) => ({ secretKey: key, remoteRef: { key: awsSecretName, property: key } })),
        },
      });
    }

    // ---- config.yaml
    this.configYaml = liteLlmConfigYaml({
      models,
      routingStrategy: routing.strategy ?? RoutingStrategy.SIMPLE_SHUFFLE,
      numRetries: routing.numRetries ?? 2,
      timeoutSeconds: timeout.toSeconds(),
      fallbacks,
      callbacks,
    });
    new k8s.KubeConfigMap(component, 'Config', {
      metadata: { name: 'litellm-config', namespace: ns },
      data: { 'config.yaml': this.configYaml },
    });

    // ---- the proxy
    const labels = { [APP_LABEL]: LITELLM_NAME, [COMPONENT_LABEL]: 'proxy' };
    new k8s.KubeServiceAccount(component, 'ServiceAccount', { metadata: { name: LITELLM_NAME, namespace: ns, labels } });
    const probe = (path: string, period: number, failures: number): k8s.Probe => ({
      httpGet: { path, port: k8s.IntOrString.fromString('http') }, periodSeconds: period, failureThreshold: failures, timeoutSeconds: 5,
    });
    new k8s.KubeDeployment(component, 'Deployment', {
      metadata: { name: LITELLM_NAME, namespace: ns, labels },
      spec: {
        replicas: props.autoscaling ? undefined : props.replicas ?? 2,
        selector: { matchLabels: labels },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: intOrStr(1), maxUnavailable: intOrStr(0) } },
        template: {
          metadata: {
            labels,
            annotations: { 'checksum/config': createHash('sha256').update(this.configYaml).digest('hex') },
          },
          spec: {
            serviceAccountName: LITELLM_NAME,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: 60,
            containers: [{
              name: 'litellm',
              image: image.uri,
              args: ['--config', '/app/config.yaml', '--port', `${LITELLM_PORT}`],
              ports: [{ name: 'http', containerPort: LITELLM_PORT, protocol: 'TCP' }],
              env,
              volumeMounts: [{ name: 'config', mountPath: '/app/config.yaml', subPath: 'config.yaml', readOnly: true }],
              // Prisma migrations run at start: give the first start time before liveness counts.
              startupProbe: probe('/health/readiness', 10, 30),
              livenessProbe: probe('/health/liveliness', 15, 4),
              readinessProbe: probe('/health/readiness', 10, 3),
              resources: {
                requests: { cpu: k8s.Quantity.fromString('500m'), memory: k8s.Quantity.fromString('1Gi') },
                limits: { memory: k8s.Quantity.fromString('2Gi') },
              },
              // litellm-database runs as root (its non-root build is a separate image): restricted otherwise.
              securityContext: RESTRICTED,
            }],
            volumes: [{ name: 'config', configMap: { name: 'litellm-config' } }],
          },
        },
      },
    });
    new k8s.KubeService(component, 'Service', {
      metadata: { name: LITELLM_NAME, namespace: ns, labels },
      spec: {
        selector: labels,
        ports: [{ name: 'http', port: LITELLM_PORT, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' }],
      },
    });
    new k8s.KubePodDisruptionBudget(component, 'Pdb', {
      metadata: { name: LITELLM_NAME, namespace: ns },
      spec: { maxUnavailable: intOrStr(1), selector: { matchLabels: labels } },
    });
    if (props.autoscaling) {
      new k8s.KubeHorizontalPodAutoscalerV2(component, 'Hpa', {
        metadata: { name: LITELLM_NAME, namespace: ns },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: LITELLM_NAME },
          minReplicas: props.autoscaling.minReplicas,
          maxReplicas: props.autoscaling.maxReplicas,
          metrics: [{
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: props.autoscaling.cpuUtilization ?? 70 } },
          }],
        },
      });
    }
    if (props.serviceMonitor) {
      new ServiceMonitor(component, 'ServiceMonitor', {
        metadata: { name: LITELLM_NAME, namespace: ns, labels: { release: 'kube-prometheus-stack' } },
        spec: { selector: { matchLabels: labels }, endpoints: [{ port: 'http', path: '/metrics', interval: '30s' }] },
      });
    }
    if (this._teamRequests.length > 0) {
      new k8s.KubeConfigMap(component, 'Teams', {
        metadata: { name: 'litellm-teams', namespace: ns },
        data: { 'teams.json': JSON.stringify(this._teamRequests, undefined, 2) },
      });
    }

    this.addValkey(component, ns, redisPassword);
    if (postgresPassword) this.addPostgres(component, ns, database, postgresPassword);
    this.declareFlows(ns, labels, models, database, props);

    // ---- AWS side: Bedrock access for the ServiceAccount
    const bedrock = models.filter((m) => m.provider === LiteLlmProvider.BEDROCK);
    if (bedrock.length > 0) {
      const stack = Stack.of(this);
      const arns = new Set<string>();
      for (const m of bedrock) {
        if (m.isInferenceProfile) {
          arns.add(`arn:${stack.partition}:bedrock:${m.region}:${stack.account}:inference-profile/${m.model}`);
          // A cross-region profile routes to the foundation model in any region of its geography.
          arns.add(`arn:${stack.partition}:bedrock:*::foundation-model/${m.foundationModelId}`);
        } else {
          arns.add(`arn:${stack.partition}:bedrock:${m.region}::foundation-model/${m.model}`);
        }
      }
      this.identity = new PodIdentityRole(this, 'Identity', {
        cluster: props.cluster,
        namespace: ns,
        serviceAccount: LITELLM_NAME,
        description: `LiteLLM proxy of EKS cluster ${props.definition.clusterName}: invokes its Bedrock models`,
      });
      this.identity.addToPolicy(new iam.PolicyStatement({
        sid: 'InvokeBedrockModels',
        actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        resources: [...arns],
      }));
      if (bedrock.some((m) => m.isInferenceProfile)) {
        acknowledgeNagFindings(this.identity, NagFindingRule.WILDCARDS,
          'A Bedrock cross-region inference profile invokes its foundation model in whichever region of the geography it picks; the wildcard is the region of named foundation-model ARNs only');
      }
    }
  }

  /** Network flows of the proxy, its cache and database (see NetworkFlows). */
  private declareFlows(ns: string, labels: Record<string, string>, models: LiteLlmModel[], database: LiteLlmDatabase, props: LiteLlmProps): void {
    const flows = NetworkFlows.of(props.definition);
    const proxy = FlowPeer.pods(ns, labels);
    flows.allow({ name: 'teams-to-litellm', from: FlowPeer.teams(), to: proxy, ports: [FlowPort.tcp(LITELLM_PORT)],
      description: 'team workloads and evaluations call the OpenAI-compatible API of LiteLLM' });
    flows.allow({ name: 'litellm-to-valkey', from: proxy, to: FlowPeer.pods(ns, { [APP_LABEL]: 'litellm-valkey', [COMPONENT_LABEL]: 'cache' }),
      ports: [FlowPort.tcp(REDIS_PORT)], description: 'LiteLLM shares rate limits and caches through Valkey' });
    if (database.kind === LiteLlmDatabaseKind.IN_CLUSTER) {
      flows.allow({ name: 'litellm-to-postgres', from: proxy, to: FlowPeer.pods(ns, { [APP_LABEL]: 'litellm-postgres', [COMPONENT_LABEL]: 'database' }),
        ports: [FlowPort.tcp(POSTGRES_PORT)], description: 'LiteLLM keeps keys, teams and spend in Postgres' });
    } else {
      flows.allow({ name: 'litellm-to-database', from: proxy, to: FlowPeer.internet(), ports: [FlowPort.tcp(database.port ?? POSTGRES_PORT)],
        description: `LiteLLM keeps keys, teams and spend in the external Postgres ${database.host}` });
    }
    if (props.serviceMonitor) {
      flows.allow({ name: 'monitoring-to-litellm', from: FlowPeer.monitoring(), to: proxy, ports: [FlowPort.tcp(LITELLM_PORT)],
        description: 'Prometheus scrapes LiteLLM metrics' });
    }
    if (props.langfuse) flows.allowToUrl('litellm-to-langfuse', proxy, props.langfuse.host, 'LiteLLM sends traces to Langfuse (langfuse_otel)');
    // Self-hosted models through the Gateway: its proxies listen on implementation-chosen container ports, so the
    // flow allows every port of the URL's namespace.
    for (const m of models.filter((x) => x.provider === LiteLlmProvider.HOSTED_VLLM && x.apiBase !== undefined)) {
      const target = urlDestination(`apiBase of model '${m.name}'`, m.apiBase!);
      const name = `litellm-to-${target.peer.namespace ?? `external-${target.ports[0].port}`}`;
      if (flows.flows.some((f) => f.name === name)) continue;
      flows.allow({ name, from: proxy, to: target.peer, ports: target.peer.namespace !== undefined ? [] : target.ports,
        description: `LiteLLM calls self-hosted models at ${target.peer}` });
    }
    if (models.some((m) => m.provider !== LiteLlmProvider.HOSTED_VLLM)) {
      flows.allow({ name: 'litellm-to-providers', from: proxy, to: FlowPeer.internet(),
        description: 'LiteLLM calls managed providers (Amazon Bedrock, OpenAI, Anthropic) over HTTPS' });
    }
    if (models.some((m) => m.provider === LiteLlmProvider.BEDROCK)) {
      flows.allow({ name: 'litellm-pod-identity', from: proxy, to: FlowPeer.podIdentityAgent(),
        description: 'LiteLLM gets the credentials of its Bedrock role from the Pod Identity Agent' });
    }
  }

  /**
   * AWS Secrets Manager secrets the operator must create before the proxy starts (provider API keys, Langfuse keys,
   * an external database's password), each with the JSON keys it must hold.
   */
  public get requiredSecrets(): string[] {
    return [...this._requiredSecrets];
  }

  /**
   * The teams as LiteLLM `/team/new` request bodies (also in ConfigMap `litellm-teams`, key `teams.json`). LiteLLM
   * keeps teams in its database, not in config.yaml; create them once the proxy is up, e.g.
   * `jq -c '.[]' teams.json | while read t; do curl -sf -X POST $URL/team/new -H "Authorization: Bearer sk-$KEY"
   * -H 'Content-Type: application/json' -d "$t"; done`.
   */
  public get teamRequests(): Record<string, unknown>[] {
    return this._teamRequests.map((t) => ({ ...t }));
  }

  private addValkey(component: KubernetesComponent, ns: string, password: PlatformSecret): void {
    const labels = { [APP_LABEL]: 'litellm-valkey', [COMPONENT_LABEL]: 'cache' };
    new k8s.KubeDeployment(component, 'Valkey', {
      metadata: { name: 'litellm-valkey', namespace: ns, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            enableServiceLinks: false,
            securityContext: { runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999 },
            containers: [{
              name: 'valkey',
              image: ContainerImage.VALKEY.uri,
              command: ['valkey-server'],
              // Router state only: no persistence.
              args: ['--requirepass', '$(REDIS_PASSWORD)', '--save', '', '--appendonly', 'no'],
              env: [secretEnv('REDIS_PASSWORD', password.secretName, password.key)],
              ports: [{ name: 'redis', containerPort: REDIS_PORT, protocol: 'TCP' }],
              readinessProbe: { tcpSocket: { port: k8s.IntOrString.fromString('redis') }, periodSeconds: 10 },
              livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromString('redis') }, periodSeconds: 20 },
              resources: {
                requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('256Mi') },
                limits: { memory: k8s.Quantity.fromString('512Mi') },
              },
              securityContext: { ...RESTRICTED, readOnlyRootFilesystem: true },
              volumeMounts: [{ name: 'data', mountPath: '/data' }],
            }],
            volumes: [{ name: 'data', emptyDir: {} }],
          },
        },
      },
    });
    new k8s.KubeService(component, 'ValkeyService', {
      metadata: { name: 'litellm-valkey', namespace: ns, labels },
      spec: { selector: labels, ports: [{ name: 'redis', port: REDIS_PORT, targetPort: k8s.IntOrString.fromString('redis'), protocol: 'TCP' }] },
    });
  }

  private addPostgres(component: KubernetesComponent, ns: string, database: LiteLlmDatabase, password: PlatformSecret): void {
    const labels = { [APP_LABEL]: 'litellm-postgres', [COMPONENT_LABEL]: 'database' };
    const ready: k8s.Probe = { exec: { command: ['pg_isready', '-U', 'litellm', '-d', 'litellm'] }, periodSeconds: 10, timeoutSeconds: 5 };
    new k8s.KubeService(component, 'PostgresService', {
      metadata: { name: 'litellm-postgres', namespace: ns, labels },
      spec: {
        clusterIp: 'None',
        selector: labels,
        ports: [{ name: 'postgres', port: POSTGRES_PORT, targetPort: k8s.IntOrString.fromString('postgres'), protocol: 'TCP' }],
      },
    });
    new k8s.KubeStatefulSet(component, 'Postgres', {
      metadata: { name: 'litellm-postgres', namespace: ns, labels },
      spec: {
        serviceName: 'litellm-postgres',
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            enableServiceLinks: false,
            // uid 999 is `postgres` in the official image; the entrypoint supports starting as that user.
            securityContext: { runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999 },
            containers: [{
              name: 'postgres',
              image: ContainerImage.POSTGRES.uri,
              env: [
                { name: 'POSTGRES_USER', value: 'litellm' },
                { name: 'POSTGRES_DB', value: 'litellm' },
                secretEnv('POSTGRES_PASSWORD', password.secretName, password.key),
                { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
              ],
              ports: [{ name: 'postgres', containerPort: POSTGRES_PORT, protocol: 'TCP' }],
              readinessProbe: ready,
              livenessProbe: { ...ready, periodSeconds: 20, failureThreshold: 6 },
              resources: {
                requests: { cpu: k8s.Quantity.fromString('250m'), memory: k8s.Quantity.fromString('512Mi') },
                limits: { memory: k8s.Quantity.fromString('1Gi') },
              },
              securityContext: RESTRICTED,
              volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
            }],
          },
        },
        volumeClaimTemplates: [{
          metadata: { name: 'data' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: database.storageClass,
            resources: { requests: { storage: k8s.Quantity.fromString(`${database.storage!.toGibibytes({ rounding: 1 })}Gi`) } },
          },
        }],
      },
    });
  }
}

/** A `/team/new` request body, validated. */
function teamRequest(t: LiteLlmTeam, models: Map<string, LiteLlmModel>): Record<string, unknown> {
  check(typeof t.name === 'string' && /^[A-Za-z0-9][-A-Za-z0-9_. ]{0,62}$/.test(t.name),
    `team name '${t.name}' must be 1-63 letters, digits, ' ', '-', '_' or '.', starting with a letter or digit`);
  if (t.maxBudgetUsd !== undefined) {
    check(Number.isFinite(t.maxBudgetUsd) && t.maxBudgetUsd > 0, `'maxBudgetUsd' (${t.maxBudgetUsd}) of team '${t.name}' must be a positive number`);
  }
  if (t.budgetDuration !== undefined) {
    check(t.maxBudgetUsd !== undefined, `team '${t.name}' has a 'budgetDuration' but no 'maxBudgetUsd'`);
    check(t.budgetDuration.toSeconds() >= 1, `'budgetDuration' of team '${t.name}' must be at least 1 second`);
  }
  checkCount(`rpmLimit of team '${t.name}'`, t.rpmLimit, 1);
  checkCount(`tpmLimit of team '${t.name}'`, t.tpmLimit, 1);
  for (const m of t.models ?? []) {
    check(models.has(m), `team '${t.name}' allows model '${m}', which is not a model of this LiteLLM`);
  }
  const body: Record<string, unknown> = { team_alias: t.name };
  if (t.maxBudgetUsd !== undefined) body.max_budget = t.maxBudgetUsd;
  if (t.budgetDuration !== undefined) body.budget_duration = liteLlmDuration(t.budgetDuration);
  if (t.rpmLimit !== undefined) body.rpm_limit = t.rpmLimit;
  if (t.tpmLimit !== undefined) body.tpm_limit = t.tpmLimit;
  if (t.models !== undefined) body.models = [...t.models];
  return body;
}
