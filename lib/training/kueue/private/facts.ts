import { GpuNodePool } from '../../../gpu/gpu-node-pool';
import { Team } from '../../../teams/team';

/**
 * The GPU quota of a team, read from its ResourceQuota (`requests.nvidia.com/gpu`): the one place `gpuQuota` is
 * written, so Kueue's quota can never drift from it. Undefined when the team has no GPU quota.
 */
export function teamGpuQuota(team: Team): number | undefined {
  for (const obj of team.component._objects()) {
    if (obj.kind !== 'ResourceQuota') continue;
    const hard = ((obj.spec as Record<string, unknown> | undefined)?.hard ?? {}) as Record<string, unknown>;
    const gpus = hard['requests.nvidia.com/gpu'];
    if (typeof gpus === 'number') return gpus;
    if (typeof gpus === 'string' && /^\d+$/.test(gpus)) return Number(gpus);
  }
  return undefined;
}

/** The placement group a GPU pool's EC2NodeClass launches into, if any. */
export function placementGroupOf(pool: GpuNodePool): string | undefined {
  const spec = pool.nodeClass.resource.toJson().spec as Record<string, unknown> | undefined;
  const selector = spec?.placementGroupSelector as { name?: unknown; id?: unknown } | undefined;
  const value = selector?.name ?? selector?.id;
  return typeof value === 'string' ? value : undefined;
}

