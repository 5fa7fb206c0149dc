/** An S3 location: a bucket and a key prefix (`s3://bucket/prefix`). */
export interface S3Location {
  /** Bucket name. */
  readonly bucket: string;
  /** Key prefix, without leading or trailing `/`. */
  readonly prefix: string;
}
