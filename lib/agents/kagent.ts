import { Construct } from 'constructs';
import { AgentsDatabase, AgentsDatabaseKind } from './database';
import { declareConsumedSecrets } from '../checks/acknowledgements';
import { HelmComponent, KubernetesComponent, Stage } from '../core/component';
import { JsonObject } from '../core/deep-merge';
import { PlatformDefinition } from '../core/platform-definition';
import { PodSecurityLevel } from '../core/pod-security';
import { addInClusterPostgres, POSTGRES_PORT } from '../core/private/postgres';
import { SYSTEM_NODE_TOLERATION } from '../core/scheduling';
import { check, checkDnsLabel } from '../core/validation';
import { ExternalSecrets } from '../secrets/external-secrets';
import { ContainerImage, HelmChartVersion } from '../versions';

/** Namespace of the kagent controller, UI, kmcp controller and database. */
export const KAGENT_NAMESPACE = 'kagent';
/** Helm release of the kagent chart (its objects are named `kagent-...`). */
export const KAGENT_RELEASE = 'kagent';
/** Port of the controller's HTTP API (A2A proxy, sessions; agents call it at `KAGENT_URL`). */
export const KAGENT_CONTROLLER_PORT = 8083;
/** Labels of the controller pods (the chart's selector labels for release `kagent`). */
export const KAGENT_CONTROLLER_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/name': 'kagent',
  'app.kubernetes.io/instance': KAGENT_RELEASE,
  'app.kubernetes.io/component': 'controller',
};

/** The ten demo agents the chart installs by default (values key `<name>-agent`); the layer switches them off. */
export const KAGENT_DEMO_AGENTS: readonly string[] = [
  'k8s-agent', 'kgateway-agent', 'istio-agent', 'promql-agent', 'observability-agent', 'argo-rollouts-agent',
  'helm-agent', 'cilium-policy-agent', 'cilium-manager-agent', 'cilium-debug-agent',
];

const DATABASE_SECRET = 'kagent-database';
const DATABASE_MOUNT = '/etc/kagent/database';
const POSTGRES_NAME = 'kagent-postgres';
const POSTGRES_LABELS = { 'app.kubernetes.io/name': POSTGRES_NAME, 'app.kubernetes.io/component': 'database' };

/** Options of the kagent installation (`agents.kagent` of the platform). */
export interface KAgentOptions {
  /** The CRD chart. @default HelmChartVersion.KAGENT_CRDS */
  readonly crdsChart?: HelmChartVersion;
  /** The controller chart. @default HelmChartVersion.KAGENT */
  readonly chart?: HelmChartVersion;
  /**
   * Controller image; its registry and tag also pin the UI, the agent runtime (`app`) and skills-init images.
   * @default ContainerImage.KAGENT
   */
  readonly image?: ContainerImage;
  /** kmcp controller image (runs MCPServer resources). @default ContainerImage.KMCP_CONTROLLER */
  readonly kmcpImage?: ContainerImage;
  /** The database. @default AgentsDatabase.inCluster() */
  readonly database?: AgentsDatabase;
  /**
   * Run the kagent UI (`kubectl -n kagent port-forward svc/kagent-ui 8080`). The chart has no switch for it: off
   * scales its Deployment to zero replicas. The UI has no authentication of its own (the controller runs with
   * `auth.mode: unsecure`); expose it only behind an authenticating proxy.
   * @default false
   */
  readonly ui?: boolean;
  /** Controller replicas (leader election above 1). @default 1 */
  readonly replicas?: number;
  /**
   * Raw chart values deep-merged after the computed ones (escape hatch).
   * @default - none
   * @see https://github.com/kagent-dev/kagent/blob/v0.9.12/helm/kagent/values.yaml
   */
  readonly values?: JsonObject;
}

/** Props of {@link KAgent}. */
export interface KAgentProps extends KAgentOptions {
  /** The platform's Kubernetes-side definition. */
  readonly definition: PlatformDefinition;
  /** External Secrets (the database password or URL). */
  readonly secrets: ExternalSecrets;
  /** Namespace of the agents: the only namespace the controller watches besides its own. */
  readonly agentsNamespace: string;
  /** OTLP/gRPC endpoint agents and the controller send traces to. @default - no tracing */
  readonly tracingEndpoint?: string;
}

