import { k8s } from 'cdk8s-plus-34';
import { Construct } from 'constructs';
import { ServiceMonitor } from '../../../imports/prometheus-servicemonitor-monitoring.coreos.com';
import { KubernetesComponent, Stage } from '../../core/component';
import { CrdBundleComponent, packagedCrdFile } from '../../core/crd-bundle';
import { PlatformDefinition } from '../../core/platform-definition';
import { PodSecurityLevel } from '../../core/pod-security';
import { RESTRICTED_CONTAINER } from '../../core/private/postgres';
import { check } from '../../core/validation';
import { FlowPeer, FlowPort } from '../../network/flow';
import { NetworkFlows } from '../../network/network-flows';
import { ContainerImage } from '../../versions';

/**
 * Namespace of the agent-sandbox controller. Fixed: the shipped CRDs name their conversion webhook Service
 * `agent-sandbox-webhook-service` in this namespace.
 */
export const AGENT_SANDBOX_NAMESPACE = 'agent-sandbox-system';
/** Name of the controller's Deployment, ServiceAccount, ClusterRole and metrics Service (fixed by upstream). */
export const AGENT_SANDBOX_CONTROLLER = 'agent-sandbox-controller';
/** Name of the Service in front of the controller's conversion webhook (named in the CRDs). */
export const AGENT_SANDBOX_WEBHOOK_SERVICE = 'agent-sandbox-webhook-service';
/** The agent-sandbox release whose CRDs the package ships (`crds/agent-sandbox-v0.5.6/`). */
export const AGENT_SANDBOX_VERSION = 'v0.5.6';
/** Metrics port of the controller. */
export const AGENT_SANDBOX_METRICS_PORT = 8080;
/** Health-probe port of the controller. */
export const AGENT_SANDBOX_HEALTH_PORT = 8081;
/** Conversion webhook port of the controller. */
export const AGENT_SANDBOX_WEBHOOK_PORT = 9443;

/** The CRD files of the release, in `crds/agent-sandbox-<version>/`. */
export const AGENT_SANDBOX_CRD_FILES: readonly string[] = [
  'agents.x-k8s.io_sandboxes.yaml',
  'extensions.agents.x-k8s.io_sandboxclaims.yaml',
  'extensions.agents.x-k8s.io_sandboxtemplates.yaml',
  'extensions.agents.x-k8s.io_sandboxwarmpools.yaml',
];

const APP = 'app.kubernetes.io/name';
const INSTANCE = 'app.kubernetes.io/instance';
/** Labels of the controller's pods (the chart's selector labels for release `agent-sandbox`). */
export const AGENT_SANDBOX_POD_LABELS: Readonly<Record<string, string>> = { [APP]: 'agent-sandbox', [INSTANCE]: 'agent-sandbox' };

const ALL_VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

/**
 * RBAC of the core controller: the rules the upstream chart renders from its generated `rbac.generated.yaml`
 * (kubebuilder markers of the Sandbox controller), checked against the vendored chart by the tests.
 */
const CONTROLLER_RULES: k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['persistentvolumeclaims', 'pods', 'services'], verbs: ALL_VERBS },
  { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: ['agents.x-k8s.io'], resources: ['sandboxes'], verbs: ALL_VERBS },
  { apiGroups: ['agents.x-k8s.io'], resources: ['sandboxes/finalizers', 'sandboxes/status'], verbs: ['get', 'patch', 'update'] },
  {
    // The controller writes the conversion webhook's CA into these CRDs at start (--manage-webhook-certs).
    apiGroups: ['apiextensions.k8s.io'],
    resourceNames: [
      'sandboxclaims.extensions.agents.x-k8s.io', 'sandboxes.agents.x-k8s.io', 'sandboxtemplates.extensions.agents.x-k8s.io',
      'sandboxwarmpools.extensions.agents.x-k8s.io',
    ],
    resources: ['customresourcedefinitions'],
    verbs: ['get', 'patch', 'update'],
  },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create', 'get', 'list', 'patch', 'update', 'watch'] },
];

