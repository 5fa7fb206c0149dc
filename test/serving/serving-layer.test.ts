import { Annotations as CdkAnnotations, Match, Template } from 'aws-cdk-lib/assertions';
import {
  GpuModel, GpuNodePool, GpuNodePoolOptions, KubernetesComponent, KvCacheDType, ModelOptions, ModelSource, ModelSpec, PlatformReport, PlatformStack,
  Stage, VllmModel, WeightDType,
} from '../../lib';
import { expectValidK8sObjects } from '../k8s-schema';
import { find, objects, testPlatform } from '../util';

const L40S_POOL: GpuNodePoolOptions = { gpus: [GpuModel.L40S], limits: { gpus: 64 } };
const H100_POOL: GpuNodePoolOptions = { gpus: [GpuModel.H100], limits: { gpus: 16 } };
const P5_EFA_POOL: GpuNodePoolOptions = { instanceTypes: ['p5.48xlarge'], efa: true, limits: { gpus: 64 } };

/** Llama 3.1 405B Instruct, bf16 (config.json: 126 layers, hidden 16384, 128 heads, 8 KV heads, 131072 context). */
const LLAMA_405B_PROPS = {
  name: 'Llama 3.1 405B', huggingFaceRepo: 'meta-llama/Llama-3.1-405B-Instruct', parameters: 405.9e9,
  layers: 126, hiddenSize: 16384, attentionHeads: 128, kvHeads: 8, weightDType: WeightDType.BF16, maxContextLength: 131072,
};
const LLAMA_405B = ModelSpec.custom(LLAMA_405B_PROPS);

const LLAMA_EXPLANATION = 'Llama 3.1 8B (bf16, 15.0 GiB weights) at 32768 tokens x 16 sequences needs 32.0 GiB fp8 KV cache; '
  + 'cheapest fit: g6e.12xlarge TP=2 PP=1 (2 x L40S 44.7 GiB, $10.49/h)';

interface Fixture {
  readonly platform: PlatformStack;
  readonly pool: GpuNodePool;
}

/** A test platform with one L40S pool `l40s` (or `poolOptions`). */
function withPool(poolOptions: GpuNodePoolOptions = L40S_POOL, poolId = 'l40s'): Fixture {
  const platform = testPlatform();
  return { platform, pool: platform.gpu.addNodePool(poolId, poolOptions) };
}

/** Adds Llama 3.1 8B named `llama` (id `Llama`) on `pools`; `options` override. */
function addLlama(f: Fixture, options: Partial<ModelOptions> = {}): VllmModel {
  return f.platform.serving.addModel('Llama', { name: 'llama', spec: ModelSpec.LLAMA_3_1_8B, pools: [f.pool], ...options });
}

/** The instance type the model's pods select. */
function instanceTypeOf(platform: PlatformStack, model: VllmModel): string {
  const deployment = find(objects(platform.serving.componentOf(model)), 'Deployment', model.workloadName);
  return deployment.spec.template.spec.nodeSelector['node.kubernetes.io/instance-type'];
}

/** The info messages recorded on the serving layer. */
function infosOf(platform: PlatformStack): unknown[] {
  return platform.serving.node.metadata.filter((m) => m.type === 'aws:cdk:info').map((m) => m.data);
}

