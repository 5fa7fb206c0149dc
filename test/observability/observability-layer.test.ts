import { Match, Template } from 'aws-cdk-lib/assertions';
import { GpuModel, ModelSpec } from '../../lib';
import { testPlatform } from '../util';

describe('ObservabilityLayer', () => {
  test('monitoring picks alerts and dashboards for what the platform runs', () => {
    const platform = testPlatform();
    const pool = platform.gpu.addNodePool('l40s', { gpus: [GpuModel.L40S], limits: { gpus: 8 } });
    platform.serving.addModel('Llama', { name: 'llama', spec: ModelSpec.LLAMA_3_1_8B, pools: [pool] });
    platform.observability.addMonitoring();
    const names = platform.definition.components.map((c) => c.componentName);
    expect(names).toEqual(expect.arrayContaining(['kube-prometheus-stack', 'platform-alerts', 'grafana-dashboards']));
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
