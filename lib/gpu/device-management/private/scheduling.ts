import { JsonObject } from '../../../core/deep-merge';
import { DeviceManagement, GPU_DEVICE_MANAGEMENT_LABEL } from '../labels';

/** Tolerates the taint every GPU node carries (`nvidia.com/gpu`, any value, NoSchedule). */
export const GPU_TOLERATION: JsonObject = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };

/** A pod `affinity` that requires {@link GPU_DEVICE_MANAGEMENT_LABEL} to be one of `modes`. */
export function deviceManagementAffinity(modes: readonly DeviceManagement[]): JsonObject {
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          { matchExpressions: [{ key: GPU_DEVICE_MANAGEMENT_LABEL, operator: 'In', values: [...modes] }] },
        ],
      },
    },
  };
}
