import { createHash } from 'crypto';
import { Duration, Size } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as yaml from 'js-yaml';
import { GpuModel, KubernetesComponent, ModelSpec, ModelTask, NetworkFlows, PlatformStack, Stage, VllmModel, WeightDType } from '../../../lib';
import { computePrerequisites } from '../../../lib/checks/prerequisites';
import {
  LiteLlm, LiteLlmDatabase, LiteLlmModel, LiteLlmProps, RoutingStrategy,
} from '../../../lib/gateway/litellm';
import { Langfuse } from '../../../lib/observability/langfuse';
import { expectValidK8sObjects } from '../../k8s-schema';
import { addGeneralPool, assemblyTemplates, find, objects, template, testPlatform } from '../../util';

interface Fixture { platform: PlatformStack; llama: VllmModel }

function fixture(): Fixture {
  const platform = testPlatform();
  addGeneralPool(platform);
  const pool = platform.gpu.addNodePool('l40s', { gpus: [GpuModel.L40S], limits: { gpus: 32 } });
  const llama = platform.serving.addModel('Llama', { name: 'llama', spec: ModelSpec.LLAMA_3_1_8B, pools: [pool] });
  return { platform, llama };
}

const OPENAI_KEY = { name: 'openai', key: 'api-key' };
const ANTHROPIC_KEY = { name: 'anthropic', key: 'api-key' };
const CLAUDE = 'anthropic.claude-sonnet-4-5-20250929-v1:0';

/** The platform's Langfuse with generated project keys. */
function langfuseOf(f: Fixture): Langfuse {
  return f.platform.observability.langfuse ?? f.platform.observability.addLangfuse({ initialization: { organization: 'Acme', project: 'Agents' } });
}

function liteLlm(f: Fixture, props: Partial<LiteLlmProps> = {}): LiteLlm {
  return new LiteLlm(f.platform, 'LiteLlm', {
    definition: f.platform.definition,
    cluster: f.platform.cluster,
    secrets: f.platform.secrets,
    models: [LiteLlmModel.selfHosted('llama', f.llama)],
    ...props,
  });
}

/** The parsed config.yaml of the ConfigMap. */
function config(l: LiteLlm): Record<string, any> {
  const cm = find(objects(l.component), 'ConfigMap', 'litellm-config');
  return yaml.load(cm.data['config.yaml']) as Record<string, any>;
}

function container(l: LiteLlm): Record<string, any> {
  return find(objects(l.component), 'Deployment', 'litellm').spec.template.spec.containers[0];
}

function envOf(l: LiteLlm): Record<string, any>[] {
  return container(l).env;
}

const allModels = (f: Fixture): LiteLlmModel[] => [
  LiteLlmModel.selfHosted('llama', f.llama),
  LiteLlmModel.bedrock('claude', { modelId: CLAUDE, region: 'us-east-1' }),
  LiteLlmModel.openAi('gpt', { model: 'gpt-4.1', apiKeySecret: OPENAI_KEY }),
  LiteLlmModel.anthropic('sonnet', { model: 'claude-sonnet-4-5', apiKeySecret: ANTHROPIC_KEY }),
];

