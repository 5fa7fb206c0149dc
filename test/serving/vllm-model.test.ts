import { Duration, Size, Token } from 'aws-cdk-lib';
import { Testing } from 'cdk8s';
import {
  ContainerImage, DEFAULT_POOLING_RUNNER_ARGS, DeviceManagement, ENGINE_TYPE_LABEL, GPU_POOL_LABEL, GpuInstanceType, GpuModel, GpuNodePool,
  GpuNodePoolOptions, HelmComponent, KvCacheDType, MODEL_LABEL, ModelOptions, ModelSource, ModelSpec, ModelTask, ModelWorkloadKind,
  LoraAdapter, PlatformStack, VllmModel, VllmModelProps, WeightDType,
} from '../../lib';
import { expectValidK8sObjects } from '../k8s-schema';
import { find, objects, testPlatform } from '../util';

const LLAMA_REPO = 'meta-llama/Llama-3.1-8B-Instruct';
const ACCESS_LOG = '--disable-access-log-for-endpoints=/health,/metrics,/v1/models';

const L40S_POOL: GpuNodePoolOptions = { gpus: [GpuModel.L40S], limits: { gpus: 64 } };
const H100_POOL: GpuNodePoolOptions = { gpus: [GpuModel.H100], limits: { gpus: 16 } };
const A10G_POOL: GpuNodePoolOptions = { gpus: [GpuModel.A10G], limits: { gpus: 16 } };
const P5_EFA_POOL: GpuNodePoolOptions = { instanceTypes: ['p5.48xlarge'], efa: true, limits: { gpus: 64 } };
const DRA_POOL: GpuNodePoolOptions = { gpus: [GpuModel.L40S], deviceManagement: DeviceManagement.DRA, limits: { gpus: 16 } };

/** Llama 3.1 405B Instruct, bf16 (config.json: 126 layers, hidden 16384, 128 heads, 8 KV heads, 131072 context). */
const LLAMA_405B = ModelSpec.custom({
  name: 'Llama 3.1 405B', huggingFaceRepo: 'meta-llama/Llama-3.1-405B-Instruct', parameters: 405.9e9,
  layers: 126, hiddenSize: 16384, attentionHeads: 128, kvHeads: 8, weightDType: WeightDType.BF16, maxContextLength: 131072,
});

/** The `vllm serve` args of Llama 3.1 8B with every default on an L40S pool (sized to g6e.12xlarge, TP=2). */
const DEFAULT_ARGS = [
  LLAMA_REPO,
  '--host', '0.0.0.0',
  '--port', '8000',
  '--served-model-name', LLAMA_REPO,
  '--tensor-parallel-size', '2',
  '--pipeline-parallel-size', '1',
  '--max-model-len', '32768',
  '--gpu-memory-utilization', '0.9',
  '--block-size', '16',
  '--enable-prefix-caching',
  ACCESS_LOG,
  '--kv-cache-dtype', 'fp8',
];

interface Fixture {
  readonly platform: PlatformStack;
  readonly pool: GpuNodePool;
  readonly model: VllmModel;
  readonly objs: Record<string, any>[];
}

/**
 * A test platform with one GPU pool (`poolOptions`, id `poolId`) and Llama 3.1 8B named `llama` on it, added through
 * `platform.serving.addModel('Llama', ...)`; `options` override the model's options.
 */
function addLlama(options: Partial<ModelOptions> = {}, poolOptions: GpuNodePoolOptions = L40S_POOL, poolId = 'l40s'): Fixture {
  const platform = testPlatform();
  const pool = platform.gpu.addNodePool(poolId, poolOptions);
  const model = platform.serving.addModel('Llama', { name: 'llama', spec: ModelSpec.LLAMA_3_1_8B, pools: [pool], ...options });
  return { platform, pool, model, objs: objects(platform.serving.componentOf(model)) };
}

/** Llama 3.1 405B named `llama-405b` on an EFA p5.48xlarge pool (too large for one node: a LeaderWorkerSet). */
function add405b(options: Partial<ModelOptions> = {}): Fixture {
  const platform = testPlatform();
  const pool = platform.gpu.addNodePool('p5', P5_EFA_POOL);
  const model = platform.serving.addModel('Llama405b', { name: 'llama-405b', spec: LLAMA_405B, pools: [pool], ...options });
  return { platform, pool, model, objs: objects(platform.serving.componentOf(model)) };
}

/** The Deployment's pod spec. */
function podSpecOf(f: Fixture, name = 'llama'): Record<string, any> {
  return find(f.objs, 'Deployment', name).spec.template.spec;
}

/** The vLLM container of the Deployment. */
function containerOf(f: Fixture, name = 'llama'): Record<string, any> {
  return podSpecOf(f, name).containers[0];
}

/** The container args of the Deployment. */
function argsOf(f: Fixture): string[] {
  return containerOf(f).args;
}

/** The value following `flag` in `args`, or undefined when the flag is absent. */
function flagValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i < 0 ? undefined : args[i + 1];
}

/** The LeaderWorkerSet's leader and worker pod templates. */
function lwsTemplates(f: Fixture): { leader: Record<string, any>; worker: Record<string, any> } {
  const lws = find(f.objs, 'LeaderWorkerSet', 'llama-405b');
  return { leader: lws.spec.leaderWorkerTemplate.leaderTemplate, worker: lws.spec.leaderWorkerTemplate.workerTemplate };
}

/** Helm components of the definition named `name` (to count installs). */
function helmComponentsNamed(platform: PlatformStack, name: string): HelmComponent[] {
  return platform.definition.node.findAll().filter(HelmComponent.isHelmComponent).filter((c) => c.componentName === name);
}

/** Props of a VllmModel built directly (outside the serving layer), Llama 3.1 8B at TP=2 on g6e.12xlarge. */
function directProps(pool: GpuNodePool, overrides: Partial<VllmModelProps> = {}): VllmModelProps {
  return {
    name: 'llama',
    spec: ModelSpec.LLAMA_3_1_8B,
    pool,
    instanceType: GpuInstanceType.of('g6e.12xlarge'),
    tensorParallelSize: 2,
    ...overrides,
  };
}

