import { Construct } from 'constructs';
import { IModelEndpoint, KubernetesComponent, ModelTask, ModelWorkloadKind, PlatformDefinition, PrefixCacheSettings, Stage } from '../../../lib';
import { InferencePool, InferencePoolOptions } from '../../../lib/serving/llm-d';
import { testDefinition } from '../../util';

/** What a fake model is made of; every field has a default. */
export interface FakeModelProps {
  readonly servedModelName?: string;
  readonly namespace?: string;
  readonly port?: number;
  readonly podLabels?: Record<string, string>;
  /** `null` turns prefix caching off. */
  readonly prefixCache?: PrefixCacheSettings | null;
}

/** The pod labels of the default fake model. */
export const MODEL_LABELS = { 'agentic-eks.io/model': 'qwen3-32b', 'inference.networking.k8s.io/engine-type': 'vllm' };

/** A vLLM model as the routing layer sees it, without any Kubernetes object. */
export class FakeModel extends Construct implements IModelEndpoint {
  public readonly task = ModelTask.GENERATE;
  public readonly servedModelName: string;
  public readonly namespace: string;
  public readonly serviceName = 'qwen3-32b';
  public readonly port: number;
  public readonly podLabels: Record<string, string>;
  public readonly workloadKind = ModelWorkloadKind.DEPLOYMENT;
  public readonly workloadName = 'qwen3-32b';
  public readonly workloadApiVersion = 'apps/v1';
  public readonly prefixCache?: PrefixCacheSettings;

  constructor(scope: Construct, id: string, props: FakeModelProps = {}) {
    super(scope, id);
    this.servedModelName = props.servedModelName ?? 'Qwen/Qwen3-32B';
    this.namespace = props.namespace ?? 'models';
    this.port = props.port ?? 8000;
    this.podLabels = props.podLabels ?? { ...MODEL_LABELS };
    this.prefixCache = props.prefixCache === null ? undefined : (props.prefixCache ?? { blockSize: 16, hashSeed: '42' });
  }
}

/** A definition, a component, a fake model and (unless `options` is null) a pool over it. */
export interface Fixture {
  readonly definition: PlatformDefinition;
  readonly component: KubernetesComponent;
  readonly model: FakeModel;
  readonly pool: InferencePool;
}

/** The routing component of a fresh definition, holding a fake model. */
export function modelFixture(model: FakeModelProps = {}): Omit<Fixture, 'pool'> {
  const definition = testDefinition();
  const component = new KubernetesComponent(definition, 'Routing', {
    name: 'routing',
    stage: Stage.WORKLOADS,
    description: 'Inference pools',
  });
  return { definition, component, model: new FakeModel(component, 'Model', model) };
}

/** A pool with `options` over a fake model made with `model`. */
export function poolFixture(options: InferencePoolOptions = {}, model: FakeModelProps = {}): Fixture {
  const f = modelFixture(model);
  return { ...f, pool: new InferencePool(f.component, 'Pool', { model: f.model, ...options }) };
}
