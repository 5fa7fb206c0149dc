import { Testing } from 'cdk8s';
import { AlertKind, PlatformAlerts, PlatformComponentKind } from '../../../lib/observability/metrics';
import { Stage } from '../../../lib/core/component';
import { expectValidK8sObjects } from '../../k8s-schema';
import { objects, testDefinition } from '../../util';
import { METRIC_ALLOW_LIST, metricNames } from './promql';

const ALL = [PlatformComponentKind.GPU, PlatformComponentKind.VLLM, PlatformComponentKind.KARPENTER];

function rules(alerts: PlatformAlerts): Record<string, any>[] {
  const rule = objects(alerts).find((o) => o.kind === 'PrometheusRule') as Record<string, any>;
  return rule.spec.groups.flatMap((g: { rules: unknown[] }) => g.rules);
}

describe('PlatformAlerts', () => {
  test('defaults: every applicable alert, one group per component, release label, valid PrometheusRule', () => {
    // GIVEN / WHEN
    const alerts = new PlatformAlerts(testDefinition(), 'Alerts', { components: ALL });
    const objs = objects(alerts);
    // THEN
    expect(alerts.componentName).toBe('platform-alerts');
    expect(alerts.stage).toBe(Stage.WORKLOADS);
    expect(objs).toHaveLength(1);
    const rule = objs[0] as Record<string, any>;
    expect(rule.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(rule.metadata).toEqual({ name: 'platform-alerts', namespace: 'monitoring', labels: { release: 'kube-prometheus-stack' } });
    expect(rule.spec.groups.map((g: { name: string }) => g.name)).toEqual(['agentic-eks.gpu', 'agentic-eks.vllm', 'agentic-eks.karpenter']);
    expect(alerts.alerts).toEqual(Object.values(AlertKind));
    expectValidK8sObjects(objs);
  });

  test('expressions and thresholds', () => {
    const alerts = new PlatformAlerts(testDefinition(), 'Alerts', { components: ALL });
    const byName = Object.fromEntries(rules(alerts).map((r) => [r.alert, r]));
    expect(byName.GpuXidErrors.expr).toBe('DCGM_FI_DEV_XID_ERRORS != 0');
    expect(byName.GpuHighTemperature.expr).toBe('DCGM_FI_DEV_GPU_TEMP > 85');
    expect(byName.GpuMemoryNearFull.expr).toBe('DCGM_FI_DEV_FB_USED / (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE) > 0.95');
    expect(byName.GpuIdle).toMatchObject({ expr: 'avg_over_time(DCGM_FI_DEV_GPU_UTIL{pod!=""}[1h]) < 5', for: '1h' });
    expect(byName.VllmQueueDepth).toMatchObject({ expr: 'sum by (model_name) (vllm:num_requests_waiting) > 10', for: '5m' });
    expect(byName.VllmKvCacheSaturation.expr).toBe('vllm:kv_cache_usage_perc > 0.95');
    expect(byName.VllmTtftSlo.expr).toBe(
      'histogram_quantile(0.95, sum by (le, model_name) (rate(vllm:time_to_first_token_seconds_bucket[5m]))) > 2',
    );
    expect(byName.KarpenterNodePoolNearLimit.expr).toBe('karpenter_nodepools_usage / karpenter_nodepools_limit >= 0.9');
    expect(byName.GpuXidErrors.labels).toEqual({ severity: 'critical', component: 'gpu' });
  });

  test('every alert uses only allow-listed metric names', () => {
    const alerts = new PlatformAlerts(testDefinition(), 'Alerts', { components: ALL });
    expect(alerts.expressions).toHaveLength(Object.values(AlertKind).length);
    for (const { expr } of alerts.expressions) {
      const names = metricNames(expr);
      expect(names.length).toBeGreaterThan(0);
      for (const n of names) expect([expr, METRIC_ALLOW_LIST.has(n)]).toEqual([expr, true]);
    }
  });

  test('props: chosen alerts, SLO, memory ratio, idle cost', () => {
    const alerts = new PlatformAlerts(testDefinition(), 'Alerts', {
      components: ALL,
      alerts: [AlertKind.VLLM_TTFT_SLO, AlertKind.GPU_MEMORY_NEAR_FULL, AlertKind.GPU_IDLE],
      ttftSloSeconds: 0.5,
      gpuMemoryFullRatio: 0.9,
      idleGpuCostPerHourUsd: 12.29,
    });
    expect(alerts.alerts).toEqual([AlertKind.GPU_MEMORY_NEAR_FULL, AlertKind.GPU_IDLE, AlertKind.VLLM_TTFT_SLO]);
    const byName = Object.fromEntries(rules(alerts).map((r) => [r.alert, r]));
    expect(byName.VllmTtftSlo.expr).toMatch(/\) > 0\.5$/);
    expect(byName.GpuMemoryNearFull.expr).toMatch(/> 0\.9$/);
    expect(byName.GpuIdle.annotations.description).toContain('At 12.29 USD per GPU-hour.');
    expectValidK8sObjects(objects(alerts));
  });

  test('default alerts follow the components; no rule when nothing applies', () => {
    const vllmOnly = new PlatformAlerts(testDefinition(), 'Alerts', { components: [PlatformComponentKind.VLLM] });
    expect(vllmOnly.alerts).toEqual([
      AlertKind.VLLM_QUEUE_DEPTH, AlertKind.VLLM_KV_CACHE_SATURATION, AlertKind.VLLM_TTFT_SLO, AlertKind.VLLM_ERROR_RATE,
    ]);
    const gatewayOnly = new PlatformAlerts(testDefinition(), 'Alerts', { components: [PlatformComponentKind.GATEWAY] });
    expect(gatewayOnly.rule).toBeUndefined();
    expect(Testing.synth(gatewayOnly)).toEqual([]);
  });

  test('errors', () => {
    expect(() => new PlatformAlerts(testDefinition(), 'A', {
      components: [PlatformComponentKind.VLLM, PlatformComponentKind.KARPENTER],
      alerts: [AlertKind.GPU_IDLE],
    })).toThrow("alert GpuIdle needs component 'gpu', which the platform does not run (it runs: vllm, karpenter)");
    expect(() => new PlatformAlerts(testDefinition(), 'A', { components: ALL, ttftSloSeconds: 0 })).toThrow(
      "'ttftSloSeconds' (0) must be greater than zero",
    );
    expect(() => new PlatformAlerts(testDefinition(), 'A', { components: ALL, ttftSloSeconds: -1 })).toThrow(
      "'ttftSloSeconds' (-1) must be greater than zero",
    );
    expect(() => new PlatformAlerts(testDefinition(), 'A', { components: ALL, gpuMemoryFullRatio: 1.5 })).toThrow(
      "'gpuMemoryFullRatio' (1.5) must be greater than zero and at most 1",
    );
    expect(() => new PlatformAlerts(testDefinition(), 'A', { components: ALL, idleGpuCostPerHourUsd: -2 })).toThrow(
      "'idleGpuCostPerHourUsd' (-2) must not be negative",
    );
  });
});
