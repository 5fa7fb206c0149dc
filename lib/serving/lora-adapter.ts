import { Token } from 'aws-cdk-lib';
import { describeArchitecture, FineTuneOutput, FineTuneOutputKind, sameArchitecture } from './fine-tune-output';
import { ModelSpec } from './model-spec';
import { check } from '../core/validation';
import { S3Location } from '../core/s3-location';

/** Where a LoRA adapter comes from (closed set). */
export enum LoraAdapterSourceKind {
  /** A Hugging Face repository, downloaded by vLLM itself. */
  HUGGING_FACE = 'hugging-face',
  /** An S3 prefix, downloaded before vLLM starts by an init container through the model's Pod Identity role. */
  S3 = 's3',
}

/** Options of {@link LoraAdapter.fromHuggingFace}. */
export interface HuggingFaceLoraAdapterOptions {
  /** The model the adapter was trained on; checked against the served model. @default - not checked */
  readonly baseModel?: ModelSpec;
  /** LoRA rank (`r` of `adapter_config.json`); checked against `maxLoraRank`. @default - not checked */
  readonly rank?: number;
}

/** Options of {@link LoraAdapter.fromS3}. */
export interface S3LoraAdapterOptions {
  /** The model the adapter was trained on; checked against the served model. */
  readonly baseModel: ModelSpec;
  /** LoRA rank (`r` of `adapter_config.json`); checked against `maxLoraRank`. @default - not checked */
  readonly rank?: number;
}

/** Options of {@link LoraAdapter.fromFineTune}. */
export interface FineTuneLoraAdapterOptions {
  /** Adapter name clients put in `model`. @default - the fine-tune's name */
  readonly name?: string;
}

/** Where the S3 downloader puts adapters in the serving pods (an emptyDir, read-only for vLLM). */
export const LORA_ADAPTERS_DIR = '/adapters';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * A LoRA adapter served next to its base model (`--enable-lora --lora-modules name=path`): clients pick it with
 * `"model": "<name>"`. From Hugging Face (vLLM downloads it), from S3 (an init container downloads it through the
 * model's Pod Identity role, which reads only the adapter's prefix), or from a fine-tune of the platform.
 * @see https://docs.vllm.ai/en/latest/features/lora.html
 */
export class LoraAdapter {
  /** A PEFT adapter in a Hugging Face repository `org/name`. */
  public static fromHuggingFace(name: string, repo: string, options: HuggingFaceLoraAdapterOptions = {}): LoraAdapter {
    check(/^[\w.-]+\/[\w.-]+$/.test(repo), `Hugging Face repository (${repo}) of LoRA adapter '${name}' must look like 'org/name'`);
    return new LoraAdapter(name, LoraAdapterSourceKind.HUGGING_FACE, repo, repo, options.baseModel, options.rank);
  }

  /**
   * A PEFT adapter (`adapter_config.json`, `adapter_model.safetensors`) under `s3://bucket/prefix`, trained on
   * `baseModel`.
   */
  public static fromS3(name: string, bucket: string, prefix: string, options: S3LoraAdapterOptions): LoraAdapter {
    check(BUCKET.test(bucket), `S3 bucket name (${bucket}) of LoRA adapter '${name}' is not a valid bucket name`);
    const p = prefix.replace(/^\/+|\/+$/g, '');
    check(p !== '', `S3 prefix of LoRA adapter '${name}' must not be empty: the model's Pod Identity role is scoped to it`);
    return new LoraAdapter(name, LoraAdapterSourceKind.S3, `s3://${bucket}/${p}`, `${LORA_ADAPTERS_DIR}/${name}/model`,
      options.baseModel, options.rank, { bucket, prefix: p });
  }

  /**
   * The LoRA adapter a fine-tune writes (`fineTune.output`), trained on the fine-tune's model with its rank; refuses a
   * full fine-tune (serve that with `ModelSource.fromFineTune()`).
   */
  public static fromFineTune(output: FineTuneOutput, options: FineTuneLoraAdapterOptions = {}): LoraAdapter {
    check(output.kind === FineTuneOutputKind.LORA_ADAPTER,
      `fine-tune '${output.fineTuneName}' writes full weights, not a LoRA adapter: serve them with `
      + `'source: ModelSource.fromFineTune(...)' and 'spec' ${describeArchitecture(output.baseModel)}`);
    const adapter = LoraAdapter.fromS3(options.name ?? output.fineTuneName, output.bucket, output.prefix,
      { baseModel: output.baseModel, rank: output.loraRank });
    return new LoraAdapter(adapter.name, adapter.kind, adapter.uri, adapter.path, adapter.baseModel, adapter.rank, adapter.s3, output.fineTuneName);
  }