describe('LiteLlm defaults', () => {
  test('config.yaml holds model_list, router, litellm and general settings', () => {
    // GIVEN
    const f = fixture();
    // WHEN
    const l = liteLlm(f);
    // THEN
    expect(config(l)).toEqual({
      model_list: [{
        model_name: 'llama',
        litellm_params: { model: 'hosted_vllm/meta-llama/Llama-3.1-8B-Instruct', api_base: `http://${f.llama.serviceName}.${f.llama.namespace}.svc:${f.llama.port}/v1` },
      }],
      router_settings: {
        routing_strategy: 'simple-shuffle',
        num_retries: 2,
        timeout: 600,
        redis_host: 'os.environ/REDIS_HOST',
        redis_port: 'os.environ/REDIS_PORT',
        redis_password: 'os.environ/REDIS_PASSWORD',
      },
      litellm_settings: { drop_params: true },
      general_settings: { master_key: 'os.environ/LITELLM_MASTER_KEY', database_url: 'os.environ/DATABASE_URL' },
    });
  });

  test('Deployment: image, args, config mount, probes, replicas, env expansion order', () => {
    const f = fixture();
    const l = liteLlm(f);
    const objs = objects(l.component);
    const deployment = find(objs, 'Deployment', 'litellm');
    const c = container(l);
    expect(deployment.metadata.namespace).toBe('litellm');
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.serviceAccountName).toBe('litellm');
    expect(c.image).toBe('ghcr.io/berriai/litellm-database:v1.102.1');
    expect(c.args).toEqual(['--config', '/app/config.yaml', '--port', '4000']);
    expect(c.volumeMounts).toEqual([{ name: 'config', mountPath: '/app/config.yaml', subPath: 'config.yaml', readOnly: true }]);
    expect(c.livenessProbe.httpGet.path).toBe('/health/liveliness');
    expect(c.readinessProbe.httpGet.path).toBe('/health/readiness');
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } });
    const names = envOf(l).map((e) => e.name);
    expect(names.indexOf('MASTER_KEY_RAW')).toBeLessThan(names.indexOf('LITELLM_MASTER_KEY'));
    expect(names.indexOf('DB_PASSWORD')).toBeLessThan(names.indexOf('DATABASE_URL'));
    const env = Object.fromEntries(envOf(l).map((e) => [e.name, e]));
    expect(env.LITELLM_MASTER_KEY).toEqual({ name: 'LITELLM_MASTER_KEY', value: 'sk-$(MASTER_KEY_RAW)' });
    expect(env.MASTER_KEY_RAW.valueFrom).toEqual({ secretKeyRef: { name: 'litellm-master-key', key: 'key' } });
    expect(env.LITELLM_SALT_KEY.valueFrom).toEqual({ secretKeyRef: { name: 'litellm-salt-key', key: 'key' } });
    expect(env.DATABASE_URL.value).toBe('postgresql://litellm:$(DB_PASSWORD)@litellm-postgres.litellm.svc:5432/litellm');
    expect(env.REDIS_HOST.value).toBe('litellm-valkey.litellm.svc');
    expect(env.REDIS_PASSWORD.valueFrom).toEqual({ secretKeyRef: { name: 'litellm-valkey', key: 'password' } });
    expect(deployment.spec.template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
  });

  test('Service, PDB, ServiceAccount, Valkey and Postgres are emitted; no HPA, ServiceMonitor or teams', () => {
    const f = fixture();
    const l = liteLlm(f);
    const objs = objects(l.component);
    expect(find(objs, 'Service', 'litellm').spec.ports).toEqual([{ name: 'http', port: 4000, targetPort: 'http', protocol: 'TCP' }]);
    find(objs, 'PodDisruptionBudget', 'litellm');
    find(objs, 'ServiceAccount', 'litellm');
    find(objs, 'Service', 'litellm-valkey');
    const valkey = find(objs, 'Deployment', 'litellm-valkey').spec.template.spec.containers[0];
    expect(valkey.image).toBe('docker.io/valkey/valkey:8.1.3');
    expect(valkey.args).toEqual(['--requirepass', '$(REDIS_PASSWORD)', '--save', '', '--appendonly', 'no']);
    const pg = find(objs, 'StatefulSet', 'litellm-postgres');
    expect(pg.spec.replicas).toBe(1);
    expect(pg.spec.template.spec.containers[0].image).toBe('docker.io/library/postgres:17.6');
    expect(pg.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('20Gi');
    expect(pg.spec.volumeClaimTemplates[0].spec.storageClassName).toBeUndefined();
    expect(find(objs, 'Service', 'litellm-postgres').spec.clusterIP).toBe('None');
    expect(objs.filter((o) => ['HorizontalPodAutoscaler', 'ServiceMonitor'].includes(o.kind as string))).toEqual([]);
    expect(objs.some((o) => (o.metadata as { name: string }).name === 'litellm-teams')).toBe(false);
    expect(objs.filter((o) => o.kind === 'ExternalSecret').map((o) => (o.metadata as { name: string }).name).sort())
      .toEqual(['litellm-master-key', 'litellm-postgres', 'litellm-salt-key', 'litellm-valkey']);
  });

  test('the component is a workload depending on its namespace and the secret store', () => {
    const f = fixture();
    const l = liteLlm(f);
    expect(l.component.componentName).toBe('litellm');
    expect(l.component.stage).toBe('workloads');
    expect(l.component.dependencies).toEqual(expect.arrayContaining([f.platform.secrets.store]));
    expect(f.platform.definition.sharedNamespaces).toContain('litellm');
    expect(l.url).toBe('http://litellm.litellm.svc:4000');
  });

  test('no Bedrock model: no Pod Identity role', () => {
    const l = liteLlm(fixture());
    expect(l.identity).toBeUndefined();
  });
});

