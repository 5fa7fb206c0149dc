import { RuleStatus } from '../../../lib';
import { MILVUS_DEPENDENCIES_REPLICATED } from '../../../lib/checks/rules/milvus-dependencies-replicated';
import { MILVUS_STORAGE_BUCKET } from '../../../lib/checks/rules/milvus-storage-bucket';
import { definitionWith, messages, run } from './cross-component-fixtures';

function milvus(name: string, mode: string, dependencies: Record<string, unknown>, config: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'milvus.io/v1beta1', kind: 'Milvus', metadata: { name, namespace: 'milvus' }, spec: { mode, dependencies, config, components: {} } };
}

const S3 = { external: true, type: 'S3', endpoint: 's3.us-west-2.amazonaws.com:443' };
const BUCKET = { minio: { bucketName: 'test-milvus-docs-us-west-2' } };

describe('milvus-dependencies-replicated', () => {
  test('compliant: 3 etcd replicas, operator defaults, 3 Kafka brokers, external dependencies; standalone mode is not checked', () => {
    // GIVEN
    const def = definitionWith({
      milvus: [
        milvus('docs', 'cluster', { storage: S3, etcd: { inCluster: { values: { replicaCount: 3 } } } }, BUCKET),
        milvus('defaults', 'cluster', {}),
        milvus('kafka', 'cluster', { msgStreamType: 'kafka', kafka: { inCluster: { values: { replicaCount: 3 } } }, etcd: { external: true, endpoints: ['e:2379'], inCluster: { values: { replicaCount: 1 } } } }),
        milvus('dev', 'standalone', { etcd: { inCluster: { values: { replicaCount: 1 } } }, storage: { inCluster: { values: { mode: 'standalone' } } } }),
      ],
    });
    // WHEN / THEN
    expect(run(MILVUS_DEPENDENCIES_REPLICATED, def)).toEqual({ status: RuleStatus.COMPLIANT, findings: [] });
  });

  test('cluster mode with one etcd replica, one Kafka broker, a standalone MinIO', () => {
    // GIVEN
    const def = definitionWith({
      milvus: [milvus('docs', 'cluster', {
        msgStreamType: 'kafka',
        etcd: { inCluster: { values: { replicaCount: 1 } } },
        kafka: { inCluster: { values: { replicaCount: '1' } } },
        storage: { inCluster: { values: { mode: 'standalone' } } },
      })],
    });
    // WHEN / THEN
    expect(messages(run(MILVUS_DEPENDENCIES_REPLICATED, def))).toEqual([
      "Milvus 'milvus/docs' runs in cluster mode with 1 in-cluster etcd replica (dependencies.etcd.inCluster.values.replicaCount): a single replica of a stateful dependency is a single point of failure; fix: 3 or 5 replicas (vector store 'etcd.replicas'), or standalone mode",
      "Milvus 'milvus/docs' runs in cluster mode with 1 in-cluster Kafka broker (dependencies.kafka.inCluster.values.replicaCount): a single replica of a stateful dependency is a single point of failure; fix: 3 brokers (MessageStream.kafka({ replicas: 3 })), or MessageStream.woodpecker()",
      "Milvus 'milvus/docs' runs in cluster mode with a standalone in-cluster MinIO (dependencies.storage.inCluster.values.mode): a single replica of a stateful dependency is a single point of failure; fix: external S3 storage (what vector stores of the platform use), or MinIO mode distributed",
    ]);
  });

  test('not applicable without a cluster-mode Milvus', () => {
    expect(run(MILVUS_DEPENDENCIES_REPLICATED, definitionWith({ milvus: [milvus('dev', 'standalone', {})] })).status).toBe(RuleStatus.NOT_APPLICABLE);
  });
});

describe('milvus-storage-bucket', () => {
  test('compliant when external storage names its bucket', () => {
    expect(run(MILVUS_STORAGE_BUCKET, definitionWith({ milvus: [milvus('docs', 'cluster', { storage: S3 }, BUCKET)] }))).toEqual({ status: RuleStatus.COMPLIANT, findings: [] });
  });

  test('external S3 storage without a bucket (none, or empty)', () => {
    // GIVEN
    const def = definitionWith({
      milvus: [milvus('docs', 'cluster', { storage: S3 }), milvus('kb', 'standalone', { storage: { external: true, type: 'MinIO' } }, { minio: { bucketName: '' } })],
    });
    // WHEN / THEN
    expect(messages(run(MILVUS_STORAGE_BUCKET, def))).toEqual([
      "Milvus 'milvus/docs' keeps its data in external S3 storage (dependencies.storage, endpoint s3.us-west-2.amazonaws.com:443) but names no bucket (config.minio.bucketName), so the operator uses bucket 'docs'; fix: set config.minio.bucketName to the store's bucket (vector store 'storage.bucketName')",
      "Milvus 'milvus/kb' keeps its data in external MinIO storage (dependencies.storage) but names no bucket (config.minio.bucketName), so the operator uses bucket 'kb'; fix: set config.minio.bucketName to the store's bucket (vector store 'storage.bucketName')",
    ]);
  });

  test('not applicable with in-cluster storage', () => {
    expect(run(MILVUS_STORAGE_BUCKET, definitionWith({ milvus: [milvus('dev', 'standalone', {})] })).status).toBe(RuleStatus.NOT_APPLICABLE);
  });
});
