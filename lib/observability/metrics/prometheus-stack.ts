import { Duration, Size, SizeRoundingBehavior } from 'aws-cdk-lib';
import { HelmComponent, Stage } from '../../core/component';
import { JsonObject } from '../../core/deep-merge';
import { PlatformDefinition } from '../../core/platform-definition';
import { SYSTEM_NODE_TOLERATION } from '../../core/scheduling';
import { check, checkDnsLabel } from '../../core/validation';
import { HelmChartVersion } from '../../versions';
import { MONITORING_NAMESPACE } from '../prometheus-operator-crds';

/**
 * Helm release name of kube-prometheus-stack. The ServiceMonitors and PrometheusRules of the other layers carry
 * `release: kube-prometheus-stack`, the label the chart's selectors expect when `*SelectorNilUsesHelmValues` is true.
 */
export const PROMETHEUS_STACK_RELEASE = 'kube-prometheus-stack';

/** Label (and value) the Grafana dashboard sidecar looks for on ConfigMaps. */
export const GRAFANA_DASHBOARD_LABEL = { key: 'grafana_dashboard', value: '1' } as const;

/** Remote write of every sample to Amazon Managed Service for Prometheus (AMP), signed with SigV4. */
export interface PrometheusRemoteWrite {
  /**
   * Remote-write URL: `https://aps-workspaces.<region>.amazonaws.com/workspaces/<ws-id>/api/v1/remote_write`.
   * The workspace and the IAM permission (`aps:RemoteWrite`) of the Prometheus service account are the AWS side's.
   */
  readonly url: string;
  /** AWS region of the workspace, for SigV4. */
  readonly region: string;
}

/** Properties of {@link PrometheusStack}. */
export interface PrometheusStackProps {
  /** How long Prometheus keeps samples. Whole seconds, at least one minute. @default Duration.days(15) */
  readonly retention?: Duration;
  /**
   * Size of the Prometheus data volume (a PVC from `volumeClaimTemplate`).
   * @default Size.gibibytes(100)
   */
  readonly storage?: Size;
  /** StorageClass of the Prometheus data volume. @default 'gp3' */
  readonly storageClassName?: string;
  /**
   * Sends every sample to AMP as well.
   * @default - no remote write
   * @see https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-onboard-ingest-metrics-existing-Prometheus.html
   */
  readonly remoteWrite?: PrometheusRemoteWrite;
  /**
   * Scrape kube-proxy (and keep its `kubernetes-system-kube-proxy` rules, `KubeProxyDown`). The EKS kube-proxy add-on
   * serves metrics on `127.0.0.1:10249` only, so the scrape fails until its `metricsBindAddress` is `0.0.0.0:10249`
   * (add-on configuration); enable this after that change.
   * @default false
   */
  readonly scrapeKubeProxy?: boolean;
  /** The pinned chart. @default HelmChartVersion.KUBE_PROMETHEUS_STACK */
  readonly chart?: HelmChartVersion;
  /**
   * Escape hatch: raw chart values deep-merged after the computed values (objects merge, arrays replace).
   * @default - none
   * @see https://github.com/prometheus-community/helm-charts/blob/main/charts/kube-prometheus-stack/values.yaml
   */
  readonly values?: JsonObject;
}

const SYSTEM_TOLERATIONS = [SYSTEM_NODE_TOLERATION];

/**
 * The EKS control plane is managed by AWS: etcd, kube-controller-manager and kube-scheduler expose no endpoints in the
 * cluster, so their scrapes (and the `KubeControllerManagerDown`, `KubeSchedulerDown`, etcd alerts and recording rules
 * that depend on them) are turned off. The API server (`kubeApiServer`), kubelet and CoreDNS stay on.
 */
function eksControlPlaneValues(scrapeKubeProxy: boolean): JsonObject {
  return {
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeEtcd: { enabled: false },
    kubeProxy: { enabled: scrapeKubeProxy },
    defaultRules: {
      rules: {
        etcd: false,
        kubeControllerManager: false,
        kubeSchedulerAlerting: false,
        kubeSchedulerRecording: false,
        kubeProxy: scrapeKubeProxy,
      },
    },
  };
}