describe('LiteLlm providers', () => {
  test('each provider renders its litellm_params; API keys are os.environ references', () => {
    const f = fixture();
    const l = liteLlm(f, { models: allModels(f) });
    expect(config(l).model_list.slice(1)).toEqual([
      { model_name: 'claude', litellm_params: { model: `bedrock/${CLAUDE}`, aws_region_name: 'us-east-1' } },
      { model_name: 'gpt', litellm_params: { model: 'openai/gpt-4.1', api_key: 'os.environ/SECRET_OPENAI_API_KEY' } },
      { model_name: 'sonnet', litellm_params: { model: 'anthropic/claude-sonnet-4-5', api_key: 'os.environ/SECRET_ANTHROPIC_API_KEY' } },
    ]);
    const env = Object.fromEntries(envOf(l).map((e) => [e.name, e]));
    expect(env.SECRET_OPENAI_API_KEY.valueFrom).toEqual({ secretKeyRef: { name: 'openai', key: 'api-key' } });
    expect(env.SECRET_ANTHROPIC_API_KEY.valueFrom).toEqual({ secretKeyRef: { name: 'anthropic', key: 'api-key' } });
    const es = find(objects(l.component), 'ExternalSecret', 'openai');
    expect(es.spec.data).toEqual([{ secretKey: 'api-key', remoteRef: { key: 'test/litellm/openai', property: 'api-key' } }]);
    expect(l.requiredSecrets).toEqual(['test/litellm/anthropic (JSON keys: api-key)', 'test/litellm/openai (JSON keys: api-key)']);
  });

  test('self-hosted model through a gateway URL', () => {
    const f = fixture();
    const l = liteLlm(f, { models: [LiteLlmModel.selfHosted('llama', f.llama, { gatewayUrl: 'http://inference-gateway.llm.svc/v1' })] });
    expect(config(l).model_list[0].litellm_params.api_base).toBe('http://inference-gateway.llm.svc/v1');
  });

  test('a self-hosted embedding model is declared with mode embedding; a generation model has no model_info', () => {
    // GIVEN
    const f = fixture();
    const pool = f.platform.gpu.nodePools[0];
    const spec = ModelSpec.custom({
      name: 'Qwen3 Embedding 0.6B', huggingFaceRepo: 'Qwen/Qwen3-Embedding-0.6B', parameters: 0.596e9, layers: 28, hiddenSize: 1024,
      attentionHeads: 16, kvHeads: 8, headDim: 128, weightDType: WeightDType.BF16, maxContextLength: 32768,
    });
    const embed = f.platform.serving.addModel('Embed', { name: 'embed', spec, pools: [pool], task: ModelTask.EMBED });

    // WHEN
    const l = liteLlm(f, { models: [LiteLlmModel.selfHosted('llama', f.llama), LiteLlmModel.selfHosted('embeddings', embed)] });

    // THEN
    expect(config(l).model_list).toEqual([
      { model_name: 'llama', litellm_params: { model: 'hosted_vllm/meta-llama/Llama-3.1-8B-Instruct', api_base: 'http://llama.models.svc:8000/v1' } },
      {
        model_name: 'embeddings',
        litellm_params: { model: 'hosted_vllm/Qwen/Qwen3-Embedding-0.6B', api_base: 'http://embed.models.svc:8000/v1' },
        model_info: { mode: 'embedding' },
      },
    ]);
  });

  test('two models sharing one secret name with different keys get one ExternalSecret', () => {
    const f = fixture();
    const l = liteLlm(f, {
      models: [
        LiteLlmModel.openAi('a', { model: 'gpt-4.1', apiKeySecret: { name: 'providers', key: 'openai' } }),
        LiteLlmModel.anthropic('b', { model: 'claude-sonnet-4-5', apiKeySecret: { name: 'providers', key: 'anthropic' } }),
      ],
    });
    const es = find(objects(l.component), 'ExternalSecret', 'providers');
    expect(es.spec.data.map((d: { secretKey: string }) => d.secretKey)).toEqual(['anthropic', 'openai']);
  });

  test('Bedrock: Pod Identity role may invoke exactly the foundation model', () => {
    const f = fixture();
    const l = liteLlm(f, { models: [LiteLlmModel.bedrock('claude', { modelId: CLAUDE, region: 'us-east-1' })] });
    expect(l.identity).toBeDefined();
    const t = template(f.platform);
    t.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'litellm', ServiceAccount: 'litellm' });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Sid: 'InvokeBedrockModels',
          Effect: 'Allow',
          Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:bedrock:us-east-1::foundation-model/${CLAUDE}`]] },
        }],
      },
      Roles: [{ Ref: Match.stringLikeRegexp('LiteLlmIdentityRole') }],
    });
  });

  test('Bedrock inference profile: the profile ARN in the account and the foundation model in any region', () => {
    const f = fixture();
    liteLlm(f, { models: [LiteLlmModel.bedrock('claude', { modelId: `us.${CLAUDE}`, region: 'us-west-2' })] });
    template(f.platform).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Sid: 'InvokeBedrockModels',
          Resource: [
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:us-west-2:', { Ref: 'AWS::AccountId' }, `:inference-profile/us.${CLAUDE}`]] },
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:bedrock:*::foundation-model/${CLAUDE}`]] },
          ],
        }],
      },
    });
  });
});

