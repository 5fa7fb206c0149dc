
import { GpuModel, HelmComponent, Kueue, KubernetesComponent, managerConfigYaml, KueueIntegration } from '../../../lib';
import { evaluatePlatformChecks } from '../../../lib/checks/run';
import { renderHelmComponent } from '../../charts/helm';
import { chartDefaults, unknownValueKeys } from '../../charts/chart-values';
import { expectValidK8sObjects, describeWithSchemas } from '../../k8s-schema';
import { find, testPlatform } from '../../util';
import { rayJobCrd, trainingPlatform } from '../fixtures';
import { chartFolder } from '../../charts/helm';

function objectsOf(c: KubernetesComponent): Record<string, unknown>[] {
  return c.toJson() as any[];
}

describe('Kueue', () => {
  test('flavor from the pool, team ClusterQueue from gpuQuota with borrowing up to it, LocalQueue, priorities, topology', () => {
    const { kueue } = trainingPlatform();
    const objs = objectsOf(kueue.queues);
    const flavor = find(objs, 'ResourceFlavor', 'h100');
    expect(flavor.apiVersion).toBe('kueue.x-k8s.io/v1beta2');
    expect(flavor.spec).toEqual({
      nodeLabels: { 'agentic-eks.io/gpu-pool': 'h100' },
      nodeTaints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }],
      topologyName: 'aws-network',
    });
    const cq = find(objs, 'ClusterQueue', 'research');
    expect(cq.spec.cohortName).toBe('platform');
    expect(cq.spec.resourceGroups).toEqual([{
      coveredResources: ['nvidia.com/gpu'],
      flavors: [{ name: 'h100', resources: [{ name: 'nvidia.com/gpu', nominalQuota: 8, borrowingLimit: 8 }] }],
    }]);
    expect(find(objs, 'LocalQueue', 'default').spec).toEqual({ clusterQueue: 'research' });
    expect(find(objs, 'Topology', 'aws-network').spec.levels.map((l: { nodeLabel: string }) => l.nodeLabel)).toEqual([
      'topology.k8s.aws/network-node-layer-1', 'topology.k8s.aws/network-node-layer-2', 'topology.k8s.aws/network-node-layer-3', 'kubernetes.io/hostname',
    ]);
    expect(objs.filter((o) => o.kind === 'WorkloadPriorityClass').map((o) => (o as any).value)).toEqual([100, 1000, 10000]);
  });

  test('a queue on one pool takes the whole gpuQuota by default; no topology without EFA', () => {
    const platform = testPlatform();
    const pool = platform.gpu.addNodePool('l40s', { gpus: [GpuModel.L40S], limits: { gpus: 8 } });
    const team = platform.teams.add({ name: 'a', gpuQuota: 4 });
    const kueue = new Kueue(platform, 'Kueue', { definition: platform.definition, cohort: 'gpus', priorities: [{ name: 'batch', value: 5 }] });
    const q = kueue.addTeamQueue({ team, pools: [{ pool }], localQueues: ['train', 'sweep'] });
    expect(q.nominalGpus).toEqual({ l40s: 4 });
    expect(q.borrowingLimits).toEqual({ l40s: 0 });
    const objs = objectsOf(kueue.queues);
    expect(find(objs, 'ResourceFlavor', 'l40s').spec.topologyName).toBeUndefined();
    expect(find(objs, 'ClusterQueue', 'a').spec.cohortName).toBe('gpus');
    expect(q.localQueues.map((l) => `${l.namespace}/${l.name} -> ${l.clusterQueueName}`)).toEqual(['a/train -> a', 'a/sweep -> a']);
    expect(q.defaultQueue.name).toBe('train');
    expect(kueue.priorityClasses.map((p) => `${p.name}=${p.value}`)).toEqual(['batch=5']);
    expect(q.localQueue('sweep').labels(kueue.priorityClass('batch'))).toEqual({
      'kueue.x-k8s.io/queue-name': 'sweep', 'kueue.x-k8s.io/priority-class': 'batch',
    });
    expect(q.defaultQueue.labels()).toEqual({ 'kueue.x-k8s.io/queue-name': 'train' });
    expect(kueue.queueOf(team)).toBe(q);
  });

  test('addPriorityClass adds a WorkloadPriorityClass to the queues component and returns it', () => {
    // GIVEN
    const platform = testPlatform();
    const kueue = new Kueue(platform, 'Kueue', { definition: platform.definition });

    // WHEN
    const urgent = kueue.addPriorityClass({ name: 'urgent', value: 50000, description: 'Incidents' });

    // THEN
    expect(urgent.name).toBe('urgent');
    expect(kueue.priorityClass('urgent')).toBe(urgent);
    expect(kueue.priorityClasses.map((p) => p.name)).toEqual(['low', 'normal', 'high', 'urgent']);
    expect(find(objectsOf(kueue.queues), 'WorkloadPriorityClass', 'urgent')).toMatchObject({
      apiVersion: 'kueue.x-k8s.io/v1beta2', value: 50000, description: 'Incidents',
    });
    expect(() => kueue.addPriorityClass({ name: 'high', value: 1 })).toThrow("workload priority class 'high' is defined twice");
    expect(() => kueue.addPriorityClass({ name: 'big', value: 2_000_000_000 })).toThrow(
      "'value' (2000000000) of workload priority class 'big' must be an integer from -1000000000 to 1000000000");
  });

  test('a priority class of another Kueue installation is refused by a LocalQueue', () => {
    // GIVEN
    const a = testPlatform();
    const b = testPlatform();
    const poolA = a.gpu.addNodePool('l40s', { gpus: [GpuModel.L40S], limits: { gpus: 8 } });
    const team = a.teams.add({ name: 'a', gpuQuota: 4 });
    const queue = new Kueue(a, 'Kueue', { definition: a.definition }).addTeamQueue({ team, pools: [{ pool: poolA }] });
    const other = new Kueue(b, 'Kueue', { definition: b.definition });

    // WHEN / THEN
    expect(() => queue.defaultQueue.labels(other.priorityClass('high'))).toThrow(
      "workload priority class 'high' belongs to another Kueue installation than LocalQueue 'a/default'");
  });

  test('errors', () => {
    const platform = testPlatform();
    const pool = platform.gpu.addNodePool('l40s', { gpus: [GpuModel.L40S], limits: { gpus: 8 } });
    const pool2 = platform.gpu.addNodePool('l4', { gpus: [GpuModel.L4], limits: { gpus: 8 } });
    const team = platform.teams.add({ name: 'a', gpuQuota: 4 });
    const noQuota = platform.teams.add({ name: 'b' });
    const other = platform.teams.add({ name: 'c', gpuQuota: 2 });
    const kueue = new Kueue(platform, 'Kueue', { definition: platform.definition });
    expect(() => kueue.addTeamQueue({ team: noQuota, pools: [{ pool }] })).toThrow(
      "team 'b' has no 'gpuQuota': its Kueue GPU quota is taken from it (ResourceQuota requests.nvidia.com/gpu); set 'gpuQuota' on the team");
    expect(() => kueue.addTeamQueue({ team, pools: [{ pool, gpus: 4, borrowingLimit: 2 }] })).toThrow(
      "Kueue quota of team 'a' (4 guaranteed + 2 borrowable = 6 GPUs) exceeds the team's 'gpuQuota' (4), the ResourceQuota requests.nvidia.com/gpu its pods are held to: lower 'gpus' or 'borrowingLimit', or raise 'gpuQuota'");
    expect(() => kueue.addTeamQueue({ team, pools: [{ pool, gpus: 2 }, { pool: pool2 }] })).toThrow(
      "'gpus' of pool 'l4' in the Kueue queue of team 'a' is required when the queue spans 2 pools: split the team's 'gpuQuota' (4) between them");
    expect(() => kueue.queueOf(other)).toThrow("team 'c' has no Kueue queue: add it with addTeamQueue() first (teams with queues: none)");
    const q = kueue.addTeamQueue({ team, pools: [{ pool, gpus: 2 }, { pool: pool2, gpus: 2 }] });
    expect(() => kueue.priorityClass('urgent')).toThrow(
      "workload priority class 'urgent' is not defined (defined: low, normal, high)");
    expect(() => q.localQueue('sweep')).toThrow("LocalQueue 'sweep' is not a queue of team 'a' (its queues: default)");
    expect(() => new Kueue(platform, 'K2', { definition: platform.definition, priorities: [{ name: 'x', value: 1 }, { name: 'x', value: 2 }] }))
      .toThrow("workload priority class 'x' is defined twice");
  });

  test('manager configuration lists the integrations and counts GPUs only', () => {
    const yaml = managerConfigYaml([KueueIntegration.TRAINJOB, KueueIntegration.RAY_JOB]);
    expect(yaml).toContain('integrations:\n  frameworks:\n  - "trainer.kubeflow.org/trainjob"\n  - "ray.io/rayjob"\n');
    expect(yaml).toContain('excludeResourcePrefixes:\n  - "cpu"\n  - "memory"');
  });
});

