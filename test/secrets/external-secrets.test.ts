import { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  AWS_SECRET_STORE, EXTERNAL_SECRETS_NAMESPACE, EXTERNAL_SECRETS_SERVICE_ACCOUNT, HelmChartVersion, KubernetesComponent,
  PlatformStack, Stage,
} from '../../lib';
import { expectValidK8sObjects } from '../k8s-schema';
import { find, objects, testPlatform } from '../util';

const CRITICAL_ADDONS_ONLY = [{ key: 'CriticalAddonsOnly', operator: 'Exists' }];

describe('ExternalSecrets', () => {
  let platform: PlatformStack;
  let template: Template;

  beforeAll(() => {
    platform = testPlatform();
    template = Template.fromStack(platform);
  });

  /** The statements of the default policy of the operator's role. */
  function operatorStatements(): Array<Record<string, any>> {
    const roleId = platform.getLogicalId(platform.secrets.identity.role.node.defaultChild as CfnElement);
    const policies = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }));
    expect(policies).toHaveLength(1);
    return policies[0].Properties.PolicyDocument.Statement;
  }

  describe('ClusterSecretStore', () => {
    test('is named aws-secrets-manager and reads AWS Secrets Manager in the platform region', () => {
      // GIVEN / WHEN
      const store = find(objects(platform.secrets.store), 'ClusterSecretStore', 'aws-secrets-manager');

      // THEN
      expect(store).toEqual({
        apiVersion: 'external-secrets.io/v1',
        kind: 'ClusterSecretStore',
        metadata: { name: 'aws-secrets-manager' },
        spec: { provider: { aws: { service: 'SecretsManager', region: 'us-west-2' } } },
      });
    });

    test('is the only object of the store component', () => {
      // GIVEN / WHEN
      const objs = objects(platform.secrets.store);

      // THEN
      expect(objs).toHaveLength(1);
    });

    test('the store name constant matches the object', () => {
      // GIVEN / WHEN / THEN
      expect(AWS_SECRET_STORE).toBe('aws-secrets-manager');
    });

    test('lives in the configuration-stage component secret-store', () => {
      // GIVEN
      const store = platform.secrets.store;

      // WHEN / THEN
      expect(store.componentName).toBe('secret-store');
      expect(store.stage).toBe(Stage.CONFIGURATION);
    });

    test('is applied after the operator', () => {
      // GIVEN / WHEN
      const names = platform.definition.components.map((c) => c.componentName);

      // THEN
      expect(platform.secrets.store.dependencies).toEqual([platform.secrets.operator]);
      expect(names.indexOf('external-secrets')).toBeLessThan(names.indexOf('secret-store'));
    });

    test('uses the region of the platform', () => {
      // GIVEN
      const other = testPlatform({ env: { region: 'eu-central-1' } });

      // WHEN
      const store = find(objects(other.secrets.store), 'ClusterSecretStore', 'aws-secrets-manager');

      // THEN
      expect(store.spec.provider.aws.region).toBe('eu-central-1');
    });
  });

  describe('operator identity', () => {
    test('may read only secrets named test/*', () => {
      // GIVEN / WHEN
      const statement = operatorStatements().find((s) => s.Sid === 'ReadPlatformSecrets');

      // THEN
      expect(statement?.Resource).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:us-west-2:', { Ref: 'AWS::AccountId' }, ':secret:test/*']],
      });
    });

    test('may only read secrets and their metadata', () => {
      // GIVEN / WHEN
      const statement = operatorStatements().find((s) => s.Sid === 'ReadPlatformSecrets');

      // THEN
      expect(statement?.Effect).toBe('Allow');
      expect(statement?.Action).toEqual([
        'secretsmanager:GetResourcePolicy',
        'secretsmanager:GetSecretValue',
        'secretsmanager:DescribeSecret',
        'secretsmanager:ListSecretVersionIds',
      ]);
    });

    test('has no other statement', () => {
      // GIVEN / WHEN
      const statements = operatorStatements();

      // THEN
      expect(statements.map((s) => s.Sid)).toEqual(['ReadPlatformSecrets']);
    });

    test('secretNamePrefix is <cluster>/', () => {
      // GIVEN / WHEN / THEN
      expect(platform.secrets.secretNamePrefix).toBe('test/');
    });

    test('is a Pod Identity association for external-secrets/external-secrets', () => {
      // GIVEN
      const roleId = platform.getLogicalId(platform.secrets.identity.role.node.defaultChild as CfnElement);

      // WHEN / THEN
      template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
        Namespace: 'external-secrets',
        ServiceAccount: 'external-secrets',
        RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
      });
    });

    test('exports the namespace and ServiceAccount constants', () => {
      // GIVEN / WHEN / THEN
      expect(EXTERNAL_SECRETS_NAMESPACE).toBe('external-secrets');
      expect(EXTERNAL_SECRETS_SERVICE_ACCOUNT).toBe('external-secrets');
    });

    test('the role trusts pods.eks.amazonaws.com with session tags', () => {
      // GIVEN / WHEN / THEN
      template.hasResourceProperties('AWS::IAM::Role', {
        Description: 'External Secrets Operator of EKS cluster test: reads test/* secrets',
        AssumeRolePolicyDocument: {
          Statement: [{ Action: ['sts:AssumeRole', 'sts:TagSession'], Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' } }],
        },
      });
    });
  });

  describe('operator chart', () => {
    test('installs the catalog chart as external-secrets in its namespace', () => {
      // GIVEN
      const operator = platform.secrets.operator;

      // WHEN / THEN
      expect(operator.chart).toBe(HelmChartVersion.EXTERNAL_SECRETS);
      expect(operator.componentName).toBe('external-secrets');
      expect(operator.namespace).toBe('external-secrets');
      expect(operator.stage).toBe(Stage.CONTROLLERS);
      expect(operator.includesCrds).toBe(true);
    });

    test('values install the CRDs and create the ServiceAccount', () => {
      // GIVEN / WHEN
      const values = platform.secrets.operator.values() as Record<string, any>;

      // THEN
      expect(values.installCRDs).toBe(true);
      expect(values.serviceAccount).toEqual({ create: true, name: 'external-secrets' });
    });

    test('the controller tolerates CriticalAddonsOnly', () => {
      // GIVEN / WHEN
      const values = platform.secrets.operator.values() as Record<string, any>;

      // THEN
      expect(values.tolerations).toEqual(CRITICAL_ADDONS_ONLY);
    });

    test('the webhook tolerates CriticalAddonsOnly', () => {
      // GIVEN / WHEN
      const values = platform.secrets.operator.values() as Record<string, any>;

      // THEN
      expect(values.webhook).toEqual({ tolerations: CRITICAL_ADDONS_ONLY });
    });

    test('the cert controller tolerates CriticalAddonsOnly', () => {
      // GIVEN / WHEN
      const values = platform.secrets.operator.values() as Record<string, any>;

      // THEN
      expect(values.certController).toEqual({ tolerations: CRITICAL_ADDONS_ONLY });
    });

    test('values overrides are deep-merged over the computed values', () => {
      // GIVEN
      const custom = testPlatform({ externalSecrets: { values: { webhook: { replicaCount: 2 }, replicaCount: 2 } } });

      // WHEN
      const values = custom.secrets.operator.values() as Record<string, any>;

      // THEN
      expect(values.webhook).toEqual({ tolerations: CRITICAL_ADDONS_ONLY, replicaCount: 2 });
      expect(values.replicaCount).toBe(2);
      expect(values.tolerations).toEqual(CRITICAL_ADDONS_ONLY);
    });

    test('an override array replaces the computed tolerations', () => {
      // GIVEN
      const tolerations = [{ key: 'dedicated', operator: 'Equal', value: 'system', effect: 'NoSchedule' }];
      const custom = testPlatform({ externalSecrets: { values: { tolerations } } });

      // WHEN
      const values = custom.secrets.operator.values() as Record<string, any>;

      // THEN
      expect(values.tolerations).toEqual(tolerations);
    });

    test('chart selects another pinned chart', () => {
      // GIVEN
      const chart = HelmChartVersion.EXTERNAL_SECRETS.withVersion('2.9.1', '2026-12-01');

      // WHEN
      const custom = testPlatform({ externalSecrets: { chart } });

      // THEN
      expect(custom.secrets.operator.chart).toBe(chart);
    });
  });

  describe('addSecret', () => {
    test('returns a secret named under the cluster prefix', () => {
      // GIVEN
      const custom = testPlatform();
      const app = new KubernetesComponent(custom.definition, 'App', { name: 'app', stage: Stage.WORKLOADS, description: 'test app' });

      // WHEN
      const secret = custom.secrets.addSecret('Db', { consumer: app, namespace: 'app', name: 'db' });

      // THEN
      expect(secret.awsSecretName).toBe('test/app/db');
      expect(secret.awsSecretName.startsWith(custom.secrets.secretNamePrefix)).toBe(true);
      expect(secret.node.scope).toBe(custom.secrets);
    });
  });

  test('every emitted object is valid against its upstream schema', () => {
    // GIVEN
    const custom = testPlatform();
    const app = new KubernetesComponent(custom.definition, 'App', { name: 'app', stage: Stage.WORKLOADS, description: 'test app' });
    custom.secrets.addSecret('Db', { consumer: app, namespace: 'app', name: 'db' });

    // WHEN
    const objs = [...objects(custom.secrets.store), ...objects(app)];

    // THEN
    expect(objs).toHaveLength(2);
    expectValidK8sObjects(objs);
  });
});
