import { GPU_DEVICE_MANAGEMENT_LABEL, DeviceManagement } from '../../gpu/device-management/labels';
import { DEVICE_PLUGIN_CONFIG_LABEL, MIG_CONFIG_LABEL } from '../../gpu/gpu-node-pool';
import { ClusterModel } from '../model';
import {
  NodePoolModel, NodeRequirementModel, formatRequirement, maxGpusPerNode, poolSatisfies, requirements, tolerates,
} from '../private/node-pools';
import { PodTemplate, templateLabel } from '../private/pod-templates';
import { pinnedPool } from '../private/workloads';
import { rec, recs, str } from '../private/selectors';
import { IPlatformRule, RuleEvaluation, evaluation } from '../rule';

const GPU_RESOURCE = 'nvidia.com/gpu';

/** What a pod template's DRA claims need from a node. */
interface ClaimNeeds {
  /** Needs a node whose GPUs the DRA driver manages. */
  readonly dra: boolean;
  /** MIG profiles asked for (deviceClassName `mig.nvidia.com` with a `profile == '...'` selector). */
  readonly migProfiles: string[];
  /** Problems resolving the claims (missing templates). */
  readonly problems: string[];
}

function quantity(x: unknown): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'string' && /^\d+$/.test(x)) return Number(x);
  return 0;
}

/** GPUs one pod requests: the sum over containers, or the largest init container if larger. */
function gpuRequest(t: PodTemplate): number {
  const res = (c: Record<string, unknown>): number => {
    const r = rec(c.resources);
    return Math.max(quantity(rec(r.requests)[GPU_RESOURCE]), quantity(rec(r.limits)[GPU_RESOURCE]));
  };
  const main = recs(t.spec.containers).reduce((sum, c) => sum + res(c), 0);
  const init = recs(t.spec.initContainers).reduce((m, c) => Math.max(m, res(c)), 0);
  return Math.max(main, init);
}

function claimNeeds(model: ClusterModel, t: PodTemplate): ClaimNeeds {
  let dra = false;
  const migProfiles: string[] = [];
  const problems: string[] = [];
  for (const c of recs(t.spec.resourceClaims)) {
    const tplName = str(c.resourceClaimTemplateName);
    const claimName = str(c.resourceClaimName);
    const kind = tplName !== undefined ? 'ResourceClaimTemplate' : 'ResourceClaim';
    const name = tplName ?? claimName;
    if (name === undefined) continue;
    const obj = model.objects.find((o) => o.kind === kind && o.apiVersion.startsWith('resource.k8s.io/') && o.name === name && o.namespace === t.namespace);
    if (obj === undefined) {
      problems.push(`resourceClaims '${String(c.name)}' names ${kind} '${t.namespace}/${name}', which the platform does not apply`);
      continue;
    }
    const spec = kind === 'ResourceClaimTemplate' ? rec(rec(obj.object.spec).spec) : rec(obj.object.spec);
    for (const r of recs(rec(spec.devices).requests)) {
      const exactly = r.exactly !== undefined ? rec(r.exactly) : r;
      const alternatives = recs(r.firstAvailable);
      for (const req of alternatives.length > 0 ? alternatives : [exactly]) {
        const cls = str(req.deviceClassName) ?? '';
        if (cls.endsWith('nvidia.com')) dra = true;
        if (cls === 'mig.nvidia.com') {
          for (const s of recs(req.selectors)) {
            const m = /profile\s*==\s*['"]([^'"]+)['"]/.exec(str(rec(s.cel).expression) ?? '');
            if (m) migProfiles.push(m[1]);
          }
        }
      }
    }
  }
  return { dra, migProfiles, problems };
}

/**
 * Whether a MIG layout (value of `nvidia.com/mig.config`) provides a profile: `all-<profile>` does; `all-balanced`
 * is assumed to (its profiles depend on the GPU model); any other custom layout name is accepted only when it contains
 * the profile.
 */
function layoutProvides(layout: string, profile: string): boolean {
  return layout === `all-${profile}` || layout === 'all-balanced' || (layout !== 'all-disabled' && layout.includes(profile));
}

