import * as yaml from 'js-yaml';
import { HelmChartVersion, Stage } from '../../../lib';
import { MigStrategy } from '../../../lib/gpu/device-management/device-plugin-config';
import { DeviceManagement } from '../../../lib/gpu/device-management/labels';
import {
  DEFAULT_PROMETHEUS_RELEASE, GPU_OPERATOR_DEVICE_PLUGIN_CONFIG_MAP, GPU_OPERATOR_NAMESPACE, gpuOperatorNodeLabels,
  NvidiaGpuOperator, NvidiaGpuOperatorOptions,
} from '../../../lib/gpu/device-management/nvidia-gpu-operator';
import { expectValidK8sObjects } from '../../k8s-schema';
import { testDefinition } from '../../util';
import { configMapWith, daemonSetWith } from './fixtures';

const GPU_TOLERATION = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };

/** A GPU Operator in a fresh definition. */
function newOperator(options: NvidiaGpuOperatorOptions = {}): NvidiaGpuOperator {
  const definition = testDefinition();
  return new NvidiaGpuOperator(definition, 'Gpu', { definition, ...options });
}

/** The computed chart values. */
function values(options: NvidiaGpuOperatorOptions = {}): Record<string, any> {
  return newOperator(options).operator.values() as Record<string, any>;
}

