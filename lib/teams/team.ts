import { Duration, Size } from 'aws-cdk-lib';
import { k8s } from 'cdk8s-plus-34';
import { Construct } from 'constructs';
import { cpuQuantity, memoryQuantity } from '../core/private/quantities';
import { KubernetesComponent, Stage } from '../core/component';
import { Cpu } from '../core/units';
import { PlatformDefinition } from '../core/platform-definition';
import { check, checkLiteral, isToken } from '../core/validation';
import { LiteLlmTeam } from '../gateway/litellm/litellm';
import { PodSecurityLevel, podSecurityLabels } from '../core/pod-security';
import { FlowPeer, TEAM_NAMESPACE_LABEL } from '../network/flow';
import { NetworkFlows } from '../network/network-flows';

export { PodSecurityLevel } from '../core/pod-security';

/** Label naming the team that owns a namespace or workload (cost allocation, e.g. split cost allocation data). */
export const TEAM_LABEL = TEAM_NAMESPACE_LABEL;
/** Label naming the cost center of a team. */
export const COST_CENTER_LABEL = 'agentic-eks.io/cost-center';

/** CPU and memory of one container. */
export interface TeamContainerResources {
  /** CPU. */
  readonly cpu: Cpu;
  /** Memory. */
  readonly memory: Size;
}

/** A team's LiteLLM budget and limits, shared by the team's virtual keys. */
export interface TeamLiteLlmOptions {
  /** Budget in US dollars. @default - no budget */
  readonly maxBudgetUsd?: number;
  /** Period after which the budget resets. @default - never */
  readonly budgetDuration?: Duration;
  /** Requests per minute. @default - unlimited */
  readonly rpmLimit?: number;
  /** Tokens per minute. @default - unlimited */
  readonly tpmLimit?: number;
  /** Public LiteLLM model names the team may call. @default - all models */
  readonly models?: string[];
}

/** Options of a team (what `platform.teams.add()` takes). */
export interface TeamOptions {
  /** Team name: the namespace, the LiteLLM team alias and the value of the `agentic-eks.io/team` label. A DNS label. */
  readonly name: string;
  /**
   * GPUs the team's pods may request in total (`requests.nvidia.com/gpu`).
   * @default - no GPU quota
   * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/#resource-quota-for-extended-resources
   */
  readonly gpuQuota?: number;
  /** CPU the team's pods may request, and have as limits, in total (`requests.cpu`, `limits.cpu`). @default - no CPU quota */
  readonly cpuQuota?: Cpu;
  /** Memory the team's pods may request, and have as limits, in total (`requests.memory`, `limits.memory`). @default - no memory quota */
  readonly memoryQuota?: Size;
  /**
   * Limits given to containers that set none (LimitRange `default`). A CPU or memory quota needs them: the API
   * server refuses pods without limits in a namespace whose quota sets limits.
   * @default - 1 CPU and 1 GiB
   */
  readonly defaultContainerLimits?: TeamContainerResources;
  /** Requests given to containers that set none (LimitRange `defaultRequest`). @default - 100m CPU and 256 MiB */
  readonly defaultContainerRequests?: TeamContainerResources;
  /** Pod Security Standards level of the namespace. @default PodSecurityLevel.RESTRICTED */
  readonly podSecurity?: PodSecurityLevel;
  /** Cost center, written to the `agentic-eks.io/cost-center` label. A label value. @default - no cost-center label */
  readonly costCenter?: string;
  /** The team's LiteLLM budget and limits (see {@link Team.liteLlmTeam}). @default - no budget or limits */
  readonly liteLlm?: TeamLiteLlmOptions;
}

/** Props of {@link Team}. */
export interface TeamProps extends TeamOptions {
  /** The platform's Kubernetes-side definition. */
  readonly definition: PlatformDefinition;
}

const DEFAULT_LIMITS: TeamContainerResources = { cpu: Cpu.cores(1), memory: Size.gibibytes(1) };
const DEFAULT_REQUESTS: TeamContainerResources = { cpu: Cpu.millis(100), memory: Size.mebibytes(256) };
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const RESERVED = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * A tenant of the platform: a namespace with Pod Security Standards, cost-allocation labels, a ResourceQuota
 * (GPUs, CPU, memory), a LimitRange of container defaults and NetworkPolicies, plus the team's LiteLLM budget.
 *
 * Kubernetes side (component `team-<name>`, stage CONFIGURATION): Namespace `<name>`, ResourceQuota `team-quota`
 * (when a quota is set), LimitRange `container-defaults`, and the NetworkPolicies generated from the platform's
 * network flows ({@link NetworkFlows}): `default-deny`, `allow-dns`, the team's own flows (`team-<name>-internal`:
 * pods of the team reach each other; `monitoring-to-team-<name>`: Prometheus scrapes them) and the flows other
 * components declare for every team (LiteLLM, Langfuse, the Gateway, the OpenTelemetry collector).
 *
 * LiteLLM keeps teams in its database: pass {@link liteLlmTeam} to `LiteLlm`'s `teams`.
 */
export class Team extends Construct {
  /** The component holding the team's objects. */
  public readonly component: KubernetesComponent;
  /** Team name (also the namespace). */
  public readonly name: string;
  /** Namespace of the team. */
  public readonly namespace: string;
  /** Pod Security Standards level enforced in the team's namespace. */
  public readonly podSecurity: PodSecurityLevel;
  /** GPUs the team's pods may request in total, if a GPU quota is set. */
  public readonly gpuQuota?: number;
  /** CPU the team's pods may request in total, if a CPU quota is set. */
  public readonly cpuQuota?: Cpu;
  /** Memory the team's pods may request in total, if a memory quota is set. */
  public readonly memoryQuota?: Size;
  private readonly _labels: Record<string, string>;
  private readonly _liteLlm: TeamLiteLlmOptions;

