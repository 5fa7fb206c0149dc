import { Duration, Size } from 'aws-cdk-lib';
import { PrometheusStack, PROMETHEUS_STACK_RELEASE } from '../../../lib/observability/metrics';
import { HelmChartVersion } from '../../../lib/versions';
import { Stage } from '../../../lib/core/component';
import { testDefinition } from '../../util';

describe('PrometheusStack', () => {
  test('defaults: release, namespace, stage, selectors open, 15d on a 100Gi gp3 PVC, Grafana sidecar', () => {
    // GIVEN / WHEN
    const stack = new PrometheusStack(testDefinition(), 'PrometheusStack');
    // THEN
    expect(stack.releaseName).toBe(PROMETHEUS_STACK_RELEASE);
    expect(stack.componentName).toBe('kube-prometheus-stack');
    expect(stack.namespace).toBe('monitoring');
    expect(stack.stage).toBe(Stage.CONTROLLERS);
    expect(stack.chart).toBe(HelmChartVersion.KUBE_PROMETHEUS_STACK);
    expect(stack.chart.version).toBe('88.5.3');
    expect(stack.includesCrds).toBe(false);
    const v = stack.values() as Record<string, any>;
    expect(v.crds).toEqual({ enabled: false });
    const spec = v.prometheus.prometheusSpec;
    expect(spec.serviceMonitorSelectorNilUsesHelmValues).toBe(false);
    expect(spec.podMonitorSelectorNilUsesHelmValues).toBe(false);
    expect(spec.ruleSelectorNilUsesHelmValues).toBe(false);
    expect(spec.retention).toBe('15d');
    expect(spec.storageSpec.volumeClaimTemplate.spec).toEqual({
      storageClassName: 'gp3',
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '100Gi' } },
    });
    expect(spec.remoteWrite).toBeUndefined();
    expect(spec.tolerations).toEqual([{ key: 'CriticalAddonsOnly', operator: 'Exists' }]);
    expect(v.grafana.sidecar.dashboards).toEqual({ enabled: true, label: 'grafana_dashboard', labelValue: '1', searchNamespace: 'ALL' });
    expect(v['prometheus-node-exporter']).toBeUndefined();
  });

  test('retention, storage, storage class, AMP remote write and the values escape hatch', () => {
    const stack = new PrometheusStack(testDefinition(), 'PrometheusStack', {
      retention: Duration.hours(36),
      storage: Size.gibibytes(500),
      storageClassName: 'io2',
      remoteWrite: { url: 'https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-1/api/v1/remote_write', region: 'us-west-2' },
      values: { grafana: { enabled: false }, prometheus: { prometheusSpec: { replicas: 2 } } },
    });
    const v = stack.values() as Record<string, any>;
    const spec = v.prometheus.prometheusSpec;
    expect(spec.retention).toBe('36h');
    expect(spec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage).toBe('500Gi');
    expect(spec.storageSpec.volumeClaimTemplate.spec.storageClassName).toBe('io2');
    expect(spec.remoteWrite).toEqual([
      { url: 'https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-1/api/v1/remote_write', sigv4: { region: 'us-west-2' } },
    ]);
    expect(spec.replicas).toBe(2);
    expect(spec.ruleSelectorNilUsesHelmValues).toBe(false);
    expect(v.grafana.enabled).toBe(false);
    expect(v.grafana.sidecar.dashboards.enabled).toBe(true);
  });

  test('errors', () => {
    expect(() => new PrometheusStack(testDefinition(), 'P', { retention: Duration.seconds(90) })).toThrow(
      "'retention' (1 minute 30 seconds) must be a whole number of minutes, at least one minute",
    );
    expect(() => new PrometheusStack(testDefinition(), 'P', { storage: Size.mebibytes(512) })).toThrow(
      "'storage' (0.5 GiB) must be a whole number of GiB, at least 1",
    );
    expect(() => new PrometheusStack(testDefinition(), 'P', { remoteWrite: { url: 'http://x', region: 'us-west-2' } })).toThrow(
      "'remoteWrite.url' (http://x) must be an https:// URL",
    );
  });
});

describe('PrometheusStack on EKS', () => {
  test('control-plane components EKS does not expose are neither scraped nor alerted on', () => {
    // GIVEN / WHEN
    const v = new PrometheusStack(testDefinition(), 'PrometheusStack').values() as Record<string, any>;
    // THEN
    expect(v.kubeControllerManager).toEqual({ enabled: false });
    expect(v.kubeScheduler).toEqual({ enabled: false });
    expect(v.kubeEtcd).toEqual({ enabled: false });
    expect(v.kubeProxy).toEqual({ enabled: false });
    expect(v.defaultRules).toEqual({
      rules: { etcd: false, kubeControllerManager: false, kubeSchedulerAlerting: false, kubeSchedulerRecording: false, kubeProxy: false },
    });
    expect(v.kubeApiServer).toBeUndefined();
    expect(v.kubelet).toBeUndefined();
  });

  test('scrapeKubeProxy turns the kube-proxy scrape and its rules back on', () => {
    // GIVEN / WHEN
    const v = new PrometheusStack(testDefinition(), 'PrometheusStack', { scrapeKubeProxy: true }).values() as Record<string, any>;
    // THEN
    expect(v.kubeProxy).toEqual({ enabled: true });
    expect(v.defaultRules.rules.kubeProxy).toBe(true);
    expect(v.defaultRules.rules.etcd).toBe(false);
  });
});
