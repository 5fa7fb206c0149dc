import { App, Size, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Testing } from 'cdk8s';
import { Chart } from 'cdk8s';
import { buildExamplePlatform } from '../examples/platform';
import { Delivery, GitOpsRendering, PlatformDefinition, PlatformStack, PlatformStackProps } from '../lib';

/** The region every test platform uses. */
export const REGION = 'us-west-2';
/** A GitOps repository for tests. */
export const REPO = 'https://github.com/example-org/platform.git';

/** A PlatformStack in a fresh App with sensible test defaults; `props` override them. */
export function testPlatform(props: Partial<PlatformStackProps> = {}): PlatformStack {
  const app = new App();
  return new PlatformStack(app, 'Test', {
    env: { region: REGION },
    clusterName: 'test',
    gitOps: { repoUrl: REPO },
    // Gated presets (Llama 3.1) need a Hugging Face token; tests that check the refusal pass `serving: {}`.
    serving: { huggingFaceToken: { secretName: 'hf-token' } },
    ...props,
  });
}

/** A bare Kubernetes-side definition (no AWS side) for construct tests. */
export function testDefinition(clusterName = 'test'): PlatformDefinition {
  return new PlatformDefinition({ clusterName, region: REGION, kubernetesVersion: '1.36' });
}

/** The synthesized CloudFormation template of a stack. */
export function template(stack: Stack): Template {
  return Template.fromStack(stack);
}

/** The Kubernetes objects of a cdk8s chart. */
export function objects(chart: Chart): Record<string, unknown>[] {
  return Testing.synth(chart) as Record<string, unknown>[];
}

/** Finds one object by kind and name among `objs`; throws when absent. */
export function find(objs: Record<string, unknown>[], kind: string, name: string): Record<string, any> {
  const hit = objs.find((o) => o.kind === kind && (o.metadata as { name?: string } | undefined)?.name === name);
  if (!hit) throw new Error(`no ${kind} '${name}' among ${objs.map((o) => `${o.kind}/${(o.metadata as { name?: string }).name}`).join(', ')}`);
  return hit as Record<string, any>;
}

/** Every object of both renderings of a platform: the GitOps folders and the manifests the CDK rendering applies. */
export function allGitOpsObjects(platform: PlatformStack): Record<string, unknown>[] {
  return GitOpsRendering.folders(platform.definition, platform.gitOps!).flatMap((f) => f.objects);
}

/** The example platform of `examples/`, in a fresh App. */
export function examplePlatform(delivery: Delivery = Delivery.CDK): PlatformStack {
  return buildExamplePlatform(new App(), delivery);
}


/**
 * Adds a general-purpose (CPU) NodePool: platform workloads that are not GPU models (LiteLLM, its databases, endpoint
 * pickers) need one, or the `pods-schedulable` platform check refuses the platform.
 */
export function addGeneralPool(platform: PlatformStack): void {
  platform.karpenter.addNodePool('general', { limits: { cpu: 64, memory: Size.gibibytes(256) } });
}