/** RBAC of the extension controllers (SandboxClaim, SandboxTemplate, SandboxWarmPool), upstream `extensions-rbac.generated.yaml`. */
const EXTENSIONS_RULES: k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'patch', 'update', 'watch'] },
  { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
  { apiGroups: ['agents.x-k8s.io'], resources: ['sandboxes'], verbs: ALL_VERBS },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ALL_VERBS },
  { apiGroups: ['extensions.agents.x-k8s.io'], resources: ['sandboxclaims', 'sandboxtemplates', 'sandboxwarmpools'], verbs: ALL_VERBS },
  {
    apiGroups: ['extensions.agents.x-k8s.io'],
    resources: ['sandboxclaims/finalizers', 'sandboxclaims/status', 'sandboxtemplates/finalizers', 'sandboxwarmpools/finalizers', 'sandboxwarmpools/status'],
    verbs: ['get', 'patch', 'update'],
  },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ALL_VERBS },
];

/** The Secret the controller keeps its self-signed webhook certificates in (created by the controller). */
const WEBHOOK_CERTS_SECRET = 'agent-sandbox-webhook-certs';

/** Options of the agent-sandbox controller. */
export interface AgentSandboxControllerOptions {
  /** Controller image. @default ContainerImage.AGENT_SANDBOX_CONTROLLER */
  readonly image?: ContainerImage;
  /** Controller replicas (leader election picks one active). @default 1 */
  readonly replicas?: number;
  /** A ServiceMonitor on the controller's metrics. @default true */
  readonly monitoring?: boolean;
}

/** Props of {@link AgentSandboxController}. */
export interface AgentSandboxControllerProps extends AgentSandboxControllerOptions {
  /** The platform's Kubernetes-side definition. */
  readonly definition: PlatformDefinition;
  /** The platform's network flows. @default NetworkFlows.of(definition) */
  readonly network?: NetworkFlows;
}

/**
 * The agent-sandbox controller (kubernetes-sigs/agent-sandbox, pinned) with its extensions (SandboxTemplate,
 * SandboxClaim, SandboxWarmPool), built by the library: the project publishes no Helm chart, only the chart sources in
 * its repository's `helm/` folder. Two components, identical in both renderings:
 *
 * - `agent-sandbox-crds` (stage CRDS): the four CRDs, shipped unmodified with the package (`crds/agent-sandbox-v0.5.6/`).
 * - `agent-sandbox` (stage CONTROLLERS, namespace `agent-sandbox-system`): ServiceAccount, ClusterRoles and bindings of
 *   the controller and its extensions, the Role for its webhook-certificate Secret, the Deployment
 *   (`--extensions=true`, restricted security context, read-only root filesystem with /tmp for the certificates, on
 *   the system node group), the metrics and webhook Services, and a ServiceMonitor.
 *
 * These are the objects the upstream chart renders with `image.tag=v0.5.6`, `controller.extensions=true`,
 * `namespace.create=false` (the tests render the vendored chart and compare), plus the security context and
 * placement. The namespace is default-deny with flows to the API server, from it to the conversion webhook and from
 * Prometheus.
 */
export class AgentSandboxController extends Construct {
  /** The CRDs. */
  public readonly crds: CrdBundleComponent;
  /** The controller. */
  public readonly component: KubernetesComponent;
  /** Namespace of the controller. */
  public readonly namespace = AGENT_SANDBOX_NAMESPACE;

