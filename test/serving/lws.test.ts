import { HelmChartVersion, Stage } from '../../lib';
import { LWS_NAMESPACE, LwsController, LwsControllerOptions } from '../../lib/serving/lws';
import { testDefinition } from '../util';

/** The LeaderWorkerSet controller in a fresh definition. */
function newLws(options: LwsControllerOptions = {}): LwsController {
  const definition = testDefinition();
  return new LwsController(definition, 'MultiNode', { definition, ...options });
}

describe('LwsController', () => {
  describe('defaults', () => {
    test('installs the lws chart into namespace lws-system at the controllers stage, with its CRDs', () => {
      // GIVEN / WHEN
      const { controller } = newLws();

      // THEN
      expect([controller.componentName, controller.namespace, controller.stage]).toEqual(['lws', 'lws-system', Stage.CONTROLLERS]);
      expect(controller.releaseName).toBe('lws');
      expect(controller.chart).toBe(HelmChartVersion.LWS);
      expect(controller.includesCrds).toBe(true);
      expect(controller.node.path).toBe('Lws');
      expect(LWS_NAMESPACE).toBe('lws-system');
    });

    test('pins lws 0.10.0 from registry.k8s.io', () => {
      // GIVEN / WHEN
      const chart = HelmChartVersion.LWS;

      // THEN
      expect([chart.chart, chart.repository, chart.version, chart.isOci]).toEqual(['lws', 'oci://registry.k8s.io/lws/charts', '0.10.0', true]);
    });

    test('the controller runs on system nodes', () => {
      // GIVEN / WHEN / THEN
      expect(newLws().controller.values()).toEqual({ tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }] });
    });
  });

  describe('props', () => {
    test('values are deep-merged after the computed ones', () => {
      // GIVEN / WHEN
      const values = newLws({ values: { enablePrometheus: true, resources: { requests: { cpu: '500m' } } } }).controller.values();

      // THEN
      expect(values).toEqual({
        tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
        enablePrometheus: true,
        resources: { requests: { cpu: '500m' } },
      });
    });

    test('chart replaces the pinned chart', () => {
      // GIVEN
      const chart = HelmChartVersion.LWS.withVersion('0.11.0', '2026-12-01');

      // WHEN
      const { controller } = newLws({ chart });

      // THEN
      expect([controller.chart.repository, controller.chart.version]).toEqual(['oci://registry.k8s.io/lws/charts', '0.11.0']);
    });
  });
});
