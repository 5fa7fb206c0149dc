import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { PrometheusRule, PrometheusRuleSpecGroups, PrometheusRuleSpecGroupsRulesExpr } from '../../../imports/prometheus-prometheusrule-monitoring.coreos.com';
import { KubernetesComponent, Stage } from '../../core/component';
import { check, isToken } from '../../core/validation';
import { MONITORING_NAMESPACE } from '../prometheus-operator-crds';
import { PROMETHEUS_STACK_RELEASE } from './prometheus-stack';

/** What a platform runs, as far as its alerts and dashboards care. */
export enum PlatformComponentKind {
  /** NVIDIA GPUs with the DCGM exporter (metrics `DCGM_FI_*`). */
  GPU = 'gpu',
  /** vLLM model servers (metrics `vllm:*`). */
  VLLM = 'vllm',
  /** The inference gateway (no alerts yet: its metric names are not verified). */
  GATEWAY = 'gateway',
  /** The LiteLLM proxy (no alerts yet: its Prometheus metrics are an Enterprise feature with unverified names). */
  LITELLM = 'litellm',
  /** Karpenter (metrics `karpenter_*`). */
  KARPENTER = 'karpenter',
}

/** The alerts {@link PlatformAlerts} can emit; each value is the Prometheus alert name. */
export enum AlertKind {
  /** A GPU reported an XID error (`DCGM_FI_DEV_XID_ERRORS != 0`: the value is the last XID code). */
  GPU_XID_ERRORS = 'GpuXidErrors',
  /** GPU core temperature above 85 °C for 10 minutes. */
  GPU_HIGH_TEMPERATURE = 'GpuHighTemperature',
  /** Framebuffer memory use above `gpuMemoryFullRatio` for 15 minutes. */
  GPU_MEMORY_NEAR_FULL = 'GpuMemoryNearFull',
  /**
   * A GPU allocated to a pod averaged under 5 % utilisation over the last hour, for an hour: money spent on nothing.
   * Needs the DCGM exporter's pod mapping and `honorLabels: true` on its ServiceMonitor, so `pod` is the workload's.
   */
  GPU_IDLE = 'GpuIdle',
  /** More than 10 requests waiting per model for 5 minutes. */
  VLLM_QUEUE_DEPTH = 'VllmQueueDepth',
  /** KV cache of a vLLM server above 95 % for 10 minutes (preemptions follow). */
  VLLM_KV_CACHE_SATURATION = 'VllmKvCacheSaturation',
  /** p95 time to first token above `ttftSloSeconds` for 10 minutes. */
  VLLM_TTFT_SLO = 'VllmTtftSlo',
  /** More than 5 % of finished requests aborted or failed for 10 minutes. */
  VLLM_ERROR_RATE = 'VllmErrorRate',
  /** Karpenter's instance launches (CreateFleet offerings) keep failing for 30 minutes. */
  KARPENTER_LAUNCH_FAILURES = 'KarpenterLaunchFailures',
  /** A NodePool used 90 % or more of one of its limits for 15 minutes: it will stop launching nodes. */
  KARPENTER_POOL_AT_LIMIT = 'KarpenterNodePoolNearLimit',
}

/** Properties of {@link PlatformAlerts}. */
/** Tells, when the manifests are rendered, what the platform runs (pools and models added after monitoring count). */
export interface IPlatformComponents {
  /** What the platform runs now. */
  runningComponents(): PlatformComponentKind[];
}