describe('LiteLlm routing', () => {
  test('load-balancing group: one name, several entries', () => {
    const f = fixture();
    const l = liteLlm(f, {
      models: [
        LiteLlmModel.selfHosted('chat', f.llama, { loadBalance: true }),
        LiteLlmModel.bedrock('chat', { modelId: CLAUDE, region: 'us-east-1', loadBalance: true }),
      ],
    });
    expect(config(l).model_list.map((m: { model_name: string }) => m.model_name)).toEqual(['chat', 'chat']);
  });

  test('strategy, retries, timeout and fallbacks', () => {
    const f = fixture();
    const l = liteLlm(f, {
      models: allModels(f),
      routing: { strategy: RoutingStrategy.LATENCY_BASED, numRetries: 0, timeout: Duration.minutes(2), fallbacks: { llama: ['claude', 'gpt'], gpt: ['sonnet'] } },
    });
    const router = config(l).router_settings;
    expect(router.routing_strategy).toBe('latency-based-routing');
    expect(router.num_retries).toBe(0);
    expect(router.timeout).toBe(120);
    expect(router.fallbacks).toEqual([{ llama: ['claude', 'gpt'] }, { gpt: ['sonnet'] }]);
  });

  test.each([
    [RoutingStrategy.SIMPLE_SHUFFLE, 'simple-shuffle'],
    [RoutingStrategy.LEAST_BUSY, 'least-busy'],
    [RoutingStrategy.USAGE_BASED_V2, 'usage-based-routing-v2'],
    [RoutingStrategy.COST_BASED, 'cost-based-routing'],
  ])('strategy %s', (strategy, value) => {
    const f = fixture();
    expect(config(liteLlm(f, { routing: { strategy } })).router_settings.routing_strategy).toBe(value);
  });
});

