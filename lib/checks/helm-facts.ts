import { JsonObject } from '../core/deep-merge';

/**
 * What the library knows about the third-party charts it installs, for the platform checks:
 * the library never runs Helm at synth, so the {@link ClusterModel} learns a chart's objects from this table. Every
 * entry cites the file of the vendored chart (`../shared/charts/<chart>-<version>/`, see SOURCES.md there) it was read
 * from; entries marked UNCERTAIN were not read from a vendored copy.
 */

/** A custom resource kind: API group and kind. */
export interface CrdKind {
  readonly group: string;
  readonly kind: string;
}

/** A Service a chart creates. */
export interface HelmServiceFact {
  readonly name: string;
  /** Ports (name and number). */
  readonly ports: { readonly name?: string; readonly port: number }[];
  /** Labels of the Service, where the checks need them (ServiceMonitor selectors). @default - unknown */
  readonly labels?: Record<string, string>;
}

/** A Secret a chart creates (or documents as created by its operator). */
export interface HelmSecretFact {
  readonly name: string;
  /** Keys of the Secret. @default - unknown: every key is accepted */
  readonly keys?: string[];
}

/** A Secret a chart's pods read, named in its values. */
export interface SecretReference {
  readonly name: string;
  /** Key read. @default - the whole Secret */
  readonly key?: string;
  /** Where in the values (for messages), e.g. `langfuse.salt.secretKeyRef`. */
  readonly path: string;
}

/** What a chart installs, as functions of its release name and values. */
export interface HelmChartFacts {
  /** Where the facts were read (vendored chart file). */
  readonly source: string;
  /** CRDs the chart installs when its component has `includesCrds` (the chart's `crds/` or CRD templates). */
  readonly crds?: CrdKind[];
  /** Custom resources the chart itself creates (their CRDs must be installed before the chart). */
  readonly usesCrds?: (values: JsonObject, version: string) => CrdKind[];
  /** Services the chart creates. */
  readonly services?: (release: string, values: JsonObject) => HelmServiceFact[];
  /** Secrets the chart (or its operator) creates. */
  readonly secrets?: (release: string, values: JsonObject) => HelmSecretFact[];
  /** ServiceAccounts the chart creates. */
  readonly serviceAccounts?: (release: string, values: JsonObject) => string[];
  /** ConfigMaps the chart creates. */
  readonly configMaps?: (release: string, values: JsonObject) => string[];
}

/** Helm's usual `fullname`: the release name when it contains the chart name, else `<release>-<chart>`. */
export function helmFullname(release: string, chart: string, values: JsonObject = {}): string {
  const override = values.fullnameOverride;
  if (typeof override === 'string' && override !== '') return override;
  return release.includes(chart) ? release : `${release}-${chart}`;
}

function kinds(group: string, ...names: string[]): CrdKind[] {
  return names.map((kind) => ({ group, kind }));
}

