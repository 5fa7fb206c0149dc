import { Size } from 'aws-cdk-lib';
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-34';
import { Construct } from 'constructs';
import { ComputeDomain, ComputeDomainSpecChannelAllocationMode } from '../../../imports/nvidia-computedomain-resource.nvidia.com';
import { DeviceManagement, GPU_DEVICE_MANAGEMENT_LABEL } from './labels';
import { deviceManagementAffinity, GPU_TOLERATION } from './private/scheduling';
import { HelmComponent, KubernetesComponent, Stage } from '../../core/component';
import { JsonObject } from '../../core/deep-merge';
import { PlatformDefinition } from '../../core/platform-definition';
import { PodSecurityLevel } from '../../core/pod-security';
import { check, checkDnsLabel, checkDnsSubdomain } from '../../core/validation';
import { HelmChartVersion } from '../../versions';

/** Namespace of the NVIDIA DRA driver (upstream's install default). */
export const NVIDIA_DRA_DRIVER_NAMESPACE = 'dra-driver-nvidia-gpu';
/** DeviceClass of whole NVIDIA GPUs, created by the DRA driver chart. */
export const NVIDIA_GPU_DEVICE_CLASS = 'gpu.nvidia.com';
/** DeviceClass of NVIDIA MIG devices, created by the DRA driver chart. */
export const NVIDIA_MIG_DEVICE_CLASS = 'mig.nvidia.com';
/** The DRA driver that owns GPU and MIG devices (and reads their opaque configuration). */
export const NVIDIA_GPU_DRA_DRIVER = 'gpu.nvidia.com';

/** A MIG profile as the driver publishes it (`<compute slices>g.<memory>gb`, optional `+me`). */
const MIG_PROFILE = /^[1-9][0-9]*g\.[1-9][0-9]*gb(\+me)?$/;
const GIB = 1024 * 1024 * 1024;
const MIB = 1024 * 1024;

/** How many IMEX channels a ComputeDomain's claim template hands each pod. */
export enum ComputeDomainChannelAllocation {
  /** One channel (the CRD's default). */
  SINGLE = 'Single',
  /** All channels of the IMEX domain. */
  ALL = 'All',
}

const ALLOCATION_MODES: Record<ComputeDomainChannelAllocation, ComputeDomainSpecChannelAllocationMode> = {
  [ComputeDomainChannelAllocation.SINGLE]: ComputeDomainSpecChannelAllocationMode.SINGLE,
  [ComputeDomainChannelAllocation.ALL]: ComputeDomainSpecChannelAllocationMode.ALL,
};

/** Options every ResourceClaimTemplate shares. */
export interface ClaimTemplateOptions {
  /** Namespace of the template: the namespace of the pods that use it. A DNS label. */
  readonly namespace: string;
  /** Template name, referenced by pods' `spec.resourceClaims[].resourceClaimTemplateName`. */
  readonly name: string;
}

/** A whole-GPU claim template. */
export interface GpuClaimTemplateOptions extends ClaimTemplateOptions {
  /**
   * GPUs per claim (`exactly.count`).
   * @default 1
   */
  readonly count?: number;
}

/** A MIG-device claim template. */
export interface MigClaimTemplateOptions extends ClaimTemplateOptions {
  /**
   * MIG profile, e.g. `1g.10gb`, `3g.40gb`. The partitions must exist on the node (static MIG): the DRA driver
   * does not create them unless its alpha dynamic-MIG support is on.
   */
  readonly profile: string;
}

/** A claim template for one GPU shared through CUDA MPS. */
export interface MpsClaimTemplateOptions extends ClaimTemplateOptions {
  /**
   * Share of the GPU's SMs each client may use, in percent (1-100).
   * @default - the driver's default (no limit)
   * @see https://docs.nvidia.com/deploy/mps/index.html
   */
  readonly defaultActiveThreadPercentage?: number;
  /**
   * Device memory each client may pin. A whole number of mebibytes.
   * @default - the driver's default (no limit)
   */
  readonly defaultPinnedDeviceMemoryLimit?: Size;
}

/** Options of a ComputeDomain (Multi-Node NVLink / IMEX, e.g. p6e-gb200). */
export interface ComputeDomainOptions {
  /** Namespace of the ComputeDomain and of the pods that join it. A DNS label. */
  readonly namespace: string;
  /** ComputeDomain name. */
  readonly name: string;
  /** Name of the ResourceClaimTemplate the driver generates for the IMEX channel; pods reference it. */
  readonly claimTemplateName: string;
  /**
   * IMEX channels per pod.
   * @default ComputeDomainChannelAllocation.SINGLE
   */
  readonly channelAllocation?: ComputeDomainChannelAllocation;
}

