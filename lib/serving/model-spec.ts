import { Token } from 'aws-cdk-lib';
import { check } from '../core/validation';

/*
 * The shape of a model, as far as GPU memory sizing needs it: how many bytes its weights take and how many bytes one
 * token of KV cache takes. Numbers of the presets come from each model's Hugging Face `config.json` (keys
 * `num_hidden_layers`, `hidden_size`, `num_attention_heads`, `num_key_value_heads`, `head_dim`,
 * `max_position_embeddings`, `vocab_size`, `tie_word_embeddings`) and parameter counts from the model cards; each
 * preset says where its numbers were read.
 */

/** Storage type of a checkpoint's weights (closed set: the formats vLLM loads). */
export enum WeightDType {
  /** bfloat16, 2 bytes per parameter (the native format of most open models). */
  BF16 = 'bf16',
  /** float16, 2 bytes per parameter. */
  FP16 = 'fp16',
  /**
   * FP8 (E4M3), 1 byte per parameter. Hardware FP8 on Ada Lovelace, Hopper and Blackwell; vLLM runs FP8 checkpoints on
   * Ampere as weight-only W8A16 (FP8 Marlin), so the memory is the same there.
   * @see https://docs.vllm.ai/en/latest/features/quantization/fp8.html
   */
  FP8 = 'fp8',
  /** INT8 (W8A8 / W8A16), 1 byte per parameter; per-channel scales are negligible. */
  INT8 = 'int8',
  /** INT4 (GPTQ / AWQ), 0.5 bytes per parameter; group scales (~3% at group size 128) are not counted. */
  INT4 = 'int4',
  /**
   * OCP Microscaling FP4: blocks of 32 FP4 (E2M1) values share one 8-bit (E8M0) scale, so
   * (32 x 4 + 8) / 32 = 4.25 bits = 0.53125 bytes per parameter. gpt-oss ships its MoE experts in MXFP4.
   * @see https://www.opencompute.org/documents/ocp-microscaling-formats-mx-v1-0-spec-final-pdf
   */
  MXFP4 = 'mxfp4',
}

/** Storage type of vLLM's KV cache (`--kv-cache-dtype`; closed set). */
export enum KvCacheDType {
  /** The activation dtype of the model: bf16/fp16, 2 bytes per element. vLLM's default. */
  AUTO = 'auto',
  /**
   * FP8 (E4M3), 1 byte per element: half the KV memory of `AUTO`.
   * @see https://docs.vllm.ai/en/latest/features/quantization/quantized_kvcache.html
   */
  FP8 = 'fp8',
}

const BYTES_PER_PARAMETER: Record<WeightDType, number> = {
  [WeightDType.BF16]: 2,
  [WeightDType.FP16]: 2,
  [WeightDType.FP8]: 1,
  [WeightDType.INT8]: 1,
  [WeightDType.INT4]: 0.5,
  [WeightDType.MXFP4]: (32 * 4 + 8) / 32 / 8,
};

/**
 * Bytes one parameter takes in `dtype`: bf16/fp16 2, fp8/int8 1, int4 0.5 (group scales not counted), mxfp4 0.53125
 * (4 bits per value plus one 8-bit scale per block of 32 values).
 */
export function bytesPerParameter(dtype: WeightDType): number {
  return BYTES_PER_PARAMETER[dtype];
}

/** Bytes of one element of the KV cache in `dtype`: 2 for `AUTO` (bf16/fp16 activations), 1 for `FP8`. */
export function kvCacheBytesPerElement(dtype: KvCacheDType): number {
  return dtype === KvCacheDType.FP8 ? 1 : 2;
}

/** Bytes per parameter of the 16-bit parameters a quantized checkpoint keeps (embeddings, lm_head, ...). */
const UNQUANTIZED_BYTES = 2;

