import { describeArchitecture, FineTuneOutput, FineTuneOutputKind } from './fine-tune-output';
import { check, checkDnsSubdomain } from '../core/validation';
import { S3Location } from '../core/s3-location';

/** Kinds of model sources. */
export enum ModelSourceKind {
  /** A Hugging Face repository. */
  HUGGING_FACE = 'hugging-face',
  /** Objects in S3, streamed by vLLM. */
  S3 = 's3',
  /** A PersistentVolumeClaim mounted into the pod. */
  PVC = 'pvc',
}

/** A Kubernetes Secret that holds the Hugging Face token (materialized from AWS Secrets Manager by External Secrets). */
export interface HuggingFaceTokenSecret {
  /** Secret name in the model's namespace. */
  readonly name: string;
  /** Key in the Secret. @default 'HF_TOKEN' */
  readonly key?: string;
}

/** Options of {@link ModelSource.fromHuggingFace}. */
export interface HuggingFaceModelOptions {
  /** Revision (commit, branch or tag) to pin. @default - the repository's default branch */
  readonly revision?: string;
  /** Token Secret for gated models. @default - none (public models) */
  readonly tokenSecret?: HuggingFaceTokenSecret;
}

/** Where vLLM loads a model's weights from. */
export class ModelSource {
  /**
   * A Hugging Face repository, optionally pinned to a revision; gated models need a token Secret.
   * @see https://docs.vllm.ai/en/latest/serving/engine_args.html
   */
  public static fromHuggingFace(repo: string, options: HuggingFaceModelOptions = {}): ModelSource {
    check(/^[\w.-]+\/[\w.-]+$/.test(repo), `Hugging Face repository (${repo}) must look like 'org/name'`);
    if (options.tokenSecret) checkDnsSubdomain('tokenSecret.name', options.tokenSecret.name);
    return new ModelSource(ModelSourceKind.HUGGING_FACE, repo, options.revision, options.tokenSecret);
  }

  /**
   * Weights in S3 (`s3://bucket/prefix`), streamed by vLLM's Run:ai model streamer; the model's ServiceAccount needs
   * read access through EKS Pod Identity (UNCERTAIN: `--load-format runai_streamer` is the vLLM S3 path as of 2026).
   */
  public static fromS3(bucket: string, prefix: string): ModelSource {
    check(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket), `S3 bucket name (${bucket}) is not a valid bucket name`);
    const p = prefix.replace(/^\/+|\/+$/g, '');
    return new ModelSource(ModelSourceKind.S3, `s3://${bucket}/${p}`, undefined, undefined, undefined, { bucket, prefix: p });
  }

  /**
   * The full weights a fine-tune writes (`fineTune.output`, Hugging Face format in S3), streamed like
   * {@link fromS3}; the served model's `spec` must have the fine-tune's architecture and weight dtype. Refuses a LoRA
   * adapter (serve that with `LoraAdapter.fromFineTune()` on a model of the base model).
   */
  public static fromFineTune(output: FineTuneOutput): ModelSource {
    check(output.kind === FineTuneOutputKind.FULL_WEIGHTS,
      `fine-tune '${output.fineTuneName}' writes a LoRA adapter, not full weights: serve it with `
      + `'loraAdapters: [LoraAdapter.fromFineTune(...)]' on a model of ${describeArchitecture(output.baseModel)}`);
    const s3 = ModelSource.fromS3(output.bucket, output.prefix);
    return new ModelSource(ModelSourceKind.S3, s3.uri, undefined, undefined, undefined, s3.s3, output);
  }

  /** Weights already on a PersistentVolumeClaim (e.g. FSx for Lustre), mounted read-only at /models. */
  public static fromPvc(claimName: string, path: string): ModelSource {
    checkDnsSubdomain('claimName', claimName);
    check(!path.includes('..'), `PVC model path (${path}) must not contain '..'`);
    return new ModelSource(ModelSourceKind.PVC, `/models/${path.replace(/^\/+/, '')}`, undefined, undefined, claimName);
  }

  private constructor(
    /** Kind. */
    public readonly kind: ModelSourceKind,
    /** What `vllm serve` gets as the model argument. */
    public readonly uri: string,
    /** Hugging Face revision. */
    public readonly revision?: string,
    /** Hugging Face token Secret. */
    public readonly tokenSecret?: HuggingFaceTokenSecret,
    /** PVC name. */
    public readonly claimName?: string,
    /** S3 bucket and prefix. */
    public readonly s3?: S3Location,
    /** The fine-tune whose full weights these are. */
    public readonly fineTune?: FineTuneOutput,
  ) {}
}
