import { HelmComponent, Stage } from '../../core/component';
import { PlatformDefinition } from '../../core/platform-definition';
import { SYSTEM_NODE_TOLERATION } from '../../core/scheduling';
import { ContainerImage, HelmChartVersion } from '../../versions';

/** Namespace of cert-manager. */
export const CERT_MANAGER_NAMESPACE = 'cert-manager';
/** Namespace of the ClickHouse operator. */
export const CLICKHOUSE_OPERATOR_NAMESPACE = 'clickhouse-operator';

const SYSTEM = { tolerations: [SYSTEM_NODE_TOLERATION] };

/**
 * cert-manager with its CRDs (`crds.enabled`, kept on uninstall), once per platform, on the system nodes. Stage CRDS:
 * the `Issuer` and `Certificate` objects of the ClickHouse operator (stage CONTROLLERS) need its CRDs and webhook.
 */
export function certManager(definition: PlatformDefinition): HelmComponent {
  const existing = definition.node.tryFindChild('CertManager');
  if (existing !== undefined) return existing as HelmComponent;
  return new HelmComponent(definition, 'CertManager', {
    name: 'cert-manager',
    namespace: CERT_MANAGER_NAMESPACE,
    stage: Stage.CRDS,
    description: 'cert-manager (with its CRDs): certificates of the ClickHouse operator webhook and metrics endpoints',
    chart: HelmChartVersion.CERT_MANAGER,
    includesCrds: true,
    values: { render: () => ({
      crds: { enabled: true, keep: true },
      ...SYSTEM,
      webhook: { ...SYSTEM },
      cainjector: { ...SYSTEM },
      startupapicheck: { ...SYSTEM },
    }) },
  });
}

/**
 * The ClickHouse operator (CRDs `clickhouse.com/v1alpha1` ClickHouseCluster and KeeperCluster), once per platform, on
 * the system nodes, after cert-manager (its webhook and metrics certificates are cert-manager `Certificate`s). Stage
 * CONTROLLERS: Langfuse v4's `ClickHouseCluster` and `KeeperCluster` (stage WORKLOADS) need its CRDs and webhook.
 * The manager image is pinned ({@link ContainerImage.CLICKHOUSE_OPERATOR}): the chart's default tag is its appVersion.
 */
export function clickHouseOperator(definition: PlatformDefinition): HelmComponent {
  const existing = definition.node.tryFindChild('ClickHouseOperator');
  if (existing !== undefined) return existing as HelmComponent;
  const image = ContainerImage.CLICKHOUSE_OPERATOR;
  const operator = new HelmComponent(definition, 'ClickHouseOperator', {
    name: 'clickhouse-operator',
    namespace: CLICKHOUSE_OPERATOR_NAMESPACE,
    stage: Stage.CONTROLLERS,
    description: 'ClickHouse operator (ClickHouseCluster, KeeperCluster CRDs): runs the ClickHouse of Langfuse v4',
    chart: HelmChartVersion.CLICKHOUSE_OPERATOR,
    includesCrds: true,
    values: { render: () => ({
      crd: { enabled: true, keep: true },
      certManager: { enabled: true },
      manager: { image: { repository: image.repository, tag: image.tag }, ...SYSTEM },
    }) },
  });
  operator.addDependency(certManager(definition));
  return operator;
}
