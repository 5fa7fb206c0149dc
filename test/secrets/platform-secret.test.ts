import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { KubernetesComponent, PlatformSecret, PlatformSecretOptions, PlatformStack, Stage } from '../../lib';
import { expectValidK8sObjects } from '../k8s-schema';
import { find, objects, testPlatform } from '../util';

/** A platform with a workload component 'app' to hold ExternalSecrets. */
function setup(): { platform: PlatformStack; app: KubernetesComponent } {
  const platform = testPlatform();
  const app = new KubernetesComponent(platform.definition, 'App', { name: 'app', stage: Stage.WORKLOADS, description: 'test app' });
  return { platform, app };
}

/** Adds a secret 'DbPassword' (namespace 'app', name 'db-password' unless overridden). */
function addSecret(
  platform: PlatformStack, app: KubernetesComponent, options: Partial<PlatformSecretOptions> = {},
): PlatformSecret {
  return platform.secrets.addSecret('DbPassword', { consumer: app, namespace: 'app', name: 'db-password', ...options });
}

describe('PlatformSecret', () => {
  describe('AWS secret', () => {
    test('is named <cluster>/<namespace>/<name>', () => {
      // GIVEN
      const { platform, app } = setup();

      // WHEN
      const secret = addSecret(platform, app);

      // THEN
      Template.fromStack(platform).hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'test/app/db-password' });
      expect(secret.awsSecretName).toBe('test/app/db-password');
    });

    test('generates a 32-character value without punctuation under the key password', () => {
      // GIVEN
      const { platform, app } = setup();

      // WHEN
      addSecret(platform, app);

      // THEN
      Template.fromStack(platform).hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: 'test/app/db-password',
        GenerateSecretString: {
          SecretStringTemplate: '{}',
          GenerateStringKey: 'password',
          PasswordLength: 32,
          ExcludePunctuation: true,
        },
      });
    });

    test('carries no secret value', () => {
      // GIVEN
      const { platform, app } = setup();

      // WHEN
      addSecret(platform, app);

      // THEN
      Template.fromStack(platform).hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: 'test/app/db-password',
        SecretString: Match.absent(),
      });
    });

    test('describes the Kubernetes Secret it backs', () => {
      // GIVEN
      const { platform, app } = setup();

      // WHEN
      addSecret(platform, app);

      // THEN
      Template.fromStack(platform).hasResourceProperties('AWS::SecretsManager::Secret', {
        Description: "Kubernetes Secret app/db-password (key 'password'), materialized by External Secrets",
      });
    });

    test('is retained by default', () => {
      // GIVEN
      const { platform, app } = setup();

      // WHEN
      addSecret(platform, app);

      // THEN
      Template.fromStack(platform).hasResource('AWS::SecretsManager::Secret', {
        Properties: Match.objectLike({ Name: 'test/app/db-password' }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });

    test('removalPolicy DESTROY deletes it with the stack', () => {
      // GIVEN
      const { platform, app } = setup();

      // WHEN
      addSecret(platform, app, { removalPolicy: RemovalPolicy.DESTROY });

      // THEN
      Template.fromStack(platform).hasResource('AWS::SecretsManager::Secret', {
        Properties: Match.objectLike({ Name: 'test/app/db-password' }),
        DeletionPolicy: 'Delete',
      });
    });

    test('key sets the generated key', () => {
      // GIVEN
      const { platform, app } = setup();

      // WHEN
      const secret = addSecret(platform, app, { key: 'api_token.v1' });

      // THEN
      expect(secret.key).toBe('api_token.v1');
      Template.fromStack(platform).hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: Match.objectLike({ GenerateStringKey: 'api_token.v1' }),
      });
    });

    test('length sets the password length', () => {
      // GIVEN
      const { platform, app } = setup();

      // WHEN
      addSecret(platform, app, { length: 64 });

      // THEN
      Template.fromStack(platform).hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: Match.objectLike({ PasswordLength: 64 }),
      });
    });

    test('uses the stable construct id Resource', () => {
      // GIVEN
      const { platform, app } = setup();

      // WHEN
      const secret = addSecret(platform, app);

      // THEN
      expect(secret.node.findChild('Resource')).toBe(secret.secret);
    });
  });

  describe('ExternalSecret', () => {
    test('materializes the AWS secret as the Kubernetes Secret', () => {
      // GIVEN
      const { platform, app } = setup();

      // WHEN
      addSecret(platform, app);

      // THEN
      expect(find(objects(app), 'ExternalSecret', 'db-password')).toEqual({
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'db-password', namespace: 'app' },
        spec: {
          refreshInterval: '1h',
          secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' },
          target: { name: 'db-password', creationPolicy: 'Owner' },
          data: [{ secretKey: 'password', remoteRef: { key: 'test/app/db-password', property: 'password' } }],
        },
      });
    });

    test('goes into the given scope, not the secret store component', () => {
      // GIVEN
      const { platform, app } = setup();

      // WHEN
      const secret = addSecret(platform, app);

      // THEN
      expect(secret.externalSecret.node.scope).toBe(app);
      expect(objects(app).map((o) => o.kind)).toEqual(['ExternalSecret']);
      expect(objects(platform.secrets.store).map((o) => o.kind)).toEqual(['ClusterSecretStore']);
    });

    test('is added under the id <id>ExternalSecret', () => {
      // GIVEN
      const { platform, app } = setup();

      // WHEN
      const secret = addSecret(platform, app);

      // THEN
      expect(app.node.findChild('DbPasswordExternalSecret')).toBe(secret.externalSecret);
    });

    test('reads the key given by key', () => {
      // GIVEN
      const { platform, app } = setup();

      // WHEN
      addSecret(platform, app, { key: 'token' });

      // THEN
      expect(find(objects(app), 'ExternalSecret', 'db-password').spec.data).toEqual([
        { secretKey: 'token', remoteRef: { key: 'test/app/db-password', property: 'token' } },
      ]);
    });

    test('refreshInterval renders as a Go duration in minutes', () => {
      // GIVEN
      const { platform, app } = setup();

      // WHEN
      addSecret(platform, app, { refreshInterval: Duration.minutes(30) });

      // THEN
      expect(find(objects(app), 'ExternalSecret', 'db-password').spec.refreshInterval).toBe('30m');
    });

    test('refreshInterval renders as a Go duration in hours', () => {
      // GIVEN
      const { platform, app } = setup();

      // WHEN
      addSecret(platform, app, { refreshInterval: Duration.hours(6) });

      // THEN
      expect(find(objects(app), 'ExternalSecret', 'db-password').spec.refreshInterval).toBe('6h');
    });

    test('exposes the Kubernetes Secret name and namespace', () => {
      // GIVEN
      const { platform, app } = setup();

      // WHEN
      const secret = addSecret(platform, app, { namespace: 'rag', name: 'vector-db.credentials' });

      // THEN
      expect(secret.secretName).toBe('vector-db.credentials');
      expect(secret.namespace).toBe('rag');
      expect(secret.key).toBe('password');
    });
  });

  describe('validation', () => {
    test.each(['App', 'my_ns', 'a.b', '-app'])('rejects namespace %p', (namespace) => {
      // GIVEN
      const { platform, app } = setup();

      // WHEN / THEN
      expect(() => addSecret(platform, app, { namespace })).toThrow(
        `'namespace' (${namespace}) must be a DNS label: 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit`,
      );
    });

    test('rejects an invalid name', () => {
      // GIVEN
      const { platform, app } = setup();

      // WHEN / THEN
      expect(() => addSecret(platform, app, { name: 'DB_Password' })).toThrow(
        "'name' (DB_Password) must be a DNS subdomain: 1-253 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit",
      );
    });

    test.each(['my key', 'a/b', ''])('rejects key %p', (key) => {
      // GIVEN
      const { platform, app } = setup();

      // WHEN / THEN
      expect(() => addSecret(platform, app, { key })).toThrow(`'key' (${key}) must consist of letters, digits, '-', '_' or '.'`);
    });

    test.each([15, 4097, 20.5, 0])('rejects length %p', (length) => {
      // GIVEN
      const { platform, app } = setup();

      // WHEN / THEN
      expect(() => addSecret(platform, app, { length })).toThrow(`'length' (${length}) must be an integer from 16 to 4096`);
    });

    test.each([16, 4096])('accepts length %p', (length) => {
      // GIVEN
      const { platform, app } = setup();

      // WHEN
      addSecret(platform, app, { length });

      // THEN
      Template.fromStack(platform).hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: Match.objectLike({ PasswordLength: length }),
      });
    });
  });

  test('every emitted object is valid against its upstream schema', () => {
    // GIVEN
    const { platform, app } = setup();

    // WHEN
    addSecret(platform, app);
    platform.secrets.addSecret('ApiToken', {
      consumer: app, namespace: 'agents', name: 'api-token', key: 'token', length: 64, refreshInterval: Duration.minutes(30),
    });
    const objs = objects(app);

    // THEN
    expect(objs).toHaveLength(2);
    expectValidK8sObjects(objs);
  });
});

