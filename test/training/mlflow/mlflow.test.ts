import { MlflowTrackingServer } from '../../../lib';
import { addGeneralPool, find, template, testPlatform } from '../../util';

describe('MlflowTrackingServer', () => {
  test('Deployment with Postgres backend, S3 artifacts through Pod Identity, allowed hosts, retained bucket', () => {
    const platform = testPlatform();
    addGeneralPool(platform);
    const m = new MlflowTrackingServer(platform, 'Mlflow', { definition: platform.definition, cluster: platform.cluster, secrets: platform.secrets });
    expect(m.url).toBe('http://mlflow.mlflow.svc:5000');
    const objs = m.component.toJson() as any[];
    const c = find(objs, 'Deployment', 'mlflow').spec.template.spec.containers[0];
    expect(c.image).toBe('ghcr.io/mlflow/mlflow:v3.15.1-full');
    expect(c.args).toEqual(expect.arrayContaining([
      '--backend-store-uri', 'postgresql+psycopg2://mlflow:$(DB_PASSWORD)@mlflow-postgres.mlflow.svc:5432/mlflow',
      '--artifacts-destination', 's3://test-mlflow-artifacts-us-west-2/mlflow', '--serve-artifacts',
    ]));
    expect(c.args[c.args.indexOf('--allowed-hosts') + 1]).toContain('mlflow.mlflow.svc:5000');
    expect(objs.some((o) => o.kind === 'ServiceMonitor' || o.kind === 'HTTPRoute')).toBe(false);
    const t = template(platform);
    t.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', Properties: { BucketName: 'test-mlflow-artifacts-us-west-2' } });
    t.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'mlflow', ServiceAccount: 'mlflow' });
  });

  test('errors', () => {
    const platform = testPlatform();
    const base = { definition: platform.definition, cluster: platform.cluster, secrets: platform.secrets };
    expect(() => new MlflowTrackingServer(platform, 'A', { ...base, artifactBucketName: 'Bad_Bucket' })).toThrow(
      "'artifactBucketName' (Bad_Bucket) must be an S3 bucket name: 3-63 lower-case letters, digits, '.' or '-'");
    expect(() => new MlflowTrackingServer(platform, 'B', { ...base, route: { gateway: platform.gateway.gateway, hostname: 'mlflow' } })).toThrow(
      "'route.hostname' (mlflow) of MLflow must be a DNS name such as mlflow.example.com");
  });
});
