import { IModelEndpoint } from '../../serving/model-endpoint';
import { checkSecretRef } from './private/secret-ref';
import { check, checkLiteral } from '../../core/validation';

/** Provider behind a LiteLLM model entry: the prefix of its `litellm_params.model`. */
export enum LiteLlmProvider {
  /** A vLLM server of this platform (`hosted_vllm/`). */
  HOSTED_VLLM = 'hosted_vllm',
  /** Amazon Bedrock (`bedrock/`), through the proxy's EKS Pod Identity role. */
  BEDROCK = 'bedrock',
  /** OpenAI (`openai/`). */
  OPENAI = 'openai',
  /** Anthropic (`anthropic/`). */
  ANTHROPIC = 'anthropic',
}

/**
 * A key inside a secret that the operator stores in AWS Secrets Manager as `<cluster>/<namespace>/<name>` (JSON
 * property `key`); External Secrets materializes it as the Kubernetes Secret `<name>` in LiteLLM's namespace.
 */
export interface LiteLlmSecretRef {
  /** Secret name (a DNS subdomain). Never the key itself. */
  readonly name: string;
  /** Property of the secret holding the value. */
  readonly key: string;
}

/** Options every model factory accepts. */
export interface LiteLlmModelOptions {
  /**
   * Whether this entry belongs to a load-balancing group: several entries with one public name, between which
   * LiteLLM's router spreads requests. Every entry of the group must set it.
   * @default false
   * @see https://docs.litellm.ai/docs/proxy/load_balancing
   */
  readonly loadBalance?: boolean;
}

/** Options of {@link LiteLlmModel.selfHosted}. */
export interface SelfHostedModelOptions extends LiteLlmModelOptions {
  /**
   * OpenAI-compatible base URL to call instead of the model's Service (e.g. an inference gateway in front of it),
   * ending in `/v1`.
   * @default - `http://<serviceName>.<namespace>.svc:<port>/v1`
   */
  readonly gatewayUrl?: string;
}

/** Options of {@link LiteLlmModel.bedrock}. */
export interface BedrockModelOptions extends LiteLlmModelOptions {
  /**
   * Bedrock model id (`anthropic.claude-sonnet-4-5-20250929-v1:0`) or cross-region inference profile id
   * (`us.anthropic.claude-sonnet-4-5-20250929-v1:0`).
   */
  readonly modelId: string;
  /** Region LiteLLM calls Bedrock in (`aws_region_name`). */
  readonly region: string;
}

/** Options of {@link LiteLlmModel.openAi} and {@link LiteLlmModel.anthropic}. */
export interface ApiKeyModelOptions extends LiteLlmModelOptions {
  /** The provider's model name, e.g. `gpt-4.1` or `claude-sonnet-4-5`. */
  readonly model: string;
  /** The secret holding the API key. Literal keys are refused. */
  readonly apiKeySecret: LiteLlmSecretRef;
}

/** Cross-region inference profile prefixes of Bedrock model ids. */
const INFERENCE_PROFILE_PREFIX = /^(us|eu|apac|us-gov|global|jp|au|ca)\./;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Rejects an `apiKey` (or similar) literal option that plain-JavaScript callers may pass. */
function refuseLiteralKeyOptions(name: string, options: object): void {
  const raw = options as Record<string, unknown>;
  for (const k of ['apiKey', 'api_key', 'key', 'secretKey']) {
    check(raw[k] === undefined, `API key of model '${name}' must come from a Secret, not a literal value`);
  }
}

/** Internal description of a model entry, read by {@link LiteLlm}. */
interface LiteLlmModelProps {
  readonly name: string;
  readonly provider: LiteLlmProvider;
  readonly model: string;
  readonly loadBalance: boolean;
  readonly apiBase?: string;
  readonly region?: string;
  readonly apiKeySecret?: LiteLlmSecretRef;
  readonly endpoint?: IModelEndpoint;
}

/**
 * One entry of LiteLLM's `model_list`: a public model name clients send in `model`, and the provider model behind
 * it. Create entries with the static factories.
 */
export class LiteLlmModel {
  /**
   * A model served by this platform's vLLM (`hosted_vllm/<servedModelName>`), called at its Service or at
   * `gatewayUrl`. An embedding model (`task: ModelTask.EMBED`) is declared with `model_info.mode: embedding` and
   * answers `/v1/embeddings` through the proxy.
   * @param name public model name (LiteLLM `model_name`)
   */
  public static selfHosted(name: string, model: IModelEndpoint, options: SelfHostedModelOptions = {}): LiteLlmModel {
    if (options.gatewayUrl !== undefined) {
      check(/^https?:\/\/[^\s/]+(\/\S*)?$/.test(options.gatewayUrl),
        `'gatewayUrl' (${options.gatewayUrl}) of model '${name}' must be an http:// or https:// URL`);
    }
    return new LiteLlmModel({
      name,
      provider: LiteLlmProvider.HOSTED_VLLM,
      model: model.servedModelName,
      loadBalance: options.loadBalance ?? false,
      apiBase: options.gatewayUrl ?? `http://${model.serviceName}.${model.namespace}.svc:${model.port}/v1`,
      endpoint: model,
    });
  }

