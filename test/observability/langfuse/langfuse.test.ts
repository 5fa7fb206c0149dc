import { CfnResource } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { KubernetesComponent, PlatformStack, Stage } from '../../../lib';
import { HelmChartVersion } from '../../../lib/versions';
import { certManager, clickHouseOperator, Langfuse, LangfuseClickHouse, LangfuseProps, LangfuseRedis, LangfuseVersion } from '../../../lib/observability/langfuse';
import { expectValidK8sObjects } from '../../k8s-schema';
import { assemblyTemplates, find, objects, template, testPlatform } from '../../util';

function langfuse(platform: PlatformStack, props: Partial<LangfuseProps> = {}): Langfuse {
  return new Langfuse(platform, 'Langfuse', {
    definition: platform.definition,
    cluster: platform.cluster,
    secrets: platform.secrets,
    ...props,
  });
}

const PG = { host: 'db.example.internal', database: 'langfuse', username: 'langfuse', passwordSecret: { name: 'langfuse-db', key: 'password' } };

describe('Langfuse defaults', () => {
  test('v4 chart, in-cluster stores, every credential from a Secret', () => {
    // GIVEN
    const platform = testPlatform();
    // WHEN
    const l = langfuse(platform);
    const v = l.chart.values() as Record<string, any>;
    // THEN
    expect(l.chart.chart.version).toBe('2.0.0');
    expect(l.chart.releaseName).toBe('langfuse');
    expect(l.namespace).toBe('langfuse');
    expect(l.url).toBe('http://langfuse-web.langfuse.svc.cluster.local:3000');
    expect(l.otelEndpoint).toBe('http://langfuse-web.langfuse.svc.cluster.local:3000/api/public/otel');
    expect(v.langfuse.salt).toEqual({ secretKeyRef: { name: 'langfuse-salt', key: 'salt' } });
    expect(v.langfuse.encryptionKey).toEqual({ secretKeyRef: { name: 'langfuse-encryption-key', key: 'key' } });
    expect(v.langfuse.nextauth).toEqual({ url: l.url, secret: { secretKeyRef: { name: 'langfuse-nextauth', key: 'secret' } } });
    expect(v.langfuse.serviceAccount).toEqual({ create: true, name: 'langfuse' });
    expect(v.postgresql).toEqual({
      deploy: true,
      auth: { username: 'langfuse', database: 'langfuse', existingSecret: 'langfuse-postgres', secretKeys: { userPasswordKey: 'password', adminPasswordKey: 'password' } },
      settings: { existingSecret: 'langfuse-postgres' },
      userDatabase: { existingSecret: 'langfuse-postgres' },
    });
    expect(v.clickhouse).toEqual({ deploy: true, crdCheck: false, auth: { username: 'default', existingSecret: 'langfuse-clickhouse', existingSecretKey: 'password' } });
    expect(v.redis).toEqual({
      deploy: true,
      auth: { username: 'default', existingSecret: 'langfuse-valkey', existingSecretPasswordKey: 'password', usersExistingSecret: 'langfuse-valkey' },
    });
    expect(v.s3).toEqual({
      deploy: false, bucket: 'test-langfuse-us-west-2', region: 'us-west-2', forcePathStyle: false,
      eventUpload: { prefix: 'events/' }, mediaUpload: { prefix: 'media/' }, batchExport: { enabled: true, prefix: 'exports/' },
    });
    expect(l.apiKeys).toBeUndefined();
    expect(l.requiredSecrets).toEqual([]);
    expect(l.chart.dependencies).toContain(l.secretsComponent);
  });

  test('encryption key is the sha256 hex of a generated seed, through an ExternalSecret template', () => {
    // GIVEN
    const platform = testPlatform();
    // WHEN
    const l = langfuse(platform);
    const es = find(objects(l.secretsComponent), 'ExternalSecret', 'langfuse-encryption-key');
    // THEN
    expect(es.spec.target.template).toEqual({ engineVersion: 'v2', data: { key: '{{ .seed | sha256sum }}' } });
    expect(es.spec.data).toEqual([{ secretKey: 'seed', remoteRef: { key: 'test/langfuse/langfuse-encryption-seed', property: 'seed' } }]);
    template(platform).hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'test/langfuse/langfuse-encryption-seed',
      GenerateSecretString: Match.objectLike({ PasswordLength: 64, ExcludePunctuation: true }),
    });
  });

  test('S3 bucket is encrypted, private, versioned, TLS only and retained', () => {
    // GIVEN
    const platform = testPlatform();
    // WHEN
    langfuse(platform);
    const t = template(platform);
    // THEN
    t.hasResource('AWS::S3::Bucket', {
      UpdateReplacePolicy: 'Retain',
      DeletionPolicy: 'Retain',
      Properties: {
        BucketName: 'test-langfuse-us-west-2',
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
      },
    });
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('Pod Identity role of ServiceAccount langfuse reads and writes only that bucket', () => {
    // GIVEN
    const platform = testPlatform();
    // WHEN
    const l = langfuse(platform);
    const t = template(platform);
    const bucketId = platform.getLogicalId(l.bucket.node.defaultChild as CfnResource);
    // THEN
    t.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'langfuse', ServiceAccount: 'langfuse' });
    const policies = t.findResources('AWS::IAM::Policy');
    const mine = Object.entries(policies).filter(([id]) => id.startsWith('LangfuseIdentity'));
    expect(mine).toHaveLength(1);
    const statements = (mine[0][1] as { Properties: { PolicyDocument: { Statement: unknown[] } } }).Properties.PolicyDocument.Statement;
    expect(statements).toEqual([
      { Sid: 'ListLangfuseBucket', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: { 'Fn::GetAtt': [bucketId, 'Arn'] } },
      {
        Sid: 'ReadWriteLangfuseObjects', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
      },
    ]);
  });

  test('every Kubernetes object is valid and carries no secret value', () => {
    // GIVEN
    const platform = testPlatform();
    // WHEN
    const l = langfuse(platform, { initialization: { organization: 'Acme', project: 'Agents' } });
    const objs = objects(l.secretsComponent);
    // THEN
    expectValidK8sObjects(objs);
    expect(objs.map((o) => o.kind)).not.toContain('Secret');
    const text = JSON.stringify([objs, l.chart.values()]);
    expect(text).not.toMatch(/changeme|"password":\s*"(?!\{\{ \.password \}\}")[^"]/);
    for (const t of assemblyTemplates(platform).values()) expect(t.body).not.toMatch(/"SecretString":/);
  });
});

