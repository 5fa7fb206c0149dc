import { Match, Template } from 'aws-cdk-lib/assertions';
import { DatasetSource, FineTuneMethod, FineTuneOutput, FineTuneOutputKind, LiteLlmModel, loraAdapterParameters, LoraAdapter, LoraAdapterSourceKind, ModelSource, ModelSpec, NetworkFlows, resolveLoraServing, WeightDType } from '../../lib';
import { evaluatePlatformChecks } from '../../lib/checks/run';
import { expectValidK8sObjects } from '../k8s-schema';
import { trainerPlatform } from '../training/fixtures';
import { allGitOpsObjects, find, objects } from '../util';

const LORA_OUTPUT: FineTuneOutput = {
  fineTuneName: 'support-lora', kind: FineTuneOutputKind.LORA_ADAPTER, baseModel: ModelSpec.LLAMA_3_1_8B,
  uri: 's3://ckpt-bucket/support-lora/hf', bucket: 'ckpt-bucket', prefix: 'support-lora/hf', loraRank: 16,
};
const FULL_OUTPUT: FineTuneOutput = {
  fineTuneName: 'llama70-full', kind: FineTuneOutputKind.FULL_WEIGHTS, baseModel: ModelSpec.LLAMA_3_1_70B,
  uri: 's3://ckpt-bucket/llama70/hf', bucket: 'ckpt-bucket', prefix: 'llama70/hf',
};

