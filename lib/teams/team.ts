import { Duration } from 'aws-cdk-lib';
import { Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-34';
import { Construct } from 'constructs';
import { cpuQuantity, memoryQuantity } from '../core/private/quantities';
import { KubernetesComponent, Stage } from '../core/component';
import { PlatformDefinition } from '../core/platform-definition';
import { check, checkLiteral, isToken } from '../core/validation';
import { LiteLlmTeam } from '../gateway/litellm/litellm';
import { MONITORING_NAMESPACE } from '../observability/prometheus-operator-crds';

/** Label naming the team that owns a namespace or workload (cost allocation, e.g. split cost allocation data). */
export const TEAM_LABEL = 'agentic-eks.io/team';
/** Label naming the cost center of a team. */
export const COST_CENTER_LABEL = 'agentic-eks.io/cost-center';
/** Namespace of the platform Gateway, allowed to reach team workloads. */
export const TEAM_GATEWAY_NAMESPACE = 'gateway';
/** Namespaces team workloads may call: LiteLLM, the self-hosted models and the Gateway. */
export const TEAM_EGRESS_NAMESPACES: readonly string[] = ['litellm', 'models', TEAM_GATEWAY_NAMESPACE];

/**
 * Pod Security Standards level enforced (and audited and warned about) in a team namespace.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export enum PodSecurityLevel {
  /** Hardened: non-root, no privilege escalation, dropped capabilities, RuntimeDefault seccomp. */
  RESTRICTED = 'restricted',
  /** Prevents known privilege escalations; allows the default pod configuration. */
  BASELINE = 'baseline',
  /** Unrestricted. */
  PRIVILEGED = 'privileged',
}

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

/** Props of {@link Team}. */
export interface TeamProps {
  /** The platform's Kubernetes-side definition. */
  readonly definition: PlatformDefinition;
  /** Team name: the namespace, the LiteLLM team alias and the value of the `agentic-eks.io/team` label. A DNS label. */
  readonly name: string;
  /**
   * GPUs the team's pods may request in total (`requests.nvidia.com/gpu`).
   * @default - no GPU quota
   * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/#resource-quota-for-extended-resources
   */
  readonly gpuQuota?: number;
  /** CPU cores the team's pods may request, and have as limits, in total (`requests.cpu`, `limits.cpu`). @default - no CPU quota */
  readonly cpuQuota?: number;
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

const DEFAULT_LIMITS: TeamContainerResources = { cpu: Cpu.units(1), memory: Size.gibibytes(1) };
const DEFAULT_REQUESTS: TeamContainerResources = { cpu: Cpu.millis(100), memory: Size.mebibytes(256) };
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const RESERVED = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const NAMESPACE_NAME = 'kubernetes.io/metadata.name';

function cores(n: number): k8s.Quantity {
  return k8s.Quantity.fromString(Number.isInteger(n) ? `${n}` : `${Math.round(n * 1000)}m`);
}

function inNamespace(ns: string): k8s.NetworkPolicyPeer {
  return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME]: ns } } };
}

/**
 * A tenant of the platform: a namespace with Pod Security Standards, cost-allocation labels, a ResourceQuota
 * (GPUs, CPU, memory), a LimitRange of container defaults and NetworkPolicies, plus the team's LiteLLM budget.
 *
 * Kubernetes side (component `team-<name>`, stage CONFIGURATION): Namespace `<name>`, ResourceQuota `team-quota`
 * (when a quota is set), LimitRange `container-defaults`, and NetworkPolicies:
 * - `default-deny`: no ingress or egress unless another policy allows it;
 * - `allow-same-namespace`: pods of the team reach each other;
 * - `allow-dns`: egress to kube-dns in `kube-system` (UDP and TCP 53);
 * - `allow-from-gateway`, `allow-from-monitoring`: ingress from the Gateway and from Prometheus;
 * - `allow-to-platform`: egress to the `litellm`, `models` and `gateway` namespaces.
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
    if (props.cpuQuota !== undefined && !isToken(props.cpuQuota)) {
      check(Number.isFinite(props.cpuQuota) && props.cpuQuota >= 0, `'cpuQuota' (${props.cpuQuota}) of team '${name}' must be zero or more`);
    }
    if (props.costCenter !== undefined) {
      checkLiteral('costCenter', props.costCenter);
      check(props.costCenter.length <= 63 && LABEL_VALUE.test(props.costCenter),
        `'costCenter' (${props.costCenter}) of team '${name}' must be a label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`);
    }
    this.name = name;
    this.namespace = name;
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
    const labels = this.labels;

    new k8s.KubeNamespace(c, 'Namespace', {
      metadata: {
        name,
        labels: {
          ...labels,
          'pod-security.kubernetes.io/enforce': level,
          'pod-security.kubernetes.io/audit': level,
          'pod-security.kubernetes.io/warn': level,
        },
      },
    });

    const hard: Record<string, k8s.Quantity> = {};
    if (props.gpuQuota !== undefined) hard['requests.nvidia.com/gpu'] = k8s.Quantity.fromNumber(props.gpuQuota);
    if (props.cpuQuota !== undefined) {
      hard['requests.cpu'] = cores(props.cpuQuota);
      hard['limits.cpu'] = cores(props.cpuQuota);
    }
    if (props.memoryQuota !== undefined) {
      hard['requests.memory'] = memoryQuantity(props.memoryQuota);
      hard['limits.memory'] = memoryQuantity(props.memoryQuota);
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

    const policy = (cid: string, policyName: string, spec: k8s.NetworkPolicySpec): void => {
      new k8s.KubeNetworkPolicy(c, cid, { metadata: { name: policyName, namespace: name, labels }, spec });
    };
    policy('DefaultDeny', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    policy('AllowSameNamespace', 'allow-same-namespace', {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    });
    policy('AllowDns', 'allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ ...inNamespace('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [
          { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
          { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
        ],
      }],
    });
    policy('AllowFromGateway', 'allow-from-gateway', {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [inNamespace(TEAM_GATEWAY_NAMESPACE)] }],
    });
    policy('AllowFromMonitoring', 'allow-from-monitoring', {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [inNamespace(MONITORING_NAMESPACE)] }],
    });
    policy('AllowToPlatform', 'allow-to-platform', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: TEAM_EGRESS_NAMESPACES.map(inNamespace) }],
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
