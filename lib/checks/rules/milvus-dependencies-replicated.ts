import { milvusObjects } from '../private/milvus';
import { rec, str } from '../private/selectors';
import { ClusterModel, label } from '../model';
import { IPlatformRule, RuleEvaluation, evaluation } from '../rule';

/** A whole number from chart values (numbers or numeric strings), or undefined. */
function count(x: unknown): number | undefined {
  const n = typeof x === 'string' && /^\d+$/.test(x) ? Number(x) : x;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

/**
 * A Milvus in cluster mode (`spec.mode: cluster`) runs no stateful in-cluster dependency the operator deploys as a
 * single point of failure, where the Milvus object shows it: in-cluster etcd with `values.replicaCount` below 3
 * (etcd needs a majority of its members; the operator's default in cluster mode is 3), in-cluster Kafka (message
 * stream `kafka`, not external) with `values.replicaCount` below 3, in-cluster MinIO (storage not external) with
 * `values.mode: standalone` (one MinIO pod). Values left out take the operator's cluster-mode defaults and are not
 * reported; external dependencies are the operator's concern.
 */
export const MILVUS_DEPENDENCIES_REPLICATED: IPlatformRule = {
  id: 'milvus-dependencies-replicated',
  description: 'A cluster-mode Milvus has no single-replica in-cluster etcd, Kafka or MinIO',
  why: 'Cluster mode is chosen to survive the loss of a pod or node; with one etcd, Kafka broker or MinIO pod the whole store is down whenever that pod is (node replacement, Spot interruption, upgrade)',
  example: "Milvus 'milvus/docs' runs in cluster mode with 1 in-cluster etcd replica (dependencies.etcd.inCluster.values.replicaCount): a single replica of a stateful dependency is a single point of failure; fix: 3 or 5 replicas (vector store 'etcd.replicas'), or standalone mode",
  evaluate(model: ClusterModel): RuleEvaluation {
    const clusters = milvusObjects(model).filter((m) => str(rec(m.object.spec).mode) === 'cluster');
    const findings: string[] = [];
    const spof = 'a single replica of a stateful dependency is a single point of failure';
    for (const m of clusters) {
      const deps = rec(rec(m.object.spec).dependencies);
      const etcd = rec(deps.etcd);
      const etcdReplicas = count(rec(rec(etcd.inCluster).values).replicaCount);
      if (etcd.external !== true && etcdReplicas !== undefined && etcdReplicas < 3) {
        findings.push(`${label(m)} runs in cluster mode with ${etcdReplicas} in-cluster etcd replica${etcdReplicas === 1 ? '' : 's'} `
          + `(dependencies.etcd.inCluster.values.replicaCount): ${spof}; fix: 3 or 5 replicas (vector store 'etcd.replicas'), or standalone mode`);
      }
      const kafka = rec(deps.kafka);
      const brokers = count(rec(rec(kafka.inCluster).values).replicaCount);
      if (str(deps.msgStreamType) === 'kafka' && kafka.external !== true && brokers !== undefined && brokers < 3) {
        findings.push(`${label(m)} runs in cluster mode with ${brokers} in-cluster Kafka broker${brokers === 1 ? '' : 's'} `
          + `(dependencies.kafka.inCluster.values.replicaCount): ${spof}; fix: 3 brokers (MessageStream.kafka({ replicas: 3 })), or MessageStream.woodpecker()`);
      }
      const storage = rec(deps.storage);
      if (storage.external !== true && str(rec(rec(storage.inCluster).values).mode) === 'standalone') {
        findings.push(`${label(m)} runs in cluster mode with a standalone in-cluster MinIO (dependencies.storage.inCluster.values.mode): ${spof}; `
          + 'fix: external S3 storage (what vector stores of the platform use), or MinIO mode distributed');
      }
    }
    return evaluation(clusters.length > 0, findings);
  },
};
