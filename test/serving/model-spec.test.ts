import { Token } from 'aws-cdk-lib';
import { PlatformValidationError } from '../../lib/core/validation';
import {
  bytesPerParameter, kvCacheBytesPerElement, KvCacheDType, ModelSpec, ModelSpecProps, WeightDType,
} from '../../lib/serving/model-spec';

/** Asserts that `fn` throws a PlatformValidationError with exactly `message`. */
function expectValidationError(fn: () => unknown, message: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(PlatformValidationError);
  expect((thrown as Error).message).toBe(message);
}

const GIB = 1024 ** 3;

/** Valid props of a custom model (Llama 3.1 8B's shape); `overrides` replace single fields. */
function props(overrides: Partial<ModelSpecProps> = {}): ModelSpecProps {
  return {
    name: 'My 8B', huggingFaceRepo: 'example/my-8b', parameters: 8e9, layers: 32, hiddenSize: 4096,
    attentionHeads: 32, kvHeads: 8, weightDType: WeightDType.BF16, maxContextLength: 32768,
    ...overrides,
  };
}

describe('bytesPerParameter', () => {
  test.each([
    [WeightDType.BF16, 2],
    [WeightDType.FP16, 2],
    [WeightDType.FP8, 1],
    [WeightDType.INT8, 1],
    [WeightDType.INT4, 0.5],
    // MXFP4: 32 values x 4 bits + one 8-bit scale = 136 bits per 32 values = 4.25 bits = 0.53125 bytes
    [WeightDType.MXFP4, 0.53125],
  ])('%s takes %d bytes per parameter', (dtype, bytes) => {
    expect(bytesPerParameter(dtype)).toBe(bytes);
  });
});

describe('kvCacheBytesPerElement', () => {
  test('auto is the 16-bit activation dtype, fp8 one byte', () => {
    expect(kvCacheBytesPerElement(KvCacheDType.AUTO)).toBe(2);
    expect(kvCacheBytesPerElement(KvCacheDType.FP8)).toBe(1);
  });
});

