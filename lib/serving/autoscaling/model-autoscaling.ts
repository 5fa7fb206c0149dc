import { ApiObject } from 'cdk8s';
import { Duration, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  ScaledObject, ScaledObjectSpec, ScaledObjectSpecFallbackBehavior, ScaledObjectSpecTriggers,
} from '../../../imports/keda-scaledobject-keda.sh';
import { check, checkLiteral } from '../../core/validation';
import { IModelEndpoint } from '../model-endpoint';

/** In-cluster Prometheus of kube-prometheus-stack (release `kube-prometheus-stack` in namespace `monitoring`). */
export const DEFAULT_PROMETHEUS_URL = 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090';

/**
 * Scaling target of the activation trigger: so large that the trigger never asks the HPA for a second replica, so
 * only the vLLM triggers scale out. KEDA keeps thresholds as milli-quantities in an int64; 1e9 fits.
 */
const ACTIVATION_ONLY_THRESHOLD = 1_000_000_000;

/** Prometheus outages (failed queries in a row) after which KEDA falls back to `fallbackReplicas`. */
const FALLBACK_FAILURE_THRESHOLD = 3;

/** HPA `stabilizationWindowSeconds` allows at most one hour. */
const MAX_STABILIZATION_SECONDS = 3600;

/** How a model scales to zero and back. */
export interface ScaleToZeroOptions {
  /**
   * PromQL query returning one value that exists while **no** model pod runs, e.g. the requests for this model
   * queued at the gateway or the inference pool's endpoint picker. vLLM's own metrics cannot wake a model: at zero
   * replicas nothing exports them. The query also keeps the model awake while it is above `activationThreshold`.
   */
  readonly activationQuery: string;
  /**
   * KEDA scales the model from zero when the activation query is above this value (`activationThreshold`), and back
   * to zero once it and the vLLM queue have stayed at or below it for `cooldownPeriod`.
   * @see https://keda.sh/docs/2.20/concepts/scaling-deployments/#activating-and-scaling-thresholds
   */
  readonly activationThreshold: number;
}

/** Props of a model's autoscaling. */
export interface ModelAutoscalingProps {
  /** The served model to scale: its Deployment or LeaderWorkerSet is the scale target. */
  readonly model: IModelEndpoint;
  /**
   * Fewest replicas while the model is in use. `0` needs `scaleToZero`.
   *
   * The default keeps one replica warm: a replica started from zero waits for a GPU node (Karpenter launch), the
   * image pull and the weight load, which take minutes, and vLLM exports no metrics while no pod runs, so KEDA can
   * only wake a model through a metric of something else (`scaleToZero.activationQuery`).
   * @default 1
   */
  readonly minReplicas?: number;
  /** Most replicas (for a LeaderWorkerSet: groups). */
  readonly maxReplicas: number;
  /**
   * Target of requests waiting in vLLM's queue per replica (`vllm:num_requests_waiting`, summed over the model's
   * pods and divided by the replicas: metric type `AverageValue`).
   * @default 5
   */
  readonly queueDepthPerReplica?: number;
  /**
   * Target of the KV-cache use averaged over the replicas (`vllm:kv_cache_usage_perc`, 0 to 1), as a second trigger:
   * the HPA follows whichever trigger asks for more replicas.
   * @default - no KV-cache trigger
   */
  readonly kvCacheUtilization?: number;
  /**
   * How often KEDA queries Prometheus (`pollingInterval`). Whole seconds.
   * @default Duration.seconds(15)
   */
  readonly pollingInterval?: Duration;
  /**
   * How long every trigger must stay inactive before KEDA scales the model to zero (`cooldownPeriod`). Applies only
   * to scaling to zero, so only allowed with `scaleToZero`. Whole seconds.
   * @default Duration.minutes(5)
   */
  readonly cooldownPeriod?: Duration;
  /**
   * Scale-down stabilization window of the HPA
   * (`advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds`): the HPA removes
   * replicas only when every recommendation of this window asks for fewer. Long, because a replica removed by
   * mistake takes minutes to come back. Whole seconds, at most one hour.
   * @default Duration.minutes(10)
   */
  readonly scaleDownStabilization?: Duration;
  /**
   * Scale-up stabilization window of the HPA (`...behavior.scaleUp.stabilizationWindowSeconds`). Whole seconds, at
   * most one hour.
   * @default - the HPA's default (0: scale up at once)
   */
  readonly scaleUpStabilization?: Duration;
  /**
   * Replicas to keep when Prometheus cannot be queried 3 times in a row (`fallback`, behaviour
   * `currentReplicasIfHigher`: a model busier than this keeps its replicas through the outage).
   * @default - minReplicas, at least 1
   */
  readonly fallbackReplicas?: number;
  /**
   * Prometheus the triggers query (`serverAddress`).
   * @default 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090'
   */
  readonly prometheusUrl?: string;
  /**
   * Lets the model scale to zero while idle, and wakes it on a metric that exists without model pods. With
   * `minReplicas` 0 the model comes back with one replica (`minReplicaCount: 0`); with more, it comes back with
   * `minReplicas` (`idleReplicaCount: 0`).
   * @default - never below minReplicas
   * @see https://keda.sh/docs/2.20/reference/scaledobject-spec/#idlereplicacount
   */
  readonly scaleToZero?: ScaleToZeroOptions;
}