describe('ServingLayer', () => {
  describe('sizing', () => {
    test('Llama 3.1 8B on an L40S pool: g6e.12xlarge, TP=2 (one L40S holds 36 GiB; it needs 15 GiB + 32 GiB)', () => {
      // GIVEN
      const f = withPool();

      // WHEN
      const model = addLlama(f);

      // THEN
      const layout = f.platform.serving.layoutOf(model)!;
      expect([layout.instanceType.name, layout.tensorParallelSize, layout.pipelineParallelSize]).toEqual(['g6e.12xlarge', 2, 1]);
      expect([model.tensorParallelSize, model.pipelineParallelSize]).toEqual([2, 1]);
      expect(model.pool).toBe(f.pool);
      expect(instanceTypeOf(f.platform, model)).toBe('g6e.12xlarge');
    });

    test('Qwen3 32B on an L40S pool: g6e.12xlarge, TP=4', () => {
      // GIVEN
      const f = withPool();

      // WHEN
      const model = f.platform.serving.addModel('Qwen', { name: 'qwen', spec: ModelSpec.QWEN3_32B, pools: [f.pool] });

      // THEN
      const layout = f.platform.serving.layoutOf(model)!;
      expect([layout.instanceType.name, layout.tensorParallelSize, layout.pipelineParallelSize]).toEqual(['g6e.12xlarge', 4, 1]);
      expect(model.tensorParallelSize).toBe(4);
      expect(model.contextLength).toBe(32768);
      expect(instanceTypeOf(f.platform, model)).toBe('g6e.12xlarge');
    });

    test('contextLength and concurrency are what is sized: 8192 tokens x 4 sequences fit one L40S (g6e.xlarge)', () => {
      // GIVEN
      const f = withPool();

      // WHEN
      const model = addLlama(f, { contextLength: 8192, concurrency: 4 });

      // THEN
      const layout = f.platform.serving.layoutOf(model)!;
      expect([layout.instanceType.name, layout.tensorParallelSize]).toEqual(['g6e.xlarge', 1]);
      expect(layout.maxConcurrentSequencesAtContext).toBeGreaterThanOrEqual(4);
    });

    test('kvCacheDType AUTO sizes a 16-bit KV cache (twice the memory): TP=4', () => {
      // GIVEN
      const f = withPool();

      // WHEN
      const model = addLlama(f, { kvCacheDType: KvCacheDType.AUTO });

      // THEN
      expect(f.platform.serving.layoutOf(model)!.tensorParallelSize).toBe(4);
      expect(f.platform.serving.layoutOf(model)!.explanation).toContain('needs 64.0 GiB KV cache');
    });

    test('gpuMemoryUtilization is what is sized: at 0.5 Llama 3.1 8B needs TP=4', () => {
      // GIVEN
      const f = withPool();

      // WHEN
      const model = addLlama(f, { gpuMemoryUtilization: 0.5 });

      // THEN
      expect(f.platform.serving.layoutOf(model)!.tensorParallelSize).toBe(4);
    });

    test('the cheapest layout over all pools wins, and the model runs on the pool that has it', () => {
      // GIVEN
      const platform = testPlatform();
      const l40s = platform.gpu.addNodePool('l40s', L40S_POOL);
      const h100 = platform.gpu.addNodePool('h100', H100_POOL);

      // WHEN
      const model = platform.serving.addModel('Llama', { name: 'llama', spec: ModelSpec.LLAMA_3_1_8B, pools: [l40s, h100] });

      // THEN (p5.4xlarge, 1 x H100 at $6.88/h, is cheaper than g6e.12xlarge at $10.49/h)
      expect(platform.serving.layoutOf(model)!.instanceType.name).toBe('p5.4xlarge');
      expect(model.pool).toBe(h100);
      expect(find(objects(platform.serving.componentOf(model)), 'Deployment', 'llama').spec.template.spec.nodeSelector)
        .toEqual({ 'agentic-eks.io/gpu-pool': 'h100', 'node.kubernetes.io/instance-type': 'p5.4xlarge' });
    });

    test('a model too large for one node is spread over EFA nodes: 2 x p5.48xlarge, TP=8 PP=2', () => {
      // GIVEN
      const f = withPool(P5_EFA_POOL, 'p5');

      // WHEN
      const model = f.platform.serving.addModel('Llama405b', { name: 'llama-405b', spec: LLAMA_405B, pools: [f.pool] });

      // THEN
      const layout = f.platform.serving.layoutOf(model)!;
      expect([layout.instanceType.name, layout.tensorParallelSize, layout.pipelineParallelSize, layout.nodes])
        .toEqual(['p5.48xlarge', 8, 2, 2]);
      expect(layout.explanation).toBe('Llama 3.1 405B (bf16, 756.0 GiB weights) at 32768 tokens x 16 sequences needs 126.0 GiB '
        + 'fp8 KV cache; cheapest fit: 2 x p5.48xlarge TP=8 PP=2 (16 x H100 80 GiB, $110.08/h)');
    });

    test('tensorParallelSize skips sizing and picks the cheapest instance type whose GPUs it divides', () => {
      // GIVEN
      const f = withPool();

      // WHEN
      const model = addLlama(f, { tensorParallelSize: 4 });

      // THEN
      expect(f.platform.serving.layoutOf(model)).toBeUndefined();
      expect([model.tensorParallelSize, model.pipelineParallelSize]).toEqual([4, 1]);
      expect(instanceTypeOf(f.platform, model)).toBe('g6e.12xlarge');
      // The report evaluates the given layout: TP=4 on g6e.12xlarge holds 64 sequences of 32768 tokens
      const reported = PlatformReport.of(f.platform.definition).data.models[0];
      expect([reported.layoutChosenBy, reported.tensorParallelSize, reported.concurrentSequencesPerReplica]).toEqual(['given', 4, 64]);
      expect(reported.explanation).toBe('Llama 3.1 8B (bf16, 15.0 GiB weights) at 32768 tokens x 16 sequences needs 32.0 GiB fp8 KV '
        + 'cache; given layout: g6e.12xlarge TP=4 PP=1 (4 x L40S 44.7 GiB, $10.49/h), holds 64 sequences');
      expect(reported.runnersUp).toEqual([]);
    });
  });

  describe('explanation', () => {
    test('each sized model\'s decision goes to the platform report, in the order the models were added', () => {
      // GIVEN
      const f = withPool();

      // WHEN
      addLlama(f);
      f.platform.serving.addModel('Qwen', { name: 'qwen', spec: ModelSpec.QWEN3_32B, pools: [f.pool] });

      // THEN
      const models = PlatformReport.of(f.platform.definition).data.models;
      expect(models.map((m) => [m.name, m.layoutChosenBy, m.explanation])).toEqual([
        ['llama', 'sizing', LLAMA_EXPLANATION],
        ['qwen', 'sizing', 'Qwen3 32B (bf16, 61.1 GiB weights) at 32768 tokens x 16 sequences needs 64.0 GiB fp8 KV cache; '
          + 'cheapest fit: g6e.12xlarge TP=4 PP=1 (4 x L40S 44.7 GiB, $10.49/h)'],
      ]);
    });

    test('the serving layer records no info annotation per model (the stack carries one summary)', () => {
      // GIVEN
      const f = withPool();

      // WHEN
      addLlama(f);

      // THEN
      expect(infosOf(f.platform)).toEqual([]);
      CdkAnnotations.fromStack(f.platform).hasNoInfo('/Test/Serving', Match.anyValue());
    });
  });

  describe('components', () => {
    test('each model is its own component model-<name> at the workloads stage', () => {
      // GIVEN
      const f = withPool();

      // WHEN
      const model = addLlama(f);

      // THEN
      const component = f.platform.serving.componentOf(model);
      expect(KubernetesComponent.isKubernetesComponent(component)).toBe(true);
      expect([component.componentName, component.stage, component.namespace]).toEqual(['model-llama', Stage.WORKLOADS, 'models']);
      expect(component.description).toBe('vLLM model Llama 3.1 8B (llama) on NodePool l40s');
      expect(component.node.path).toBe('ModelLlama');
      expect(model.node.path).toBe('ModelLlama/Resource');
    });

    test('a model component depends on the namespaces component, which declares its namespace', () => {
      // GIVEN
      const f = withPool();

      // WHEN
      const model = addLlama(f);

      // THEN
      const deps = f.platform.serving.componentOf(model).dependencies;
      expect(deps.map((d) => d.componentName)).toEqual(['namespaces', 'hf-tokens']);
      expect(objects(deps[0] as KubernetesComponent)).toContainEqual({
        apiVersion: 'v1', kind: 'Namespace',
        metadata: { name: 'models', labels: expect.objectContaining({ 'pod-security.kubernetes.io/enforce': 'restricted' }) },
      });
    });

    test('namespace puts the component in that namespace', () => {
      // GIVEN
      const f = withPool();

      // WHEN
      const model = addLlama(f, { namespace: 'ml' });

      // THEN
      expect(f.platform.serving.componentOf(model).namespace).toBe('ml');
      expect(f.platform.definition.sharedNamespaces).toEqual(['ml']);
    });

    test('two models are two components, applied after the namespaces', () => {
      // GIVEN
      const f = withPool();

      // WHEN
      addLlama(f);
      f.platform.serving.addModel('Qwen', { name: 'qwen', spec: ModelSpec.QWEN3_32B, pools: [f.pool] });

      // THEN
      const names = f.platform.definition.components.map((c) => c.componentName);
      expect(names).toEqual(expect.arrayContaining(['namespaces', 'model-llama', 'model-qwen']));
      expect(names.indexOf('namespaces')).toBeLessThan(names.indexOf('model-llama'));
      expect(names.indexOf('model-llama')).toBeLessThan(names.indexOf('model-qwen'));
    });

    test('modelList returns the models in order, as a copy', () => {
      // GIVEN
      const f = withPool();
      const llama = addLlama(f);
      const qwen = f.platform.serving.addModel('Qwen', { name: 'qwen', spec: ModelSpec.QWEN3_32B, pools: [f.pool] });

      // WHEN
      const list = f.platform.serving.modelList;
      list.pop();

      // THEN
      expect(f.platform.serving.modelList).toEqual([llama, qwen]);
    });
  });

  describe('errors', () => {
    test('a model that fits no pool (sizing\'s message)', () => {
      // GIVEN
      const f = withPool({ instanceTypes: ['g6e.xlarge'], limits: { gpus: 4 } }, 'small');

      // WHEN / THEN
      expect(() => addLlama(f, { spec: ModelSpec.LLAMA_3_1_70B })).toThrow(
        'no GPU pool can hold Llama 3.1 70B (bf16) at context 32768 x concurrency 16: it needs 131.5 GiB of weights '
        + '+ 80.0 GiB of KV cache; the largest option offers 36.0 GiB (g6e.xlarge, 1 node)');
    });

    test('a tensor-parallel size that divides the GPUs of no instance type', () => {
      // GIVEN
      const f = withPool();

      // WHEN / THEN
      expect(() => addLlama(f, { tensorParallelSize: 3 }))
        .toThrow("'tensorParallelSize' (3) must divide the GPUs per node (8) of NodePool 'l40s'");
    });

    test('a context above the model\'s maximum', () => {
      // GIVEN
      const f = withPool();

      // WHEN / THEN
      expect(() => addLlama(f, { contextLength: 200000 }))
        .toThrow("'contextLength' (200000) is above the model's maximum context (131072) of Llama 3.1 8B");
      expect(() => f.platform.serving.addModel('Qwen', { name: 'qwen', spec: ModelSpec.QWEN3_32B, pools: [f.pool], contextLength: 65536 }))
        .toThrow("'contextLength' (65536) is above the model's maximum context (40960) of Qwen3 32B");
    });

    test('minReplicas above maxReplicas', () => {
      // GIVEN
      const f = withPool();

      // WHEN / THEN
      expect(() => addLlama(f, { autoscaling: { minReplicas: 5, maxReplicas: 2 } }))
        .toThrow("'minReplicas' (5) is above 'maxReplicas' (2) for model 'meta-llama/Llama-3.1-8B-Instruct'");
    });

    test.each([
      ['no scaleToZero', undefined],
      ['a blank activation query', { activationQuery: '  ', activationThreshold: 0 }],
    ])('scale to zero with %s', (_case, scaleToZero) => {
      // GIVEN
      const f = withPool();

      // WHEN / THEN
      expect(() => addLlama(f, { autoscaling: { minReplicas: 0, maxReplicas: 2, scaleToZero } })).toThrow(
        "'minReplicas' 0 of model 'meta-llama/Llama-3.1-8B-Instruct' needs 'scaleToZero.activationQuery': "
        + 'vLLM exports no metrics while no pod runs, so KEDA would never scale up again');
    });

    test('no pools', () => {
      // GIVEN
      const f = withPool();

      // WHEN / THEN
      expect(() => addLlama(f, { pools: [] })).toThrow("model 'llama' needs at least one GPU pool in 'pools'");
    });

    test.each([0, 1, 1.2])('gpuMemoryUtilization %d', (gpuMemoryUtilization) => {
      // GIVEN
      const f = withPool();

      // WHEN / THEN
      expect(() => addLlama(f, { gpuMemoryUtilization }))
        .toThrow(`'gpuMemoryUtilization' (${gpuMemoryUtilization}) must be greater than 0 and less than 1`);
    });

    test('a concurrency below 1', () => {
      // GIVEN
      const f = withPool();

      // WHEN / THEN
      expect(() => addLlama(f, { concurrency: 0 })).toThrow("'concurrency' (0) must be an integer >= 1");
    });
  });

  test('every emitted object is valid against its schema (strict, with CEL)', () => {
    // GIVEN
    const platform = testPlatform();
    const l40s = platform.gpu.addNodePool('l40s', L40S_POOL);
    const p5 = platform.gpu.addNodePool('p5', P5_EFA_POOL);

    // WHEN
    const models = [
      platform.serving.addModel('Llama', { name: 'llama', spec: ModelSpec.LLAMA_3_1_8B, pools: [l40s], autoscaling: { maxReplicas: 4 } }),
      platform.serving.addModel('Qwen', { name: 'qwen', spec: ModelSpec.QWEN3_32B, pools: [l40s], namespace: 'ml' }),
      platform.serving.addModel('Llama405b', { name: 'llama-405b', spec: LLAMA_405B, pools: [p5], autoscaling: { maxReplicas: 2 } }),
    ];
    const components = models.map((m) => platform.serving.componentOf(m));
    const namespaces = components[0].dependencies.find((d) => d.componentName === 'namespaces') as KubernetesComponent;
    const objs = [...components.flatMap((c) => objects(c)), ...objects(namespaces)];

    // THEN
    expect(objs.filter((o) => o.kind === 'Namespace').map((o) => (o.metadata as { name: string }).name).sort()).toEqual(['external-secrets', 'gpu-operator', 'keda', 'lws-system', 'ml', 'models', 'monitoring']);
    expectValidK8sObjects(objs);
  });
});

