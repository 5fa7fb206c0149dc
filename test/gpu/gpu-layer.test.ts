import {
  DeviceManagement, DevicePluginProvider, GpuAmiFamily, GpuModel, GpuNodePool, GpuNodePoolOptions, MigLayout, MigStrategy, PlatformStack,
  PlatformStackProps,
} from '../../lib';
import { expectValidK8sObjects } from '../k8s-schema';
import { allGitOpsObjects, find, objects, testPlatform } from '../util';
import { daemonSetWith } from './device-management/fixtures';

/** Component names of every GPU chart or component the layer can install. */
const GPU_COMPONENTS = ['gpu-operator-crds', 'gpu-operator', 'nvidia-device-plugin', 'dcgm-exporter', 'aws-efa-k8s-device-plugin', 'dra-driver-nvidia-gpu', 'gpu-claims'];

const DEVICE_PLUGIN_POOL: GpuNodePoolOptions = { gpus: [GpuModel.L40S], limits: { gpus: 16 } };
const EFA_POOL: GpuNodePoolOptions = { instanceTypes: ['p5.48xlarge'], limits: { gpus: 16 }, efa: true };
const DRA_POOL: GpuNodePoolOptions = { instanceTypes: ['p5.48xlarge'], limits: { gpus: 16 }, deviceManagement: DeviceManagement.DRA, replicas: 2 };
const BOTTLEROCKET_POOL: GpuNodePoolOptions = { gpus: [GpuModel.L4], limits: { gpus: 8 }, amiFamily: GpuAmiFamily.BOTTLEROCKET };

/** The names of the platform's components, in apply order. */
function componentNames(platform: PlatformStack): string[] {
  return platform.definition.components.map((c) => c.componentName);
}

/** How many components of the platform are called `name`. */
function countComponent(platform: PlatformStack, name: string): number {
  return componentNames(platform).filter((n) => n === name).length;
}

// ---------------------------------------------------------------------------------------------------------------
// A small model of Kubernetes node selection: nodeSelector (every label equal) AND required node affinity (terms
// ORed, expressions ANDed). Semantics from the Kubernetes API reference (NodeSelectorRequirement): NotIn and
// DoesNotExist match a node without the label; an empty term matches no node.
// ---------------------------------------------------------------------------------------------------------------

type Labels = Record<string, string>;
interface Expression { key: string; operator: string; values?: string[] }
interface Scheduling { nodeSelector?: Labels; affinity?: any }

/** Whether a node with `labels` satisfies one node-selector requirement. */
function matchesExpression(labels: Labels, e: Expression): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, e.key);
  switch (e.operator) {
    case 'In': return has && (e.values ?? []).includes(labels[e.key]);
    case 'NotIn': return !has || !(e.values ?? []).includes(labels[e.key]);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    default: throw new Error(`operator ${e.operator} is not supported by this matcher`);
  }
}

/** Whether a pod with `scheduling` may run on a node with `labels`. */
function schedulesOn(labels: Labels, scheduling: Scheduling): boolean {
  const selectorOk = Object.entries(scheduling.nodeSelector ?? {}).every(([k, v]) => labels[k] === v);
  const required = scheduling.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required === undefined) return selectorOk;
  const terms: Array<{ matchExpressions?: Expression[]; matchFields?: unknown[] }> = required.nodeSelectorTerms ?? [];
  const affinityOk = terms.some((term) => {
    if (term.matchFields !== undefined) throw new Error('matchFields is not supported by this matcher');
    const expressions = term.matchExpressions ?? [];
    return expressions.length > 0 && expressions.every((e) => matchesExpression(labels, e));
  });
  return selectorOk && affinityOk;
}

/** The labels Karpenter puts on the nodes of `pool`, as rendered in its NodePool. */
function nodeLabels(platform: PlatformStack, pool: GpuNodePool): Labels {
  return find(objects(platform.karpenter.nodePools), 'NodePool', pool.name).spec.template.metadata.labels;
}

/**
 * The GPU Operator's view of a node: it adds every missing `nvidia.com/gpu.deploy.<operand>` label as `true` and keeps
 * values already present (NVIDIA/gpu-operator controllers/state_manager.go, addGPUStateLabels).
 */
function withGpuOperatorDefaults(labels: Labels): Labels {
  const operands = ['driver', 'container-toolkit', 'device-plugin', 'gpu-feature-discovery', 'dcgm-exporter', 'mig-manager', 'operator-validator'];
  const out = { ...labels };
  for (const operand of operands) out[`nvidia.com/gpu.deploy.${operand}`] ??= 'true';
  return out;
}

/** Where the GPU Operator runs an operand's DaemonSet (its nodeSelector in the operator's assets). */
function gpuOperatorOperand(operand: string): Scheduling {
  return { nodeSelector: { [`nvidia.com/gpu.deploy.${operand}`]: 'true' } };
}