/**
 * Autoscaling of a served model by KEDA: one `keda.sh/v1alpha1` ScaledObject, named after the model's workload, in
 * its namespace, with Prometheus triggers on vLLM's queue depth (and optionally KV-cache use). KEDA creates and owns
 * the HorizontalPodAutoscaler (`keda-hpa-<name>`); none is emitted here. Add it to a cdk8s chart of the serving
 * layer, after the KEDA operator.
 *
 * Queries select the pods of the scale target only: by `namespace` and `service`, the labels the Prometheus operator
 * puts on every series scraped through the model's ServiceMonitor (the target's namespace and the name of the Service
 * the endpoint belongs to; each model has its own Service and ServiceMonitor), plus `model_name`, the label vLLM puts
 * on every metric: `sum(vllm:num_requests_waiting{namespace="models",service="llama",model_name="llama"})`. The
 * served name alone is not enough: two models in one namespace may serve the same name (a canary, another
 * precision), and each would then scale on the other's queue.
 */
export class ModelAutoscaling extends Construct {
  /** The ScaledObject. */
  public readonly scaledObject: ApiObject;
  /** Fewest replicas while in use. */
  public readonly minReplicas: number;
  /** Most replicas. */
  public readonly maxReplicas: number;
  /** Whether the model scales to zero while idle. */
  public readonly scalesToZero: boolean;

