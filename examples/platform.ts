import { App, Size } from 'aws-cdk-lib';
import { CapacityType, ConsolidationPolicy, Delivery, PlatformStack } from '../lib';

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
  });

  // Platform workloads (gateways, observability, databases) run here; GPU pools come from the GPU layer.
  platform.karpenter.addNodePool('general', {
    capacityTypes: [CapacityType.SPOT, CapacityType.ON_DEMAND],
    instanceCategories: ['c', 'm', 'r'],
    limits: { cpu: 256, memory: Size.gibibytes(1024) },
    disruption: { consolidationPolicy: ConsolidationPolicy.WHEN_EMPTY_OR_UNDERUTILIZED },
  });
  return platform;
}