/** Properties of a {@link ModelSpec}. */
export interface ModelSpecProps {
  /** Name shown in messages, e.g. `Llama 3.1 8B`. */
  readonly name: string;
  /** Hugging Face repository, `org/name`, e.g. `meta-llama/Llama-3.1-8B-Instruct`. */
  readonly huggingFaceRepo: string;
  /** Total parameters (all experts of a MoE), e.g. `8.03e9`. Memory sizing uses this number. */
  readonly parameters: number;
  /**
   * Parameters active per token of a mixture-of-experts model. Informational: every expert stays in GPU memory, so
   * sizing uses {@link parameters}.
   * @default - a dense model (all parameters active)
   */
  readonly activeParameters?: number;
  /** Transformer layers (`num_hidden_layers`). */
  readonly layers: number;
  /** Hidden size (`hidden_size`). */
  readonly hiddenSize: number;
  /** Query heads (`num_attention_heads`). */
  readonly attentionHeads: number;
  /** Key/value heads (`num_key_value_heads`; GQA when fewer than the query heads). Must divide `attentionHeads`. */
  readonly kvHeads: number;
  /**
   * Dimension of one attention head (`head_dim`).
   * @default - hiddenSize / attentionHeads
   */
  readonly headDim?: number;
  /** How the checkpoint stores its weights. */
  readonly weightDType: WeightDType;
  /** Longest context the model supports natively (`max_position_embeddings`), in tokens. */
  readonly maxContextLength: number;
  /**
   * Bytes of KV cache per token of the whole model (all layers), for attention that the GQA formula does not describe,
   * e.g. DeepSeek's multi-head latent attention: (kv_lora_rank + qk_rope_head_dim) x layers x 2 bytes. Used as given
   * for every {@link KvCacheDType}, and replicated on every tensor-parallel rank (MLA caches one latent per token, not
   * per head).
   * @default - 2 (K and V) x layers x kvHeads x headDim x bytes per element
   */
  readonly kvCacheBytesPerTokenOverride?: number;
  /**
   * Parameters a quantized checkpoint keeps in 16 bits, whatever {@link weightDType} says: token embeddings and
   * `lm_head` (vLLM does not quantize them), and in gpt-oss's MXFP4 checkpoints also attention and router weights.
   * Irrelevant for bf16/fp16.
   * @default 0
   */
  readonly unquantizedParameters?: number;
  /**
   * Whether {@link huggingFaceRepo} is gated on Hugging Face (the repository asks users to accept its licence and
   * downloads need a token of an account that did). The serving layer refuses to serve a gated model from that
   * repository without a token Secret.
   * @default false
   * @see https://huggingface.co/docs/hub/models-gated
   */
  readonly gated?: boolean;
}

/** `a, b or c`. */
function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** Checks a literal integer of at least 1 (`what` names the prop and the model). */
function checkPositiveInteger(prop: string, value: number, model: string): void {
  check(!Token.isUnresolved(value),
    `'${prop}' of model '${model}' must be a literal number, not a token: sizing happens at synth time`);
  check(Number.isInteger(value) && value >= 1, `'${prop}' (${value}) of model '${model}' must be an integer >= 1`);
}

/** Checks a literal finite number greater than 0. */
function checkPositiveNumber(prop: string, value: number, model: string): void {
  check(!Token.isUnresolved(value),
    `'${prop}' of model '${model}' must be a literal number, not a token: sizing happens at synth time`);
  check(Number.isFinite(value) && value > 0, `'${prop}' (${value}) of model '${model}' must be a positive number`);
}

/**
 * 16-bit parameters of a gpt-oss MXFP4 checkpoint (everything but the MoE expert weights), from the architecture in
 * openai/gpt-oss `gpt_oss/torch/model.py`: vocab 201088, hidden 2880, 64 query / 8 KV heads of 64, experts with
 * intermediate size 2880.
 * - embedding + unembedding: 2 x 201088 x 2880
 * - per layer, attention: qkv 2880 x 64 x (64 + 2 x 8) + bias 5120, out 4096 x 2880 + bias 2880, sinks 64,
 *   two RMSNorm scales 2 x 2880
 * - per layer, router 2880 x E + E, expert biases E x (2 x 2880 + 2880)
 */
function gptOssUnquantizedParameters(layers: number, experts: number): number {
  const embeddings = 2 * 201088 * 2880;
  const attention = 2880 * 64 * (64 + 2 * 8) + 5120 + 4096 * 2880 + 2880 + 64 + 2 * 2880;
  const router = 2880 * experts + experts;
  const expertBiases = experts * (2 * 2880 + 2880);
  return embeddings + layers * (attention + router + expertBiases);
}

/**
 * The memory-relevant shape of a model served by vLLM. Open set: presets are constants, {@link ModelSpec.custom}
 * describes any other model. A value type: {@link ModelSpec.withWeightDType} returns a copy.
 */
