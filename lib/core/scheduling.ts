import { JsonObject } from './deep-merge';

/**
 * Tolerates the `CriticalAddonsOnly` taint of the system managed node group, where platform controllers run (chart
 * values form: `{ key, operator }`).
 */
export const SYSTEM_NODE_TOLERATION: JsonObject = { key: 'CriticalAddonsOnly', operator: 'Exists' };
