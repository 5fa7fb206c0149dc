import { Duration } from 'aws-cdk-lib';
import { check } from '../../core/validation';
import { NodeRequirement, NodeTaint, RequirementOperator, TaintEffect } from '../node-pool-types';

/**
 * Checks at the door what the Karpenter NodePool CRD (`karpenter.sh_nodepools.yaml`: patterns and CEL rules) and
 * Karpenter's own validation refuse later, at `kubectl apply` or as a NodePool that never becomes ready.
 */

/** Label keys: an optional DNS-subdomain prefix and a name (the CRD's pattern, at most 316 characters). */
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(\/))?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** Label values (and requirement values): at most 63 characters. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** `karpenter.k8s.aws/*` keys a NodePool may use (the CRD's CEL list). */
const AWS_KEYS = [
  'instance-tenancy', 'capacity-reservation-type', 'capacity-reservation-id', 'capacity-reservation-interruptible',
  'ec2nodeclass', 'instance-encryption-in-transit-supported', 'instance-category', 'instance-hypervisor', 'instance-family',
  'instance-generation', 'instance-local-nvme', 'instance-size', 'instance-cpu', 'instance-cpu-manufacturer',
  'instance-cpu-sustained-clock-speed-mhz', 'instance-memory', 'instance-ebs-bandwidth', 'instance-network-bandwidth',
  'instance-gpu-name', 'instance-gpu-manufacturer', 'instance-gpu-count', 'instance-gpu-memory', 'instance-accelerator-name',
  'instance-accelerator-manufacturer', 'instance-accelerator-count', 'instance-capability-flex', 'placement-group-id',
  'placement-group-partition',
].map((k) => `karpenter.k8s.aws/${k}`);

/** Well-known labels Karpenter allows in the restricted `kubernetes.io` / `k8s.io` domains. */
const WELL_KNOWN = [
  'karpenter.sh/capacity-type', 'kubernetes.io/arch', 'kubernetes.io/os', 'topology.kubernetes.io/zone',
  'topology.kubernetes.io/region', 'node.kubernetes.io/instance-type', 'node.kubernetes.io/windows-build',
];
/** Domains inside `kubernetes.io` / `k8s.io` that Karpenter does not restrict. */
const DOMAIN_EXCEPTIONS = ['node.kubernetes.io', 'node-restriction.kubernetes.io', 'kops.k8s.io'];

const MAX_REQUIREMENTS = 100;
const MAX_LABELS = 100;
const MAX_BUDGETS = 50;

/** Why a label key may not be used on a NodePool (requirement or node label), or undefined when it may. */
function restriction(key: string): string | undefined {
  if (key === 'karpenter.sh/nodepool') return 'Karpenter sets it to the pool\'s name itself';
  if (key === 'kubernetes.io/hostname') return 'every node has its own host name';
  if (WELL_KNOWN.includes(key) || AWS_KEYS.includes(key)) return undefined;
  const domain = key.includes('/') ? key.split('/')[0] : '';
  if (domain.endsWith('karpenter.sh')) return 'the karpenter.sh domain is restricted (only karpenter.sh/capacity-type is allowed)';
  if (domain.endsWith('karpenter.k8s.aws')) return 'the karpenter.k8s.aws domain is restricted to the instance labels Karpenter defines';
  if (DOMAIN_EXCEPTIONS.some((d) => domain.endsWith(d))) return undefined;
  if (domain.endsWith('kubernetes.io') || domain.endsWith('k8s.io')) {
    return `the kubernetes.io and k8s.io domains are restricted to well-known labels (${WELL_KNOWN.join(', ')}) and node.kubernetes.io/*`;
  }
  return undefined;
}

/** Checks a label key used by a requirement (`what` = `requirement`) or a node label (`what` = `label`). */
function checkKey(pool: string, what: string, key: string): void {
  const name = key.includes('/') ? key.slice(key.indexOf('/') + 1) : key;
  check(key.length <= 316 && name.length <= 63 && QUALIFIED_NAME.test(key),
    `${what} key '${key}' of NodePool '${pool}' must be a label key: an optional DNS-subdomain prefix and '/', then 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`);
  const why = restriction(key);
  check(why === undefined, `${what} key '${key}' of NodePool '${pool}' is restricted: ${why}; use another key`);
}

/** Checks a label value (node labels and requirement values). */
function checkValue(pool: string, what: string, value: string): void {
  check(value.length <= 63 && LABEL_VALUE.test(value),
    `${what} value '${value}' of NodePool '${pool}' must be a label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`);
}

/** Checks one requirement (and that the pool stays within Karpenter's 100 requirements). */
export function checkRequirement(pool: string, r: NodeRequirement, count: number): void {
  checkKey(pool, 'requirement', r.key);
  const values = r.values ?? [];
  const label = `requirement '${r.key}' of NodePool '${pool}'`;
  check(Object.values(RequirementOperator).includes(r.operator),
    `'operator' (${r.operator}) of ${label} must be one of ${Object.values(RequirementOperator).join(', ')}`);
  switch (r.operator) {
    case RequirementOperator.IN:
    case RequirementOperator.NOT_IN:
      check(values.length > 0, `${label} has operator ${r.operator} and needs at least one value`);
      break;
    case RequirementOperator.EXISTS:
    case RequirementOperator.DOES_NOT_EXIST:
      check(values.length === 0, `${label} has operator ${r.operator} and takes no values (got ${values.join(', ')})`);
      break;
    case RequirementOperator.GT:
    case RequirementOperator.LT:
      check(values.length === 1 && /^[0-9]+$/.test(values[0]),
        `${label} has operator ${r.operator} and needs exactly one value, a non-negative integer (got ${values.length === 0 ? 'none' : values.join(', ')})`);
      break;
  }
  for (const v of values) checkValue(pool, `requirement '${r.key}'`, v);
  if (r.minValues !== undefined) {
    check(r.operator === RequirementOperator.IN || r.operator === RequirementOperator.EXISTS,
      `'minValues' (${r.minValues}) of ${label} needs operator In or Exists, not ${r.operator}`);
    check(Number.isInteger(r.minValues) && r.minValues >= 1 && r.minValues <= 50,
      `'minValues' (${r.minValues}) of ${label} must be an integer from 1 to 50`);
    check(r.operator !== RequirementOperator.IN || values.length >= r.minValues,
      `'minValues' (${r.minValues}) of ${label} is more than its ${values.length} value(s) (${values.join(', ')}): list at least ${r.minValues} values or lower 'minValues'`);
  }
  check(count <= MAX_REQUIREMENTS, `NodePool '${pool}' has ${count} requirements; Karpenter allows at most ${MAX_REQUIREMENTS}`);
}

/** Checks one node label (and that the pool stays within 100 labels). */
export function checkNodeLabel(pool: string, key: string, value: string, count: number): void {
  checkKey(pool, 'label', key);
  checkValue(pool, `label '${key}'`, value);
  check(count <= MAX_LABELS, `NodePool '${pool}' has ${count} node labels; Karpenter allows at most ${MAX_LABELS}`);
}

/** Checks one taint: key, value and effect as the CRD allows them. */
export function checkTaint(pool: string, t: NodeTaint): void {
  const name = t.key.includes('/') ? t.key.slice(t.key.indexOf('/') + 1) : t.key;
  check(t.key.length <= 316 && name.length <= 63 && QUALIFIED_NAME.test(t.key),
    `taint key '${t.key}' of NodePool '${pool}' must be a qualified name: an optional DNS-subdomain prefix and '/', then 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`);
  if (t.value !== undefined && t.value !== '') {
    check(t.value.length <= 63 && QUALIFIED_NAME.test(t.value),
      `taint value '${t.value}' of taint '${t.key}' of NodePool '${pool}' must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`);
  }
  check(Object.values(TaintEffect).includes(t.effect),
    `'effect' (${t.effect}) of taint '${t.key}' of NodePool '${pool}' must be one of ${Object.values(TaintEffect).join(', ')}`);
}

/** Checks a duration Karpenter reads as a Go duration of whole seconds (`expireAfter`, `consolidateAfter`). */
export function checkWholeSeconds(pool: string, prop: string, d: Duration, min: number): void {
  if (d.isUnresolved()) return;
  const s = d.toSeconds({ integral: false });
  check(Number.isInteger(s) && s >= min,
    `'${prop}' (${d.toHumanString()}) of NodePool '${pool}' must be a whole number of seconds${min > 0 ? `, at least ${min}` : ''}`);
}

/** Checks the number of disruption budgets. */
export function checkBudgetCount(pool: string, count: number): void {
  check(count <= MAX_BUDGETS, `'disruption.budgets' of NodePool '${pool}' has ${count} budgets; Karpenter allows at most ${MAX_BUDGETS}`);
}
