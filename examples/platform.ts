import { App, Size } from 'aws-cdk-lib';
import {
  CapacityReservationSelector, CapacityType, ConsolidationPolicy, Delivery, DeviceManagement, GpuModel, PlatformStack,
} from '../lib';

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
  platform.gpu.addNodePool('inference', {
    gpus: [GpuModel.L40S],
    capacityTypes: [CapacityType.SPOT, CapacityType.ON_DEMAND],
    limits: { gpus: 32 },
  });

  // Training and large models: H100 (p5.48xlarge) with EFA in a cluster placement group, reserved capacity first.
  platform.gpu.addNodePool('h100-efa', {
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
  return platform;
}
