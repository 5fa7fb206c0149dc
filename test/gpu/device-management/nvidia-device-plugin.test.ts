import * as yaml from 'js-yaml';
import { HelmChartVersion, Stage } from '../../../lib';
import { MigStrategy } from '../../../lib/gpu/device-management/device-plugin-config';
import {
  NvidiaDevicePluginStandalone, NvidiaDevicePluginStandaloneOptions,
} from '../../../lib/gpu/device-management/nvidia-device-plugin';
import { expectValidK8sObjects } from '../../k8s-schema';
import { testDefinition } from '../../util';
import { configMapWith, daemonSetWith } from './fixtures';

const GPU_TOLERATION = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };

/** Required node affinity on agentic-eks.io/gpu-device-management In `values`. */
function affinityTo(...values: string[]): Record<string, unknown> {
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: 'agentic-eks.io/gpu-device-management', operator: 'In', values }] }],
      },
    },
  };
}

/** The standalone device plugin and DCGM exporter in a fresh definition. */
function newPlugin(options: NvidiaDevicePluginStandaloneOptions = {}): NvidiaDevicePluginStandalone {
  const definition = testDefinition();
  return new NvidiaDevicePluginStandalone(definition, 'Gpu', { definition, ...options });
}

describe('NvidiaDevicePluginStandalone', () => {
  describe('defaults', () => {
    test('installs nvidia-device-plugin and dcgm-exporter into namespace nvidia at the controllers stage', () => {
      // GIVEN / WHEN
      const { devicePlugin, dcgmExporter } = newPlugin();

      // THEN
      expect([devicePlugin.componentName, devicePlugin.namespace, devicePlugin.stage]).toEqual(['nvidia-device-plugin', 'nvidia', Stage.CONTROLLERS]);
      expect([dcgmExporter.componentName, dcgmExporter.namespace, dcgmExporter.stage]).toEqual(['dcgm-exporter', 'nvidia', Stage.CONTROLLERS]);
      expect(devicePlugin.chart).toBe(HelmChartVersion.NVIDIA_DEVICE_PLUGIN);
      expect(dcgmExporter.chart).toBe(HelmChartVersion.NVIDIA_DCGM_EXPORTER);
      expect(devicePlugin.includesCrds).toBe(true);
      expect(dcgmExporter.includesCrds).toBe(false);
      expect([devicePlugin.node.path, dcgmExporter.node.path]).toEqual(['NvidiaDevicePlugin', 'NvidiaDcgmExporter']);
    });

    test('pins the charts', () => {
      // GIVEN / WHEN
      const plugin = HelmChartVersion.NVIDIA_DEVICE_PLUGIN;
      const dcgm = HelmChartVersion.NVIDIA_DCGM_EXPORTER;

      // THEN
      expect([plugin.chart, plugin.repository, plugin.version]).toEqual(['nvidia-device-plugin', 'https://nvidia.github.io/k8s-device-plugin', '0.20.0']);
      expect([dcgm.chart, dcgm.repository, dcgm.version]).toEqual(['dcgm-exporter', 'https://nvidia.github.io/dcgm-exporter/helm-charts', '4.8.2']);
    });

    test('the device plugin runs with GFD on device-plugin nodes only', () => {
      // GIVEN / WHEN / THEN
      expect(newPlugin().devicePlugin.values()).toEqual({
        migStrategy: 'mixed',
        config: { map: { default: 'version: v1\nflags:\n  migStrategy: mixed\n' }, default: 'default' },
        gfd: { enabled: true },
        affinity: affinityTo('device-plugin'),
        tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, GPU_TOLERATION],
        nfd: { worker: { tolerations: [GPU_TOLERATION] } },
      });
    });

    test('the DCGM exporter runs on every GPU node with an honorLabels ServiceMonitor', () => {
      // GIVEN / WHEN / THEN
      expect(newPlugin().dcgmExporter.values()).toEqual({
        serviceMonitor: { enabled: true, honorLabels: true, additionalLabels: { release: 'kube-prometheus-stack' } },
        affinity: affinityTo('device-plugin', 'dra', 'bottlerocket'),
        tolerations: [GPU_TOLERATION],
      });
    });

    test('migStrategy defaults to mixed', () => {
      // GIVEN / WHEN / THEN
      expect(newPlugin().migStrategy).toBe(MigStrategy.MIXED);
    });
  });

  describe('props', () => {
    test('namespace moves both charts', () => {
      // GIVEN / WHEN
      const { devicePlugin, dcgmExporter } = newPlugin({ namespace: 'gpu' });

      // THEN
      expect([devicePlugin.namespace, dcgmExporter.namespace]).toEqual(['gpu', 'gpu']);
    });

    test('timeSlicing adds named configurations to config.map', () => {
      // GIVEN / WHEN
      const v = newPlugin({ timeSlicing: { 'shared-4': 4 } }).devicePlugin.values() as Record<string, any>;

      // THEN
      expect(Object.keys(v.config.map)).toEqual(['default', 'shared-4']);
      expect(yaml.load(v.config.map['shared-4'])).toEqual({
        version: 'v1',
        flags: { migStrategy: 'mixed' },
        sharing: { timeSlicing: { resources: [{ name: 'nvidia.com/gpu', replicas: 4 }] } },
      });
    });

    test('migStrategy sets the chart value and the configs', () => {
      // GIVEN / WHEN
      const v = newPlugin({ migStrategy: MigStrategy.NONE }).devicePlugin.values() as Record<string, any>;

      // THEN
      expect(v.migStrategy).toBe('none');
      expect(yaml.load(v.config.map.default)).toEqual({ version: 'v1', flags: { migStrategy: 'none' } });
    });

    test('prometheusRelease sets the ServiceMonitor release label', () => {
      // GIVEN / WHEN
      const v = newPlugin({ prometheusRelease: 'prom' }).dcgmExporter.values() as Record<string, any>;

      // THEN
      expect(v.serviceMonitor.additionalLabels).toEqual({ release: 'prom' });
    });

    test('chart and dcgmExporterChart override the pinned charts', () => {
      // GIVEN
      const chart = HelmChartVersion.NVIDIA_DEVICE_PLUGIN.withVersion('0.20.1', '2026-11-24');
      const dcgmExporterChart = HelmChartVersion.NVIDIA_DCGM_EXPORTER.withVersion('4.8.3', '2026-11-24');

      // WHEN
      const plugin = newPlugin({ chart, dcgmExporterChart });

      // THEN
      expect(plugin.devicePlugin.chart.version).toBe('0.20.1');
      expect(plugin.dcgmExporter.chart.version).toBe('4.8.3');
    });

    test('values and dcgmExporterValues are deep-merged over the computed values', () => {
      // GIVEN / WHEN
      const plugin = newPlugin({
        values: { gfd: { enabled: false } },
        dcgmExporterValues: { serviceMonitor: { interval: '30s' } },
      });

      // THEN
      expect(plugin.devicePlugin.values()).toEqual(expect.objectContaining({ gfd: { enabled: false } }));
      expect((plugin.dcgmExporter.values() as Record<string, any>).serviceMonitor).toEqual({
        enabled: true, honorLabels: true, additionalLabels: { release: 'kube-prometheus-stack' }, interval: '30s',
      });
    });
  });

  describe('validation', () => {
    test('rejects a time-slicing config with 0 replicas', () => {
      // GIVEN / WHEN / THEN
      expect(() => newPlugin({ timeSlicing: { shared: 0 } })).toThrow("'timeSlicing.shared' (0) must be at least 1 replica");
    });

    test('rejects an invalid namespace', () => {
      // GIVEN / WHEN / THEN
      expect(() => newPlugin({ namespace: 'Nvidia' })).toThrow(
        "'namespace' (Nvidia) must be a DNS label: 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit",
      );
    });

    test('rejects an invalid prometheusRelease', () => {
      // GIVEN / WHEN / THEN
      expect(() => newPlugin({ prometheusRelease: '' })).toThrow(
        "'prometheusRelease' () must be a DNS label: 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit",
      );
    });
  });

  test('value fragments that become Kubernetes objects are valid against their schemas', () => {
    // GIVEN
    const plugin = newPlugin({ timeSlicing: { 'shared-4': 4 } });
    const dp = plugin.devicePlugin.values() as Record<string, any>;
    const dcgm = plugin.dcgmExporter.values() as Record<string, any>;

    // WHEN
    const objs = [
      configMapWith('nvidia-device-plugin-configs', dp.config.map),
      daemonSetWith('device-plugin', { affinity: dp.affinity, tolerations: dp.tolerations }),
      daemonSetWith('nfd-worker', { tolerations: dp.nfd.worker.tolerations }),
      daemonSetWith('dcgm-exporter', { affinity: dcgm.affinity, tolerations: dcgm.tolerations }),
    ];

    // THEN
    expectValidK8sObjects(objs);
  });
});
