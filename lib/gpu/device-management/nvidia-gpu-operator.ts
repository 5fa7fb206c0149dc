import { Construct } from 'constructs';
import { MigStrategy, DEFAULT_DEVICE_PLUGIN_CONFIG } from './device-plugin-config';
import { DeviceManagement } from './labels';
import { devicePluginConfigs } from './private/device-plugin-config';
import { GPU_TOLERATION } from './private/scheduling';
import { HelmComponent, Stage } from '../../core/component';
import { CrdBundleComponent, packagedCrdFile } from '../../core/crd-bundle';
import { JsonObject } from '../../core/deep-merge';
import { PlatformDefinition } from '../../core/platform-definition';
import { PodSecurityLevel } from '../../core/pod-security';
import { check, checkDnsLabel } from '../../core/validation';
import { HelmChartVersion } from '../../versions';

/** Namespace of the GPU Operator (upstream's install default). */
export const GPU_OPERATOR_NAMESPACE = 'gpu-operator';

/** ConfigMap the GPU Operator chart creates with the device plugin configurations. */
export const GPU_OPERATOR_DEVICE_PLUGIN_CONFIG_MAP = 'device-plugin-config';

/**
 * The CRDs of the GPU Operator chart that the `gpu-operator-crds` component applies: files shipped with the package
 * under `crds/gpu-operator-v26.7.0/`, copied unmodified from NVIDIA/gpu-operator@v26.7.0:deployments/gpu-operator/crds/
 * and the node-feature-discovery sub-chart's crds/ (crds/SOURCES.md). The chart's own `crds/` folder is skipped because it also carries
 * the ComputeDomain CRDs (`resource.nvidia.com`), which the NVIDIA DRA driver chart owns, in a different version
 * (the operator's copy requires `numNodes`; the driver's defaults it to 0).
 */
export const GPU_OPERATOR_CRD_FILES: readonly string[] = [
  'nvidia.com_clusterpolicies.yaml',
  'nvidia.com_nvidiadrivers.yaml',
  'nvidia.com_gpuclusters.yaml',
  'nfd-api-crds.yaml',
];

/** The GPU Operator release whose CRD files ship with the package (`crds/gpu-operator-v26.7.0/`). */
export const GPU_OPERATOR_CRDS_VERSION = 'v26.7.0';

/** ConfigMap of MIG layouts the chart creates for the MIG manager once a pool has a MIG layout. */
export const GPU_OPERATOR_MIG_CONFIG_MAP = 'agentic-eks-mig-parted-config';

/** The MIG manager layout of nodes without MIG (the chart's `migManager.config.default`). */
export const MIG_DISABLED_LAYOUT = 'all-disabled';

/** Release label kube-prometheus-stack's Prometheus selects ServiceMonitors by, with its default values. */
export const DEFAULT_PROMETHEUS_RELEASE = 'kube-prometheus-stack';

/**
 * Node labels a GPU pool must set so that the GPU Operator deploys only the operands that fit its device
 * management. The operator runs each operand's DaemonSet on nodes labelled `nvidia.com/gpu.deploy.<operand>=true`,
 * adds missing labels as `true` and keeps values already present (NVIDIA/gpu-operator controllers/state_manager.go,
 * `addGPUStateLabels`): a pool that sets `false` at node creation keeps the operand off its nodes.
 *
 * - {@link DeviceManagement.DEVICE_PLUGIN}: none; every operand runs.
 * - {@link DeviceManagement.DRA}: no device plugin (the DRA kubelet plugin owns the GPUs).
 * - {@link DeviceManagement.BOTTLEROCKET_BUILTIN}: no device plugin and no MIG manager (the AMI runs its own).
 *
 * GFD and the DCGM exporter run on every GPU node.
 */
export function gpuOperatorNodeLabels(mode: DeviceManagement): Record<string, string> {
  switch (mode) {
    case DeviceManagement.DEVICE_PLUGIN:
      return {};
    case DeviceManagement.DRA:
      return { 'nvidia.com/gpu.deploy.device-plugin': 'false' };
    case DeviceManagement.BOTTLEROCKET_BUILTIN:
      return { 'nvidia.com/gpu.deploy.device-plugin': 'false', 'nvidia.com/gpu.deploy.mig-manager': 'false' };
  }
}

