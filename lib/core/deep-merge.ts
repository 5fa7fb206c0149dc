/** A JSON-like object: what Helm values, Kubernetes objects and Argo CD `valuesObject`s are made of. */
export type JsonObject = { [key: string]: unknown };

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Deep-merges `overrides` into a copy of `base`: objects merge key by key, everything else (arrays included) is
 * replaced. A key set to `undefined` in `overrides` is left as it is in `base`; `null` replaces it (Helm's way of
 * removing a chart default).
 */
export function deepMerge(base: JsonObject, overrides: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) {
      continue;
    }
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}