describe('LiteLlm options', () => {
  test('langfuse enables langfuse_otel with the platform Langfuse keys materialized in its namespace', () => {
    // GIVEN
    const f = fixture();
    const langfuse = langfuseOf(f);
    // WHEN
    const l = liteLlm(f, { langfuse });
    // THEN
    expect(config(l).litellm_settings).toEqual({ drop_params: true, callbacks: ['langfuse_otel'] });
    const env = Object.fromEntries(envOf(l).map((e) => [e.name, e]));
    expect(env.LANGFUSE_PUBLIC_KEY.valueFrom).toEqual({ secretKeyRef: { name: 'langfuse-keys', key: 'LANGFUSE_PUBLIC_KEY' } });
    expect(env.LANGFUSE_SECRET_KEY.valueFrom).toEqual({ secretKeyRef: { name: 'langfuse-keys', key: 'LANGFUSE_SECRET_KEY' } });
    expect(env.LANGFUSE_OTEL_HOST.value).toBe('http://langfuse-web.langfuse.svc.cluster.local:3000');
    const es = find(objects(l.component), 'ExternalSecret', 'langfuse-keys');
    expect(es.metadata.namespace).toBe('litellm');
    expect(es.spec.target.template.data).toEqual({ LANGFUSE_PUBLIC_KEY: 'pk-lf-{{ .pk }}', LANGFUSE_SECRET_KEY: 'sk-lf-{{ .sk }}' });
    expect(es.spec.data).toEqual([
      { secretKey: 'pk', remoteRef: { key: 'test/langfuse/langfuse-init-public-key', property: 'key' } },
      { secretKey: 'sk', remoteRef: { key: 'test/langfuse/langfuse-init-secret-key', property: 'key' } },
    ]);
    // Nothing for the operator to copy.
    expect(l.requiredSecrets).toEqual([]);
  });

  test('addVirtualKey generates a key, materializes sk-<value> in the consumer namespace and lists the request', () => {
    // GIVEN
    const f = fixture();
    const l = liteLlm(f);
    const consumer = new KubernetesComponent(f.platform.definition, 'Consumer', { name: 'consumer', namespace: 'team-a', stage: Stage.WORKLOADS, description: 'test' });
    // WHEN
    const key = l.addVirtualKey(consumer, { alias: 'judge', models: ['llama'] });
    // THEN
    expect(key.secret).toEqual({ name: 'judge-litellm-key', key: 'api-key' });
    expect(key.awsSecretName).toBe('test/team-a/judge-litellm-key');
    const es = find(objects(consumer), 'ExternalSecret', 'judge-litellm-key');
    expect(es.metadata.namespace).toBe('team-a');
    expect(es.spec.target.template.data).toEqual({ 'key': '{{ .key }}', 'api-key': 'sk-{{ .key }}' });
    const request = { key_alias: 'judge', models: ['llama'], metadata: { aws_secret: 'test/team-a/judge-litellm-key', namespace: 'team-a', secret: 'judge-litellm-key' } };
    expect(l.keyRequests).toEqual([request]);
    expect(JSON.parse(find(objects(l.component), 'ConfigMap', 'litellm-keys').data['keys.json'])).toEqual([request]);
    template(f.platform).hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'test/team-a/judge-litellm-key',
      GenerateSecretString: Match.objectLike({ GenerateStringKey: 'key', PasswordLength: 48 }),
    });
    expectValidK8sObjects([...objects(consumer), ...objects(l.component)]);
  });

  test('no virtual key, no litellm-keys ConfigMap', () => {
    const l = liteLlm(fixture());
    expect(objects(l.component).filter((o) => o.kind === 'ConfigMap').map((o) => (o.metadata as { name: string }).name)).toEqual(['litellm-config']);
  });

  test('external database: no Postgres, DATABASE_URL from its settings', () => {
    const f = fixture();
    const l = liteLlm(f, {
      database: LiteLlmDatabase.external({ host: 'db.example.internal', database: 'llm', username: 'proxy', passwordSecret: { name: 'litellm-db', key: 'password' } }),
    });
    const objs = objects(l.component);
    expect(objs.some((o) => o.kind === 'StatefulSet')).toBe(false);
    const env = Object.fromEntries(envOf(l).map((e) => [e.name, e]));
    expect(env.DATABASE_URL.value).toBe('postgresql://proxy:$(DB_PASSWORD)@db.example.internal:5432/llm');
    expect(env.DB_PASSWORD.valueFrom).toEqual({ secretKeyRef: { name: 'litellm-db', key: 'password' } });
    find(objs, 'ExternalSecret', 'litellm-db');
  });

  test('in-cluster database storage and class', () => {
    const f = fixture();
    const l = liteLlm(f, { database: LiteLlmDatabase.inCluster({ storage: Size.gibibytes(50), storageClass: 'gp3' }) });
    const pvc = find(objects(l.component), 'StatefulSet', 'litellm-postgres').spec.volumeClaimTemplates[0];
    expect(pvc.spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '50Gi' } } });
  });

  test('autoscaling: HPA on CPU, Deployment without replicas', () => {
    const f = fixture();
    const l = liteLlm(f, { autoscaling: { minReplicas: 2, maxReplicas: 6 } });
    const objs = objects(l.component);
    expect(find(objs, 'Deployment', 'litellm').spec.replicas).toBeUndefined();
    expect(find(objs, 'HorizontalPodAutoscaler', 'litellm').spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'litellm' },
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
  });

  test('serviceMonitor: ServiceMonitor on /metrics and the prometheus callback', () => {
    const f = fixture();
    const l = liteLlm(f, { serviceMonitor: true, replicas: 3, namespace: 'gateway' });
    const objs = objects(l.component);
    expect(find(objs, 'ServiceMonitor', 'litellm').spec.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '30s' }]);
    expect(config(l).litellm_settings.callbacks).toEqual(['prometheus']);
    expect(find(objs, 'Deployment', 'litellm').spec.replicas).toBe(3);
    expect(find(objs, 'Deployment', 'litellm').metadata.namespace).toBe('gateway');
  });

  test('teams: /team/new request bodies in ConfigMap litellm-teams', () => {
    const f = fixture();
    const l = liteLlm(f, {
      models: allModels(f),
      teams: [
        { name: 'research', maxBudgetUsd: 500, budgetDuration: Duration.days(30), rpmLimit: 600, tpmLimit: 1_000_000, models: ['llama', 'claude'] },
        { name: 'support' },
      ],
    });
    const expected = [
      { team_alias: 'research', max_budget: 500, budget_duration: '30d', rpm_limit: 600, tpm_limit: 1000000, models: ['llama', 'claude'] },
      { team_alias: 'support' },
    ];
    expect(JSON.parse(find(objects(l.component), 'ConfigMap', 'litellm-teams').data['teams.json'])).toEqual(expected);
    expect(l.teamRequests).toEqual(expected);
  });
});

