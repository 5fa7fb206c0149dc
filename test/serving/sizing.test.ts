import { Token } from 'aws-cdk-lib';
import { PlatformValidationError } from '../../lib/core/validation';
import { GpuInstanceType } from '../../lib/gpu/catalog';
import { KvCacheDType, ModelSpec, ModelSpecProps, WeightDType } from '../../lib/serving/model-spec';
import {
  checkTensorParallelFits, DEFAULT_GPU_MEMORY_UTILIZATION, describeModelLayout, LayoutOption, SIZING_OVERHEAD, sizeModel,
  SizingRequest,
} from '../../lib/serving/sizing';

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
const type = (name: string) => GpuInstanceType.of(name);

/*
 * Usable bytes per GPU at the default utilization 0.9 (memory x 0.9 - (2 GiB + 5% of memory) = memory x 0.85 - 2 GiB):
 * - L40S 45776 MiB = 47,999,614,976 B -> 40,799,672,729.6 - 2,147,483,648 = 38,652,189,081.6 (36.0 GiB)
 * - H100 81920 MiB = 85,899,345,920 B -> 73,014,444,032 - 2,147,483,648 = 70,866,960,384 (66.0 GiB)
 * - L4   22888 MiB = 23,999,807,488 B -> 20,399,836,364.8 - 2,147,483,648 = 18,252,352,716.8 (17.0 GiB)
 */
const L40S_USABLE = 38_652_189_081.6;
const H100_USABLE = 70_866_960_384;

/** A request for `model` with defaults for the rest. */
function request(model: ModelSpec, contextLength: number, concurrency: number, candidates: string[],
  extra: Partial<SizingRequest> = {}): SizingRequest {
  return { model, contextLength, concurrency, candidates: candidates.map(type), ...extra };
}

/** An option as `[instance type, TP, PP, GPUs, USD/h, KV tokens, sequences]`. */
function row(o: LayoutOption): [string, number, number, number, number, number, number] {
  return [o.instanceType.name, o.tensorParallelSize, o.pipelineParallelSize, o.gpus, o.usdPerHour, o.kvCacheTokens,
    o.maxConcurrentSequencesAtContext];
}

/** A custom model shaped like Llama 3.1 70B; `overrides` replace single fields. */
function customModel(overrides: Partial<ModelSpecProps>): ModelSpec {
  return ModelSpec.custom({
    name: 'Custom', huggingFaceRepo: 'example/custom', parameters: 70e9, layers: 80, hiddenSize: 8192,
    attentionHeads: 64, kvHeads: 8, headDim: 128, weightDType: WeightDType.BF16, maxContextLength: 131072,
    ...overrides,
  });
}