/** A ResourceClaimTemplate pods reference by name. */
export interface GpuClaimTemplate {
  /** Template name: pod `spec.resourceClaims[].resourceClaimTemplateName`. */
  readonly name: string;
  /** Namespace of the template and its pods. */
  readonly namespace: string;
  /** Name of the device request in the claim: container `resources.claims[].request`, if a container picks one. */
  readonly requestName: string;
  /** The Kubernetes object. */
  readonly apiObject: ApiObject;
}

/** A ComputeDomain and the claim template the driver generates for it. */
export interface ComputeDomainReference {
  /** ComputeDomain name. */
  readonly name: string;
  /** Namespace. */
  readonly namespace: string;
  /** Name of the generated ResourceClaimTemplate pods reference. */
  readonly claimTemplateName: string;
  /** The Kubernetes object. */
  readonly apiObject: ApiObject;
}

/** Options of the NVIDIA DRA driver. */
export interface NvidiaDraDriverOptions {
  /**
   * The pinned chart.
   * @default HelmChartVersion.NVIDIA_DRA_DRIVER
   */
  readonly chart?: HelmChartVersion;
  /**
   * Whether the ComputeDomain part (IMEX channels for Multi-Node NVLink) runs (`resources.computeDomains.enabled`).
   * @default true
   */
  readonly computeDomains?: boolean;
  /**
   * Raw chart values deep-merged after the computed ones (escape hatch).
   * @default - none
   */
  readonly values?: JsonObject;
}

/** The MIG devices a DRA pool's nodes carry, as the GPU layer reports them to the driver. */
export interface DraMigOffer {
  /** NodePool name. */
  readonly pool: string;
  /** MIG layout name, if the pool has one. */
  readonly layout?: string;
  /** GPU models of the pool. */
  readonly gpus: string[];
  /** MIG profiles the layout creates on every GPU. */
  readonly profiles: string[];
}

/** Props of the NVIDIA DRA driver. */
export interface NvidiaDraDriverProps extends NvidiaDraDriverOptions {
  /** The platform's Kubernetes-side definition the chart and the claims component are added to. */
  readonly definition: PlatformDefinition;
  /**
   * The MIG devices of the DRA pools: when given, a MIG claim template is refused unless some DRA pool's MIG layout
   * creates its profile (static MIG: the driver publishes only partitions that exist).
   * @default - MIG claim templates are not checked against pools
   */
  readonly migOffers?: IDraMigOffers;
}

/** Reports the MIG devices of the DRA pools, late (pools may be added after the driver). */
export interface IDraMigOffers {
  /** The MIG devices of every DRA pool. */
  migOffers(): DraMigOffer[];
}

/**
 * The NVIDIA DRA driver for GPUs with the host driver of the EKS NVIDIA AMIs (`nvidiaDriverRoot: /`). Its kubelet
 * plugin runs only on nodes labelled `agentic-eks.io/gpu-device-management=dra`, so it never meets a device plugin
 * (the chart refuses GPU resources without `gpuResourcesEnabledOverride`, which this construct sets for that reason).
 *
 * Claim templates and ComputeDomains go to the `gpu-claims` component, applied after the driver.
 */
export class NvidiaDraDriver extends Construct {
  /** The `dra-driver-nvidia-gpu` chart. */
  public readonly driver: HelmComponent;
  /** The component holding ResourceClaimTemplates and ComputeDomains. */
  public readonly claims: KubernetesComponent;
  /** Whether ComputeDomains are enabled. */
  public readonly computeDomains: boolean;
  private readonly objectKeys = new Set<string>();
  private readonly migOffers?: IDraMigOffers;
  private mps = false;