/** Props of {@link PlatformAlerts}. */
export interface PlatformAlertsProps {
  /**
   * What the platform runs; alerts for anything else are refused. Either a list, or a source asked when the manifests
   * are rendered (then the alert checks run at synth, on what the platform runs by then).
   */
  readonly components: PlatformComponentKind[] | IPlatformComponents;
  /** The alerts to emit. @default - every alert whose component the platform runs */
  readonly alerts?: AlertKind[];
  /** Time-to-first-token SLO (p95), in seconds. @default 2 */
  readonly ttftSloSeconds?: number;
  /** Share of GPU framebuffer memory in use above which {@link AlertKind.GPU_MEMORY_NEAR_FULL} fires. @default 0.95 */
  readonly gpuMemoryFullRatio?: number;
  /**
   * Price of one GPU-hour in USD; when set, {@link AlertKind.GPU_IDLE} says what an idle GPU costs.
   * @default - the alert names no price
   */
  readonly idleGpuCostPerHourUsd?: number;
}

type Severity = 'critical' | 'warning';

interface AlertTemplate {
  readonly component: PlatformComponentKind;
  readonly severity: Severity;
  readonly for?: string;
  readonly expr: string;
  readonly summary: string;
  readonly description: string;
}

interface ResolvedSettings {
  readonly ttftSloSeconds: number;
  readonly gpuMemoryFullRatio: number;
  readonly idleGpuCostPerHourUsd?: number;
}

/** The PromQL of every alert; metric names from DCGM exporter default-counters.csv, vLLM v1 loggers, Karpenter v1.14 docs. */
function templates(s: ResolvedSettings): Record<AlertKind, AlertTemplate> {
  const idleCost = s.idleGpuCostPerHourUsd === undefined ? '' : ` At ${s.idleGpuCostPerHourUsd} USD per GPU-hour.`;
  return {
    [AlertKind.GPU_XID_ERRORS]: {
      component: PlatformComponentKind.GPU,
      severity: 'critical',
      expr: 'DCGM_FI_DEV_XID_ERRORS != 0',
      for: '1m',
      summary: 'GPU reported an XID error',
      description: 'GPU {{ $labels.gpu }} on {{ $labels.Hostname }} reported XID {{ $value }}; check the driver log and drain the node if it repeats.',
    },
    [AlertKind.GPU_HIGH_TEMPERATURE]: {
      component: PlatformComponentKind.GPU,
      severity: 'warning',
      expr: 'DCGM_FI_DEV_GPU_TEMP > 85',
      for: '10m',
      summary: 'GPU temperature above 85 °C',
      description: 'GPU {{ $labels.gpu }} on {{ $labels.Hostname }} is at {{ $value }} °C.',
    },
    [AlertKind.GPU_MEMORY_NEAR_FULL]: {
      component: PlatformComponentKind.GPU,
      severity: 'warning',
      expr: `DCGM_FI_DEV_FB_USED / (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE) > ${s.gpuMemoryFullRatio}`,
      for: '15m',
      summary: `GPU memory above ${s.gpuMemoryFullRatio * 100} %`,
      description: 'GPU {{ $labels.gpu }} on {{ $labels.Hostname }} uses {{ $value | humanizePercentage }} of its memory.',
    },
    [AlertKind.GPU_IDLE]: {
      component: PlatformComponentKind.GPU,
      severity: 'warning',
      expr: 'avg_over_time(DCGM_FI_DEV_GPU_UTIL{pod!=""}[1h]) < 5',
      for: '1h',
      summary: 'Allocated GPU idle for over an hour',
      description: `GPU {{ $labels.gpu }} on {{ $labels.Hostname }} is allocated to pod {{ $labels.namespace }}/{{ $labels.pod }} but averaged {{ $value }} % utilisation over the last hour.${idleCost}`,
    },
    [AlertKind.VLLM_QUEUE_DEPTH]: {
      component: PlatformComponentKind.VLLM,
      severity: 'warning',
      expr: 'sum by (model_name) (vllm:num_requests_waiting) > 10',
      for: '5m',
      summary: 'vLLM requests queueing',
      description: '{{ $value }} requests are waiting for model {{ $labels.model_name }}; add replicas or GPUs.',
    },
    [AlertKind.VLLM_KV_CACHE_SATURATION]: {
      component: PlatformComponentKind.VLLM,
      severity: 'warning',
      expr: 'vllm:kv_cache_usage_perc > 0.95',
      for: '10m',
      summary: 'vLLM KV cache nearly full',
      description: 'KV cache of model {{ $labels.model_name }} ({{ $labels.pod }}) is {{ $value | humanizePercentage }} full; requests will be preempted.',
    },
    [AlertKind.VLLM_TTFT_SLO]: {
      component: PlatformComponentKind.VLLM,
      severity: 'warning',
      expr: `histogram_quantile(0.95, sum by (le, model_name) (rate(vllm:time_to_first_token_seconds_bucket[5m]))) > ${s.ttftSloSeconds}`,
      for: '10m',
      summary: `vLLM p95 time to first token above ${s.ttftSloSeconds}s`,
      description: 'p95 time to first token of model {{ $labels.model_name }} is {{ $value }}s.',
    },
    [AlertKind.VLLM_ERROR_RATE]: {
      component: PlatformComponentKind.VLLM,
      severity: 'warning',
      expr:
        'sum by (model_name) (rate(vllm:request_success_total{finished_reason=~"abort|error"}[5m]))' +
        ' / sum by (model_name) (rate(vllm:request_success_total[5m])) > 0.05',
      for: '10m',
      summary: 'vLLM requests aborting',
      description: '{{ $value | humanizePercentage }} of the requests of model {{ $labels.model_name }} finished aborted or failed (client disconnects count too).',
    },
    [AlertKind.KARPENTER_LAUNCH_FAILURES]: {
      component: PlatformComponentKind.KARPENTER,
      severity: 'warning',
      expr: 'sum(increase(karpenter_cloudprovider_instance_launch_failures_total[15m])) > 0',
      for: '30m',
      summary: 'Karpenter instance launches keep failing',
      description: 'Karpenter saw {{ $value }} failed instance launches in 15 minutes, continuously for 30 minutes (capacity or quota); pending GPU pods may wait.',
    },
    [AlertKind.KARPENTER_POOL_AT_LIMIT]: {
      component: PlatformComponentKind.KARPENTER,
      severity: 'warning',
      expr: 'karpenter_nodepools_usage / karpenter_nodepools_limit >= 0.9',
      for: '15m',
      summary: 'Karpenter NodePool near its limit',
      description: 'NodePool {{ $labels.nodepool }} uses {{ $value | humanizePercentage }} of its {{ $labels.resource_type }} limit; it will stop launching nodes.',
    },
  };
}

