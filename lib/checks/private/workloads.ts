import { ClusterModel, ModelObject } from '../model';

/** A JSON object (or nothing). */
export type Json = Record<string, unknown>;

/** Reads a nested field of a JSON object; undefined when any step is missing. */
export function at(obj: unknown, ...path: (string | number)[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

/** A field as an array (empty when absent). */
export function list(obj: unknown, ...path: (string | number)[]): Json[] {
  const v = at(obj, ...path);
  return Array.isArray(v) ? (v as Json[]) : [];
}

/** A whole number from a Kubernetes quantity written as a number or a plain integer string; undefined otherwise. */
export function wholeNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^[0-9]+$/.test(v)) return parseInt(v, 10);
  return undefined;
}

/** The pod templates of a workload with how many pods of each one replica runs. */
export interface PodGroup {
  readonly template: Json;
  readonly podsPerReplica: number;
}

/** Kinds whose pods run as long as the workload exists (Jobs and DaemonSets are left out). */
const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'LeaderWorkerSet'];

/** Whether an object is a long-running workload with pod templates. */
export function isWorkload(o: ModelObject): boolean {
  return WORKLOAD_KINDS.includes(o.kind);
}

/** The pod templates of a workload: one for Deployments and StatefulSets, leader and workers for a LeaderWorkerSet. */
export function podGroups(o: ModelObject): PodGroup[] {
  const spec = at(o.object, 'spec') as Json | undefined;
  if (o.kind === 'LeaderWorkerSet') {
    const lwt = at(spec, 'leaderWorkerTemplate') as Json | undefined;
    const size = wholeNumber(at(lwt, 'size')) ?? 1;
    const worker = at(lwt, 'workerTemplate') as Json | undefined;
    const leader = (at(lwt, 'leaderTemplate') as Json | undefined) ?? worker;
    const groups: PodGroup[] = [];
    if (leader) groups.push({ template: leader, podsPerReplica: 1 });
    if (worker && size > 1) groups.push({ template: worker, podsPerReplica: size - 1 });
    return groups;
  }
  const template = at(spec, 'template') as Json | undefined;
  return template ? [{ template, podsPerReplica: 1 }] : [];
}

/** Whole NVIDIA GPUs one pod of a template asks for (`nvidia.com/gpu` limits, else requests, summed over containers). */
export function gpusPerPod(template: Json): number {
  let total = 0;
  for (const c of list(template, 'spec', 'containers')) {
    const v = at(c, 'resources', 'limits', 'nvidia.com/gpu') ?? at(c, 'resources', 'requests', 'nvidia.com/gpu');
    total += wholeNumber(v) ?? 0;
  }
  return total;
}

/** Whole NVIDIA GPUs one replica of a workload asks for (every pod of a LeaderWorkerSet group). */
export function gpusPerReplica(o: ModelObject): number {
  return podGroups(o).reduce((sum, g) => sum + g.podsPerReplica * gpusPerPod(g.template), 0);
}

/** Node-label keys that pin a pod to one Karpenter NodePool. */
const POOL_KEYS = ['agentic-eks.io/gpu-pool', 'karpenter.sh/nodepool'];

