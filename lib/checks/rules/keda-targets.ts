import { ClusterModel, ModelObject, label } from '../model';
import { PodTemplate, podTemplatesOf, templateMentions } from '../private/pod-templates';
import { LabelMatcher, VectorSelector, matcherMatches, vectorSelectors } from '../private/promql';
import { rec, recs, selects, str } from '../private/selectors';
import { IPlatformRule, RuleEvaluation, evaluation } from '../rule';

const SCALABLE = ['Deployment', 'StatefulSet', 'LeaderWorkerSet', 'ReplicaSet'];

/** Pod names a workload's controller gives its pods (samples for matching `pod` regexes). */
function samplePodNames(w: ModelObject): string[] {
  switch (w.kind) {
    case 'Deployment': return [`${w.name}-5d8f7c9b4d-x2k7p`];
    case 'ReplicaSet': return [`${w.name}-x2k7p`];
    case 'StatefulSet': return [`${w.name}-0`, `${w.name}-1`];
    case 'LeaderWorkerSet': return [`${w.name}-0`, `${w.name}-0-1`];
    case 'DaemonSet': return [`${w.name}-x2k7p`];
    case 'Job': return [`${w.name}-x2k7p`];
    case 'CronJob': return [`${w.name}-29000000-x2k7p`];
    default: return [w.name];
  }
}

/** Why a selector is not pinned to the target's pods, or undefined when it is. */
function unpinned(model: ClusterModel, s: VectorSelector, target: ModelObject, ns: string, workloads: ModelObject[]): string | undefined {
  const nsMatcher = s.matchers.find((m) => m.label === 'namespace');
  if (nsMatcher === undefined || (nsMatcher.op !== '=' && nsMatcher.op !== '=~') || nsMatcher.value !== ns) {
    return `has no namespace="${ns}" matcher, so it also reads pods of other namespaces`;
  }
  const others = workloads.filter((w) => w !== target);
  const targetTemplates = podTemplatesOf(target);
  const selectsOthers = (pred: (w: ModelObject, t: PodTemplate[]) => boolean): ModelObject[] => others.filter((w) => pred(w, podTemplatesOf(w)));
  const pins: ((m: LabelMatcher) => string | true | undefined)[] = [
    // pod="..." / pod=~"...": must match the target's pod names and no other workload's.
    (m) => {
      if (m.label !== 'pod' || (m.op !== '=' && m.op !== '=~')) return undefined;
      if (!samplePodNames(target).some((p) => matcherMatches(m, p))) return `pod${m.op}"${m.value}" does not match the pods of ${label(target)}`;
      const hit = others.filter((w) => samplePodNames(w).some((p) => matcherMatches(m, p)));
      return hit.length === 0 ? true : `pod${m.op}"${m.value}" also matches the pods of ${hit.map(label).join(', ')}`;
    },
    // service="<svc>": a Service that selects the target's pods and no other workload's.
    (m) => {
      if (m.label !== 'service' || m.op !== '=') return undefined;
      const svc = model.services(ns).find((x) => x.name === m.value);
      if (svc?.selector === undefined) return `service="${m.value}" is not a Service with a selector in '${ns}'`;
      if (!targetTemplates.some((t) => selects({ matchLabels: svc.selector }, t.labels))) return `Service '${ns}/${m.value}' does not select the pods of ${label(target)}`;
      const hit = selectsOthers((_, ts) => ts.some((t) => selects({ matchLabels: svc.selector }, t.labels)));
      return hit.length === 0 ? true : `Service '${ns}/${m.value}' also selects the pods of ${hit.map(label).join(', ')}`;
    },
    // model_name="X": pins only when no other workload in the namespace serves X.
    (m) => {
      if (m.label !== 'model_name' || m.op !== '=') return undefined;
      if (!targetTemplates.some((t) => templateMentions(t, m.value))) return `model_name="${m.value}" is not served by ${label(target)}`;
      const hit = selectsOthers((_, ts) => ts.some((t) => templateMentions(t, m.value)));
      return hit.length === 0 ? true : `model_name="${m.value}" is also served by ${hit.map(label).join(', ')} in '${ns}'`;
    },
  ];
  const reasons: string[] = [];
  for (const m of s.matchers) {
    for (const pin of pins) {
      const r = pin(m);
      if (r === true) return undefined;
      if (r !== undefined) reasons.push(r);
    }
  }
  return reasons.length > 0 ? reasons.join('; ') : 'has no matcher that picks the target\'s pods (pod, service or a model_name only the target serves)';
}