describe('Langfuse props', () => {
  test('version V3 picks chart 1.5.41', () => {
    const platform = testPlatform();
    const l = langfuse(platform, { version: LangfuseVersion.V3 });
    expect(l.chart.chart.version).toBe('1.5.41');
    expect(l.version).toBe(LangfuseVersion.V3);
  });

  test('namespace, bucketName and url', () => {
    const platform = testPlatform();
    const l = langfuse(platform, { namespace: 'obs', bucketName: 'my-traces', url: 'https://langfuse.example.com' });
    const v = l.chart.values() as Record<string, any>;
    expect(l.chart.namespace).toBe('obs');
    expect(v.s3.bucket).toBe('my-traces');
    expect(v.langfuse.nextauth.url).toBe('https://langfuse.example.com');
    template(platform).hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'obs', ServiceAccount: 'langfuse' });
  });

  test('initialization generates pk-lf-/sk-lf- keys through $(VAR) expansion', () => {
    const platform = testPlatform();
    const l = langfuse(platform, { initialization: { organization: 'Acme Corp', project: 'Agents' } });
    const env = (l.chart.values() as Record<string, any>).langfuse.additionalEnv;
    expect(env).toEqual([
      { name: 'LANGFUSE_INIT_ORG_ID', value: 'acme-corp' },
      { name: 'LANGFUSE_INIT_ORG_NAME', value: 'Acme Corp' },
      { name: 'LANGFUSE_INIT_PROJECT_ID', value: 'agents' },
      { name: 'LANGFUSE_INIT_PROJECT_NAME', value: 'Agents' },
      { name: 'LANGFUSE_INIT_PK_RAW', valueFrom: { secretKeyRef: { name: 'langfuse-init-public-key', key: 'key' } } },
      { name: 'LANGFUSE_INIT_SK_RAW', valueFrom: { secretKeyRef: { name: 'langfuse-init-secret-key', key: 'key' } } },
      { name: 'LANGFUSE_INIT_PROJECT_PUBLIC_KEY', value: 'pk-lf-$(LANGFUSE_INIT_PK_RAW)' },
      { name: 'LANGFUSE_INIT_PROJECT_SECRET_KEY', value: 'sk-lf-$(LANGFUSE_INIT_SK_RAW)' },
    ]);
    expect(l.apiKeys).toEqual({
      publicKey: { awsSecretName: 'test/langfuse/langfuse-init-public-key', property: 'key', prefix: 'pk-lf-' },
      secretKey: { awsSecretName: 'test/langfuse/langfuse-init-secret-key', property: 'key', prefix: 'sk-lf-' },
    });
  });

  test('external Postgres, ClickHouse and Redis use operator-provided secrets', () => {
    const platform = testPlatform();
    const l = langfuse(platform, {
      externalPostgres: PG,
      clickhouse: LangfuseClickHouse.external({ host: 'ch.example.internal', username: 'langfuse', passwordSecret: { name: 'langfuse-ch', key: 'password' }, tls: true }),
      redis: LangfuseRedis.external({ host: 'cache.example.internal', passwordSecret: { name: 'langfuse-cache', key: 'auth' }, tls: true }),
    });
    const v = l.chart.values() as Record<string, any>;
    expect(v.postgresql).toEqual({
      deploy: false, host: 'db.example.internal', port: 5432,
      auth: { username: 'langfuse', database: 'langfuse', existingSecret: 'langfuse-db', secretKeys: { userPasswordKey: 'password' } },
    });
    expect(v.clickhouse).toEqual({
      deploy: false, host: 'https://ch.example.internal', httpPort: 8123, nativePort: 9000,
      migration: { url: 'clickhouse://ch.example.internal:9000', ssl: true },
      auth: { username: 'langfuse', existingSecret: 'langfuse-ch', existingSecretKey: 'password' },
    });
    expect(v.redis).toEqual({
      deploy: false, host: 'cache.example.internal', port: 6379, tls: { enabled: true },
      auth: { username: 'default', existingSecret: 'langfuse-cache', existingSecretPasswordKey: 'auth' },
    });
    expect(l.requiredSecrets).toEqual([
      'test/langfuse/langfuse-db (JSON key: password)',
      'test/langfuse/langfuse-ch (JSON key: password)',
      'test/langfuse/langfuse-cache (JSON key: auth)',
    ]);
    const objs = objects(l.secretsComponent);
    expectValidK8sObjects(objs);
    expect(objs.filter((o) => o.kind === 'ExternalSecret').map((o) => (o.metadata as { name: string }).name).sort()).toEqual([
      'langfuse-cache', 'langfuse-ch', 'langfuse-db', 'langfuse-encryption-key', 'langfuse-encryption-seed', 'langfuse-nextauth', 'langfuse-salt',
    ]);
  });

  test('values override is deep-merged last', () => {
    const platform = testPlatform();
    const l = langfuse(platform, { values: { langfuse: { features: { signUpDisabled: true } } } });
    const v = l.chart.values() as Record<string, any>;
    expect(v.langfuse.features).toEqual({ telemetryEnabled: false, signUpDisabled: true });
    expect(v.langfuse.salt).toEqual({ secretKeyRef: { name: 'langfuse-salt', key: 'salt' } });
  });
});

