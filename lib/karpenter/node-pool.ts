import { Duration, Size } from 'aws-cdk-lib';
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { Ec2NodeClass, Ec2NodeClassOptions } from './ec2-node-class';
import {
  CapacityType, ConsolidationPolicy, NodePoolDisruption, NodeRequirement, NodeTaint, RequirementOperator,
} from './node-pool-types';
import {
  NodePool as NodePoolL1, NodePoolSpecDisruptionBudgetsReasons, NodePoolSpecLimits, NodePoolSpecDisruptionConsolidationPolicy,
  NodePoolSpecTemplateSpecRequirementsOperator,
} from '../../imports/karpenter-nodepool-karpenter.sh';
import { checkBudgetCount, checkNodeLabel, checkRequirement, checkTaint, checkWholeSeconds } from './private/node-pool-checks';
import { isCronSchedule } from '../core/private/cron';
import { Cpu, goDuration } from '../core/units';
import { mebibytes, sizeQuantityString } from '../core/private/quantities';
import { check, checkDnsSubdomain } from '../core/validation';

/** Resource limits of a NodePool: Karpenter stops launching nodes when the pool's total reaches them. */
export interface NodePoolLimits {
  /** Total CPU of the pool's nodes, e.g. `Cpu.cores(256)`. @default - no CPU limit */
  readonly cpu?: Cpu;
  /** Total memory of the pool's nodes. @default - no memory limit */
  readonly memory?: Size;
  /** Total NVIDIA GPUs (`nvidia.com/gpu`). @default - no GPU limit */
  readonly nvidiaGpus?: number;
}

/** Options of a NodePool (what `karpenter.addNodePool()` takes). */
export interface NodePoolOptions {
  /** NodePool name. @default - the construct id */
  readonly name?: string;
  /**
   * Limits. Required: a pool without limits can grow without bound.
   */
  readonly limits: NodePoolLimits;
  /** Capacity types, tried in Karpenter's order (reserved, spot, on-demand). @default [CapacityType.SPOT, CapacityType.ON_DEMAND] */
  readonly capacityTypes?: CapacityType[];
  /** Instance categories (`karpenter.k8s.aws/instance-category`). @default ['c', 'm', 'r'] */
  readonly instanceCategories?: string[];
  /** Minimum instance generation (`karpenter.k8s.aws/instance-generation` Gt n-1). @default 5 */
  readonly minInstanceGeneration?: number;
  /** CPU architectures (`kubernetes.io/arch`). @default ['amd64'] */
  readonly architectures?: string[];
  /** Additional requirements. @default - none */
  readonly requirements?: NodeRequirement[];
  /** Labels on every node of the pool. @default - none */
  readonly labels?: Record<string, string>;
  /** Taints on every node of the pool. @default - none */
  readonly taints?: NodeTaint[];
  /** Disruption settings. @default - consolidation WhenEmptyOrUnderutilized after 1 minute, budget 10% */
  readonly disruption?: NodePoolDisruption;
  /** Maximum node lifetime before replacement. @default Duration.days(30) */
  readonly expireAfter?: Duration;
  /** Priority among pools that fit a pod (higher first); not with `replicas`. @default - none */
  readonly weight?: number;
  /**
   * Static capacity: Karpenter keeps exactly this many nodes, whatever the pods ask for (feature gate
   * `staticCapacity`, which `karpenter.addNodePool()` turns on). Limits then render as `nodes: <replicas>`.
   * @default - dynamic provisioning
   */
  readonly replicas?: number;
  /** The pool's EC2NodeClass: an existing one to share, or options for one of its own. @default - its own, with defaults */
  readonly nodeClass?: Ec2NodeClass;
  /** Options of the pool's own EC2NodeClass (ignored when `nodeClass` is given). @default - defaults of Ec2NodeClass */
  readonly nodeClassOptions?: Ec2NodeClassOptions;
}

/** Props of a NodePool. */
export interface NodePoolProps extends NodePoolOptions {
  /** Cluster name. */
  readonly clusterName: string;
  /** Name of the IAM role of Karpenter's nodes. */
  readonly nodeRoleName: string;
}

/**
 * A Karpenter `NodePool` with its `EC2NodeClass`. Requirements, labels and taints are recorded and rendered at
 * synthesis, so `addRequirement()`, `addLabel()` and `addTaint()` work after construction. The GPU layer's pools
 * extend this class.
 */
