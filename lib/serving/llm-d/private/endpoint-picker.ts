import { createHash } from 'crypto';
import { k8s } from 'cdk8s-plus-34';
import { CpuResources, MemoryResources } from '../../../core/units';
import { cpuQuantity } from '../../../core/private/quantities';
import { Construct } from 'constructs';
import { EndpointPickerConfigInput, renderEndpointPickerConfig } from './endpoint-picker-config';
import { memoryQuantity } from './quantities';
import { ServiceMonitor } from '../../../../imports/prometheus-servicemonitor-monitoring.coreos.com';
import { ContainerImage } from '../../../versions';

/** File name of the plugin configuration in the ConfigMap, as the chart names it (`pluginsConfigFile`). */
export const EPP_CONFIG_FILE = 'default-plugins.yaml';
/** Where the ConfigMap is mounted in the EPP container. */
export const EPP_CONFIG_DIR = '/config';
/** Pod-template annotation carrying a hash of the plugin configuration, so a changed configuration rolls the pods. */
export const EPP_CONFIG_HASH_ANNOTATION = 'agentic-eks.io/epp-config-hash';
/** UID and GID the EPP image runs as (llm-d-router Dockerfile.epp: distroless/static:nonroot, `USER 65532:65532`). */
export const EPP_RUN_AS = 65532;

/** ext-proc gRPC port. */
export const EXT_PROC_PORT = 9002;
/** gRPC health port. */
export const HEALTH_PORT = 9003;
/** Prometheus metrics port. */
export const METRICS_PORT = 9090;
/** Name of the metrics port on the Service (the chart's). */
export const METRICS_PORT_NAME = 'http-metrics';

/** What the endpoint picker is built from; everything already validated by the pool. */
export interface EndpointPickerProps {
  /** Name of every EPP object (`<pool>-epp`). */
  readonly name: string;
  /** InferencePool the EPP serves (`--pool-name`). */
  readonly poolName: string;
  /** Namespace of the pool and the EPP. */
  readonly namespace: string;
  /** Image. */
  readonly image: ContainerImage;
  /** Replicas; above 1 the replicas elect a leader. */
  readonly replicas: number;
  /** CPU request and limit. */
  readonly cpu: CpuResources;
  /** Memory request and limit. */
  readonly memory: MemoryResources;
  /** `release` label of the ServiceMonitor. */
  readonly prometheusRelease: string;
  /** Tracing, or undefined when off. */
  readonly tracing?: { readonly otlpEndpoint: string; readonly samplingRatio: number };
  /** Plugin configuration. */
  readonly config: EndpointPickerConfigInput;
}

/** Labels that select the pods of the endpoint picker `name` (its Deployment's selector). */
export function eppSelectorLabels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'endpoint-picker' };
}

/**
 * The llm-d Router endpoint picker of one InferencePool, as the `llm-d-router-gateway` chart renders it
 * (llm-d/llm-d-router config/charts/routerlib/templates/_deployment.yaml, _service.yaml, _servicemonitor.yaml,
 * _leader-election-rbac.yaml; RBAC from GIE config/charts/inference-extension/templates/_rbac.yaml and llm-d-router
 * config/charts/llm-d-router-standalone/templates/rbac.yaml). Metrics are served without authentication
 * (`--metrics-endpoint-auth=false`), so no cluster-scoped RBAC (TokenReview, SubjectAccessReview) is needed.
 */
