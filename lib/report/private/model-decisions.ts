import { IConstruct } from 'constructs';
import { PlatformDefinition } from '../../core/platform-definition';
import type { KvCacheDType } from '../../serving/model-spec';
import type { ModelLayout } from '../../serving/sizing';
import type { VllmModel } from '../../serving/vllm-model';

/** How a model's layout was decided and how far it scales: what the platform report shows per model. */
export interface ModelDecision {
  /** The model. */
  readonly model: VllmModel;
  /** Its layout: from the sizing, or evaluated as given (`tensorParallelSize`). */
  readonly layout: ModelLayout;
  /** True when the operator gave the tensor-parallel size (no sizing, no runners-up). */
  readonly given: boolean;
  /** Sequences of full context the sizing was asked to hold per replica. */
  readonly concurrency: number;
  /** KV cache dtype the layout was evaluated with. */
  readonly kvCacheDType: KvCacheDType;
  /** Replicas at the least (0 when it scales to zero). */
  readonly minReplicas: number;
  /** Replicas at the most. */
  readonly maxReplicas: number;
  /** Whether KEDA scales the model between the two. */
  readonly autoscaled: boolean;
}

const DECISIONS = new WeakMap<PlatformDefinition, ModelDecision[]>();

/** Records the decision for a model of the definition `scope` belongs to (the serving layer calls it). */
export function recordModelDecision(scope: IConstruct, decision: ModelDecision): void {
  const definition = PlatformDefinition.ofConstruct(scope);
  const list = DECISIONS.get(definition) ?? [];
  list.push(decision);
  DECISIONS.set(definition, list);
}

/** The recorded decisions of a definition, in the order the models were added. */
export function modelDecisionsOf(definition: PlatformDefinition): ModelDecision[] {
  return [...(DECISIONS.get(definition) ?? [])];
}
