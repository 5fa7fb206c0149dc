import { gpuPools } from '../private/gpu-pools';
import { at, wholeNumber } from '../private/workloads';
import { ClusterModel, label } from '../model';
import { IPlatformRule, RuleEvaluation, evaluation } from '../rule';

/**
 * A namespace's GPU quota (`ResourceQuota` `requests.nvidia.com/gpu`, what `Team` `gpuQuota` emits) is at most the
 * GPUs of all GPU NodePools together. Quotas of several teams adding up to more than the pools are not reported:
 * quotas are ceilings, and overcommitting them across teams is the usual way to share a GPU fleet.
 */
export const TEAM_GPU_QUOTA: IPlatformRule = {
  id: 'team-gpu-quota',
  description: 'A GPU ResourceQuota (team gpuQuota) is at most the GPUs of all GPU NodePools together',
  why: 'A quota above every GPU the platform can launch promises the team capacity that does not exist; it is usually a typo or a pool that was removed',
  example: "ResourceQuota 'team-a/team-quota' allows 40 GPUs ('gpuQuota' of team 'team-a', requests.nvidia.com/gpu), more than the 32 GPUs of all GPU NodePools (inference: 32); lower 'gpuQuota' to at most 32 or add GPU capacity",
  evaluate(model: ClusterModel): RuleEvaluation {
    const pools = gpuPools(model);
    const quotas = model.ofKind('ResourceQuota')
      .map((q) => ({ q, gpus: wholeNumber(at(q.object, 'spec', 'hard', 'requests.nvidia.com/gpu')) }))
      .filter((x): x is { q: typeof x.q; gpus: number } => x.gpus !== undefined);
    if (pools.length === 0 || quotas.length === 0) return evaluation(false, []);
    const total = pools.reduce((s, p) => s + p.gpus, 0);
    const parts = pools.map((p) => `${p.pool.name}: ${p.gpus}`).join(', ');
    const findings = quotas.filter((x) => x.gpus > total).map(({ q, gpus }) =>
      `${label(q)} allows ${gpus} GPUs ('gpuQuota' of team '${q.namespace}', requests.nvidia.com/gpu), more than the ${total} GPUs of all GPU NodePools (${parts}); lower 'gpuQuota' to at most ${total} or add GPU capacity`);
    return evaluation(true, findings);
  },
};
