/**
 * The Milvus operator: values computed from typed props, and the pinned chart (vendored in ../shared/charts) rendered
 * with them by the helm of the kubectl layer: no helm error, every object valid, no unknown values key.
 */
import { ContainerImage, MilvusOperator } from '../../lib';
import { chartDefaults, unknownValueKeys } from '../charts/chart-values';
import { CHARTS_AVAILABLE, chartFolder, renderHelmComponent } from '../charts/helm';
import { expectValidK8sObjects } from '../k8s-schema';
import { testDefinition } from '../util';

describe('MilvusOperator', () => {
  test('defaults: pinned chart and image, CRDs owned, webhook and bundled cert-manager off, operator ServiceMonitor, system nodes', () => {
    // GIVEN
    const definition = testDefinition();

    // WHEN
    const op = new MilvusOperator(definition, 'Op', { definition });

    // THEN
    expect(op.namespace).toBe('milvus-operator');
    expect(op.chart.componentName).toBe('milvus-operator');
    expect(op.chart.releaseName).toBe('milvus-operator');
    expect(op.chart.chart.chart).toBe('milvus-operator');
    expect(op.chart.chart.version).toBe('1.3.8');
    expect(op.chart.chart.repository).toBe('https://zilliztech.github.io/milvus-operator');
    expect(op.chart.stage).toBe('controllers');
    expect(op.chart.values()).toEqual({
      image: { repository: 'milvusdb/milvus-operator', tag: 'v1.3.8' },
      installCRDs: true,
      enableWebhook: false,
      'cert-manager': { enabled: false },
      monitoringEnabled: true,
      tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
    });
  });

  test('namespace, image, monitoring off and raw values', () => {
    // GIVEN
    const definition = testDefinition();
    const image = ContainerImage.of({ repository: 'registry.example.com/milvus-operator', tag: 'v1.3.8', source: 'mirror', checked: '2026-12-02' });

    // WHEN
    const op = new MilvusOperator(definition, 'Op', { definition, namespace: 'vector-ops', image, monitoring: false, values: { replicaCount: 2 } });

    // THEN
    expect(op.chart.namespace).toBe('vector-ops');
    expect(op.chart.values()).toEqual(expect.objectContaining({
      image: { repository: 'registry.example.com/milvus-operator', tag: 'v1.3.8' }, monitoringEnabled: false, replicaCount: 2,
    }));
  });

  test('a namespace that is not a DNS label', () => {
    const definition = testDefinition();
    expect(() => new MilvusOperator(definition, 'Op', { definition, namespace: 'Milvus' })).toThrow(
      "'namespace' (Milvus) must be a DNS label: 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit");
  });

  (CHARTS_AVAILABLE ? describe : describe.skip)('milvus-operator 1.3.8 renders with the library values', () => {
    const definition = testDefinition();
    const op = new MilvusOperator(definition, 'Op', { definition });

    test('0 helm errors, every object valid, the three milvus.io CRDs, the pinned image, no cert-manager', () => {
      const objs = renderHelmComponent(op.chart, '1.36');
      const crds = objs.filter((o) => o.kind === 'CustomResourceDefinition');
      expect(crds.map((c) => (c.metadata as { name: string }).name).sort()).toEqual([
        'milvusclusters.milvus.io', 'milvuses.milvus.io', 'milvusupgrades.milvus.io',
      ]);
      expectValidK8sObjects(objs, crds);
      const deployments = objs.filter((o) => o.kind === 'Deployment') as Array<Record<string, any>>;
      expect(deployments.map((d) => d.metadata.name)).toEqual(['milvus-operator']);
      expect(deployments[0].spec.template.spec.containers[0].image).toBe('milvusdb/milvus-operator:v1.3.8');
      expect(deployments[0].spec.template.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'milvus-operator', 'app.kubernetes.io/instance': 'milvus-operator' });
      expect(objs.some((o) => (o.kind as string).includes('Webhook') || String(o.apiVersion).startsWith('cert-manager'))).toBe(false);
      expect(objs.find((o) => o.kind === 'ServiceMonitor')).toBeDefined();
      const svc = objs.find((o) => o.kind === 'Service') as Record<string, any>;
      expect(svc.metadata.name).toBe('milvus-operator-metrics-service');
    });

    test('no unknown values keys', () => {
      const dir = chartFolder(op.chart.chart.chart, op.chart.chart.version)!;
      expect(unknownValueKeys(op.chart.values() as Record<string, unknown>, chartDefaults(dir), [])).toEqual([]);
    });
  });
});
