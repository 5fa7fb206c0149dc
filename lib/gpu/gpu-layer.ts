import { Construct } from 'constructs';
import { MigStrategy } from './device-management/device-plugin-config';
import { devicePluginConfigs } from './device-management/private/device-plugin-config';
import { EfaDevicePlugin } from './device-management/efa-device-plugin';
import { DeviceManagement } from './device-management/labels';
import { NvidiaDevicePluginStandalone } from './device-management/nvidia-device-plugin';
import { NvidiaDraDriver } from './device-management/nvidia-dra-driver';
import { NvidiaGpuOperator, gpuOperatorNodeLabels } from './device-management/nvidia-gpu-operator';
import { GpuNodePool, GpuNodePoolOptions } from './gpu-node-pool';
import { JsonObject } from '../core/deep-merge';
import { PlatformDefinition } from '../core/platform-definition';
import { check } from '../core/validation';
import { Karpenter } from '../karpenter/karpenter';

/** Which device plugin runs on GPU nodes that are not DRA-managed. */
export enum DevicePluginProvider {
  /** NVIDIA GPU Operator (driver and toolkit off: the EKS AMIs have them), with GFD, DCGM exporter and MIG manager. */
  GPU_OPERATOR = 'gpu-operator',
  /** The standalone NVIDIA device plugin chart (with GFD) and the DCGM exporter chart. */
  STANDALONE = 'standalone',
}

/** Options of the GPU layer. */
export interface GpuLayerOptions {
  /** Device plugin path. @default DevicePluginProvider.GPU_OPERATOR */
  readonly devicePlugin?: DevicePluginProvider;
  /**
   * Time-slicing configurations by name (replicas per GPU); a pool picks one with `timeSlicingConfig`.
   * @default - none
   */
  readonly timeSlicing?: { readonly [configName: string]: number };
  /** MIG strategy of the device plugin. @default MigStrategy.MIXED */
  readonly migStrategy?: MigStrategy;
  /** `release` label value the DCGM ServiceMonitor carries (kube-prometheus-stack selects on it). @default 'kube-prometheus-stack' */
  readonly prometheusRelease?: string;
  /** Raw values for the device plugin chart (GPU Operator or standalone plugin), deep-merged last. @default - none */
  readonly devicePluginValues?: JsonObject;
}

/** Props of the GPU layer. */
export interface GpuLayerProps extends GpuLayerOptions {
  /** The platform's definition. */
  readonly definition: PlatformDefinition;
  /** Karpenter, which holds the pools. */
  readonly karpenter: Karpenter;
}

/**
 * GPU infrastructure: GPU NodePools plus, installed once and only when a pool needs them, the device plugin path
 * (GPU Operator or standalone plugin + DCGM exporter), the EFA device plugin and the NVIDIA DRA driver. Node labels
 * set by each pool keep the device-plugin DaemonSets and the DRA kubelet plugin on disjoint nodes.
 */
export class GpuLayer extends Construct {
  /** Device plugin provider. */
  public readonly devicePluginProvider: DevicePluginProvider;
  private readonly props: GpuLayerProps;
  private readonly pools: GpuNodePool[] = [];
  private _operator?: NvidiaGpuOperator;
  private _standalone?: NvidiaDevicePluginStandalone;
  private _efa?: EfaDevicePlugin;
  private _dra?: NvidiaDraDriver;

  constructor(scope: Construct, id: string, props: GpuLayerProps) {
    super(scope, id);
    this.props = props;
    this.devicePluginProvider = props.devicePlugin ?? DevicePluginProvider.GPU_OPERATOR;
    // Fail at construction, not at the first pool, on a bad sharing configuration.
    devicePluginConfigs(props.timeSlicing ?? {}, props.migStrategy ?? MigStrategy.MIXED);
  }

  /** Adds a GPU NodePool and installs what its nodes need. */
  public addNodePool(id: string, options: GpuNodePoolOptions): GpuNodePool {
    if (options.timeSlicingConfig !== undefined) {
      const defined = Object.keys(this.props.timeSlicing ?? {});
      check(defined.includes(options.timeSlicingConfig),
        `GPU NodePool '${options.name ?? id}' uses time-slicing config '${options.timeSlicingConfig}', which is not defined in 'gpu.timeSlicing' (defined: ${defined.join(', ') || 'none'})`);
    }
    if (options.migLayout !== undefined) {
      check(this.devicePluginProvider === DevicePluginProvider.GPU_OPERATOR,
        `GPU NodePool '${options.name ?? id}' sets 'migLayout', which the GPU Operator's MIG manager applies; the standalone device plugin has none (use devicePlugin GPU_OPERATOR)`);
    }
    const pool = new GpuNodePool(this.props.karpenter.nodePools, id, {
      ...options,
      ...this.props.karpenter.nodePoolContext,
    });
    this.ensureDevicePlugin();
    this.props.karpenter.registerNodePool(pool);
    this.pools.push(pool);
    if (pool.deviceManagement === DeviceManagement.DRA) {
      void this.dra;
    }
    if (this.devicePluginProvider === DevicePluginProvider.GPU_OPERATOR) {
      for (const [k, v] of Object.entries(gpuOperatorNodeLabels(pool.deviceManagement))) pool.addLabel(k, v);
      if (pool.migLayout !== undefined) this._operator!.addMigLayout(pool.migLayout.name, pool.migDevices!);
    }
    if (pool.efa && this._efa === undefined) {
      this._efa = new EfaDevicePlugin(this, 'EfaDevicePlugin', { definition: this.props.definition });
    }
    return pool;
  }

  /** The GPU pools added so far. */
  public get nodePools(): GpuNodePool[] {
    return [...this.pools];
  }

  /** The NVIDIA DRA driver (installed on first use) with its claim templates and compute domains. */
  public get dra(): NvidiaDraDriver {
    if (this._dra === undefined) {
      this._dra = new NvidiaDraDriver(this, 'DraDriver', {
        definition: this.props.definition,
        migOffers: {
          migOffers: () => this.pools.filter((p) => p.deviceManagement === DeviceManagement.DRA).map((p) => ({
            pool: p.name, layout: p.migLayout?.name, gpus: [...new Set(p.candidates.map((c) => c.gpu.displayName))], profiles: Object.keys(p.migDevices ?? {}),
          })),
        },
      });
    }
    return this._dra;
  }

  /** The GPU Operator, if installed. */
  public get gpuOperator(): NvidiaGpuOperator | undefined {
    return this._operator;
  }

  /** The standalone device plugin and DCGM exporter, if installed. */
  public get standaloneDevicePlugin(): NvidiaDevicePluginStandalone | undefined {
    return this._standalone;
  }

  /** The EFA device plugin, if a pool uses EFA. */
  public get efaDevicePlugin(): EfaDevicePlugin | undefined {
    return this._efa;
  }

  private ensureDevicePlugin(): void {
    const common = {
      definition: this.props.definition,
      timeSlicing: this.props.timeSlicing,
      migStrategy: this.props.migStrategy,
      prometheusRelease: this.props.prometheusRelease,
      values: this.props.devicePluginValues,
    };
    if (this.devicePluginProvider === DevicePluginProvider.GPU_OPERATOR) {
      this._operator ??= new NvidiaGpuOperator(this, 'GpuOperator', common);
    } else {
      this._standalone ??= new NvidiaDevicePluginStandalone(this, 'DevicePlugin', common);
    }
  }
}