describe('VllmModel', () => {
  describe('Deployment (one node)', () => {
    test('runs `vllm serve` from the pinned vllm-openai image', () => {
      // GIVEN / WHEN
      const f = addLlama();

      // THEN
      expect(containerOf(f).name).toBe('vllm');
      expect(containerOf(f).command).toEqual(['vllm', 'serve']);
      expect(containerOf(f).image).toBe('vllm/vllm-openai:v0.28.0');
      expect(containerOf(f).image).toBe(ContainerImage.VLLM_OPENAI.uri);
    });

    test('renders every derived argument, the model repository first', () => {
      // GIVEN / WHEN
      const f = addLlama();

      // THEN
      expect(argsOf(f)).toEqual(DEFAULT_ARGS);
      expect(f.model.args).toEqual(DEFAULT_ARGS.slice(1));
    });

    test('--served-model-name defaults to the Hugging Face repository', () => {
      // GIVEN / WHEN
      const f = addLlama();

      // THEN
      expect(flagValue(argsOf(f), '--served-model-name')).toBe(LLAMA_REPO);
      expect(f.model.servedModelName).toBe(LLAMA_REPO);
    });

    test('servedModelName replaces the served name', () => {
      // GIVEN / WHEN
      const f = addLlama({ servedModelName: 'llama-3.1-8b' });

      // THEN
      expect(flagValue(argsOf(f), '--served-model-name')).toBe('llama-3.1-8b');
      expect(argsOf(f)[0]).toBe(LLAMA_REPO);
      expect(f.model.servedModelName).toBe('llama-3.1-8b');
    });

    test('--tensor-parallel-size comes from sizing (2 x L40S) and --pipeline-parallel-size is 1', () => {
      // GIVEN / WHEN
      const f = addLlama();

      // THEN
      expect(flagValue(argsOf(f), '--tensor-parallel-size')).toBe('2');
      expect(flagValue(argsOf(f), '--pipeline-parallel-size')).toBe('1');
      expect([f.model.tensorParallelSize, f.model.pipelineParallelSize]).toEqual([2, 1]);
    });

    test('--max-model-len defaults to the smaller of the model maximum and 32768', () => {
      // GIVEN / WHEN
      const llama = addLlama();
      const mistral = addLlama({ spec: ModelSpec.MISTRAL_7B_V0_3 });

      // THEN
      expect(flagValue(argsOf(llama), '--max-model-len')).toBe('32768');
      expect(llama.model.contextLength).toBe(32768);
      expect(flagValue(argsOf(mistral), '--max-model-len')).toBe('32768');
    });

    test('contextLength sets --max-model-len', () => {
      // GIVEN / WHEN
      const f = addLlama({ contextLength: 8192 });

      // THEN
      expect(flagValue(argsOf(f), '--max-model-len')).toBe('8192');
      expect(f.model.contextLength).toBe(8192);
    });

    test('--gpu-memory-utilization defaults to 0.9; gpuMemoryUtilization replaces it', () => {
      // GIVEN / WHEN
      const byDefault = addLlama();
      const custom = addLlama({ gpuMemoryUtilization: 0.85 });

      // THEN
      expect(flagValue(argsOf(byDefault), '--gpu-memory-utilization')).toBe('0.9');
      expect(flagValue(argsOf(custom), '--gpu-memory-utilization')).toBe('0.85');
    });

    test('--block-size defaults to 16; blockSize replaces it and the prefix-cache settings follow', () => {
      // GIVEN / WHEN
      const byDefault = addLlama();
      const custom = addLlama({ blockSize: 32 });

      // THEN
      expect(flagValue(argsOf(byDefault), '--block-size')).toBe('16');
      expect(byDefault.model.prefixCache).toEqual({ blockSize: 16, hashSeed: '42' });
      expect(flagValue(argsOf(custom), '--block-size')).toBe('32');
      expect(custom.model.prefixCache).toEqual({ blockSize: 32, hashSeed: '42' });
    });

    test('prefix caching is on by default', () => {
      // GIVEN / WHEN
      const f = addLlama();

      // THEN
      expect(argsOf(f)).toContain('--enable-prefix-caching');
      expect(argsOf(f)).not.toContain('--no-enable-prefix-caching');
    });

    test('prefixCaching false renders --no-enable-prefix-caching and no prefix-cache settings', () => {
      // GIVEN / WHEN
      const f = addLlama({ prefixCaching: false });

      // THEN
      expect(argsOf(f)).toContain('--no-enable-prefix-caching');
      expect(argsOf(f)).not.toContain('--enable-prefix-caching');
      expect(f.model.prefixCache).toBeUndefined();
    });

    test('health, metrics and model-list requests are not access-logged', () => {
      // GIVEN / WHEN
      const f = addLlama();

      // THEN
      expect(argsOf(f)).toContain(ACCESS_LOG);
    });

    test.each([
      ['L40S', L40S_POOL],
      ['H100', H100_POOL],
    ])('--kv-cache-dtype fp8 on a pool of FP8 GPUs (%s)', (_gpu, poolOptions) => {
      // GIVEN / WHEN
      const f = addLlama({}, poolOptions, 'gpu');

      // THEN
      expect(flagValue(argsOf(f), '--kv-cache-dtype')).toBe('fp8');
    });

    test('no --kv-cache-dtype on an A10G (g5) pool, which has no FP8', () => {
      // GIVEN / WHEN
      const f = addLlama({ contextLength: 8192 }, A10G_POOL, 'a10g');

      // THEN
      expect(containerOf(f).args).not.toContain('--kv-cache-dtype');
      expect(find(f.objs, 'Deployment', 'llama').spec.template.spec.nodeSelector['node.kubernetes.io/instance-type']).toMatch(/^g5\./);
    });

    test('kvCacheDType AUTO leaves vLLM\'s default on an FP8 pool', () => {
      // GIVEN / WHEN
      const f = addLlama({ kvCacheDType: KvCacheDType.AUTO });

      // THEN
      expect(argsOf(f)).not.toContain('--kv-cache-dtype');
    });

    test('LoRA adapters turn on LoRA with rank 64 and one slot per adapter', () => {
      // GIVEN / WHEN
      const f = addLlama({ loraAdapters: [LoraAdapter.fromHuggingFace('sql', 'org/sql-lora'), LoraAdapter.fromHuggingFace('chat', 'org/chat-lora')] });

      // THEN
      expect(argsOf(f).slice(DEFAULT_ARGS.length)).toEqual([
        '--enable-lora', '--max-lora-rank', '64', '--max-loras', '2', '--lora-modules', 'sql=org/sql-lora', 'chat=org/chat-lora',
      ]);
    });

    test('maxLoraRank sets --max-lora-rank', () => {
      // GIVEN / WHEN
      const f = addLlama({ loraAdapters: [LoraAdapter.fromHuggingFace('sql', 'org/sql-lora')], maxLoraRank: 16 });

      // THEN
      expect(flagValue(argsOf(f), '--max-lora-rank')).toBe('16');
      expect(flagValue(argsOf(f), '--max-loras')).toBe('1');
    });

    test('no LoRA flags without adapters', () => {
      // GIVEN / WHEN
      const f = addLlama({ maxLoraRank: 16 });

      // THEN
      expect(argsOf(f).filter((a) => a.includes('lora'))).toEqual([]);
    });

    test('otlpTracesEndpoint turns on detailed request traces', () => {
      // GIVEN / WHEN
      const f = addLlama({ otlpTracesEndpoint: 'http://otel-collector.observability:4317' });

      // THEN
      expect(argsOf(f).slice(DEFAULT_ARGS.length)).toEqual([
        '--otlp-traces-endpoint', 'http://otel-collector.observability:4317', '--collect-detailed-traces', 'all',
      ]);
    });

    test('a Hugging Face revision renders --revision', () => {
      // GIVEN / WHEN
      const f = addLlama({ source: ModelSource.fromHuggingFace(LLAMA_REPO, { revision: '0e9e39f249a16976918f6564b8830bc894c89659' }) });

      // THEN
      expect(argsOf(f)[0]).toBe(LLAMA_REPO);
      expect(flagValue(argsOf(f), '--revision')).toBe('0e9e39f249a16976918f6564b8830bc894c89659');
    });

    test('an S3 source streams s3://bucket/prefix with the Run:ai streamer', () => {
      // GIVEN / WHEN
      const f = addLlama({ source: ModelSource.fromS3('my-models', 'llama-3.1-8b') });

      // THEN
      expect(argsOf(f)[0]).toBe('s3://my-models/llama-3.1-8b');
      expect(flagValue(argsOf(f), '--load-format')).toBe('runai_streamer');
      expect(flagValue(argsOf(f), '--served-model-name')).toBe(LLAMA_REPO);
    });

    test('a PVC source mounts the claim read-only at /models and serves the path under it', () => {
      // GIVEN / WHEN
      const f = addLlama({ source: ModelSource.fromPvc('fsx-models', 'llama-3.1-8b') });

      // THEN
      expect(argsOf(f)[0]).toBe('/models/llama-3.1-8b');
      expect(podSpecOf(f).volumes).toContainEqual({ name: 'models', persistentVolumeClaim: { claimName: 'fsx-models', readOnly: true } });
      expect(containerOf(f).volumeMounts).toContainEqual({ name: 'models', mountPath: '/models', readOnly: true });
      expect(argsOf(f)).not.toContain('--load-format');
    });

    test('no models volume for a Hugging Face source', () => {
      // GIVEN / WHEN
      const f = addLlama();

      // THEN
      expect(podSpecOf(f).volumes.map((v: { name: string }) => v.name)).toEqual(['shm', 'cache']);
    });

    test('extraArgs are appended last', () => {
      // GIVEN / WHEN
      const f = addLlama({
        extraArgs: ['--max-num-seqs', '128'],
        otlpTracesEndpoint: 'http://otel:4317',
      });

      // THEN
      expect(argsOf(f).slice(-2)).toEqual(['--max-num-seqs', '128']);
    });

    test('the HF token comes from a Secret as HF_TOKEN (key HF_TOKEN by default)', () => {
      // GIVEN / WHEN
      const f = addLlama({ source: ModelSource.fromHuggingFace(LLAMA_REPO, { tokenSecret: { name: 'hf-token' } }) });

      // THEN
      expect(containerOf(f).env).toContainEqual({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'HF_TOKEN' } } });
    });

    test('tokenSecret.key picks the key of the Secret', () => {
      // GIVEN / WHEN
      const f = addLlama({ source: ModelSource.fromHuggingFace(LLAMA_REPO, { tokenSecret: { name: 'llm-d-hf-token', key: 'token' } }) });

      // THEN
      expect(containerOf(f).env).toContainEqual({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'llm-d-hf-token', key: 'token' } } });
    });

    test('environment: home, user and HF cache under /home/vllm, PYTHONHASHSEED 42, no HF token without a Secret', () => {
      // GIVEN / WHEN (an ungated model on a platform without a default Hugging Face token)
      const platform = testPlatform({ serving: {} });
      const pool = platform.gpu.addNodePool('l40s', L40S_POOL);
      const model = platform.serving.addModel('Qwen', { name: 'llama', spec: ModelSpec.QWEN3_32B, pools: [pool] });
      const f: Fixture = { platform, pool, model, objs: objects(platform.serving.componentOf(model)) };

      // THEN
      expect(containerOf(f).env).toEqual([
        { name: 'HOME', value: '/home/vllm' },
        { name: 'USER', value: 'vllm' },
        { name: 'HF_HOME', value: '/home/vllm/.cache/huggingface' },
        { name: 'PYTHONHASHSEED', value: '42' },
      ]);
    });

    test('hashSeed sets PYTHONHASHSEED and the prefix-cache settings', () => {
      // GIVEN / WHEN
      const f = addLlama({ hashSeed: '1234' });

      // THEN
      expect(containerOf(f).env).toContainEqual({ name: 'PYTHONHASHSEED', value: '1234' });
      expect(f.model.prefixCache).toEqual({ blockSize: 16, hashSeed: '1234' });
    });

    test('/dev/shm is a 16Gi memory-backed emptyDir; the cache is an emptyDir at /home/vllm/.cache', () => {
      // GIVEN / WHEN
      const f = addLlama();

      // THEN
      expect(podSpecOf(f).volumes).toEqual([
        { name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '16Gi' } },
        { name: 'cache', emptyDir: {} },
      ]);
      expect(containerOf(f).volumeMounts).toEqual([
        { name: 'shm', mountPath: '/dev/shm' },
        { name: 'cache', mountPath: '/home/vllm/.cache' },
      ]);
    });

    test.each([
      [Size.gibibytes(32), '32Gi'],
      [Size.mebibytes(1536), '1536Mi'],
    ])('sharedMemory %s sets the /dev/shm sizeLimit to %s', (size, quantity) => {
      // GIVEN / WHEN
      const f = addLlama({ sharedMemory: size });

      // THEN
      expect(podSpecOf(f).volumes[0]).toEqual({ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: quantity } });
    });

    test('probes: startup and readiness on /v1/models, liveness on /health', () => {
      // GIVEN / WHEN
      const c = containerOf(addLlama());

      // THEN
      expect(c.startupProbe).toEqual({ httpGet: { path: '/v1/models', port: 8000 }, periodSeconds: 30, failureThreshold: 120 });
      expect(c.readinessProbe).toEqual({ httpGet: { path: '/v1/models', port: 8000 }, periodSeconds: 10, failureThreshold: 3 });
      expect(c.livenessProbe).toEqual({ httpGet: { path: '/health', port: 8000 }, periodSeconds: 15, failureThreshold: 4 });
    });

    test.each([
      [Duration.minutes(45), 90],
      [Duration.seconds(100), 4],
      [Duration.seconds(10), 1],
    ])('startupTimeout %s gives a startup failureThreshold of %d (ceil(timeout / 30 s))', (timeout, threshold) => {
      // GIVEN / WHEN
      const c = containerOf(addLlama({ startupTimeout: timeout }));

      // THEN
      expect(c.startupProbe.failureThreshold).toBe(threshold);
      expect(c.startupProbe.periodSeconds).toBe(30);
    });

    test('requests and limits nvidia.com/gpu = TP, with CPU and memory of that share of the node', () => {
      // GIVEN / WHEN
      const c = containerOf(addLlama());

      // THEN (g6e.12xlarge: 4 GPUs, 48 vCPU, 384 GiB; 2 of 4 GPUs at 80% -> 19 vCPU, 153 GiB)
      expect(c.resources).toEqual({
        requests: { 'cpu': 19, 'memory': '153Gi', 'nvidia.com/gpu': 2 },
        limits: { 'memory': '153Gi', 'nvidia.com/gpu': 2 },
      });
    });

    test('exposes port http 8000', () => {
      // GIVEN / WHEN
      const c = containerOf(addLlama());

      // THEN
      expect(c.ports).toEqual([{ name: 'http', containerPort: 8000, protocol: 'TCP' }]);
    });

    test('tolerates the GPU taint', () => {
      // GIVEN / WHEN
      const spec = podSpecOf(addLlama());

      // THEN
      expect(spec.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    });

    test('selects the pool and the sized instance type', () => {
      // GIVEN / WHEN
      const spec = podSpecOf(addLlama());

      // THEN
      expect(spec.nodeSelector).toEqual({ [GPU_POOL_LABEL]: 'l40s', 'node.kubernetes.io/instance-type': 'g6e.12xlarge' });
    });

    test('runs as non-root UID 2000 with every capability dropped and the RuntimeDefault seccomp profile', () => {
      // GIVEN / WHEN
      const c = containerOf(addLlama());

      // THEN
      expect(c.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        runAsNonRoot: true,
        runAsUser: 2000,
        runAsGroup: 0,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
    });

    test('pod: no service links, 60 s termination grace, no resource claims', () => {
      // GIVEN / WHEN
      const spec = podSpecOf(addLlama());

      // THEN
      expect(spec.enableServiceLinks).toBe(false);
      expect(spec.terminationGracePeriodSeconds).toBe(60);
      expect(spec.resourceClaims).toBeUndefined();
    });

    test('the Deployment is named after the model, labelled with the model and engine type, and surges one pod', () => {
      // GIVEN / WHEN
      const f = addLlama();
      const deployment = find(f.objs, 'Deployment', 'llama');

      // THEN
      const labels = { [MODEL_LABEL]: 'llama', [ENGINE_TYPE_LABEL]: 'vllm' };
      expect(deployment.apiVersion).toBe('apps/v1');
      expect(deployment.metadata).toEqual({ name: 'llama', namespace: 'models', labels });
      expect(deployment.spec.selector).toEqual({ matchLabels: labels });
      expect(deployment.spec.template.metadata.labels).toEqual(labels);
      expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    });

    test('exposes the endpoint contract: Deployment workload, Service, port and pod labels', () => {
      // GIVEN / WHEN
      const { model } = addLlama();

      // THEN
      expect(model.workloadKind).toBe(ModelWorkloadKind.DEPLOYMENT);
      expect(model.workloadApiVersion).toBe('apps/v1');
      expect([model.workloadName, model.serviceName, model.namespace, model.port]).toEqual(['llama', 'llama', 'models', 8000]);
      expect(model.podLabels).toEqual({ [MODEL_LABEL]: 'llama', [ENGINE_TYPE_LABEL]: 'vllm' });
      expect(model.spec).toBe(ModelSpec.LLAMA_3_1_8B);
    });

    test('a Service on port http 8000 selects the pod labels', () => {
      // GIVEN / WHEN
      const f = addLlama();

      // THEN
      expect(find(f.objs, 'Service', 'llama')).toEqual({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'llama', namespace: 'models', labels: { [MODEL_LABEL]: 'llama' } },
        spec: {
          selector: f.model.podLabels,
          ports: [{ name: 'http', port: 8000, targetPort: 'http', protocol: 'TCP' }],
        },
      });
    });

    test('a PodDisruptionBudget allows one pod down', () => {
      // GIVEN / WHEN
      const f = addLlama();

      // THEN
      expect(find(f.objs, 'PodDisruptionBudget', 'llama').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: f.model.podLabels } });
    });

    test('a ServiceMonitor scrapes /metrics of the Service, labelled for kube-prometheus-stack', () => {
      // GIVEN / WHEN
      const f = addLlama();
      const monitor = find(f.objs, 'ServiceMonitor', 'llama');

      // THEN
      expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
      expect(monitor.metadata).toEqual({ name: 'llama', namespace: 'models', labels: { release: 'kube-prometheus-stack' } });
      expect(monitor.spec).toEqual({
        selector: { matchLabels: { [MODEL_LABEL]: 'llama' } },
        endpoints: [{ port: 'http', path: '/metrics', interval: '15s' }],
      });
    });

    test('prometheusRelease sets the ServiceMonitor release label', () => {
      // GIVEN / WHEN
      const f = addLlama({ prometheusRelease: 'prometheus' });

      // THEN
      expect(find(f.objs, 'ServiceMonitor', 'llama').metadata.labels).toEqual({ release: 'prometheus' });
    });

    test('emits exactly a ServiceAccount, a Deployment, a Service, a PodDisruptionBudget and a ServiceMonitor', () => {
      // GIVEN / WHEN
      const f = addLlama();

      // THEN
      const kinds = ['ServiceAccount', 'Deployment', 'Service', 'PodDisruptionBudget', 'ServiceMonitor'];
      expect(f.objs.map((o) => o.kind)).toEqual(kinds);
      expect(f.model.apiObjects.map((o) => o.kind)).toEqual(kinds);
      expect(find(f.objs, 'Deployment', 'llama').spec.template.spec.serviceAccountName).toBe('llama');
    });

    test('namespace puts every object in that namespace and declares it', () => {
      // GIVEN / WHEN
      const f = addLlama({ namespace: 'ml' });

      // THEN
      expect(f.objs.map((o) => o.metadata.namespace)).toEqual(['ml', 'ml', 'ml', 'ml', 'ml']);
      expect(f.model.namespace).toBe('ml');
      expect(f.platform.definition.sharedNamespaces).toEqual(['ml']);
    });

    test('image replaces the vLLM image', () => {
      // GIVEN
      const image = ContainerImage.of({
        repository: 'public.ecr.aws/deep-learning-containers/vllm',
        tag: '0.26.0-gpu-py312-cu130-ubuntu22.04-ec2',
        source: 'llm-d guides/recipes/modelserver/components/images/gpu-vllm/aws-efa/kustomization.yaml',
        checked: '2026-08-22',
      });

      // WHEN
      const f = addLlama({ image });

      // THEN
      expect(containerOf(f).image).toBe('public.ecr.aws/deep-learning-containers/vllm:0.26.0-gpu-py312-cu130-ubuntu22.04-ec2');
    });

    test('replicas defaults to 1', () => {
      // GIVEN / WHEN
      const f = addLlama();

      // THEN
      expect(find(f.objs, 'Deployment', 'llama').spec.replicas).toBe(1);
    });

    test('replicas sets the Deployment replicas', () => {
      // GIVEN / WHEN
      const f = addLlama({ replicas: 3 });

      // THEN
      expect(find(f.objs, 'Deployment', 'llama').spec.replicas).toBe(3);
    });

    test('with autoscaling the Deployment has no replicas (the HPA owns them)', () => {
      // GIVEN / WHEN
      const f = addLlama({ replicas: 3, autoscaling: { maxReplicas: 4 } });

      // THEN
      expect(find(f.objs, 'Deployment', 'llama').spec).not.toHaveProperty('replicas');
    });

    test('with autoscaling a ScaledObject targets the Deployment', () => {
      // GIVEN / WHEN
      const f = addLlama({ autoscaling: { minReplicas: 2, maxReplicas: 4 } });
      const scaled = find(f.objs, 'ScaledObject', 'llama');

      // THEN
      expect(scaled.apiVersion).toBe('keda.sh/v1alpha1');
      expect(scaled.metadata).toEqual({ name: 'llama', namespace: 'models' });
      expect(scaled.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'llama' });
      expect([scaled.spec.minReplicaCount, scaled.spec.maxReplicaCount]).toEqual([2, 4]);
      expect(scaled.spec.triggers[0].metadata.query)
        .toBe(`sum(vllm:num_requests_waiting{namespace="models",service="llama",model_name="${LLAMA_REPO}"})`);
    });

    test('no ScaledObject and no KEDA without autoscaling', () => {
      // GIVEN / WHEN
      const f = addLlama();

      // THEN
      expect(f.objs.filter((o) => o.kind === 'ScaledObject')).toEqual([]);
      expect(helmComponentsNamed(f.platform, 'keda')).toEqual([]);
    });

    test('KEDA is installed once for two autoscaled models, and both model components depend on it', () => {
      // GIVEN
      const platform = testPlatform();
      const pool = platform.gpu.addNodePool('l40s', L40S_POOL);

      // WHEN
      const llama = platform.serving.addModel('Llama', { name: 'llama', spec: ModelSpec.LLAMA_3_1_8B, pools: [pool], autoscaling: { maxReplicas: 4 } });
      const qwen = platform.serving.addModel('Qwen', { name: 'qwen', spec: ModelSpec.QWEN3_32B, pools: [pool], autoscaling: { maxReplicas: 2 } });

      // THEN
      const keda = helmComponentsNamed(platform, 'keda');
      expect(keda).toHaveLength(1);
      expect(platform.serving.componentOf(llama).dependencies).toContain(keda[0]);
      expect(platform.serving.componentOf(qwen).dependencies).toContain(keda[0]);
      expect(find(objects(platform.serving.componentOf(qwen)), 'ScaledObject', 'qwen').spec.maxReplicaCount).toBe(2);
    });

    test('a Deployment needs no LeaderWorkerSet controller', () => {
      // GIVEN / WHEN
      const f = addLlama();

      // THEN
      expect(helmComponentsNamed(f.platform, 'lws')).toEqual([]);
    });
  });

  describe('LeaderWorkerSet (several nodes)', () => {
    test('a model too large for one node runs as a LeaderWorkerSet of PP pods, TP = the node\'s GPUs', () => {
      // GIVEN / WHEN
      const f = add405b();
      const lws = find(f.objs, 'LeaderWorkerSet', 'llama-405b');

      // THEN
      expect(lws.apiVersion).toBe('leaderworkerset.x-k8s.io/v1');
      expect([f.model.tensorParallelSize, f.model.pipelineParallelSize]).toEqual([8, 2]);
      expect(lws.spec.leaderWorkerTemplate.size).toBe(2);
      expect(lws.spec.leaderWorkerTemplate.restartPolicy).toBe('RecreateGroupOnPodRestart');
      expect(lws.spec.replicas).toBe(1);
      expect(f.objs.filter((o) => o.kind === 'Deployment')).toEqual([]);
    });

    test('the endpoint contract points at the LeaderWorkerSet and its leaders', () => {
      // GIVEN / WHEN
      const { model } = add405b();

      // THEN
      expect(model.workloadKind).toBe(ModelWorkloadKind.LEADER_WORKER_SET);
      expect(model.workloadApiVersion).toBe('leaderworkerset.x-k8s.io/v1');
      expect(model.workloadName).toBe('llama-405b');
      expect(model.podLabels).toEqual({ [MODEL_LABEL]: 'llama-405b', [ENGINE_TYPE_LABEL]: 'vllm', role: 'leader' });
    });

    test('the leader runs node rank 0 of N and serves the API', () => {
      // GIVEN / WHEN
      const { leader } = lwsTemplates(add405b());
      const c = leader.spec.containers[0];

      // THEN
      expect(c.command).toEqual(['vllm', 'serve']);
      expect(c.args[0]).toBe('meta-llama/Llama-3.1-405B-Instruct');
      expect(flagValue(c.args, '--tensor-parallel-size')).toBe('8');
      expect(flagValue(c.args, '--pipeline-parallel-size')).toBe('2');
      expect(c.args.slice(-6)).toEqual(['--nnodes', '2', '--node-rank', '0', '--master-addr', '$(LWS_LEADER_ADDRESS)']);
      expect(c.ports).toEqual([{ name: 'http', containerPort: 8000, protocol: 'TCP' }]);
      expect(c.startupProbe.httpGet.path).toBe('/v1/models');
      expect(c.readinessProbe.httpGet.path).toBe('/v1/models');
      expect(c.livenessProbe.httpGet.path).toBe('/health');
    });

    test('workers run headless at their LWS worker index, without ports or probes', () => {
      // GIVEN / WHEN
      const { worker } = lwsTemplates(add405b());
      const c = worker.spec.containers[0];

      // THEN
      expect(c.args.slice(-7)).toEqual([
        '--nnodes', '2', '--node-rank', '$(LWS_WORKER_INDEX)', '--master-addr', '$(LWS_LEADER_ADDRESS)', '--headless',
      ]);
      expect(c.ports).toBeUndefined();
      expect(c.startupProbe).toBeUndefined();
      expect(c.readinessProbe).toBeUndefined();
      expect(c.livenessProbe).toBeUndefined();
    });

    test('leaders carry role=leader and the engine-type label; workers role=worker without it', () => {
      // GIVEN / WHEN
      const { leader, worker } = lwsTemplates(add405b());

      // THEN
      expect(leader.metadata.labels).toEqual({ [MODEL_LABEL]: 'llama-405b', [ENGINE_TYPE_LABEL]: 'vllm', role: 'leader' });
      expect(worker.metadata.labels).toEqual({ [MODEL_LABEL]: 'llama-405b', role: 'worker' });
    });

    test.each(['leader', 'worker'] as const)('the %s requests 8 GPUs and the node\'s 32 EFA interfaces', (role) => {
      // GIVEN / WHEN
      const c = lwsTemplates(add405b())[role].spec.containers[0];

      // THEN
      expect(c.resources.requests).toMatchObject({ 'nvidia.com/gpu': 8, 'vpc.amazonaws.com/efa': 32 });
      expect(c.resources.limits).toMatchObject({ 'nvidia.com/gpu': 8, 'vpc.amazonaws.com/efa': 32 });
    });

    test.each(['leader', 'worker'] as const)('the %s uses the EFA libfabric provider and may lock memory (IPC_LOCK)', (role) => {
      // GIVEN / WHEN
      const c = lwsTemplates(add405b())[role].spec.containers[0];

      // THEN
      expect(c.env).toContainEqual({ name: 'FI_PROVIDER', value: 'efa' });
      expect(c.securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['IPC_LOCK'] });
      expect(c.volumeMounts).toContainEqual({ name: 'shm', mountPath: '/dev/shm' });
    });

    test('pods select the EFA pool and p5.48xlarge', () => {
      // GIVEN / WHEN
      const { leader, worker } = lwsTemplates(add405b());

      // THEN
      const selector = { [GPU_POOL_LABEL]: 'p5', 'node.kubernetes.io/instance-type': 'p5.48xlarge' };
      expect(leader.spec.nodeSelector).toEqual(selector);
      expect(worker.spec.nodeSelector).toEqual(selector);
    });

    test('the Service and the PodDisruptionBudget select the leaders only', () => {
      // GIVEN / WHEN
      const f = add405b();

      // THEN
      expect(find(f.objs, 'Service', 'llama-405b').spec.selector)
        .toEqual({ [MODEL_LABEL]: 'llama-405b', [ENGINE_TYPE_LABEL]: 'vllm', role: 'leader' });
      expect(find(f.objs, 'PodDisruptionBudget', 'llama-405b').spec.selector.matchLabels).toEqual(f.model.podLabels);
    });

    test('a single-node model on the EFA pool requests no EFA interfaces', () => {
      // GIVEN / WHEN
      const f = addLlama({}, P5_EFA_POOL, 'p5');
      const c = containerOf(f);

      // THEN
      expect(c.resources.requests).not.toHaveProperty(['vpc.amazonaws.com/efa']);
      expect(c.env.map((e: { name: string }) => e.name)).not.toContain('FI_PROVIDER');
      expect(c.securityContext.capabilities).toEqual({ drop: ['ALL'] });
    });

    test('with autoscaling the LeaderWorkerSet has no replicas and the ScaledObject targets it', () => {
      // GIVEN / WHEN
      const f = add405b({ autoscaling: { maxReplicas: 2 } });

      // THEN
      expect(find(f.objs, 'LeaderWorkerSet', 'llama-405b').spec).not.toHaveProperty('replicas');
      expect(find(f.objs, 'ScaledObject', 'llama-405b').spec.scaleTargetRef)
        .toEqual({ apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', name: 'llama-405b' });
    });

    test('the LeaderWorkerSet controller is installed once for two multi-node models', () => {
      // GIVEN
      const platform = testPlatform();
      const pool = platform.gpu.addNodePool('p5', P5_EFA_POOL);

      // WHEN
      const a = platform.serving.addModel('A', { name: 'llama-405b-a', spec: LLAMA_405B, pools: [pool] });
      const b = platform.serving.addModel('B', { name: 'llama-405b-b', spec: LLAMA_405B, pools: [pool] });

      // THEN
      const lws = helmComponentsNamed(platform, 'lws');
      expect(lws).toHaveLength(1);
      expect(platform.serving.componentOf(a).dependencies).toContain(lws[0]);
      expect(platform.serving.componentOf(b).dependencies).toContain(lws[0]);
    });
  });

  describe('DRA pool', () => {
    test('the pod claims its GPUs from a generated claim template instead of requesting nvidia.com/gpu', () => {
      // GIVEN / WHEN
      const f = addLlama({}, DRA_POOL, 'dra');
      const spec = podSpecOf(f);
      const c = spec.containers[0];

      // THEN
      expect(spec.resourceClaims).toEqual([{ name: 'gpu', resourceClaimTemplateName: 'llama-gpus' }]);
      expect(c.resources.claims).toEqual([{ name: 'gpu' }]);
      expect(c.resources.requests).not.toHaveProperty(['nvidia.com/gpu']);
      expect(c.resources.limits).not.toHaveProperty(['nvidia.com/gpu']);
      expect(spec.nodeSelector).toEqual({ [GPU_POOL_LABEL]: 'dra', 'node.kubernetes.io/instance-type': 'g6e.12xlarge' });
    });

    test('the claim template asks for TP whole GPUs in the model\'s namespace', () => {
      // GIVEN / WHEN
      const f = addLlama({}, DRA_POOL, 'dra');

      // THEN
      const template = find(objects(f.platform.gpu.dra.claims), 'ResourceClaimTemplate', 'llama-gpus');
      expect(template.apiVersion).toBe('resource.k8s.io/v1');
      expect(template.metadata.namespace).toBe('models');
      expect(template.spec.spec.devices.requests).toEqual([{ name: 'gpu', exactly: { deviceClassName: 'gpu.nvidia.com', count: 2 } }]);
    });

    test('the model component is applied after the claim templates', () => {
      // GIVEN / WHEN
      const f = addLlama({}, DRA_POOL, 'dra');

      // THEN
      expect(f.platform.serving.componentOf(f.model).dependencies).toContain(f.platform.gpu.dra.claims);
    });
  });

  describe('errors', () => {
    test('a LoRA adapter name used twice', () => {
      // GIVEN / WHEN / THEN
      expect(() => addLlama({ loraAdapters: [LoraAdapter.fromHuggingFace('sql', 'org/sql-a'), LoraAdapter.fromHuggingFace('sql', 'org/sql-b')] }))
        .toThrow("LoRA adapter name 'sql' is used twice in model 'llama'");
    });

    test('a LoRA adapter named like the model', () => {
      // GIVEN / WHEN / THEN
      expect(() => addLlama({ servedModelName: 'llama', loraAdapters: [LoraAdapter.fromHuggingFace('llama', 'org/lora')] }))
        .toThrow("LoRA adapter name 'llama' is the model's own served name");
    });

    test('an unpinned image cannot be created', () => {
      // GIVEN / WHEN / THEN
      expect(() => ContainerImage.of({ repository: 'vllm/vllm-openai', tag: 'latest', source: 'test', checked: '2026-08-22' }))
        .toThrow("'tag' (latest) of image 'vllm/vllm-openai' must be a pinned tag, not 'latest' or empty");
    });

    test.each([
      [['--tensor-parallel-size', '4'], '--tensor-parallel-size'],
      [['--tensor-parallel-size=4'], '--tensor-parallel-size'],
      [['--pipeline-parallel-size', '2'], '--pipeline-parallel-size'],
      [['--served-model-name', 'x'], '--served-model-name'],
      [['--port=9000'], '--port'],
      [['--runner', 'pooling'], '--runner'],
      [['--convert=embed'], '--convert'],
    ])('extraArgs %j set a managed flag', (extraArgs, flag) => {
      // GIVEN / WHEN / THEN
      expect(() => addLlama({ extraArgs }))
        .toThrow(`'extraArgs' of model 'llama' sets ${flag}, which the library derives; use the matching prop`);
    });

    test.each([0, 24, 256])('blockSize %d', (blockSize) => {
      // GIVEN / WHEN / THEN
      expect(() => addLlama({ blockSize })).toThrow(`'blockSize' (${blockSize}) must be one of 8, 16, 32, 64, 128`);
    });

    test('replicas that are not a whole number', () => {
      // GIVEN / WHEN / THEN
      expect(() => addLlama({ replicas: 1.5 })).toThrow("'replicas' (1.5) must be a whole number");
    });

    test('a name that is not a DNS label', () => {
      // GIVEN
      const platform = testPlatform();
      const pool = platform.gpu.addNodePool('l40s', L40S_POOL);

      // WHEN / THEN
      expect(() => new VllmModel(Testing.chart(), 'Model', directProps(pool, { name: 'Llama_8B' })))
        .toThrow("'name' (Llama_8B) must be a DNS label: 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit");
    });

    test('a token as name', () => {
      // GIVEN
      const platform = testPlatform();
      const pool = platform.gpu.addNodePool('l40s', L40S_POOL);

      // WHEN / THEN
      expect(() => new VllmModel(Testing.chart(), 'Model', directProps(pool, { name: Token.asString({ Ref: 'Name' }) })))
        .toThrow("'name' must be a literal string, not a token: Kubernetes manifests of the GitOps rendering cannot carry CloudFormation tokens");
    });

    test('a namespace that is not a DNS label', () => {
      // GIVEN
      const platform = testPlatform();
      const pool = platform.gpu.addNodePool('l40s', L40S_POOL);

      // WHEN / THEN
      expect(() => new VllmModel(Testing.chart(), 'Model', directProps(pool, { namespace: 'ML' })))
        .toThrow("'namespace' (ML) must be a DNS label: 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit");
    });

    test('gpuMemoryUtilization out of range when built directly', () => {
      // GIVEN
      const platform = testPlatform();
      const pool = platform.gpu.addNodePool('l40s', L40S_POOL);

      // WHEN / THEN
      expect(() => new VllmModel(Testing.chart(), 'Model', directProps(pool, { gpuMemoryUtilization: 0 })))
        .toThrow("'gpuMemoryUtilization' (0) must be between 0 and 1");
    });

    test('a tensor-parallel size that does not divide the GPUs per node', () => {
      // GIVEN
      const platform = testPlatform();
      const pool = platform.gpu.addNodePool('l40s', L40S_POOL);

      // WHEN / THEN
      expect(() => new VllmModel(Testing.chart(), 'Model', directProps(pool, { tensorParallelSize: 3 })))
        .toThrow("'tensorParallelSize' (3) must divide the GPUs per node (4) of NodePool 'l40s'");
    });

    test('a tensor-parallel size that does not divide the attention heads', () => {
      // GIVEN
      const platform = testPlatform();
      const pool = platform.gpu.addNodePool('l40s', L40S_POOL);
      const spec = ModelSpec.custom({
        name: 'Six Heads', huggingFaceRepo: 'org/six-heads', parameters: 1e9, layers: 12, hiddenSize: 768,
        attentionHeads: 6, kvHeads: 6, weightDType: WeightDType.BF16, maxContextLength: 8192,
      });

      // WHEN / THEN
      expect(() => new VllmModel(Testing.chart(), 'Model', directProps(pool, { spec, tensorParallelSize: 4 })))
        .toThrow("'tensorParallelSize' (4) must divide the attention heads (6) of Six Heads");
    });

    test('a pipeline-parallel size below 1', () => {
      // GIVEN
      const platform = testPlatform();
      const pool = platform.gpu.addNodePool('l40s', L40S_POOL);

      // WHEN / THEN
      expect(() => new VllmModel(Testing.chart(), 'Model', directProps(pool, { pipelineParallelSize: 0 })))
        .toThrow("'pipelineParallelSize' (0) must be an integer of at least 1");
    });

    test('a multi-node layout that does not use every GPU of a node', () => {
      // GIVEN
      const platform = testPlatform();
      const pool = platform.gpu.addNodePool('l40s', L40S_POOL);

      // WHEN / THEN
      expect(() => new VllmModel(Testing.chart(), 'Model', directProps(pool, { tensorParallelSize: 2, pipelineParallelSize: 2 })))
        .toThrow("model 'llama' spans 2 nodes, so 'tensorParallelSize' (2) must use every GPU of a node (4)");
    });

    test('an instance type the pool cannot launch', () => {
      // GIVEN
      const platform = testPlatform();
      const pool = platform.gpu.addNodePool('l40s', L40S_POOL);

      // WHEN / THEN
      expect(() => new VllmModel(Testing.chart(), 'Model', directProps(pool, { instanceType: GpuInstanceType.of('p5.48xlarge') })))
        .toThrow("instance type p5.48xlarge is not a candidate of NodePool 'l40s'");
    });

    test('a context above the model\'s maximum when built directly', () => {
      // GIVEN
      const platform = testPlatform();
      const pool = platform.gpu.addNodePool('l40s', L40S_POOL);

      // WHEN / THEN
      expect(() => new VllmModel(Testing.chart(), 'Model', directProps(pool, { spec: ModelSpec.QWEN3_32B, tensorParallelSize: 4, contextLength: 65536 })))
        .toThrow("'contextLength' (65536) is above the model's maximum context (40960) of Qwen3 32B");
    });

    test('a DRA pool without a claim template', () => {
      // GIVEN
      const platform = testPlatform();
      const pool = platform.gpu.addNodePool('dra', DRA_POOL);

      // WHEN / THEN
      expect(() => new VllmModel(Testing.chart(), 'Model', directProps(pool)))
        .toThrow("model 'llama' runs on DRA pool 'dra' and needs a GPU claim template");
    });
  });

  test('every emitted object is valid against its schema (strict, with CEL)', () => {
    // GIVEN
    const platform = testPlatform();
    const l40s = platform.gpu.addNodePool('l40s', L40S_POOL);
    const a10g = platform.gpu.addNodePool('a10g', A10G_POOL);
    const p5 = platform.gpu.addNodePool('p5', P5_EFA_POOL);
    const dra = platform.gpu.addNodePool('dra', DRA_POOL);

    // WHEN
    const models = [
      platform.serving.addModel('Llama', {
        name: 'llama', spec: ModelSpec.LLAMA_3_1_8B, pools: [l40s],
        source: ModelSource.fromHuggingFace(LLAMA_REPO, { revision: 'main', tokenSecret: { name: 'hf-token' } }),
        loraAdapters: [LoraAdapter.fromHuggingFace('sql', 'org/sql-lora')], otlpTracesEndpoint: 'http://otel:4317',
        autoscaling: { maxReplicas: 4, kvCacheUtilization: 0.8 },
      }),
      platform.serving.addModel('Qwen', {
        name: 'qwen', spec: ModelSpec.QWEN3_32B, pools: [l40s], source: ModelSource.fromS3('my-models', 'qwen3-32b'),
        autoscaling: { minReplicas: 0, maxReplicas: 2, scaleToZero: { activationQuery: 'sum(pending{model="qwen"})', activationThreshold: 0 } },
      }),
      platform.serving.addModel('Mistral', {
        name: 'mistral', spec: ModelSpec.MISTRAL_7B_V0_3, pools: [a10g], contextLength: 8192,
        source: ModelSource.fromPvc('fsx-models', 'mistral-7b'), replicas: 2, sharedMemory: Size.mebibytes(1536),
      }),
      platform.serving.addModel('Llama405b', { name: 'llama-405b', spec: LLAMA_405B, pools: [p5], autoscaling: { maxReplicas: 2 } }),
      platform.serving.addModel('LlamaDra', { name: 'llama-dra', spec: ModelSpec.LLAMA_3_1_8B, pools: [dra] }),
    ];
    const objs = [
      ...models.flatMap((m) => objects(platform.serving.componentOf(m))),
      ...objects(platform.gpu.dra.claims),
      ...objects(platform.serving.huggingFaceTokens!),
    ];

    // THEN
    expect([...new Set(objs.map((o) => o.kind))].sort()).toEqual([
      'Deployment', 'ExternalSecret', 'LeaderWorkerSet', 'PodDisruptionBudget', 'ResourceClaimTemplate', 'ScaledObject', 'Service',
      'ServiceAccount', 'ServiceMonitor',
    ]);
    expectValidK8sObjects(objs);
  });
});