describe('Langfuse errors', () => {
  test('in-cluster and external Postgres at once', () => {
    const platform = testPlatform();
    expect(() => langfuse(platform, { inClusterPostgres: true, externalPostgres: PG })).toThrow(
      "Langfuse cannot use in-cluster and external Postgres at once: set 'inClusterPostgres' or 'externalPostgres', not both",
    );
  });

  test('no Postgres at all', () => {
    const platform = testPlatform();
    expect(() => langfuse(platform, { inClusterPostgres: false })).toThrow(
      "'inClusterPostgres' is false but no 'externalPostgres' is set: Langfuse needs a PostgreSQL database",
    );
  });

  test('invalid bucket name', () => {
    const platform = testPlatform();
    expect(() => langfuse(platform, { bucketName: 'Bad_Bucket' })).toThrow(
      "'bucketName' (Bad_Bucket) must be a valid S3 bucket name: 3 to 63 lower-case letters, digits, '.' or '-'",
    );
  });

  test('url with a trailing slash', () => {
    const platform = testPlatform();
    expect(() => langfuse(platform, { url: 'https://lf.example.com/' })).toThrow(
      "'url' (https://lf.example.com/) must be an http:// or https:// URL without a trailing '/'",
    );
  });

  test('external ClickHouse host with a scheme', () => {
    expect(() => LangfuseClickHouse.external({ host: 'https://ch', username: 'u', passwordSecret: { name: 'ch', key: 'p' } })).toThrow(
      "'clickhouse.host' (https://ch) must be a host name without a scheme: set 'tls' for HTTPS",
    );
  });

  test('external Postgres port out of range', () => {
    const platform = testPlatform();
    expect(() => langfuse(platform, { externalPostgres: { ...PG, port: 70000 } })).toThrow(
      "'externalPostgres.port' (70000) must be an integer from 1 to 65535",
    );
  });
});