  /**
   * An Amazon Bedrock model (`bedrock/<modelId>`). The proxy's Pod Identity role may invoke exactly this model.
   * @param name public model name (LiteLLM `model_name`)
   */
  public static bedrock(name: string, options: BedrockModelOptions): LiteLlmModel {
    refuseLiteralKeyOptions(name, options);
    checkLiteral(`modelId of model '${name}'`, options.modelId);
    check(/^[a-zA-Z0-9][-a-zA-Z0-9.:_]*$/.test(options.modelId),
      `'modelId' (${options.modelId}) of model '${name}' must be a Bedrock model or inference profile id`);
    check(options.region !== undefined && options.region.trim() !== '',
      `Bedrock model '${name}' (${options.modelId}) needs a 'region'`);
    check(REGION.test(options.region), `'region' (${options.region}) of model '${name}' must be an AWS region such as us-east-1`);
    return new LiteLlmModel({
      name,
      provider: LiteLlmProvider.BEDROCK,
      model: options.modelId,
      loadBalance: options.loadBalance ?? false,
      region: options.region,
    });
  }

  /**
   * An OpenAI model (`openai/<model>`), with its API key from a secret.
   * @param name public model name (LiteLLM `model_name`)
   */
  public static openAi(name: string, options: ApiKeyModelOptions): LiteLlmModel {
    return LiteLlmModel.withApiKey(name, LiteLlmProvider.OPENAI, options);
  }

  /**
   * An Anthropic model (`anthropic/<model>`), with its API key from a secret.
   * @param name public model name (LiteLLM `model_name`)
   */
  public static anthropic(name: string, options: ApiKeyModelOptions): LiteLlmModel {
    return LiteLlmModel.withApiKey(name, LiteLlmProvider.ANTHROPIC, options);
  }

  private static withApiKey(name: string, provider: LiteLlmProvider, options: ApiKeyModelOptions): LiteLlmModel {
    refuseLiteralKeyOptions(name, options);
    checkSecretRef(`model '${name}'`, options.apiKeySecret, `API key of model '${name}' must come from a Secret, not a literal value`);
    checkLiteral(`model of '${name}'`, options.model);
    return new LiteLlmModel({
      name,
      provider,
      model: options.model,
      loadBalance: options.loadBalance ?? false,
      apiKeySecret: { name: options.apiKeySecret.name, key: options.apiKeySecret.key },
    });
  }

  /** Public model name (`model_name`). */
  public readonly name: string;
  /** Provider. */
  public readonly provider: LiteLlmProvider;
  /** Provider model (without the provider prefix): vLLM served name, Bedrock model id, OpenAI/Anthropic model. */
  public readonly model: string;
  /** Whether the entry is part of a load-balancing group. */
  public readonly loadBalance: boolean;
  /** Base URL (self-hosted models). */
  public readonly apiBase?: string;
  /** Bedrock region. */
  public readonly region?: string;
  /** Secret of the API key (OpenAI, Anthropic). */
  public readonly apiKeySecret?: LiteLlmSecretRef;
  /** The platform model behind a self-hosted entry. */
  public readonly endpoint?: IModelEndpoint;

  private constructor(props: LiteLlmModelProps) {
    check(typeof props.name === 'string' && /^[A-Za-z0-9][-A-Za-z0-9._:/]{0,127}$/.test(props.name),
      `model name '${props.name}' must be 1-128 letters, digits, '-', '.', '_', ':' or '/', starting with a letter or digit`);
    this.name = props.name;
    this.provider = props.provider;
    this.model = props.model;
    this.loadBalance = props.loadBalance;
    this.apiBase = props.apiBase;
    this.region = props.region;
    this.apiKeySecret = props.apiKeySecret;
    this.endpoint = props.endpoint;
  }

  /** For Bedrock entries: whether `model` is a cross-region inference profile id (`us.anthropic...`). */
  public get isInferenceProfile(): boolean {
    return this.provider === LiteLlmProvider.BEDROCK && INFERENCE_PROFILE_PREFIX.test(this.model);
  }

  /** For Bedrock inference profiles: the foundation model id without the geography prefix. */
  public get foundationModelId(): string {
    return this.isInferenceProfile ? this.model.replace(INFERENCE_PROFILE_PREFIX, '') : this.model;
  }
}