describe('node-selection matcher (test helper)', () => {
  const term = (...matchExpressions: Expression[]) => ({
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions }] } } },
  });

  test('In needs the label with one of the values', () => {
    // GIVEN / WHEN / THEN
    expect(schedulesOn({ a: 'x' }, term({ key: 'a', operator: 'In', values: ['x', 'y'] }))).toBe(true);
    expect(schedulesOn({ a: 'z' }, term({ key: 'a', operator: 'In', values: ['x', 'y'] }))).toBe(false);
    expect(schedulesOn({}, term({ key: 'a', operator: 'In', values: ['x'] }))).toBe(false);
  });

  test('NotIn matches other values and a missing label', () => {
    // GIVEN / WHEN / THEN
    expect(schedulesOn({ a: 'z' }, term({ key: 'a', operator: 'NotIn', values: ['x'] }))).toBe(true);
    expect(schedulesOn({}, term({ key: 'a', operator: 'NotIn', values: ['x'] }))).toBe(true);
    expect(schedulesOn({ a: 'x' }, term({ key: 'a', operator: 'NotIn', values: ['x'] }))).toBe(false);
  });

  test('Exists and DoesNotExist look at the key only', () => {
    // GIVEN / WHEN / THEN
    expect(schedulesOn({ a: '' }, term({ key: 'a', operator: 'Exists' }))).toBe(true);
    expect(schedulesOn({}, term({ key: 'a', operator: 'Exists' }))).toBe(false);
    expect(schedulesOn({}, term({ key: 'a', operator: 'DoesNotExist' }))).toBe(true);
    expect(schedulesOn({ a: 'x' }, term({ key: 'a', operator: 'DoesNotExist' }))).toBe(false);
  });

  test('expressions of a term are ANDed, terms are ORed, an empty term matches nothing', () => {
    // GIVEN / WHEN / THEN
    const terms = (...nodeSelectorTerms: unknown[]) => ({
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } } },
    });
    expect(schedulesOn({ a: 'x' }, term({ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }))).toBe(false);
    expect(schedulesOn({ a: 'x' }, terms({ matchExpressions: [{ key: 'b', operator: 'Exists' }] }, { matchExpressions: [{ key: 'a', operator: 'Exists' }] }))).toBe(true);
    expect(schedulesOn({ a: 'x' }, terms({ matchExpressions: [] }))).toBe(false);
  });

  test('nodeSelector needs every label with the same value, and combines with affinity', () => {
    // GIVEN / WHEN / THEN
    expect(schedulesOn({ a: 'x', b: 'y' }, { nodeSelector: { a: 'x' } })).toBe(true);
    expect(schedulesOn({ a: 'y' }, { nodeSelector: { a: 'x' } })).toBe(false);
    expect(schedulesOn({ a: 'x' }, { nodeSelector: { a: 'x' }, ...term({ key: 'b', operator: 'Exists' }) })).toBe(false);
  });
});

