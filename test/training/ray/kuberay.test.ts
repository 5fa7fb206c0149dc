import { ContainerImage, GpuModel, KubeRayOperator, Kueue, RayJob } from '../../../lib';
import { testPlatform } from '../../util';
import { trainingPlatform } from '../fixtures';

describe('RayJob', () => {
  test('suspended, in the team queue, CPU head, workers on the GPU pool with toleration, EFA and Lustre', () => {
    const { rayJob, pool } = trainingPlatform();
    const job = rayJob.component.toJson()[0] as any;
    expect(job.apiVersion).toBe('ray.io/v1');
    expect(job.metadata.labels).toMatchObject({ 'kueue.x-k8s.io/queue-name': 'default', 'kueue.x-k8s.io/priority-class': 'normal' });
    expect(job.spec.suspend).toBe(true);
    expect(job.spec.rayClusterSpec.headGroupSpec.template.spec.nodeSelector).toBeUndefined();
    const worker = job.spec.rayClusterSpec.workerGroupSpecs[0];
    expect(worker.replicas).toBe(2);
    expect(worker.template.spec.nodeSelector).toEqual({ 'agentic-eks.io/gpu-pool': 'h100', 'agentic-eks.io/efa': 'true' });
    expect(worker.template.spec.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }]);
    expect(worker.template.spec.containers[0].resources.limits).toMatchObject({ 'nvidia.com/gpu': '8', 'vpc.amazonaws.com/efa': `${pool.efaInterfaces}` });
    expect(worker.template.spec.volumes).toContainEqual({ name: 'shared-0', persistentVolumeClaim: { claimName: 'datasets' } });
  });

  test('errors: team without a queue, pool outside the queue, more GPUs than the team can be admitted', () => {
    const platform = testPlatform();
    const definition = platform.definition;
    const l40s = platform.gpu.addNodePool('l40s', { gpus: [GpuModel.L40S], limits: { gpus: 8 } });
    const l4 = platform.gpu.addNodePool('l4', { gpus: [GpuModel.L4], limits: { gpus: 8 } });
    const team = platform.teams.add({ name: 'a', gpuQuota: 2 });
    const stranger = platform.teams.add({ name: 'b', gpuQuota: 2 });
    const kueue = new Kueue(platform, 'Kueue', { definition });
    const queue = kueue.addTeamQueue({ team, pools: [{ pool: l40s }] }).defaultQueue;
    const operator = new KubeRayOperator(platform, 'KubeRay', { definition });
    const image = ContainerImage.of({ repository: 'rayproject/ray', tag: '2.49.0-py311-gpu', source: 'test', checked: '2026-12-02' });
    const base = { definition, operator, queue, image, rayVersion: '2.49.0', entrypoint: 'python x.py', pool: l40s };
    expect(() => kueue.queueOf(stranger)).toThrow(
      "team 'b' has no Kueue queue: add it with addTeamQueue() first (teams with queues: a)");
    expect(() => new RayJob(platform, 'B', { ...base, name: 'b', pool: l4 })).toThrow(
      "GPU NodePool 'l4' is not in the Kueue queue of team 'a' (its pools: l40s): RayJob 'b' would never be admitted");
    expect(() => new RayJob(platform, 'C', { ...base, name: 'c', workers: 3, gpusPerWorker: 1 })).toThrow(
      "RayJob 'c' asks for 3 GPUs (3 x 1) on pool 'l40s', more than team 'a' can ever be admitted there (2)");
  });
});
