import { ApiObject } from 'cdk8s';
import { DatasetSource, FineTuneMethod, KubernetesComponent, ModelSpec, RuleStatus, Stage } from '../../lib';
import { ClusterModel } from '../../lib/checks/model';
import { evaluatePlatformChecks } from '../../lib/checks/run';
import { trainerPlatform } from './fixtures';

/** The platform checks read a TrainJob's pods (placement, GPUs, references) from its runtime patches. */
describe('platform checks over TrainJobs', () => {
  test('GIVEN a fine-tune THEN its node pods are seen by the checks and schedulable on the pool', () => {
    const f = trainerPlatform();
    f.platform.training.addFineTuning('Full', {
      name: 'llama70-full', model: ModelSpec.LLAMA_3_1_70B, pool: f.efa, nodes: 2, method: FineTuneMethod.FULL, command: ['train.py'],
      dataset: DatasetSource.fromUri('hf://tatsu-lab/alpaca'), checkpoints: 's3://ckpt-bucket/llama70',
    });
    const templates = ClusterModel.of(f.platform.definition).podTemplates().filter((t) => t.owner.kind === 'TrainJob');
    expect(templates).toHaveLength(1);
    expect(templates[0].labels).toEqual({ 'jobset.sigs.k8s.io/jobset-name': 'llama70-full' });
    expect(templates[0].spec.nodeSelector).toEqual({ 'agentic-eks.io/gpu-pool': 'training' });
    const results = evaluatePlatformChecks(f.platform.definition);
    const schedulable = results.find((r) => r.rule.id === 'pods-schedulable')!;
    expect(schedulable.status).toBe(RuleStatus.COMPLIANT);
    expect(results.filter((r) => r.findings.length > 0).map((r) => r.rule.id)).toEqual([]);
  });

  test('GIVEN a TrainJob without the GPU toleration THEN pods-schedulable reports it', () => {
    const f = trainerPlatform();
    const c = new KubernetesComponent(f.platform.definition, 'Raw', { name: 'raw-trainjob', namespace: 'training', stage: Stage.WORKLOADS, description: 'raw' });
    c.addDependency(f.platform.definition.ensureNamespace('training'));
    new ApiObject(c, 'Job', {
      apiVersion: 'trainer.kubeflow.org/v1alpha1', kind: 'TrainJob', metadata: { name: 'raw', namespace: 'training' },
      spec: {
        runtimeRef: { name: 'torch-distributed' },
        trainer: { numNodes: 1, resourcesPerNode: { limits: { 'nvidia.com/gpu': 8 } } },
        runtimePatches: [{ manager: 'me', trainingRuntimeSpec: { template: { spec: { replicatedJobs: [{ name: 'node', template: { spec: { template: { spec: { nodeSelector: { 'agentic-eks.io/gpu-pool': 'training' } } } } } }] } } } }],
      },
    });
    const schedulable = evaluatePlatformChecks(f.platform.definition).find((r) => r.rule.id === 'pods-schedulable')!;
    expect(schedulable.status).toBe(RuleStatus.NON_COMPLIANT);
    expect(schedulable.findings.map((x) => x.message).join('\n')).toContain("TrainJob 'training/raw'");
  });
});
