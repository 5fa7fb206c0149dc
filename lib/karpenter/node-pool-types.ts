import { Duration } from 'aws-cdk-lib';

/** Karpenter capacity types (`karpenter.sh/capacity-type`). */
export enum CapacityType {
  /** Spot instances. */
  SPOT = 'spot',
  /** On-demand instances. */
  ON_DEMAND = 'on-demand',
  /** On-Demand Capacity Reservations and Capacity Blocks for ML selected by the EC2NodeClass. */
  RESERVED = 'reserved',
}

/** Operators of a NodePool requirement. */
export enum RequirementOperator {
  /** The label's value is one of `values`. */
  IN = 'In',
  /** The label's value is none of `values` (or the label is absent). */
  NOT_IN = 'NotIn',
  /** The label is present, whatever its value. */
  EXISTS = 'Exists',
  /** The label is absent. */
  DOES_NOT_EXIST = 'DoesNotExist',
  /** The label's value, as an integer, is greater than the one value. */
  GT = 'Gt',
  /** The label's value, as an integer, is less than the one value. */
  LT = 'Lt',
}

/** A scheduling requirement on a well-known or custom node label. */
export interface NodeRequirement {
  /** Label key, e.g. `karpenter.k8s.aws/instance-family`. */
  readonly key: string;
  /** Operator. */
  readonly operator: RequirementOperator;
  /** Values (none for Exists / DoesNotExist, one for Gt / Lt). @default [] */
  readonly values?: string[];
  /** Minimum number of distinct values Karpenter must keep available (flexibility for spot). @default - none */
  readonly minValues?: number;
}

/** Taint effects. */
export enum TaintEffect {
  /** Pods without a toleration are not scheduled on the node. */
  NO_SCHEDULE = 'NoSchedule',
  /** The scheduler avoids the node for pods without a toleration. */
  PREFER_NO_SCHEDULE = 'PreferNoSchedule',
  /** Pods without a toleration are evicted and not scheduled. */
  NO_EXECUTE = 'NoExecute',
}

/** A node taint. */
export interface NodeTaint {
  /** Key. */
  readonly key: string;
  /** Value. @default - none */
  readonly value?: string;
  /** Effect. */
  readonly effect: TaintEffect;
}

/** How Karpenter consolidates nodes. */
export enum ConsolidationPolicy {
  /** Only remove nodes without workload pods. */
  WHEN_EMPTY = 'WhenEmpty',
  /** Remove or replace empty and underutilized nodes. */
  WHEN_EMPTY_OR_UNDERUTILIZED = 'WhenEmptyOrUnderutilized',
}

/** Reasons a disruption budget applies to. */
export enum DisruptionReason {
  /** Nodes whose pods fit elsewhere (consolidation). */
  UNDERUTILIZED = 'Underutilized',
  /** Nodes without workload pods. */
  EMPTY = 'Empty',
  /** Nodes that no longer match their NodePool or EC2NodeClass. */
  DRIFTED = 'Drifted',
}

/** A disruption budget: how many nodes may be disrupted at once, optionally in a cron window. */
export interface DisruptionBudget {
  /** Number (`'1'`) or percentage (`'10%'`) of nodes. */
  readonly nodes: string;
  /** Cron schedule (UTC) in which the budget is active; needs `duration`. @default - always active */
  readonly schedule?: string;
  /** How long the budget stays active after each schedule hit. @default - none */
  readonly duration?: Duration;
  /** Reasons the budget limits. @default - every reason */
  readonly reasons?: DisruptionReason[];
}

/** Disruption settings of a NodePool. */
export interface NodePoolDisruption {
  /** Consolidation policy. @default ConsolidationPolicy.WHEN_EMPTY_OR_UNDERUTILIZED */
  readonly consolidationPolicy?: ConsolidationPolicy;
  /** How long a node must be consolidatable before Karpenter acts. @default Duration.minutes(1) */
  readonly consolidateAfter?: Duration;
  /** Budgets. @default - [{ nodes: '10%' }] (Karpenter's default) */
  readonly budgets?: DisruptionBudget[];
}