/** The pod's node constraints: nodeSelector entries and the first satisfiable required node-affinity term. */
function podTerms(t: PodTemplate): NodeRequirementModel[][] {
  const selector = Object.entries(rec(t.spec.nodeSelector)).map(([key, v]) => ({ key, operator: 'In', values: [String(v)] }));
  const required = rec(rec(rec(rec(t.spec.affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution));
  const terms = recs(required.nodeSelectorTerms).map((term) => requirements(term.matchExpressions));
  return terms.length === 0 ? [selector] : terms.map((term) => [...selector, ...term]);
}

/** Why the template cannot land on the pool, or undefined when it can. */
function misfit(t: PodTemplate, pool: NodePoolModel, needs: ClaimNeeds): string | undefined {
  const terms = podTerms(t);
  const fitting = terms.filter((term) => term.every((e) => poolSatisfies(pool, e)));
  if (fitting.length === 0) {
    const missing = terms[0].filter((e) => !poolSatisfies(pool, e));
    return `node selector ${missing.map(formatRequirement).join(', ')} not offered`;
  }
  const tolerations = recs(t.spec.tolerations);
  const untolerated = pool.taints.filter((x) => (x.effect === 'NoSchedule' || x.effect === 'NoExecute') && !tolerates(tolerations, x));
  if (untolerated.length > 0) {
    return `taint ${untolerated.map((x) => `${x.key}${x.value !== undefined ? `=${x.value}` : ''}:${x.effect}`).join(', ')} not tolerated`;
  }
  const gpus = gpuRequest(t);
  if (gpus > 0 && pool.labels[DEVICE_PLUGIN_CONFIG_LABEL] === undefined) {
    const max = Math.max(...fitting.map((term) => maxGpusPerNode(pool, term)));
    if (gpus > max) return `${gpus} ${GPU_RESOURCE} requested, at most ${max} per node`;
  }
  if (needs.dra && pool.labels[GPU_DEVICE_MANAGEMENT_LABEL] !== DeviceManagement.DRA) {
    return `DRA GPU claims need ${GPU_DEVICE_MANAGEMENT_LABEL}=${DeviceManagement.DRA}`;
  }
  const layout = pool.labels[MIG_CONFIG_LABEL];
  const missingProfiles = needs.migProfiles.filter((p) => layout === undefined || !layoutProvides(layout, p));
  if (missingProfiles.length > 0) {
    return `MIG profile ${missingProfiles.join(', ')} needs ${MIG_CONFIG_LABEL} with that profile (pool has ${layout ?? 'none'})`;
  }
  return undefined;
}

/**
 * Every pod template can land on some node: a Karpenter NodePool of the platform or the system managed node group.
 * A pool fits when the pod's nodeSelector and required node affinity are satisfiable by the pool's labels and
 * requirements (well-known labels are open unless a requirement pins them), its tolerations cover the pool's
 * NoSchedule/NoExecute taints, its `nvidia.com/gpu` request is at most the GPUs per node of an instance type both
 * allow (lib/gpu/catalog.ts; not checked on time-sliced pools), DRA GPU claims land only on pools labelled for DRA, and
 * MIG claims only on pools whose MIG layout provides the profile. DaemonSets run wherever they fit, so they only need
 * one such pool too.
 */
export const PODS_SCHEDULABLE: IPlatformRule = {
  id: 'pods-schedulable',
  description: 'Every pod template fits some node pool: node selector/affinity, taints, GPU count per node, DRA and MIG claims',
  why: 'A pod no pool can host stays Pending forever; Karpenter logs "incompatible with all nodepools" and nothing else tells you',
  example: "Deployment 'models/big' fits no node pool: NodePool 'l40s': 16 nvidia.com/gpu requested, at most 8 per node; the system node group: node selector agentic-eks.io/gpu-pool=l40s not offered; fix: add a NodePool that offers these labels, taint tolerations and GPUs, or change the pod's nodeSelector/tolerations/requests",
  evaluate(model: ClusterModel): RuleEvaluation {
    const findings: string[] = [];
    const templates = model.podTemplates();
    const pools = model.nodePools();
    for (const t of templates) {
      const needs = claimNeeds(model, t);
      for (const p of needs.problems) {
        findings.push(`${templateLabel(t)} ${p}; fix: add the claim template (platform.gpu.dra.add...ClaimTemplate) in '${t.namespace}' or fix the name`);
      }
      // The pool the template is pinned to (nodeSelector or required affinity on the pool name) is the likely fit:
      // try it first, so a platform with many pools does not test every pool for every pod. The findings do not
      // depend on it: reasons are only kept when no pool fits, and then every pool is tried in order.
      const pinned = pinnedPool({ spec: t.spec });
      const likely = pinned === undefined ? undefined : pools.find((p) => p.object?.name === pinned);
      if (likely !== undefined && misfit(t, likely, needs) === undefined) continue;
      const reasons: string[] = [];
      let fits = false;
      for (const pool of pools) {
        const why = misfit(t, pool, needs);
        if (why === undefined) {
          fits = true;
          break;
        }
        reasons.push(`${pool.label}: ${why}`);
      }
      if (!fits) {
        findings.push(`${templateLabel(t)} fits no node pool: ${reasons.join('; ')}; fix: add a NodePool that offers these labels, taint tolerations and GPUs, or change the pod's nodeSelector/tolerations/requests`);
      }
    }
    return evaluation(templates.length > 0, findings);
  },
};