describe('ServingLayer: layouts stay within what the pools can do', () => {
  test('a model too big for one node is not spread over a pool without EFA', () => {
    // GIVEN a plain L40S pool (g6e types have EFA hardware, but the pool does not declare it)
    const f = withPool(L40S_POOL);
    // WHEN / THEN
    expect(() => f.platform.serving.addModel('Big', {
      name: 'big', spec: ModelSpec.LLAMA_3_1_70B, pools: [f.pool], contextLength: 131072, concurrency: 16,
    })).toThrow(/^no GPU pool can hold Llama 3\.1 70B \(bf16\) at context 131072 x concurrency 16/);
  });

  test('an explicit tensorParallelSize must still fit in memory', () => {
    const f = withPool(L40S_POOL);
    expect(() => f.platform.serving.addModel('Big', {
      name: 'big', spec: ModelSpec.LLAMA_3_1_70B, pools: [f.pool], tensorParallelSize: 1,
    })).toThrow(/^no GPU pool can hold Llama 3\.1 70B \(bf16\) at context 32768 x concurrency 16/);
  });

  test('a model name too long for its component', () => {
    const f = withPool(L40S_POOL);
    const name = 'a'.repeat(58);
    expect(() => addLlama(f, { name }))
      .toThrow(`'name' (${name}) of a model must be a DNS label of at most 57 characters (its component is 'model-<name>')`);
  });

  test('extraArgs may not override what sizing and routing rely on', () => {
    const f = withPool(L40S_POOL);
    expect(() => addLlama(f, { extraArgs: ['--max-model-len', '1000'] }))
      .toThrow("'extraArgs' of model 'llama' sets --max-model-len, which the library derives; use the matching prop");
  });
});

