import { Aws } from 'aws-cdk-lib';
import { HelmChartVersion, Stage } from '../../../lib';
import { EfaDevicePlugin, EfaDevicePluginOptions } from '../../../lib/gpu/device-management/efa-device-plugin';
import { expectValidK8sObjects } from '../../k8s-schema';
import { testDefinition } from '../../util';
import { daemonSetWith } from './fixtures';

/** The EFA device plugin in a fresh definition. */
function newEfa(options: EfaDevicePluginOptions = {}): EfaDevicePlugin {
  const definition = testDefinition();
  return new EfaDevicePlugin(definition, 'Efa', { definition, ...options });
}

describe('EfaDevicePlugin', () => {
  describe('defaults', () => {
    test('is the aws-efa-k8s-device-plugin chart in kube-system at the controllers stage', () => {
      // GIVEN / WHEN
      const { plugin } = newEfa();

      // THEN
      expect([plugin.componentName, plugin.namespace, plugin.stage]).toEqual(['aws-efa-k8s-device-plugin', 'kube-system', Stage.CONTROLLERS]);
      expect(plugin.chart).toBe(HelmChartVersion.AWS_EFA_DEVICE_PLUGIN);
      expect(plugin.includesCrds).toBe(false);
      expect(plugin.node.path).toBe('AwsEfaDevicePlugin');
    });

    test('pins chart v0.5.30 (the version carries a v) from eks-charts', () => {
      // GIVEN / WHEN
      const chart = HelmChartVersion.AWS_EFA_DEVICE_PLUGIN;

      // THEN
      expect([chart.chart, chart.repository, chart.version]).toEqual(['aws-efa-k8s-device-plugin', 'https://aws.github.io/eks-charts', 'v0.5.30']);
    });

    test('runs on EFA nodes and tolerates the GPU taint', () => {
      // GIVEN / WHEN / THEN
      expect(newEfa().plugin.values()).toEqual({
        nodeSelector: { 'agentic-eks.io/efa': 'true' },
        tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
      });
    });
  });

  describe('props', () => {
    test('nodeSelector replaces the default selector', () => {
      // GIVEN / WHEN
      const v = newEfa({ nodeSelector: { 'example.com/fabric': 'efa' } }).plugin.values();

      // THEN
      expect(v.nodeSelector).toEqual({ 'example.com/fabric': 'efa' });
    });

    test('chart overrides the pinned chart', () => {
      // GIVEN / WHEN
      const { plugin } = newEfa({ chart: HelmChartVersion.AWS_EFA_DEVICE_PLUGIN.withVersion('v0.5.31', '2026-11-24') });

      // THEN
      expect(plugin.chart.version).toBe('v0.5.31');
    });

    test('values are deep-merged over the computed values', () => {
      // GIVEN / WHEN
      const v = newEfa({ values: { resources: { requests: { cpu: '20m' } } } }).plugin.values();

      // THEN
      expect(v).toEqual(expect.objectContaining({
        nodeSelector: { 'agentic-eks.io/efa': 'true' },
        resources: { requests: { cpu: '20m' } },
      }));
    });
  });

  describe('validation', () => {
    test('rejects an empty nodeSelector', () => {
      // GIVEN / WHEN / THEN
      expect(() => newEfa({ nodeSelector: {} })).toThrow(
        "'nodeSelector' of the EFA device plugin must not be empty: it would run on every node of the allow-listed instance types; select EFA nodes, e.g. { 'agentic-eks.io/efa': 'true' }",
      );
    });

    test('rejects a token in nodeSelector', () => {
      // GIVEN / WHEN / THEN
      expect(() => newEfa({ nodeSelector: { pool: Aws.STACK_NAME } })).toThrow(
        "'nodeSelector.pool' must be a literal string, not a token: Kubernetes manifests of the GitOps rendering cannot carry CloudFormation tokens",
      );
    });
  });

  test('value fragments that become Kubernetes objects are valid against their schemas', () => {
    // GIVEN
    const v = newEfa().plugin.values();

    // WHEN / THEN
    expectValidK8sObjects([daemonSetWith('efa', { nodeSelector: v.nodeSelector, tolerations: v.tolerations })]);
  });
});