  constructor(scope: Construct, id: string, props: ModelAutoscalingProps) {
    super(scope, id);
    const model = props.model;
    const name = model.servedModelName;
    const minReplicas = props.minReplicas ?? 1;
    const maxReplicas = props.maxReplicas;
    const queueDepth = props.queueDepthPerReplica ?? 5;
    const prometheusUrl = props.prometheusUrl ?? DEFAULT_PROMETHEUS_URL;
    const scaleToZero = props.scaleToZero;

    literalNumber('maxReplicas', maxReplicas, name);
    check(Number.isInteger(maxReplicas) && maxReplicas >= 1,
      `'maxReplicas' (${maxReplicas}) of model '${name}' must be a whole number of at least 1`);
    literalNumber('minReplicas', minReplicas, name);
    check(Number.isInteger(minReplicas) && minReplicas >= 0,
      `'minReplicas' (${minReplicas}) of model '${name}' must be a whole number of at least 0`);
    check(minReplicas <= maxReplicas,
      `'minReplicas' (${minReplicas}) is above 'maxReplicas' (${maxReplicas}) for model '${name}'`);
    check(minReplicas > 0 || (scaleToZero !== undefined && scaleToZero.activationQuery.trim().length > 0),
      `'minReplicas' 0 of model '${name}' needs 'scaleToZero.activationQuery': vLLM exports no metrics while no pod runs, so KEDA would never scale up again`);
    literalNumber('queueDepthPerReplica', queueDepth, name);
    check(Number.isFinite(queueDepth) && queueDepth > 0,
      `'queueDepthPerReplica' (${queueDepth}) of model '${name}' must be above 0`);
    const kv = props.kvCacheUtilization;
    if (kv !== undefined) {
      literalNumber('kvCacheUtilization', kv, name);
      check(Number.isFinite(kv) && kv > 0 && kv <= 1,
        `'kvCacheUtilization' (${kv}) of model '${name}' must be above 0 and at most 1`);
    }
    checkLiteral('prometheusUrl', prometheusUrl);
    check(/^https?:\/\/\S+$/.test(prometheusUrl),
      `'prometheusUrl' (${prometheusUrl}) of model '${name}' must be an http:// or https:// URL`);
    if (scaleToZero !== undefined) {
      checkLiteral('scaleToZero.activationQuery', scaleToZero.activationQuery);
      literalNumber('scaleToZero.activationThreshold', scaleToZero.activationThreshold, name);
      check(Number.isFinite(scaleToZero.activationThreshold) && scaleToZero.activationThreshold >= 0,
        `'scaleToZero.activationThreshold' (${scaleToZero.activationThreshold}) of model '${name}' must be 0 or more`);
    }
    check(props.cooldownPeriod === undefined || scaleToZero !== undefined,
      `'cooldownPeriod' of model '${name}' applies only when scaling to zero: set 'scaleToZero' or leave it out`);
    const fallbackReplicas = props.fallbackReplicas ?? Math.max(minReplicas, 1);
    literalNumber('fallbackReplicas', fallbackReplicas, name);
    check(Number.isInteger(fallbackReplicas) && fallbackReplicas >= 0,
      `'fallbackReplicas' (${fallbackReplicas}) of model '${name}' must be a whole number of at least 0`);
    check(fallbackReplicas <= maxReplicas,
      `'fallbackReplicas' (${fallbackReplicas}) is above 'maxReplicas' (${maxReplicas}) for model '${name}'`);

    const pollingInterval = wholeSeconds('pollingInterval', props.pollingInterval ?? Duration.seconds(15), name, 1);
    const scaleDown = wholeSeconds('scaleDownStabilization', props.scaleDownStabilization ?? Duration.minutes(10), name, 0,
      MAX_STABILIZATION_SECONDS);
    const scaleUp = props.scaleUpStabilization === undefined ? undefined
      : wholeSeconds('scaleUpStabilization', props.scaleUpStabilization, name, 0, MAX_STABILIZATION_SECONDS);
    const cooldown = scaleToZero === undefined ? undefined
      : wholeSeconds('cooldownPeriod', props.cooldownPeriod ?? Duration.minutes(5), name, 0);

    this.minReplicas = minReplicas;
    this.maxReplicas = maxReplicas;
    this.scalesToZero = scaleToZero !== undefined;

    checkLiteral('model.serviceName', model.serviceName);
    const selector = `{namespace="${promLabel(model.namespace)}",service="${promLabel(model.serviceName)}",model_name="${promLabel(name)}"}`;
    const trigger = (triggerName: string, metadata: Record<string, string>): ScaledObjectSpecTriggers => ({
      type: 'prometheus',
      name: triggerName,
      metricType: 'AverageValue',
      metadata: { serverAddress: prometheusUrl, ...metadata },
    });
    const triggers: ScaledObjectSpecTriggers[] = [
      trigger('vllm-queue-depth', {
        query: `sum(vllm:num_requests_waiting${selector})`,
        threshold: String(queueDepth),
      }),
    ];
    if (kv !== undefined) {
      triggers.push(trigger('vllm-kv-cache', {
        query: `sum(vllm:kv_cache_usage_perc${selector})`,
        threshold: String(kv),
      }));
    }
    if (scaleToZero !== undefined) {
      triggers.push(trigger('activation', {
        query: scaleToZero.activationQuery,
        threshold: String(ACTIVATION_ONLY_THRESHOLD),
        activationThreshold: String(scaleToZero.activationThreshold),
      }));
    }

    const replicas: Pick<ScaledObjectSpec, 'minReplicaCount' | 'idleReplicaCount' | 'maxReplicaCount' | 'cooldownPeriod'> =
      scaleToZero === undefined
        ? { minReplicaCount: minReplicas, maxReplicaCount: maxReplicas }
        : minReplicas === 0
          ? { minReplicaCount: 0, maxReplicaCount: maxReplicas, cooldownPeriod: cooldown }
          : { idleReplicaCount: 0, minReplicaCount: minReplicas, maxReplicaCount: maxReplicas, cooldownPeriod: cooldown };

    this.scaledObject = new ScaledObject(this, 'Resource', {
      metadata: { name: model.workloadName, namespace: model.namespace },
      spec: {
        scaleTargetRef: { apiVersion: model.workloadApiVersion, kind: model.workloadKind, name: model.workloadName },
        pollingInterval,
        ...replicas,
        fallback: {
          failureThreshold: FALLBACK_FAILURE_THRESHOLD,
          replicas: fallbackReplicas,
          behavior: ScaledObjectSpecFallbackBehavior.CURRENT_REPLICAS_IF_HIGHER,
        },
        advanced: {
          horizontalPodAutoscalerConfig: {
            behavior: {
              scaleDown: { stabilizationWindowSeconds: scaleDown },
              ...(scaleUp !== undefined ? { scaleUp: { stabilizationWindowSeconds: scaleUp } } : {}),
            },
          },
        },
        triggers,
      },
    });
  }
}

/** Throws when a number is a CDK token: manifests of the GitOps rendering cannot carry CloudFormation tokens. */
function literalNumber(prop: string, value: number, model: string): void {
  check(!Token.isUnresolved(value), `'${prop}' of model '${model}' must be a literal number, not a token`);
}

/** A duration as whole seconds within [min, max]. */
function wholeSeconds(prop: string, d: Duration, model: string, min: number, max?: number): number {
  check(!d.isUnresolved(), `'${prop}' of model '${model}' must be a literal duration, not a token`);
  const seconds = d.toSeconds({ integral: false });
  const range = max === undefined ? `at least ${min} s` : `from ${min} to ${max} s`;
  check(Number.isInteger(seconds) && seconds >= min && (max === undefined || seconds <= max),
    `'${prop}' (${d.toHumanString()}) of model '${model}' must be a whole number of seconds, ${range}`);
  return seconds;
}

/** Escapes a PromQL label value for a double-quoted string. */
function promLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}
