import { HelmComponent, Stage } from '../core/component';
import { PlatformDefinition } from '../core/platform-definition';
import { HelmChartVersion } from '../versions';

/** Namespace the Prometheus stack lives in (kube-prometheus-stack's conventional namespace). */
export const MONITORING_NAMESPACE = 'monitoring';

/**
 * The Prometheus operator CRDs as their own component (stage CRDS): the vLLM models, the endpoint pickers, the GPU
 * Operator's DCGM exporter and KEDA all emit ServiceMonitors, which fail to apply before these CRDs exist.
 */
export function addPrometheusOperatorCrds(definition: PlatformDefinition, chart?: HelmChartVersion): HelmComponent {
  return new HelmComponent(definition, 'PrometheusOperatorCrds', {
    name: 'prometheus-operator-crds',
    namespace: MONITORING_NAMESPACE,
    stage: Stage.CRDS,
    description: 'Prometheus operator CRDs: ServiceMonitor, PodMonitor, PrometheusRule and friends',
    chart: chart ?? HelmChartVersion.PROMETHEUS_OPERATOR_CRDS,
  });
}