/** The NodePool a pod template is pinned to (nodeSelector, or a required node affinity with one value), if any. */
export function pinnedPool(template: Json): string | undefined {
  for (const key of POOL_KEYS) {
    const v = at(template, 'spec', 'nodeSelector', key);
    if (typeof v === 'string') return v;
  }
  for (const term of list(template, 'spec', 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms')) {
    for (const e of list(term, 'matchExpressions')) {
      const values = at(e, 'values');
      if (POOL_KEYS.includes(String(at(e, 'key'))) && at(e, 'operator') === 'In' && Array.isArray(values) && values.length === 1) {
        return String(values[0]);
      }
    }
  }
  return undefined;
}

/** Replica range of a workload and where it comes from. */
export interface ReplicaRange {
  readonly min: number;
  readonly max: number;
  /** `ScaledObject 'ns/name'`, `HorizontalPodAutoscaler 'ns/name'` or `replicas`. */
  readonly source: string;
}

/** The replicas a workload runs: from a KEDA ScaledObject or HPA that targets it, else `spec.replicas` (default 1). */
export function replicaRange(model: ClusterModel, o: ModelObject): ReplicaRange {
  const targets = (t: ModelObject) => at(t.object, 'spec', 'scaleTargetRef', 'name') === o.name
    && (at(t.object, 'spec', 'scaleTargetRef', 'kind') ?? 'Deployment') === o.kind && t.namespace === o.namespace;
  const scaled = model.ofKind('ScaledObject').find(targets);
  if (scaled) {
    const spec = at(scaled.object, 'spec');
    // KEDA's defaults: minReplicaCount 0, maxReplicaCount 100.
    return {
      min: wholeNumber(at(spec, 'minReplicaCount')) ?? 0,
      max: wholeNumber(at(spec, 'maxReplicaCount')) ?? 100,
      source: `ScaledObject '${scaled.namespace}/${scaled.name}'`,
    };
  }
  const hpa = model.ofKind('HorizontalPodAutoscaler').find(targets);
  if (hpa) {
    const spec = at(hpa.object, 'spec');
    const max = wholeNumber(at(spec, 'maxReplicas')) ?? 1;
    return { min: wholeNumber(at(spec, 'minReplicas')) ?? 1, max, source: `HorizontalPodAutoscaler '${hpa.namespace}/${hpa.name}'` };
  }
  const replicas = wholeNumber(at(o.object, 'spec', 'replicas')) ?? 1;
  return { min: replicas, max: replicas, source: 'replicas' };
}

/** Whether a label selector (`matchLabels` map) selects these labels. */
export function selects(selector: unknown, labels: unknown): boolean {
  if (selector === null || typeof selector !== 'object') return false;
  const entries = Object.entries(selector as Record<string, unknown>);
  if (entries.length === 0) return false;
  const l = (labels ?? {}) as Record<string, unknown>;
  return entries.every(([k, v]) => l[k] === v);
}

/** The pod templates in a namespace whose labels a selector (`matchLabels` map) selects. */
export function selectedTemplates(model: ClusterModel, namespace: string | undefined, selector: unknown): Json[] {
  return model.objects
    .filter((o) => isWorkload(o) && o.namespace === namespace)
    .flatMap((o) => podGroups(o).map((g) => g.template))
    .filter((t) => selects(selector, at(t, 'metadata', 'labels')));
}

/** The `--served-model-name` of a vLLM pod template (first name; `--served-model-name=x` or `--served-model-name x`). */
export function servedModelName(template: Json): string | undefined {
  for (const c of list(template, 'spec', 'containers')) {
    const args = [...(at(c, 'command') as unknown[] ?? []), ...(at(c, 'args') as unknown[] ?? [])].map(String);
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '--served-model-name' && i + 1 < args.length) return args[i + 1];
      if (args[i].startsWith('--served-model-name=')) return args[i].slice('--served-model-name='.length);
    }
  }
  return undefined;
}

/**
 * The LoRA adapter names a vLLM pod template serves (`--lora-modules name=path ...` until the next flag, or the JSON
 * form `{"name": ...}`); clients reach them with `"model": "<name>"` like the served model name.
 */
export function loraAdapterNames(template: Json): string[] {
  const names: string[] = [];
  for (const c of list(template, 'spec', 'containers')) {
    const args = [...(at(c, 'command') as unknown[] ?? []), ...(at(c, 'args') as unknown[] ?? [])].map(String);
    const i = args.indexOf('--lora-modules');
    if (i < 0) continue;
    for (const a of args.slice(i + 1)) {
      if (a.startsWith('--')) break;
      if (a.startsWith('{')) {
        try {
          const parsed = JSON.parse(a) as { name?: unknown };
          if (typeof parsed.name === 'string') names.push(parsed.name);
        } catch {
          // not JSON: ignored
        }
      } else if (a.includes('=')) {
        names.push(a.slice(0, a.indexOf('=')));
      }
    }
  }
  return names;
}

/** The LoRA adapter names behind a Service or an InferencePool (by its selector), sorted; empty when none. */
export function loraAdaptersBehind(model: ClusterModel, kind: string, name: string, namespace: string | undefined): string[] {
  const target = model.find(kind, name, namespace);
  if (!target) return [];
  const selector = kind === 'InferencePool' ? at(target.object, 'spec', 'selector', 'matchLabels') : at(target.object, 'spec', 'selector');
  return [...new Set(selectedTemplates(model, namespace, selector).flatMap(loraAdapterNames))].sort();
}

/** The served model names behind a Service or an InferencePool (by its selector), sorted; empty when unknown. */
export function servedNamesBehind(model: ClusterModel, kind: string, name: string, namespace: string | undefined): string[] {
  const target = model.find(kind, name, namespace);
  if (!target) return [];
  const selector = kind === 'InferencePool' ? at(target.object, 'spec', 'selector', 'matchLabels') : at(target.object, 'spec', 'selector');
  const names = selectedTemplates(model, namespace, selector).map(servedModelName).filter((n): n is string => n !== undefined);
  return [...new Set(names)].sort();
}

/** `4 GPUs` / `1 GPU`, for messages. */
export function gpuPerReplicaLabel(n: number): string {
  return n === 1 ? '1 GPU' : `${n} GPUs`;
}
