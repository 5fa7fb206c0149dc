import { Match, Template } from 'aws-cdk-lib/assertions';
import { GpuModel, ModelSpec, Stage, UpstreamManifestsComponent, ensureInferenceExtensionCrds } from '../../lib';
import { expectValidK8sObjects } from '../k8s-schema';
import { find, objects, testDefinition, testPlatform } from '../util';

const URL = 'https://github.com/kubernetes-sigs/gateway-api-inference-extension/releases/download/v1.6.0/manifests.yaml';

describe('UpstreamManifestsComponent', () => {
  test('a Job applies the pinned URLs server-side, with just enough RBAC', () => {
    // GIVEN / WHEN
    const c = new UpstreamManifestsComponent(testDefinition(), 'Crds', { name: 'crds', description: 'x', urls: [URL] });
    const objs = objects(c);

    // THEN
    expect(c.stage).toBe(Stage.CRDS);
    const job = find(objs, 'Job', c.jobName);
    expect(c.jobName).toMatch(/^crds-[0-9a-f]{8}$/);
    expect(job.metadata.namespace).toBe('agentic-eks-system');
    const container = job.spec.template.spec.containers[0];
    expect(container.image).toBe('registry.k8s.io/kubectl:v1.36.0');
    expect(container.args).toEqual(['apply', '--server-side', '--force-conflicts', '-f', URL]);
    expect(find(objs, 'ClusterRole', 'crds-applier').rules).toEqual([
      { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'list', 'create', 'patch', 'update'] },
    ]);
    expect(c.readiness).toEqual({ objectType: 'job', objectName: c.jobName, objectNamespace: 'agentic-eks-system', jsonPath: '.status.succeeded' });
    expect(c.dependencies.map((d) => d.componentName)).toEqual(['namespaces']);
    expectValidK8sObjects(objs);
  });

  test('a new version means a new Job name (Jobs are immutable)', () => {
    const a = new UpstreamManifestsComponent(testDefinition(), 'A', { name: 'crds', description: 'x', urls: [URL] });
    const b = new UpstreamManifestsComponent(testDefinition(), 'B', { name: 'crds', description: 'x', urls: [URL.replace('v1.6.0', 'v1.6.1')] });
    expect(a.jobName).not.toBe(b.jobName);
  });

  test.each([
    ['https://github.com/x/y/releases/latest/download/manifests.yaml', "manifest URL (https://github.com/x/y/releases/latest/download/manifests.yaml) of 'crds' must be pinned to a release (…/v1.2.3/…), not latest or a branch"],
    ['https://raw.githubusercontent.com/x/y/main/crd.yaml', "manifest URL (https://raw.githubusercontent.com/x/y/main/crd.yaml) of 'crds' must be pinned to a release (…/v1.2.3/…), not latest or a branch"],
    ['http://example.com/v1.0.0/a.yaml', "manifest URL (http://example.com/v1.0.0/a.yaml) of 'crds' must be an https:// URL"],
  ])('refuses %p', (url, message) => {
    expect(() => new UpstreamManifestsComponent(testDefinition(), 'C', { name: 'crds', description: 'x', urls: [url] })).toThrow(message);
  });

  test('no URL at all', () => {
    expect(() => new UpstreamManifestsComponent(testDefinition(), 'C', { name: 'crds', description: 'x', urls: [] }))
      .toThrow("upstream manifests 'crds' need at least one URL");
  });

  test('the inference-extension CRDs are one shared component with pinned GIE and llm-d URLs', () => {
    const definition = testDefinition();
    const crds = ensureInferenceExtensionCrds(definition);
    expect(ensureInferenceExtensionCrds(definition)).toBe(crds);
    expect(crds.urls).toEqual([
      URL,
      'https://raw.githubusercontent.com/llm-d/llm-d-router/v0.10.0/config/crd/bases/llm-d.ai_inferenceobjectives.yaml',
      'https://raw.githubusercontent.com/llm-d/llm-d-router/v0.10.0/config/crd/bases/llm-d.ai_inferencemodelrewrites.yaml',
    ]);
  });

  test('a model with routing waits for them; the CDK rendering waits for the Job to succeed', () => {
    // GIVEN
    const platform = testPlatform();
    const pool = platform.gpu.addNodePool('l40s', { gpus: [GpuModel.L40S], limits: { gpus: 16 } });
    // WHEN
    const model = platform.serving.addModel('Qwen', { name: 'qwen', spec: ModelSpec.QWEN3_32B, pools: [pool], routing: {} });
    // THEN
    expect(platform.serving.componentOf(model).dependencies.map((d) => d.componentName)).toContain('inference-extension-crds');
    const t = Template.fromStack(platform);
    t.hasResourceProperties('Custom::AWSCDK-EKS-KubernetesObjectValue', {
      ObjectType: 'job', ObjectNamespace: 'agentic-eks-system', JsonPath: '.status.succeeded',
      ObjectName: Match.stringLikeRegexp('^inference-extension-crds-[0-9a-f]{8}$'),
    });
  });
});