export class ModelSpec {
  /**
   * Meta Llama 3.1 8B Instruct, bf16. config.json (copy read in citsjtu2020/LLM-Prof `sglang/Model_Config.md`):
   * 32 layers, hidden 4096, 32 heads, 8 KV heads (head_dim 4096 / 32 = 128), max_position_embeddings 131072,
   * vocab 128256, untied embeddings. 8.03e9 parameters (model card).
   * Gated on Hugging Face (Llama 3.1 Community License must be accepted): needs a token.
   */
  public static readonly LLAMA_3_1_8B = new ModelSpec({
    name: 'Llama 3.1 8B', huggingFaceRepo: 'meta-llama/Llama-3.1-8B-Instruct', parameters: 8.03e9, gated: true,
    layers: 32, hiddenSize: 4096, attentionHeads: 32, kvHeads: 8, headDim: 128, weightDType: WeightDType.BF16,
    maxContextLength: 131072, unquantizedParameters: 2 * 128256 * 4096,
  });

  /**
   * Meta Llama 3.1 70B Instruct, bf16: 80 layers, hidden 8192, 64 heads, 8 KV heads (head_dim 128),
   * 131072 context, vocab 128256 untied (oumi `configs/recipes/llama3_1/README.md`, read in the fork vulkomilev/oumi).
   * 70.6e9 parameters.
   * Gated on Hugging Face (Llama 3.1 Community License must be accepted): needs a token.
   */
  public static readonly LLAMA_3_1_70B = new ModelSpec({
    name: 'Llama 3.1 70B', huggingFaceRepo: 'meta-llama/Llama-3.1-70B-Instruct', parameters: 70.6e9, gated: true,
    layers: 80, hiddenSize: 8192, attentionHeads: 64, kvHeads: 8, headDim: 128, weightDType: WeightDType.BF16,
    maxContextLength: 131072, unquantizedParameters: 2 * 128256 * 8192,
  });

  /**
   * Qwen3 32B, bf16. config.json (copy in citsjtu2020/LLM-Prof): 64 layers, hidden 5120, 64 heads, 8 KV heads,
   * head_dim 128 (not hidden / heads), max_position_embeddings 40960 (131072 only with YaRN rope scaling, which this
   * preset does not assume), vocab 151936 untied. 32.8e9 parameters (model card).
   * Not gated (Apache 2.0). UNCERTAIN: not re-read on the repository page in this check.
   */
  public static readonly QWEN3_32B = new ModelSpec({
    name: 'Qwen3 32B', huggingFaceRepo: 'Qwen/Qwen3-32B', parameters: 32.8e9,
    layers: 64, hiddenSize: 5120, attentionHeads: 64, kvHeads: 8, headDim: 128, weightDType: WeightDType.BF16,
    maxContextLength: 40960, unquantizedParameters: 2 * 151936 * 5120,
  });

  /**
   * Mistral 7B Instruct v0.3, bf16: 32 layers, hidden 4096, 32 heads, 8 KV heads (head_dim 128), 32768 context,
   * vocab 32768 untied, 7.25e9 parameters. Not read from the repository's config.json (not indexed): the attention
   * shape matches Mistral 7B v0.2 configs and third-party preset tables; vocab and context are the model card's.
   * Gated on Hugging Face (contact details must be shared before download): needs a token. UNCERTAIN: not re-read on the repository page in this check.
   */
  public static readonly MISTRAL_7B_V0_3 = new ModelSpec({
    name: 'Mistral 7B v0.3', huggingFaceRepo: 'mistralai/Mistral-7B-Instruct-v0.3', parameters: 7.25e9, gated: true,
    layers: 32, hiddenSize: 4096, attentionHeads: 32, kvHeads: 8, headDim: 128, weightDType: WeightDType.BF16,
    maxContextLength: 32768, unquantizedParameters: 2 * 32768 * 4096,
  });

