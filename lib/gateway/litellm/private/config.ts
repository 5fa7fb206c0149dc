import { Duration } from 'aws-cdk-lib';
import * as yaml from 'js-yaml';
import { JsonObject } from '../../../core/deep-merge';
import { ModelTask } from '../../../serving/model-endpoint';
import { LiteLlmModel, LiteLlmProvider, LiteLlmSecretRef } from '../model';

/** Environment variable name of a provider secret (`SECRET_<NAME>_<KEY>`). */
export function secretEnvName(ref: LiteLlmSecretRef): string {
  return `SECRET_${ref.name}_${ref.key}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

/** A LiteLLM duration string (`30d`, `12h`, `15m`, `45s`) in the largest exact unit. */
export function liteLlmDuration(d: Duration): string {
  const s = d.toSeconds();
  if (s % 86400 === 0) return `${s / 86400}d`;
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

/** What the config file is rendered from. */
export interface ConfigInput {
  readonly models: LiteLlmModel[];
  readonly routingStrategy: string;
  readonly numRetries: number;
  readonly timeoutSeconds: number;
  readonly fallbacks: [string, string[]][];
  readonly callbacks: string[];
}

/** One `model_list` entry. */
function modelEntry(m: LiteLlmModel): JsonObject {
  const params: JsonObject = { model: `${m.provider}/${m.model}` };
  switch (m.provider) {
    case LiteLlmProvider.HOSTED_VLLM:
      params.api_base = m.apiBase ?? null;
      break;
    case LiteLlmProvider.BEDROCK:
      params.aws_region_name = m.region ?? null;
      break;
    case LiteLlmProvider.OPENAI:
    case LiteLlmProvider.ANTHROPIC:
      params.api_key = `os.environ/${secretEnvName(m.apiKeySecret!)}`;
      break;
  }
  // An embedding model: LiteLLM's health checks call /embeddings instead of /chat/completions.
  if (m.endpoint?.task === ModelTask.EMBED) return { model_name: m.name, litellm_params: params, model_info: { mode: 'embedding' } };
  return { model_name: m.name, litellm_params: params };
}

/** LiteLLM's config.yaml as data. Secrets appear only as `os.environ/...` references. */
export function liteLlmConfig(input: ConfigInput): JsonObject {
  const router: JsonObject = {
    routing_strategy: input.routingStrategy,
    num_retries: input.numRetries,
    timeout: input.timeoutSeconds,
    redis_host: 'os.environ/REDIS_HOST',
    redis_port: 'os.environ/REDIS_PORT',
    redis_password: 'os.environ/REDIS_PASSWORD',
  };
  if (input.fallbacks.length > 0) {
    router.fallbacks = input.fallbacks.map(([from, to]) => ({ [from]: [...to] }));
  }
  const settings: JsonObject = { drop_params: true };
  if (input.callbacks.length > 0) settings.callbacks = [...input.callbacks];
  return {
    model_list: input.models.map(modelEntry),
    router_settings: router,
    litellm_settings: settings,
    general_settings: {
      master_key: 'os.environ/LITELLM_MASTER_KEY',
      database_url: 'os.environ/DATABASE_URL',
    },
  };
}

/** The config rendered as YAML. */
export function liteLlmConfigYaml(input: ConfigInput): string {
  return yaml.dump(liteLlmConfig(input), { lineWidth: -1, noRefs: true });
}