describe('sizeModel', () => {
  test('defaults: utilization 0.9, overhead 2 GiB + 5% of GPU memory', () => {
    expect(DEFAULT_GPU_MEMORY_UTILIZATION).toBe(0.9);
    expect(SIZING_OVERHEAD.fixedBytes).toBe(2 * GIB);
    expect(SIZING_OVERHEAD.gpuMemoryFraction).toBe(0.05);
  });

  describe('Llama 3.1 8B', () => {
    test('8192 tokens x 16 sequences fit one L40S (g6e.xlarge), the cheapest candidate', () => {
      // GIVEN weights 8.03e9 x 2 = 16.06e9 B; KV 131072 B/token x 8192 x 16 = 17,179,869,184 B = 16 GiB
      const layout = sizeModel(request(ModelSpec.LLAMA_3_1_8B, 8192, 16, ['g6e.xlarge', 'g6e.12xlarge', 'p5.48xlarge']));

      // THEN KV free = 38,652,189,081.6 - 16.06e9 = 22,592,189,081.6 B;
      //      max sequences = floor(22,592,189,081.6 / (131072 x 8192 = 1,073,741,824)) = floor(21.04) = 21
      expect(layout.instanceType.name).toBe('g6e.xlarge');
      expect(layout.tensorParallelSize).toBe(1);
      expect(layout.pipelineParallelSize).toBe(1);
      expect(layout.nodes).toBe(1);
      expect(layout.gpus).toBe(1);
      expect(layout.weightBytesPerGpu).toBeCloseTo(16.06e9, 0);
      expect(layout.kvBytesNeeded).toBe(16 * GIB);
      expect(layout.kvBytesAvailable).toBeCloseTo(L40S_USABLE - 16.06e9, 0);
      expect(layout.maxConcurrentSequencesAtContext).toBe(21);
      expect(layout.usdPerHour).toBe(1.861);
      expect(layout.explanation).toBe('Llama 3.1 8B (bf16, 15.0 GiB weights) at 8192 tokens x 16 sequences needs 16.0 GiB '
        + 'KV cache; cheapest fit: g6e.xlarge TP=1 PP=1 (1 x L40S 44.7 GiB, $1.86/h)');
    });

    test('32 sequences no longer fit one L40S: TP=2 on g6e.12xlarge', () => {
      // TP=1 holds 21 sequences (above). TP=2: weights 8.03e9 per GPU, 4 of 8 KV heads per GPU -> 65536 B/token/GPU;
      // KV free 38,652,189,081.6 - 8.03e9 = 30,622,189,081.6; floor(30,622,189,081.6 / (65536 x 8192)) = 57
      const layout = sizeModel(request(ModelSpec.LLAMA_3_1_8B, 8192, 32, ['g6e.xlarge', 'g6e.12xlarge', 'p5.48xlarge']));
      expect(layout.instanceType.name).toBe('g6e.12xlarge');
      expect(layout.tensorParallelSize).toBe(2);
      expect(layout.gpus).toBe(2);
      expect(layout.weightBytesPerGpu).toBeCloseTo(8.03e9, 0);
      expect(layout.maxConcurrentSequencesAtContext).toBe(57);
      expect(layout.usdPerHour).toBe(10.49264);
      // 131072 x 8192 x 32 = 32 GiB, no replication at TP=2 <= 8 KV heads
      expect(layout.kvBytesNeeded).toBe(32 * GIB);
      expect(layout.kvBytesAvailable).toBeCloseTo(2 * (L40S_USABLE - 8.03e9), 0);
    });

    test('same price, fewer GPUs: TP=1 on a 4-GPU node when it fits', () => {
      const layout = sizeModel(request(ModelSpec.LLAMA_3_1_8B, 8192, 16, ['g6e.12xlarge']));
      expect(layout.tensorParallelSize).toBe(1);
      expect(layout.gpus).toBe(1);
      expect(layout.usdPerHour).toBe(10.49264);
    });

    test('candidate order does not matter', () => {
      const a = sizeModel(request(ModelSpec.LLAMA_3_1_8B, 8192, 32, ['p5.48xlarge', 'g6e.12xlarge', 'g6e.xlarge']));
      expect(a.instanceType.name).toBe('g6e.12xlarge');
    });

    test('a higher gpuMemoryUtilization leaves more room for KV cache', () => {
      // 0.95: 47,999,614,976 x (0.95 - 0.05) - 2 GiB = 41,052,170,030.4; - 16.06e9 = 24,992,170,030.4 -> 23 sequences
      const layout = sizeModel(request(ModelSpec.LLAMA_3_1_8B, 8192, 1, ['g6e.xlarge'], { gpuMemoryUtilization: 0.95 }));
      expect(layout.maxConcurrentSequencesAtContext).toBe(23);
    });

    test('131072 tokens do not fit one L4: the error says what is needed and what the largest option offers', () => {
      // weights 16.06e9 B = 15.0 GiB; KV 131072 x 131072 = 16 GiB; L4 usable 18,252,352,716.8 B = 17.0 GiB;
      // g6.xlarge has no EFA, so no pipeline parallelism
      expectValidationError(() => sizeModel(request(ModelSpec.LLAMA_3_1_8B, 131072, 1, ['g6.xlarge'])),
        'no GPU pool can hold Llama 3.1 8B (bf16) at context 131072 x concurrency 1: it needs 15.0 GiB of weights '
        + '+ 16.0 GiB of KV cache; the largest option offers 17.0 GiB (g6.xlarge, 1 node)');
    });
  });

  describe('reserved memory (LoRA adapter slots)', () => {
    test('reservedBytesPerGpu leaves less room for KV cache', () => {
      // 0.9: usable 38,652,189,081.6 - 16.06e9 weights = 22,592,189,081.6 -> 21 sequences of 8192 tokens (1 GiB each);
      // 4 GiB reserved: 18,297,221,785.6 -> 17 sequences
      const without = sizeModel(request(ModelSpec.LLAMA_3_1_8B, 8192, 1, ['g6e.xlarge']));
      const reserved = sizeModel(request(ModelSpec.LLAMA_3_1_8B, 8192, 1, ['g6e.xlarge'], { reservedBytesPerGpu: 4 * GIB }));
      expect(without.maxConcurrentSequencesAtContext - reserved.maxConcurrentSequencesAtContext).toBe(4);
    });

    test('a model that no longer fits says how much was reserved', () => {
      expectValidationError(() => sizeModel(request(ModelSpec.LLAMA_3_1_8B, 131072, 1, ['g6.xlarge'], { reservedBytesPerGpu: GIB })),
        'no GPU pool can hold Llama 3.1 8B (bf16) at context 131072 x concurrency 1: it needs 15.0 GiB of weights '
        + '+ 16.0 GiB of KV cache, with 1.0 GiB per GPU reserved (LoRA adapter slots); the largest option offers 16.0 GiB (g6.xlarge, 1 node)');
    });

    test('negative reserved memory is refused', () => {
      expectValidationError(() => sizeModel(request(ModelSpec.LLAMA_3_1_8B, 8192, 1, ['g6e.xlarge'], { reservedBytesPerGpu: -1 })),
        "'reservedBytesPerGpu' (-1) must be zero or more");
    });
  });

  describe('Llama 3.1 70B', () => {
    test('32768 tokens x 16 sequences: eight H100 (p5.48xlarge), because eight L40S are 4 GiB short', () => {
      // GIVEN weights 70.6e9 x 2 = 141.2e9 B = 131.5 GiB; KV 327680 B/token x 32768 x 16 = 171,798,691,840 B = 160 GiB
      // g6e.48xlarge TP=8: (38,652,189,081.6 - 17.65e9) x 8 = 168,017,512,652.8 B = 156.5 GiB < 160 GiB
      // p5.48xlarge TP=4: KV free 70,866,960,384 - 35.3e9 = 35,566,960,384; per sequence 81920 x 32768 -> 13 < 16
      // p5.48xlarge TP=8: KV free 70,866,960,384 - 17.65e9 = 53,216,960,384; per sequence 40960 x 32768 -> 39
      const layout = sizeModel(request(ModelSpec.LLAMA_3_1_70B, 32768, 16, ['g6e.12xlarge', 'g6e.48xlarge', 'p5.48xlarge']));
      expect(layout.instanceType.name).toBe('p5.48xlarge');
      expect(layout.tensorParallelSize).toBe(8);
      expect(layout.weightBytesPerGpu).toBeCloseTo(17.65e9, 0);
      expect(layout.kvBytesNeeded).toBe(160 * GIB);
      expect(layout.kvBytesAvailable).toBeCloseTo(8 * (H100_USABLE - 17.65e9), 0);
      expect(layout.maxConcurrentSequencesAtContext).toBe(39);
      expect(layout.usdPerHour).toBe(55.04);
      expect(layout.explanation).toBe('Llama 3.1 70B (bf16, 131.5 GiB weights) at 32768 tokens x 16 sequences needs 160.0 '
        + 'GiB KV cache; cheapest fit: p5.48xlarge TP=8 PP=1 (8 x H100 80 GiB, $55.04/h)');
    });

    test.each([
      // L40S TP=2: 70.6e9 > 38,652,189,081.6 usable. TP=4: 35.3e9 -> KV free 3,352,189,081.6; 81920 x 8192 per sequence -> 4
      ['g6e.48xlarge', 4, 4],
      // H100 TP=2: 70.6e9 per GPU leaves 266,960,384 B < 163840 x 8192 per sequence. TP=4: 35,566,960,384 / (81920 x 8192) -> 52
      ['p5.48xlarge', 4, 52],
    ])('bf16 needs TP=4 or more on %s', (name, tp, sequences) => {
      const layout = sizeModel(request(ModelSpec.LLAMA_3_1_70B, 8192, 1, [name]));
      expect(layout.tensorParallelSize).toBe(tp);
      expect(layout.maxConcurrentSequencesAtContext).toBe(sequences);
    });

    test('an FP8 KV cache halves the KV bytes: 131072 x 16 fits one p5.48xlarge instead of two', () => {
      // auto: 327680 x 131072 x 16 = 687,194,767,360 B = 640 GiB > 8 x 53,216,960,384 = 425.7e9 -> PP=2 over 2 nodes
      const auto = sizeModel(request(ModelSpec.LLAMA_3_1_70B, 131072, 16, ['p5.48xlarge']));
      // fp8: 163840 x 131072 x 16 = 343,597,383,680 B = 320 GiB; per GPU 20480 x 131072 per sequence -> floor(19.8) = 19
      const fp8 = sizeModel(request(ModelSpec.LLAMA_3_1_70B, 131072, 16, ['p5.48xlarge'], { kvCacheDType: KvCacheDType.FP8 }));

      expect(fp8.kvBytesNeeded).toBe(auto.kvBytesNeeded / 2);
      expect(fp8.kvBytesNeeded).toBe(320 * GIB);
      expect(fp8.nodes).toBe(1);
      expect(fp8.maxConcurrentSequencesAtContext).toBe(19);
      expect(fp8.explanation).toBe('Llama 3.1 70B (bf16, 131.5 GiB weights) at 131072 tokens x 16 sequences needs 320.0 '
        + 'GiB fp8 KV cache; cheapest fit: p5.48xlarge TP=8 PP=1 (8 x H100 80 GiB, $55.04/h)');
      expect(auto.nodes).toBe(2);
    });

    test('pipeline parallelism over two EFA nodes when one node is not enough', () => {
      // PP=2, TP=8: weights 141.2e9 / 16 = 8.825e9 per GPU; KV free 70,866,960,384 - 8.825e9 = 62,041,960,384;
      // 40 layers and 1 KV head per GPU: 2 x 40 x 1 x 128 x 2 = 20480 B/token; x 131072 = 2,684,354,560 per sequence -> 23
      const layout = sizeModel(request(ModelSpec.LLAMA_3_1_70B, 131072, 16, ['p5.48xlarge']));
      expect(layout.instanceType.name).toBe('p5.48xlarge');
      expect(layout.tensorParallelSize).toBe(8);
      expect(layout.pipelineParallelSize).toBe(2);
      expect(layout.nodes).toBe(2);
      expect(layout.gpus).toBe(16);
      expect(layout.weightBytesPerGpu).toBeCloseTo(8.825e9, 0);
      expect(layout.kvBytesNeeded).toBe(640 * GIB);
      expect(layout.kvBytesAvailable).toBeCloseTo(16 * (H100_USABLE - 8.825e9), 0);
      expect(layout.maxConcurrentSequencesAtContext).toBe(23);
      expect(layout.usdPerHour).toBeCloseTo(110.08, 10);
      expect(layout.explanation).toBe('Llama 3.1 70B (bf16, 131.5 GiB weights) at 131072 tokens x 16 sequences needs 640.0 '
        + 'GiB KV cache; cheapest fit: 2 x p5.48xlarge TP=8 PP=2 (16 x H100 80 GiB, $110.08/h)');
    });

    test('a single node is preferred to a cheaper multi-node layout', () => {
      // 4 x g6e.8xlarge (1 L40S each, EFA) at $18.11/h would hold it, but one p5.48xlarge does too
      const layout = sizeModel(request(ModelSpec.LLAMA_3_1_70B, 8192, 1, ['g6e.8xlarge', 'p5.48xlarge']));
      expect(layout.instanceType.name).toBe('p5.48xlarge');
      expect(layout.nodes).toBe(1);
    });

    test('pipeline parallelism over single-GPU EFA nodes when nothing else is offered', () => {
      // PP=3: ceil(80 / 3) = 27 layers -> 141.2e9 x 27 / 80 = 47.655e9 > 38,652,189,081.6 usable.
      // PP=4: 20 layers -> 35.3e9; KV free 3,352,189,081.6; 2 x 20 x 8 x 128 x 2 = 81920 B/token x 8192 -> 4 sequences
      const layout = sizeModel(request(ModelSpec.LLAMA_3_1_70B, 8192, 1, ['g6e.8xlarge']));
      expect(layout.pipelineParallelSize).toBe(4);
      expect(layout.tensorParallelSize).toBe(1);
      expect(layout.gpus).toBe(4);
      expect(layout.maxConcurrentSequencesAtContext).toBe(4);
      expect(layout.usdPerHour).toBeCloseTo(4 * 4.52856, 10);
      expect(layout.explanation).toBe('Llama 3.1 70B (bf16, 131.5 GiB weights) at 8192 tokens x 1 sequence needs 2.5 GiB '
        + 'KV cache; cheapest fit: 4 x g6e.8xlarge TP=1 PP=4 (4 x L40S 44.7 GiB, $18.11/h)');
    });

    test('no pipeline parallelism without EFA', () => {
      // g6e.xlarge: 1 L40S, no EFA; largest option = TP=1 on one node = 36.0 GiB
      expectValidationError(() => sizeModel(request(ModelSpec.LLAMA_3_1_70B, 8192, 1, ['g6e.xlarge'])),
        'no GPU pool can hold Llama 3.1 70B (bf16) at context 8192 x concurrency 1: it needs 131.5 GiB of weights '
        + '+ 2.5 GiB of KV cache; the largest option offers 36.0 GiB (g6e.xlarge, 1 node)');
    });

    test('too big for four nodes: the exact error', () => {
      // KV 327680 x 131072 x 64 = 2,748,779,069,440 B = 2560 GiB; 4 x p5.48xlarge = 32 x 66 GiB = 2112 GiB
      expectValidationError(() => sizeModel(request(ModelSpec.LLAMA_3_1_70B, 131072, 64, ['p5.48xlarge'])),
        'no GPU pool can hold Llama 3.1 70B (bf16) at context 131072 x concurrency 64: it needs 131.5 GiB of weights '
        + '+ 2560.0 GiB of KV cache; the largest option offers 2112.0 GiB (p5.48xlarge, 4 nodes)');
    });

    test('maxTensorParallel caps TP, on one node and across nodes', () => {
      // Without the cap: TP=8 (above). With TP <= 4: 13 sequences on one node, and PP needs TP = 8 GPUs per node.
      // Largest option: p5.48xlarge TP=4 = 4 x 66 GiB = 264 GiB
      expectValidationError(
        () => sizeModel(request(ModelSpec.LLAMA_3_1_70B, 32768, 16, ['p5.48xlarge'], { maxTensorParallel: 4 })),
        'no GPU pool can hold Llama 3.1 70B (bf16) at context 32768 x concurrency 16: it needs 131.5 GiB of weights '
        + '+ 160.0 GiB of KV cache; the largest option offers 264.0 GiB (p5.48xlarge, 1 node)');
      const capped = sizeModel(request(ModelSpec.LLAMA_3_1_70B, 32768, 8, ['p5.48xlarge'], { maxTensorParallel: 4 }));
      expect(capped.tensorParallelSize).toBe(4);
    });
  });

  describe('gpt-oss-120b (MXFP4)', () => {
    test('fits one H100 (p5.4xlarge) at modest context', () => {
      // weights 65,233,322,032 B (60.8 GiB); KV free 70,866,960,384 - 65,233,322,032 = 5,633,638,352;
      // 73728 B/token x 16384 = 1,207,959,552 per sequence -> floor(4.66) = 4
      const layout = sizeModel(request(ModelSpec.GPT_OSS_120B, 16384, 4, ['p5.4xlarge', 'p5.48xlarge']));
      expect(layout.instanceType.name).toBe('p5.4xlarge');
      expect(layout.gpus).toBe(1);
      expect(layout.maxConcurrentSequencesAtContext).toBe(4);
      expect(layout.explanation).toBe('gpt-oss-120b (mxfp4, 60.8 GiB weights) at 16384 tokens x 4 sequences needs 4.5 GiB '
        + 'KV cache; cheapest fit: p5.4xlarge TP=1 PP=1 (1 x H100 80 GiB, $6.88/h)');
    });

    test('a fifth sequence needs TP=2 on the 8-GPU node', () => {
      const layout = sizeModel(request(ModelSpec.GPT_OSS_120B, 16384, 5, ['p5.4xlarge', 'p5.48xlarge']));
      expect(layout.instanceType.name).toBe('p5.48xlarge');
      expect(layout.tensorParallelSize).toBe(2);
    });
  });

  describe('KV cache replication', () => {
    test('TP above the KV heads replicates them: the KV bytes count each copy', () => {
      // GIVEN 250e9 bf16 parameters (500e9 B), 2 KV heads: 2 x 80 x 2 x 128 x 2 = 81920 B/token
      const model = customModel({ name: 'Wide', parameters: 250e9, kvHeads: 2 });
      // WHEN only TP=8 holds the weights (62.5e9 per GPU)
      const layout = sizeModel(request(model, 8192, 1, ['p5.48xlarge']));
      // THEN each GPU keeps 1 KV head: 2 x 80 x 1 x 128 x 2 = 40960 B/token; total 8 x 40960 = 4 x 81920
      expect(layout.tensorParallelSize).toBe(8);
      expect(layout.kvBytesNeeded).toBe(81920 * 8192 * 4);
      // KV free 70,866,960,384 - 62.5e9 = 8,366,960,384; / (40960 x 8192 = 335,544,320) -> 24
      expect(layout.maxConcurrentSequencesAtContext).toBe(24);
    });

    test('an MLA override is replicated on every TP rank', () => {
      // GIVEN 100e9 parameters in FP8 (100e9 B), 70272 B/token of latent cache
      const model = customModel({
        name: 'MLA', parameters: 100e9, layers: 60, attentionHeads: 128, kvHeads: 128, weightDType: WeightDType.FP8,
        kvCacheBytesPerTokenOverride: 70272,
      });
      // WHEN TP=2 (TP=1: 100e9 > 70,866,960,384)
      const layout = sizeModel(request(model, 8192, 1, ['p5.48xlarge']));
      // THEN every GPU holds the whole latent: KV free 70,866,960,384 - 50e9 = 20,866,960,384; / (70272 x 8192) -> 36
      expect(layout.tensorParallelSize).toBe(2);
      expect(layout.kvBytesNeeded).toBe(70272 * 8192 * 2);
      expect(layout.maxConcurrentSequencesAtContext).toBe(36);
    });
  });

  test('uneven pipeline stages: the busiest stage sets weights and KV per GPU', () => {
    // GIVEN 30 layers, 140e9 B of weights. PP=3: 10 layers -> 46.67e9 > 38,652,189,081.6. PP=4: ceil(30 / 4) = 8 layers
    const model = customModel({ name: 'Odd', parameters: 70e9, layers: 30 });
    const layout = sizeModel(request(model, 1024, 1, ['g6e.8xlarge']));
    // THEN weights 140e9 x 8 / 30 = 37,333,333,333.3 per GPU; KV free 1,318,855,748.3;
    //      2 x 8 x 8 x 128 x 2 = 32768 B/token x 1024 = 33,554,432 per sequence -> 39
    expect(layout.pipelineParallelSize).toBe(4);
    expect(layout.weightBytesPerGpu).toBeCloseTo(140e9 * 8 / 30, 0);
    expect(layout.maxConcurrentSequencesAtContext).toBe(39);
  });

  describe('agrees with vLLM measurements on one H100 at utilization 0.9', () => {
    // llm-d/llm-d-benchmark config_explorer/empirical-vllm-memory-results.md ("Available KV cache memory", max-model-len 16000)
    test.each<[string, ModelSpec, number, number]>([
      // 70,866,960,384 - 16.06e9 = 54,806,960,384 B = 51.04 GiB
      ['Llama 3.1 8B', ModelSpec.LLAMA_3_1_8B, 1, 51.38],
      // 70,866,960,384 - 65.6e9 = 5,266,960,384 B = 4.91 GiB
      ['Qwen3 32B', ModelSpec.QWEN3_32B, 1, 4.45],
      // Llama 3.3 70B FP8 (same shape): 70,866,960,384 - 72,701,346,304 / 2 = 34,516,287,232 B = 32.15 GiB per GPU
      ['Llama 70B FP8', ModelSpec.LLAMA_3_1_70B.withWeightDType(WeightDType.FP8), 2, 32.0],
    ])('%s: KV cache per GPU within 0.5 GiB of the measured value', (_name, model, tp, measuredGiB) => {
      const layout = sizeModel(request(model, 16000, 1, [tp === 1 ? 'p5.4xlarge' : 'p5.48xlarge']));
      expect(layout.tensorParallelSize).toBe(tp);
      expect(Math.abs(layout.kvBytesAvailable / layout.gpus / GIB - measuredGiB)).toBeLessThan(0.5);
    });
  });

  describe('validation', () => {
    test('contextLength above the model maximum', () => {
      expectValidationError(() => sizeModel(request(ModelSpec.LLAMA_3_1_8B, 200000, 1, ['p5.48xlarge'])),
        `'contextLength' (200000) is above the model's maximum context (131072) of Llama 3.1 8B`);
    });

    test('Qwen3 32B stops at its native 40960 tokens', () => {
      expectValidationError(() => sizeModel(request(ModelSpec.QWEN3_32B, 40961, 1, ['p5.48xlarge'])),
        `'contextLength' (40961) is above the model's maximum context (40960) of Qwen3 32B`);
    });

    test.each<[string, Partial<SizingRequest>, string]>([
      ['zero contextLength', { contextLength: 0 }, `'contextLength' (0) must be an integer >= 1`],
      ['fractional contextLength', { contextLength: 1.5 }, `'contextLength' (1.5) must be an integer >= 1`],
      ['zero concurrency', { concurrency: 0 }, `'concurrency' (0) must be an integer >= 1`],
      ['negative concurrency', { concurrency: -4 }, `'concurrency' (-4) must be an integer >= 1`],
      ['utilization 0', { gpuMemoryUtilization: 0 }, `'gpuMemoryUtilization' (0) must be greater than 0 and less than 1`],
      ['utilization 1', { gpuMemoryUtilization: 1 }, `'gpuMemoryUtilization' (1) must be greater than 0 and less than 1`],
      ['utilization 90', { gpuMemoryUtilization: 90 }, `'gpuMemoryUtilization' (90) must be greater than 0 and less than 1`],
      ['no candidates', { candidates: [] }, `'candidates' must list at least one GPU instance type`],
      ['maxTensorParallel 0', { maxTensorParallel: 0 }, `'maxTensorParallel' (0) must be an integer >= 1`],
      ['unknown KV dtype', { kvCacheDType: 'int4' as KvCacheDType }, `'kvCacheDType' (int4) must be auto or fp8`],
      ['token concurrency', { concurrency: Token.asNumber({ resolve: () => 4 }) },
        `'concurrency' must be a literal number, not a token: sizing happens at synth time`],
    ])('rejects %s', (_case, overrides, message) => {
      expectValidationError(() => sizeModel({ ...request(ModelSpec.LLAMA_3_1_8B, 8192, 1, ['p5.48xlarge']), ...overrides }),
        message);
    });
  });

  describe('why the layout won', () => {
    test('KV-cache tokens: KV free per GPU / KV bytes per token per GPU', () => {
      // TP=2: KV free 30,622,189,081.6 B per GPU (above) / 65536 B per token per GPU = 467,257.2 -> 467,257 tokens;
      // 467,257 / 8192 = 57.04 -> 57 sequences
      const layout = sizeModel(request(ModelSpec.LLAMA_3_1_8B, 8192, 32, ['g6e.xlarge', 'g6e.12xlarge', 'p5.48xlarge']));
      expect(layout.kvCacheTokens).toBe(467_257);
      expect(layout.maxConcurrentSequencesAtContext).toBe(Math.floor(467_257 / 8192));
    });

    test('runners-up: the next cheapest fitting layouts, one per GPU model x TP x PP', () => {
      // GIVEN / WHEN
      const layout = sizeModel(request(ModelSpec.LLAMA_3_1_8B, 8192, 32, ['g6e.xlarge', 'g6e.12xlarge', 'p5.48xlarge']));

      // THEN TP=4 on the same node costs the same ($10.49) with more GPUs; H100 layouts cost $55.04
      expect(layout.runnersUp.map(row)).toEqual([
        ['g6e.12xlarge', 4, 1, 4, 10.49264, 1_057_043, 129],
        ['p5.48xlarge', 1, 1, 1, 55.04, 418_143, 51],
        ['p5.48xlarge', 2, 1, 2, 55.04, 958_815, 117],
      ]);
    });

    test('rejected: layouts no dearer than the choice that do not hold the request', () => {
      // GIVEN / WHEN
      const layout = sizeModel(request(ModelSpec.LLAMA_3_1_8B, 8192, 32, ['g6e.xlarge', 'g6e.12xlarge', 'p5.48xlarge']));

      // THEN one L40S holds 21 of the 32 sequences (g6e.12xlarge TP=1 is the same shape at a higher price)
      expect(layout.rejected.map(row)).toEqual([['g6e.xlarge', 1, 1, 1, 1.861, 172_364, 21]]);
    });

    test('a same-price layout that does not fit is rejected too: Qwen3 32B at TP=2 holds 2 of 16 sequences', () => {
      // GIVEN / WHEN
      const layout = sizeModel(request(ModelSpec.QWEN3_32B, 32768, 16, ['g6e.xlarge', 'g6e.12xlarge'], { kvCacheDType: KvCacheDType.FP8 }));

      // THEN
      expect([layout.instanceType.name, layout.tensorParallelSize, layout.kvCacheTokens, layout.maxConcurrentSequencesAtContext])
        .toEqual(['g6e.12xlarge', 4, 679_082, 20]);
      expect(layout.rejected.map(row)).toEqual([
        ['g6e.12xlarge', 2, 1, 2, 10.49264, 89_297, 2],
        ['g6e.xlarge', 1, 1, 1, 1.861, 0, 0],
      ]);
      expect(layout.runnersUp).toEqual([]);
    });

    test('a multi-node layout lists the larger node counts as runners-up and the single node as rejected', () => {
      // GIVEN / WHEN
      const layout = sizeModel(request(ModelSpec.LLAMA_3_1_70B, 131072, 16, ['p5.48xlarge']));

      // THEN 2 nodes: KV free 62,041,960,384 B per GPU / 20480 B per token per GPU = 3,029,392.6 tokens -> 23 sequences;
      expect(row(layout)).toEqual(['p5.48xlarge', 8, 2, 16, 110.08, 3_029_392, 23]);
      // PP=3: 27 layers -> weights 5.95665e9 per GPU, KV free 64,910,310,384, 13824 B/token -> 35.8 -> 35 sequences;
      // PP=4: 20 layers -> weights 4.4125e9, KV free 66,454,460,384, 10240 B/token -> 49.5 -> 49
      expect(layout.runnersUp.map((o) => [o.pipelineParallelSize, o.usdPerHour, o.maxConcurrentSequencesAtContext]))
        .toEqual([[3, 165.12, 35], [4, 220.16, 49]]);
      // One node at TP=8: weights 17.65e9 per GPU, KV free 53,216,960,384 / 40960 B/token = 1,299,242 tokens -> 9 of 16
      expect(layout.rejected.map(row)[0]).toEqual(['p5.48xlarge', 8, 1, 8, 55.04, 1_299_242, 9]);
    });
  });

  test('sizes every preset at its maximum context on the whole catalog without throwing', () => {
    for (const model of ModelSpec.all()) {
      const layout = sizeModel({ model, contextLength: model.maxContextLength, concurrency: 1, candidates: GpuInstanceType.all() });
      expect(layout.maxConcurrentSequencesAtContext).toBeGreaterThanOrEqual(1);
      expect(layout.kvBytesAvailable).toBeGreaterThanOrEqual(layout.kvBytesNeeded);
    }
  });
});