describe('Langfuse v4 bundled stores (chart 2.0.0 existing-secret keys)', () => {
  test('the Postgres Secret holds every key the postgres sub-chart reads, derived from one generated password', () => {
    // GIVEN
    const platform = testPlatform();
    // WHEN
    const l = langfuse(platform);
    const es = find(objects(l.secretsComponent), 'ExternalSecret', 'langfuse-postgres');
    // THEN
    expect(es.spec.target.template).toEqual({
      engineVersion: 'v2',
      data: {
        password: '{{ .password }}',
        POSTGRES_USER: 'postgres',
        POSTGRES_PASSWORD: '{{ .password }}',
        POSTGRES_DB: 'langfuse',
        USERDB_USER: 'langfuse',
        USERDB_PASSWORD: '{{ .password }}',
      },
    });
    expect(es.spec.data).toEqual([{ secretKey: 'password', remoteRef: { key: 'test/langfuse/langfuse-postgres', property: 'password' } }]);
  });

  test('the Valkey Secret holds one key per ACL user (default) with the same password', () => {
    // GIVEN
    const platform = testPlatform();
    // WHEN
    const l = langfuse(platform);
    const es = find(objects(l.secretsComponent), 'ExternalSecret', 'langfuse-valkey');
    // THEN
    expect(es.spec.target.template).toEqual({ engineVersion: 'v2', data: { password: '{{ .password }}', default: '{{ .password }}' } });
  });

  test('in-cluster ClickHouse installs cert-manager (CRDS) and the ClickHouse operator (CONTROLLERS) before the chart', () => {
    // GIVEN
    const platform = testPlatform();
    // WHEN
    const l = langfuse(platform);
    const cm = l.certManager!;
    const op = l.clickhouseOperator!;
    // THEN
    expect(cm.componentName).toBe('cert-manager');
    expect(cm.namespace).toBe('cert-manager');
    expect(cm.stage).toBe(Stage.CRDS);
    expect(cm.includesCrds).toBe(true);
    expect(cm.chart).toBe(HelmChartVersion.CERT_MANAGER);
    const toleration = [{ key: 'CriticalAddonsOnly', operator: 'Exists' }];
    expect(cm.values()).toEqual({
      crds: { enabled: true, keep: true },
      tolerations: toleration,
      webhook: { tolerations: toleration },
      cainjector: { tolerations: toleration },
      startupapicheck: { tolerations: toleration },
    });
    expect(op.componentName).toBe('clickhouse-operator');
    expect(op.namespace).toBe('clickhouse-operator');
    expect(op.stage).toBe(Stage.CONTROLLERS);
    expect(op.includesCrds).toBe(true);
    expect(op.chart).toBe(HelmChartVersion.CLICKHOUSE_OPERATOR);
    expect(op.values()).toEqual({
      crd: { enabled: true, keep: true },
      certManager: { enabled: true },
      manager: { image: { repository: 'ghcr.io/clickhouse/clickhouse-operator', tag: 'v0.0.5' }, tolerations: toleration },
    });
    expect(op.dependencies).toEqual([cm]);
    expect(l.chart.dependencies).toEqual([l.secretsComponent, op]);
  });

  test('prerequisites are installed once per platform', () => {
    // GIVEN
    const platform = testPlatform();
    // WHEN
    const l = langfuse(platform);
    // THEN
    expect(clickHouseOperator(platform.definition)).toBe(l.clickhouseOperator);
    expect(certManager(platform.definition)).toBe(l.certManager);
    expect(platform.definition.components.filter((c) => c.componentName === 'cert-manager')).toHaveLength(1);
  });

  test('external ClickHouse needs neither cert-manager nor the operator', () => {
    // GIVEN
    const platform = testPlatform();
    // WHEN
    const l = langfuse(platform, {
      clickhouse: LangfuseClickHouse.external({ host: 'ch.example.internal', username: 'langfuse', passwordSecret: { name: 'langfuse-ch', key: 'password' } }),
    });
    // THEN
    expect(l.certManager).toBeUndefined();
    expect(l.clickhouseOperator).toBeUndefined();
    expect((l.chart.values() as Record<string, any>).clickhouse.crdCheck).toBeUndefined();
    expect(platform.definition.components.map((c) => c.componentName)).not.toContain('clickhouse-operator');
  });
});

