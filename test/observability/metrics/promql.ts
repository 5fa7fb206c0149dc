/**
 * Metric names the dashboards and alerts may use, from the references: DCGM exporter etc/default-counters.csv,
 * vLLM vllm/v1/metrics/loggers.py (histograms expose `_bucket`), Karpenter v1.14 reference/metrics.md.
 */
export const METRIC_ALLOW_LIST = new Set<string>([
  'DCGM_FI_DEV_GPU_UTIL', 'DCGM_FI_DEV_FB_USED', 'DCGM_FI_DEV_FB_FREE', 'DCGM_FI_DEV_GPU_TEMP',
  'DCGM_FI_DEV_POWER_USAGE', 'DCGM_FI_DEV_XID_ERRORS',
  'vllm:num_requests_running', 'vllm:num_requests_waiting', 'vllm:kv_cache_usage_perc',
  'vllm:prompt_tokens_total', 'vllm:generation_tokens_total', 'vllm:request_success_total',
  'vllm:prefix_cache_queries_total', 'vllm:prefix_cache_hits_total',
  'vllm:time_to_first_token_seconds_bucket', 'vllm:inter_token_latency_seconds_bucket',
  'karpenter_cloudprovider_instance_launch_failures_total', 'karpenter_nodepools_usage', 'karpenter_nodepools_limit',
]);

const PROMQL_WORDS = new Set([
  'sum', 'avg', 'max', 'min', 'count', 'rate', 'increase', 'irate', 'histogram_quantile', 'avg_over_time',
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool',
]);

/**
 * The metric names of a PromQL expression: identifiers outside label matchers, ranges, grouping clauses and string
 * literals, minus functions and keywords.
 */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"[^"]*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, ' ');
  const ids = stripped.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  return [...new Set(ids.filter((id) => !PROMQL_WORDS.has(id)))];
}
