import { Duration, Token } from 'aws-cdk-lib';
import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  DEFAULT_PROMETHEUS_URL, ModelAutoscaling, ModelAutoscalingProps,
} from '../../../lib/serving/autoscaling/model-autoscaling';
import { IModelEndpoint, ModelTask, ModelWorkloadKind } from '../../../lib/serving/model-endpoint';
import { expectValidK8sObjects } from '../../k8s-schema';
import { objects } from '../../util';

/** A served model as the autoscaling layer sees it, without the serving layer behind it. */
class FakeModel extends Construct implements IModelEndpoint {
  public readonly task = ModelTask.GENERATE;
  public readonly servedModelName: string;
  public readonly namespace = 'models';
  public readonly serviceName = 'llama';
  public readonly port = 8000;
  public readonly podLabels = { 'agentic-eks.io/model': 'llama' };
  public readonly workloadKind: ModelWorkloadKind;
  public readonly workloadName = 'llama';
  public readonly workloadApiVersion: string;

  constructor(scope: Construct, id: string, options: { kind?: ModelWorkloadKind; servedModelName?: string } = {}) {
    super(scope, id);
    this.servedModelName = options.servedModelName ?? 'llama-3.1-8b';
    this.workloadKind = options.kind ?? ModelWorkloadKind.DEPLOYMENT;
    this.workloadApiVersion = this.workloadKind === ModelWorkloadKind.DEPLOYMENT ? 'apps/v1' : 'leaderworkerset.x-k8s.io/v1';
  }
}

const SELECTOR = '{namespace="models",service="llama",model_name="llama-3.1-8b"}';
const QUEUE_TRIGGER = {
  type: 'prometheus',
  name: 'vllm-queue-depth',
  metricType: 'AverageValue',
  metadata: {
    serverAddress: 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090',
    query: `sum(vllm:num_requests_waiting${SELECTOR})`,
    threshold: '5',
  },
};

interface Fixture {
  readonly chart: Chart;
  readonly autoscaling: ModelAutoscaling;
}

/** A ModelAutoscaling of a fake model in a fresh chart; `props` override the defaults. */
function newAutoscaling(
  props: Partial<ModelAutoscalingProps> = {},
  model: { kind?: ModelWorkloadKind; servedModelName?: string } = {},
): Fixture {
  const chart = Testing.chart();
  const autoscaling = new ModelAutoscaling(chart, 'Autoscaling', {
    model: new FakeModel(chart, 'Model', model),
    maxReplicas: 8,
    ...props,
  });
  return { chart, autoscaling };
}

/** The one ScaledObject of a ModelAutoscaling built with `props`. */
function scaledObject(props: Partial<ModelAutoscalingProps> = {}): Record<string, any> {
  const objs = objects(newAutoscaling(props).chart);
  expect(objs).toHaveLength(1);
  return objs[0] as Record<string, any>;
}

