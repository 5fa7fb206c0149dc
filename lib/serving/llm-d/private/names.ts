/** Suffix of every EPP object name (Deployment, Service, ServiceAccount, ConfigMap), as the upstream chart names them. */
export const EPP_SUFFIX = '-epp';

/** Longest pool name whose `<name>-epp` is still a DNS label (63 characters). */
export const MAX_POOL_NAME_LENGTH = 63 - EPP_SUFFIX.length;

/**
 * A DNS label derived from a served model name: lower case, every run of other characters turned into one '-',
 * trimmed to {@link MAX_POOL_NAME_LENGTH}. `Qwen/Qwen3-32B` becomes `qwen-qwen3-32b`. Empty when nothing is left.
 */
export function dnsLabelFrom(servedModelName: string): string {
  return servedModelName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_POOL_NAME_LENGTH)
    .replace(/^-+|-+$/g, '');
}

/** Renders labels as a flow mapping for messages: `{app: vllm, tier: gpu}`. */
export function showLabels(labels: Record<string, string>): string {
  return `{${Object.entries(labels).map(([k, v]) => `${k}: ${v}`).join(', ')}}`;
}
