import { rec, recs, stringMap, str } from './selectors';
import { SYSTEM_NODE_LABEL } from '../../cluster/platform-cluster';
import { GpuInstanceType } from '../../gpu/catalog';
import type { ModelObject } from '../model';

import type { NodePoolModel, NodeRequirementModel, NodeTaintModel } from '../model-types';

export type { NodePoolModel, NodeRequirementModel, NodeTaintModel };

/** Well-known labels Karpenter nodes carry (Karpenter docs, "Well-Known Labels"). */
const KARPENTER_WELL_KNOWN = [
  'kubernetes.io/', 'node.kubernetes.io/', 'topology.kubernetes.io/', 'beta.kubernetes.io/', 'karpenter.sh/',
  'karpenter.k8s.aws/', 'topology.k8s.aws/',
];

/**
 * The system managed node group of `PlatformCluster` (lib/cluster/platform-cluster.ts): label
 * `agentic-eks.io/node-role=system`, taint `CriticalAddonsOnly=true:NoSchedule`, on-demand nodes of the platform's
 * system instance types (`PlatformDefinition.systemNodeInstanceTypes`), no GPUs.
 */
export function systemNodePool(instanceTypes: readonly string[]): NodePoolModel {
  return {
  label: 'the system node group',
  labels: {
    [SYSTEM_NODE_LABEL]: 'system',
    'eks.amazonaws.com/nodegroup': 'system',
    'eks.amazonaws.com/capacityType': 'ON_DEMAND',
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
  },
  requirements: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: [...instanceTypes] }],
  taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }],
  wellKnownPrefixes: ['kubernetes.io/', 'node.kubernetes.io/', 'topology.kubernetes.io/', 'beta.kubernetes.io/', 'eks.amazonaws.com/', 'topology.k8s.aws/'],
  };
}

/** Reads a requirement list (`[{key, operator, values}]`). */
export function requirements(x: unknown): NodeRequirementModel[] {
  return recs(x).map((r) => ({
    key: String(r.key),
    operator: String(r.operator),
    values: Array.isArray(r.values) ? r.values.map(String) : [],
  }));
}

/** The pool of a Karpenter NodePool object. */
export function karpenterPool(o: ModelObject): NodePoolModel {
  const tpl = rec(rec(o.object.spec).template);
  const spec = rec(tpl.spec);
  return {
    label: `NodePool '${o.name}'`,
    labels: stringMap(rec(tpl.metadata).labels),
    requirements: requirements(spec.requirements),
    taints: recs(spec.taints).map((t) => ({ key: String(t.key), value: str(t.value), effect: String(t.effect) })),
    wellKnownPrefixes: KARPENTER_WELL_KNOWN,
    object: o,
  };
}

type KeyDomain = { kind: 'absent' } | { kind: 'finite'; values: string[] } | { kind: 'open'; constraints: NodeRequirementModel[] };

function allows(r: NodeRequirementModel, value: string | undefined): boolean {
  switch (r.operator) {
    case 'In': return value !== undefined && r.values.includes(value);
    case 'NotIn': return value === undefined || !r.values.includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    case 'Gt': return value !== undefined && Number(value) > Number(r.values[0]);
    case 'Lt': return value !== undefined && Number(value) < Number(r.values[0]);
    default: return false;
  }
}

/** What values a pool's nodes can have for a label key. */
function domain(pool: NodePoolModel, key: string): KeyDomain {
  const constraints = pool.requirements.filter((r) => r.key === key);
  const fixed = pool.labels[key];
  if (fixed !== undefined) {
    return constraints.every((c) => allows(c, fixed)) ? { kind: 'finite', values: [fixed] } : { kind: 'finite', values: [] };
  }
  const ins = constraints.filter((c) => c.operator === 'In');
  if (ins.length > 0) {
    const values = ins[0].values.filter((v) => constraints.every((c) => allows(c, v)));
    return { kind: 'finite', values };
  }
  if (constraints.some((c) => c.operator === 'DoesNotExist')) return { kind: 'absent' };
  const wellKnown = pool.wellKnownPrefixes.some((p) => key.startsWith(p));
  if (constraints.length > 0 || wellKnown) return { kind: 'open', constraints };
  return { kind: 'absent' };
}

/** Whether some node of the pool satisfies a pod's node-selector expression. */
export function poolSatisfies(pool: NodePoolModel, e: NodeRequirementModel): boolean {
  const d = domain(pool, e.key);
  if (d.kind === 'absent') return allows(e, undefined);
  if (d.kind === 'finite') return d.values.some((v) => allows(e, v));
  switch (e.operator) {
    case 'In': return e.values.some((v) => d.constraints.every((c) => allows(c, v)));
    case 'DoesNotExist': return false;
    default: return true;
  }
}

/** `key In (a,b)` for messages. */
export function formatRequirement(e: NodeRequirementModel): string {
  if (e.operator === 'In' && e.values.length === 1) return `${e.key}=${e.values[0]}`;
  return `${e.key} ${e.operator}${e.values.length > 0 ? ` (${e.values.join(',')})` : ''}`;
}

/** Labels a catalog instance type gives its node (the keys the GPU count depends on). */
function instanceTypeLabels(t: GpuInstanceType): Record<string, string> {
  return {
    'node.kubernetes.io/instance-type': t.name,
    'karpenter.k8s.aws/instance-family': t.family,
    'karpenter.k8s.aws/instance-category': /^[a-z]+/.exec(t.family)?.[0] ?? t.family,
    'karpenter.k8s.aws/instance-gpu-name': t.gpu.karpenterName,
    'karpenter.k8s.aws/instance-gpu-count': String(t.gpuCount),
    'karpenter.k8s.aws/instance-gpu-manufacturer': 'nvidia',
  };
}

/**
 * The most GPUs one node of the pool can have, given the pod's own node constraints: the largest `gpuCount` of the
 * catalog instance types (lib/gpu/catalog.ts) that the pool's and the pod's requirements on instance labels allow; 0
 * when none does (CPU pools).
 */
export function maxGpusPerNode(pool: NodePoolModel, podExpressions: NodeRequirementModel[]): number {
  let max = 0;
  for (const t of GpuInstanceType.all()) {
    const labels = instanceTypeLabels(t);
    const ok = Object.entries(labels).every(([k, v]) => {
      const fixed = pool.labels[k];
      if (fixed !== undefined && fixed !== v) return false;
      return pool.requirements.filter((r) => r.key === k).every((r) => allows(r, v))
        && podExpressions.filter((r) => r.key === k).every((r) => allows(r, v));
    });
    if (ok) max = Math.max(max, t.gpuCount);
  }
  return max;
}

/** Toleration semantics: does one of `tolerations` tolerate `taint`? */
export function tolerates(tolerations: Record<string, unknown>[], taint: NodeTaintModel): boolean {
  return tolerations.some((t) => {
    const key = str(t.key);
    const op = str(t.operator) ?? 'Equal';
    const effect = str(t.effect);
    if (effect !== undefined && effect !== '' && effect !== taint.effect) return false;
    if (key === undefined || key === '') return op === 'Exists';
    if (key !== taint.key) return false;
    return op === 'Exists' || (str(t.value) ?? '') === (taint.value ?? '');
  });
}