  /**
   * OpenAI gpt-oss-120b: MoE with 116.8e9 total / 5.1e9 active parameters (128 experts, 4 per token), 36 layers,
   * hidden 2880, 64 heads, 8 KV heads, head_dim 64 (openai/gpt-oss `gpt_oss/torch/model.py` ModelConfig defaults),
   * 131072 context. Experts in MXFP4; attention, router and embeddings (~2.17e9 parameters) in bf16.
   *
   * Estimates, not measurements: vLLM reports 64.4 GiB of weights on an H100 (llm-d/llm-d-benchmark
   * `config_explorer/empirical-vllm-memory-results.md`) where this formula gives 60.8 GiB (its MXFP4 kernels pad the
   * hidden size). Half the layers use a 128-token sliding window that vLLM's hybrid KV allocator stores for the window
   * only; the KV formula counts every layer at full context, which over-states the KV cache about twice and so leaves
   * more headroom than needed.
   * Not gated (Apache 2.0). UNCERTAIN: not re-read on the repository page in this check.
   */
  public static readonly GPT_OSS_120B = new ModelSpec({
    name: 'gpt-oss-120b', huggingFaceRepo: 'openai/gpt-oss-120b', parameters: 116.8e9, activeParameters: 5.1e9,
    layers: 36, hiddenSize: 2880, attentionHeads: 64, kvHeads: 8, headDim: 64, weightDType: WeightDType.MXFP4,
    maxContextLength: 131072, unquantizedParameters: gptOssUnquantizedParameters(36, 128),
  });

  /**
   * OpenAI gpt-oss-20b: MoE with 21e9 total / 3.6e9 active parameters (32 experts), 24 layers, same attention shape
   * as gpt-oss-120b (hidden 2880, 64 heads, 8 KV heads, head_dim 64), 131072 context, experts in MXFP4. The same
   * caveats apply (vLLM measured 13.5 GiB of weights; this formula gives 12.9 GiB).
   * Not gated (Apache 2.0). UNCERTAIN: not re-read on the repository page in this check.
   */
  public static readonly GPT_OSS_20B = new ModelSpec({
    name: 'gpt-oss-20b', huggingFaceRepo: 'openai/gpt-oss-20b', parameters: 21e9, activeParameters: 3.6e9,
    layers: 24, hiddenSize: 2880, attentionHeads: 64, kvHeads: 8, headDim: 64, weightDType: WeightDType.MXFP4,
    maxContextLength: 131072, unquantizedParameters: gptOssUnquantizedParameters(24, 32),
  });

  /** Every preset, smallest first. */
  public static all(): ModelSpec[] {
    return [
      ModelSpec.MISTRAL_7B_V0_3, ModelSpec.LLAMA_3_1_8B, ModelSpec.GPT_OSS_20B, ModelSpec.QWEN3_32B,
      ModelSpec.LLAMA_3_1_70B, ModelSpec.GPT_OSS_120B,
    ];
  }

  /** A model the presets do not cover. Every field is validated. */
  public static custom(props: ModelSpecProps): ModelSpec {
    return new ModelSpec(props);
  }

  /** Name shown in messages. */
  public readonly name: string;
  /** Hugging Face repository (`org/name`). */
  public readonly huggingFaceRepo: string;
  /** Total parameters. */
  public readonly parameters: number;
  /** Active parameters per token (MoE), or undefined for a dense model. */
  public readonly activeParameters?: number;
  /** Transformer layers. */
  public readonly layers: number;
  /** Hidden size. */
  public readonly hiddenSize: number;
  /** Query heads. */
  public readonly attentionHeads: number;
  /** Key/value heads. */
  public readonly kvHeads: number;
  /** Dimension of one attention head (resolved default). */
  public readonly headDim: number;
  /** Storage type of the weights. */
  public readonly weightDType: WeightDType;
  /** Longest native context, in tokens. */
  public readonly maxContextLength: number;
  /** KV bytes per token that replace the GQA formula, if any. */
  public readonly kvCacheBytesPerTokenOverride?: number;
  /** Parameters kept in 16 bits by quantized checkpoints. */
  public readonly unquantizedParameters: number;
  /** Whether the Hugging Face repository is gated (downloads need a token). */
  public readonly gated: boolean;

  private readonly props: ModelSpecProps;

