/** Label-selector matching shared by the rules (Kubernetes `LabelSelector` and plain `selector` maps). */

/** A `matchExpressions` entry of a LabelSelector. */
export interface SelectorExpression {
  readonly key: string;
  readonly operator: string;
  readonly values?: string[];
}

/** A LabelSelector (`matchLabels` + `matchExpressions`). */
export interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: SelectorExpression[];
}

/** Narrows `x` to a plain object. */
export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** `x` as a record, or an empty one. */
export function rec(x: unknown): Record<string, unknown> {
  return isRecord(x) ? x : {};
}

/** `x` as an array of records (non-records dropped), or an empty array. */
export function recs(x: unknown): Record<string, unknown>[] {
  return Array.isArray(x) ? x.filter(isRecord) : [];
}

/** `x` as a string map (non-string values dropped). */
export function stringMap(x: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(rec(x))) {
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/** `x` as a string, or undefined. */
export function str(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined;
}

/** Reads a LabelSelector object (`{matchLabels, matchExpressions}`). */
export function labelSelector(x: unknown): LabelSelector {
  const r = rec(x);
  return {
    matchLabels: stringMap(r.matchLabels),
    matchExpressions: recs(r.matchExpressions).map((e) => ({
      key: String(e.key),
      operator: String(e.operator),
      values: Array.isArray(e.values) ? e.values.map(String) : undefined,
    })),
  };
}

/** True when the selector selects nothing in particular (no labels, no expressions): it selects everything. */
export function isEmptySelector(s: LabelSelector): boolean {
  return Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0;
}

/** True when `labels` satisfy the selector (Kubernetes semantics; an empty selector selects everything). */
export function selects(s: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(s.matchLabels ?? {})) {
    if (labels[k] !== v) return false;
  }
  for (const e of s.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In': if (!has || !values.includes(labels[e.key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** `k=v,k2=v2` for messages. */
export function formatLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  return entries.length === 0 ? '(none)' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}

/** A selector for messages: its matchLabels and expressions. */
export function formatSelector(s: LabelSelector): string {
  const parts = Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of s.matchExpressions ?? []) parts.push(`${e.key} ${e.operator}${e.values ? ` (${e.values.join(',')})` : ''}`);
  return parts.length === 0 ? '(everything)' : parts.join(',');
}