describe('checkTensorParallelFits', () => {
  test('accepts TP that divides the node GPUs and the heads', () => {
    expect(() => checkTensorParallelFits(8, 8, 'h100', ModelSpec.LLAMA_3_1_70B)).not.toThrow();
    expect(() => checkTensorParallelFits(1, 1, 'l4', ModelSpec.LLAMA_3_1_8B)).not.toThrow();
    // TP 16 > 8 KV heads: vLLM replicates them (16 is a multiple of 8)
    expect(() => checkTensorParallelFits(16, 16, 'big', ModelSpec.LLAMA_3_1_70B)).not.toThrow();
  });

  test('TP must divide the GPUs per node', () => {
    expectValidationError(() => checkTensorParallelFits(3, 8, 'h100', ModelSpec.LLAMA_3_1_70B),
      `'tensorParallelSize' (3) must divide the GPUs per node (8) of NodePool 'h100'`);
  });

  test('TP must divide the attention heads', () => {
    expectValidationError(() => checkTensorParallelFits(3, 6, 'six', ModelSpec.LLAMA_3_1_70B),
      `'tensorParallelSize' (3) must divide the attention heads (64) of Llama 3.1 70B`);
  });

  test('TP must divide the KV heads or be a multiple of them', () => {
    // 24 heads, 8 KV heads: TP 12 divides 24 but neither divides nor is a multiple of 8
    const model = customModel({ name: 'Odd heads', attentionHeads: 24, kvHeads: 8, hiddenSize: 3072 });
    expectValidationError(() => checkTensorParallelFits(12, 12, 'twelve', model),
      `'tensorParallelSize' (12) must divide the KV heads (8) of Odd heads or be a multiple of them`);
  });

  test('TP must be an integer >= 1', () => {
    expectValidationError(() => checkTensorParallelFits(0, 8, 'h100', ModelSpec.LLAMA_3_1_70B),
      `'tensorParallelSize' (0) must be an integer >= 1`);
    expectValidationError(() => checkTensorParallelFits(2.5, 8, 'h100', ModelSpec.LLAMA_3_1_70B),
      `'tensorParallelSize' (2.5) must be an integer >= 1`);
  });
});

