import { JsonObject } from './deep-merge';

/** Default instance types of the system managed node group (`PlatformCluster`). */
export const DEFAULT_SYSTEM_INSTANCE_TYPES: readonly string[] = ['m7i.large', 'm6i.large'];

/**
 * Tolerates the `CriticalAddonsOnly` taint of the system managed node group, where platform controllers run (chart
 * values form: `{ key, operator }`).
 */
export const SYSTEM_NODE_TOLERATION: JsonObject = { key: 'CriticalAddonsOnly', operator: 'Exists' };