describe('LiteLlm renders late', () => {
  test('a model served, routed and added after the proxy was created is in config.yaml and the config checksum', () => {
    // GIVEN: LiteLLM created first, with one model
    const f = fixture();
    const l = liteLlm(f);
    const before = l.configYaml;
    // WHEN: a model is served, routed through the Gateway and added afterwards
    const pool = f.platform.gpu.nodePools[0];
    const qwen = f.platform.serving.addModel('Qwen', { name: 'qwen', spec: ModelSpec.QWEN3_32B, pools: [pool] });
    f.platform.gateway.routeModel('Qwen', qwen, { pathPrefix: '/qwen' });
    l.addModel(LiteLlmModel.selfHosted('qwen3-32b', qwen, { gatewayUrl: `${f.platform.gateway.url}/qwen/v1` }));
    // THEN
    const entries = config(l).model_list;
    expect(entries.map((m: { model_name: string }) => m.model_name)).toEqual(['llama', 'qwen3-32b']);
    expect(entries[1].litellm_params).toEqual({ model: 'hosted_vllm/Qwen/Qwen3-32B', api_base: 'http://inference-gateway.gateway.svc/qwen/v1' });
    expect(l.configYaml).not.toEqual(before);
    const checksum = find(objects(l.component), 'Deployment', 'litellm').spec.template.metadata.annotations['checksum/config'];
    expect(checksum).toBe(createHash('sha256').update(l.configYaml).digest('hex'));
    expect(f.platform.definition.components.map((c) => c.componentName)).toContain('agentgateway');
    expect(NetworkFlows.of(f.platform.definition).flows.map((x) => x.name)).toContain('litellm-to-gateway');
    expectValidK8sObjects(objects(l.component));
  });

  test('models with API keys added later get their env var, ExternalSecret and required secret', () => {
    // GIVEN
    const f = fixture();
    const l = liteLlm(f);
    expect(l.requiredSecrets).toEqual([]);
    // WHEN
    l.addModel(LiteLlmModel.openAi('gpt', { model: 'gpt-4.1', apiKeySecret: { name: 'providers', key: 'openai' } }));
    l.addModel(LiteLlmModel.anthropic('sonnet', { model: 'claude-sonnet-4-5', apiKeySecret: { name: 'providers', key: 'anthropic' } }));
    // THEN
    const names = envOf(l).map((e) => e.name);
    expect(names.indexOf('SECRET_PROVIDERS_OPENAI')).toBeGreaterThan(names.indexOf('REDIS_PASSWORD'));
    expect(names.indexOf('SECRET_PROVIDERS_ANTHROPIC')).toBeLessThan(names.indexOf('LITELLM_LOG'));
    const es = find(objects(l.component), 'ExternalSecret', 'providers');
    expect(es.spec.data.map((d: { secretKey: string }) => d.secretKey)).toEqual(['anthropic', 'openai']);
    expect(l.requiredSecrets).toEqual(['test/litellm/providers (JSON keys: anthropic, openai)']);
    expect(l.modelList.map((m) => m.name)).toEqual(['llama', 'gpt', 'sonnet']);
    expect(NetworkFlows.of(f.platform.definition).flows.map((x) => x.name)).toContain('litellm-to-providers');
  });

  test('Bedrock models added later: the role is created with the first and widened by the next', () => {
    // GIVEN
    const f = fixture();
    const l = liteLlm(f);
    expect(l.identity).toBeUndefined();
    // WHEN
    l.addModel(LiteLlmModel.bedrock('claude', { modelId: CLAUDE, region: 'us-east-1' }));
    l.addModel(LiteLlmModel.bedrock('claude-west', { modelId: CLAUDE, region: 'us-west-2' }));
    // THEN
    expect(l.identity).toBeDefined();
    template(f.platform).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Sid: 'InvokeBedrockModels',
          Resource: [
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:bedrock:us-east-1::foundation-model/${CLAUDE}`]] },
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:bedrock:us-west-2::foundation-model/${CLAUDE}`]] },
          ],
        }],
      },
    });
    expect(NetworkFlows.of(f.platform.definition).flows.filter((x) => x.name === 'litellm-pod-identity')).toHaveLength(1);
  });

  test('fallbacks and teams added later are rendered', () => {
    // GIVEN
    const f = fixture();
    const l = liteLlm(f, { teams: [{ name: 'support' }] });
    // WHEN
    l.addModel(LiteLlmModel.bedrock('claude', { modelId: CLAUDE, region: 'us-east-1' }));
    l.addFallbacks('llama', ['claude']);
    l.addTeam({ name: 'research', models: ['claude'] });
    // THEN
    expect(config(l).router_settings.fallbacks).toEqual([{ llama: ['claude'] }]);
    expect(JSON.parse(find(objects(l.component), 'ConfigMap', 'litellm-teams').data['teams.json']))
      .toEqual([{ team_alias: 'support' }, { team_alias: 'research', models: ['claude'] }]);
    expect(computePrerequisites(f.platform.definition).map((p) => p.name)).toContain('register 2 LiteLLM team(s)');
  });

  test('a platform team given after the proxy was created', () => {
    // GIVEN
    const f = fixture();
    const l = f.platform.gateway.addLiteLlm({ models: [LiteLlmModel.selfHosted('llama', f.llama)] });
    // WHEN
    const team = f.platform.teams.add({ name: 'team-a', liteLlm: { maxBudgetUsd: 100, budgetDuration: Duration.days(7) } });
    l.addTeam(team.liteLlmTeam());
    // THEN
    expect(l.teamRequests).toEqual([{ team_alias: 'team-a', max_budget: 100, budget_duration: '7d' }]);
  });

  test('errors of the add methods', () => {
    // GIVEN
    const f = fixture();
    const l = liteLlm(f, { routing: { fallbacks: { llama: ['llama-b'] } }, models: [LiteLlmModel.selfHosted('llama', f.llama), LiteLlmModel.selfHosted('llama-b', f.llama)] });
    // WHEN / THEN
    expect(() => l.addModel(LiteLlmModel.bedrock('llama', { modelId: CLAUDE, region: 'us-east-1' })))
      .toThrow("model name 'llama' is used by two models (hosted_vllm, bedrock); give them one name only in a load-balancing group (loadBalance: true)");
    expect(() => l.addFallbacks('llama', ['llama-b'])).toThrow("fallbacks of model 'llama' are already set");
    expect(() => l.addFallbacks('llama-b', [])).toThrow("fallbacks of model 'llama-b' must name at least one model");
    expect(() => l.addFallbacks('llama-b', ['llama-b'])).toThrow("model 'llama-b' cannot be its own fallback");
    expect(() => l.addFallbacks('gpt', ['llama'])).toThrow("'routing.fallbacks' names model 'gpt', which is not a model of this LiteLLM");
    l.addTeam({ name: 'a' });
    expect(() => l.addTeam({ name: 'a' })).toThrow("team name 'a' is used twice");
    expect(() => l.addTeam({ name: 'b', models: ['gpt'] })).toThrow("team 'b' allows model 'gpt', which is not a model of this LiteLLM");
    l.addModel(LiteLlmModel.openAi('gpt', { model: 'gpt-4.1', apiKeySecret: { name: 'open-ai', key: 'api-key' } }));
    expect(() => l.addModel(LiteLlmModel.openAi('gpt-2', { model: 'gpt-4.1', apiKeySecret: { name: 'open', key: 'ai-api-key' } })))
      .toThrow("secrets 'open-ai/api-key' and 'open/ai-api-key' map to one environment variable SECRET_OPEN_AI_API_KEY; rename one of them");
  });
});