  constructor(scope: Construct, id: string, props: AgentSandboxControllerProps) {
    super(scope, id);
    const definition = props.definition;
    const image = props.image ?? ContainerImage.AGENT_SANDBOX_CONTROLLER;
    const replicas = props.replicas ?? 1;
    check(Number.isInteger(replicas) && replicas >= 1, `'replicas' (${replicas}) of the agent-sandbox controller must be an integer >= 1`);
    const ns = AGENT_SANDBOX_NAMESPACE;

    this.crds = new CrdBundleComponent(definition, 'AgentSandboxCrds', {
      name: 'agent-sandbox-crds',
      description: `agent-sandbox ${AGENT_SANDBOX_VERSION} CRDs: Sandbox, SandboxClaim, SandboxTemplate, SandboxWarmPool`,
      files: AGENT_SANDBOX_CRD_FILES.map((f) => packagedCrdFile(`agent-sandbox-${AGENT_SANDBOX_VERSION}`, f)),
    });

    const c = new KubernetesComponent(definition, 'AgentSandboxController', {
      name: 'agent-sandbox',
      namespace: ns,
      stage: Stage.CONTROLLERS,
      description: `agent-sandbox controller ${image.tag} with extensions (templates, claims, warm pools) in ${ns}`,
    });
    this.component = c;
    c.addDependency(definition.ensureNamespace(ns, { podSecurity: PodSecurityLevel.RESTRICTED }), this.crds);

    const labels = { ...AGENT_SANDBOX_POD_LABELS };
    const meta = (name: string, namespaced = true) => ({ name, ...(namespaced ? { namespace: ns } : {}), labels: { ...labels } });
    const subject = { kind: 'ServiceAccount', name: AGENT_SANDBOX_CONTROLLER, namespace: ns };

    new k8s.KubeServiceAccount(c, 'ServiceAccount', { metadata: meta(AGENT_SANDBOX_CONTROLLER) });
    new k8s.KubeClusterRole(c, 'ClusterRole', { metadata: meta(AGENT_SANDBOX_CONTROLLER, false), rules: CONTROLLER_RULES });
    new k8s.KubeClusterRoleBinding(c, 'ClusterRoleBinding', {
      metadata: meta(AGENT_SANDBOX_CONTROLLER, false),
      subjects: [subject],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: AGENT_SANDBOX_CONTROLLER },
    });
    const extensions = `${AGENT_SANDBOX_CONTROLLER}-extensions`;
    new k8s.KubeClusterRole(c, 'ExtensionsClusterRole', { metadata: meta(extensions, false), rules: EXTENSIONS_RULES });
    new k8s.KubeClusterRoleBinding(c, 'ExtensionsClusterRoleBinding', {
      metadata: meta(extensions, false),
      subjects: [subject],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: extensions },
    });
    new k8s.KubeRole(c, 'Role', {
      metadata: meta(AGENT_SANDBOX_CONTROLLER),
      rules: [
        { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
        { apiGroups: [''], resourceNames: [WEBHOOK_CERTS_SECRET], resources: ['secrets'], verbs: ['get', 'patch', 'update'] },
      ],
    });
    new k8s.KubeRoleBinding(c, 'RoleBinding', {
      metadata: meta(AGENT_SANDBOX_CONTROLLER),
      subjects: [subject],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: AGENT_SANDBOX_CONTROLLER },
    });

    const http = (path: string, initialDelaySeconds: number, periodSeconds: number): k8s.Probe => ({
      httpGet: { path, port: k8s.IntOrString.fromString('healthz') }, initialDelaySeconds, periodSeconds,
    });
    new k8s.KubeDeployment(c, 'Deployment', {
      metadata: meta(AGENT_SANDBOX_CONTROLLER),
      spec: {
        replicas,
        selector: { matchLabels: { ...labels } },
        template: {
          metadata: { labels: { ...labels } },
          spec: {
            serviceAccountName: AGENT_SANDBOX_CONTROLLER,
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            // The system node group (taint CriticalAddonsOnly), where the platform's controllers run.
            tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
            containers: [{
              name: AGENT_SANDBOX_CONTROLLER,
              image: image.uri,
              imagePullPolicy: 'IfNotPresent',
              args: [
                '--leader-elect=true',
                '--extensions=true',
                `--webhook-service-name=${AGENT_SANDBOX_WEBHOOK_SERVICE}`,
                `--webhook-namespace=${ns}`,
              ],
              ports: [
                { name: 'metrics', containerPort: AGENT_SANDBOX_METRICS_PORT, protocol: 'TCP' },
                { name: 'healthz', containerPort: AGENT_SANDBOX_HEALTH_PORT, protocol: 'TCP' },
                { name: 'webhook', containerPort: AGENT_SANDBOX_WEBHOOK_PORT, protocol: 'TCP' },
              ],
              livenessProbe: http('/healthz', 15, 20),
              readinessProbe: http('/readyz', 5, 10),
              resources: {
                requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('128Mi') },
                limits: { memory: k8s.Quantity.fromString('512Mi') },
              },
              securityContext: { ...RESTRICTED_CONTAINER, readOnlyRootFilesystem: true },
              // The webhook's serving certificates are written under /tmp (--webhook-cert-dir).
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, { name: 'config-volume', mountPath: '/etc/sandbox-config', readOnly: true }],
            }],
            volumes: [
              { name: 'tmp', emptyDir: {} },
              { name: 'config-volume', configMap: { name: 'agent-sandbox-config', optional: true } },
            ],
          },
        },
      },
    });
    // The metrics Service carries a component label so that the ServiceMonitor selects it and not the webhook Service.
    const metricsLabels = { ...labels, 'app.kubernetes.io/component': 'metrics' };
    new k8s.KubeService(c, 'MetricsService', {
      metadata: { ...meta(AGENT_SANDBOX_CONTROLLER), labels: metricsLabels },
      spec: {
        selector: { ...labels },
        ports: [{ name: 'metrics', port: AGENT_SANDBOX_METRICS_PORT, targetPort: k8s.IntOrString.fromString('metrics'), protocol: 'TCP' }],
      },
    });
    new k8s.KubeService(c, 'WebhookService', {
      metadata: meta(AGENT_SANDBOX_WEBHOOK_SERVICE),
      spec: {
        selector: { ...labels },
        ports: [{ name: 'webhook', port: 443, targetPort: k8s.IntOrString.fromNumber(AGENT_SANDBOX_WEBHOOK_PORT), protocol: 'TCP' }],
      },
    });
    const monitoring = props.monitoring ?? true;
    if (monitoring) {
      new ServiceMonitor(c, 'ServiceMonitor', {
        metadata: { name: AGENT_SANDBOX_CONTROLLER, namespace: ns, labels: { ...labels, release: 'kube-prometheus-stack' } },
        spec: {
          selector: { matchLabels: { ...metricsLabels } },
          endpoints: [{ port: 'metrics', path: '/metrics', interval: '30s' }],
        },
      });
    }

    const flows = props.network ?? NetworkFlows.of(definition);
    const pods = FlowPeer.pods(ns, labels);
    flows.allow({ name: 'agent-sandbox-controller-to-api-server', from: pods, to: FlowPeer.apiServer(),
      description: 'the agent-sandbox controller watches sandboxes and creates their pods, Services and NetworkPolicies' });
    flows.allow({ name: 'api-server-to-agent-sandbox-webhook', from: FlowPeer.anywhere(), to: pods, ports: [FlowPort.tcp(AGENT_SANDBOX_WEBHOOK_PORT)],
      description: 'the API server calls the CRD conversion webhook of the agent-sandbox controller (control-plane addresses are unknown at synthesis)' });
    if (monitoring) {
      flows.allow({ name: 'monitoring-to-agent-sandbox-controller', from: FlowPeer.monitoring(), to: pods, ports: [FlowPort.tcp(AGENT_SANDBOX_METRICS_PORT)],
        description: 'Prometheus scrapes the agent-sandbox controller' });
    }
  }
}