describe('GpuLayer', () => {
  describe('before any pool', () => {
    test('installs nothing GPU-related', () => {
      // GIVEN / WHEN
      const platform = testPlatform();

      // THEN
      const names = componentNames(platform);
      for (const gpuComponent of GPU_COMPONENTS) expect(names).not.toContain(gpuComponent);
    });

    test('has no device plugin, EFA plugin or pools', () => {
      // GIVEN / WHEN
      const { gpu } = testPlatform();

      // THEN
      expect(gpu.gpuOperator).toBeUndefined();
      expect(gpu.standaloneDevicePlugin).toBeUndefined();
      expect(gpu.efaDevicePlugin).toBeUndefined();
      expect(gpu.nodePools).toEqual([]);
    });

    test('the device plugin provider defaults to the GPU Operator', () => {
      // GIVEN / WHEN / THEN
      expect(testPlatform().gpu.devicePluginProvider).toBe(DevicePluginProvider.GPU_OPERATOR);
    });

    test('the layer is the construct Gpu of the platform', () => {
      // GIVEN / WHEN
      const platform = testPlatform();

      // THEN
      expect(platform.node.findChild('Gpu')).toBe(platform.gpu);
    });
  });

  describe('device plugin path', () => {
    test('the first pool installs the GPU Operator', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN
      platform.gpu.addNodePool('gpu', DEVICE_PLUGIN_POOL);

      // THEN
      expect(componentNames(platform)).toContain('gpu-operator');
      expect(platform.gpu.gpuOperator).toBeDefined();
      expect(platform.gpu.node.findChild('GpuOperator')).toBe(platform.gpu.gpuOperator);
    });

    test('the GPU Operator path installs neither the standalone plugin nor the DCGM exporter chart', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN
      platform.gpu.addNodePool('gpu', DEVICE_PLUGIN_POOL);

      // THEN
      expect(componentNames(platform)).not.toContain('nvidia-device-plugin');
      expect(componentNames(platform)).not.toContain('dcgm-exporter');
      expect(platform.gpu.standaloneDevicePlugin).toBeUndefined();
    });

    test('a second pool installs no second GPU Operator', () => {
      // GIVEN
      const platform = testPlatform();
      platform.gpu.addNodePool('a', DEVICE_PLUGIN_POOL);
      const operator = platform.gpu.gpuOperator;

      // WHEN
      platform.gpu.addNodePool('b', { gpus: [GpuModel.L4], limits: { gpus: 8 } });

      // THEN
      expect(countComponent(platform, 'gpu-operator')).toBe(1);
      expect(platform.gpu.gpuOperator).toBe(operator);
    });

    test('STANDALONE installs the standalone device plugin and the DCGM exporter', () => {
      // GIVEN
      const platform = testPlatform({ gpu: { devicePlugin: DevicePluginProvider.STANDALONE } });

      // WHEN
      platform.gpu.addNodePool('gpu', DEVICE_PLUGIN_POOL);

      // THEN
      expect(componentNames(platform)).toEqual(expect.arrayContaining(['nvidia-device-plugin', 'dcgm-exporter']));
      expect(componentNames(platform)).not.toContain('gpu-operator');
      expect(platform.gpu.devicePluginProvider).toBe(DevicePluginProvider.STANDALONE);
      expect(platform.gpu.gpuOperator).toBeUndefined();
      expect(platform.gpu.node.findChild('DevicePlugin')).toBe(platform.gpu.standaloneDevicePlugin);
    });

    test('STANDALONE installs its charts once for several pools', () => {
      // GIVEN
      const platform = testPlatform({ gpu: { devicePlugin: DevicePluginProvider.STANDALONE } });

      // WHEN
      platform.gpu.addNodePool('a', DEVICE_PLUGIN_POOL);
      platform.gpu.addNodePool('b', { gpus: [GpuModel.L4], limits: { gpus: 8 } });

      // THEN
      expect(countComponent(platform, 'nvidia-device-plugin')).toBe(1);
      expect(countComponent(platform, 'dcgm-exporter')).toBe(1);
    });

    test('STANDALONE pools carry no GPU Operator labels', () => {
      // GIVEN
      const platform = testPlatform({ gpu: { devicePlugin: DevicePluginProvider.STANDALONE } });

      // WHEN
      const pool = platform.gpu.addNodePool('dra', DRA_POOL);

      // THEN
      expect(nodeLabels(platform, pool)).toEqual({ 'agentic-eks.io/gpu-pool': 'dra', 'agentic-eks.io/gpu-device-management': 'dra' });
    });

    test('timeSlicing, migStrategy, prometheusRelease and devicePluginValues reach the GPU Operator', () => {
      // GIVEN
      const platform = testPlatform({
        gpu: {
          timeSlicing: { 'shared-4': 4 }, migStrategy: MigStrategy.SINGLE, prometheusRelease: 'prom',
          devicePluginValues: { toolkit: { enabled: true } },
        },
      });

      // WHEN
      platform.gpu.addNodePool('gpu', DEVICE_PLUGIN_POOL);

      // THEN
      const values = platform.gpu.gpuOperator!.operator.values() as Record<string, any>;
      expect(Object.keys(values.devicePlugin.config.data)).toEqual(['default', 'shared-4']);
      expect(values.mig).toEqual({ strategy: 'single' });
      expect(values.dcgmExporter.serviceMonitor.additionalLabels).toEqual({ release: 'prom' });
      expect(values.toolkit).toEqual({ enabled: true });
    });

    test('timeSlicing, migStrategy, prometheusRelease and devicePluginValues reach the standalone charts', () => {
      // GIVEN
      const platform = testPlatform({
        gpu: {
          devicePlugin: DevicePluginProvider.STANDALONE, timeSlicing: { 'shared-4': 4 }, migStrategy: MigStrategy.NONE,
          prometheusRelease: 'prom', devicePluginValues: { gfd: { enabled: false } },
        },
      });

      // WHEN
      platform.gpu.addNodePool('gpu', DEVICE_PLUGIN_POOL);

      // THEN
      const plugin = platform.gpu.standaloneDevicePlugin!;
      const values = plugin.devicePlugin.values() as Record<string, any>;
      expect(Object.keys(values.config.map)).toEqual(['default', 'shared-4']);
      expect(values.migStrategy).toBe('none');
      expect(values.gfd).toEqual({ enabled: false });
      expect((plugin.dcgmExporter.values() as Record<string, any>).serviceMonitor.additionalLabels).toEqual({ release: 'prom' });
    });
  });

  describe('EFA device plugin', () => {
    test('a pool without EFA installs no EFA device plugin', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN
      platform.gpu.addNodePool('gpu', DEVICE_PLUGIN_POOL);

      // THEN
      expect(componentNames(platform)).not.toContain('aws-efa-k8s-device-plugin');
      expect(platform.gpu.efaDevicePlugin).toBeUndefined();
    });

    test('an EFA pool installs the EFA device plugin', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN
      platform.gpu.addNodePool('efa', EFA_POOL);

      // THEN
      expect(countComponent(platform, 'aws-efa-k8s-device-plugin')).toBe(1);
      expect(platform.gpu.node.findChild('EfaDevicePlugin')).toBe(platform.gpu.efaDevicePlugin);
    });

    test('two EFA pools install one EFA device plugin', () => {
      // GIVEN
      const platform = testPlatform();
      platform.gpu.addNodePool('efa-a', EFA_POOL);
      const plugin = platform.gpu.efaDevicePlugin;

      // WHEN
      platform.gpu.addNodePool('efa-b', { instanceTypes: ['p5en.48xlarge'], limits: { gpus: 16 }, efa: true });

      // THEN
      expect(countComponent(platform, 'aws-efa-k8s-device-plugin')).toBe(1);
      expect(platform.gpu.efaDevicePlugin).toBe(plugin);
    });

    test('an EFA pool after a pool without EFA installs the EFA device plugin', () => {
      // GIVEN
      const platform = testPlatform();
      platform.gpu.addNodePool('gpu', DEVICE_PLUGIN_POOL);

      // WHEN
      platform.gpu.addNodePool('efa', EFA_POOL);

      // THEN
      expect(countComponent(platform, 'aws-efa-k8s-device-plugin')).toBe(1);
    });

    test('the EFA device plugin runs on EFA pools only', () => {
      // GIVEN
      const platform = testPlatform();
      const efa = platform.gpu.addNodePool('efa', EFA_POOL);
      const plain = platform.gpu.addNodePool('plain', DEVICE_PLUGIN_POOL);

      // WHEN
      const values = platform.gpu.efaDevicePlugin!.plugin.values() as Record<string, any>;

      // THEN
      expect(schedulesOn(nodeLabels(platform, efa), { nodeSelector: values.nodeSelector })).toBe(true);
      expect(schedulesOn(nodeLabels(platform, plain), { nodeSelector: values.nodeSelector })).toBe(false);
    });
  });

  describe('DRA driver', () => {
    test('a device-plugin pool installs no DRA driver', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN
      platform.gpu.addNodePool('gpu', DEVICE_PLUGIN_POOL);

      // THEN
      expect(componentNames(platform)).not.toContain('dra-driver-nvidia-gpu');
      expect(componentNames(platform)).not.toContain('gpu-claims');
    });

    test('a DRA pool installs the DRA driver and its claims component', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN
      platform.gpu.addNodePool('dra', DRA_POOL);

      // THEN
      expect(countComponent(platform, 'dra-driver-nvidia-gpu')).toBe(1);
      expect(countComponent(platform, 'gpu-claims')).toBe(1);
      expect(platform.gpu.node.findChild('DraDriver')).toBe(platform.gpu.dra);
    });

    test('two DRA pools install one DRA driver', () => {
      // GIVEN
      const platform = testPlatform();
      platform.gpu.addNodePool('dra-a', DRA_POOL);
      const driver = platform.gpu.dra;

      // WHEN
      platform.gpu.addNodePool('dra-b', { gpus: [GpuModel.L40S], limits: { gpus: 8 }, deviceManagement: DeviceManagement.DRA, replicas: 1 });

      // THEN
      expect(countComponent(platform, 'dra-driver-nvidia-gpu')).toBe(1);
      expect(platform.gpu.dra).toBe(driver);
    });

    test('a DRA pool also installs the device plugin path (GFD and DCGM exporter run on DRA nodes)', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN
      platform.gpu.addNodePool('dra', DRA_POOL);

      // THEN
      expect(componentNames(platform)).toContain('gpu-operator');
    });

    test('a static DRA pool turns on the Karpenter feature gate staticCapacity', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN
      platform.gpu.addNodePool('dra', DRA_POOL);

      // THEN
      expect((platform.karpenter.controller.values().settings as Record<string, any>).featureGates).toEqual({ staticCapacity: true });
    });

    test('platform.gpu.dra.addMigClaimTemplate adds a ResourceClaimTemplate for a MIG device', () => {
      // GIVEN
      const platform = testPlatform();
      platform.gpu.addNodePool('dra', { ...DRA_POOL, migLayout: MigLayout.uniform('1g.10gb') });

      // WHEN
      const template = platform.gpu.dra.addMigClaimTemplate('Mig1g', { namespace: 'ml', name: 'mig-1g-10gb', profile: '1g.10gb' });

      // THEN
      expect([template.name, template.namespace, template.requestName]).toEqual(['mig-1g-10gb', 'ml', 'mig']);
      const claim = find(objects(platform.gpu.dra.claims), 'ResourceClaimTemplate', 'mig-1g-10gb');
      expect(claim.metadata.namespace).toBe('ml');
      expect(claim.spec.spec.devices.requests).toEqual([{
        name: 'mig',
        exactly: {
          deviceClassName: 'mig.nvidia.com',
          selectors: [{ cel: { expression: "device.attributes['gpu.nvidia.com'].profile == '1g.10gb'" } }],
        },
      }]);
    });

    test('platform.gpu.dra installs the DRA driver on first use, even without a DRA pool', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN
      platform.gpu.dra.addGpuClaimTemplate('Gpu', { namespace: 'ml', name: 'one-gpu' });

      // THEN
      expect(componentNames(platform)).toEqual(expect.arrayContaining(['dra-driver-nvidia-gpu', 'gpu-claims']));
      expect(componentNames(platform)).not.toContain('gpu-operator');
    });
  });

  describe('pools', () => {
    test('addNodePool returns the pool, registered with the layer and Karpenter', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN
      const a = platform.gpu.addNodePool('a', DEVICE_PLUGIN_POOL);
      const b = platform.gpu.addNodePool('b', EFA_POOL);

      // THEN
      expect(platform.gpu.nodePools).toEqual([a, b]);
      expect(platform.karpenter.nodePoolList).toEqual([a, b]);
    });

    test('nodePools returns a copy', () => {
      // GIVEN
      const platform = testPlatform();
      platform.gpu.addNodePool('a', DEVICE_PLUGIN_POOL);

      // WHEN
      platform.gpu.nodePools.pop();

      // THEN
      expect(platform.gpu.nodePools).toHaveLength(1);
    });

    test('GPU Operator labels by device management: none for the device plugin, device plugin off for DRA, device plugin and MIG manager off for Bottlerocket', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN
      const dp = platform.gpu.addNodePool('dp', DEVICE_PLUGIN_POOL);
      const dra = platform.gpu.addNodePool('dra', DRA_POOL);
      const br = platform.gpu.addNodePool('br', BOTTLEROCKET_POOL);

      // THEN
      const deployLabels = (pool: GpuNodePool) =>
        Object.fromEntries(Object.entries(nodeLabels(platform, pool)).filter(([k]) => k.startsWith('nvidia.com/gpu.deploy.')));
      expect(deployLabels(dp)).toEqual({});
      expect(deployLabels(dra)).toEqual({ 'nvidia.com/gpu.deploy.device-plugin': 'false' });
      expect(deployLabels(br)).toEqual({ 'nvidia.com/gpu.deploy.device-plugin': 'false', 'nvidia.com/gpu.deploy.mig-manager': 'false' });
    });
  });

  describe('device plugin and DRA kubelet plugin select disjoint nodes', () => {
    /** A platform with a device-plugin, a DRA and a Bottlerocket pool. */
    function threePools(props: Partial<PlatformStackProps> = {}) {
      const platform = testPlatform(props);
      const dp = platform.gpu.addNodePool('dp', DEVICE_PLUGIN_POOL);
      const dra = platform.gpu.addNodePool('dra', DRA_POOL);
      const br = platform.gpu.addNodePool('br', BOTTLEROCKET_POOL);
      const kubeletPlugin = (platform.gpu.dra.driver.values() as Record<string, any>).kubeletPlugin;
      return { platform, dp, dra, br, kubeletPlugin: { affinity: kubeletPlugin.affinity, nodeSelector: kubeletPlugin.nodeSelector } };
    }

    describe('standalone device plugin', () => {
      const standalone = { gpu: { devicePlugin: DevicePluginProvider.STANDALONE } };

      /** Where the standalone device plugin (and GFD, which shares its affinity) runs. */
      function devicePluginScheduling(platform: PlatformStack): Scheduling {
        const values = platform.gpu.standaloneDevicePlugin!.devicePlugin.values() as Record<string, any>;
        return { affinity: values.affinity, nodeSelector: values.nodeSelector };
      }

      test('a device-plugin pool runs the device plugin and not the DRA kubelet plugin', () => {
        // GIVEN / WHEN
        const { platform, dp, kubeletPlugin } = threePools(standalone);

        // THEN
        expect(schedulesOn(nodeLabels(platform, dp), devicePluginScheduling(platform))).toBe(true);
        expect(schedulesOn(nodeLabels(platform, dp), kubeletPlugin)).toBe(false);
      });

      test('a DRA pool runs the DRA kubelet plugin and not the device plugin', () => {
        // GIVEN / WHEN
        const { platform, dra, kubeletPlugin } = threePools(standalone);

        // THEN
        expect(schedulesOn(nodeLabels(platform, dra), kubeletPlugin)).toBe(true);
        expect(schedulesOn(nodeLabels(platform, dra), devicePluginScheduling(platform))).toBe(false);
      });

      test('a Bottlerocket pool runs neither', () => {
        // GIVEN / WHEN
        const { platform, br, kubeletPlugin } = threePools(standalone);

        // THEN
        expect(schedulesOn(nodeLabels(platform, br), devicePluginScheduling(platform))).toBe(false);
        expect(schedulesOn(nodeLabels(platform, br), kubeletPlugin)).toBe(false);
      });

      test('no pool runs both', () => {
        // GIVEN / WHEN
        const { platform, dp, dra, br, kubeletPlugin } = threePools(standalone);

        // THEN
        for (const pool of [dp, dra, br]) {
          const labels = nodeLabels(platform, pool);
          expect(schedulesOn(labels, devicePluginScheduling(platform)) && schedulesOn(labels, kubeletPlugin)).toBe(false);
        }
      });

      test('the DCGM exporter runs on every GPU pool', () => {
        // GIVEN / WHEN
        const { platform, dp, dra, br } = threePools(standalone);

        // THEN
        const dcgm = platform.gpu.standaloneDevicePlugin!.dcgmExporter.values() as Record<string, any>;
        for (const pool of [dp, dra, br]) expect(schedulesOn(nodeLabels(platform, pool), { affinity: dcgm.affinity })).toBe(true);
      });
    });

    describe('GPU Operator', () => {
      test('the GPU Operator chart sets no operand affinity: the pools keep operands off with node labels', () => {
        // GIVEN / WHEN
        const { platform } = threePools();

        // THEN
        const values = platform.gpu.gpuOperator!.operator.values() as Record<string, any>;
        expect(values.daemonsets).toEqual({ tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] });
        expect(values.devicePlugin.affinity).toBeUndefined();
        expect(values.devicePlugin.nodeSelector).toBeUndefined();
      });

      test('a device-plugin pool runs the operator device plugin and not the DRA kubelet plugin', () => {
        // GIVEN / WHEN
        const { platform, dp, kubeletPlugin } = threePools();

        // THEN
        expect(schedulesOn(withGpuOperatorDefaults(nodeLabels(platform, dp)), gpuOperatorOperand('device-plugin'))).toBe(true);
        expect(schedulesOn(withGpuOperatorDefaults(nodeLabels(platform, dp)), kubeletPlugin)).toBe(false);
      });

      test('a DRA pool runs the DRA kubelet plugin and not the operator device plugin', () => {
        // GIVEN / WHEN
        const { platform, dra, kubeletPlugin } = threePools();

        // THEN
        expect(schedulesOn(withGpuOperatorDefaults(nodeLabels(platform, dra)), kubeletPlugin)).toBe(true);
        expect(schedulesOn(withGpuOperatorDefaults(nodeLabels(platform, dra)), gpuOperatorOperand('device-plugin'))).toBe(false);
      });

      test('a Bottlerocket pool runs neither, nor the MIG manager', () => {
        // GIVEN / WHEN
        const { platform, br, kubeletPlugin } = threePools();

        // THEN
        const labels = withGpuOperatorDefaults(nodeLabels(platform, br));
        expect(schedulesOn(labels, gpuOperatorOperand('device-plugin'))).toBe(false);
        expect(schedulesOn(labels, gpuOperatorOperand('mig-manager'))).toBe(false);
        expect(schedulesOn(labels, kubeletPlugin)).toBe(false);
      });

      test('GFD and the DCGM exporter run on every GPU pool', () => {
        // GIVEN / WHEN
        const { platform, dp, dra, br } = threePools();

        // THEN
        for (const pool of [dp, dra, br]) {
          const labels = withGpuOperatorDefaults(nodeLabels(platform, pool));
          expect(schedulesOn(labels, gpuOperatorOperand('gpu-feature-discovery'))).toBe(true);
          expect(schedulesOn(labels, gpuOperatorOperand('dcgm-exporter'))).toBe(true);
        }
      });
    });

    test('the DRA controller runs on no GPU node', () => {
      // GIVEN / WHEN
      const { platform, dp, dra, br } = threePools();

      // THEN
      const controller = (platform.gpu.dra.driver.values() as Record<string, any>).controller;
      for (const pool of [dp, dra, br]) expect(schedulesOn(nodeLabels(platform, pool), { affinity: controller.affinity })).toBe(false);
      expect(schedulesOn({ 'kubernetes.io/os': 'linux' }, { affinity: controller.affinity })).toBe(true);
    });
  });
});

