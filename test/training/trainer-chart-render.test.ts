/**
 * The Kubeflow Trainer chart rendered with the library's values (vendored chart, the helm of the kubectl layer):
 * no helm error, every object valid, no values key the chart does not know. (The integrator may fold this platform
 * into test/charts/chart-render.test.ts.)
 */
import { DatasetSource, ModelSpec } from '../../lib';
import { chartDefaults, unknownValueKeys } from '../charts/chart-values';
import { CHARTS_AVAILABLE, chartFolder, renderHelmComponent } from '../charts/helm';
import { expectValidK8sObjects } from '../k8s-schema';
import { trainerPlatform } from './fixtures';

(CHARTS_AVAILABLE ? describe : describe.skip)('kubeflow-trainer 2.3.0 renders with the library values', () => {
  const f = trainerPlatform();
  f.platform.training.addFineTuning('Lora', {
    name: 'ft', model: ModelSpec.LLAMA_3_1_8B, pool: f.l40s, command: ['train.py'],
    dataset: DatasetSource.fromUri('hf://tatsu-lab/alpaca'), checkpoints: 's3://ckpt-bucket/ft',
  });
  const trainer = f.platform.training.trainer!.controller;

  test('0 helm errors, every object valid, the pinned images', () => {
    const objs = renderHelmComponent(trainer, '1.36');
    const crds = objs.filter((o) => o.kind === 'CustomResourceDefinition');
    expect(crds.map((c) => (c.metadata as { name: string }).name).sort()).toEqual([
      'clustertrainingruntimes.trainer.kubeflow.org', 'jobsets.jobset.x-k8s.io', 'trainingruntimes.trainer.kubeflow.org',
      'trainjobs.trainer.kubeflow.org',
    ]);
    expectValidK8sObjects(objs, crds);
    const images = JSON.stringify(objs.filter((o) => o.kind === 'Deployment')).match(/"image":"[^"]+"/g);
    expect(images).toEqual(['"image":"registry.k8s.io/jobset/jobset:v0.12.0"', '"image":"ghcr.io/kubeflow/trainer/trainer-controller-manager:v2.3.0"']);
  });

  test('no unknown values keys', () => {
    const dir = chartFolder(trainer.chart.chart, trainer.chart.version)!;
    expect(unknownValueKeys(trainer.values() as Record<string, unknown>, chartDefaults(dir), [])).toEqual([]);
  });
});
