import * as yaml from 'js-yaml';
import { JsonObject } from '../../../core/deep-merge';

/** apiVersion of the EPP plugin configuration (a file read by the EPP, not a CRD). */
export const ENDPOINT_PICKER_CONFIG_API_VERSION = 'llm-d.ai/v1alpha1';

/** Plugin types of the upstream default scheduling profile (llm-d-router routerlib `_config.yaml`). */
export const PLUGIN_TYPES = {
  queue: 'queue-scorer',
  kvCacheUtilization: 'kv-cache-utilization-scorer',
  prefixCache: 'prefix-cache-scorer',
  approxPrefixProducer: 'approx-prefix-cache-producer',
  metricsDataSource: 'metrics-data-source',
  coreMetricsExtractor: 'core-metrics-extractor',
} as const;

/** What the default profile is built from. */
export interface EndpointPickerConfigInput {
  /** Weight of `queue-scorer`; 0 leaves it out. */
  readonly queueWeight: number;
  /** Weight of `kv-cache-utilization-scorer`; 0 leaves it out. */
  readonly kvCacheUtilizationWeight: number;
  /** Weight of `prefix-cache-scorer`; 0 leaves it (and its producer) out. */
  readonly prefixCacheWeight: number;
  /** Block size of the approximate prefix index before auto-tuning reads the model's metrics. */
  readonly prefixCacheBlockSize?: number;
  /** Path the EPP scrapes on every model-server pod. */
  readonly metricsPath: string;
}

/**
 * The `EndpointPickerConfig` as a JSON object, shaped like the upstream chart's default profile
 * (llm-d/llm-d-router config/charts/routerlib/templates/_config.yaml): queue (2), KV-cache utilization (2) and
 * prefix-cache (3) scorers plus the metrics data source and core extractor. The prefix scorer reads match data from
 * the approximate prefix producer, declared here so its fallback block size follows the model
 * (pkg/epp/framework/plugins/requestcontrol/dataproducer/approximateprefix/types.go: `autoTune`, `blockSizeTokens`).
 */
export function endpointPickerConfig(input: EndpointPickerConfigInput): JsonObject {
  const plugins: JsonObject[] = [];
  const profile: JsonObject[] = [];
  const scorer = (type: string, weight: number): void => {
    if (weight <= 0) return;
    plugins.push({ type });
    profile.push({ pluginRef: type, weight });
  };
  scorer(PLUGIN_TYPES.queue, input.queueWeight);
  scorer(PLUGIN_TYPES.kvCacheUtilization, input.kvCacheUtilizationWeight);
  if (input.prefixCacheWeight > 0) {
    const parameters: JsonObject = { autoTune: true };
    if (input.prefixCacheBlockSize !== undefined) parameters.blockSizeTokens = input.prefixCacheBlockSize;
    plugins.push({ type: PLUGIN_TYPES.approxPrefixProducer, parameters });
  }
  scorer(PLUGIN_TYPES.prefixCache, input.prefixCacheWeight);
  plugins.push(
    { type: PLUGIN_TYPES.metricsDataSource, parameters: { scheme: 'http', path: input.metricsPath, insecureSkipVerify: true } },
    { type: PLUGIN_TYPES.coreMetricsExtractor },
  );
  return {
    apiVersion: ENDPOINT_PICKER_CONFIG_API_VERSION,
    kind: 'EndpointPickerConfig',
    plugins,
    schedulingProfiles: [{ name: 'default', plugins: profile }],
  };
}

/** The configuration as the YAML file the EPP reads (`--config-file`). */
export function renderEndpointPickerConfig(input: EndpointPickerConfigInput): string {
  return yaml.dump(endpointPickerConfig(input), { lineWidth: -1, noRefs: true });
}