/** `registry` and `repository` of an image reference (`cr.kagent.dev/kagent-dev/kagent/controller`). */
function splitImage(image: ContainerImage): { registry: string; repository: string } {
  const i = image.repository.indexOf('/');
  check(i > 0 && image.repository.slice(0, i).includes('.'),
    `kagent 'image' (${image.repository}) must name its registry, e.g. cr.kagent.dev/kagent-dev/kagent/controller`);
  return { registry: image.repository.slice(0, i), repository: image.repository.slice(i + 1) };
}

/**
 * kagent v0.9.12 on the platform, as two Helm components and the database:
 *
 * - `kagent-crds` (stage CRDS): the `kagent.dev` CRDs and kmcp's MCPServer, owned by this component only;
 * - `kagent-database` (stage CONFIGURATION): the database URL Secret (External Secrets) and, in-cluster, PostgreSQL;
 * - `kagent` (stage CONFIGURATION, after the database): controller, kmcp controller and the (scaled-down) UI, on the
 *   system nodes, watching only its namespace and the agents' namespace with namespaced RBAC (`rbac.namespaces`).
 *   The ten demo agents, the tool server (cluster-admin by default), grafana-mcp, querydoc and the bundled Postgres
 *   are off; every image is pinned (the vendored kmcp sub-chart would pull `latest`).
 *
 * The controller is in stage CONFIGURATION, not CONTROLLERS: it mounts the database URL from a Secret that External
 * Secrets fills through the ClusterSecretStore (stage CONFIGURATION), and Argo CD's Application health check holds
 * every later wave until the controller is ready.
 */
export class KAgent extends Construct {
  /** The CRD chart (stage CRDS). */
  public readonly crds: HelmComponent;
  /** The controller chart (stage CONFIGURATION). */
  public readonly chart: HelmComponent;
  /** The database component (stage CONFIGURATION). */
  public readonly database: KubernetesComponent;
  /** In-cluster URL of the controller's API (A2A at `/api/a2a/<namespace>/<agent>`). */
  public readonly controllerUrl: string;
  /** AWS Secrets Manager secret the operator must create (external database), if any. */
  public readonly requiredSecret?: string;