/** The component each alert needs. */
export function alertComponent(alert: AlertKind): PlatformComponentKind {
  return templates({ ttftSloSeconds: 1, gpuMemoryFullRatio: 1 })[alert].component;
}

const COMPONENT_ORDER = Object.values(PlatformComponentKind);

/**
 * The platform's own alerts as one `PrometheusRule` (`platform-alerts` in `monitoring`, label
 * `release: kube-prometheus-stack`), one group per component: GPU health and idle GPUs, vLLM queueing, KV cache,
 * TTFT SLO and errors, Karpenter launch failures and NodePool limits. Gateway and LiteLLM have no alerts yet.
 * When no alert applies, no PrometheusRule is emitted.
 */
export class PlatformAlerts extends KubernetesComponent {
  /** The PrometheusRule; absent when no alert applies (with a components list; always present with a source). */
  public readonly rule?: ApiObject;
  private readonly build: () => { ordered: AlertKind[]; groups: PrometheusRuleSpecGroups[]; all: Record<AlertKind, AlertTemplate> };

  constructor(scope: Construct, id: string, props: PlatformAlertsProps) {
    super(scope, id, {
      name: 'platform-alerts',
      namespace: MONITORING_NAMESPACE,
      stage: Stage.WORKLOADS,
      description: 'Alerts of the platform: GPUs, vLLM, Karpenter',
    });
    const ttftSloSeconds = props.ttftSloSeconds ?? 2;
    const gpuMemoryFullRatio = props.gpuMemoryFullRatio ?? 0.95;
    if (!isToken(ttftSloSeconds)) {
      check(ttftSloSeconds > 0, `'ttftSloSeconds' (${ttftSloSeconds}) must be greater than zero`);
    }
    if (!isToken(gpuMemoryFullRatio)) {
      check(
        gpuMemoryFullRatio > 0 && gpuMemoryFullRatio <= 1,
        `'gpuMemoryFullRatio' (${gpuMemoryFullRatio}) must be greater than zero and at most 1`,
      );
    }
    if (props.idleGpuCostPerHourUsd !== undefined && !isToken(props.idleGpuCostPerHourUsd)) {
      check(
        props.idleGpuCostPerHourUsd >= 0,
        `'idleGpuCostPerHourUsd' (${props.idleGpuCostPerHourUsd}) must not be negative`,
      );
    }
    const all = templates({ ttftSloSeconds, gpuMemoryFullRatio, idleGpuCostPerHourUsd: props.idleGpuCostPerHourUsd });
    const source = props.components;
    const late = !Array.isArray(source);
    this.build = () => buildGroups(all, late ? (source as IPlatformComponents).runningComponents() : source as PlatformComponentKind[], props.alerts);
    const eager = late ? undefined : this.build();
    if (late || eager!.groups.length > 0) {
      this.rule = new PrometheusRule(this, 'Resource', {
        metadata: { name: 'platform-alerts', namespace: MONITORING_NAMESPACE, labels: { release: PROMETHEUS_STACK_RELEASE } },
        spec: { groups: late ? Lazy.any({ produce: () => this.build().groups }) as unknown as PrometheusRuleSpecGroups[] : eager!.groups },
      });
    }
  }