export class EndpointPicker extends Construct {
  constructor(scope: Construct, id: string, props: EndpointPickerProps) {
    super(scope, id);
    const { name, namespace } = props;
    const selectorLabels = eppSelectorLabels(name);
    const labels = { ...selectorLabels, 'app.kubernetes.io/part-of': props.poolName };
    const metadata = { name, namespace, labels };
    const ha = props.replicas > 1;

    // ---- plugin configuration ----
    const pluginConfig = renderEndpointPickerConfig(props.config);
    new k8s.KubeConfigMap(this, 'Config', { metadata, data: { [EPP_CONFIG_FILE]: pluginConfig } });

    // ---- identity and RBAC (namespaced only) ----
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata });
    const read = ['get', 'list', 'watch'];
    new k8s.KubeRole(this, 'Role', {
      metadata,
      rules: [
        { apiGroups: [''], resources: ['pods'], verbs: read },
        { apiGroups: ['inference.networking.k8s.io'], resources: ['inferencepools'], verbs: read },
        { apiGroups: ['llm-d.ai'], resources: ['inferenceobjectives', 'inferencemodelrewrites'], verbs: read },
        // Legacy group (GIE <= v1.5); the llm-d-router charts still grant it.
        { apiGroups: ['inference.networking.x-k8s.io'], resources: ['inferenceobjectives', 'inferencemodelrewrites'], verbs: read },
      ],
    });
    const subjects = [{ kind: 'ServiceAccount', name, namespace }];
    new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata,
      subjects,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    });
    if (ha) {
      const leName = `${name}-leader-election`;
      new k8s.KubeRole(this, 'LeaderElectionRole', {
        metadata: { ...metadata, name: leName },
        rules: [
          { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
          { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
        ],
      });
      new k8s.KubeRoleBinding(this, 'LeaderElectionRoleBinding', {
        metadata: { ...metadata, name: leName },
        subjects,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: leName },
      });
    }

    // ---- Deployment ----
    const args = [
      '--pool-name', props.poolName,
      '--pool-namespace', namespace,
      '--pool-group', 'inference.networking.k8s.io',
      '--zap-encoder', 'json',
      '--config-file', `${EPP_CONFIG_DIR}/${EPP_CONFIG_FILE}`,
      '--grpc-health-port', String(HEALTH_PORT),
      ...(ha ? ['--ha-enable-leader-election'] : []),
      `--tracing=${props.tracing !== undefined}`,
      '--metrics-endpoint-auth=false',
    ];
    const env: k8s.EnvVar[] = [
      { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ];
    if (props.tracing !== undefined) {
      env.push(
        { name: 'OTEL_SERVICE_NAME', value: 'llm-d-router/epp' },
        { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: props.tracing.otlpEndpoint },
        { name: 'OTEL_TRACES_EXPORTER', value: 'otlp' },
        { name: 'OTEL_RESOURCE_ATTRIBUTES_NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
        { name: 'OTEL_RESOURCE_ATTRIBUTES_POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
        {
          name: 'OTEL_RESOURCE_ATTRIBUTES',
          value: 'k8s.namespace.name=$(NAMESPACE),k8s.node.name=$(OTEL_RESOURCE_ATTRIBUTES_NODE_NAME),k8s.pod.name=$(OTEL_RESOURCE_ATTRIBUTES_POD_NAME)',
        },
        { name: 'OTEL_TRACES_SAMPLER', value: 'parentbased_traceidratio' },
        { name: 'OTEL_TRACES_SAMPLER_ARG', value: String(props.tracing.samplingRatio) },
      );
    }
    const requests: Record<string, k8s.Quantity> = {};
    const limits: Record<string, k8s.Quantity> = {};
    if (props.cpu.request) requests.cpu = cpuQuantity(props.cpu.request);
    if (props.cpu.limit) limits.cpu = cpuQuantity(props.cpu.limit);
    if (props.memory.request) requests.memory = k8s.Quantity.fromString(memoryQuantity(props.memory.request, 'eppResources.memory.request'));
    if (props.memory.limit) limits.memory = k8s.Quantity.fromString(memoryQuantity(props.memory.limit, 'eppResources.memory.limit'));
    // With leader election only the leader is Ready; the chart switches the probe services accordingly.
    const probeService = (role: 'liveness' | 'readiness'): string => (ha ? role : 'inference-extension');
    const configHash = createHash('sha256').update(pluginConfig).digest('hex').slice(0, 16);

    new k8s.KubeDeployment(this, 'Deployment', {
      metadata,
      spec: {
        replicas: props.replicas,
        // Upstream's recommendation: one active replica holds the prefix index; Recreate lets a new one take over at
        // once (a rolling update would never remove the old leader).
        strategy: { type: 'Recreate' },
        selector: { matchLabels: selectorLabels },
        template: {
          metadata: { labels, annotations: { [EPP_CONFIG_HASH_ANNOTATION]: configHash } },
          spec: {
            serviceAccountName: name,
            // Mirrors the longest grace period of the pool's pods (chart default).
            terminationGracePeriodSeconds: 130,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: EPP_RUN_AS,
              runAsGroup: EPP_RUN_AS,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [{
              name: 'epp',
              image: props.image.uri,
              imagePullPolicy: 'IfNotPresent',
              args,
              ports: [
                { name: 'grpc', containerPort: EXT_PROC_PORT, protocol: 'TCP' },
                { name: 'grpc-health', containerPort: HEALTH_PORT, protocol: 'TCP' },
                { name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' },
              ],
              env,
              resources: { requests, ...(Object.keys(limits).length > 0 ? { limits } : {}) },
              livenessProbe: { grpc: { port: HEALTH_PORT, service: probeService('liveness') }, initialDelaySeconds: 5, periodSeconds: 10 },
              readinessProbe: { grpc: { port: HEALTH_PORT, service: probeService('readiness') }, periodSeconds: 2 },
              // Lets in-flight gRPC streams drain and gateways notice before SIGTERM. The chart runs `/bin/sh -c "sleep 5"`,
              // which the distroless image cannot; the kubelet's sleep action needs no shell.
              lifecycle: { preStop: { sleep: { seconds: 5 } } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [
                { name: 'plugins-config', mountPath: EPP_CONFIG_DIR, readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            }],
            volumes: [
              { name: 'plugins-config', configMap: { name } },
              { name: 'tmp', emptyDir: {} },
            ],
          },
        },
      },
    });

    // ---- Service and ServiceMonitor ----
    new k8s.KubeService(this, 'Service', {
      metadata,
      spec: {
        type: 'ClusterIP',
        selector: selectorLabels,
        ports: [
          { name: 'grpc-ext-proc', port: EXT_PROC_PORT, targetPort: k8s.IntOrString.fromNumber(EXT_PROC_PORT), protocol: 'TCP', appProtocol: 'http2' },
          { name: 'grpc-health', port: HEALTH_PORT, targetPort: k8s.IntOrString.fromNumber(HEALTH_PORT), protocol: 'TCP' },
          { name: METRICS_PORT_NAME, port: METRICS_PORT, targetPort: k8s.IntOrString.fromNumber(METRICS_PORT), protocol: 'TCP' },
        ],
      },
    });
    new ServiceMonitor(this, 'ServiceMonitor', {
      metadata: { name, namespace, labels: { ...labels, release: props.prometheusRelease } },
      spec: {
        selector: { matchLabels: labels },
        namespaceSelector: { matchNames: [namespace] },
        endpoints: [{ port: METRICS_PORT_NAME, path: '/metrics', interval: '10s' }],
      },
    });
  }
}