function at(values: JsonObject, path: string): unknown {
  let cur: unknown = values;
  for (const p of path.split('.')) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

const PROMETHEUS_OPERATOR_CRDS = kinds('monitoring.coreos.com',
  'Alertmanager', 'AlertmanagerConfig', 'PodMonitor', 'Probe', 'Prometheus', 'PrometheusAgent', 'PrometheusRule',
  'ScrapeConfig', 'ServiceMonitor', 'ThanosRuler');

const KARPENTER_CRDS = [
  ...kinds('karpenter.sh', 'NodePool', 'NodeClaim', 'NodeOverlay'),
  ...kinds('karpenter.k8s.aws', 'EC2NodeClass'),
  ...kinds('autoscaling.x-k8s.io', 'CapacityBuffer'),
];

const COMPUTE_DOMAIN_CRDS = kinds('resource.nvidia.com', 'ComputeDomain', 'ComputeDomainClique');

/** Facts per chart name (`HelmChartVersion.chart`). */
export const HELM_FACTS: Record<string, HelmChartFacts> = {
  'karpenter-crd': {
    source: 'karpenter-crd-1.14.1/templates/*.yaml',
    crds: KARPENTER_CRDS,
  },
  'karpenter': {
    source: 'karpenter-1.14.1/crds/*.yaml, templates/service.yaml (port controller.metrics.port 8080), templates/serviceaccount.yaml',
    crds: KARPENTER_CRDS,
    services: (r, v) => [{ name: helmFullname(r, 'karpenter', v), ports: [{ name: 'http-metrics', port: 8080 }] }],
    serviceAccounts: (r, v) => [helmFullname(r, 'karpenter', v)],
  },
  'external-secrets': {
    // The chart's templates/crds/*.yaml are generated at packaging (not in git); the kinds are those of
    // deploy/crds/bundle.yaml, stored as ../shared/schemas/external-secrets/*.yaml.
    source: 'external-secrets-2.9.0/templates/webhook-service.yaml, serviceaccount.yaml; CRDs: shared/schemas/external-secrets',
    crds: [
      ...kinds('external-secrets.io', 'ExternalSecret', 'ClusterExternalSecret', 'SecretStore', 'ClusterSecretStore',
        'PushSecret', 'ClusterPushSecret'),
    ],
    services: (r, v) => [{ name: `${helmFullname(r, 'external-secrets', v)}-webhook`, ports: [{ name: 'webhook', port: 443 }] }],
    serviceAccounts: (r, v) => [helmFullname(r, 'external-secrets', v)],
  },
  'prometheus-operator-crds': {
    source: 'prometheus-operator-crds-25.0.0/charts/crds/templates/crd-*.yaml',
    crds: PROMETHEUS_OPERATOR_CRDS,
  },
  'kube-prometheus-stack': {
    // Only with crds.enabled; the library installs them from prometheus-operator-crds (includesCrds false).
    source: 'kube-prometheus-stack-88.5.3/charts/crds/crds/*.yaml, templates/prometheus/service.yaml, charts/grafana/templates/{service,secret}.yaml',
    crds: PROMETHEUS_OPERATOR_CRDS,
    services: (r, v) => {
      const f = helmFullname(r, 'kube-prometheus-stack', v);
      return [
        { name: `${f}-prometheus`, ports: [{ name: 'http-web', port: 9090 }, { name: 'reloader-web', port: 8080 }] },
        { name: `${f}-alertmanager`, ports: [{ name: 'http-web', port: 9093 }, { name: 'reloader-web', port: 8080 }] },
        { name: `${f}-operator`, ports: [{ name: 'https', port: 443 }] },
        { name: `${r}-grafana`, ports: [{ name: 'http-web', port: 80 }] },
        { name: `${r}-kube-state-metrics`, ports: [{ name: 'http', port: 8080 }] },
        { name: `${r}-prometheus-node-exporter`, ports: [{ name: 'http-metrics', port: 9100 }] },
      ];
    },
    secrets: (r) => [{ name: `${r}-grafana`, keys: ['admin-user', 'admin-password', 'ldap-toml'] }],
  },
  'keda': {
    source: 'keda-2.20.2/templates/crds/crd-*.yaml, templates/manager/service.yaml (name operator.name = keda-operator)',
    crds: [
      ...kinds('keda.sh', 'ScaledObject', 'ScaledJob', 'TriggerAuthentication', 'ClusterTriggerAuthentication'),
      ...kinds('eventing.keda.sh', 'CloudEventSource', 'ClusterCloudEventSource'),
    ],
    services: () => [
      { name: 'keda-operator', ports: [{ name: 'metricsservice', port: 9666 }] },
      { name: 'keda-operator-metrics-apiserver', ports: [{ name: 'https', port: 443 }] },
      { name: 'keda-admission-webhooks', ports: [{ name: 'https', port: 443 }] },
    ],
    serviceAccounts: () => ['keda-operator', 'keda-metrics-server', 'keda-webhook'],
  },
  'lws': {
    source: 'lws-0.10.0/crds/*.yaml',
    crds: [
      ...kinds('leaderworkerset.x-k8s.io', 'LeaderWorkerSet'),
      ...kinds('disaggregatedset.x-k8s.io', 'DisaggregatedSet', 'DisaggregatedSetRoleScaler'),
    ],
  },
  'gpu-operator': {
    source: 'gpu-operator-v26.7.0/crds/*.yaml, charts/node-feature-discovery/crds/nfd-api-crds.yaml',
    crds: [
      ...kinds('nvidia.com', 'ClusterPolicy', 'NVIDIADriver', 'GPUCluster'),
      ...COMPUTE_DOMAIN_CRDS,
      ...kinds('nfd.k8s-sigs.io', 'NodeFeature', 'NodeFeatureRule', 'NodeFeatureGroup'),
    ],
  },
  'nvidia-device-plugin': {
    source: 'nvidia-device-plugin-0.20.0/templates (no CRDs; NFD sub-chart CRDs only with nfd.enabled)',
  },
  'dcgm-exporter': {
    source: 'dcgm-exporter-4.8.2/templates/service.yaml (port service.port 9400, name metrics)',
    services: (r, v) => [{ name: helmFullname(r, 'dcgm-exporter', v), ports: [{ name: 'metrics', port: 9400 }] }],
  },
  'dra-driver-nvidia-gpu': {
    source: 'dra-driver-nvidia-gpu-0.4.0/crds/*.yaml',
    crds: COMPUTE_DOMAIN_CRDS,
  },
  'aws-efa-k8s-device-plugin': {
    source: 'aws-efa-k8s-device-plugin-v0.5.30/templates (a DaemonSet; no CRDs, no Services)',
  },
  'agentgateway-crds': {
    source: 'agentgateway-crds-v1.4.1/templates/agentgateway.dev_*.yaml',
    crds: kinds('agentgateway.dev', 'AgentgatewayBackend', 'AgentgatewayModel', 'AgentgatewayParameters', 'AgentgatewayPolicy'),
  },
  'agentgateway': {
    source: 'agentgateway-v1.4.1/templates/service.yaml (controller Service: grpc-xds-agw, health, metrics)',
    services: (r, v) => [{
      name: helmFullname(r, 'agentgateway', v),
      ports: [{ name: 'grpc-xds-agw', port: 9978 }, { name: 'health', port: 9093 }, { name: 'metrics', port: 9092 }],
    }],
  },
  'kgateway-crds': {
    // UNCERTAIN: not vendored; kinds from ../shared/schemas/kgateway (the CRDs the library imports).
    source: 'UNCERTAIN (not vendored): shared/schemas/kgateway/gateway.kgateway.dev_*.yaml',
    crds: kinds('gateway.kgateway.dev', 'BackendConfigPolicy', 'Backend', 'DirectResponse', 'GatewayExtension',
      'GatewayParameters', 'HTTPListenerPolicy', 'ListenerPolicy', 'TrafficPolicy'),
  },
  'kgateway': {
    source: 'UNCERTAIN (not vendored): no CRDs (kgateway-crds carries them)',
  },
  'langfuse': {
    // 2.x deploys ClickHouse through the ClickHouse operator's custom resources (templates/clickhouse/*.yaml).
    source: 'langfuse-2.0.0/templates/web/service.yaml, templates/clickhouse/{cluster,keeper}.yaml; langfuse-1.5.41/templates',
    usesCrds: (v, version) => {
      if (version.startsWith('1.')) return [];
      if (at(v, 'clickhouse.deploy') === false) return [];
      const out = kinds('clickhouse.com', 'ClickHouseCluster');
      if (at(v, 'clickhouse.keeper.enabled') !== false) out.push(...kinds('clickhouse.com', 'KeeperCluster'));
      return out;
    },
    services: (r, v) => [
      { name: `${helmFullname(r, 'langfuse', v)}-web`, ports: [{ name: 'http', port: 3000 }] },
      { name: `${helmFullname(r, 'langfuse', v)}-worker`, ports: [{ name: 'http', port: 3030 }] },
    ],
    serviceAccounts: (r, v) => [helmFullname(r, 'langfuse', v)],
  },
  'opentelemetry-collector': {
    source: 'opentelemetry-collector-0.158.3/templates/service.yaml (ports of values ports.*: otlp 4317, otlp-http 4318)',
    services: (r, v) => [{
      name: helmFullname(r, 'opentelemetry-collector', v),
      ports: [{ name: 'otlp', port: 4317 }, { name: 'otlp-http', port: 4318 }],
    }],
    serviceAccounts: (r, v) => [helmFullname(r, 'opentelemetry-collector', v)],
  },
  'cert-manager': {
    source: 'cert-manager-v1.21.1/templates/crd-*.yaml (with crds.enabled), templates/webhook-service.yaml',
    crds: [
      ...kinds('cert-manager.io', 'Certificate', 'CertificateRequest', 'Issuer', 'ClusterIssuer'),
      ...kinds('acme.cert-manager.io', 'Challenge', 'Order'),
    ],
    services: (r, v) => [
      { name: helmFullname(r, 'cert-manager', v), ports: [{ name: 'tcp-prometheus-servicemonitor', port: 9402 }] },
      { name: `${helmFullname(r, 'cert-manager', v)}-webhook`, ports: [{ name: 'https', port: 443 }] },
    ],
  },
  'kubeflow-trainer': {
    // Services of the trainer (templates/manager/service.yaml: `<fullname>-controller-manager`) and of the jobset
    // sub-chart (fullnameOverride `jobset`: templates/webhook/service.yaml, prometheus/manager_metrics_service.yaml).
    source: 'kubeflow-trainer-2.3.0/templates/crd/*.yaml (crds.enabled), charts/jobset/crds/jobset.x-k8s.io_jobsets.yaml (jobset.install), templates/manager/service.yaml, charts/jobset/templates',
    crds: [
      ...kinds('trainer.kubeflow.org', 'TrainJob', 'TrainingRuntime', 'ClusterTrainingRuntime'),
      ...kinds('jobset.x-k8s.io', 'JobSet'),
    ],
    services: (r, v) => [
      {
        name: `${helmFullname(r, 'kubeflow-trainer', v)}-controller-manager`,
        ports: [{ name: 'monitoring-port', port: 8443 }, { name: 'webhook-server', port: 443 }, { name: 'status-server', port: 10443 }],
      },
      { name: 'jobset-webhook-service', ports: [{ name: 'webhook', port: 443 }] },
      { name: 'jobset-metrics-service', ports: [{ name: 'https', port: 8443 }] },
    ],
  },
  'clickhouse-operator-helm': {
    source: 'clickhouse-operator-helm-main-c6d40fe/templates/crd/*.yaml',
    crds: kinds('clickhouse.com', 'ClickHouseCluster', 'KeeperCluster'),
  },
  'kueue': {
    // CRDs always rendered from templates/crd/ (no switch); Service names from templates/manager, webhook, visibility.
    source: 'kueue-0.19.2/templates/crd/kueue.x-k8s.io_*.yaml, templates/manager/auth_proxy_service.yaml, templates/webhook/service.yaml, templates/visibility/service.yaml',
    crds: kinds('kueue.x-k8s.io', 'AdmissionCheck', 'ClusterQueue', 'Cohort', 'LocalQueue', 'MultiKueueCluster',
      'MultiKueueConfig', 'ProvisioningRequestConfig', 'ResourceFlavor', 'Topology', 'WorkloadPriorityClass', 'Workload'),
    services: (r, v) => {
      const f = helmFullname(r, 'kueue', v);
      return [
        { name: `${f}-controller-manager-metrics-service`, ports: [{ name: 'https', port: 8443 }] },
        { name: `${f}-webhook-service`, ports: [{ port: 443 }] },
        { name: `${f}-visibility-server`, ports: [{ name: 'https', port: 443 }] },
      ];
    },
  },
  'aws-fsx-csi-driver': {
    source: 'aws-fsx-csi-driver-1.17.0/templates/{controller-deployment,node-daemonset,controller-serviceaccount,node-serviceaccount}.yaml (fixed names; no CRDs, no Services)',
    serviceAccounts: (_r, v) => [
      String(at(v, 'controller.serviceAccount.name') ?? 'fsx-csi-controller-sa'),
      String(at(v, 'node.serviceAccount.name') ?? 'fsx-csi-node-sa'),
    ],
  },
  'kuberay-operator': {
    source: 'kuberay-operator-1.7.0/crds/ray.io_*.yaml, templates/service.yaml (name fixed to kuberay-operator, port http 8080)',
    crds: kinds('ray.io', 'RayCluster', 'RayJob', 'RayService', 'RayCronJob'),
    services: () => [{ name: 'kuberay-operator', ports: [{ name: 'http', port: 8080 }] }],
    serviceAccounts: () => ['kuberay-operator'],
  },
  'milvus-operator': {
    // CRDs rendered from templates/crds.yaml when installCRDs (default true); a ServiceMonitor with monitoringEnabled.
    source: 'milvus-operator-1.3.8/templates/{crds,service,servicemonitor,serviceaccount}.yaml (chart.fullname: the release when it contains the chart name)',
    crds: kinds('milvus.io', 'Milvus', 'MilvusCluster', 'MilvusUpgrade'),
    usesCrds: (v) => (at(v, 'monitoringEnabled') === true ? kinds('monitoring.coreos.com', 'ServiceMonitor') : []),
    services: (r, v) => [{ name: `${helmFullname(r, 'milvus-operator', v)}-metrics-service`, ports: [{ name: 'metrics', port: 8443 }] }],
    serviceAccounts: (r, v) => [helmFullname(r, 'milvus-operator', v)],
  },
  'kagent-crds': {
    // CRDs are templates of the chart (always rendered) and of its kmcp-crds sub-chart (kmcp.enabled).
    source: 'kagent-crds-0.9.12/templates/kagent.dev_*.yaml, charts/kmcp-crds/templates/mcpserver-crd.yaml',
    crds: kinds('kagent.dev', 'Agent', 'AgentHarness', 'Memory', 'ModelConfig', 'ModelProviderConfig', 'RemoteMCPServer',
      'SandboxAgent', 'ToolServer', 'MCPServer'),
  },
  'kagent': {
    // Names for fullname = release (nameOverride empty); kmcp's fullname is `<release>-kmcp` (kmcp.nameOverride kmcp).
    source: 'kagent-0.9.12/templates/{modelconfig,toolserver-kagent,controller-service,ui-service,*-serviceaccount}.yaml, charts/*-agent/templates/agent.yaml, charts/kmcp/templates/service.yaml',
    usesCrds: (v) => {
      const out = kinds('kagent.dev', 'ModelConfig');
      if (at(v, 'kagent-tools.enabled') !== false) out.push(...kinds('kagent.dev', 'RemoteMCPServer'));
      const agents = ['k8s', 'kgateway', 'istio', 'promql', 'observability', 'argo-rollouts', 'helm', 'cilium-policy', 'cilium-manager', 'cilium-debug'];
      if (agents.some((a) => at(v, `${a}-agent.enabled`) !== false)) out.push(...kinds('kagent.dev', 'Agent'));
      return out;
    },
    services: (r) => [
      { name: `${r}-controller`, ports: [{ name: 'controller', port: 8083 }] },
      { name: `${r}-ui`, ports: [{ name: 'ui', port: 8080 }] },
      { name: `${r}-kmcp-controller-manager-metrics-service`, ports: [{ name: 'https', port: 8443 }] },
    ],
    serviceAccounts: (r) => [`${r}-controller`, `${r}-ui`, `${r}-kmcp-controller-manager`],
    configMaps: (r) => [`${r}-controller`, `${r}-ui-config`, `${r}-builtin-prompts`],
  },
};

/**
 * Secrets a chart's values name, found generically: every `secretKeyRef: {name, key}` (the Kubernetes form charts pass
 * through to env) and every `existingSecret: <name>` (the common chart convention).
 */
export function secretsNamedInValues(values: unknown, path = ''): SecretReference[] {
  const out: SecretReference[] = [];
  if (Array.isArray(values)) {
    values.forEach((v, i) => out.push(...secretsNamedInValues(v, `${path}[${i}]`)));
    return out;
  }
  if (typeof values !== 'object' || values === null) return out;
  for (const [k, v] of Object.entries(values as Record<string, unknown>)) {
    const p = path === '' ? k : `${path}.${k}`;
    if (k === 'secretKeyRef' && typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>).name === 'string') {
      const ref = v as Record<string, unknown>;
      if (ref.optional !== true) out.push({ name: String(ref.name), key: typeof ref.key === 'string' ? ref.key : undefined, path: p });
      continue;
    }
    if (k === 'existingSecret' && typeof v === 'string' && v !== '') {
      out.push({ name: v, path: p });
      continue;
    }
    out.push(...secretsNamedInValues(v, p));
  }
  return out;
}
