import { gpuPools } from '../private/gpu-pools';
import { gpuPerReplicaLabel, isWorkload, pinnedPool, podGroups, replicaRange, gpusPerReplica } from '../private/workloads';
import { ClusterModel, label } from '../model';
import { IPlatformRule, RuleEvaluation, evaluation } from '../rule';

/**
 * The workloads pinned to a GPU NodePool (`nodeSelector` `agentic-eks.io/gpu-pool` or `karpenter.sh/nodepool`) fit
 * its GPUs: at their minimum replicas together, and each at its maximum while the others run their minimum. A
 * maximum that could never be reached is a mistake (the autoscaler would ask for pods that stay Pending); maxima that
 * only overlap (their sum above the pool) are normal sharing of headroom and are not reported.
 */
export const GPU_POOL_CAPACITY: IPlatformRule = {
  id: 'gpu-pool-capacity',
  description: 'Workloads pinned to a GPU NodePool fit its GPU limit: minimum replicas together, and each maximum on top of the others\' minimum',
  why: 'Karpenter stops launching nodes at the pool\'s limit: replicas beyond it stay Pending forever, and an autoscaling maximum above it can never be reached',
  example: "Deployment 'models/qwen' cannot reach its maximum of 8 replicas (ScaledObject 'models/qwen') on NodePool 'inference': 8 x 4 GPUs plus the other workloads' minimum of 4 GPUs is 36, above the pool's 32 GPUs ('limits.gpus' (nvidia.com/gpu: 32)); lower the maximum to 7 or raise the pool's GPUs to 36",
  evaluate(model: ClusterModel): RuleEvaluation {
    const pools = gpuPools(model);
    const findings: string[] = [];
    let applicable = false;
    // The pools each workload is pinned to, read once (not once per pool).
    const workloads = model.objects.filter(isWorkload).map((o) => ({ o, pinned: podGroups(o).map((g) => pinnedPool(g.template)) }));
    for (const cap of pools) {
      const placed = workloads
        .filter((w) => w.pinned.includes(cap.pool.name))
        .map(({ o }) => o)
        .map((o) => ({ o, perReplica: gpusPerReplica(o), range: replicaRange(model, o) }))
        .filter((w) => w.perReplica > 0);
      if (placed.length === 0) continue;
      applicable = true;
      const minTotal = placed.reduce((s, w) => s + w.range.min * w.perReplica, 0);
      if (minTotal > cap.gpus) {
        const parts = placed.map((w) => `${label(w.o)}: ${w.range.min} x ${gpuPerReplicaLabel(w.perReplica)}`).join(', ');
        findings.push(`NodePool '${cap.pool.name}' holds ${cap.gpus} GPUs (${cap.source}), but the workloads pinned to it need ${minTotal} at their minimum replicas (${parts}); lower their replicas or raise the pool's GPUs to ${minTotal}`);
        continue;
      }
      for (const w of placed) {
        if (w.range.max <= w.range.min) continue;
        const others = minTotal - w.range.min * w.perReplica;
        const need = w.range.max * w.perReplica + others;
        if (need <= cap.gpus) continue;
        const reachable = Math.floor((cap.gpus - others) / w.perReplica);
        findings.push(`${label(w.o)} cannot reach its maximum of ${w.range.max} replicas (${w.range.source}) on NodePool '${cap.pool.name}': ${w.range.max} x ${gpuPerReplicaLabel(w.perReplica)} plus the other workloads' minimum of ${others} GPUs is ${need}, above the pool's ${cap.gpus} GPUs (${cap.source}); lower the maximum to ${reachable} or raise the pool's GPUs to ${need}`);
      }
    }
    return evaluation(applicable, findings);
  },
};