export class NodePool extends Construct {
  /** NodePool name. */
  public readonly name: string;
  /** The EC2NodeClass the pool launches with. */
  public readonly nodeClass: Ec2NodeClass;
  /** The generated `karpenter.sh/v1` object. */
  public readonly resource: ApiObject;
  /** Capacity types. */
  public readonly capacityTypes: CapacityType[];
  /** Limits. */
  public readonly limits: NodePoolLimits;
  /** Static node count, if the pool is a static-capacity pool. */
  public readonly replicas?: number;
  private readonly requirements: NodeRequirement[] = [];
  private readonly labels: Record<string, string> = {};
  private readonly taints: NodeTaint[] = [];

  constructor(scope: Construct, id: string, props: NodePoolProps) {
    super(scope, id);
    this.name = props.name ?? id;
    checkDnsSubdomain('name', this.name);
    this.limits = props.limits;
    NodePool.checkLimits(this.name, props.limits);
    this.capacityTypes = props.capacityTypes ?? [CapacityType.SPOT, CapacityType.ON_DEMAND];
    check(this.capacityTypes.length > 0, `'capacityTypes' of NodePool '${this.name}' must name at least one capacity type`);
    if (props.weight !== undefined) {
      check(Number.isInteger(props.weight) && props.weight >= 1 && props.weight <= 100,
        `'weight' (${props.weight}) of NodePool '${this.name}' must be an integer from 1 to 100`);
    }
    if (props.replicas !== undefined) {
      check(Number.isInteger(props.replicas) && props.replicas >= 1,
        `'replicas' (${props.replicas}) of NodePool '${this.name}' must be an integer of at least 1`);
      check(props.weight === undefined, `NodePool '${this.name}' cannot combine 'replicas' (static capacity) with 'weight'`);
    }
    this.replicas = props.replicas;
    const expireAfter = props.expireAfter ?? Duration.days(30);
    const disruption = props.disruption ?? {};
    checkWholeSeconds(this.name, 'expireAfter', expireAfter, 1);
    if (disruption.consolidateAfter !== undefined) checkWholeSeconds(this.name, 'disruption.consolidateAfter', disruption.consolidateAfter, 0);
    checkBudgetCount(this.name, (disruption.budgets ?? []).length);
    for (const b of disruption.budgets ?? []) {
      check((b.schedule === undefined) === (b.duration === undefined),
        `disruption budget of NodePool '${this.name}' needs both 'schedule' and 'duration', or neither (got schedule ${b.schedule ?? 'none'})`);
      check(/^((100|[0-9]{1,2})%|[0-9]+)$/.test(b.nodes),
        `disruption budget 'nodes' (${b.nodes}) of NodePool '${this.name}' must be a count such as '1' or a percentage from 0% to 100%`);
      check(b.duration === undefined || (b.duration.toSeconds() > 0 && b.duration.toSeconds() % 60 === 0),
        `disruption budget 'duration' (${b.duration?.toSeconds()} s) of NodePool '${this.name}' must be a positive whole number of minutes`);
      check(b.schedule === undefined || isCronSchedule(b.schedule),
        `disruption budget 'schedule' (${b.schedule}) of NodePool '${this.name}' must be a 5-field cron expression or a macro such as @daily`);
    }
    this.nodeClass = props.nodeClass ?? new Ec2NodeClass(this, 'NodeClass', {
      ...props.nodeClassOptions,
      name: props.nodeClassOptions?.name ?? this.name,
      clusterName: props.clusterName,
      nodeRoleName: props.nodeRoleName,
    });

    this.addRequirement({ key: 'karpenter.sh/capacity-type', operator: RequirementOperator.IN, values: this.capacityTypes });
    this.addRequirement({ key: 'kubernetes.io/arch', operator: RequirementOperator.IN, values: props.architectures ?? ['amd64'] });
    this.addRequirement({ key: 'kubernetes.io/os', operator: RequirementOperator.IN, values: ['linux'] });
    const categories = props.instanceCategories ?? ['c', 'm', 'r'];
    if (categories.length > 0) {
      this.addRequirement({ key: 'karpenter.k8s.aws/instance-category', operator: RequirementOperator.IN, values: categories });
    }
    const generation = props.minInstanceGeneration ?? 5;
    if (generation > 0) {
      this.addRequirement({ key: 'karpenter.k8s.aws/instance-generation', operator: RequirementOperator.GT, values: [String(generation - 1)] });
    }
    for (const r of props.requirements ?? []) this.addRequirement(r);
    for (const [k, v] of Object.entries(props.labels ?? {})) this.addLabel(k, v);
    for (const t of props.taints ?? []) this.addTaint(t);

    const budgets = (disruption.budgets ?? [{ nodes: '10%' }]).map((b) => ({
      nodes: b.nodes,
      schedule: b.schedule,
      duration: b.duration ? goDuration(b.duration) : undefined,
      reasons: b.reasons?.map((r) => r as string as NodePoolSpecDisruptionBudgetsReasons),
    }));
    this.resource = new NodePoolL1(this, 'Resource', {
      metadata: { name: this.name },
      spec: {
        template: {
          metadata: Lazy.any({ produce: () => (Object.keys(this.labels).length > 0 ? { labels: { ...this.labels } } : undefined) }),
          spec: {
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: this.nodeClass.name },
            requirements: Lazy.any({ produce: () => this.renderRequirements() }),
            taints: Lazy.any({ produce: () => (this.taints.length > 0 ? this.taints.map((t) => ({ ...t })) : undefined) }),
            expireAfter: goDuration(expireAfter),
          },
        },
        disruption: {
          consolidationPolicy: (disruption.consolidationPolicy ?? ConsolidationPolicy.WHEN_EMPTY_OR_UNDERUTILIZED) as string as NodePoolSpecDisruptionConsolidationPolicy,
          consolidateAfter: goDuration(disruption.consolidateAfter ?? Duration.minutes(1)),
          budgets,
        },
        limits: props.replicas !== undefined
          ? { nodes: NodePoolSpecLimits.fromString(String(props.replicas)) }
          : NodePool.renderLimits(props.limits),
        weight: props.weight,
        replicas: props.replicas,
      },
    });
  }

  /** Validates limits: at least one, every one positive. */
  protected static checkLimits(pool: string, limits: NodePoolLimits): void {
    const entries: [string, number | undefined, string | undefined][] = [
      ['cpu', limits.cpu?.toMillis(), limits.cpu?.toString()],
      ['memory', limits.memory !== undefined ? mebibytes(limits.memory) : undefined,
        limits.memory !== undefined ? sizeQuantityString(limits.memory, 'limits.memory') : undefined],
      ['nvidiaGpus', limits.nvidiaGpus, `${limits.nvidiaGpus}`],
    ];
    check(entries.some(([, v]) => v !== undefined),
      `'limits' of NodePool '${pool}' must set at least one of cpu, memory or nvidiaGpus: a pool without limits can grow without bound`);
    for (const [k, v, shown] of entries) {
      if (v !== undefined) {
        check(v > 0, `'limits.${k}' (${shown}) of NodePool '${pool}' must be greater than zero`);
      }
    }
  }

  private static renderLimits(limits: NodePoolLimits): Record<string, NodePoolSpecLimits> {
    const out: Record<string, NodePoolSpecLimits> = {};
    if (limits.cpu !== undefined) out.cpu = NodePoolSpecLimits.fromString(limits.cpu.toString());
    if (limits.memory !== undefined) out.memory = NodePoolSpecLimits.fromString(sizeQuantityString(limits.memory, 'limits.memory'));
    if (limits.nvidiaGpus !== undefined) out['nvidia.com/gpu'] = NodePoolSpecLimits.fromString(String(limits.nvidiaGpus));
    return out;
  }

  /** Adds a requirement; a later requirement on the same key replaces the earlier one. */
  public addRequirement(requirement: NodeRequirement): void {
    const i = this.requirements.findIndex((r) => r.key === requirement.key);
    checkRequirement(this.name, requirement, this.requirements.length + (i >= 0 ? 0 : 1));
    if (i >= 0) this.requirements.splice(i, 1);
    this.requirements.push({ ...requirement, values: [...(requirement.values ?? [])] });
  }

  /** Adds a label to every node of the pool. */
  public addLabel(key: string, value: string): void {
    checkNodeLabel(this.name, key, value, Object.keys(this.labels).length + (key in this.labels ? 0 : 1));
    this.labels[key] = value;
  }

  /** Adds a taint to every node of the pool; a later taint with the same key and effect replaces the earlier one. */
  public addTaint(taint: NodeTaint): void {
    checkTaint(this.name, taint);
    const i = this.taints.findIndex((t) => t.key === taint.key && t.effect === taint.effect);
    if (i >= 0) this.taints.splice(i, 1);
    this.taints.push({ ...taint });
  }

  /** Requirements as recorded (copies). */
  public get nodeRequirements(): NodeRequirement[] {
    return this.requirements.map((r) => ({ ...r, values: [...(r.values ?? [])] }));
  }

  /** Node labels as recorded (copy). */
  public get nodeLabels(): Record<string, string> {
    return { ...this.labels };
  }

  /** Taints as recorded (copies). */
  public get nodeTaints(): NodeTaint[] {
    return this.taints.map((t) => ({ ...t }));
  }

  private renderRequirements() {
    return this.requirements.map((r) => ({
      key: r.key,
      operator: r.operator as string as NodePoolSpecTemplateSpecRequirementsOperator,
      values: r.values && r.values.length > 0 ? [...r.values] : undefined,
      minValues: r.minValues,
    }));
  }
}