test('every Kubernetes object of GPU platforms is valid against its upstream schema (strict, with CEL)', () => {
  // GIVEN
  const operatorPlatform = testPlatform({ gpu: { timeSlicing: { 'shared-4': 4 } } });
  operatorPlatform.gpu.addNodePool('dp', DEVICE_PLUGIN_POOL);
  operatorPlatform.gpu.addNodePool('sliced', { gpus: [GpuModel.L4], limits: { gpus: 8 }, timeSlicingConfig: 'shared-4' });
  operatorPlatform.gpu.addNodePool('efa', { ...EFA_POOL, placementGroupName: 'p5-cluster' });
  operatorPlatform.gpu.addNodePool('dra', { ...DRA_POOL, migLayout: MigLayout.uniform('1g.10gb') });
  operatorPlatform.gpu.addNodePool('br', BOTTLEROCKET_POOL);
  operatorPlatform.gpu.dra.addGpuClaimTemplate('Gpu', { namespace: 'ml', name: 'one-gpu' });
  operatorPlatform.gpu.dra.addMigClaimTemplate('Mig', { namespace: 'ml', name: 'mig-1g-10gb', profile: '1g.10gb' });
  operatorPlatform.gpu.dra.addMpsClaimTemplate('Mps', { namespace: 'ml', name: 'mps-gpu', defaultActiveThreadPercentage: 50 });
  operatorPlatform.gpu.dra.addComputeDomain('Domain', { namespace: 'ml', name: 'domain', claimTemplateName: 'domain-channel' });
  const standalonePlatform = testPlatform({ gpu: { devicePlugin: DevicePluginProvider.STANDALONE } });
  standalonePlatform.gpu.addNodePool('dp', DEVICE_PLUGIN_POOL);
  standalonePlatform.gpu.addNodePool('dra', DRA_POOL);

  // WHEN
  const operatorObjs = allGitOpsObjects(operatorPlatform);
  const standaloneObjs = allGitOpsObjects(standalonePlatform);
  const dra = operatorPlatform.gpu.dra.driver.values() as Record<string, any>;
  const efa = operatorPlatform.gpu.efaDevicePlugin!.plugin.values() as Record<string, any>;
  const dp = standalonePlatform.gpu.standaloneDevicePlugin!.devicePlugin.values() as Record<string, any>;
  const dcgm = standalonePlatform.gpu.standaloneDevicePlugin!.dcgmExporter.values() as Record<string, any>;
  const fragments = [
    daemonSetWith('dra-kubelet-plugin', { affinity: dra.kubeletPlugin.affinity, tolerations: dra.kubeletPlugin.tolerations }),
    daemonSetWith('dra-controller', { affinity: dra.controller.affinity }),
    daemonSetWith('efa-device-plugin', { nodeSelector: efa.nodeSelector, tolerations: efa.tolerations }),
    daemonSetWith('device-plugin', { affinity: dp.affinity, tolerations: dp.tolerations }),
    daemonSetWith('dcgm-exporter', { affinity: dcgm.affinity, tolerations: dcgm.tolerations }),
  ];

  // THEN
  const kinds = operatorObjs.map((o) => o.kind);
  expect(kinds.filter((k) => k === 'NodePool')).toHaveLength(5);
  expect(kinds).toEqual(expect.arrayContaining(['ResourceClaimTemplate', 'ComputeDomain', 'Application']));
  expectValidK8sObjects([...operatorObjs, ...standaloneObjs, ...fragments]);
});