/** Builds a ModelAutoscaling and returns the error message, or undefined. */
function errorOf(props: Partial<ModelAutoscalingProps>): string | undefined {
  try {
    newAutoscaling(props);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

describe('ModelAutoscaling', () => {
  describe('defaults', () => {
    test('emits one ScaledObject on the queue depth, one replica warm, fallback and slow scale-down', () => {
      // GIVEN / WHEN
      const obj = scaledObject();

      // THEN
      expect(obj).toEqual({
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledObject',
        metadata: { name: 'llama', namespace: 'models' },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'llama' },
          pollingInterval: 15,
          minReplicaCount: 1,
          maxReplicaCount: 8,
          fallback: { failureThreshold: 3, replicas: 1, behavior: 'currentReplicasIfHigher' },
          advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: 600 } } } },
          triggers: [QUEUE_TRIGGER],
        },
      });
    });

    test('never emits a HorizontalPodAutoscaler (KEDA creates its own)', () => {
      // GIVEN
      const { chart } = newAutoscaling({ kvCacheUtilization: 0.8 });

      // WHEN
      const kinds = objects(chart).map((o) => o.kind);

      // THEN
      expect(kinds).toEqual(['ScaledObject']);
    });

    test('has no cooldownPeriod or idleReplicaCount without scale to zero', () => {
      // GIVEN / WHEN
      const spec = scaledObject().spec;

      // THEN
      expect(spec.cooldownPeriod).toBeUndefined();
      expect(spec.idleReplicaCount).toBeUndefined();
    });

    test('exposes what it decided', () => {
      // GIVEN / WHEN
      const { autoscaling } = newAutoscaling();

      // THEN
      expect([autoscaling.minReplicas, autoscaling.maxReplicas, autoscaling.scalesToZero]).toEqual([1, 8, false]);
      expect(autoscaling.scaledObject.node.id).toBe('Resource');
      expect(autoscaling.scaledObject.kind).toBe('ScaledObject');
    });

    test('queries the in-cluster kube-prometheus-stack Prometheus', () => {
      // GIVEN / WHEN / THEN
      expect(DEFAULT_PROMETHEUS_URL).toBe('http://kube-prometheus-stack-prometheus.monitoring.svc:9090');
    });

    test('is a valid ScaledObject (strict schema and CEL)', () => {
      // GIVEN / WHEN / THEN
      expectValidK8sObjects([scaledObject()]);
    });
  });

  describe('scale target', () => {
    test('a LeaderWorkerSet is targeted with its API version and kind', () => {
      // GIVEN
      const { chart } = newAutoscaling({}, { kind: ModelWorkloadKind.LEADER_WORKER_SET });

      // WHEN
      const obj = objects(chart)[0] as Record<string, any>;

      // THEN
      expect(obj.spec.scaleTargetRef).toEqual({ apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', name: 'llama' });
      expectValidK8sObjects([obj]);
    });
  });

  describe('props', () => {
    test('minReplicas and maxReplicas set the replica bounds', () => {
      // GIVEN / WHEN
      const obj = scaledObject({ minReplicas: 2, maxReplicas: 4 });

      // THEN
      expect([obj.spec.minReplicaCount, obj.spec.maxReplicaCount]).toEqual([2, 4]);
      expect(obj.spec.fallback.replicas).toBe(2);
      expectValidK8sObjects([obj]);
    });

    test('minReplicas may equal maxReplicas', () => {
      // GIVEN / WHEN
      const obj = scaledObject({ minReplicas: 3, maxReplicas: 3 });

      // THEN
      expect([obj.spec.minReplicaCount, obj.spec.maxReplicaCount]).toEqual([3, 3]);
      expectValidK8sObjects([obj]);
    });

    test('queueDepthPerReplica sets the queue trigger threshold as a string', () => {
      // GIVEN / WHEN
      const obj = scaledObject({ queueDepthPerReplica: 2.5 });

      // THEN
      expect(obj.spec.triggers[0].metadata.threshold).toBe('2.5');
      expectValidK8sObjects([obj]);
    });

    test('kvCacheUtilization adds a second trigger on the KV-cache use averaged over replicas', () => {
      // GIVEN / WHEN
      const obj = scaledObject({ kvCacheUtilization: 0.8 });

      // THEN
      expect(obj.spec.triggers).toEqual([QUEUE_TRIGGER, {
        type: 'prometheus',
        name: 'vllm-kv-cache',
        metricType: 'AverageValue',
        metadata: {
          serverAddress: DEFAULT_PROMETHEUS_URL,
          query: `sum(vllm:kv_cache_usage_perc${SELECTOR})`,
          threshold: '0.8',
        },
      }]);
      expectValidK8sObjects([obj]);
    });

    test('kvCacheUtilization 1 is allowed', () => {
      // GIVEN / WHEN
      const obj = scaledObject({ kvCacheUtilization: 1 });

      // THEN
      expect(obj.spec.triggers[1].metadata.threshold).toBe('1');
    });

    test('pollingInterval is written in seconds', () => {
      // GIVEN / WHEN
      const obj = scaledObject({ pollingInterval: Duration.minutes(1) });

      // THEN
      expect(obj.spec.pollingInterval).toBe(60);
      expectValidK8sObjects([obj]);
    });

    test('scaleDownStabilization sets the HPA scale-down window', () => {
      // GIVEN / WHEN
      const obj = scaledObject({ scaleDownStabilization: Duration.minutes(30) });

      // THEN
      expect(obj.spec.advanced.horizontalPodAutoscalerConfig.behavior).toEqual({ scaleDown: { stabilizationWindowSeconds: 1800 } });
      expectValidK8sObjects([obj]);
    });

    test('scaleDownStabilization may be zero', () => {
      // GIVEN / WHEN
      const obj = scaledObject({ scaleDownStabilization: Duration.seconds(0) });

      // THEN
      expect(obj.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds).toBe(0);
    });

    test('scaleUpStabilization sets the HPA scale-up window', () => {
      // GIVEN / WHEN
      const obj = scaledObject({ scaleUpStabilization: Duration.seconds(30) });

      // THEN
      expect(obj.spec.advanced.horizontalPodAutoscalerConfig.behavior).toEqual({
        scaleDown: { stabilizationWindowSeconds: 600 },
        scaleUp: { stabilizationWindowSeconds: 30 },
      });
      expectValidK8sObjects([obj]);
    });

    test('fallbackReplicas sets the replicas kept while Prometheus is unreachable', () => {
      // GIVEN / WHEN
      const obj = scaledObject({ minReplicas: 1, fallbackReplicas: 4 });

      // THEN
      expect(obj.spec.fallback).toEqual({ failureThreshold: 3, replicas: 4, behavior: 'currentReplicasIfHigher' });
      expectValidK8sObjects([obj]);
    });

    test('prometheusUrl is the server address of every trigger', () => {
      // GIVEN
      const url = 'https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-123';

      // WHEN
      const obj = scaledObject({
        prometheusUrl: url,
        kvCacheUtilization: 0.9,
        minReplicas: 0,
        scaleToZero: { activationQuery: 'sum(gateway_pending{model="llama"})', activationThreshold: 0 },
      });

      // THEN
      expect(obj.spec.triggers.map((t: any) => t.metadata.serverAddress)).toEqual([url, url, url]);
      expectValidK8sObjects([obj]);
    });

    test('every trigger metadata value is a string', () => {
      // GIVEN / WHEN
      const obj = scaledObject({
        queueDepthPerReplica: 3,
        kvCacheUtilization: 0.75,
        scaleToZero: { activationQuery: 'sum(gateway_pending)', activationThreshold: 2 },
      });

      // THEN
      for (const t of obj.spec.triggers) {
        for (const value of Object.values(t.metadata)) expect(typeof value).toBe('string');
      }
    });

    test('quotes and backslashes in the served model name are escaped in PromQL', () => {
      // GIVEN
      const { chart } = newAutoscaling({}, { servedModelName: 'a"b\\c' });

      // WHEN
      const obj = objects(chart)[0] as Record<string, any>;

      // THEN
      expect(obj.spec.triggers[0].metadata.query).toBe('sum(vllm:num_requests_waiting{namespace="models",service="llama",model_name="a\\"b\\\\c"})');
    });
  });

  describe('scale to zero', () => {
    const scaleToZero = { activationQuery: 'sum(inference_pool_queue{pool="llama"})', activationThreshold: 1 };

    test('minReplicas 0 scales to zero with minReplicaCount 0, a cooldown and the activation trigger', () => {
      // GIVEN / WHEN
      const obj = scaledObject({ minReplicas: 0, scaleToZero });

      // THEN
      expect(obj.spec).toEqual({
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'llama' },
        pollingInterval: 15,
        minReplicaCount: 0,
        maxReplicaCount: 8,
        cooldownPeriod: 300,
        fallback: { failureThreshold: 3, replicas: 1, behavior: 'currentReplicasIfHigher' },
        advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: 600 } } } },
        triggers: [QUEUE_TRIGGER, {
          type: 'prometheus',
          name: 'activation',
          metricType: 'AverageValue',
          metadata: {
            serverAddress: DEFAULT_PROMETHEUS_URL,
            query: 'sum(inference_pool_queue{pool="llama"})',
            threshold: '1000000000',
            activationThreshold: '1',
          },
        }],
      });
      expectValidK8sObjects([obj]);
    });

    test('minReplicas above 0 idles at zero and comes back with minReplicas', () => {
      // GIVEN / WHEN
      const obj = scaledObject({ minReplicas: 2, scaleToZero });

      // THEN
      expect([obj.spec.idleReplicaCount, obj.spec.minReplicaCount, obj.spec.cooldownPeriod]).toEqual([0, 2, 300]);
      expect(obj.spec.fallback.replicas).toBe(2);
      expectValidK8sObjects([obj]);
    });

    test('reports that it scales to zero', () => {
      // GIVEN / WHEN
      const { autoscaling } = newAutoscaling({ minReplicas: 0, scaleToZero });

      // THEN
      expect([autoscaling.minReplicas, autoscaling.scalesToZero]).toEqual([0, true]);
    });

    test('cooldownPeriod sets how long the model must be idle before zero', () => {
      // GIVEN / WHEN
      const obj = scaledObject({ minReplicas: 0, scaleToZero, cooldownPeriod: Duration.minutes(30) });

      // THEN
      expect(obj.spec.cooldownPeriod).toBe(1800);
      expectValidK8sObjects([obj]);
    });

    test('an explicit fallbackReplicas of 0 is kept', () => {
      // GIVEN / WHEN
      const obj = scaledObject({ minReplicas: 0, scaleToZero, fallbackReplicas: 0 });

      // THEN
      expect(obj.spec.fallback.replicas).toBe(0);
      expectValidK8sObjects([obj]);
    });
  });

  describe('errors', () => {
    test.each([
      [{ minReplicas: 5, maxReplicas: 2 }, `'minReplicas' (5) is above 'maxReplicas' (2) for model 'llama-3.1-8b'`],
      [{ minReplicas: 0 }, `'minReplicas' 0 of model 'llama-3.1-8b' needs 'scaleToZero.activationQuery': vLLM exports no metrics while no pod runs, so KEDA would never scale up again`],
      [{ minReplicas: 0, scaleToZero: { activationQuery: ' ', activationThreshold: 0 } },
        `'minReplicas' 0 of model 'llama-3.1-8b' needs 'scaleToZero.activationQuery': vLLM exports no metrics while no pod runs, so KEDA would never scale up again`],
      [{ maxReplicas: 0 }, `'maxReplicas' (0) of model 'llama-3.1-8b' must be a whole number of at least 1`],
      [{ maxReplicas: 2.5 }, `'maxReplicas' (2.5) of model 'llama-3.1-8b' must be a whole number of at least 1`],
      [{ minReplicas: -1 }, `'minReplicas' (-1) of model 'llama-3.1-8b' must be a whole number of at least 0`],
      [{ minReplicas: 1.5 }, `'minReplicas' (1.5) of model 'llama-3.1-8b' must be a whole number of at least 0`],
      [{ kvCacheUtilization: 0 }, `'kvCacheUtilization' (0) of model 'llama-3.1-8b' must be above 0 and at most 1`],
      [{ kvCacheUtilization: 1.2 }, `'kvCacheUtilization' (1.2) of model 'llama-3.1-8b' must be above 0 and at most 1`],
      [{ kvCacheUtilization: -0.5 }, `'kvCacheUtilization' (-0.5) of model 'llama-3.1-8b' must be above 0 and at most 1`],
      [{ queueDepthPerReplica: 0 }, `'queueDepthPerReplica' (0) of model 'llama-3.1-8b' must be above 0`],
      [{ queueDepthPerReplica: -3 }, `'queueDepthPerReplica' (-3) of model 'llama-3.1-8b' must be above 0`],
      [{ cooldownPeriod: Duration.minutes(10) },
        `'cooldownPeriod' of model 'llama-3.1-8b' applies only when scaling to zero: set 'scaleToZero' or leave it out`],
      [{ fallbackReplicas: 9 }, `'fallbackReplicas' (9) is above 'maxReplicas' (8) for model 'llama-3.1-8b'`],
      [{ fallbackReplicas: -1 }, `'fallbackReplicas' (-1) of model 'llama-3.1-8b' must be a whole number of at least 0`],
      [{ prometheusUrl: 'prometheus:9090' }, `'prometheusUrl' (prometheus:9090) of model 'llama-3.1-8b' must be an http:// or https:// URL`],
      [{ pollingInterval: Duration.seconds(0) }, `'pollingInterval' (0 seconds) of model 'llama-3.1-8b' must be a whole number of seconds, at least 1 s`],
      [{ pollingInterval: Duration.millis(1500) }, `'pollingInterval' (1 second 500 millis) of model 'llama-3.1-8b' must be a whole number of seconds, at least 1 s`],
      [{ scaleDownStabilization: Duration.hours(2) },
        `'scaleDownStabilization' (2 hours) of model 'llama-3.1-8b' must be a whole number of seconds, from 0 to 3600 s`],
      [{ scaleUpStabilization: Duration.minutes(61) },
        `'scaleUpStabilization' (1 hour 1 minute) of model 'llama-3.1-8b' must be a whole number of seconds, from 0 to 3600 s`],
      [{ scaleToZero: { activationQuery: 'sum(x)', activationThreshold: -1 } },
        `'scaleToZero.activationThreshold' (-1) of model 'llama-3.1-8b' must be 0 or more`],
      [{ scaleToZero: { activationQuery: '', activationThreshold: 0 } }, `'scaleToZero.activationQuery' must not be empty`],
    ])('%p is rejected', (props, message) => {
      // GIVEN / WHEN / THEN
      expect(errorOf(props as Partial<ModelAutoscalingProps>)).toBe(message);
    });

    test('a token for maxReplicas is rejected: manifests cannot carry CloudFormation tokens', () => {
      // GIVEN / WHEN / THEN
      expect(errorOf({ maxReplicas: Token.asNumber({ Ref: 'Max' }) }))
        .toBe(`'maxReplicas' of model 'llama-3.1-8b' must be a literal number, not a token`);
    });

    test('a token for pollingInterval is rejected', () => {
      // GIVEN / WHEN / THEN
      expect(errorOf({ pollingInterval: Duration.seconds(Token.asNumber({ Ref: 'Poll' })) }))
        .toBe(`'pollingInterval' of model 'llama-3.1-8b' must be a literal duration, not a token`);
    });
  });
});
