import { RuleStatus } from '../../../lib';
import { TEAM_GPU_QUOTA } from '../../../lib/checks/rules/team-gpu-quota';
import { definitionWith, gpuNodePool, messages, run } from './cross-component-fixtures';

function quota(team: string, gpus: number): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'team-quota', namespace: team }, spec: { hard: { 'requests.nvidia.com/gpu': gpus } } };
}

describe('team-gpu-quota', () => {
  test('compliant when each quota fits all pools, even when the quotas together overcommit them', () => {
    // GIVEN: 16 GPUs; quotas 12 + 12
    const definition = definitionWith({ pools: [gpuNodePool('a', 8), gpuNodePool('b', 8)], teams: [quota('team-a', 12), quota('team-b', 12)] });

    // WHEN / THEN
    expect(run(TEAM_GPU_QUOTA, definition).status).toBe(RuleStatus.COMPLIANT);
  });

  test('a quota above every GPU of the platform', () => {
    // GIVEN
    const definition = definitionWith({ pools: [gpuNodePool('inference', 32)], teams: [quota('team-a', 40)] });

    // WHEN / THEN
    expect(messages(run(TEAM_GPU_QUOTA, definition))).toEqual([
      "ResourceQuota 'team-a/team-quota' allows 40 GPUs ('gpuQuota' of team 'team-a', requests.nvidia.com/gpu), more than the 32 GPUs of all GPU NodePools (inference: 32); lower 'gpuQuota' to at most 32 or add GPU capacity",
    ]);
  });

  test('not applicable without GPU pools', () => {
    expect(run(TEAM_GPU_QUOTA, definitionWith({ teams: [quota('team-a', 4)] })).status).toBe(RuleStatus.NOT_APPLICABLE);
  });
});
