/**
 * Shared vocabulary of the NVIDIA device plugin configuration, used by both {@link NvidiaGpuOperator} and
 * {@link NvidiaDevicePluginStandalone}.
 */

/**
 * How the device plugin and GFD expose MIG devices (device plugin `flags.migStrategy`).
 * @see https://github.com/NVIDIA/k8s-device-plugin#configuration-option-details
 */
export enum MigStrategy {
  /** MIG devices are not exposed; MIG-enabled GPUs are ignored. */
  NONE = 'none',
  /** Every MIG device of a node has the same profile and is exposed as `nvidia.com/gpu`. */
  SINGLE = 'single',
  /** Each profile is its own resource, `nvidia.com/mig-<g>g.<mem>gb`; whole GPUs stay `nvidia.com/gpu`. */
  MIXED = 'mixed',
}

/**
 * Name of the device plugin configuration that every node without a `nvidia.com/device-plugin.config` label
 * uses: whole GPUs, no sharing. Reserved: `timeSlicing` may not redefine it.
 */
export const DEFAULT_DEVICE_PLUGIN_CONFIG = 'default';

/** Node label with which a node picks a named device plugin configuration (time-slicing). */
export const DEVICE_PLUGIN_CONFIG_NODE_LABEL = 'nvidia.com/device-plugin.config';
