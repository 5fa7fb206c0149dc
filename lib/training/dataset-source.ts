import { check } from '../core/validation';
import { HuggingFaceTokenSecret } from '../serving/model-source';
import { S3Location } from '../core/s3-location';

/** Kinds of training dataset sources. */
export enum DatasetSourceKind {
  /** A Hugging Face dataset repository (`hf://org/name`). */
  HUGGING_FACE = 'hugging-face',
  /** Objects under an S3 prefix (`s3://bucket/prefix`). */
  S3 = 's3',
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const HF_REPO = /^[\w.-]+\/[\w.-]+$/;

/** Options of {@link DatasetSource.fromHuggingFace}. */
export interface HuggingFaceDatasetOptions {
  /** Token Secret for gated datasets. @default - the platform's Hugging Face token of the fine-tune's namespace */
  readonly tokenSecret?: HuggingFaceTokenSecret;
}

/**
 * Where a fine-tune reads its dataset. Downloaded into `/workspace/dataset` of every training node before training
 * starts (the Kubeflow dataset initializer, as an init container).
 */
export class DatasetSource {
  /** A Hugging Face dataset repository, `org/name`; gated datasets use the platform's Hugging Face token. */
  public static fromHuggingFace(repo: string, options: HuggingFaceDatasetOptions = {}): DatasetSource {
    check(HF_REPO.test(repo), `Hugging Face dataset repository (${repo}) must look like 'org/name'`);
    return new DatasetSource(DatasetSourceKind.HUGGING_FACE, `hf://${repo}`, options.tokenSecret);
  }

  /** Objects under `s3://bucket/prefix`, read through the fine-tune's Pod Identity role (scoped to the prefix). */
  public static fromS3(bucket: string, prefix: string): DatasetSource {
    check(BUCKET.test(bucket), `S3 bucket name (${bucket}) is not a valid bucket name`);
    const p = prefix.replace(/^\/+|\/+$/g, '');
    check(p !== '', `S3 prefix of bucket '${bucket}' must not be empty: the fine-tune's role is scoped to it`);
    return new DatasetSource(DatasetSourceKind.S3, `s3://${bucket}/${p}`, undefined, { bucket, prefix: p });
  }

  /** A dataset URI: `s3://bucket/prefix` or `hf://org/name`; anything else is refused. */
  public static fromUri(uri: string): DatasetSource {
    const s3 = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
    if (s3 !== null) return DatasetSource.fromS3(s3[1], s3[2]);
    if (uri.startsWith('hf://')) return DatasetSource.fromHuggingFace(uri.slice('hf://'.length));
    return check(false, `dataset URI (${uri}) must be s3://bucket/prefix or hf://org/name: the Kubeflow dataset initializer reads only S3 and Hugging Face`) as never;
  }

  private constructor(
    /** Kind. */
    public readonly kind: DatasetSourceKind,
    /** `s3://bucket/prefix` or `hf://org/name`: the initializer's `STORAGE_URI`. */
    public readonly uri: string,
    /** Hugging Face token Secret. */
    public readonly tokenSecret?: HuggingFaceTokenSecret,
    /** S3 bucket and prefix. */
    public readonly s3?: S3Location,
  ) {}
}

/** An S3 location `s3://bucket/prefix` split into bucket and prefix; refuses anything else (`what` names the prop). */
export function parseS3Uri(what: string, uri: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
  check(m !== null, `'${what}' (${uri}) must be an S3 location s3://bucket/prefix`);
  const prefix = m[2].replace(/^\/+|\/+$/g, '');
  check(BUCKET.test(m[1]), `'${what}' (${uri}): '${m[1]}' is not a valid bucket name`);
  check(prefix !== '', `'${what}' (${uri}) needs a prefix after the bucket: the fine-tune's role is scoped to it`);
  return { bucket: m[1], prefix };
}