describe('PlatformSecret templateData', () => {
  test('derives more keys from the generated value in one Secret', () => {
    // GIVEN
    const { platform, app } = setup();
    // WHEN
    addSecret(platform, app, { templateData: { USERDB_PASSWORD: '{{ .password }}', USERDB_USER: 'langfuse' } });
    const objs = objects(app);
    // THEN
    expect(find(objs, 'ExternalSecret', 'db-password').spec.target).toEqual({
      name: 'db-password',
      creationPolicy: 'Owner',
      template: { engineVersion: 'v2', data: { password: '{{ .password }}', USERDB_PASSWORD: '{{ .password }}', USERDB_USER: 'langfuse' } },
    });
    expectValidK8sObjects(objs);
  });

  test('errors: key not a template identifier, templateData key invalid or equal to key', () => {
    // GIVEN
    const fresh = (options: Partial<PlatformSecretOptions>) => () => {
      const { platform, app } = setup();
      addSecret(platform, app, options);
    };
    // WHEN / THEN
    expect(fresh({ key: 'api-key', templateData: { x: '{{ .x }}' } })).toThrow(
      "'key' (api-key) of secret 'db-password' must be a template identifier (letters, digits, '_') when 'templateData' is set");
    expect(fresh({ templateData: { 'a b': 'x' } })).toThrow(
      "'templateData' key 'a b' of secret 'db-password' must consist of letters, digits, '-', '_' or '.' and differ from 'key'");
    expect(fresh({ templateData: { password: 'x' } })).toThrow(
      "'templateData' key 'password' of secret 'db-password' must consist of letters, digits, '-', '_' or '.' and differ from 'key'");
  });
});
