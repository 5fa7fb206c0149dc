import { GrafanaDashboards, PlatformComponentKind } from '../../../lib/observability/metrics';
import { expectValidK8sObjects } from '../../k8s-schema';
import { objects, testDefinition } from '../../util';
import { METRIC_ALLOW_LIST, metricNames } from './promql';

describe('GrafanaDashboards', () => {
  test('defaults: three labelled ConfigMaps in monitoring, valid objects', () => {
    // GIVEN / WHEN
    const d = new GrafanaDashboards(testDefinition(), 'Dashboards');
    const objs = objects(d) as Record<string, any>[];
    // THEN
    expect(objs.map((o) => o.metadata.name)).toEqual(['agentic-eks-gpu-fleet', 'agentic-eks-model-serving', 'agentic-eks-tokens']);
    for (const o of objs) {
      expect(o.kind).toBe('ConfigMap');
      expect(o.metadata.namespace).toBe('monitoring');
      expect(o.metadata.labels).toEqual({ grafana_dashboard: '1' });
      expect(Object.keys(o.data)).toEqual([`${o.metadata.name}.json`]);
    }
    expectValidK8sObjects(objs);
  });

  test('dashboard JSON is a valid Grafana model and every panel uses allow-listed metrics', () => {
    const d = new GrafanaDashboards(testDefinition(), 'Dashboards', { gpuPricePerHourUsd: 4.1 });
    for (const cm of objects(d) as Record<string, any>[]) {
      const json = Object.values(cm.data as Record<string, string>)[0];
      const model = JSON.parse(json);
      expect(model).toMatchObject({ uid: cm.metadata.name, schemaVersion: 39, time: { from: 'now-6h', to: 'now' } });
      expect(model.templating.list).toEqual([expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' })]);
      const ids = new Set<number>();
      for (const p of model.panels) {
        expect(['timeseries', 'stat']).toContain(p.type);
        expect(p.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
        expect(p.gridPos).toEqual({ h: 8, w: 12, x: expect.any(Number), y: expect.any(Number) });
        ids.add(p.id);
        expect(p.targets).toHaveLength(1);
        const names = metricNames(p.targets[0].expr);
        expect(names.length).toBeGreaterThan(0);
        for (const n of names) expect([p.title, n, METRIC_ALLOW_LIST.has(n)]).toEqual([p.title, n, true]);
      }
      expect(ids.size).toBe(model.panels.length);
    }
  });

  test('panels list PromQL for the README; idle cost uses the price', () => {
    const d = new GrafanaDashboards(testDefinition(), 'Dashboards', { gpuPricePerHourUsd: 4.1 });
    const gpu = d.dashboards.find((x) => x.uid === 'agentic-eks-gpu-fleet')!;
    expect(gpu.panels.map((p) => p.title)).toEqual([
      'GPU utilisation', 'GPU memory used', 'GPU power', 'GPU temperature', 'Idle GPU cost (USD/h)',
    ]);
    expect(gpu.panels[4].expr).toBe('count(avg_over_time(DCGM_FI_DEV_GPU_UTIL{pod!=""}[1h]) < 5) * 4.1');
    const serving = d.dashboards.find((x) => x.uid === 'agentic-eks-model-serving')!;
    expect(serving.panels.find((p) => p.title === 'Prefix cache hit rate')!.expr).toBe(
      'sum by (model_name) (rate(vllm:prefix_cache_hits_total[5m])) / sum by (model_name) (rate(vllm:prefix_cache_queries_total[5m]))',
    );
    const noPrice = new GrafanaDashboards(testDefinition(), 'D2');
    expect(noPrice.dashboards[0].panels[4]).toEqual({ title: 'Idle allocated GPUs', expr: 'count(avg_over_time(DCGM_FI_DEV_GPU_UTIL{pod!=""}[1h]) < 5)' });
  });

  test('components select dashboards', () => {
    const d = new GrafanaDashboards(testDefinition(), 'Dashboards', { components: [PlatformComponentKind.GPU] });
    expect(d.dashboards.map((x) => x.uid)).toEqual(['agentic-eks-gpu-fleet']);
  });

  test('metricNames ignores functions, labels, ranges and grouping', () => {
    expect(metricNames('histogram_quantile(0.95, sum by (le, model_name) (rate(vllm:x_bucket{a="b"}[5m]))) > 2')).toEqual(['vllm:x_bucket']);
  });

  test('errors', () => {
    expect(() => new GrafanaDashboards(testDefinition(), 'D', { gpuPricePerHourUsd: 0 })).toThrow(
      "'gpuPricePerHourUsd' (0) must be greater than zero",
    );
  });
});