describe('LoraAdapter', () => {
  test('fromHuggingFace: vLLM loads the repository itself', () => {
    const a = LoraAdapter.fromHuggingFace('sql', 'org/sql-lora');
    expect(a.kind).toBe(LoraAdapterSourceKind.HUGGING_FACE);
    expect(a.path).toBe('org/sql-lora');
    expect(a.uri).toBe('org/sql-lora');
    expect(a.s3).toBeUndefined();
    expect(a.baseModel).toBeUndefined();
    expect(a.description).toBe("LoRA adapter 'sql' (org/sql-lora)");
  });

  test('fromS3: downloaded into /adapters/<name>/model, prefix without slashes', () => {
    const a = LoraAdapter.fromS3('support', 'ckpt-bucket', '/support-lora/hf/', { baseModel: ModelSpec.LLAMA_3_1_8B, rank: 32 });
    expect(a.kind).toBe(LoraAdapterSourceKind.S3);
    expect(a.uri).toBe('s3://ckpt-bucket/support-lora/hf');
    expect(a.path).toBe('/adapters/support/model');
    expect(a.s3).toEqual({ bucket: 'ckpt-bucket', prefix: 'support-lora/hf' });
    expect(a.rank).toBe(32);
    expect(a.baseModel).toBe(ModelSpec.LLAMA_3_1_8B);
  });

  test('fromFineTune: the fine-tune\'s adapter, named after it unless named', () => {
    const a = LoraAdapter.fromFineTune(LORA_OUTPUT);
    expect(a.name).toBe('support-lora');
    expect(a.uri).toBe('s3://ckpt-bucket/support-lora/hf');
    expect(a.rank).toBe(16);
    expect(a.baseModel).toBe(ModelSpec.LLAMA_3_1_8B);
    expect(a.fineTuneName).toBe('support-lora');
    expect(a.description).toBe("LoRA adapter 'support-lora' (fine-tune 'support-lora')");
    expect(LoraAdapter.fromFineTune(LORA_OUTPUT, { name: 'support' }).path).toBe('/adapters/support/model');
  });

  describe('errors', () => {
    test('full weights as an adapter', () => {
      expect(() => LoraAdapter.fromFineTune(FULL_OUTPUT)).toThrow(
        "fine-tune 'llama70-full' writes full weights, not a LoRA adapter: serve them with 'source: ModelSource.fromFineTune(...)' "
        + "and 'spec' Llama 3.1 70B (80 layers, hidden 8192, 64/8 heads)");
    });
    test('a bad name, repository, bucket, prefix or rank', () => {
      expect(() => LoraAdapter.fromHuggingFace('sql/x', 'org/sql')).toThrow(
        "LoRA adapter name (sql/x) must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
      expect(() => LoraAdapter.fromHuggingFace('sql', 'sql')).toThrow("Hugging Face repository (sql) of LoRA adapter 'sql' must look like 'org/name'");
      expect(() => LoraAdapter.fromS3('a', 'Bad_Bucket', 'x', { baseModel: ModelSpec.LLAMA_3_1_8B })).toThrow(
        "S3 bucket name (Bad_Bucket) of LoRA adapter 'a' is not a valid bucket name");
      expect(() => LoraAdapter.fromS3('a', 'bucket', '/', { baseModel: ModelSpec.LLAMA_3_1_8B })).toThrow(
        "S3 prefix of LoRA adapter 'a' must not be empty: the model's Pod Identity role is scoped to it");
      expect(() => LoraAdapter.fromHuggingFace('a', 'org/a', { rank: 0 })).toThrow("'rank' (0) of LoRA adapter 'a' must be an integer >= 1");
    });
  });
});

describe('resolveLoraServing', () => {
  const spec = ModelSpec.LLAMA_3_1_8B;
  test('no adapters: no LoRA', () => {
    expect(resolveLoraServing('m', spec, 'meta-llama/x', [])).toBeUndefined();
  });
  test('defaults: rank 64, one slot per adapter, slot memory from the adapter parameter count', () => {
    const s = resolveLoraServing('m', spec, 'x', [LoraAdapter.fromFineTune(LORA_OUTPUT), LoraAdapter.fromHuggingFace('sql', 'org/sql')])!;
    expect(s.maxLoraRank).toBe(64);
    expect(s.maxLoras).toBe(2);
    expect(s.bytesPerGpu).toBe(2 * loraAdapterParameters(spec, 64) * 2);
  });
  test('an adapter rank above 64 raises the default to the next value vLLM accepts', () => {
    const a = LoraAdapter.fromS3('big', 'bucket', 'big', { baseModel: spec, rank: 100 });
    expect(resolveLoraServing('m', spec, 'x', [a])!.maxLoraRank).toBe(128);
  });
  test('an FP8 checkpoint of the base model takes the adapter', () => {
    expect(resolveLoraServing('m', spec.withWeightDType(WeightDType.FP8), 'x', [LoraAdapter.fromFineTune(LORA_OUTPUT)])).toBeDefined();
  });
  describe('errors', () => {
    test('an adapter trained on another model', () => {
      expect(() => resolveLoraServing('qwen', ModelSpec.QWEN3_32B, 'x', [LoraAdapter.fromFineTune(LORA_OUTPUT)])).toThrow(
        "LoRA adapter 'support-lora' (fine-tune 'support-lora') was trained on Llama 3.1 8B (32 layers, hidden 4096, 32/8 heads), "
        + "but model 'qwen' serves Qwen3 32B (64 layers, hidden 5120, 64/8 heads): serve the adapter on a model of Llama 3.1 8B");
    });
    test('maxLoraRank below an adapter rank', () => {
      const a = LoraAdapter.fromS3('big', 'bucket', 'big', { baseModel: spec, rank: 32 });
      expect(() => resolveLoraServing('m', spec, 'x', [a], 16)).toThrow(
        "'maxLoraRank' (16) of model 'm' is below the rank (32) of LoRA adapter 'big' (s3://bucket/big)");
    });
    test('maxLoraRank vLLM refuses', () => {
      expect(() => resolveLoraServing('m', spec, 'x', [LoraAdapter.fromFineTune(LORA_OUTPUT)], 24)).toThrow(
        "'maxLoraRank' (24) of model 'm' must be one of 1, 8, 16, 32, 64, 128, 256, 320, 512 (vLLM's --max-lora-rank values)");
    });
  });
});

describe('ModelSource.fromFineTune', () => {
  test('full weights are an S3 source that remembers the fine-tune', () => {
    const s = ModelSource.fromFineTune(FULL_OUTPUT);
    expect(s.uri).toBe('s3://ckpt-bucket/llama70/hf');
    expect(s.s3).toEqual({ bucket: 'ckpt-bucket', prefix: 'llama70/hf' });
    expect(s.fineTune).toBe(FULL_OUTPUT);
  });
  test('a LoRA adapter is refused', () => {
    expect(() => ModelSource.fromFineTune(LORA_OUTPUT)).toThrow(
      "fine-tune 'support-lora' writes a LoRA adapter, not full weights: serve it with 'loraAdapters: [LoraAdapter.fromFineTune(...)]' "
      + 'on a model of Llama 3.1 8B (32 layers, hidden 4096, 32/8 heads)');
  });
});

describe('hand-off: a fine-tune\'s output served by the serving layer', () => {
  const COMMAND = ['/opt/Megatron-Bridge/examples/recipes/llama/finetune.py'];

  function loraServed() {
    const f = trainerPlatform();
    const ft = f.platform.training.addFineTuning('Lora', {
      name: 'support-lora', model: ModelSpec.LLAMA_3_1_8B, pool: f.l40s, command: COMMAND,
      dataset: DatasetSource.fromUri('s3://datasets-bucket/support/v1'), checkpoints: 's3://ckpt-bucket/support-lora',
    });
    const model = f.platform.serving.addModel('Support', {
      name: 'llama-8b-support', spec: ModelSpec.LLAMA_3_1_8B, pools: [f.l40s], contextLength: 8192, concurrency: 8,
      loraAdapters: [LoraAdapter.fromFineTune(ft.output, { name: 'support' })],
    });
    return { ...f, ft, model, objs: objects(f.platform.serving.componentOf(model)) };
  }

  test('GIVEN a LoRA fine-tune THEN its output is the adapter under <checkpoints>/hf, passed as OUTPUT_URI', () => {
    const { ft } = loraServed();
    expect(ft.output).toEqual({
      fineTuneName: 'support-lora', kind: FineTuneOutputKind.LORA_ADAPTER, baseModel: ModelSpec.LLAMA_3_1_8B,
      uri: 's3://ckpt-bucket/support-lora/hf', bucket: 'ckpt-bucket', prefix: 'support-lora/hf', loraRank: 16,
    });
    expect(ft.trainJob.toJson().spec.trainer.env).toContainEqual({ name: 'OUTPUT_URI', value: 's3://ckpt-bucket/support-lora/hf' });
  });

  test('GIVEN the adapter on a model THEN an init container downloads it and vLLM serves the local copy', () => {
    const { model, objs } = loraServed();
    const pod = find(objs, 'Deployment', 'llama-8b-support').spec.template.spec;
    expect(pod.initContainers).toEqual([{
      name: 'lora-0',
      image: 'ghcr.io/kubeflow/trainer/model-initializer:v2.3.0',
      command: ['sh', '-c',
        'python -m pkg.initializers.model && test -s /workspace/model/adapter_config.json && test -s /workspace/model/adapter_model.safetensors'],
      env: [{ name: 'STORAGE_URI', value: 's3://ckpt-bucket/support-lora/hf' }, { name: 'HOME', value: '/tmp' }],
      resources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { memory: '4Gi' } },
      volumeMounts: [{ name: 'lora-adapters', mountPath: '/workspace', subPath: 'support' }],
      securityContext: {
        allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 2000, runAsGroup: 0,
        capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
      },
    }]);
    expect(pod.volumes).toContainEqual({ name: 'lora-adapters', emptyDir: {} });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'lora-adapters', mountPath: '/adapters', readOnly: true });
    expect(model.args.slice(model.args.indexOf('--enable-lora'))).toEqual([
      '--enable-lora', '--max-lora-rank', '64', '--max-loras', '1', '--lora-modules', 'support=/adapters/support/model',
    ]);
    expect(model.lora).toEqual({ maxLoraRank: 64, maxLoras: 1, bytesPerGpu: loraAdapterParameters(ModelSpec.LLAMA_3_1_8B, 64) * 2 });
    expect(model.loraAdapters.map((a) => a.name)).toEqual(['support']);
    expectValidK8sObjects(objs);
  });

  test('GIVEN the adapter on a model THEN the model\'s Pod Identity role reads the output prefix, the fine-tune\'s writes it', () => {
    const { platform } = loraServed();
    const t = Template.fromStack(platform);
    t.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'models', ServiceAccount: 'llama-8b-support' });
    t.hasResourceProperties('AWS::IAM::Role', { Description: 'vLLM model llama-8b-support: reads s3://ckpt-bucket/support-lora/hf' });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 's3:GetObject', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::ckpt-bucket/support-lora/hf/*']] } }),
          Match.objectLike({ Action: 's3:ListBucket', Condition: { StringLike: { 's3:prefix': ['support-lora/hf/*'] } } }),
        ]),
      },
    });
    // The fine-tune writes its checkpoint prefix, which holds the output.
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::ckpt-bucket/support-lora/*']] },
          }),
        ]),
      },
    });
  });

  test('GIVEN the adapter on a model THEN S3 and Pod Identity flows are declared and the platform checks pass', () => {
    const { platform } = loraServed();
    const failing = evaluatePlatformChecks(platform.definition)
      .flatMap((r) => r.findings.map((x) => `[${r.rule.id}] ${x.message}`));
    expect(failing).toEqual([]);
    const flows = NetworkFlows.of(platform.definition).flows.filter((x) => x.name.startsWith('model-llama-8b-support-'));
    expect(flows.map((x) => `${x.name}: ${x.description}`)).toEqual([
      "model-llama-8b-support-downloads: model 'llama-8b-support' downloads its weights (meta-llama/Llama-3.1-8B-Instruct, "
        + 's3://ckpt-bucket/support-lora/hf) over HTTPS',
      "model-llama-8b-support-pod-identity: model 'llama-8b-support' gets the credentials of its S3 reader role from the Pod Identity Agent",
    ]);
    expect(allGitOpsObjects(platform).some((o) => o.kind === 'Deployment' && (o.metadata as { name: string }).name === 'llama-8b-support')).toBe(true);
  });

  test('GIVEN adapters THEN the sizing reserves their slots', () => {
    const f = trainerPlatform();
    const opts = { spec: ModelSpec.LLAMA_3_1_8B, pools: [f.l40s], contextLength: 8192, concurrency: 8, tensorParallelSize: undefined };
    const plain = f.platform.serving.addModel('Plain', { ...opts, name: 'plain' });
    const adapters = Array.from({ length: 8 }, (_, i) => LoraAdapter.fromS3(`a${i}`, 'bucket', `a${i}`, { baseModel: ModelSpec.LLAMA_3_1_8B }));
    const lora = f.platform.serving.addModel('Lora', { ...opts, name: 'lora', loraAdapters: adapters, maxLoraRank: 512 });
    // 8 slots x 32 x 4 x 512 x 2 x 4096 x 2 bytes = 8 GiB per GPU less for the KV cache
    expect(lora.lora!.bytesPerGpu).toBe(8 * 1024 ** 3);
    const free = (m: typeof plain) => f.platform.serving.layoutOf(m)!.kvBytesAvailable / f.platform.serving.layoutOf(m)!.gpus;
    expect(free(plain) - free(lora)).toBeCloseTo(8 * 1024 ** 3, -3);
  });

  test('GIVEN the adapter\'s endpoint THEN LiteLLM sends the adapter name to the model\'s Service', () => {
    const { model } = loraServed();
    const endpoint = model.loraEndpoint('support');
    expect(endpoint.servedModelName).toBe('support');
    expect(endpoint.serviceName).toBe('llama-8b-support');
    expect(endpoint.podLabels).toEqual(model.podLabels);
    expect(model.loraEndpoint('support')).toBe(endpoint);
    const entry = LiteLlmModel.selfHosted('support-assistant', endpoint);
    expect(entry.endpoint).toBe(endpoint);
    expect(() => model.loraEndpoint('chat')).toThrow("model 'llama-8b-support' serves no LoRA adapter 'chat' (its adapters: support)");
  });

  test('GIVEN an output prefix outside the checkpoints THEN the fine-tune may write it too', () => {
    const f = trainerPlatform();
    f.platform.training.addFineTuning('Lora', {
      name: 'support-lora', model: ModelSpec.LLAMA_3_1_8B, pool: f.l40s, command: COMMAND, method: FineTuneMethod.LORA,
      dataset: DatasetSource.fromUri('s3://datasets-bucket/support/v1'), checkpoints: 's3://ckpt-bucket/support-lora',
      output: 's3://served-adapters/support/v1',
    });
    Template.fromStack(f.platform).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::served-adapters/support/v1/*']] },
          }),
        ]),
      },
    });
  });

  test('GIVEN a full fine-tune THEN its weights are served with ModelSource.fromFineTune and read by the model\'s role', () => {
    const f = trainerPlatform();
    const ft = f.platform.training.addFineTuning('Full', {
      name: 'llama70-full', model: ModelSpec.LLAMA_3_1_70B, pool: f.efa, nodes: 2, method: FineTuneMethod.FULL, command: COMMAND,
      dataset: DatasetSource.fromUri('hf://tatsu-lab/alpaca'), checkpoints: 's3://ckpt-bucket/llama70',
    });
    expect(ft.output.kind).toBe(FineTuneOutputKind.FULL_WEIGHTS);
    expect(ft.output.loraRank).toBeUndefined();
    const model = f.platform.serving.addModel('Tuned', {
      name: 'llama-70b-tuned', spec: ModelSpec.LLAMA_3_1_70B, pools: [f.efa], source: ModelSource.fromFineTune(ft.output), contextLength: 8192,
    });
    expect(model.source.uri).toBe('s3://ckpt-bucket/llama70/hf');
    expect(model.args).toEqual(expect.arrayContaining(['--load-format', 'runai_streamer']));
    Template.fromStack(f.platform).hasResourceProperties('AWS::IAM::Role', { Description: 'vLLM model llama-70b-tuned: reads s3://ckpt-bucket/llama70/hf' });
  });

  describe('errors', () => {
    test('full weights served with another spec or dtype', () => {
      const f = trainerPlatform();
      const source = ModelSource.fromFineTune(FULL_OUTPUT);
      expect(() => f.platform.serving.addModel('A', { name: 'a', spec: ModelSpec.QWEN3_32B, pools: [f.efa], source })).toThrow(
        "'source' of model 'a' holds the weights of fine-tune 'llama70-full' of Llama 3.1 70B (80 layers, hidden 8192, 64/8 heads), "
        + "but 'spec' is Qwen3 32B (64 layers, hidden 5120, 64/8 heads): set 'spec' to the fine-tune's model");
      expect(() => f.platform.serving.addModel('B', {
        name: 'b', spec: ModelSpec.LLAMA_3_1_70B.withWeightDType(WeightDType.FP8), pools: [f.efa], source,
      })).toThrow("'spec' of model 'b' stores weights as fp8, but fine-tune 'llama70-full' writes bf16 (the dtype of Llama 3.1 70B): "
        + 'the sizing would count the wrong bytes');
    });
    test('an adapter on a model of another architecture', () => {
      const f = trainerPlatform();
      expect(() => f.platform.serving.addModel('M', {
        name: 'mistral', spec: ModelSpec.MISTRAL_7B_V0_3, pools: [f.l40s], loraAdapters: [LoraAdapter.fromFineTune(LORA_OUTPUT)],
      })).toThrow("LoRA adapter 'support-lora' (fine-tune 'support-lora') was trained on Llama 3.1 8B (32 layers, hidden 4096, 32/8 heads), "
        + "but model 'mistral' serves Mistral 7B v0.3");
    });
    test('weights from a whole bucket', () => {
      const f = trainerPlatform();
      expect(() => f.platform.serving.addModel('M', {
        name: 'llama', spec: ModelSpec.LLAMA_3_1_8B, pools: [f.l40s], source: ModelSource.fromS3('my-models', '/'),
      })).toThrow("model 'llama' reads its weights from the whole bucket s3://my-models: give a prefix, its Pod Identity role is scoped to it");
    });
    test('output not on S3', () => {
      const f = trainerPlatform();
      expect(() => f.platform.training.addFineTuning('Lora', {
        name: 'x', model: ModelSpec.LLAMA_3_1_8B, pool: f.l40s, command: COMMAND, output: '/fsx/out',
        dataset: DatasetSource.fromUri('hf://tatsu-lab/alpaca'), checkpoints: 's3://ckpt-bucket/x',
      })).toThrow("'output' (/fsx/out) must be an S3 location s3://bucket/prefix");
    });
  });
});
