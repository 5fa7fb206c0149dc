import { describeArchitecture, ModelSpec, sameArchitecture, WeightDType } from '../../lib';

describe('sameArchitecture', () => {
  test('an FP8 checkpoint of the same model shares the architecture', () => {
    expect(sameArchitecture(ModelSpec.LLAMA_3_1_8B, ModelSpec.LLAMA_3_1_8B.withWeightDType(WeightDType.FP8))).toBe(true);
  });

  test('a custom spec with the same shape and a parameter count within 1% shares it', () => {
    // GIVEN
    const base = ModelSpec.LLAMA_3_1_8B;
    const renamed = ModelSpec.custom({
      name: 'My Llama', huggingFaceRepo: 'me/llama', parameters: base.parameters * 1.005, layers: base.layers, hiddenSize: base.hiddenSize,
      attentionHeads: base.attentionHeads, kvHeads: base.kvHeads, weightDType: WeightDType.BF16, maxContextLength: 8192,
    });

    // WHEN / THEN
    expect(sameArchitecture(base, renamed)).toBe(true);
  });

  test('another model, or the same shape with 2% more parameters, does not', () => {
    const base = ModelSpec.LLAMA_3_1_8B;
    expect(sameArchitecture(base, ModelSpec.LLAMA_3_1_70B)).toBe(false);
    expect(sameArchitecture(base, ModelSpec.MISTRAL_7B_V0_3)).toBe(false);
    const bigger = ModelSpec.custom({
      name: 'x', huggingFaceRepo: 'me/x', parameters: base.parameters * 1.02, layers: base.layers, hiddenSize: base.hiddenSize,
      attentionHeads: base.attentionHeads, kvHeads: base.kvHeads, weightDType: WeightDType.BF16, maxContextLength: 8192,
    });
    expect(sameArchitecture(base, bigger)).toBe(false);
  });
});

test('describeArchitecture names the model and its shape', () => {
  expect(describeArchitecture(ModelSpec.LLAMA_3_1_8B)).toBe('Llama 3.1 8B (32 layers, hidden 4096, 32/8 heads)');
});
