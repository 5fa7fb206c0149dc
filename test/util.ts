import * as fs from 'fs';
import * as path from 'path';
import { App, CfnResource, NestedStack, Size, Stack, Stage as CdkStage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Testing } from 'cdk8s';
import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { buildExamplePlatform } from '../examples/platform';
import { Cpu, Delivery, GitOpsRendering, PlatformDefinition, PlatformStack, PlatformStackProps } from '../lib';

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
  platform.karpenter.addNodePool('general', { limits: { cpu: Cpu.cores(64), memory: Size.gibibytes(256) } });
}

/** A CloudFormation resource as the tests read it. */
export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
  readonly DependsOn?: string[];
}

type TemplateJson = { Resources: Record<string, CfnResourceJson> };
const TEMPLATES = new WeakMap<Stack, { body: string; json: TemplateJson }>();

/**
 * The synthesized template of a stack or nested stack, read once and kept: Apps of one Jest worker share an output
 * directory (test/setup-env.js), so a later App with the same stack names overwrites the file. Tests that build
 * several platforms read the templates ({@link assemblyTemplates}) before building the next one.
 */
function templateOf(stack: Stack): { body: string; json: TemplateJson } {
  let t = TEMPLATES.get(stack);
  if (!t) {
    const assembly = CdkStage.of(stack)!.synth();
    const body = fs.readFileSync(path.join(assembly.directory, stack.templateFile), 'utf-8');
    TEMPLATES.set(stack, t = { body, json: JSON.parse(body) });
  }
  return t;
}

/** The stack and its nested stacks, parents first. */
function stackAndNested(stack: Stack): Stack[] {
  return [stack, ...stack.node.findAll().filter((c): c is NestedStack => NestedStack.isNestedStack(c))];
}

/**
 * Every template of a stack, its own and its nested stacks' (`*.nested.template.json`), by file name. Synthesizes
 * the App if needed.
 */
export function assemblyTemplates(stack: Stack): Map<string, { body: string; json: TemplateJson }> {
  CdkStage.of(stack)!.synth();
  return new Map(stackAndNested(stack).map((s) => [s.templateFile, templateOf(s)]));
}

/** The templates of the nested stacks the CDK rendering created, by nested stack id (synthesizes the App first). */
export function nestedTemplates(platform: PlatformStack): Map<string, Template> {
  CdkStage.of(platform)!.synth();
  return new Map(Object.entries(platform.rendering.nestedStacks).map(([id, s]) => [id, Template.fromJSON(templateOf(s).json)]));
}

/** Every resource of the parent's and the nested stacks' templates (synthesizes the App first). */
export function allResources(platform: PlatformStack): CfnResourceJson[] {
  return [...assemblyTemplates(platform).values()].flatMap((t) => Object.values(t.json.Resources));
}

/** The first resource of each matching type and predicate among the parent's and nested stacks' resources. */
export function findResource(platform: PlatformStack, type: string, match: (props: Record<string, any>) => boolean): CfnResourceJson {
  const hit = allResources(platform).find((r) => r.Type === type && match(r.Properties ?? {}));
  if (!hit) throw new Error(`no ${type} matched`);
  return hit;
}

/** Where a construct's first CloudFormation resource is: its stack and logical id. */
function locate(c: IConstruct): { stack: Stack; id: string } {
  const cfn = c instanceof CfnResource ? c : c.node.findAll().find((x): x is CfnResource => x instanceof CfnResource);
  if (!cfn) throw new Error(`no CloudFormation resource under ${c.node.path}`);
  return { stack: Stack.of(cfn), id: Stack.of(cfn).resolve(cfn.logicalId) };
}

/**
 * True when the resource of `source` waits for the resource of `target` in CloudFormation: through DependsOn, in its
 * own template or through the nested stacks that hold them (transitively). Synthesizes the App first.
 */
export function waitsFor(source: IConstruct, target: IConstruct): boolean {
  CdkStage.of(source)!.synth();
  const key = (stack: Stack, id: string) => `${stack.node.path}:${id}`;
  const edges = (stack: Stack, id: string): string[] => {
    const resources = templateOf(stack).json.Resources;
    const out = (resources[id]?.DependsOn ?? []).map((d) => key(stack, d));
    // A resource of a nested stack waits for whatever its nested stack resource waits for.
    if (NestedStack.isNestedStack(stack)) out.push(key(Stack.of(stack.nestedStackResource!), locate(stack.nestedStackResource!).id));
    return out;
  };
  const nodes = new Map<string, { stack: Stack; id: string }>();
  const s = locate(source);
  const t = locate(target);
  const goal = new Set([key(t.stack, t.id)]);
  // Waiting for a nested stack resource is waiting for everything inside it.
  for (let st: Stack = t.stack; NestedStack.isNestedStack(st); st = Stack.of(st.nestedStackResource!)) {
    goal.add(key(Stack.of(st.nestedStackResource!), locate(st.nestedStackResource!).id));
  }
  let top = Stack.of(source);
  while (NestedStack.isNestedStack(top)) top = Stack.of(top.nestedStackResource!);
  for (const st of stackAndNested(top)) for (const id of Object.keys(templateOf(st).json.Resources)) nodes.set(key(st, id), { stack: st, id });
  const seen = new Set<string>();
  const queue = edges(s.stack, s.id);
  while (queue.length > 0) {
    const k = queue.pop()!;
    if (goal.has(k)) return true;
    if (seen.has(k)) continue;
    seen.add(k);
    const n = nodes.get(k);
    if (n) queue.push(...edges(n.stack, n.id));
  }
  return false;
}