describe('NvidiaGpuOperator', () => {
  describe('defaults', () => {
    test('is the gpu-operator chart in namespace gpu-operator at the controllers stage', () => {
      // GIVEN / WHEN
      const { operator } = newOperator();

      // THEN
      expect(operator.componentName).toBe('gpu-operator');
      expect(operator.namespace).toBe(GPU_OPERATOR_NAMESPACE);
      expect(GPU_OPERATOR_NAMESPACE).toBe('gpu-operator');
      expect(operator.stage).toBe(Stage.CONTROLLERS);
      expect(operator.chart).toBe(HelmChartVersion.NVIDIA_GPU_OPERATOR);
      expect(operator.includesCrds).toBe(false);
      expect(operator.node.path).toBe('NvidiaGpuOperator');
    });

    test('its CRDs, without the ComputeDomain CRDs of the DRA driver, come from gpu-operator-crds (files shipped with the package)', () => {
      // GIVEN / WHEN
      const { crds, operator } = newOperator();

      // THEN
      expect(crds.componentName).toBe('gpu-operator-crds');
      expect(crds.stage).toBe(Stage.CRDS);
      expect(crds.files.map((f) => f.split(/[\\/]/).slice(-2).join('/'))).toEqual([
        'gpu-operator-v26.7.0/nvidia.com_clusterpolicies.yaml',
        'gpu-operator-v26.7.0/nvidia.com_nvidiadrivers.yaml',
        'gpu-operator-v26.7.0/nvidia.com_gpuclusters.yaml',
        'gpu-operator-v26.7.0/nfd-api-crds.yaml',
      ]);
      expect(crds.crdNames).toEqual([
        'clusterpolicies.nvidia.com', 'nvidiadrivers.nvidia.com', 'gpuclusters.nvidia.com',
        'nodefeatures.nfd.k8s-sigs.io', 'nodefeaturegroups.nfd.k8s-sigs.io', 'nodefeaturerules.nfd.k8s-sigs.io',
      ]);
      expect(crds.crdNames.some((n) => n.includes('computedomain'))).toBe(false);
      expect(operator.dependencies).toContain(crds);
      expectValidK8sObjects(crds.toJson());
    });

    test('the chart\'s pre-upgrade CRD hook is off (it would be a second owner)', () => {
      // GIVEN / WHEN / THEN
      expect(values().operator).toEqual({ upgradeCRD: false });
    });

    test('pins gpu-operator v26.7.0 from NGC', () => {
      // GIVEN / WHEN
      const chart = HelmChartVersion.NVIDIA_GPU_OPERATOR;

      // THEN
      expect([chart.chart, chart.repository, chart.version]).toEqual(['gpu-operator', 'https://helm.ngc.nvidia.com/nvidia', 'v26.7.0']);
    });

    test('computes the values for EKS NVIDIA AMIs', () => {
      // GIVEN / WHEN / THEN
      expect(values()).toEqual({
        operator: { upgradeCRD: false },
        driver: { enabled: false },
        toolkit: { enabled: false },
        mig: { strategy: 'mixed' },
        migManager: { enabled: true },
        gfd: { enabled: true },
        devicePlugin: {
          enabled: true,
          config: {
            create: true,
            name: 'device-plugin-config',
            default: 'default',
            data: { default: 'version: v1\nflags:\n  migStrategy: mixed\n' },
          },
        },
        dcgmExporter: {
          enabled: true,
          serviceMonitor: { enabled: true, honorLabels: true, additionalLabels: { release: 'kube-prometheus-stack' } },
        },
        daemonsets: { tolerations: [GPU_TOLERATION] },
        'node-feature-discovery': { worker: { tolerations: [GPU_TOLERATION] } },
      });
    });

    test('migStrategy defaults to mixed', () => {
      // GIVEN / WHEN / THEN
      expect(newOperator().migStrategy).toBe(MigStrategy.MIXED);
    });

    test('the ServiceMonitor release defaults to kube-prometheus-stack', () => {
      // GIVEN / WHEN / THEN
      expect(DEFAULT_PROMETHEUS_RELEASE).toBe('kube-prometheus-stack');
      expect(GPU_OPERATOR_DEVICE_PLUGIN_CONFIG_MAP).toBe('device-plugin-config');
    });
  });

  describe('props', () => {
    test('migStrategy sets mig.strategy and every device plugin config', () => {
      // GIVEN / WHEN
      const v = values({ migStrategy: MigStrategy.SINGLE, timeSlicing: { 'shared-4': 4 } });

      // THEN
      expect(v.mig).toEqual({ strategy: 'single' });
      for (const text of Object.values(v.devicePlugin.config.data as Record<string, string>)) {
        expect(yaml.load(text)).toEqual(expect.objectContaining({ flags: { migStrategy: 'single' } }));
      }
    });

    test('timeSlicing adds named configurations next to default', () => {
      // GIVEN / WHEN
      const v = values({ timeSlicing: { 'shared-4': 4, 'shared-8': 8 } });

      // THEN
      expect(Object.keys(v.devicePlugin.config.data)).toEqual(['default', 'shared-4', 'shared-8']);
      expect(v.devicePlugin.config.default).toBe('default');
      expect(yaml.load(v.devicePlugin.config.data['shared-8'])).toEqual({
        version: 'v1',
        flags: { migStrategy: 'mixed' },
        sharing: { timeSlicing: { resources: [{ name: 'nvidia.com/gpu', replicas: 8 }] } },
      });
    });

    test('prometheusRelease sets the ServiceMonitor release label', () => {
      // GIVEN / WHEN
      const v = values({ prometheusRelease: 'monitoring' });

      // THEN
      expect(v.dcgmExporter.serviceMonitor).toEqual({ enabled: true, honorLabels: true, additionalLabels: { release: 'monitoring' } });
    });

    test('chart overrides the pinned chart', () => {
      // GIVEN
      const chart = HelmChartVersion.NVIDIA_GPU_OPERATOR.withVersion('v26.7.1', '2026-11-24');

      // WHEN
      const { operator, crds } = newOperator({ chart });

      // THEN the chart moves; the CRDs stay those shipped with the package
      expect(operator.chart.version).toBe('v26.7.1');
      expect(crds.description).toBe('NVIDIA GPU Operator CRDs (ClusterPolicy, NVIDIADriver, GPUCluster, NFD) of gpu-operator v26.7.0');
    });

    test('values are deep-merged over the computed values', () => {
      // GIVEN / WHEN
      const v = values({ values: { dcgmExporter: { serviceMonitor: { interval: '30s' } }, nfd: { enabled: false } } });

      // THEN
      expect(v.dcgmExporter.serviceMonitor).toEqual({
        enabled: true, honorLabels: true, additionalLabels: { release: 'kube-prometheus-stack' }, interval: '30s',
      });
      expect(v.nfd).toEqual({ enabled: false });
      expect(v.driver).toEqual({ enabled: false });
    });
  });

  describe('gpuOperatorNodeLabels', () => {
    test.each([
      [DeviceManagement.DEVICE_PLUGIN, {}],
      [DeviceManagement.DRA, { 'nvidia.com/gpu.deploy.device-plugin': 'false' }],
      [DeviceManagement.BOTTLEROCKET_BUILTIN, { 'nvidia.com/gpu.deploy.device-plugin': 'false', 'nvidia.com/gpu.deploy.mig-manager': 'false' }],
    ])('%p nodes get %p', (mode, labels) => {
      // GIVEN / WHEN / THEN
      expect(gpuOperatorNodeLabels(mode)).toEqual(labels);
    });
  });

  describe('validation', () => {
    test('rejects a time-slicing config with 0 replicas', () => {
      // GIVEN / WHEN / THEN
      expect(() => newOperator({ timeSlicing: { shared: 0 } })).toThrow("'timeSlicing.shared' (0) must be at least 1 replica");
    });

    test('rejects a time-slicing config named default', () => {
      // GIVEN / WHEN / THEN
      expect(() => newOperator({ timeSlicing: { default: 2 } })).toThrow(
        "'timeSlicing.default' is reserved for the configuration without sharing; choose another name, e.g. 'shared-4'",
      );
    });

    test('rejects an invalid prometheusRelease', () => {
      // GIVEN / WHEN / THEN
      expect(() => newOperator({ prometheusRelease: 'Kube_Prom' })).toThrow(
        "'prometheusRelease' (Kube_Prom) must be a DNS label: 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit",
      );
    });
  });

  test('value fragments that become Kubernetes objects are valid against their schemas', () => {
    // GIVEN
    const v = values({ timeSlicing: { 'shared-4': 4 } });

    // WHEN
    const objs = [
      configMapWith(v.devicePlugin.config.name, v.devicePlugin.config.data),
      daemonSetWith('operand', { tolerations: v.daemonsets.tolerations }),
      daemonSetWith('nfd-worker', { tolerations: v['node-feature-discovery'].worker.tolerations }),
    ];

    // THEN
    expectValidK8sObjects(objs);
  });
});
