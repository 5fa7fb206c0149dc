import { Match, Template } from 'aws-cdk-lib/assertions';
import { ContainerImage, EVALUATION_NAMESPACE, GpuModel, KubernetesComponent, ModelSpec, NetworkFlows, RagasEvaluationOptions } from '../../lib';
import { find, objects, testPlatform } from '../util';

const EVALUATION: RagasEvaluationOptions = {
  name: 'rag-nightly',
  image: ContainerImage.of({ repository: '123456789012.dkr.ecr.us-west-2.amazonaws.com/rag-eval', tag: '1.4.0', source: 'test', checked: '2026-11-24' }),
  schedule: '0 3 * * *',
  dataset: 'prod-sample',
  langfuseHost: 'http://langfuse-web.langfuse.svc:3000',
  langfuseKeys: { name: 'langfuse-keys', publicKeyKey: 'pk', secretKeyKey: 'sk' },
  judge: { litellmUrl: 'http://litellm.litellm.svc:4000', model: 'claude', apiKeySecret: { name: 'judge-key', key: 'api-key' } },
};

function componentNamed(platform: ReturnType<typeof testPlatform>, name: string): KubernetesComponent {
  return platform.definition.components.find((c) => c.componentName === name) as KubernetesComponent;
}

describe('ObservabilityLayer', () => {
  test('monitoring picks alerts and dashboards for what the platform runs', () => {
    const platform = testPlatform();
    const pool = platform.gpu.addNodePool('l40s', { gpus: [GpuModel.L40S], limits: { gpus: 8 } });
    platform.serving.addModel('Llama', { name: 'llama', spec: ModelSpec.LLAMA_3_1_8B, pools: [pool] });
    platform.observability.addMonitoring();
    const names = platform.definition.components.map((c) => c.componentName);
    expect(names).toEqual(expect.arrayContaining(['kube-prometheus-stack', 'platform-alerts', 'grafana-dashboards']));
  });

  test('alerts and dashboards follow what the platform runs when it renders: pools and models added after monitoring count', () => {
    // GIVEN monitoring added first, on a platform without GPU pools or models
    const platform = testPlatform();
    platform.observability.addMonitoring();
    const alertNames = () => objects(componentNamed(platform, 'platform-alerts')).flatMap((o: any) => o.spec.groups.map((g: any) => g.name));
    const dashboards = () => objects(componentNamed(platform, 'grafana-dashboards')).map((o: any) => o.metadata.name);
    expect(alertNames()).toEqual(['agentic-eks.karpenter']);
    expect(dashboards()).toEqual([]);

    // WHEN a GPU pool and a model are added afterwards
    const pool = platform.gpu.addNodePool('l40s', { gpus: [GpuModel.L40S], limits: { gpus: 8 } });
    platform.serving.addModel('Llama', { name: 'llama', spec: ModelSpec.LLAMA_3_1_8B, pools: [pool] });

    // THEN their alerts and dashboards are rendered
    expect(alertNames()).toEqual(['agentic-eks.gpu', 'agentic-eks.vllm', 'agentic-eks.karpenter']);
    expect(dashboards()).toEqual(['agentic-eks-gpu-fleet', 'agentic-eks-model-serving', 'agentic-eks-tokens']);
    expect(find(objects(componentNamed(platform, 'grafana-dashboards')), 'ConfigMap', 'agentic-eks-tokens').metadata.labels).toEqual({ grafana_dashboard: '1' });
  });

  test('AMP remote write: SigV4 in the values and a Pod Identity role for the Prometheus ServiceAccount', () => {
    const platform = testPlatform();
    const url = 'https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-123/api/v1/remote_write';
    const stack = platform.observability.addMonitoring({ managedPrometheusRemoteWriteUrl: url });
    expect((stack.values() as any).prometheus.prometheusSpec.remoteWrite).toEqual([{ url, sigv4: { region: 'us-west-2' } }]);
    const t = Template.fromStack(platform);
    t.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'monitoring', ServiceAccount: 'kube-prometheus-stack-prometheus' });
    t.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: Match.arrayWith([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonPrometheusRemoteWriteAccess']] }]),
    });
  });

  test('the collector needs Langfuse first', () => {
    expect(() => testPlatform().observability.addOtelCollector())
      .toThrow('add Langfuse (observability.addLangfuse) before the OpenTelemetry collector that exports to it');
  });

  test('monitoring only once', () => {
    const platform = testPlatform();
    platform.observability.addMonitoring();
    expect(() => platform.observability.addMonitoring()).toThrow('monitoring is already added to this platform');
  });
});

describe('ObservabilityLayer.addEvaluation', () => {
  test('defaults: its own workload component evaluation-<name> in namespace evaluations, with flows to Langfuse and LiteLLM', () => {
    // GIVEN
    const platform = testPlatform();
    // WHEN
    const e = platform.observability.addEvaluation('Rag', EVALUATION);
    // THEN
    const component = componentNamed(platform, 'evaluation-rag-nightly');
    expect(EVALUATION_NAMESPACE).toBe('evaluations');
    expect(e.namespace).toBe('evaluations');
    expect(component.namespace).toBe('evaluations');
    expect(component.node.id).toBe('EvaluationRag');
    expect(component.description).toBe("RAGAS evaluation 'rag-nightly' (0 3 * * *)");
    expect(component.dependencies).toContain(platform.definition.ensureNamespace('evaluations'));
    expect(find(objects(component), 'CronJob', 'rag-nightly').metadata.namespace).toBe('evaluations');
    expect(NetworkFlows.of(platform.definition).flows.map((f) => f.name))
      .toEqual(expect.arrayContaining(['evaluation-rag-nightly-to-langfuse', 'evaluation-rag-nightly-to-litellm']));
  });

  test('placement: a namespace, or a team whose component it depends on', () => {
    // GIVEN
    const platform = testPlatform();
    const team = platform.teams.add({ name: 'team-a' });
    // WHEN
    const inNamespace = platform.observability.addEvaluation('A', { ...EVALUATION, name: 'a' }, { namespace: 'evals' });
    const inTeam = platform.observability.addEvaluation('B', { ...EVALUATION, name: 'b' }, { team });
    // THEN
    expect(inNamespace.namespace).toBe('evals');
    expect(inTeam.namespace).toBe('team-a');
    expect(componentNamed(platform, 'evaluation-b').dependencies).toContain(team.component);
  });

  test('a team and a namespace together are refused', () => {
    // GIVEN
    const platform = testPlatform();
    const team = platform.teams.add({ name: 'team-a' });
    // WHEN / THEN
    expect(() => platform.observability.addEvaluation('A', EVALUATION, { team, namespace: 'evals' })).toThrow(
      "evaluation 'rag-nightly' has both a 'team' (team-a) and a 'namespace' (evals) in its placement: the team's namespace is used, leave 'namespace' out");
  });
});