describeWithSchemas('training platform (Kueue, FSx, MLflow, KubeRay)', () => {
  const built = trainingPlatform();
  const { platform } = built;
  const components = platform.definition.components;

  test('every emitted object is valid (Kueue objects against the stored CRDs, RayJob against the chart CRD)', () => {
    const objs = components.filter(KubernetesComponent.isKubernetesComponent).flatMap((c) => c.toJson() as any[]);
    expectValidK8sObjects(objs, rayJobCrd());
  });

  test('platform checks pass with no finding', () => {
    const findings = evaluatePlatformChecks(platform.definition).flatMap((r) => r.findings.map((f) => `[${r.rule.id}] ${f.message}`));
    expect(findings).toEqual([]);
  });

  for (const chart of ['kueue', 'aws-fsx-csi-driver', 'kuberay-operator']) {
    test(`${chart} renders with the library's values: valid objects, no unknown keys`, () => {
      const c = components.filter(HelmComponent.isHelmComponent).find((h) => h.chart.chart === chart)!;
      const objs = renderHelmComponent(c, '1.36');
      const crds = objs.filter((o) => o.kind === 'CustomResourceDefinition');
      expectValidK8sObjects(objs, crds);
      expect(unknownValueKeys(c.values() as Record<string, unknown>, chartDefaults(chartFolder(c.chart.chart, c.chart.version)!))).toEqual([]);
      expect(objs.length).toBeGreaterThan(0);
      // eslint-disable-next-line no-console
      console.log(`${chart}: ${objs.length} objects`);
    });
  }

  test('Kueue runs the released image on the system nodes', () => {
    const c = components.filter(HelmComponent.isHelmComponent).find((h) => h.chart.chart === 'kueue')!;
    const deployment = renderHelmComponent(c, '1.36').find((o) => o.kind === 'Deployment') as any;
    const pod = deployment.spec.template.spec;
    expect(pod.containers[0].image).toBe('registry.k8s.io/kueue/kueue:v0.19.2');
    expect(pod.tolerations).toEqual([{ key: 'CriticalAddonsOnly', operator: 'Exists' }]);
  });

});
