import { App, Size } from 'aws-cdk-lib';
import {
  CapacityReservationSelector, CapacityType, ConsolidationPolicy, Delivery, DeviceManagement, GpuModel, ModelSpec, PlatformStack,
  WeightDType,
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
  });

  // Platform workloads (gateways, observability, databases) run here; GPU pools come from the GPU layer.
  platform.karpenter.addNodePool('general', {
    capacityTypes: [CapacityType.SPOT, CapacityType.ON_DEMAND],
    instanceCategories: ['c', 'm', 'r'],
    limits: { cpu: 256, memory: Size.gibibytes(1024) },
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
    replicas: 1,
    limits: { gpus: 8 },
  });
  platform.gpu.dra.addMigClaimTemplate('Mig1g10gb', { namespace: 'models', name: 'mig-1g-10gb', profile: '1g.10gb' });

  // A small model, sized onto the L40S pool and autoscaled by KEDA on vLLM's queue depth.
  platform.serving.addModel('Llama8b', {
    name: 'llama-3-1-8b',
    spec: ModelSpec.LLAMA_3_1_8B,
    pools: [inference],
    contextLength: 16384,
    concurrency: 32,
    autoscaling: { minReplicas: 1, maxReplicas: 4 },
  });
  // A large model with tensor parallelism (the sizing picks the layout).
  platform.serving.addModel('Qwen32b', {
    name: 'qwen3-32b',
    spec: ModelSpec.QWEN3_32B,
    pools: [inference],
    contextLength: 32768,
    concurrency: 16,
    autoscaling: { minReplicas: 1, maxReplicas: 2 },
    routing: { scorers: { queue: 2, kvCacheUtilization: 2, prefixCache: 3 } },
  });
  // A model larger than one node: pipeline-parallel across p5.48xlarge nodes on a LeaderWorkerSet with EFA.
  platform.serving.addModel('Llama405b', {
    name: 'llama-3-1-405b',
    spec: LLAMA_3_1_405B,
    pools: [h100],
    contextLength: 32768,
    concurrency: 8,
  });
  return platform;
}
