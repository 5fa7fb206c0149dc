import { HelmChartVersion, Stage } from '../../../lib';
import { KEDA_NAMESPACE, KedaOperator, KedaOperatorOptions } from '../../../lib/serving/autoscaling/keda-operator';
import { testDefinition } from '../../util';

const CRITICAL_ADDONS_ONLY = [{ key: 'CriticalAddonsOnly', operator: 'Exists' }];

/** KEDA in a fresh definition. */
function newKeda(options: KedaOperatorOptions = {}): KedaOperator {
  const definition = testDefinition();
  return new KedaOperator(definition, 'Autoscaling', { definition, ...options });
}

describe('KedaOperator', () => {
  describe('defaults', () => {
    test('installs the keda chart into namespace keda at the controllers stage, with its CRDs', () => {
      // GIVEN / WHEN
      const { operator } = newKeda();

      // THEN
      expect([operator.componentName, operator.namespace, operator.stage]).toEqual(['keda', 'keda', Stage.CONTROLLERS]);
      expect(operator.releaseName).toBe('keda');
      expect(operator.chart).toBe(HelmChartVersion.KEDA);
      expect(operator.includesCrds).toBe(true);
      expect(operator.node.path).toBe('Keda');
      expect(KEDA_NAMESPACE).toBe('keda');
    });

    test('pins kedacore/keda 2.20.2', () => {
      // GIVEN / WHEN
      const chart = HelmChartVersion.KEDA;

      // THEN
      expect([chart.chart, chart.repository, chart.version, chart.isOci]).toEqual(['keda', 'https://kedacore.github.io/charts', '2.20.2', false]);
    });

    test('runs on system nodes and exposes operator metrics through a ServiceMonitor for kube-prometheus-stack', () => {
      // GIVEN / WHEN / THEN
      expect(newKeda().operator.values()).toEqual({
        tolerations: CRITICAL_ADDONS_ONLY,
        prometheus: {
          operator: {
            enabled: true,
            serviceMonitor: { enabled: true, additionalLabels: { release: 'kube-prometheus-stack' } },
          },
        },
      });
    });

    test('is one component of the definition', () => {
      // GIVEN
      const definition = testDefinition();

      // WHEN
      new KedaOperator(definition, 'Autoscaling', { definition });

      // THEN
      expect(definition.components.map((c) => c.componentName)).toEqual(['namespaces', 'network-policies', 'keda']);
    });
  });

  describe('props', () => {
    test('prometheusRelease labels the ServiceMonitor', () => {
      // GIVEN / WHEN
      const values = newKeda({ prometheusRelease: 'monitoring' }).operator.values();

      // THEN
      expect(values.prometheus).toEqual({
        operator: { enabled: true, serviceMonitor: { enabled: true, additionalLabels: { release: 'monitoring' } } },
      });
    });

    test('values are deep-merged after the computed ones', () => {
      // GIVEN / WHEN
      const values = newKeda({
        values: {
          operator: { replicaCount: 2 },
          prometheus: { operator: { serviceMonitor: { interval: '30s' } } },
          tolerations: [],
        },
      }).operator.values();

      // THEN
      expect(values).toEqual({
        tolerations: [],
        operator: { replicaCount: 2 },
        prometheus: {
          operator: {
            enabled: true,
            serviceMonitor: { enabled: true, additionalLabels: { release: 'kube-prometheus-stack' }, interval: '30s' },
          },
        },
      });
    });

    test('chart replaces the pinned chart', () => {
      // GIVEN
      const chart = HelmChartVersion.KEDA.withVersion('2.21.0', '2026-12-01');

      // WHEN
      const { operator } = newKeda({ chart });

      // THEN
      expect(operator.chart.version).toBe('2.21.0');
    });
  });

  describe('errors', () => {
    test('prometheusRelease must be a DNS label', () => {
      // GIVEN / WHEN / THEN
      expect(() => newKeda({ prometheusRelease: 'Kube_Prom' })).toThrow(
        `'prometheusRelease' (Kube_Prom) must be a DNS label: 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit`,
      );
    });
  });
});