/** Qwen3-Embedding-0.6B (Qwen3 0.6B shape: 28 layers, hidden 1024, 16 heads, 8 KV heads of 128, 32768 context). */
const QWEN3_EMBEDDING = ModelSpec.custom({
  name: 'Qwen3 Embedding 0.6B', huggingFaceRepo: 'Qwen/Qwen3-Embedding-0.6B', parameters: 0.596e9,
  layers: 28, hiddenSize: 1024, attentionHeads: 16, kvHeads: 8, headDim: 128, weightDType: WeightDType.BF16, maxContextLength: 32768,
});

describe('VllmModel embedding models (ModelTask.EMBED)', () => {
  /** The embedding model `embed` on an L40S pool, 8192-token inputs. */
  function addEmbedding(options: Partial<ModelOptions> = {}): Fixture {
    const platform = testPlatform();
    const pool = platform.gpu.addNodePool('l40s', L40S_POOL);
    const model = platform.serving.addModel('Embed', {
      name: 'embed', spec: QWEN3_EMBEDDING, pools: [pool], task: ModelTask.EMBED, contextLength: 8192, ...options,
    });
    return { platform, pool, model, objs: objects(platform.serving.componentOf(model)) };
  }

  test('sized like any model, run by the pooling runner, without prefix caching or an FP8 KV cache', () => {
    // GIVEN / WHEN
    const f = addEmbedding();

    // THEN
    expect(f.model.task).toBe(ModelTask.EMBED);
    expect(f.model.tensorParallelSize).toBe(1);
    expect(f.platform.serving.layoutOf(f.model)!.instanceType.name).toMatch(/^g6e\./);
    const args = containerOf(f, 'embed').args as string[];
    expect(args).toEqual([
      'Qwen/Qwen3-Embedding-0.6B',
      '--host', '0.0.0.0', '--port', '8000', '--served-model-name', 'Qwen/Qwen3-Embedding-0.6B',
      '--tensor-parallel-size', '1', '--pipeline-parallel-size', '1', '--max-model-len', '8192',
      '--gpu-memory-utilization', '0.9', '--block-size', '16', '--no-enable-prefix-caching', ACCESS_LOG,
      '--runner', 'pooling', '--convert', 'embed',
    ]);
    expect(f.model.prefixCache).toBeUndefined();
    expectValidK8sObjects(f.objs);
  });

  test('generation models keep their defaults and task GENERATE', () => {
    // GIVEN / WHEN
    const f = addLlama();

    // THEN
    expect(f.model.task).toBe(ModelTask.GENERATE);
    expect(argsOf(f)).not.toContain('--runner');
  });

  test('poolingRunnerArgs replace the runner flags; prefixCaching and kvCacheDType still apply', () => {
    // GIVEN / WHEN
    const f = addEmbedding({ poolingRunnerArgs: ['--task', 'embed'], prefixCaching: true, kvCacheDType: KvCacheDType.FP8 });

    // THEN
    const args = containerOf(f, 'embed').args as string[];
    expect(args.slice(-6)).toEqual(['--enable-prefix-caching', ACCESS_LOG, '--task', 'embed', '--kv-cache-dtype', 'fp8']);
    expect(args).not.toContain('--runner');
    expect(DEFAULT_POOLING_RUNNER_ARGS).toEqual(['--runner', 'pooling', '--convert', 'embed']);
  });

  test('errors', () => {
    expect(() => addLlama({ poolingRunnerArgs: ['--runner', 'pooling'] })).toThrow(
      "'poolingRunnerArgs' of model 'llama' apply to embedding models: set 'task: ModelTask.EMBED'");
    expect(() => addEmbedding({ poolingRunnerArgs: [] })).toThrow(
      "'poolingRunnerArgs' of embedding model 'embed' must select vLLM's pooling runner, e.g. --runner pooling");
  });
});
