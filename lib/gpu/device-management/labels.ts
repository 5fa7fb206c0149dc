/**
 * The node-label contract between GPU node pools and the device-management charts. Every GPU node carries
 * {@link GPU_DEVICE_MANAGEMENT_LABEL} with a {@link DeviceManagement} value; the charts schedule on it so that a
 * device-plugin DaemonSet and the DRA kubelet plugin never run on the same node.
 */

/** Node label naming who manages the node's GPUs. Values: {@link DeviceManagement}. */
export const GPU_DEVICE_MANAGEMENT_LABEL = 'agentic-eks.io/gpu-device-management';

/** Node label on nodes whose pool has EFA interfaces; the EFA device plugin runs only there (value `true`). */
export const EFA_NODE_LABEL = 'agentic-eks.io/efa';

/** Who advertises a node's NVIDIA GPUs to Kubernetes: the values of {@link GPU_DEVICE_MANAGEMENT_LABEL}. */
export enum DeviceManagement {
  /**
   * The NVIDIA device plugin (standalone chart or GPU Operator operand) advertises `nvidia.com/gpu` and
   * `nvidia.com/mig-*` extended resources.
   */
  DEVICE_PLUGIN = 'device-plugin',
  /** The NVIDIA DRA driver's kubelet plugin publishes ResourceSlices; pods use ResourceClaims. Kubernetes >= 1.34. */
  DRA = 'dra',
  /** The Bottlerocket NVIDIA AMI's own device plugin: no device-plugin DaemonSet runs on the node. */
  BOTTLEROCKET_BUILTIN = 'bottlerocket',
}

/** Every {@link DeviceManagement} value: node-wide GPU agents (DCGM exporter, GFD) run on all of them. */
export const ALL_DEVICE_MANAGEMENT: readonly DeviceManagement[] = [
  DeviceManagement.DEVICE_PLUGIN,
  DeviceManagement.DRA,
  DeviceManagement.BOTTLEROCKET_BUILTIN,
];