  constructor(scope: Construct, id: string, props: KAgentProps) {
    super(scope, id);
    const definition = props.definition;
    checkDnsLabel('agentsNamespace', props.agentsNamespace);
    check(props.agentsNamespace !== KAGENT_NAMESPACE, `the agents' namespace must not be '${KAGENT_NAMESPACE}', the controller's own`);
    const replicas = props.replicas ?? 1;
    check(Number.isInteger(replicas) && replicas >= 1, `'replicas' (${replicas}) of the kagent controller must be an integer of at least 1`);
    const image = props.image ?? ContainerImage.KAGENT;
    const { registry, repository } = splitImage(image);
    const kmcpImage = props.kmcpImage ?? ContainerImage.KMCP_CONTROLLER;
    const database = props.database ?? AgentsDatabase.inCluster();
    this.controllerUrl = `http://${KAGENT_RELEASE}-controller.${KAGENT_NAMESPACE}.svc.cluster.local:${KAGENT_CONTROLLER_PORT}`;
    // Every pod of the charts (controller, UI, kmcp) and the database meets the restricted profile.
    definition.requirePodSecurity(KAGENT_NAMESPACE, PodSecurityLevel.RESTRICTED);

    this.crds = new HelmComponent(definition, 'KagentCrds', {
      name: 'kagent-crds',
      namespace: KAGENT_NAMESPACE,
      stage: Stage.CRDS,
      description: 'kagent CRDs (kagent.dev: Agent, ModelConfig, RemoteMCPServer, ...) and kmcp MCPServer',
      chart: props.crdsChart ?? HelmChartVersion.KAGENT_CRDS,
      values: { render: () => ({ kmcp: { enabled: true }, substrate: { enabled: false } }) },
    });

    this.database = new KubernetesComponent(definition, 'KagentDatabase', {
      name: 'kagent-database',
      namespace: KAGENT_NAMESPACE,
      stage: Stage.CONFIGURATION,
      description: database.kind === AgentsDatabaseKind.IN_CLUSTER
        ? `PostgreSQL of kagent (${POSTGRES_NAME}) and its connection URL`
        : 'connection URL of kagent\'s external PostgreSQL',
    });
    this.database.addDependency(definition.namespaces, props.secrets.store);
    let secretName: string;
    if (database.kind === AgentsDatabaseKind.IN_CLUSTER) {
      secretName = DATABASE_SECRET;
      const password = props.secrets.addSecret('KagentDatabasePassword', {
        consumer: this.database, namespace: KAGENT_NAMESPACE, name: secretName, key: 'password',
        templateData: { url: `postgres://kagent:{{ .password }}@${POSTGRES_NAME}.${KAGENT_NAMESPACE}.svc.cluster.local:${POSTGRES_PORT}/kagent?sslmode=disable` },
      });
      addInClusterPostgres(this.database, {
        namespace: KAGENT_NAMESPACE,
        name: POSTGRES_NAME,
        database: 'kagent',
        labels: POSTGRES_LABELS,
        password: { secretName: password.secretName, key: password.key },
        storageGib: database.storage!.toGibibytes({ rounding: 1 }),
        storageClassName: database.storageClass,
      });
    } else {
      secretName = database.urlSecret!;
      this.requiredSecret = props.secrets.referenceSecret(this.database, 'DatabaseUrl', { namespace: KAGENT_NAMESPACE, name: secretName, key: 'url' });
    }

    const system = [SYSTEM_NODE_TOLERATION];
    const namespaces = [KAGENT_NAMESPACE, props.agentsNamespace];
    const demoAgentsOff: JsonObject = {};
    for (const a of KAGENT_DEMO_AGENTS) demoAgentsOff[a] = { enabled: false };
    const tracing = props.tracingEndpoint;
    this.chart = new HelmComponent(definition, 'Kagent', {
      name: 'kagent',
      releaseName: KAGENT_RELEASE,
      namespace: KAGENT_NAMESPACE,
      stage: Stage.CONFIGURATION,
      description: `kagent controller and kmcp (agents in namespace ${props.agentsNamespace})${props.ui ? ' with its UI' : ''}`,
      chart: props.chart ?? HelmChartVersion.KAGENT,
      // The CRDs are kagent-crds' (templates there); this chart has no crds/ folder.
      includesCrds: false,
      values: { render: () => ({
        registry,
        tag: image.tag,
        controller: {
          replicas,
          image: { repository },
          tolerations: system,
          watchNamespaces: namespaces,
          volumes: [{ name: 'database', secret: { secretName, items: [{ key: 'url', path: 'url' }] } }],
          volumeMounts: [{ name: 'database', mountPath: DATABASE_MOUNT, readOnly: true }],
        },
        rbac: { namespaces },
        ui: { replicas: props.ui ? 1 : 0, tolerations: system },
        database: { postgres: { urlFile: `${DATABASE_MOUNT}/url`, bundled: { enabled: false } } },
        kmcp: {
          enabled: true,
          image: { repository: kmcpImage.repository, tag: kmcpImage.tag },
          tolerations: system,
          rbac: { namespaces },
        },
        substrate: { enabled: false },
        'kagent-tools': { enabled: false },
        'grafana-mcp': { enabled: false },
        'querydoc': { enabled: false },
        ...demoAgentsOff,
        otel: {
          tracing: tracing === undefined
            ? { enabled: false }
            : { enabled: true, exporter: { otlp: { endpoint: tracing, protocol: 'grpc', insecure: true } } },
        },
      }) },
      valueOverrides: props.values,
    });
    this.chart.addDependency(this.crds, this.database, definition.namespaces);
    declareConsumedSecrets(this.chart, { name: secretName, key: 'url' });
  }
}
