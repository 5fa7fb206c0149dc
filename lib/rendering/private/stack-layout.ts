import { createHash } from 'crypto';
import { HelmComponent, IComponent, Stage } from '../../core/component';
import { PlatformValidationError } from '../../core/validation';

/** One nested stack of the CDK rendering and the components it holds, in the order they are applied. */
export interface StackChunk {
  /** Construct id of the nested stack (stable: derived from the stage, the level and the part). */
  readonly id: string;
  /** The stage of every component of the chunk. */
  readonly stage: Stage;
  /** 0 for components with no dependency in their own stage; otherwise 1 + the highest level among those. */
  readonly level: number;
  /** The part of the stage this chunk is, by a hash of the component name (0 when the stage has one part). */
  readonly part: number;
  /** The components, in application order. */
  readonly components: IComponent[];
}

const STAGE_ORDER = [Stage.CRDS, Stage.CONTROLLERS, Stage.CONFIGURATION, Stage.WORKLOADS];

const STAGE_IDS: Record<Stage, string> = {
  [Stage.CRDS]: 'Crds',
  [Stage.CONTROLLERS]: 'Controllers',
  [Stage.CONFIGURATION]: 'Configuration',
  [Stage.WORKLOADS]: 'Workloads',
};

/** The part (0 to `parts` - 1) a component name falls into: the first 32 bits of its SHA-256, modulo `parts`. */
export function partOf(componentName: string, parts: number): number {
  if (parts === 1) return 0;
  return createHash('sha256').update(componentName).digest().readUInt32BE(0) % parts;
}

/**
 * Spreads components over nested stacks. A component goes to the chunk (stage, level, part): its stage; its level,
 * 0 without a dependency in its own stage, else one more than the highest level of those dependencies; and its part,
 * a hash of its name modulo the stage's number of parts. Dependencies therefore only point to an earlier stage or a
 * lower level, so the chunks never depend on each other in a cycle; and a component's chunk depends only on its
 * name and on the shape of its own dependencies, so adding or growing other components never moves it (CloudFormation
 * would replace it: install in the new nested stack, then uninstall from the old one).
 *
 * `components` must be in application order (`PlatformDefinition.components`: by stage, dependencies first).
 * Chunks come out by stage, then level, then part; empty chunks are left out.
 */
export function layoutStacks(components: IComponent[], partsOf: (stage: Stage) => number): StackChunk[] {
  const levels = new Map<IComponent, number>();
  const chunks = new Map<string, { stage: Stage; level: number; part: number; components: IComponent[] }>();
  for (const c of components) {
    let level = 0;
    for (const d of c.dependencies) {
      const dl = levels.get(d);
      if (d.stage === c.stage && dl !== undefined) level = Math.max(level, dl + 1);
    }
    levels.set(c, level);
    const parts = partsOf(c.stage);
    const part = partOf(c.componentName, parts);
    const id = `${STAGE_IDS[c.stage]}${level > 0 ? `Level${level}` : ''}${parts > 1 ? `Part${part}` : ''}`;
    let chunk = chunks.get(id);
    if (!chunk) chunks.set(id, chunk = { stage: c.stage, level, part, components: [] });
    chunk.components.push(c);
  }
  return [...chunks.entries()]
    .map(([id, c]) => ({ id, ...c }))
    .sort((a, b) => STAGE_ORDER.indexOf(a.stage) - STAGE_ORDER.indexOf(b.stage) || a.level - b.level || a.part - b.part);
}

/**
 * Budget of one nested stack, in estimated bytes of template its components add. CloudFormation takes templates of up
 * to 1 MB from S3; the estimate runs about 10% above the synthesized size (900 KB estimated is about 800 KB written),
 * which leaves room for parameters and dependencies.
 */
export const NESTED_STACK_BYTE_BUDGET = 900_000;
/** Budget of one nested stack in components (one custom resource each); CloudFormation allows 500 resources. */
export const NESTED_STACK_COMPONENT_BUDGET = 400;
/** What one custom resource adds to a template besides its manifest or values (type, properties, dependencies). */
const RESOURCE_OVERHEAD_BYTES = 1_000;
/** The prune label aws-eks-v2 adds to every object of a manifest (`aws.cdk.eks/prune-<42 characters>`). */
const PRUNE_LABEL_BYTES = 90;

/** What a component adds to its nested stack's template, estimated from its manifest or values. */
export function estimatedBytes(c: IComponent, manifest: Record<string, unknown>[] | undefined): number {
  if (manifest !== undefined) return JSON.stringify(JSON.stringify(manifest)).length + PRUNE_LABEL_BYTES * manifest.length + RESOURCE_OVERHEAD_BYTES;
  if (HelmComponent.isHelmComponent(c)) return JSON.stringify(JSON.stringify(c.values())).length + RESOURCE_OVERHEAD_BYTES;
  return RESOURCE_OVERHEAD_BYTES;
}

/** Throws when a chunk would not fit its nested stack, saying what to change. */
export function checkBudget(chunk: StackChunk, manifests: Map<IComponent, Record<string, unknown>[]>, workloadStacks: number): void {
  const sizes = chunk.components.map((c) => ({ c, bytes: estimatedBytes(c, manifests.get(c)) }));
  const total = sizes.reduce((sum, x) => sum + x.bytes, 0);
  const largest = sizes.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const kb = (n: number) => `${Math.ceil(n / 1000)} KB`;
  const raise = chunk.stage === Stage.WORKLOADS
    ? `raise 'workloadStacks' (${workloadStacks}); this moves components between nested stacks, so do it before the first deployment`
    : `the stage ${chunk.stage} has one nested stack; its largest component is '${largest.c.componentName}' (${kb(largest.bytes)})`;
  if (largest.bytes > NESTED_STACK_BYTE_BUDGET) {
    throw new PlatformValidationError(`component '${largest.c.componentName}' renders about ${kb(largest.bytes)} of manifests or values, `
      + `above the ${kb(NESTED_STACK_BYTE_BUDGET)} one nested stack of the CDK rendering can hold (CloudFormation templates are limited to 1 MB): split it`);
  }
  if (total > NESTED_STACK_BYTE_BUDGET) {
    throw new PlatformValidationError(`nested stack '${chunk.id}' of the CDK rendering would hold about ${kb(total)} of manifests and values `
      + `(${chunk.components.length} components), above its ${kb(NESTED_STACK_BYTE_BUDGET)} budget (CloudFormation templates are limited to 1 MB): ${raise}`);
  }
  if (chunk.components.length > NESTED_STACK_COMPONENT_BUDGET) {
    throw new PlatformValidationError(`nested stack '${chunk.id}' of the CDK rendering would hold ${chunk.components.length} components, `
      + `above its budget of ${NESTED_STACK_COMPONENT_BUDGET} (CloudFormation allows 500 resources per stack): ${raise}`);
  }
}