  /** The alerts emitted, in group order. */
  public get alerts(): AlertKind[] {
    return this.build().ordered;
  }

  /** The PromQL of each emitted alert, in group order, for documentation. */
  public get expressions(): AlertExpression[] {
    const { ordered, all } = this.build();
    return ordered.map((a) => ({ alert: a, expr: all[a].expr }));
  }
}

function buildGroups(all: Record<AlertKind, AlertTemplate>, components: PlatformComponentKind[], alerts: AlertKind[] | undefined):
{ ordered: AlertKind[]; groups: PrometheusRuleSpecGroups[]; all: Record<AlertKind, AlertTemplate> } {
  {
    const runs = new Set(components);
    const runsList = COMPONENT_ORDER.filter((c) => runs.has(c));
    const requested = alerts ?? Object.values(AlertKind).filter((a) => runs.has(all[a].component));
    for (const alert of requested) {
      const needs = all[alert].component;
      check(
        runs.has(needs),
        `alert ${alert} needs component '${needs}', which the platform does not run (it runs: ${runsList.join(', ') || 'nothing'})`,
      );
    }
    const unique = [...new Set(requested)];
    const groups: PrometheusRuleSpecGroups[] = [];
    const ordered: AlertKind[] = [];
    for (const component of COMPONENT_ORDER) {
      const mine = Object.values(AlertKind).filter((a) => unique.includes(a) && all[a].component === component);
      if (mine.length === 0) continue;
      ordered.push(...mine);
      groups.push({
        name: `agentic-eks.${component}`,
        rules: mine.map((a) => {
          const t = all[a];
          return {
            alert: a,
            expr: PrometheusRuleSpecGroupsRulesExpr.fromString(t.expr),
            ...(t.for !== undefined ? { for: t.for } : {}),
            labels: { severity: t.severity, component },
            annotations: { summary: t.summary, description: t.description },
          };
        }),
      });
    }
    return { ordered, groups, all };
  }
}

/** An alert and its PromQL expression. */
export interface AlertExpression {
  /** The alert. */
  readonly alert: AlertKind;
  /** Its PromQL. */
  readonly expr: string;
}