describe('ServingLayer: identities and secrets of model sources', () => {
  test('a Hugging Face token Secret is materialized from <cluster>/<namespace>/<secret> by External Secrets', () => {
    const f = withPool(L40S_POOL);
    const model = addLlama(f, { source: ModelSource.fromHuggingFace('meta-llama/Llama-3.1-8B-Instruct', { tokenSecret: { name: 'hf-token' } }) });
    const tokens = f.platform.serving.huggingFaceTokens!;
    const es = find(objects(tokens), 'ExternalSecret', 'hf-token');
    expect(es.metadata.namespace).toBe('models');
    expect(f.platform.serving.componentOf(model).dependencies).toContain(tokens);
    expect(es.spec.data).toEqual([{ secretKey: 'HF_TOKEN', remoteRef: { key: 'test/models/hf-token', property: 'HF_TOKEN' } }]);
    expect(es.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'aws-secrets-manager' });
  });

  test('an S3 source gets a Pod Identity role for the model ServiceAccount that reads only its prefix', () => {
    const f = withPool(L40S_POOL);
    addLlama(f, { source: ModelSource.fromS3('my-models', 'llama-8b') });
    const t = Template.fromStack(f.platform);
    t.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'models', ServiceAccount: 'llama' });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 's3:GetObject', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::my-models/llama-8b/*']] } }),
          Match.objectLike({ Action: 's3:ListBucket', Condition: { StringLike: { 's3:prefix': ['llama-8b/*'] } } }),
        ]),
      },
    });
  });

  describe('the platform\'s default Hugging Face token', () => {
    const GATED_MESSAGE = "'source' of model 'llama' (meta-llama/Llama-3.1-8B-Instruct) is gated on Hugging Face and needs a token: "
      + "set the platform's 'serving.huggingFaceToken' or pass ModelSource.fromHuggingFace('meta-llama/Llama-3.1-8B-Instruct', { tokenSecret })";

    /** A platform without a default token (the test platform has one), with an L40S pool. */
    function withoutDefaultToken(): Fixture {
      const platform = testPlatform({ serving: {} });
      return { platform, pool: platform.gpu.addNodePool('l40s', L40S_POOL) };
    }

    test('every Hugging Face model without its own token reads the default one (HF_TOKEN from Secret hf-token)', () => {
      // GIVEN
      const f = withPool(L40S_POOL);

      // WHEN
      const qwen = f.platform.serving.addModel('Qwen', { name: 'qwen', spec: ModelSpec.QWEN3_32B, pools: [f.pool] });

      // THEN
      expect(qwen.source.tokenSecret).toEqual({ name: 'hf-token', key: 'HF_TOKEN' });
      const deployment = find(objects(f.platform.serving.componentOf(qwen)), 'Deployment', 'qwen');
      expect(deployment.spec.template.spec.containers[0].env)
        .toContainEqual({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'HF_TOKEN' } } });
    });

    test('one ExternalSecret per namespace, shared by the models there, in the hf-tokens component', () => {
      // GIVEN
      const f = withPool(L40S_POOL);

      // WHEN
      addLlama(f);
      f.platform.serving.addModel('Qwen', { name: 'qwen', spec: ModelSpec.QWEN3_32B, pools: [f.pool] });
      f.platform.serving.addModel('Other', { name: 'other', namespace: 'team-a', spec: ModelSpec.QWEN3_32B, pools: [f.pool] });

      // THEN
      const tokens = f.platform.serving.huggingFaceTokens!;
      expect([tokens.componentName, tokens.stage]).toEqual(['hf-tokens', Stage.CONFIGURATION]);
      const secrets = objects(tokens).filter((o) => o.kind === 'ExternalSecret') as Record<string, any>[];
      expect(secrets.map((e) => [e.metadata.namespace, e.metadata.name, e.spec.data[0].remoteRef.key])).toEqual([
        ['models', 'hf-token', 'test/models/hf-token'],
        ['team-a', 'hf-token', 'test/team-a/hf-token'],
      ]);
      for (const model of f.platform.serving.modelList) {
        expect(objects(f.platform.serving.componentOf(model)).filter((o) => o.kind === 'ExternalSecret')).toEqual([]);
      }
      expect(tokens.dependencies).toContain(f.platform.secrets.store);
      expectValidK8sObjects(objects(tokens));
    });

    test('a model naming its own token keeps it', () => {
      // GIVEN
      const f = withPool(L40S_POOL);

      // WHEN
      const model = addLlama(f, { source: ModelSource.fromHuggingFace('meta-llama/Llama-3.1-8B-Instruct', { tokenSecret: { name: 'llama-token', key: 'token' } }) });

      // THEN
      expect(model.source.tokenSecret).toEqual({ name: 'llama-token', key: 'token' });
      expect(find(objects(f.platform.serving.huggingFaceTokens!), 'ExternalSecret', 'llama-token').spec.data)
        .toEqual([{ secretKey: 'token', remoteRef: { key: 'test/models/llama-token', property: 'token' } }]);
    });

    test('S3 and PVC sources get no token', () => {
      // GIVEN
      const f = withPool(L40S_POOL);

      // WHEN
      const model = addLlama(f, { source: ModelSource.fromS3('my-models', 'llama-8b') });

      // THEN
      expect(model.source.tokenSecret).toBeUndefined();
      expect(f.platform.serving.huggingFaceTokens).toBeUndefined();
    });

    test('a gated model without any token is refused', () => {
      // GIVEN
      const f = withoutDefaultToken();

      // WHEN / THEN
      expect(() => addLlama(f)).toThrow(GATED_MESSAGE);
    });

    test('a gated model with its own token, or from another repository or S3, is accepted without a default', () => {
      // GIVEN
      const f = withoutDefaultToken();

      // WHEN / THEN
      const add = (id: string, source: ModelSource) =>
        f.platform.serving.addModel(id, { name: id.toLowerCase(), spec: ModelSpec.LLAMA_3_1_8B, pools: [f.pool], source });
      expect(() => add('Own', ModelSource.fromHuggingFace('meta-llama/Llama-3.1-8B-Instruct', { tokenSecret: { name: 'hf' } }))).not.toThrow();
      expect(() => add('Fp8', ModelSource.fromHuggingFace('RedHatAI/Meta-Llama-3.1-8B-Instruct-FP8'))).not.toThrow();
      expect(() => add('S3', ModelSource.fromS3('my-models', 'llama-8b'))).not.toThrow();
    });

    test('an ungated model needs no token', () => {
      // GIVEN
      const f = withoutDefaultToken();

      // WHEN
      const qwen = f.platform.serving.addModel('Qwen', { name: 'qwen', spec: ModelSpec.QWEN3_32B, pools: [f.pool] });

      // THEN
      expect(qwen.source.tokenSecret).toBeUndefined();
    });

    test('a custom spec marked gated is refused without a token', () => {
      // GIVEN
      const f = withoutDefaultToken();
      const spec = ModelSpec.custom({ ...LLAMA_405B_PROPS, name: 'Mine', huggingFaceRepo: 'me/mine', gated: true });

      // WHEN / THEN
      expect(() => f.platform.serving.addModel('Mine', { name: 'mine', spec, pools: [f.pool], contextLength: 4096 }))
        .toThrow("'source' of model 'mine' (me/mine) is gated on Hugging Face and needs a token: set the platform's 'serving.huggingFaceToken' or pass ModelSource.fromHuggingFace('me/mine', { tokenSecret })");
    });

    test('one Secret used with two keys is refused', () => {
      // GIVEN
      const f = withPool(L40S_POOL);
      addLlama(f, { source: ModelSource.fromHuggingFace('meta-llama/Llama-3.1-8B-Instruct', { tokenSecret: { name: 'hf-token', key: 'token' } }) });

      // WHEN / THEN
      expect(() => f.platform.serving.addModel('Qwen', { name: 'qwen', spec: ModelSpec.QWEN3_32B, pools: [f.pool] }))
        .toThrow("Hugging Face token Secret 'hf-token' in namespace 'models' is used with key 'token' and key 'HF_TOKEN': one Secret, one key");
    });

    test('the default token Secret name must be a DNS subdomain', () => {
      // GIVEN / WHEN / THEN
      expect(() => testPlatform({ serving: { huggingFaceToken: { secretName: 'HF_Token' } } }))
        .toThrow(/^'huggingFaceToken.secretName' \(HF_Token\) /);
    });
  });
});

