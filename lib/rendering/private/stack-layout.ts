import { createHash } from 'crypto';
import { IComponent, Stage } from '../../core/component';

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
