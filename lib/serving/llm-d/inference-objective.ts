import { Construct } from 'constructs';
import type { IInferencePool } from './inference-pool';
import { InferenceObjective as InferenceObjectiveResource } from '../../../imports/llmd-inferenceobjective-llm-d.ai';
import { check, checkDnsSubdomain, isToken } from '../../core/validation';

/** The CRD stores `priority` as an int32. */
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Options of an InferenceObjective, for {@link InferencePool.addObjective}. */
export interface InferenceObjectiveOptions {
  /**
   * Object name; requests name it in the `x-gateway-inference-objective` header. A DNS subdomain, unique in the
   * namespace.
   */
  readonly name: string;
  /**
   * Priority of the requests naming this objective when the pool's flow control queues requests: higher is served
   * first; negative values are allowed; requests without an objective count as 0. A whole number (int32).
   * @see https://github.com/llm-d/llm-d-router/blob/v0.10.0/config/crd/bases/llm-d.ai_inferenceobjectives.yaml
   */
  readonly priority: number;
}

/** Props of an InferenceObjective. */
export interface InferenceObjectiveProps extends InferenceObjectiveOptions {
  /** The pool the objective applies to; the objective goes into its namespace. */
  readonly pool: IInferencePool;
}

/**
 * An InferenceObjective (`llm-d.ai/v1alpha2`, moved from the Inference Extension into llm-d-router): a priority for
 * the requests of one use case served by an InferencePool. Create it with {@link InferencePool.addObjective}.
 */
export class InferenceObjective extends Construct {
  /** Object name. */
  public readonly objectiveName: string;
  /** Priority. */
  public readonly priority: number;
  /** The pool. */
  public readonly pool: IInferencePool;

  constructor(scope: Construct, id: string, props: InferenceObjectiveProps) {
    super(scope, id);
    checkDnsSubdomain('name', props.name);
    check(!isToken(props.priority),
      `'priority' must be a literal number, not a token: Kubernetes manifests of the GitOps rendering cannot carry CloudFormation tokens`);
    check(Number.isInteger(props.priority) && props.priority >= INT32_MIN && props.priority <= INT32_MAX,
      `'priority' (${props.priority}) of InferenceObjective '${props.name}' must be a whole number between ${INT32_MIN} and ${INT32_MAX}`);
    this.objectiveName = props.name;
    this.priority = props.priority;
    this.pool = props.pool;
    const ref = props.pool.backendRef();

    new InferenceObjectiveResource(this, 'Resource', {
      metadata: { name: props.name, namespace: props.pool.namespace },
      spec: {
        poolRef: { group: ref.group, kind: ref.kind, name: ref.name },
        priority: props.priority,
      },
    });
  }
}