  constructor(scope: Construct, id: string, props: TeamProps) {
    super(scope, id);
    const name = props.name;
    checkLiteral('name', name);
    check(DNS_LABEL.test(name),
      `team name '${name}' must be a DNS label: lower-case letters, digits and '-', at most 63 characters`);
    check(!RESERVED.includes(name) && !props.definition.sharedNamespaces.includes(name),
      `team name '${name}' is a namespace of Kubernetes or of the platform: choose another name`);
    if (props.gpuQuota !== undefined && !isToken(props.gpuQuota)) {
      check(props.gpuQuota >= 0, `'gpuQuota' (${props.gpuQuota}) of team '${name}' must be zero or more`);
      check(Number.isInteger(props.gpuQuota), `'gpuQuota' (${props.gpuQuota}) of team '${name}' must be a whole number of GPUs`);
    }
    if (props.costCenter !== undefined) {
      checkLiteral('costCenter', props.costCenter);
      check(props.costCenter.length <= 63 && LABEL_VALUE.test(props.costCenter),
        `'costCenter' (${props.costCenter}) of team '${name}' must be a label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`);
    }
    this.name = name;
    this.namespace = name;
    this.gpuQuota = props.gpuQuota;
    this.cpuQuota = props.cpuQuota;
    this.memoryQuota = props.memoryQuota;
    this._labels = { [TEAM_LABEL]: name, ...(props.costCenter !== undefined ? { [COST_CENTER_LABEL]: props.costCenter } : {}) };
    this._liteLlm = { ...props.liteLlm, models: props.liteLlm?.models ? [...props.liteLlm.models] : undefined };

    this.component = new KubernetesComponent(props.definition, `Team-${name}`, {
      name: `team-${name}`,
      namespace: name,
      stage: Stage.CONFIGURATION,
      description: `Team '${name}': namespace, quota, container defaults and network policies`,
    });
    const c = this.component;
    const level = props.podSecurity ?? PodSecurityLevel.RESTRICTED;
    this.podSecurity = level;
    const labels = this.labels;

    new k8s.KubeNamespace(c, 'Namespace', {
      metadata: {
        name,
        labels: {
          ...labels,
          ...podSecurityLabels(level, props.definition.kubernetesVersion),
        },
      },
    });

    const hard: Record<string, k8s.Quantity> = {};
    if (props.gpuQuota !== undefined) hard['requests.nvidia.com/gpu'] = k8s.Quantity.fromNumber(props.gpuQuota);
    if (props.cpuQuota !== undefined) {
      hard['requests.cpu'] = cpuQuantity(props.cpuQuota);
      hard['limits.cpu'] = cpuQuantity(props.cpuQuota);
    }
    if (props.memoryQuota !== undefined) {
      hard['requests.memory'] = memoryQuantity(props.memoryQuota, 'memoryQuota');
      hard['limits.memory'] = memoryQuantity(props.memoryQuota, 'memoryQuota');
    }
    if (Object.keys(hard).length > 0) {
      new k8s.KubeResourceQuota(c, 'Quota', { metadata: { name: 'team-quota', namespace: name, labels }, spec: { hard } });
    }

    const limits = props.defaultContainerLimits ?? DEFAULT_LIMITS;
    const requests = props.defaultContainerRequests ?? DEFAULT_REQUESTS;
    new k8s.KubeLimitRange(c, 'LimitRange', {
      metadata: { name: 'container-defaults', namespace: name, labels },
      spec: {
        limits: [{
          type: 'Container',
          default: { cpu: cpuQuantity(limits.cpu), memory: memoryQuantity(limits.memory) },
          defaultRequest: { cpu: cpuQuantity(requests.cpu), memory: memoryQuantity(requests.memory) },
        }],
      },
    });

    const flows = NetworkFlows.of(props.definition);
    flows.addTeamNamespace(name, c);
    flows.allow({
      name: `team-${name}-internal`,
      from: FlowPeer.inNamespace(name),
      to: FlowPeer.inNamespace(name),
      description: `pods of team '${name}' reach each other`,
    });
    flows.allow({
      name: `monitoring-to-team-${name}`,
      from: FlowPeer.monitoring(),
      to: FlowPeer.inNamespace(name),
      description: `Prometheus scrapes the ServiceMonitors and PodMonitors of team '${name}'`,
    });
  }

  /** Cost-allocation labels (`agentic-eks.io/team`, `agentic-eks.io/cost-center`) for the team's workloads. */
  public get labels(): Record<string, string> {
    return { ...this._labels };
  }

  /** The team as LiteLLM sees it, for `LiteLlm`'s `teams`: its name with the budget and limits of `liteLlm`. */
  public liteLlmTeam(): LiteLlmTeam {
    const o = this._liteLlm;
    return {
      name: this.name,
      ...(o.maxBudgetUsd !== undefined ? { maxBudgetUsd: o.maxBudgetUsd } : {}),
      ...(o.budgetDuration !== undefined ? { budgetDuration: o.budgetDuration } : {}),
      ...(o.rpmLimit !== undefined ? { rpmLimit: o.rpmLimit } : {}),
      ...(o.tpmLimit !== undefined ? { tpmLimit: o.tpmLimit } : {}),
      ...(o.models !== undefined ? { models: [...o.models] } : {}),
    };
  }
}
