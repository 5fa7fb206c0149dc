import type { ModelObject } from './model';

/** One container port of a pod template. */
export interface TemplatePort {
  /** Port name. @default - unnamed */
  readonly name?: string;
  /** Container port number. */
  readonly containerPort: number;
  /** Protocol (`TCP` when the manifest leaves it out). */
  readonly protocol: string;
}

/**
 * One pod template the platform applies: the template of a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
 * CronJob, a LeaderWorkerSet leader or worker template, or a bare Pod (see `ClusterModel.podTemplates()`).
 */
export interface PodTemplate {
  /** The workload object that holds the template. */
  readonly owner: ModelObject;
  /** `leader` / `worker` for LeaderWorkerSets; undefined otherwise. */
  readonly role?: string;
  /** Namespace of the pods. */
  readonly namespace?: string;
  /** Labels the pods carry: the template's own, plus the labels the controller adds that the library relies on. */
  readonly labels: Record<string, string>;
  /** The pod spec. */
  readonly spec: Record<string, unknown>;
  /** Containers and init containers (sidecars included). */
  readonly containers: Record<string, unknown>[];
  /** Every declared container port. */
  readonly ports: TemplatePort[];
}

/** A node requirement (Karpenter `requirements`, or a pod's nodeSelector term expression). */
export interface NodeRequirementModel {
  /** Node label key. */
  readonly key: string;
  /** Operator (`In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt`, `Lt`). */
  readonly operator: string;
  /** Values the operator compares with. */
  readonly values: string[];
}

/** A taint of a pool's nodes. */
export interface NodeTaintModel {
  /** Taint key. */
  readonly key: string;
  /** Taint value. @default - none */
  readonly value?: string;
  /** Effect (`NoSchedule`, `PreferNoSchedule`, `NoExecute`). */
  readonly effect: string;
}

/** Nodes the cluster can have: a Karpenter NodePool, or the system managed node group (see `ClusterModel.nodePools()`). */
export interface NodePoolModel {
  /** For messages: `NodePool 'inference'` or `the system node group`. */
  readonly label: string;
  /** Labels every node of the pool carries. */
  readonly labels: Record<string, string>;
  /** Requirements on node labels (the node's value satisfies all of them). */
  readonly requirements: NodeRequirementModel[];
  /** Taints of every node. */
  readonly taints: NodeTaintModel[];
  /** Label-key prefixes every node carries with some value (well-known labels) unless a requirement says otherwise. */
  readonly wellKnownPrefixes: string[];
  /** The NodePool object; undefined for the system node group. */
  readonly object?: ModelObject;
}