describe('ServingLayer: autoscaling queries select only the target\'s pods', () => {
  test('two models serving the same name in one namespace scale on their own queues', () => {
    // GIVEN
    const f = withPool(L40S_POOL);
    const autoscaling = { minReplicas: 1, maxReplicas: 4 };

    // WHEN
    const bf16 = addLlama(f, { name: 'llama-bf16', autoscaling });
    const fp8 = f.platform.serving.addModel('Fp8', {
      name: 'llama-fp8', spec: ModelSpec.LLAMA_3_1_8B.withWeightDType(WeightDType.FP8),
      servedModelName: bf16.servedModelName, pools: [f.pool], autoscaling,
    });

    // THEN
    const queryOf = (m: VllmModel) =>
      find(objects(f.platform.serving.componentOf(m)), 'ScaledObject', m.workloadName).spec.triggers[0].metadata.query;
    expect(queryOf(bf16)).toBe('sum(vllm:num_requests_waiting{namespace="models",service="llama-bf16",model_name="meta-llama/Llama-3.1-8B-Instruct"})');
    expect(queryOf(fp8)).toBe('sum(vllm:num_requests_waiting{namespace="models",service="llama-fp8",model_name="meta-llama/Llama-3.1-8B-Instruct"})');
  });

  test('the service label of the query is the Service the model\'s ServiceMonitor scrapes', () => {
    // GIVEN
    const f = withPool(L40S_POOL);

    // WHEN
    const model = addLlama(f, { autoscaling: { maxReplicas: 2 } });

    // THEN
    const objs = objects(f.platform.serving.componentOf(model));
    const monitor = find(objs, 'ServiceMonitor', 'llama');
    const service = objs.find((o) => o.kind === 'Service') as Record<string, any>;
    expect(service.metadata.labels).toEqual(expect.objectContaining(monitor.spec.selector.matchLabels));
    expect(monitor.spec.jobLabel).toBeUndefined();
    expect(find(objs, 'ScaledObject', 'llama').spec.triggers[0].metadata.query).toContain(`service="${service.metadata.name}"`);
  });
});