  private constructor(props: ModelSpecProps) {
    const name = props.name;
    check(typeof name === 'string' && name.trim().length > 0, `'name' of a model must not be empty`);
    check(/^[\w.-]+\/[\w.-]+$/.test(props.huggingFaceRepo),
      `'huggingFaceRepo' (${props.huggingFaceRepo}) of model '${name}' must look like 'org/name'`);
    checkPositiveNumber('parameters', props.parameters, name);
    if (props.activeParameters !== undefined) {
      checkPositiveNumber('activeParameters', props.activeParameters, name);
      check(props.activeParameters <= props.parameters,
        `'activeParameters' (${props.activeParameters}) of model '${name}' must not exceed 'parameters' (${props.parameters})`);
    }
    checkPositiveInteger('layers', props.layers, name);
    checkPositiveInteger('hiddenSize', props.hiddenSize, name);
    checkPositiveInteger('attentionHeads', props.attentionHeads, name);
    checkPositiveInteger('kvHeads', props.kvHeads, name);
    check(props.attentionHeads % props.kvHeads === 0,
      `'kvHeads' (${props.kvHeads}) of model '${name}' must divide 'attentionHeads' (${props.attentionHeads})`);
    if (props.headDim === undefined) {
      check(props.hiddenSize % props.attentionHeads === 0,
        `'headDim' of model '${name}' is required: 'hiddenSize' (${props.hiddenSize}) is not a multiple of 'attentionHeads' (${props.attentionHeads})`);
    } else {
      checkPositiveInteger('headDim', props.headDim, name);
    }
    const dtypes = Object.values(WeightDType) as string[];
    check(dtypes.includes(props.weightDType),
      `'weightDType' (${props.weightDType}) of model '${name}' must be ${orList(dtypes)}`);
    checkPositiveInteger('maxContextLength', props.maxContextLength, name);
    if (props.kvCacheBytesPerTokenOverride !== undefined) {
      checkPositiveNumber('kvCacheBytesPerTokenOverride', props.kvCacheBytesPerTokenOverride, name);
    }
    const unquantized = props.unquantizedParameters ?? 0;
    check(!Token.isUnresolved(unquantized),
      `'unquantizedParameters' of model '${name}' must be a literal number, not a token: sizing happens at synth time`);
    check(Number.isFinite(unquantized) && unquantized >= 0 && unquantized <= props.parameters,
      `'unquantizedParameters' (${unquantized}) of model '${name}' must be between 0 and 'parameters' (${props.parameters})`);

    this.props = { ...props };
    this.name = name;
    this.huggingFaceRepo = props.huggingFaceRepo;
    this.parameters = props.parameters;
    this.activeParameters = props.activeParameters;
    this.layers = props.layers;
    this.hiddenSize = props.hiddenSize;
    this.attentionHeads = props.attentionHeads;
    this.kvHeads = props.kvHeads;
    this.headDim = props.headDim ?? props.hiddenSize / props.attentionHeads;
    this.weightDType = props.weightDType;
    this.maxContextLength = props.maxContextLength;
    this.kvCacheBytesPerTokenOverride = props.kvCacheBytesPerTokenOverride;
    this.unquantizedParameters = unquantized;
    this.gated = props.gated ?? false;
  }

  /**
   * Bytes of the weights in GPU memory:
   * `(parameters - unquantizedParameters) x bytesPerParameter(weightDType) + unquantizedParameters x 2`.
   * For bf16/fp16 that is simply `parameters x 2`.
   */
  public get weightBytes(): number {
    const quantized = this.parameters - this.unquantizedParameters;
    return quantized * bytesPerParameter(this.weightDType) + this.unquantizedParameters * UNQUANTIZED_BYTES;
  }

  /** Whether the KV cache per token comes from {@link ModelSpecProps.kvCacheBytesPerTokenOverride}. */
  public get hasKvCacheOverride(): boolean {
    return this.kvCacheBytesPerTokenOverride !== undefined;
  }

  /**
   * Bytes of KV cache one token takes over all layers:
   * `2 (K and V) x layers x kvHeads x headDim x bytes per element` (2 for `AUTO`, 1 for `FP8`), or the override.
   * @param kv KV cache dtype. @default KvCacheDType.AUTO
   */
  public kvCacheBytesPerToken(kv: KvCacheDType = KvCacheDType.AUTO): number {
    if (this.kvCacheBytesPerTokenOverride !== undefined) return this.kvCacheBytesPerTokenOverride;
    return 2 * this.layers * this.kvHeads * this.headDim * kvCacheBytesPerElement(kv);
  }

  /** A copy with other weight storage, e.g. an FP8 checkpoint of the same model. */
  public withWeightDType(weightDType: WeightDType): ModelSpec {
    return new ModelSpec({ ...this.props, weightDType });
  }
}