/** Options of the NVIDIA GPU Operator. */
export interface NvidiaGpuOperatorOptions {
  /**
   * The pinned chart.
   * @default HelmChartVersion.NVIDIA_GPU_OPERATOR
   */
  readonly chart?: HelmChartVersion;
  /**
   * How MIG devices are exposed (`mig.strategy`, also written into every device plugin configuration).
   * The default differs from the chart's (`single`): with `mixed` each MIG profile is its own resource
   * (`nvidia.com/mig-1g.10gb`), so nodes may mix layouts and a pod asking for `nvidia.com/gpu` never gets a slice.
   * @default MigStrategy.MIXED
   * @see https://docs.nvidia.com/datacenter/cloud-native/gpu-operator/latest/gpu-operator-mig.html
   */
  readonly migStrategy?: MigStrategy;
  /**
   * Named time-slicing configurations: config name -> replicas per GPU. Nodes pick one with the label
   * `nvidia.com/device-plugin.config=<name>`; unlabelled nodes use `default` (no sharing). One replica means
   * no sharing.
   * @default - only `default`
   * @see https://docs.nvidia.com/datacenter/cloud-native/gpu-operator/latest/gpu-sharing.html
   */
  readonly timeSlicing?: { readonly [configName: string]: number };
  /**
   * Value of the `release` label on the DCGM exporter's ServiceMonitor, which kube-prometheus-stack's Prometheus
   * selects by.
   * @default 'kube-prometheus-stack'
   */
  readonly prometheusRelease?: string;
  /**
   * Raw chart values deep-merged after the computed ones (escape hatch).
   * @default - none
   */
  readonly values?: JsonObject;
}

/** Props of the NVIDIA GPU Operator. */
export interface NvidiaGpuOperatorProps extends NvidiaGpuOperatorOptions {
  /** The platform's Kubernetes-side definition the chart is added to. */
  readonly definition: PlatformDefinition;
}

/**
 * The NVIDIA GPU Operator for EKS NVIDIA AMIs: driver and container toolkit off (the AMIs ship them), device plugin
 * with named time-slicing configurations, GFD, MIG manager and the DCGM exporter with a ServiceMonitor whose
 * `honorLabels` keeps the workload's `pod`/`namespace` labels.
 *
 * The operator has no per-operand affinity (ClusterPolicy `daemonsets` has tolerations, no affinity): DRA and
 * Bottlerocket pools keep the device plugin off their nodes with the labels of {@link gpuOperatorNodeLabels}.
 */
export class NvidiaGpuOperator extends Construct {
  /**
   * The operator's CRDs (ClusterPolicy, NVIDIADriver, GPUCluster and NFD's NodeFeature, NodeFeatureRule,
   * NodeFeatureGroup), applied from the chart's tag before the chart. The chart itself installs no CRD: its
   * `crds/` folder is skipped (it also ships the ComputeDomain CRDs the DRA driver owns) and its pre-upgrade CRD
   * hook (`operator.upgradeCRD`) is off, so every CRD has exactly one owner.
   */
  public readonly crds: CrdBundleComponent;
  /** The `gpu-operator` chart. */
  public readonly operator: HelmComponent;
  /** MIG strategy in effect. */
  public readonly migStrategy: MigStrategy;
  private readonly migLayouts = new Map<string, Readonly<Record<string, number>>>();