describe('LiteLlm secrets', () => {
  test('no secret value in manifests or template', () => {
    const f = fixture();
    liteLlm(f, {
      models: allModels(f),
      langfuse: langfuseOf(f),
    });
    const manifests = JSON.stringify(f.platform.definition.components.flatMap((c) => ('toJson' in c ? objects(c as never) : [])));
    // Every template: the parent's and the nested stacks' that hold the manifests and values.
    const cfn = JSON.stringify([...assemblyTemplates(f.platform).values()].map((t) => t.json));
    for (const text of [manifests, cfn]) {
      // The only 'sk-' is the prefix the proxy prepends to the generated master key.
      expect(text.replace(/sk-\$\(MASTER_KEY_RAW\)|sk-lf-\{\{ \.sk \}\}|sk-lf-\$\(LANGFUSE_INIT_SK_RAW\)/g, '').match(/sk-.{0,20}/g)).toBeNull();
      expect(text.match(/"name":"(POSTGRES_PASSWORD|REDIS_PASSWORD|DB_PASSWORD|LITELLM_SALT_KEY|MASTER_KEY_RAW|SECRET_[A-Z_]+|LANGFUSE_(PUBLIC|SECRET)_KEY)","value"/g)).toBeNull();
      expect(text.match(/"SecretString"/g)).toBeNull();
      expect(text.match(/"kind":"Secret"/g)).toBeNull();
    }
    expect(manifests).toContain('litellm-config');
    expect(manifests).toContain('sk-$(MASTER_KEY_RAW)');
    expect(cfn).toContain('GenerateSecretString');
  });
});