/**
 * Every KEDA ScaledObject's `scaleTargetRef` names a workload of the platform in its namespace (apiVersion/kind
 * default to apps/v1 Deployment), and every `prometheus` trigger query reads only the target's pods: each vector
 * selector needs `namespace="<ns>"` and a matcher that picks the target and no other workload of the namespace: `pod`
 * (regex matched against the pod names the controller gives), `service` (a Service selecting only the target's pods)
 * or `model_name` when no other workload of the namespace serves that model name.
 */
export const KEDA_TARGETS: IPlatformRule = {
  id: 'keda-targets',
  description: 'Every ScaledObject targets a workload of the platform, and its Prometheus queries read only that workload\'s pods',
  why: 'A missing target leaves the ScaledObject failing; a query that also reads another workload\'s pods scales one model on another\'s load',
  example: "ScaledObject 'models/llama-3-1-8b' trigger 'vllm-queue-depth' selector vllm:num_requests_waiting{...} is not pinned to Deployment 'models/llama-3-1-8b': model_name=\"meta-llama/Llama-3.1-8B-Instruct\" is also served by Deployment 'models/llama-3-1-8b-fp8' in 'models'; fix: add namespace=\"models\" and pod=~\"llama-3-1-8b-...\" (matching only its pods) or service=\"<a Service selecting only its pods>\" to the selector",
  evaluate(model: ClusterModel): RuleEvaluation {
    const findings: string[] = [];
    const scaled = model.objects.filter((o) => o.kind === 'ScaledObject' && o.apiVersion.startsWith('keda.sh/'));
    for (const so of scaled) {
      const spec = rec(so.object.spec);
      const ref = rec(spec.scaleTargetRef);
      const ns = so.namespace ?? 'default';
      const kind = str(ref.kind) ?? 'Deployment';
      const apiVersion = str(ref.apiVersion) ?? 'apps/v1';
      const name = String(ref.name);
      const target = model.objects.find((o) => o.kind === kind && o.apiVersion === apiVersion && o.name === name && (o.namespace ?? 'default') === ns);
      if (target === undefined) {
        findings.push(`${label(so)} scaleTargetRef ${apiVersion} ${kind} '${ns}/${name}' is not a workload of the platform; fix: name a Deployment, StatefulSet or LeaderWorkerSet in '${ns}' (apiVersion and kind default to apps/v1 Deployment)`);
        continue;
      }
      const workloads = model.objects.filter((o) => SCALABLE.includes(o.kind) && (o.namespace ?? 'default') === ns);
      for (const trig of recs(spec.triggers).filter((x) => x.type === 'prometheus')) {
        const query = str(rec(trig.metadata).query);
        if (query === undefined) continue;
        const tname = str(trig.name) ?? 'prometheus';
        const selectors = vectorSelectors(query);
        for (const s of selectors) {
          const why = unpinned(model, s, target, ns, workloads);
          if (why !== undefined) {
            findings.push(`${label(so)} trigger '${tname}' selector ${s.text} is not pinned to ${label(target)}: ${why}; fix: add namespace="${ns}" and pod=~"${name}-..." (matching only its pods) or service="<a Service selecting only its pods>" to the selector`);
          }
        }
      }
    }
    return evaluation(scaled.length > 0, findings);
  },
};