describe('GpuLayer: MIG layouts on pools', () => {
  const P4DE_DRA: GpuNodePoolOptions = {
    instanceTypes: ['p4de.24xlarge'], limits: { gpus: 8 }, deviceManagement: DeviceManagement.DRA, replicas: 1,
  };

  test('a pool\'s layout is written into the MIG manager configuration the GPU Operator creates', () => {
    // GIVEN
    const platform = testPlatform();

    // WHEN
    platform.gpu.addNodePool('dra-a100', { ...P4DE_DRA, migLayout: MigLayout.uniform('1g.10gb') });
    platform.gpu.addNodePool('h100', { gpus: [GpuModel.H100], limits: { gpus: 8 }, migLayout: MigLayout.custom('h100-mixed', { '3g.40gb': 1, '2g.20gb': 1, '1g.10gb': 2 }) });
    platform.gpu.addNodePool('h100-b', { gpus: [GpuModel.H100], limits: { gpus: 8 }, migLayout: MigLayout.uniform('1g.10gb') });

    // THEN
    const values = platform.gpu.gpuOperator!.operator.values() as Record<string, any>;
    expect(values.migManager).toEqual({
      enabled: true,
      config: {
        create: true,
        name: 'agentic-eks-mig-parted-config',
        default: 'all-disabled',
        data: {
          'config.yaml': [
            'version: v1', 'mig-configs:',
            '  all-disabled:', '    - devices: all', '      mig-enabled: false',
            '  all-1g.10gb:', '    - devices: all', '      mig-enabled: true', '      mig-devices:', '        "1g.10gb": 7',
            '  h100-mixed:', '    - devices: all', '      mig-enabled: true', '      mig-devices:',
            '        "3g.40gb": 1', '        "2g.20gb": 1', '        "1g.10gb": 2', '',
          ].join('\n'),
        },
      },
    });
  });

  test('without layouts the MIG manager keeps the chart\'s configuration', () => {
    // GIVEN / WHEN
    const platform = testPlatform();
    platform.gpu.addNodePool('h100', { gpus: [GpuModel.H100], limits: { gpus: 8 } });

    // THEN
    expect((platform.gpu.gpuOperator!.operator.values() as Record<string, any>).migManager).toEqual({ enabled: true });
  });

  test('one layout name with two partitionings is refused', () => {
    // GIVEN
    const platform = testPlatform();
    platform.gpu.addNodePool('a', { gpus: [GpuModel.H100], limits: { gpus: 8 }, migLayout: MigLayout.custom('mine', { '1g.10gb': 7 }) });

    // WHEN / THEN
    expect(() => platform.gpu.addNodePool('b', { gpus: [GpuModel.H100], limits: { gpus: 8 }, migLayout: MigLayout.custom('mine', { '3g.40gb': 2 }) }))
      .toThrow('MIG layout \'mine\' is defined twice with different devices ({"1g.10gb":7} and {"3g.40gb":2}): one name, one partitioning');
  });

  test('the MIG manager runs on DRA nodes (only the device plugin is kept off), and the label picks the layout', () => {
    // GIVEN / WHEN
    const platform = testPlatform();
    const pool = platform.gpu.addNodePool('dra-a100', { ...P4DE_DRA, migLayout: MigLayout.uniform('1g.10gb') });

    // THEN
    const labels = find(objects(platform.karpenter.nodePools), 'NodePool', pool.name).spec.template.metadata.labels;
    expect(labels['nvidia.com/mig.config']).toBe('all-1g.10gb');
    expect(labels['nvidia.com/gpu.deploy.device-plugin']).toBe('false');
    expect(labels['nvidia.com/gpu.deploy.mig-manager']).toBeUndefined();
  });

  test('a MIG claim template needs a DRA pool whose layout creates its profile', () => {
    // GIVEN
    const platform = testPlatform();
    platform.gpu.addNodePool('dra-a100', P4DE_DRA);

    // WHEN / THEN
    expect(() => platform.gpu.dra.addMigClaimTemplate('Mig', { namespace: 'models', name: 'mig-1g-10gb', profile: '1g.10gb' })).toThrow(
      "MIG claim template 'mig-1g-10gb' asks for profile '1g.10gb', which no DRA GPU NodePool creates: add the pool first, with 'migLayout' "
      + "(e.g. MigLayout.uniform('1g.10gb')) on GPUs that offer the profile (DRA pools: dra-a100 (A100_80GB: no migLayout))");
  });

  test('a MIG claim template whose profile only a device-plugin pool creates is refused', () => {
    // GIVEN
    const platform = testPlatform();
    platform.gpu.addNodePool('dra-a100', { ...P4DE_DRA, migLayout: MigLayout.uniform('3g.40gb') });
    platform.gpu.addNodePool('dp', { gpus: [GpuModel.H100], limits: { gpus: 8 }, migLayout: MigLayout.uniform('1g.10gb') });

    // WHEN / THEN
    expect(() => platform.gpu.dra.addMigClaimTemplate('Mig', { namespace: 'models', name: 'mig', profile: '1g.10gb' })).toThrow(
      "MIG claim template 'mig' asks for profile '1g.10gb', which no DRA GPU NodePool creates: add the pool first, with 'migLayout' "
      + "(e.g. MigLayout.uniform('1g.10gb')) on GPUs that offer the profile (DRA pools: dra-a100 (A100_80GB: all-3g.40gb))");
  });

  test('a MIG claim template with a DRA pool that creates its profile is accepted and valid', () => {
    // GIVEN
    const platform = testPlatform();
    platform.gpu.addNodePool('dra-a100', { ...P4DE_DRA, migLayout: MigLayout.uniform('1g.10gb') });

    // WHEN
    const template = platform.gpu.dra.addMigClaimTemplate('Mig', { namespace: 'models', name: 'mig-1g-10gb', profile: '1g.10gb' });

    // THEN
    expect(template.name).toBe('mig-1g-10gb');
    expectValidK8sObjects(objects(platform.gpu.dra.claims));
  });
});

describe('GpuLayer: every CRD has one owner', () => {
  test('the DRA driver installs the ComputeDomain CRDs (its crds/); the GPU Operator chart skips its crds/', () => {
    // GIVEN / WHEN
    const platform = testPlatform();
    platform.gpu.addNodePool('dra', DRA_POOL);

    // THEN
    expect(platform.gpu.dra.driver.includesCrds).toBe(true);
    expect(platform.gpu.gpuOperator!.operator.includesCrds).toBe(false);
    expect(platform.gpu.gpuOperator!.crds.crdNames.filter((n) => n.includes('computedomain'))).toEqual([]);
    expect(countComponent(platform, 'gpu-operator-crds')).toBe(1);
  });
});
