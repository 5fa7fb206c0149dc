import { Construct } from 'constructs';
import { DEFAULT_DEVICE_PLUGIN_CONFIG, MigStrategy } from './device-plugin-config';
import { ALL_DEVICE_MANAGEMENT, DeviceManagement } from './labels';
import { DEFAULT_PROMETHEUS_RELEASE } from './nvidia-gpu-operator';
import { devicePluginConfigs } from './private/device-plugin-config';
import { deviceManagementAffinity, GPU_TOLERATION } from './private/scheduling';
import { HelmComponent, Stage } from '../../core/component';
import { JsonObject } from '../../core/deep-merge';
import { PlatformDefinition } from '../../core/platform-definition';
import { PodSecurityLevel } from '../../core/pod-security';
import { checkDnsLabel } from '../../core/validation';
import { HelmChartVersion } from '../../versions';
import { SYSTEM_NODE_TOLERATION } from '../../core/scheduling';

/** Options of the standalone NVIDIA device plugin and DCGM exporter. */
export interface NvidiaDevicePluginStandaloneOptions {
  /**
   * Namespace of both charts (the EKS user guide installs the device plugin into `nvidia`).
   * @default 'nvidia'
   */
  readonly namespace?: string;
  /**
   * The pinned device plugin chart.
   * @default HelmChartVersion.NVIDIA_DEVICE_PLUGIN
   */
  readonly chart?: HelmChartVersion;
  /**
   * The pinned DCGM exporter chart.
   * @default HelmChartVersion.NVIDIA_DCGM_EXPORTER
   */
  readonly dcgmExporterChart?: HelmChartVersion;
  /**
   * How MIG devices are exposed (chart value `migStrategy` and `flags.migStrategy` of every configuration).
   * With `mixed` each MIG profile is its own resource (`nvidia.com/mig-1g.10gb`).
   * @default MigStrategy.MIXED
   * @see https://github.com/NVIDIA/k8s-device-plugin#configuration-option-details
   */
  readonly migStrategy?: MigStrategy;
  /**
   * Named time-slicing configurations: config name -> replicas per GPU (chart `config.map`). Nodes pick one with
   * the label `nvidia.com/device-plugin.config=<name>`; unlabelled nodes use `default` (no sharing). One replica
   * means no sharing.
   * @default - only `default`
   * @see https://github.com/NVIDIA/k8s-device-plugin#with-cuda-time-slicing
   */
  readonly timeSlicing?: { readonly [configName: string]: number };
  /**
   * Value of the `release` label on the DCGM exporter's ServiceMonitor.
   * @default 'kube-prometheus-stack'
   */
  readonly prometheusRelease?: string;
  /**
   * Raw device plugin chart values deep-merged after the computed ones (escape hatch).
   * @default - none
   */
  readonly values?: JsonObject;
  /**
   * Raw DCGM exporter chart values deep-merged after the computed ones (escape hatch).
   * @default - none
   */
  readonly dcgmExporterValues?: JsonObject;
}

/** Props of the standalone NVIDIA device plugin and DCGM exporter. */
export interface NvidiaDevicePluginStandaloneProps extends NvidiaDevicePluginStandaloneOptions {
  /** The platform's Kubernetes-side definition the charts are added to. */
  readonly definition: PlatformDefinition;
}

/**
 * The NVIDIA device plugin as EKS documents it for AL2023 NVIDIA nodes (`nvidia-device-plugin` chart with GFD and
 * NFD), plus the standalone DCGM exporter.
 *
 * The device plugin runs only on nodes labelled `agentic-eks.io/gpu-device-management=device-plugin`, never on DRA
 * or Bottlerocket nodes. The chart renders GFD with the same `affinity` as the device plugin
 * (templates/daemonset-gfd.yml), so GFD labels only device-plugin nodes. The DCGM exporter runs on every GPU node.
 */
export class NvidiaDevicePluginStandalone extends Construct {
  /** The `nvidia-device-plugin` chart (device plugin, GFD, NFD). */
  public readonly devicePlugin: HelmComponent;
  /** The `dcgm-exporter` chart. */
  public readonly dcgmExporter: HelmComponent;
  /** MIG strategy in effect. */
  public readonly migStrategy: MigStrategy;

  constructor(scope: Construct, id: string, props: NvidiaDevicePluginStandaloneProps) {
    super(scope, id);
    const namespace = props.namespace ?? 'nvidia';
    this.migStrategy = props.migStrategy ?? MigStrategy.MIXED;
    const release = props.prometheusRelease ?? DEFAULT_PROMETHEUS_RELEASE;
    checkDnsLabel('prometheusRelease', release);
    const configs = devicePluginConfigs(props.timeSlicing ?? {}, this.migStrategy);
    const migStrategy = this.migStrategy;

    // The device plugin and DCGM exporter mount host paths (kubelet device-plugin socket, pod-resources).
    props.definition.requirePodSecurity(namespace, PodSecurityLevel.PRIVILEGED);
    this.devicePlugin = new HelmComponent(props.definition, 'NvidiaDevicePlugin', {
      name: 'nvidia-device-plugin',
      namespace,
      stage: Stage.CONTROLLERS,
      description: 'NVIDIA device plugin with GPU feature discovery on device-plugin GPU nodes',
      chart: props.chart ?? HelmChartVersion.NVIDIA_DEVICE_PLUGIN,
      values: { render: () => ({
        migStrategy,
        config: { map: { ...configs }, default: DEFAULT_DEVICE_PLUGIN_CONFIG },
        gfd: { enabled: true },
        affinity: deviceManagementAffinity([DeviceManagement.DEVICE_PLUGIN]),
        tolerations: [SYSTEM_NODE_TOLERATION, GPU_TOLERATION],
        nfd: { worker: { tolerations: [GPU_TOLERATION] } },
      }) },
      valueOverrides: props.values,
    });

    this.dcgmExporter = new HelmComponent(props.definition, 'NvidiaDcgmExporter', {
      name: 'dcgm-exporter',
      namespace,
      stage: Stage.CONTROLLERS,
      description: 'NVIDIA DCGM exporter: GPU metrics from every GPU node, scraped through a ServiceMonitor',
      chart: props.dcgmExporterChart ?? HelmChartVersion.NVIDIA_DCGM_EXPORTER,
      includesCrds: false,
      values: { render: () => ({
        serviceMonitor: { enabled: true, honorLabels: true, additionalLabels: { release } },
        affinity: deviceManagementAffinity(ALL_DEVICE_MANAGEMENT),
        tolerations: [GPU_TOLERATION],
      }) },
      valueOverrides: props.dcgmExporterValues,
    });
  }
}