describe('ModelSpec presets', () => {
  test.each([
    // name, preset, repo, layers, hidden, heads, kvHeads, headDim, context, dtype
    ['Llama 3.1 8B', ModelSpec.LLAMA_3_1_8B, 'meta-llama/Llama-3.1-8B-Instruct', 32, 4096, 32, 8, 128, 131072, WeightDType.BF16],
    ['Llama 3.1 70B', ModelSpec.LLAMA_3_1_70B, 'meta-llama/Llama-3.1-70B-Instruct', 80, 8192, 64, 8, 128, 131072, WeightDType.BF16],
    ['Qwen3 32B', ModelSpec.QWEN3_32B, 'Qwen/Qwen3-32B', 64, 5120, 64, 8, 128, 40960, WeightDType.BF16],
    ['Mistral 7B v0.3', ModelSpec.MISTRAL_7B_V0_3, 'mistralai/Mistral-7B-Instruct-v0.3', 32, 4096, 32, 8, 128, 32768, WeightDType.BF16],
    ['gpt-oss-120b', ModelSpec.GPT_OSS_120B, 'openai/gpt-oss-120b', 36, 2880, 64, 8, 64, 131072, WeightDType.MXFP4],
    ['gpt-oss-20b', ModelSpec.GPT_OSS_20B, 'openai/gpt-oss-20b', 24, 2880, 64, 8, 64, 131072, WeightDType.MXFP4],
  ])('%s has the config.json shape', (name, model, repo, layers, hidden, heads, kvHeads, headDim, context, dtype) => {
    expect(model.name).toBe(name);
    expect(model.huggingFaceRepo).toBe(repo);
    expect(model.layers).toBe(layers);
    expect(model.hiddenSize).toBe(hidden);
    expect(model.attentionHeads).toBe(heads);
    expect(model.kvHeads).toBe(kvHeads);
    expect(model.headDim).toBe(headDim);
    expect(model.maxContextLength).toBe(context);
    expect(model.weightDType).toBe(dtype);
  });

  test.each([
    // 2 (K,V) x layers x kvHeads x headDim x 2 bytes
    ['Llama 3.1 8B', ModelSpec.LLAMA_3_1_8B, 131072], // 2 x 32 x 8 x 128 x 2 = 131072 (128 KiB)
    ['Llama 3.1 70B', ModelSpec.LLAMA_3_1_70B, 327680], // 2 x 80 x 8 x 128 x 2 = 327680 (320 KiB)
    ['Qwen3 32B', ModelSpec.QWEN3_32B, 262144], // 2 x 64 x 8 x 128 x 2 = 262144 (256 KiB)
    ['Mistral 7B v0.3', ModelSpec.MISTRAL_7B_V0_3, 131072], // 2 x 32 x 8 x 128 x 2
    ['gpt-oss-120b', ModelSpec.GPT_OSS_120B, 73728], // 2 x 36 x 8 x 64 x 2 = 73728 (72 KiB)
    ['gpt-oss-20b', ModelSpec.GPT_OSS_20B, 49152], // 2 x 24 x 8 x 64 x 2 = 49152 (48 KiB)
  ])('%s KV cache per token (auto) is %d bytes, half of it with fp8', (_name, model, bytes) => {
    expect(model.kvCacheBytesPerToken()).toBe(bytes);
    expect(model.kvCacheBytesPerToken(KvCacheDType.AUTO)).toBe(bytes);
    expect(model.kvCacheBytesPerToken(KvCacheDType.FP8)).toBe(bytes / 2);
  });

  test.each([
    // bf16: parameters x 2 (the unquantized embeddings cost 2 bytes either way)
    ['Llama 3.1 8B', ModelSpec.LLAMA_3_1_8B, 16.06e9], // 8.03e9 x 2
    ['Llama 3.1 70B', ModelSpec.LLAMA_3_1_70B, 141.2e9], // 70.6e9 x 2 = 131.5 GiB
    ['Qwen3 32B', ModelSpec.QWEN3_32B, 65.6e9], // 32.8e9 x 2 = 61.09 GiB (vLLM measured 61.03 GiB)
    ['Mistral 7B v0.3', ModelSpec.MISTRAL_7B_V0_3, 14.5e9], // 7.25e9 x 2
  ])('%s bf16 weights take %d bytes', (_name, model, bytes) => {
    expect(model.weightBytes).toBeCloseTo(bytes, 0);
  });

  test('gpt-oss-120b weights: experts in MXFP4, the rest in bf16', () => {
    // 16-bit parameters: embeddings 2 x 201088 x 2880 = 1,158,266,880
    //   + 36 layers x (attention 26,555,904 + router 2880 x 128 + 128 = 368,768 + expert biases 128 x 8640 = 1,105,920)
    //   = 1,158,266,880 + 36 x 28,030,592 = 2,167,368,192
    expect(ModelSpec.GPT_OSS_120B.unquantizedParameters).toBe(2_167_368_192);
    // (116.8e9 - 2,167,368,192) x 0.53125 + 2,167,368,192 x 2 = 60,898,585,648 + 4,334,736,384 = 65,233,322,032 (60.75 GiB)
    expect(ModelSpec.GPT_OSS_120B.weightBytes).toBeCloseTo(65_233_322_032, 0);
    expect(ModelSpec.GPT_OSS_120B.parameters).toBe(116.8e9);
    expect(ModelSpec.GPT_OSS_120B.activeParameters).toBe(5.1e9);
  });

  test('gpt-oss-20b weights', () => {
    // 16-bit: 1,158,266,880 + 24 x (26,555,904 + 2880 x 32 + 32 + 32 x 8640) = 1,158,266,880 + 24 x 26,924,576 = 1,804,456,704
    expect(ModelSpec.GPT_OSS_20B.unquantizedParameters).toBe(1_804_456_704);
    // (21e9 - 1,804,456,704) x 0.53125 + 1,804,456,704 x 2 = 10,197,632,376 + 3,608,913,408 = 13,806,545,784 (12.86 GiB)
    expect(ModelSpec.GPT_OSS_20B.weightBytes).toBeCloseTo(13_806_545_784, 0);
    expect(ModelSpec.GPT_OSS_20B.activeParameters).toBe(3.6e9);
  });

  test('dense presets have no active-parameter count and no KV override', () => {
    for (const model of [ModelSpec.LLAMA_3_1_8B, ModelSpec.LLAMA_3_1_70B, ModelSpec.QWEN3_32B, ModelSpec.MISTRAL_7B_V0_3]) {
      expect(model.activeParameters).toBeUndefined();
      expect(model.hasKvCacheOverride).toBe(false);
    }
  });

  test('all() lists the six presets, smallest first', () => {
    expect(ModelSpec.all().map((m) => m.name)).toEqual([
      'Mistral 7B v0.3', 'Llama 3.1 8B', 'gpt-oss-20b', 'Qwen3 32B', 'Llama 3.1 70B', 'gpt-oss-120b',
    ]);
  });
});