describe('LiteLlm validation', () => {
  test.each<[string, (f: Fixture) => LiteLlmModel[] | (() => unknown), string]>([
    ['literal key as secret name', () => () => LiteLlmModel.openAi('gpt', { model: 'gpt-4.1', apiKeySecret: { name: 'sk-proj-abc123', key: 'api-key' } }),
      "API key of model 'gpt' must come from a Secret, not a literal value"],
    ['apiKey option', () => () => LiteLlmModel.anthropic('sonnet', { model: 'claude-sonnet-4-5', apiKeySecret: ANTHROPIC_KEY, apiKey: 'x' } as never),
      "API key of model 'sonnet' must come from a Secret, not a literal value"],
    ['string instead of a secret ref', () => () => LiteLlmModel.openAi('gpt', { model: 'gpt-4.1', apiKeySecret: 'sk-abc' } as never),
      "API key of model 'gpt' must come from a Secret, not a literal value"],
    ['Bedrock without region', () => () => LiteLlmModel.bedrock('claude', { modelId: CLAUDE } as never),
      `Bedrock model 'claude' (${CLAUDE}) needs a 'region'`],
  ])('%s', (_name, make, message) => {
    expect(make(fixture())).toThrow(message);
  });

  test('same name without a load-balancing group', () => {
    const f = fixture();
    expect(() => liteLlm(f, {
      models: [LiteLlmModel.selfHosted('chat', f.llama), LiteLlmModel.bedrock('chat', { modelId: CLAUDE, region: 'us-east-1', loadBalance: true })],
    })).toThrow("model name 'chat' is used by two models (hosted_vllm, bedrock); give them one name only in a load-balancing group (loadBalance: true)");
  });

  test('fallback to an unknown model', () => {
    const f = fixture();
    expect(() => liteLlm(f, { routing: { fallbacks: { llama: ['gpt-5'] } } }))
      .toThrow("fallback 'gpt-5' of model 'llama' is not a model of this LiteLLM");
  });

  test('fallbacks of an unknown model', () => {
    const f = fixture();
    expect(() => liteLlm(f, { routing: { fallbacks: { nope: ['llama'] } } }))
      .toThrow("'routing.fallbacks' names model 'nope', which is not a model of this LiteLLM");
  });

  test('team allowing an unknown model', () => {
    const f = fixture();
    expect(() => liteLlm(f, { teams: [{ name: 'a', models: ['gpt'] }] }))
      .toThrow("team 'a' allows model 'gpt', which is not a model of this LiteLLM");
  });

  test('replicas and autoscaling together', () => {
    const f = fixture();
    expect(() => liteLlm(f, { replicas: 2, autoscaling: { minReplicas: 1, maxReplicas: 3 } }))
      .toThrow("'replicas' (2) and 'autoscaling' are exclusive: the HorizontalPodAutoscaler sets the replicas");
  });

  test('no models by synthesis', () => {
    // GIVEN: a proxy without models is allowed until synthesis (models may be added later)
    const l = liteLlm(fixture(), { models: [] });
    // WHEN / THEN
    expect(() => objects(l.component)).toThrow("LiteLLM 'Test/LiteLlm' has no models: give 'models' or call addModel()");
  });

  test('literal password of an external database', () => {
    expect(() => LiteLlmDatabase.external({ host: 'db', database: 'llm', username: 'u', passwordSecret: { name: 'Sup3rSecretPassw0rdThatIsVeryLong123', key: 'password' } }))
      .toThrow('password of the LiteLLM database must come from a Secret, not a literal value');
  });

  test('langfuse url must be a URL', () => {
    const langfuse = { url: 'langfuse', keysSecret: () => ({ name: 'l', publicKeyKey: 'p', secretKeyKey: 's' }) };
    expect(() => liteLlm(fixture(), { langfuse }))
      .toThrow("'langfuse.url' (langfuse) must be an http:// or https:// URL without a trailing '/'");
  });

  test('langfuse without generated keys', () => {
    const f = fixture();
    const langfuse = f.platform.observability.addLangfuse();
    expect(() => liteLlm(f, { langfuse })).toThrow(
      "Langfuse has no generated API keys to hand out: set 'initialization' ({ organization, project }) on the Langfuse construct");
  });

  test('virtual key errors', () => {
    const f = fixture();
    const l = liteLlm(f);
    const consumer = new KubernetesComponent(f.platform.definition, 'Consumer', { name: 'consumer', namespace: 'team-a', stage: Stage.WORKLOADS, description: 'test' });
    const bare = new KubernetesComponent(f.platform.definition, 'Bare', { name: 'bare', stage: Stage.WORKLOADS, description: 'test' });
    expect(() => l.addVirtualKey(consumer, { alias: '-judge' })).toThrow(
      "virtual key alias '-judge' must be 1-200 letters, digits, '-', '_' or '.', starting with a letter or digit");
    expect(() => l.addVirtualKey(consumer, { alias: 'judge', models: ['gpt'] })).toThrow(
      "virtual key 'judge' allows model 'gpt', which is not a model of this LiteLLM");
    expect(() => l.addVirtualKey(bare, { alias: 'judge' })).toThrow(
      "virtual key 'judge' needs a 'namespace': set it, or call addVirtualKey with a scope in a component that has one");
    l.addVirtualKey(consumer, { alias: 'judge' });
    expect(() => l.addVirtualKey(consumer, { alias: 'judge' })).toThrow("virtual key alias 'judge' is used twice");
  });
});

describe('LiteLlm schema', () => {
  test('every emitted object is valid', () => {
    const f = fixture();
    const l = liteLlm(f, {
      models: allModels(f),
      teams: [{ name: 'research', maxBudgetUsd: 10, models: ['llama'] }],
      langfuse: langfuseOf(f),
      serviceMonitor: true,
      autoscaling: { minReplicas: 2, maxReplicas: 4, cpuUtilization: 60 },
    });
    expectValidK8sObjects(objects(l.component));
    const external = fixture();
    const e = liteLlm(external, {
      database: LiteLlmDatabase.external({ host: 'db.example.internal', database: 'llm', username: 'proxy', passwordSecret: { name: 'litellm-db', key: 'password' } }),
    });
    expectValidK8sObjects(objects(e.component));
  });
});
