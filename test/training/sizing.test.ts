import { FineTuneMethod, GpuInstanceType, fineTuneMemory, loraAdapterParameters, ModelSpec, ShardingStrategy, selectGpuInstanceTypes } from '../../lib';

const GIB = 1024 ** 3;
const type = (name: string): GpuInstanceType => selectGpuInstanceTypes({ instanceTypes: [name] })[0];
const base = { name: 'x', loraRank: 16, sequenceLength: 4096, microBatchSize: 1, poolName: 'p' };

describe('fine-tune sizing (hand-computed)', () => {
  test('LoRA of Llama 3.1 8B, FSDP over 4 L40S (g6e.12xlarge)', () => {
    // adapters: 32 layers x 4 projections x rank 16 x 2 x 4096 = 16,777,216 parameters
    expect(loraAdapterParameters(ModelSpec.LLAMA_3_1_8B, 16)).toBe(16777216);
    const m = fineTuneMemory({ ...base, model: ModelSpec.LLAMA_3_1_8B, method: FineTuneMethod.LORA, strategy: ShardingStrategy.FSDP,
      nodes: 1, gpusPerNode: 4, instanceType: type('g6e.12xlarge') });
    // states: 8.03e9 x 2 (frozen bf16) + 16,777,216 x 16 = 16,328,435,456 bytes
    expect(m.stateBytes).toBe(16328435456);
    expect(m.stateBytesPerGpu).toBe(16328435456 / 4);
    // activations: 1 x 4096 x 4096 x 32 layers x 2 bytes = 1 GiB
    expect(m.activationBytesPerGpu).toBe(GIB);
    // overhead: 2 GiB + 5% of 45776 MiB = 2 GiB + 2288.8 MiB
    expect(m.overheadBytesPerGpu).toBeCloseTo(2 * GIB + 0.05 * 45776 * 1024 ** 2, 0);
    expect(m.explanation).toBe("fine-tune 'x' of Llama 3.1 8B (lora, FSDP) needs 15.2 GiB of frozen weights and adapter states sharded over 4 GPUs (1 x 4) "
      + '+ 1.0 GiB of activations + 4.2 GiB of overhead = 9.0 GiB per GPU');
  });

  test('full fine-tune of Llama 3.1 70B, FSDP over 2 p5.48xlarge: 16 bytes per parameter over 16 GPUs', () => {
    const m = fineTuneMemory({ ...base, model: ModelSpec.LLAMA_3_1_70B, method: FineTuneMethod.FULL, strategy: ShardingStrategy.FSDP,
      nodes: 2, gpusPerNode: 8, instanceType: type('p5.48xlarge') });
    expect(m.stateBytes).toBe(70.6e9 * 16); // 1052.0 GiB
    // 1,129.6e9 / 16 = 70.6e9 bytes = 65.75 GiB; + 5 GiB activations (4096 x 8192 x 80 x 2) + 6 GiB (2 + 5% of 80)
    expect(m.activationBytesPerGpu).toBe(5 * GIB);
    expect(m.bytesPerGpu / GIB).toBeCloseTo(65.7513 + 5 + 6, 3);
    expect(m.bytesPerGpu).toBeLessThan(m.gpuBytes);
  });

  test('DDP shards nothing: a full fine-tune of Llama 3.1 8B holds 119.7 GiB of states on every GPU', () => {
    const m = fineTuneMemory({ ...base, model: ModelSpec.LLAMA_3_1_8B, method: FineTuneMethod.FULL, strategy: ShardingStrategy.DDP,
      nodes: 2, gpusPerNode: 8, instanceType: type('p5.48xlarge') });
    expect(m.stateBytesPerGpu).toBe(8.03e9 * 16);
    expect(m.explanation).toContain('needs 119.7 GiB of weights, gradients and optimizer states replicated on every GPU');
  });
});

test('one GPU: nothing to shard', () => {
  const m = fineTuneMemory({ ...base, model: ModelSpec.LLAMA_3_1_8B, method: FineTuneMethod.LORA, strategy: ShardingStrategy.FSDP,
    nodes: 1, gpusPerNode: 1, instanceType: type('g6e.xlarge') });
  // 15.2 GiB of states + 1.0 + 4.2 = 20.4 GiB
  expect(m.explanation).toBe("fine-tune 'x' of Llama 3.1 8B (lora, FSDP) needs 15.2 GiB of frozen weights and adapter states on 1 GPU "
    + '+ 1.0 GiB of activations + 4.2 GiB of overhead = 20.4 GiB per GPU');
});
