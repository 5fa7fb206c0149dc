import { check, checkLiteral } from '../core/validation';
import { LiteLlm, ILiteLlm } from '../gateway/litellm/litellm';

/** Where an agent's model is served. */
export enum AgentModelProvider {
  /** The platform's LiteLLM (OpenAI-compatible), with a virtual key of the agent's own. */
  LITELLM = 'litellm',
  /** Amazon Bedrock, through the agent's Pod Identity role. */
  BEDROCK = 'bedrock',
}

/** Options of {@link AgentModel.liteLlm}. */
export interface LiteLlmAgentModelOptions {
  /** Sampling temperature, 0 to 2. @default - the model's default */
  readonly temperature?: number;
  /** Most tokens per completion. @default - the model's default */
  readonly maxTokens?: number;
}

/** Options of {@link AgentModel.bedrock}. */
export interface BedrockAgentModelOptions {
  /** Region the agent calls Bedrock in. */
  readonly region: string;
}

/** Cross-region inference profile prefixes of Bedrock model ids. */
const INFERENCE_PROFILE_PREFIX = /^(us|eu|apac|us-gov|global|jp|au|ca)\./;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * The model an agent reasons with (a kagent `ModelConfig` of its own):
 *
 * - {@link AgentModel.liteLlm}: a model name of the platform's LiteLLM, reached as an OpenAI-compatible provider
 *   (`provider: OpenAI`, `openAI.baseUrl: <litellm>/v1`) with a LiteLLM virtual key generated for the agent and
 *   limited to that model (spend per agent);
 * - {@link AgentModel.bedrock}: an Amazon Bedrock model or inference profile, invoked with the agent's own Pod
 *   Identity role (no key anywhere).
 */
export class AgentModel {
  /**
   * A model of the platform's LiteLLM. The name must be one LiteLLM serves (`model_name`): checked at synth when
   * `litellm` is the platform's {@link LiteLlm}.
   */
  public static liteLlm(litellm: ILiteLlm, model: string, options: LiteLlmAgentModelOptions = {}): AgentModel {
    checkLiteral('model', model);
    if (options.temperature !== undefined) {
      check(Number.isFinite(options.temperature) && options.temperature >= 0 && options.temperature <= 2,
        `'temperature' (${options.temperature}) of model '${model}' must be a number from 0 to 2`);
    }
    if (options.maxTokens !== undefined) {
      check(Number.isInteger(options.maxTokens) && options.maxTokens >= 1, `'maxTokens' (${options.maxTokens}) of model '${model}' must be an integer of at least 1`);
    }
    return new AgentModel(AgentModelProvider.LITELLM, model, { litellm, ...options });
  }

  /**
   * An Amazon Bedrock model id (`anthropic.claude-sonnet-4-5-20250929-v1:0`) or cross-region inference profile id
   * (`us.anthropic...`). The agent's role may invoke exactly this model (and, for a profile, its foundation model in
   * the profile's regions), within the platform's permissions boundary.
   */
  public static bedrock(modelId: string, options: BedrockAgentModelOptions): AgentModel {
    checkLiteral('modelId', modelId);
    check(/^[a-zA-Z0-9][-a-zA-Z0-9.:_]*$/.test(modelId), `'modelId' (${modelId}) must be a Bedrock model or inference profile id`);
    check(options?.region !== undefined && REGION.test(options.region),
      `'region' (${options?.region}) of Bedrock model '${modelId}' must be an AWS region such as us-east-1`);
    return new AgentModel(AgentModelProvider.BEDROCK, modelId, { region: options.region });
  }

  /** Provider. */
  public readonly provider: AgentModelProvider;
  /** LiteLLM model name, or Bedrock model id. */
  public readonly model: string;
  /** The LiteLLM (provider LITELLM). */
  public readonly litellm?: ILiteLlm;
  /** Bedrock region (provider BEDROCK). */
  public readonly region?: string;
  /** Temperature (provider LITELLM). */
  public readonly temperature?: number;
  /** Most tokens per completion (provider LITELLM). */
  public readonly maxTokens?: number;

  private constructor(provider: AgentModelProvider, model: string, o: { litellm?: ILiteLlm; region?: string; temperature?: number; maxTokens?: number }) {
    this.provider = provider;
    this.model = model;
    this.litellm = o.litellm;
    this.region = o.region;
    this.temperature = o.temperature;
    this.maxTokens = o.maxTokens;
  }

  /** For Bedrock: whether the id is a cross-region inference profile. */
  public get isInferenceProfile(): boolean {
    return this.provider === AgentModelProvider.BEDROCK && INFERENCE_PROFILE_PREFIX.test(this.model);
  }

  /** For Bedrock inference profiles: the foundation model id without the geography prefix. */
  public get foundationModelId(): string {
    return this.model.replace(INFERENCE_PROFILE_PREFIX, '');
  }

  /**
   * Throws when the model is a LiteLLM name the platform's LiteLLM does not serve (`agent` names the agent in the
   * message). Other LiteLLM implementations of {@link ILiteLlm} are not checked.
   */
  public checkServed(agent: string): void {
    if (this.provider !== AgentModelProvider.LITELLM || !(this.litellm instanceof LiteLlm)) return;
    const served = this.litellm.servedModelNames;
    check(served.includes(this.model),
      `'model' (${this.model}) of agent '${agent}' is not a model LiteLLM at ${this.litellm.url} serves (its models: ${served.join(', ')}); `
      + 'use one of them or add it to LiteLLM\'s \'models\'');
  }
}