  constructor(scope: Construct, id: string, props: NvidiaDraDriverProps) {
    super(scope, id);
    const definition = props.definition;
    const [major, minor] = definition.kubernetesVersion.split('.').map((x) => parseInt(x, 10));
    check(major > 1 || minor >= 34,
      `the NVIDIA DRA driver needs Kubernetes 1.34 or later (resource.k8s.io/v1); the platform runs ${definition.kubernetesVersion}`);
    this.computeDomains = props.computeDomains ?? true;
    this.migOffers = props.migOffers;
    const computeDomains = this.computeDomains;

    // The kubelet plugin runs privileged with host paths (CDI specs, driver root).
    definition.requirePodSecurity(NVIDIA_DRA_DRIVER_NAMESPACE, PodSecurityLevel.PRIVILEGED);
    this.driver = new HelmComponent(definition, 'NvidiaDraDriver', {
      name: 'dra-driver-nvidia-gpu',
      namespace: NVIDIA_DRA_DRIVER_NAMESPACE,
      stage: Stage.CONTROLLERS,
      description: 'NVIDIA DRA driver: GPUs, MIG devices and ComputeDomains through ResourceClaims on DRA GPU nodes',
      chart: props.chart ?? HelmChartVersion.NVIDIA_DRA_DRIVER,
      values: { render: () => ({
        nvidiaDriverRoot: '/',
        gpuResourcesEnabledOverride: true,
        resources: { gpus: { enabled: true }, computeDomains: { enabled: computeDomains } },
        ...(this.mps ? { featureGates: { MPSSupport: true } } : {}),
        kubeletPlugin: {
          affinity: deviceManagementAffinity([DeviceManagement.DRA]),
          tolerations: [GPU_TOLERATION],
        },
        // Upstream prefers a control-plane node, which EKS does not expose (kubernetes-sigs/dra-driver-nvidia-gpu#1047;
        // 0.4.0 values.yaml: a preferred term only): require "not a GPU node" so the controller stays on system or
        // general nodes. Helm merges this map into the chart's affinity; the preferred term stays, harmlessly.
        controller: {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: GPU_DEVICE_MANAGEMENT_LABEL, operator: 'DoesNotExist' }] }],
              },
            },
          },
        },
      }) },
      valueOverrides: props.values,
    });

    this.claims = new KubernetesComponent(definition, 'NvidiaGpuClaims', {
      name: 'gpu-claims',
      stage: Stage.CONFIGURATION,
      description: 'ResourceClaimTemplates and ComputeDomains of the NVIDIA DRA driver',
    });
    this.claims.addDependency(this.driver);
  }

  /** Adds a ResourceClaimTemplate for `count` whole GPUs (DeviceClass `gpu.nvidia.com`). */
  public addGpuClaimTemplate(id: string, options: GpuClaimTemplateOptions): GpuClaimTemplate {
    this.checkTemplate(options);
    if (options.count !== undefined) {
      check(Number.isInteger(options.count) && options.count >= 1,
        `'count' (${options.count}) of GPU claim template '${options.name}' must be a whole number of at least 1`);
    }
    return this.claimTemplate(id, options, 'gpu', {
      requests: [{
        name: 'gpu',
        exactly: { deviceClassName: NVIDIA_GPU_DEVICE_CLASS, ...(options.count !== undefined ? { count: options.count } : {}) },
      }],
    });
  }

  /** Adds a ResourceClaimTemplate for one MIG device of `profile` (DeviceClass `mig.nvidia.com`). */
  public addMigClaimTemplate(id: string, options: MigClaimTemplateOptions): GpuClaimTemplate {
    this.checkTemplate(options);
    check(MIG_PROFILE.test(options.profile),
      `'profile' (${options.profile}) of MIG claim template '${options.name}' must look like '<n>g.<m>gb', e.g. '1g.10gb' or '3g.40gb'`);
    if (this.migOffers !== undefined) {
      const offers = this.migOffers.migOffers();
      const pools = offers.map((o) => `${o.pool} (${o.gpus.join(', ')}: ${o.layout === undefined ? 'no migLayout' : o.layout})`);
      check(offers.some((o) => o.profiles.includes(options.profile)),
        `MIG claim template '${options.name}' asks for profile '${options.profile}', which no DRA GPU NodePool creates: add the pool first, with 'migLayout' `
        + `(e.g. MigLayout.uniform('${options.profile}')) on GPUs that offer the profile (DRA pools: ${pools.join('; ') || 'none'})`);
    }
    return this.claimTemplate(id, options, 'mig', {
      requests: [{
        name: 'mig',
        exactly: {
          deviceClassName: NVIDIA_MIG_DEVICE_CLASS,
          selectors: [{ cel: { expression: `device.attributes['${NVIDIA_GPU_DRA_DRIVER}'].profile == '${options.profile}'` } }],
        },
      }],
    });
  }

  /**
   * Adds a ResourceClaimTemplate for one GPU shared through CUDA MPS (opaque `GpuConfig` with `sharing.strategy:
   * MPS`). Turns on the driver's alpha `MPSSupport` feature gate.
   */
  public addMpsClaimTemplate(id: string, options: MpsClaimTemplateOptions): GpuClaimTemplate {
    this.checkTemplate(options);
    const percentage = options.defaultActiveThreadPercentage;
    if (percentage !== undefined) {
      check(Number.isInteger(percentage) && percentage >= 1 && percentage <= 100,
        `'defaultActiveThreadPercentage' (${percentage}) of MPS claim template '${options.name}' must be a whole number from 1 to 100`);
    }
    const limit = options.defaultPinnedDeviceMemoryLimit;
    const mpsConfig: Record<string, unknown> = {};
    if (percentage !== undefined) mpsConfig.defaultActiveThreadPercentage = percentage;
    if (limit !== undefined) mpsConfig.defaultPinnedDeviceMemoryLimit = memoryQuantity(limit, options.name);
    this.mps = true;
    return this.claimTemplate(id, options, 'mps-gpu', {
      requests: [{ name: 'mps-gpu', exactly: { deviceClassName: NVIDIA_GPU_DEVICE_CLASS } }],
      config: [{
        requests: ['mps-gpu'],
        opaque: {
          driver: NVIDIA_GPU_DRA_DRIVER,
          parameters: {
            apiVersion: 'resource.nvidia.com/v1beta1',
            kind: 'GpuConfig',
            sharing: { strategy: 'MPS', ...(Object.keys(mpsConfig).length > 0 ? { mpsConfig } : {}) },
          },
        },
      }],
    });
  }

  /**
   * Adds a ComputeDomain (`resource.nvidia.com/v1beta1`): the driver runs IMEX daemons on the nodes of its pods and
   * generates the ResourceClaimTemplate `claimTemplateName` that hands out IMEX channels. `numNodes` stays at its
   * default 0, as upstream recommends with `IMEXDaemonsWithDNSNames` (the default feature gate).
   */
  public addComputeDomain(id: string, options: ComputeDomainOptions): ComputeDomainReference {
    check(this.computeDomains,
      `ComputeDomain '${options.name}' needs 'computeDomains' enabled on the NVIDIA DRA driver (it is false)`);
    checkDnsLabel('namespace', options.namespace);
    checkDnsSubdomain('name', options.name);
    checkDnsSubdomain('claimTemplateName', options.claimTemplateName);
    this.reserve('ComputeDomain', options.namespace, options.name);
    this.reserve('ResourceClaimTemplate', options.namespace, options.claimTemplateName);
    const apiObject = new ComputeDomain(this.claims, id, {
      metadata: { name: options.name, namespace: options.namespace },
      spec: {
        channel: {
          resourceClaimTemplate: { name: options.claimTemplateName },
          ...(options.channelAllocation !== undefined ? { allocationMode: ALLOCATION_MODES[options.channelAllocation] } : {}),
        },
      },
    });
    return { name: options.name, namespace: options.namespace, claimTemplateName: options.claimTemplateName, apiObject };
  }

  private checkTemplate(options: ClaimTemplateOptions): void {
    checkDnsLabel('namespace', options.namespace);
    checkDnsSubdomain('name', options.name);
  }

  private reserve(kind: string, namespace: string, name: string): void {
    this.claims.addDependency(PlatformDefinition.ofConstruct(this.claims).ensureNamespace(namespace));
    const key = `${kind} ${namespace}/${name}`;
    check(!this.objectKeys.has(key), `${key} is defined twice in the NVIDIA DRA driver's claims`);
    this.objectKeys.add(key);
  }

  private claimTemplate(id: string, options: ClaimTemplateOptions, requestName: string, devices: k8s.DeviceClaim): GpuClaimTemplate {
    this.reserve('ResourceClaimTemplate', options.namespace, options.name);
    const apiObject = new k8s.KubeResourceClaimTemplate(this.claims, id, {
      metadata: { name: options.name, namespace: options.namespace },
      spec: { spec: { devices } },
    });
    return { name: options.name, namespace: options.namespace, requestName, apiObject };
  }
}

/** A Kubernetes quantity (`10Gi`, `512Mi`) for a memory size; whole mebibytes only. */
function memoryQuantity(size: Size, template: string): string {
  check(!size.isUnresolved(),
    `'defaultPinnedDeviceMemoryLimit' of MPS claim template '${template}' must be a literal size, not a token`);
  const bytes = size.toBytes();
  check(bytes > 0 && bytes % MIB === 0,
    `'defaultPinnedDeviceMemoryLimit' (${bytes} bytes) of MPS claim template '${template}' must be a positive whole number of mebibytes`);
  return bytes % GIB === 0 ? `${bytes / GIB}Gi` : `${bytes / MIB}Mi`;
}
