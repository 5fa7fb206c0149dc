import { Size } from 'aws-cdk-lib';
import { HelmChartVersion, PlatformDefinition, Stage } from '../../../lib';
import {
  ComputeDomainChannelAllocation, NVIDIA_DRA_DRIVER_NAMESPACE, NvidiaDraDriver, NvidiaDraDriverOptions,
} from '../../../lib/gpu/device-management/nvidia-dra-driver';
import { expectValidK8sObjects } from '../../k8s-schema';
import { find, objects, REGION, testDefinition } from '../../util';
import { daemonSetWith } from './fixtures';

const GPU_TOLERATION = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };

/** The DRA driver in a fresh definition. */
function newDriver(options: NvidiaDraDriverOptions = {}, definition: PlatformDefinition = testDefinition()): NvidiaDraDriver {
  return new NvidiaDraDriver(definition, 'Dra', { definition, ...options });
}

describe('NvidiaDraDriver', () => {
  describe('defaults', () => {
    test('is the dra-driver-nvidia-gpu chart in its own namespace at the controllers stage', () => {
      // GIVEN / WHEN
      const { driver } = newDriver();

      // THEN
      expect([driver.componentName, driver.namespace, driver.stage]).toEqual(['dra-driver-nvidia-gpu', 'dra-driver-nvidia-gpu', Stage.CONTROLLERS]);
      expect(NVIDIA_DRA_DRIVER_NAMESPACE).toBe('dra-driver-nvidia-gpu');
      expect(driver.chart).toBe(HelmChartVersion.NVIDIA_DRA_DRIVER);
      expect(driver.includesCrds).toBe(true);
      expect(driver.node.path).toBe('NvidiaDraDriver');
    });

    test('pins chart 0.4.0 from registry.k8s.io', () => {
      // GIVEN / WHEN
      const chart = HelmChartVersion.NVIDIA_DRA_DRIVER;

      // THEN
      expect([chart.chart, chart.repository, chart.version, chart.isOci]).toEqual(
        ['dra-driver-nvidia-gpu', 'oci://registry.k8s.io/dra-driver-nvidia/charts', '0.4.0', true]);
    });

    test('computes the values for the host driver, with the kubelet plugin on DRA nodes only', () => {
      // GIVEN / WHEN / THEN
      expect(newDriver().driver.values()).toEqual({
        nvidiaDriverRoot: '/',
        gpuResourcesEnabledOverride: true,
        resources: { gpus: { enabled: true }, computeDomains: { enabled: true } },
        kubeletPlugin: {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: 'agentic-eks.io/gpu-device-management', operator: 'In', values: ['dra'] }] }],
              },
            },
          },
          tolerations: [GPU_TOLERATION],
        },
        controller: {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: 'agentic-eks.io/gpu-device-management', operator: 'DoesNotExist' }] }],
              },
            },
          },
        },
      });
    });

    test('creates the gpu-claims component at the configuration stage, after the driver', () => {
      // GIVEN / WHEN
      const dra = newDriver();

      // THEN
      expect([dra.claims.componentName, dra.claims.stage, dra.claims.namespace]).toEqual(['gpu-claims', Stage.CONFIGURATION, undefined]);
      expect(dra.claims.dependencies).toEqual([dra.driver]);
      expect(dra.claims.node.path).toBe('NvidiaGpuClaims');
      expect(objects(dra.claims)).toEqual([]);
    });
  });

  test('the definition applies the driver before the claims', () => {
    // GIVEN
    const definition = testDefinition();

    // WHEN
    newDriver({}, definition);

    // THEN
    expect(definition.components.map((c) => c.componentName)).toEqual(['namespaces', 'dra-driver-nvidia-gpu', 'gpu-claims']);
  });

  describe('props', () => {
    test('computeDomains false turns the ComputeDomain part off', () => {
      // GIVEN / WHEN
      const dra = newDriver({ computeDomains: false });

      // THEN
      expect(dra.computeDomains).toBe(false);
      expect(dra.driver.values()).toEqual(expect.objectContaining({ resources: { gpus: { enabled: true }, computeDomains: { enabled: false } } }));
    });

    test('chart overrides the pinned chart', () => {
      // GIVEN / WHEN
      const { driver } = newDriver({ chart: HelmChartVersion.NVIDIA_DRA_DRIVER.withVersion('0.4.1', '2026-11-24') });

      // THEN
      expect(driver.chart.version).toBe('0.4.1');
    });

    test('values are deep-merged over the computed values', () => {
      // GIVEN / WHEN
      const v = newDriver({ values: { logVerbosity: '6', kubeletPlugin: { priorityClassName: 'gpu' } } }).driver.values() as Record<string, any>;

      // THEN
      expect(v.logVerbosity).toBe('6');
      expect(v.kubeletPlugin.priorityClassName).toBe('gpu');
      expect(v.kubeletPlugin.tolerations).toEqual([GPU_TOLERATION]);
    });
  });

  describe('addGpuClaimTemplate', () => {
    test('creates a resource.k8s.io/v1 ResourceClaimTemplate for gpu.nvidia.com', () => {
      // GIVEN
      const dra = newDriver();

      // WHEN
      const template = dra.addGpuClaimTemplate('SingleGpu', { namespace: 'gpu-test1', name: 'single-gpu' });

      // THEN
      expect(objects(dra.claims)).toEqual([{
        apiVersion: 'resource.k8s.io/v1',
        kind: 'ResourceClaimTemplate',
        metadata: { name: 'single-gpu', namespace: 'gpu-test1' },
        spec: { spec: { devices: { requests: [{ name: 'gpu', exactly: { deviceClassName: 'gpu.nvidia.com' } }] } } },
      }]);
      expect([template.name, template.namespace, template.requestName]).toEqual(['single-gpu', 'gpu-test1', 'gpu']);
    });

    test('count asks for several GPUs', () => {
      // GIVEN
      const dra = newDriver();

      // WHEN
      dra.addGpuClaimTemplate('Four', { namespace: 'team-a', name: 'four-gpus', count: 4 });

      // THEN
      expect(find(objects(dra.claims), 'ResourceClaimTemplate', 'four-gpus').spec.spec.devices.requests).toEqual([
        { name: 'gpu', exactly: { deviceClassName: 'gpu.nvidia.com', count: 4 } },
      ]);
    });

    test.each([0, -2, 1.5])('rejects count %p', (count) => {
      // GIVEN / WHEN / THEN
      expect(() => newDriver().addGpuClaimTemplate('X', { namespace: 'team-a', name: 'x', count })).toThrow(
        `'count' (${count}) of GPU claim template 'x' must be a whole number of at least 1`,
      );
    });

    test('rejects an invalid namespace', () => {
      // GIVEN / WHEN / THEN
      expect(() => newDriver().addGpuClaimTemplate('X', { namespace: 'Team_A', name: 'x' })).toThrow(
        "'namespace' (Team_A) must be a DNS label: 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit",
      );
    });

    test('rejects an invalid name', () => {
      // GIVEN / WHEN / THEN
      expect(() => newDriver().addGpuClaimTemplate('X', { namespace: 'team-a', name: 'One_GPU' })).toThrow(
        "'name' (One_GPU) must be a DNS subdomain: 1-253 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit",
      );
    });

    test('rejects the same template twice', () => {
      // GIVEN
      const dra = newDriver();
      dra.addGpuClaimTemplate('A', { namespace: 'team-a', name: 'gpu' });

      // WHEN / THEN
      expect(() => dra.addMigClaimTemplate('B', { namespace: 'team-a', name: 'gpu', profile: '1g.10gb' })).toThrow(
        "ResourceClaimTemplate team-a/gpu is defined twice in the NVIDIA DRA driver's claims",
      );
    });
  });

  describe('addMigClaimTemplate', () => {
    test('creates a template for mig.nvidia.com selecting the profile', () => {
      // GIVEN
      const dra = newDriver();

      // WHEN
      const template = dra.addMigClaimTemplate('Mig', { namespace: 'team-a', name: 'mig-1g', profile: '1g.10gb' });

      // THEN
      expect(objects(dra.claims)).toEqual([{
        apiVersion: 'resource.k8s.io/v1',
        kind: 'ResourceClaimTemplate',
        metadata: { name: 'mig-1g', namespace: 'team-a' },
        spec: {
          spec: {
            devices: {
              requests: [{
                name: 'mig',
                exactly: {
                  deviceClassName: 'mig.nvidia.com',
                  selectors: [{ cel: { expression: "device.attributes['gpu.nvidia.com'].profile == '1g.10gb'" } }],
                },
              }],
            },
          },
        },
      }]);
      expect(template.requestName).toBe('mig');
    });

    test.each(['3g.40gb', '7g.80gb', '1g.12gb+me'])('accepts profile %p', (profile) => {
      // GIVEN / WHEN / THEN
      expect(newDriver().addMigClaimTemplate('Mig', { namespace: 'team-a', name: 'mig', profile }).name).toBe('mig');
    });

    test.each(['1g', 'mig-1g.10gb', '1g.10GB', "1g.10gb' || true", '0g.10gb'])('rejects profile %p', (profile) => {
      // GIVEN / WHEN / THEN
      expect(() => newDriver().addMigClaimTemplate('Mig', { namespace: 'team-a', name: 'mig', profile })).toThrow(
        `'profile' (${profile}) of MIG claim template 'mig' must look like '<n>g.<m>gb', e.g. '1g.10gb' or '3g.40gb'`,
      );
    });
  });

  describe('addMpsClaimTemplate', () => {
    test('creates a template with an MPS GpuConfig', () => {
      // GIVEN
      const dra = newDriver();

      // WHEN
      const template = dra.addMpsClaimTemplate('Mps', {
        namespace: 'team-a',
        name: 'mps-gpu',
        defaultActiveThreadPercentage: 50,
        defaultPinnedDeviceMemoryLimit: Size.gibibytes(10),
      });

      // THEN
      expect(objects(dra.claims)).toEqual([{
        apiVersion: 'resource.k8s.io/v1',
        kind: 'ResourceClaimTemplate',
        metadata: { name: 'mps-gpu', namespace: 'team-a' },
        spec: {
          spec: {
            devices: {
              requests: [{ name: 'mps-gpu', exactly: { deviceClassName: 'gpu.nvidia.com' } }],
              config: [{
                requests: ['mps-gpu'],
                opaque: {
                  driver: 'gpu.nvidia.com',
                  parameters: {
                    apiVersion: 'resource.nvidia.com/v1beta1',
                    kind: 'GpuConfig',
                    sharing: { strategy: 'MPS', mpsConfig: { defaultActiveThreadPercentage: 50, defaultPinnedDeviceMemoryLimit: '10Gi' } },
                  },
                },
              }],
            },
          },
        },
      }]);
      expect(template.requestName).toBe('mps-gpu');
    });

    test('renders sizes below a GiB in Mi', () => {
      // GIVEN
      const dra = newDriver();

      // WHEN
      dra.addMpsClaimTemplate('Mps', { namespace: 'team-a', name: 'mps', defaultPinnedDeviceMemoryLimit: Size.mebibytes(1536) });

      // THEN
      const config = find(objects(dra.claims), 'ResourceClaimTemplate', 'mps').spec.spec.devices.config;
      expect(config[0].opaque.parameters.sharing).toEqual({ strategy: 'MPS', mpsConfig: { defaultPinnedDeviceMemoryLimit: '1536Mi' } });
    });

    test('without limits the config has no mpsConfig', () => {
      // GIVEN
      const dra = newDriver();

      // WHEN
      dra.addMpsClaimTemplate('Mps', { namespace: 'team-a', name: 'mps' });

      // THEN
      const config = find(objects(dra.claims), 'ResourceClaimTemplate', 'mps').spec.spec.devices.config;
      expect(config[0].opaque.parameters.sharing).toEqual({ strategy: 'MPS' });
    });

    test('turns on the driver feature gate MPSSupport, also after construction', () => {
      // GIVEN
      const dra = newDriver();
      expect(dra.driver.values().featureGates).toBeUndefined();

      // WHEN
      dra.addMpsClaimTemplate('Mps', { namespace: 'team-a', name: 'mps' });

      // THEN
      expect(dra.driver.values().featureGates).toEqual({ MPSSupport: true });
    });

    test.each([0, 101, 12.5])('rejects defaultActiveThreadPercentage %p', (pct) => {
      // GIVEN / WHEN / THEN
      expect(() => newDriver().addMpsClaimTemplate('Mps', { namespace: 'team-a', name: 'mps', defaultActiveThreadPercentage: pct })).toThrow(
        `'defaultActiveThreadPercentage' (${pct}) of MPS claim template 'mps' must be a whole number from 1 to 100`,
      );
    });

    test('rejects a memory limit that is not whole mebibytes', () => {
      // GIVEN / WHEN / THEN
      expect(() => newDriver().addMpsClaimTemplate('Mps', {
        namespace: 'team-a', name: 'mps', defaultPinnedDeviceMemoryLimit: Size.kibibytes(1536),
      })).toThrow("'defaultPinnedDeviceMemoryLimit' (1572864 bytes) of MPS claim template 'mps' must be a positive whole number of mebibytes");
    });
  });

  describe('addComputeDomain', () => {
    test('creates a resource.nvidia.com/v1beta1 ComputeDomain', () => {
      // GIVEN
      const dra = newDriver();

      // WHEN
      const domain = dra.addComputeDomain('Imex', { namespace: 'training', name: 'imex-domain', claimTemplateName: 'imex-channel-0' });

      // THEN
      expect(objects(dra.claims)).toEqual([{
        apiVersion: 'resource.nvidia.com/v1beta1',
        kind: 'ComputeDomain',
        metadata: { name: 'imex-domain', namespace: 'training' },
        spec: { channel: { resourceClaimTemplate: { name: 'imex-channel-0' } } },
      }]);
      expect([domain.name, domain.namespace, domain.claimTemplateName]).toEqual(['imex-domain', 'training', 'imex-channel-0']);
    });

    test('channelAllocation ALL asks for every channel', () => {
      // GIVEN
      const dra = newDriver();

      // WHEN
      dra.addComputeDomain('Imex', {
        namespace: 'training', name: 'imex', claimTemplateName: 'imex-all', channelAllocation: ComputeDomainChannelAllocation.ALL,
      });

      // THEN
      expect(find(objects(dra.claims), 'ComputeDomain', 'imex').spec.channel).toEqual({
        resourceClaimTemplate: { name: 'imex-all' }, allocationMode: 'All',
      });
    });

    test('rejects a ComputeDomain when computeDomains is off', () => {
      // GIVEN / WHEN / THEN
      expect(() => newDriver({ computeDomains: false }).addComputeDomain('Imex', {
        namespace: 'training', name: 'imex', claimTemplateName: 'imex-channel',
      })).toThrow("ComputeDomain 'imex' needs 'computeDomains' enabled on the NVIDIA DRA driver (it is false)");
    });

    test('rejects a claimTemplateName already used by a claim template', () => {
      // GIVEN
      const dra = newDriver();
      dra.addGpuClaimTemplate('Gpu', { namespace: 'training', name: 'imex-channel' });

      // WHEN / THEN
      expect(() => dra.addComputeDomain('Imex', { namespace: 'training', name: 'imex', claimTemplateName: 'imex-channel' })).toThrow(
        "ResourceClaimTemplate training/imex-channel is defined twice in the NVIDIA DRA driver's claims",
      );
    });

    test('rejects an invalid claimTemplateName', () => {
      // GIVEN / WHEN / THEN
      expect(() => newDriver().addComputeDomain('Imex', { namespace: 'training', name: 'imex', claimTemplateName: 'Channel' })).toThrow(
        "'claimTemplateName' (Channel) must be a DNS subdomain: 1-253 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit",
      );
    });
  });

  describe('validation', () => {
    test('rejects Kubernetes below 1.34', () => {
      // GIVEN
      const definition = new PlatformDefinition({ clusterName: 'old', region: REGION, kubernetesVersion: '1.33' });

      // WHEN / THEN
      expect(() => newDriver({}, definition)).toThrow(
        'the NVIDIA DRA driver needs Kubernetes 1.34 or later (resource.k8s.io/v1); the platform runs 1.33',
      );
    });
  });

  test('every emitted object is valid against its upstream schema', () => {
    // GIVEN
    const dra = newDriver();

    // WHEN
    dra.addGpuClaimTemplate('Gpu', { namespace: 'team-a', name: 'single-gpu' });
    dra.addGpuClaimTemplate('Gpus', { namespace: 'team-a', name: 'four-gpus', count: 4 });
    dra.addMigClaimTemplate('Mig', { namespace: 'team-a', name: 'mig-1g', profile: '1g.10gb' });
    dra.addMpsClaimTemplate('Mps', {
      namespace: 'team-a', name: 'mps', defaultActiveThreadPercentage: 50, defaultPinnedDeviceMemoryLimit: Size.gibibytes(10),
    });
    dra.addComputeDomain('Imex', { namespace: 'training', name: 'imex', claimTemplateName: 'imex-channel-0' });
    dra.addComputeDomain('ImexAll', {
      namespace: 'training', name: 'imex-all', claimTemplateName: 'imex-all', channelAllocation: ComputeDomainChannelAllocation.ALL,
    });
    const objs = objects(dra.claims);
    const v = dra.driver.values() as Record<string, any>;

    // THEN
    expect(objs).toHaveLength(6);
    expectValidK8sObjects(objs);
    expectValidK8sObjects([
      daemonSetWith('kubelet-plugin', { affinity: v.kubeletPlugin.affinity, tolerations: v.kubeletPlugin.tolerations }),
      daemonSetWith('controller', { affinity: v.controller.affinity }),
    ]);
  });
});