describe('describeModelLayout', () => {
  test('evaluates a given layout: Llama 3.1 8B at TP=4 on g6e.12xlarge', () => {
    // GIVEN TP=4: weights 4.015e9 per GPU, 2 of 8 KV heads -> 32768 B/token/GPU; KV free 34,637,189,081.6 B
    //       -> 1,057,043 tokens -> 129 sequences of 8192
    const layout = describeModelLayout({
      model: ModelSpec.LLAMA_3_1_8B, contextLength: 8192, concurrency: 32, instanceType: type('g6e.12xlarge'), tensorParallelSize: 4,
    });

    // THEN
    expect([layout.instanceType.name, layout.tensorParallelSize, layout.pipelineParallelSize, layout.gpus, layout.nodes])
      .toEqual(['g6e.12xlarge', 4, 1, 4, 1]);
    expect([layout.kvCacheTokens, layout.maxConcurrentSequencesAtContext, layout.usdPerHour]).toEqual([1_057_043, 129, 10.49264]);
    expect([layout.runnersUp, layout.rejected]).toEqual([[], []]);
    expect(layout.explanation).toBe('Llama 3.1 8B (bf16, 15.0 GiB weights) at 8192 tokens x 32 sequences needs 32.0 GiB KV cache; '
      + 'given layout: g6e.12xlarge TP=4 PP=1 (4 x L40S 44.7 GiB, $10.49/h), holds 129 sequences');
  });

  test('says when a given layout holds fewer sequences than asked', () => {
    // GIVEN / WHEN
    const layout = describeModelLayout({
      model: ModelSpec.LLAMA_3_1_8B, contextLength: 8192, concurrency: 32, instanceType: type('g6e.12xlarge'), tensorParallelSize: 1,
    });

    // THEN
    expect(layout.maxConcurrentSequencesAtContext).toBe(21);
    expect(layout.explanation).toMatch(/given layout: g6e\.12xlarge TP=1 PP=1 \(1 x L40S 44\.7 GiB, \$10\.49\/h\), holds 21 sequences$/);
  });

  test.each([
    [{ tensorParallelSize: 3 }, "'tensorParallelSize' (3) must be an integer >= 1 that divides the GPUs per node (4) of g6e.12xlarge"],
    [{ tensorParallelSize: 0 }, "'tensorParallelSize' (0) must be an integer >= 1 that divides the GPUs per node (4) of g6e.12xlarge"],
    [{ pipelineParallelSize: 2 },
      "'tensorParallelSize' (2) must use every GPU of g6e.12xlarge (4) when 'pipelineParallelSize' (2) spans nodes"],
    [{ pipelineParallelSize: 1.5 }, "'pipelineParallelSize' (1.5) must be an integer >= 1"],
    [{ contextLength: 200000 }, "'contextLength' (200000) is above the model's maximum context (131072) of Llama 3.1 8B"],
  ])('rejects %p', (overrides, message) => {
    expectValidationError(() => describeModelLayout({
      model: ModelSpec.LLAMA_3_1_8B, contextLength: 8192, concurrency: 32, instanceType: type('g6e.12xlarge'), tensorParallelSize: 2,
      ...overrides,
    }), message);
  });

  test('rejects a TP the model cannot split by', () => {
    // GIVEN a model with 6 attention heads: TP=4 does not divide them
    const model = customModel({ attentionHeads: 6, kvHeads: 6, hiddenSize: 768, headDim: 128 });
    expectValidationError(() => describeModelLayout({
      model, contextLength: 8192, concurrency: 1, instanceType: type('g6e.12xlarge'), tensorParallelSize: 4,
    }), "'tensorParallelSize' (4) must divide the attention heads (6) of Custom and divide its KV heads (6) or be a multiple of them");
  });
});