  private constructor(
    /** Adapter name clients put in `model`. */
    public readonly name: string,
    /** Where it comes from. */
    public readonly kind: LoraAdapterSourceKind,
    /** Hugging Face repository or `s3://bucket/prefix`. */
    public readonly uri: string,
    /** What `--lora-modules` gets: the repository, or the local directory the S3 download lands in. */
    public readonly path: string,
    /** The model it was trained on. */
    public readonly baseModel?: ModelSpec,
    /** LoRA rank. */
    public readonly rank?: number,
    /** S3 bucket and prefix. */
    public readonly s3?: S3Location,
    /** The fine-tune that writes it. */
    public readonly fineTuneName?: string,
  ) {
    check(NAME.test(name), `LoRA adapter name (${name}) must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit`);
    if (rank !== undefined && !Token.isUnresolved(rank)) {
      check(Number.isInteger(rank) && rank >= 1, `'rank' (${rank}) of LoRA adapter '${name}' must be an integer >= 1`);
    }
  }

  /** What the adapter is, for messages: `'support' (fine-tune 'x')` or `'sql' (org/sql-lora)`. */
  public get description(): string {
    return `LoRA adapter '${this.name}' (${this.fineTuneName !== undefined ? `fine-tune '${this.fineTuneName}'` : this.uri})`;
  }
}

/**
 * Values vLLM accepts for `--max-lora-rank` (`MaxLoRARanks` of vllm/config/lora.py). UNCERTAIN: read from vLLM main
 * of 2025-2026, not from the tag of `ContainerImage.VLLM_OPENAI`.
 */
export const VLLM_MAX_LORA_RANKS: readonly number[] = [1, 8, 16, 32, 64, 128, 256, 320, 512];

/** Bytes per LoRA weight in GPU memory (bf16/fp16 adapters). */
const LORA_BYTES_PER_PARAMETER = 2;

/**
 * LoRA adapter parameters on q, k, v and o of every layer: layers x 4 projections x rank x 2 x hiddenSize (each
 * projection gets A: hidden x rank and B: rank x hidden; K/V are narrower under GQA, so this is an upper bound).
 * Shared by the fine-tune memory check and the serving sizing.
 */
export function loraAdapterParameters(model: ModelSpec, rank: number): number {
  return model.layers * 4 * rank * 2 * model.hiddenSize;
}

/** What vLLM is started with for a model's adapters. */
export interface LoraServingSettings {
  /** `--max-lora-rank`. */
  readonly maxLoraRank: number;
  /** `--max-loras`: adapter slots on the GPU (one per adapter). */
  readonly maxLoras: number;
  /**
   * GPU memory vLLM reserves for the adapter slots on each GPU: maxLoras x {@link loraAdapterParameters} at
   * maxLoraRank x 2 bytes, counted unsharded (an upper bound under tensor parallelism; vLLM also reserves slots for
   * the MLP projections, which this attention-only count leaves out).
   */
  readonly bytesPerGpu: number;
}

/**
 * Checks the adapters of model `modelName` (of `spec`, served as `servedModelName`): unique names, none equal to the
 * served name, each trained on the same architecture as `spec`, each rank within `maxLoraRank`, which must be a value
 * vLLM accepts. Returns the vLLM settings, or undefined without adapters.
 */
export function resolveLoraServing(
  modelName: string, spec: ModelSpec, servedModelName: string, adapters: readonly LoraAdapter[], maxLoraRank?: number,
): LoraServingSettings | undefined {
  const seen = new Set<string>();
  for (const a of adapters) {
    check(!seen.has(a.name), `LoRA adapter name '${a.name}' is used twice in model '${modelName}'`);
    check(a.name !== servedModelName, `LoRA adapter name '${a.name}' is the model's own served name`);
    seen.add(a.name);
    if (a.baseModel !== undefined) {
      check(sameArchitecture(a.baseModel, spec),
        `${a.description} was trained on ${describeArchitecture(a.baseModel)}, but model '${modelName}' serves `
        + `${describeArchitecture(spec)}: serve the adapter on a model of ${a.baseModel.name}`);
    }
  }
  if (adapters.length === 0) return undefined;
  const ranks = adapters.filter((a) => a.rank !== undefined && !Token.isUnresolved(a.rank));
  const largest = ranks.reduce<LoraAdapter | undefined>((m, a) => (m === undefined || a.rank! > m.rank! ? a : m), undefined);
  const rank = maxLoraRank ?? (largest !== undefined && largest.rank! > 64
    ? VLLM_MAX_LORA_RANKS.find((r) => r >= largest.rank!) ?? largest.rank!
    : 64);
  check(VLLM_MAX_LORA_RANKS.includes(rank),
    `'maxLoraRank' (${rank}) of model '${modelName}' must be one of ${VLLM_MAX_LORA_RANKS.join(', ')} (vLLM's --max-lora-rank values)`);
  if (largest !== undefined) {
    check(largest.rank! <= rank,
      `'maxLoraRank' (${rank}) of model '${modelName}' is below the rank (${largest.rank}) of ${largest.description}`);
  }
  const maxLoras = adapters.length;
  return { maxLoraRank: rank, maxLoras, bytesPerGpu: maxLoras * loraAdapterParameters(spec, rank) * LORA_BYTES_PER_PARAMETER };
}
