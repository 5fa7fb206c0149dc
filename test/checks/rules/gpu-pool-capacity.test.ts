import { RuleStatus } from '../../../lib';
import { GPU_POOL_CAPACITY } from '../../../lib/checks/rules/gpu-pool-capacity';
import { definitionWith, gpuDeployment, gpuNodePool, messages, run, scaledObject } from './cross-component-fixtures';

describe('gpu-pool-capacity', () => {
  test('compliant when minima fit and each maximum fits on top of the others\' minimum (maxima may overlap)', () => {
    // GIVEN: 32 GPUs; a: 1-4 x 4 GPUs, b: 1-4 x 4 GPUs (maxima together 32), c: 2 x 2 GPUs
    const definition = definitionWith({
      pools: [gpuNodePool('inference', 32)],
      models: [
        gpuDeployment('a', 'inference', 4), scaledObject('a', 1, 4),
        gpuDeployment('b', 'inference', 4), scaledObject('b', 1, 4),
        gpuDeployment('c', 'inference', 2, 2),
      ],
    });

    // WHEN
    const result = run(GPU_POOL_CAPACITY, definition);

    // THEN
    expect(result.status).toBe(RuleStatus.COMPLIANT);
  });

  test('minimum replicas above the pool', () => {
    // GIVEN
    const definition = definitionWith({
      pools: [gpuNodePool('inference', 8)],
      models: [gpuDeployment('a', 'inference', 4, 2), gpuDeployment('b', 'inference', 2, 1)],
    });

    // WHEN / THEN
    expect(messages(run(GPU_POOL_CAPACITY, definition))).toEqual([
      "NodePool 'inference' holds 8 GPUs ('limits.gpus' (nvidia.com/gpu: 8)), but the workloads pinned to it need 10 at their minimum replicas (Deployment 'models/a': 2 x 4 GPUs, Deployment 'models/b': 1 x 2 GPUs); lower their replicas or raise the pool's GPUs to 10",
    ]);
  });

  test('an autoscaling maximum that can never be reached', () => {
    // GIVEN
    const definition = definitionWith({
      pools: [gpuNodePool('inference', 32)],
      models: [gpuDeployment('qwen', 'inference', 4), scaledObject('qwen', 1, 8), gpuDeployment('small', 'inference', 4, 1)],
    });

    // WHEN / THEN
    expect(messages(run(GPU_POOL_CAPACITY, definition))).toEqual([
      "Deployment 'models/qwen' cannot reach its maximum of 8 replicas (ScaledObject 'models/qwen') on NodePool 'inference': 8 x 4 GPUs plus the other workloads' minimum of 4 GPUs is 36, above the pool's 32 GPUs ('limits.gpus' (nvidia.com/gpu: 32)); lower the maximum to 7 or raise the pool's GPUs to 36",
    ]);
  });

  test('a static pool holds its nodes x the GPUs of its instance type; a LeaderWorkerSet replica counts every pod of its group', () => {
    // GIVEN: 1 x p5.48xlarge = 8 GPUs; one LWS replica of 2 pods x 8 GPUs
    const pool = {
      apiVersion: 'karpenter.sh/v1', kind: 'NodePool', metadata: { name: 'h100' },
      spec: {
        replicas: 1, limits: { nodes: '1' },
        template: { spec: { requirements: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['p5.48xlarge'] }] } },
      },
    };
    const pod = {
      spec: {
        nodeSelector: { 'karpenter.sh/nodepool': 'h100' },
        containers: [{ name: 'vllm', image: 'vllm', resources: { limits: { 'nvidia.com/gpu': 8 } } }],
      },
    };
    const lws = {
      apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', metadata: { name: 'big', namespace: 'models' },
      spec: { replicas: 1, leaderWorkerTemplate: { size: 2, leaderTemplate: pod, workerTemplate: pod } },
    };

    // WHEN
    const result = run(GPU_POOL_CAPACITY, definitionWith({ pools: [pool], models: [lws] }));

    // THEN
    expect(messages(result)).toEqual([
      "NodePool 'h100' holds 8 GPUs ('replicas' (1 nodes x 8 GPUs)), but the workloads pinned to it need 16 at their minimum replicas (LeaderWorkerSet 'models/big': 1 x 16 GPUs); lower their replicas or raise the pool's GPUs to 16",
    ]);
  });

  test('not applicable without GPU workloads pinned to a GPU pool', () => {
    expect(run(GPU_POOL_CAPACITY, definitionWith({ pools: [gpuNodePool('inference', 8)] })).status).toBe(RuleStatus.NOT_APPLICABLE);
  });
});