describe('Langfuse v3 bundled stores (chart 1.5.41)', () => {
  test('Bitnami values: no v4 keys, no prerequisites, plain Secrets', () => {
    // GIVEN
    const platform = testPlatform();
    // WHEN
    const l = langfuse(platform, { version: LangfuseVersion.V3 });
    const v = l.chart.values() as Record<string, any>;
    const objs = objects(l.secretsComponent);
    // THEN
    expect(v.postgresql).toEqual({
      deploy: true,
      auth: { username: 'postgres', database: 'langfuse', existingSecret: 'langfuse-postgres', secretKeys: { userPasswordKey: 'password', adminPasswordKey: 'password' } },
    });
    expect(v.clickhouse).toEqual({ deploy: true, auth: { username: 'default', existingSecret: 'langfuse-clickhouse', existingSecretKey: 'password' } });
    expect(v.redis).toEqual({ deploy: true, auth: { existingSecret: 'langfuse-valkey', existingSecretPasswordKey: 'password' } });
    expect(l.certManager).toBeUndefined();
    expect(l.clickhouseOperator).toBeUndefined();
    expect(find(objs, 'ExternalSecret', 'langfuse-postgres').spec.target.template).toBeUndefined();
    expect(find(objs, 'ExternalSecret', 'langfuse-valkey').spec.target.template).toBeUndefined();
    expectValidK8sObjects(objs);
  });
});

describe('Langfuse keysSecret', () => {
  function consumer(platform: PlatformStack, namespace?: string): KubernetesComponent {
    return new KubernetesComponent(platform.definition, 'Consumer', { name: 'consumer', namespace, stage: Stage.WORKLOADS, description: 'test' });
  }

  test('materializes pk-lf-/sk-lf- keys in the consumer namespace from the generated AWS secrets', () => {
    // GIVEN
    const platform = testPlatform();
    const l = langfuse(platform, { initialization: { organization: 'Acme', project: 'Agents' } });
    const c = consumer(platform, 'team-a');
    // WHEN
    const ref = l.keysSecret(c);
    const again = l.keysSecret(c);
    const objs = objects(c);
    // THEN
    expect(ref).toEqual({ name: 'langfuse-keys', publicKeyKey: 'LANGFUSE_PUBLIC_KEY', secretKeyKey: 'LANGFUSE_SECRET_KEY' });
    expect(again).toEqual(ref);
    expect(objs).toHaveLength(1);
    expect(objs[0]).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'langfuse-keys', namespace: 'team-a' },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' },
        target: {
          name: 'langfuse-keys',
          creationPolicy: 'Owner',
          template: { engineVersion: 'v2', data: { LANGFUSE_PUBLIC_KEY: 'pk-lf-{{ .pk }}', LANGFUSE_SECRET_KEY: 'sk-lf-{{ .sk }}' } },
        },
        data: [
          { secretKey: 'pk', remoteRef: { key: 'test/langfuse/langfuse-init-public-key', property: 'key' } },
          { secretKey: 'sk', remoteRef: { key: 'test/langfuse/langfuse-init-secret-key', property: 'key' } },
        ],
      },
    });
    expectValidK8sObjects(objs);
  });

  test('namespace and name options', () => {
    // GIVEN
    const platform = testPlatform();
    const l = langfuse(platform, { initialization: { organization: 'Acme', project: 'Agents' } });
    const c = consumer(platform);
    // WHEN
    const ref = l.keysSecret(c, { namespace: 'evals', name: 'lf' });
    // THEN
    expect(ref.name).toBe('lf');
    expect(find(objects(c), 'ExternalSecret', 'lf').metadata.namespace).toBe('evals');
  });

  test('errors', () => {
    // GIVEN
    const platform = testPlatform();
    const withKeys = langfuse(platform, { initialization: { organization: 'Acme', project: 'Agents' } });
    const without = langfuse(testPlatform());
    const c = consumer(platform);
    // WHEN / THEN
    expect(() => without.keysSecret(c, { namespace: 'a' })).toThrow(
      "Langfuse has no generated API keys to hand out: set 'initialization' ({ organization, project }) on the Langfuse construct");
    expect(() => withKeys.keysSecret(c)).toThrow(
      "Langfuse keys Secret 'langfuse-keys' needs a 'namespace': set it, or call keysSecret with a scope in a component that has one");
  });
});
