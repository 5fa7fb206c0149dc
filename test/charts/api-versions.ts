/**
 * The `--api-versions` given to `helm template`: the custom resource APIs a chart may find installed when it is
 * applied. Charts gate optional objects on them (`.Capabilities.APIVersions.Has "monitoring.coreos.com/v1"`, or the
 * `group/version/Kind` form), so a render without them would leave out objects the cluster does get.
 */
import { IComponent, KubernetesComponent } from '../../lib';

/**
 * CRDs the platform (or, for Langfuse v4, its documented prerequisites) installs before the charts that use them,
 * with both forms helm accepts. Installed by Helm charts, so not derivable from manifests: prometheus-operator-crds,
 * karpenter-crd, external-secrets (whose vendored copy carries no CRDs), keda; cert-manager and the ClickHouse
 * operator are the prerequisites of Langfuse v4's in-cluster ClickHouse.
 */
const CHART_INSTALLED_APIS: Record<string, string[]> = {
  'monitoring.coreos.com/v1': ['ServiceMonitor', 'PodMonitor', 'PrometheusRule', 'Probe', 'Prometheus', 'Alertmanager', 'ThanosRuler'],
  'monitoring.coreos.com/v1alpha1': ['AlertmanagerConfig', 'PrometheusAgent', 'ScrapeConfig'],
  'gateway.networking.k8s.io/v1': ['GatewayClass', 'Gateway', 'HTTPRoute', 'GRPCRoute'],
  'inference.networking.k8s.io/v1': ['InferencePool'],
  'keda.sh/v1alpha1': ['ScaledObject', 'ScaledJob', 'TriggerAuthentication', 'ClusterTriggerAuthentication'],
  'external-secrets.io/v1': ['ExternalSecret', 'SecretStore', 'ClusterSecretStore', 'ClusterExternalSecret'],
  'karpenter.sh/v1': ['NodePool', 'NodeClaim'],
  'karpenter.k8s.aws/v1': ['EC2NodeClass'],
  'clickhouse.com/v1alpha1': ['ClickHouseCluster', 'KeeperCluster'],
  'cert-manager.io/v1': ['Certificate', 'CertificateRequest', 'Issuer', 'ClusterIssuer'],
};

/** The explicit list of chart-installed APIs, as `--api-versions` arguments. */
export const CHART_API_VERSIONS: readonly string[] = Object.entries(CHART_INSTALLED_APIS)
  .flatMap(([gv, kinds]) => [gv, ...kinds.map((k) => `${gv}/${k}`)]);

/**
 * The `--api-versions` of a platform: {@link CHART_API_VERSIONS} plus every served version (and Kind) of the
 * CustomResourceDefinitions its manifest components apply (Gateway API, Inference Extension, ...).
 */
export function platformApiVersions(components: readonly IComponent[]): string[] {
  const out = new Set(CHART_API_VERSIONS);
  for (const c of components) {
    if (!KubernetesComponent.isKubernetesComponent(c)) continue;
    for (const obj of c.toJson() as Array<Record<string, any>>) {
      if (obj?.kind !== 'CustomResourceDefinition') continue;
      const group: unknown = obj.spec?.group;
      const kind: unknown = obj.spec?.names?.kind;
      for (const v of (obj.spec?.versions ?? []) as Array<{ name?: unknown; served?: unknown }>) {
        if (v.served !== true || typeof group !== 'string' || typeof v.name !== 'string') continue;
        out.add(`${group}/${v.name}`);
        if (typeof kind === 'string') out.add(`${group}/${v.name}/${kind}`);
      }
    }
  }
  return [...out].sort();
}
