import { HelmChartVersion, Stage } from '../../lib';
import { GatewayController, GatewayImplementation } from '../../lib/gateway';
import { testDefinition } from '../util';

/** A controller of `implementation` in a fresh definition. */
function controllerOf(implementation: GatewayImplementation, values?: Record<string, unknown>): GatewayController {
  const definition = testDefinition();
  return new GatewayController(definition, 'GatewayController', { definition, implementation, values });
}

describe('GatewayController', () => {
  describe('agentgateway', () => {
    test('installs the CRD chart, then the controller with the Inference Extension on system nodes', () => {
      // GIVEN / WHEN
      const c = controllerOf(GatewayImplementation.AGENTGATEWAY);

      // THEN
      expect(c.crds.chart).toBe(HelmChartVersion.AGENTGATEWAY_CRDS);
      expect(c.crds.componentName).toBe('agentgateway-crds');
      expect(c.crds.namespace).toBe('agentgateway-system');
      expect(c.crds.stage).toBe(Stage.CRDS);
      expect(c.crds.includesCrds).toBe(true);
      expect(c.crds.dependencies.map((d) => d.componentName)).toEqual(['gateway-api-crds']);
      expect(c.controller.chart).toBe(HelmChartVersion.AGENTGATEWAY);
      expect(c.controller.componentName).toBe('agentgateway');
      expect(c.controller.namespace).toBe('agentgateway-system');
      expect(c.controller.stage).toBe(Stage.CONTROLLERS);
      expect(c.controller.includesCrds).toBe(false);
      expect(c.controller.values()).toEqual({
        tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
        inferenceExtension: { enabled: true },
      });
      expect(c.controller.dependencies.map((d) => d.componentName).sort())
        .toEqual(['agentgateway-crds', 'gateway-api-crds', 'inference-extension-crds']);
    });

    test('exposes GatewayClass agentgateway with InferencePool support', () => {
      // GIVEN / WHEN
      const c = controllerOf(GatewayImplementation.AGENTGATEWAY);

      // THEN
      expect(c.implementation).toBe(GatewayImplementation.AGENTGATEWAY);
      expect(c.gatewayClassName).toBe('agentgateway');
      expect(c.supportsInferencePools).toBe(true);
      expect(c.namespace).toBe('agentgateway-system');
      expect(c.gatewayApiCrds.componentName).toBe('gateway-api-crds');
    });

    test('pins v1.4.1 from oci://cr.agentgateway.dev/charts', () => {
      // GIVEN / WHEN / THEN
      for (const chart of [HelmChartVersion.AGENTGATEWAY_CRDS, HelmChartVersion.AGENTGATEWAY]) {
        expect(chart.repository).toBe('oci://cr.agentgateway.dev/charts');
        expect(chart.version).toBe('v1.4.1');
      }
      expect(HelmChartVersion.AGENTGATEWAY_CRDS.chart).toBe('agentgateway-crds');
      expect(HelmChartVersion.AGENTGATEWAY.chart).toBe('agentgateway');
    });
  });

  describe('kgateway', () => {
    test('installs kgateway-crds and kgateway in kgateway-system, without the Inference Extension', () => {
      // GIVEN / WHEN
      const c = controllerOf(GatewayImplementation.KGATEWAY);

      // THEN
      expect(c.crds.chart).toBe(HelmChartVersion.KGATEWAY_CRDS);
      expect(c.crds.componentName).toBe('kgateway-crds');
      expect(c.crds.namespace).toBe('kgateway-system');
      expect(c.crds.stage).toBe(Stage.CRDS);
      expect(c.controller.chart).toBe(HelmChartVersion.KGATEWAY);
      expect(c.controller.componentName).toBe('kgateway');
      expect(c.controller.namespace).toBe('kgateway-system');
      expect(c.controller.stage).toBe(Stage.CONTROLLERS);
      expect(c.controller.values()).toEqual({ tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }] });
      expect(c.controller.dependencies.map((d) => d.componentName).sort()).toEqual(['gateway-api-crds', 'kgateway-crds']);
      expect(c.gatewayClassName).toBe('kgateway');
      expect(c.supportsInferencePools).toBe(false);
    });

    test('pins v2.4.3 from oci://cr.kgateway.dev/kgateway-dev/charts', () => {
      // GIVEN / WHEN / THEN
      for (const chart of [HelmChartVersion.KGATEWAY_CRDS, HelmChartVersion.KGATEWAY]) {
        expect(chart.repository).toBe('oci://cr.kgateway.dev/kgateway-dev/charts');
        expect(chart.version).toBe('v2.4.3');
      }
    });
  });

  test('values are deep-merged after the computed ones', () => {
    // GIVEN / WHEN
    const c = controllerOf(GatewayImplementation.AGENTGATEWAY, { inferenceExtension: { enabled: false }, controller: { replicaCount: 2 } });

    // THEN
    expect(c.controller.values()).toEqual({
      tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
      inferenceExtension: { enabled: false },
      controller: { replicaCount: 2 },
    });
  });

  test('the platform orders the components CRDs, then controller', () => {
    // GIVEN
    const definition = testDefinition();
    new GatewayController(definition, 'GatewayController', { definition, implementation: GatewayImplementation.AGENTGATEWAY });

    // WHEN
    const names = definition.components.map((c) => c.componentName);

    // THEN
    expect(names.indexOf('gateway-api-crds')).toBeLessThan(names.indexOf('agentgateway-crds'));
    expect(names.indexOf('agentgateway-crds')).toBeLessThan(names.indexOf('agentgateway'));
  });
});