describe('ModelSpec.withWeightDType', () => {
  test('an FP8 checkpoint of Llama 3.1 8B keeps embeddings and lm_head in bf16', () => {
    // GIVEN
    const fp8 = ModelSpec.LLAMA_3_1_8B.withWeightDType(WeightDType.FP8);
    // THEN: (8.03e9 - 2 x 128256 x 4096) x 1 + 2 x 128256 x 4096 x 2 = 6,979,326,848 + 2,101,346,304 = 9,080,673,152
    expect(fp8.weightBytes).toBeCloseTo(9_080_673_152, 0);
    expect(fp8.weightDType).toBe(WeightDType.FP8);
    expect(fp8.name).toBe('Llama 3.1 8B');
    expect(fp8.kvCacheBytesPerToken()).toBe(131072);
  });

  test('an FP8 Llama 70B matches the weight memory vLLM measured for Llama 3.3 70B FP8 (67.72 GiB)', () => {
    // (70.6e9 - 2,101,346,304) + 2,101,346,304 x 2 = 72,701,346,304 bytes = 67.71 GiB
    // (llm-d/llm-d-benchmark config_explorer/empirical-vllm-memory-results.md: 67.72 GiB at TP=1)
    const fp8 = ModelSpec.LLAMA_3_1_70B.withWeightDType(WeightDType.FP8);
    expect(fp8.weightBytes).toBeCloseTo(72_701_346_304, 0);
    expect(Math.abs(fp8.weightBytes / GIB - 67.72)).toBeLessThan(0.05);
  });

  test('returns a copy and leaves the preset alone', () => {
    const int4 = ModelSpec.LLAMA_3_1_70B.withWeightDType(WeightDType.INT4);
    expect(int4).not.toBe(ModelSpec.LLAMA_3_1_70B);
    expect(ModelSpec.LLAMA_3_1_70B.weightDType).toBe(WeightDType.BF16);
    expect(ModelSpec.LLAMA_3_1_70B.weightBytes).toBeCloseTo(141.2e9, 0);
    // (70.6e9 - 2,101,346,304) x 0.5 + 2,101,346,304 x 2 = 34,249,326,848 + 4,202,692,608 = 38,452,019,456
    expect(int4.weightBytes).toBeCloseTo(38_452_019_456, 0);
  });

  test('a bf16 copy of an MXFP4 model costs 2 bytes per parameter', () => {
    expect(ModelSpec.GPT_OSS_120B.withWeightDType(WeightDType.BF16).weightBytes).toBeCloseTo(233.6e9, 0);
  });
});

