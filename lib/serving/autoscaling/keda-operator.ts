import { Construct } from 'constructs';
import { HelmComponent, Stage } from '../../core/component';
import { JsonObject } from '../../core/deep-merge';
import { PlatformDefinition } from '../../core/platform-definition';
import { FlowPeer, FlowPort } from '../../network/flow';
import { NetworkFlows } from '../../network/network-flows';
import { checkDnsLabel } from '../../core/validation';
import { DEFAULT_PROMETHEUS_RELEASE } from '../../gpu/device-management/nvidia-gpu-operator';
import { HelmChartVersion } from '../../versions';
import { SYSTEM_NODE_TOLERATION } from '../../core/scheduling';

/** Namespace KEDA runs in (upstream's install default). */
export const KEDA_NAMESPACE = 'keda';

/** Options of the KEDA operator. */
export interface KedaOperatorOptions {
  /**
   * The pinned chart.
   * @default HelmChartVersion.KEDA
   */
  readonly chart?: HelmChartVersion;
  /**
   * Value of the `release` label on the operator's ServiceMonitor, which kube-prometheus-stack's Prometheus selects
   * ServiceMonitors by.
   * @default 'kube-prometheus-stack'
   */
  readonly prometheusRelease?: string;
  /**
   * Raw chart values deep-merged after the computed ones (escape hatch), e.g. `podIdentity.aws.irsa` or
   * `operator.replicaCount`.
   * @default - none
   * @see https://github.com/kedacore/charts/blob/main/keda/README.md
   */
  readonly values?: JsonObject;
}

/** Props of the KEDA operator. */
export interface KedaOperatorProps extends KedaOperatorOptions {
  /** The platform's Kubernetes-side definition the chart is added to. */
  readonly definition: PlatformDefinition;
}

/**
 * KEDA (`kedacore/keda` chart) in namespace `keda`: the operator, its metrics server (the external metrics API the
 * HPAs read) and the admission webhooks, with the chart's CRDs (`ScaledObject`, `ScaledJob`,
 * `TriggerAuthentication`, ...). All three run on the system nodes (they tolerate `CriticalAddonsOnly`). The
 * operator exposes Prometheus metrics (scaler errors, metric values per ScaledObject) through a ServiceMonitor
 * labelled for kube-prometheus-stack.
 *
 * KEDA creates and owns the HorizontalPodAutoscaler of every ScaledObject (`keda-hpa-<name>`): never add another
 * HPA for the same workload. See `ModelAutoscaling` for ScaledObjects of served models.
 */
export class KedaOperator extends Construct {
  /** The `keda` chart. */
  public readonly operator: HelmComponent;

  constructor(scope: Construct, id: string, props: KedaOperatorProps) {
    super(scope, id);
    const release = props.prometheusRelease ?? DEFAULT_PROMETHEUS_RELEASE;
    checkDnsLabel('prometheusRelease', release);

    NetworkFlows.of(props.definition).allow({
      name: 'keda-to-prometheus', from: FlowPeer.inNamespace(KEDA_NAMESPACE), to: FlowPeer.monitoring(), ports: [FlowPort.tcp(9090)],
      description: 'KEDA reads the queue-depth and KV-cache metrics of model ScaledObjects from Prometheus',
    });
    this.operator = new HelmComponent(props.definition, 'Keda', {
      name: 'keda',
      namespace: KEDA_NAMESPACE,
      stage: Stage.CONTROLLERS,
      description: 'KEDA: scales model servers on Prometheus metrics (vLLM queue depth, KV-cache use) through HPAs it owns',
      chart: props.chart ?? HelmChartVersion.KEDA,
      values: { render: () => ({
        // One list for the operator, the metrics server and the webhooks (templates/{manager,metrics-server,webhooks}/deployment.yaml).
        tolerations: [SYSTEM_NODE_TOLERATION],
        prometheus: {
          operator: {
            enabled: true,
            serviceMonitor: { enabled: true, additionalLabels: { release } },
          },
        },
      }) },
      valueOverrides: props.values,
    });
  }
}