/** A Prometheus retention string (`15d`, `36h`, `90m`) in the largest exact unit. */
function retentionString(d: Duration): string {
  const s = d.toSeconds();
  if (s % 86400 === 0) return `${s / 86400}d`;
  if (s % 3600 === 0) return `${s / 3600}h`;
  return `${s / 60}m`;
}

/**
 * kube-prometheus-stack in `monitoring` (stage CONTROLLERS): Prometheus selects every ServiceMonitor, PodMonitor
 * and PrometheusRule in the cluster (`*SelectorNilUsesHelmValues: false`), keeps its samples on a gp3 volume,
 * optionally remote-writes to AMP, and Grafana loads every ConfigMap labelled `grafana_dashboard: "1"` from all
 * namespaces. The controllers run on the system nodes; the node exporter stays a DaemonSet on every node.
 * Configured for EKS: no scrapes or rules for etcd, kube-controller-manager and kube-scheduler (AWS runs them and
 * exposes no endpoints), none for kube-proxy unless `scrapeKubeProxy`.
 * The CRDs come from the separate `prometheus-operator-crds` component (`crds.enabled: false`).
 */
export class PrometheusStack extends HelmComponent {
  /** Data retention. */
  public readonly retention: Duration;
  /** Data volume size. */
  public readonly storage: Size;

  constructor(scope: PlatformDefinition, id: string, props: PrometheusStackProps = {}) {
    const retention = props.retention ?? Duration.days(15);
    const storage = props.storage ?? Size.gibibytes(100);
    const storageClassName = props.storageClassName ?? 'gp3';
    const seconds = retention.toSeconds();
    check(
      Number.isInteger(seconds) && seconds >= 60 && seconds % 60 === 0,
      `'retention' (${retention.toHumanString()}) must be a whole number of minutes, at least one minute`,
    );
    const gib = storage.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
    check(Number.isInteger(gib) && gib >= 1, `'storage' (${gib} GiB) must be a whole number of GiB, at least 1`);
    checkDnsLabel('storageClassName', storageClassName);
    if (props.remoteWrite !== undefined) {
      check(
        props.remoteWrite.url.startsWith('https://'),
        `'remoteWrite.url' (${props.remoteWrite.url}) must be an https:// URL`,
      );
    }
    const remoteWrite = props.remoteWrite;
    const scrapeKubeProxy = props.scrapeKubeProxy ?? false;
    super(scope, id, {
      name: PROMETHEUS_STACK_RELEASE,
      namespace: MONITORING_NAMESPACE,
      stage: Stage.CONTROLLERS,
      description: 'kube-prometheus-stack: Prometheus, Alertmanager, Grafana, kube-state-metrics, node exporter',
      chart: props.chart ?? HelmChartVersion.KUBE_PROMETHEUS_STACK,
      includesCrds: false,
      valueOverrides: props.values,
      values: { render: () => ({
        crds: { enabled: false },
        ...eksControlPlaneValues(scrapeKubeProxy),
        prometheusOperator: { tolerations: SYSTEM_TOLERATIONS },
        'kube-state-metrics': { tolerations: SYSTEM_TOLERATIONS },
        alertmanager: { alertmanagerSpec: { tolerations: SYSTEM_TOLERATIONS } },
        prometheus: {
          prometheusSpec: {
            serviceMonitorSelectorNilUsesHelmValues: false,
            podMonitorSelectorNilUsesHelmValues: false,
            ruleSelectorNilUsesHelmValues: false,
            retention: retentionString(retention),
            tolerations: SYSTEM_TOLERATIONS,
            storageSpec: {
              volumeClaimTemplate: {
                spec: {
                  storageClassName,
                  accessModes: ['ReadWriteOnce'],
                  resources: { requests: { storage: `${gib}Gi` } },
                },
              },
            },
            ...(remoteWrite ? { remoteWrite: [{ url: remoteWrite.url, sigv4: { region: remoteWrite.region } }] } : {}),
          },
        },
        grafana: {
          tolerations: SYSTEM_TOLERATIONS,
          sidecar: {
            dashboards: {
              enabled: true,
              label: GRAFANA_DASHBOARD_LABEL.key,
              labelValue: GRAFANA_DASHBOARD_LABEL.value,
              searchNamespace: 'ALL',
            },
          },
        },
      }) },
    });
    this.retention = retention;
    this.storage = storage;
  }
}