describe('ModelSpec.custom', () => {
  test('defaults: headDim = hiddenSize / attentionHeads, dense, nothing unquantized', () => {
    // WHEN
    const model = ModelSpec.custom(props());
    // THEN
    expect(model.headDim).toBe(128); // 4096 / 32
    expect(model.activeParameters).toBeUndefined();
    expect(model.unquantizedParameters).toBe(0);
    expect(model.weightBytes).toBe(16e9);
    expect(model.kvCacheBytesPerToken()).toBe(131072);
  });

  test('an explicit headDim wins over hiddenSize / attentionHeads', () => {
    const model = ModelSpec.custom(props({ hiddenSize: 5120, attentionHeads: 64, headDim: 128 }));
    expect(model.headDim).toBe(128);
    // 2 x 32 x 8 x 128 x 2
    expect(model.kvCacheBytesPerToken()).toBe(131072);
  });

  test('a KV override (MLA) is used as given for every KV dtype', () => {
    // GIVEN DeepSeek-V3-like MLA: (kv_lora_rank 512 + qk_rope_head_dim 64) x 61 layers x 2 bytes = 70,272 bytes
    const model = ModelSpec.custom(props({
      name: 'MLA', layers: 61, hiddenSize: 7168, attentionHeads: 128, kvHeads: 128, kvCacheBytesPerTokenOverride: 70272,
    }));
    // THEN
    expect(model.hasKvCacheOverride).toBe(true);
    expect(model.kvCacheBytesPerToken()).toBe(70272);
    expect(model.kvCacheBytesPerToken(KvCacheDType.FP8)).toBe(70272);
  });

  test('activeParameters equal to parameters is allowed', () => {
    expect(ModelSpec.custom(props({ activeParameters: 8e9 })).activeParameters).toBe(8e9);
  });

  test.each<[string, Partial<ModelSpecProps>, string]>([
    ['empty name', { name: ' ' }, `'name' of a model must not be empty`],
    ['repository without org', { huggingFaceRepo: 'llama' }, `'huggingFaceRepo' (llama) of model 'My 8B' must look like 'org/name'`],
    ['zero parameters', { parameters: 0 }, `'parameters' (0) of model 'My 8B' must be a positive number`],
    ['NaN parameters', { parameters: NaN }, `'parameters' (NaN) of model 'My 8B' must be a positive number`],
    ['negative active parameters', { activeParameters: -1 }, `'activeParameters' (-1) of model 'My 8B' must be a positive number`],
    ['more active than total parameters', { activeParameters: 9e9 },
      `'activeParameters' (9000000000) of model 'My 8B' must not exceed 'parameters' (8000000000)`],
    ['zero layers', { layers: 0 }, `'layers' (0) of model 'My 8B' must be an integer >= 1`],
    ['fractional layers', { layers: 31.5 }, `'layers' (31.5) of model 'My 8B' must be an integer >= 1`],
    ['zero hidden size', { hiddenSize: 0 }, `'hiddenSize' (0) of model 'My 8B' must be an integer >= 1`],
    ['negative attention heads', { attentionHeads: -32 }, `'attentionHeads' (-32) of model 'My 8B' must be an integer >= 1`],
    ['zero KV heads', { kvHeads: 0 }, `'kvHeads' (0) of model 'My 8B' must be an integer >= 1`],
    ['KV heads not dividing the heads', { kvHeads: 3 }, `'kvHeads' (3) of model 'My 8B' must divide 'attentionHeads' (32)`],
    ['more KV heads than heads', { kvHeads: 64 }, `'kvHeads' (64) of model 'My 8B' must divide 'attentionHeads' (32)`],
    ['head dim not derivable', { hiddenSize: 5000 },
      `'headDim' of model 'My 8B' is required: 'hiddenSize' (5000) is not a multiple of 'attentionHeads' (32)`],
    ['zero head dim', { headDim: 0 }, `'headDim' (0) of model 'My 8B' must be an integer >= 1`],
    ['unknown weight dtype', { weightDType: 'fp4' as WeightDType },
      `'weightDType' (fp4) of model 'My 8B' must be bf16, fp16, fp8, int8, int4 or mxfp4`],
    ['zero context', { maxContextLength: 0 }, `'maxContextLength' (0) of model 'My 8B' must be an integer >= 1`],
    ['zero KV override', { kvCacheBytesPerTokenOverride: 0 },
      `'kvCacheBytesPerTokenOverride' (0) of model 'My 8B' must be a positive number`],
    ['negative unquantized parameters', { unquantizedParameters: -1 },
      `'unquantizedParameters' (-1) of model 'My 8B' must be between 0 and 'parameters' (8000000000)`],
    ['more unquantized than total parameters', { unquantizedParameters: 9e9 },
      `'unquantizedParameters' (9000000000) of model 'My 8B' must be between 0 and 'parameters' (8000000000)`],
  ])('rejects %s', (_case, overrides, message) => {
    expectValidationError(() => ModelSpec.custom(props(overrides)), message);
  });

  test('rejects a token where a literal number is needed', () => {
    expectValidationError(() => ModelSpec.custom(props({ layers: Token.asNumber({ resolve: () => 32 }) })),
      `'layers' of model 'My 8B' must be a literal number, not a token: sizing happens at synth time`);
    expectValidationError(() => ModelSpec.custom(props({ parameters: Token.asNumber({ resolve: () => 8e9 }) })),
      `'parameters' of model 'My 8B' must be a literal number, not a token: sizing happens at synth time`);
  });

  test('withWeightDType keeps the other custom fields', () => {
    const model = ModelSpec.custom(props({ unquantizedParameters: 1e9, activeParameters: 2e9 }));
    const fp8 = model.withWeightDType(WeightDType.FP8);
    // (8e9 - 1e9) x 1 + 1e9 x 2 = 9e9
    expect(fp8.weightBytes).toBe(9e9);
    expect(fp8.activeParameters).toBe(2e9);
    expect(fp8.huggingFaceRepo).toBe('example/my-8b');
  });
});

describe('ModelSpec gating', () => {
  test('Llama 3.1 and Mistral 7B v0.3 are gated on Hugging Face; Qwen3 and gpt-oss are not', () => {
    // GIVEN / WHEN / THEN
    expect(ModelSpec.all().map((m) => [m.name, m.gated])).toEqual([
      ['Mistral 7B v0.3', true], ['Llama 3.1 8B', true], ['gpt-oss-20b', false], ['Qwen3 32B', false],
      ['Llama 3.1 70B', true], ['gpt-oss-120b', false],
    ]);
  });

  test('withWeightDType keeps the flag', () => {
    // GIVEN / WHEN / THEN
    expect(ModelSpec.LLAMA_3_1_8B.withWeightDType(WeightDType.FP8).gated).toBe(true);
  });

  test('custom specs are ungated unless they say so', () => {
    // GIVEN
    const props = {
      name: 'Mine', huggingFaceRepo: 'me/mine', parameters: 1e9, layers: 2, hiddenSize: 64, attentionHeads: 4, kvHeads: 4,
      weightDType: WeightDType.BF16, maxContextLength: 4096,
    };

    // WHEN / THEN
    expect(ModelSpec.custom(props).gated).toBe(false);
    expect(ModelSpec.custom({ ...props, gated: true }).gated).toBe(true);
  });
});
