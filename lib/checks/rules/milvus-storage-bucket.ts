import { milvusObjects } from '../private/milvus';
import { rec, str } from '../private/selectors';
import { ClusterModel, label } from '../model';
import { IPlatformRule, RuleEvaluation, evaluation } from '../rule';

/**
 * A Milvus with external object storage (`dependencies.storage.external: true`, S3 or an external MinIO) names its
 * bucket in `config.minio.bucketName`. Without it the operator's `milvus.yaml` template names the bucket after the
 * Milvus object (milvus-operator 1.3.8 `config/assets/templates/milvus.yaml.tmpl`): a bucket the platform did not
 * create, in a namespace of bucket names shared by every AWS account.
 */
export const MILVUS_STORAGE_BUCKET: IPlatformRule = {
  id: 'milvus-storage-bucket',
  description: 'A Milvus on external S3 storage names its bucket (config.minio.bucketName)',
  why: "Without a bucket name the operator uses the Milvus object's name: Milvus fails to start (no such bucket, or access denied to another account's bucket) or writes where its role and the platform's bucket policy do not reach",
  example: "Milvus 'milvus/docs' keeps its data in external S3 storage (dependencies.storage, endpoint s3.us-west-2.amazonaws.com:443) but names no bucket (config.minio.bucketName), so the operator uses bucket 'docs'; fix: set config.minio.bucketName to the store's bucket (vector store 'storage.bucketName')",
  evaluate(model: ClusterModel): RuleEvaluation {
    const external = milvusObjects(model).filter((m) => rec(rec(rec(m.object.spec).dependencies).storage).external === true);
    const findings: string[] = [];
    for (const m of external) {
      const spec = rec(m.object.spec);
      const storage = rec(rec(spec.dependencies).storage);
      const bucket = str(rec(rec(spec.config).minio).bucketName);
      if (bucket !== undefined && bucket.trim() !== '') continue;
      const type = str(storage.type) ?? 'MinIO';
      const endpoint = str(storage.endpoint);
      findings.push(`${label(m)} keeps its data in external ${type} storage (dependencies.storage${endpoint !== undefined ? `, endpoint ${endpoint}` : ''}) `
        + `but names no bucket (config.minio.bucketName), so the operator uses bucket '${m.name}'; fix: set config.minio.bucketName to the store's bucket (vector store 'storage.bucketName')`);
    }
    return evaluation(external.length > 0, findings);
  },
};
