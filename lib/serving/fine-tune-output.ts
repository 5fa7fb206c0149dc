import { ModelSpec } from './model-spec';

/** What a fine-tune writes for serving (closed set). */
export enum FineTuneOutputKind {
  /** The whole model in Hugging Face format (`config.json`, tokenizer, `*.safetensors`): served with `ModelSource.fromFineTune()`. */
  FULL_WEIGHTS = 'full-weights',
  /**
   * A PEFT LoRA adapter (`adapter_config.json`, `adapter_model.safetensors`): served on a model of the base model with
   * `LoraAdapter.fromFineTune()`.
   */
  LORA_ADAPTER = 'lora-adapter',
}

/**
 * The servable result of a fine-tune in S3, as the serving layer reads it: what it is, where it is and which model it
 * was trained from. Produced by `FineTuning.output` (`platform.training.addFineTuning()`).
 */
export interface FineTuneOutput {
  /** Name of the fine-tune that writes it (the default LoRA adapter name). */
  readonly fineTuneName: string;
  /** Full weights or a LoRA adapter. */
  readonly kind: FineTuneOutputKind;
  /** The model the fine-tune started from (the architecture the output fits). */
  readonly baseModel: ModelSpec;
  /** `s3://bucket/prefix`. */
  readonly uri: string;
  /** S3 bucket. */
  readonly bucket: string;
  /** S3 prefix, without leading or trailing slash. */
  readonly prefix: string;
  /** LoRA rank (adapters only). @default - not an adapter */
  readonly loraRank?: number;
}

/**
 * Whether two model specs share the architecture a LoRA adapter or fine-tuned weights depend on: layers, hidden size,
 * attention and KV heads, head size, and the parameter count within 1%. The weight dtype and name may differ (an FP8
 * checkpoint of the same model takes the same adapters).
 */
export function sameArchitecture(a: ModelSpec, b: ModelSpec): boolean {
  return a.layers === b.layers && a.hiddenSize === b.hiddenSize && a.attentionHeads === b.attentionHeads
    && a.kvHeads === b.kvHeads && a.headDim === b.headDim
    && Math.abs(a.parameters - b.parameters) <= 0.01 * Math.max(a.parameters, b.parameters);
}

/** `Llama 3.1 8B (32 layers, hidden 4096, 32/8 heads)`, for messages. */
export function describeArchitecture(spec: ModelSpec): string {
  return `${spec.name} (${spec.layers} layers, hidden ${spec.hiddenSize}, ${spec.attentionHeads}/${spec.kvHeads} heads)`;
}