  constructor(scope: Construct, id: string, props: NvidiaGpuOperatorProps) {
    super(scope, id);
    this.migStrategy = props.migStrategy ?? MigStrategy.MIXED;
    const release = props.prometheusRelease ?? DEFAULT_PROMETHEUS_RELEASE;
    checkDnsLabel('prometheusRelease', release);
    const configs = devicePluginConfigs(props.timeSlicing ?? {}, this.migStrategy);
    const migStrategy = this.migStrategy;

    // Driver, toolkit, device plugin and DCGM DaemonSets run privileged with host paths.
    props.definition.requirePodSecurity(GPU_OPERATOR_NAMESPACE, PodSecurityLevel.PRIVILEGED);
    const chart = props.chart ?? HelmChartVersion.NVIDIA_GPU_OPERATOR;
    // The CRDs come from the package (crds/gpu-operator-v26.7.0/) whatever chart version is pinned: a chart override
    // to another release keeps these CRDs unless the operator adds its own bundle.
    this.crds = new CrdBundleComponent(props.definition, 'NvidiaGpuOperatorCrds', {
      name: 'gpu-operator-crds',
      description: `NVIDIA GPU Operator CRDs (ClusterPolicy, NVIDIADriver, GPUCluster, NFD) of gpu-operator ${GPU_OPERATOR_CRDS_VERSION}`,
      files: GPU_OPERATOR_CRD_FILES.map((file) => packagedCrdFile(`gpu-operator-${GPU_OPERATOR_CRDS_VERSION}`, file)),
    });
    this.operator = new HelmComponent(props.definition, 'NvidiaGpuOperator', {
      name: 'gpu-operator',
      namespace: GPU_OPERATOR_NAMESPACE,
      stage: Stage.CONTROLLERS,
      description: 'NVIDIA GPU Operator: device plugin, GFD, MIG manager and DCGM exporter on GPU nodes',
      chart,
      includesCrds: false,
      values: { render: () => ({
        // CRDs come from `gpu-operator-crds`; the pre-upgrade hook would be a second owner of four of them.
        operator: { upgradeCRD: false },
        driver: { enabled: false },
        toolkit: { enabled: false },
        mig: { strategy: migStrategy },
        migManager: { enabled: true, ...this.migManagerConfig() },
        gfd: { enabled: true },
        devicePlugin: {
          enabled: true,
          config: {
            create: true,
            name: GPU_OPERATOR_DEVICE_PLUGIN_CONFIG_MAP,
            default: DEFAULT_DEVICE_PLUGIN_CONFIG,
            data: { ...configs },
          },
        },
        dcgmExporter: {
          enabled: true,
          serviceMonitor: { enabled: true, honorLabels: true, additionalLabels: { release } },
        },
        daemonsets: { tolerations: [GPU_TOLERATION] },
        'node-feature-discovery': { worker: { tolerations: [GPU_TOLERATION] } },
      }) },
      valueOverrides: props.values,
    });
    this.operator.addDependency(this.crds);
  }

  /**
   * Adds a MIG layout to the MIG manager's configuration (mig-parted `mig-configs`): every GPU of a node labelled
   * `nvidia.com/mig.config=<name>` is split into `devices` (profile -> instances per GPU). A layout name keeps one
   * partitioning. Once a layout is added, the chart creates the ConfigMap {@link GPU_OPERATOR_MIG_CONFIG_MAP} with
   * `all-disabled` and every added layout, and the MIG manager reads it instead of the configuration it generates
   * from the hardware (values.yaml `migManager.config`).
   */
  public addMigLayout(name: string, devices: Readonly<Record<string, number>>): void {
    const existing = this.migLayouts.get(name);
    if (existing !== undefined) {
      check(JSON.stringify(existing) === JSON.stringify(devices),
        `MIG layout '${name}' is defined twice with different devices (${JSON.stringify(existing)} and ${JSON.stringify(devices)}): one name, one partitioning`);
      return;
    }
    this.migLayouts.set(name, { ...devices });
  }

  /** `migManager.config` values: the chart's defaults until a layout is added. */
  private migManagerConfig(): Record<string, unknown> {
    if (this.migLayouts.size === 0) return {};
    const lines = ['version: v1', 'mig-configs:', `  ${MIG_DISABLED_LAYOUT}:`, '    - devices: all', '      mig-enabled: false'];
    for (const name of [...this.migLayouts.keys()].sort()) {
      lines.push(`  ${name}:`, '    - devices: all', '      mig-enabled: true', '      mig-devices:');
      for (const [profile, count] of Object.entries(this.migLayouts.get(name)!)) lines.push(`        "${profile}": ${count}`);
    }
    return {
      config: {
        create: true,
        name: GPU_OPERATOR_MIG_CONFIG_MAP,
        default: MIG_DISABLED_LAYOUT,
        data: { 'config.yaml': lines.join('\n') + '\n' },
      },
    };
  }
}
