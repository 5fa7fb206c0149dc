import { App } from 'aws-cdk-lib';
import { KubernetesComponent, Stage } from '../../lib';
import { buildExamplePlatform } from '../../examples/platform';

describe('one model of the cluster for both renderings in one process', () => {
  test('after app.synth(), writeGitOps reuses the CDK rendering\'s model while the definition is unchanged', () => {
    // GIVEN the example, synthesized
    const app = new App();
    const platform = buildExamplePlatform(app);
    expect(platform.rendering._model).toBeUndefined();
    app.synth();
    const model = platform.rendering._model!;
    expect(model).toBeDefined();
    expect(model.isCurrent()).toBe(true);

    // WHEN a construct is added to the definition
    new KubernetesComponent(platform.definition, 'Late', { name: 'late', namespace: 'models', stage: Stage.WORKLOADS, description: 'added after synth' });

    // THEN the model is stale and no longer offered for reuse
    expect(model.isCurrent()).toBe(false);
    expect(platform.rendering._model).toBeUndefined();
  });
});
