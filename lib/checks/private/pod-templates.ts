import { isRecord, rec, recs, stringMap, str } from './selectors';
import type { ModelObject } from '../model';

import type { PodTemplate, TemplatePort } from '../model-types';

export type { PodTemplate, TemplatePort };

/** Kinds whose objects hold pod templates (workloads). */
export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'LeaderWorkerSet', 'Pod', 'TrainJob'];

/** `Deployment 'ns/name'` or `LeaderWorkerSet 'ns/name' (worker)`, for messages. */
export function templateLabel(t: PodTemplate): string {
  const base = t.owner.namespace !== undefined ? `${t.owner.kind} '${t.owner.namespace}/${t.owner.name}'` : `${t.owner.kind} '${t.owner.name}'`;
  return t.role !== undefined ? `${base} (${t.role} template)` : base;
}

function template(owner: ModelObject, tpl: unknown, extraLabels: Record<string, string>, role?: string): PodTemplate | undefined {
  if (!isRecord(tpl)) return undefined;
  const spec = rec(tpl.spec);
  const containers = [...recs(spec.containers), ...recs(spec.initContainers)];
  const ports: TemplatePort[] = [];
  for (const c of containers) {
    for (const p of recs(c.ports)) {
      if (typeof p.containerPort === 'number') {
        ports.push({ name: str(p.name), containerPort: p.containerPort, protocol: str(p.protocol) ?? 'TCP' });
      }
    }
  }
  return {
    owner,
    role,
    namespace: owner.namespace,
    labels: { ...stringMap(rec(tpl.metadata).labels), ...extraLabels },
    spec,
    containers,
    ports,
  };
}

/** The pod templates of one object (none when it is not a workload). */
export function podTemplatesOf(o: ModelObject): PodTemplate[] {
  const spec = rec(o.object.spec);
  const out: (PodTemplate | undefined)[] = [];
  switch (o.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
      out.push(template(o, spec.template, {}));
      break;
    case 'Job':
      // The Job controller labels its pods with the Job name.
      out.push(template(o, spec.template, { 'job-name': o.name, 'batch.kubernetes.io/job-name': o.name }));
      break;
    case 'CronJob':
      out.push(template(o, rec(rec(spec.jobTemplate).spec).template, {}));
      break;
    case 'Pod':
      out.push(template(o, { metadata: o.object.metadata, spec }, {}));
      break;
    case 'LeaderWorkerSet': {
      // The LWS controller labels every pod with the set name; the leader has worker index 0.
      const lwt = rec(spec.leaderWorkerTemplate);
      const set = { 'leaderworkerset.sigs.k8s.io/name': o.name };
      if (isRecord(lwt.leaderTemplate)) {
        out.push(template(o, lwt.leaderTemplate, { ...set, 'leaderworkerset.sigs.k8s.io/worker-index': '0' }, 'leader'));
        out.push(template(o, lwt.workerTemplate, set, 'worker'));
      } else {
        out.push(template(o, lwt.workerTemplate, set));
      }
      break;
    }
    case 'TrainJob':
      if (o.apiVersion.startsWith('trainer.kubeflow.org/')) out.push(...trainJobTemplates(o, spec));
      break;
    default:
      break;
  }
  return out.filter((t): t is PodTemplate => t !== undefined);
}

/**
 * The pods of a Kubeflow TrainJob as far as the TrainJob itself says: one template per replicated job its runtime
 * patches name (`node`, and `launcher` for MPI), with the patched metadata, node selector, tolerations, ServiceAccount,
 * volumes and init-container environment, and a `node` container holding `trainer.resourcesPerNode`. The runtime's
 * own template (image, command) is not merged in: the checks read placement, GPUs and references, which the library
 * sets on the TrainJob. JobSet labels every pod with the JobSet (= TrainJob) name.
 */
function trainJobTemplates(o: ModelObject, spec: Record<string, unknown>): (PodTemplate | undefined)[] {
  const trainer = rec(spec.trainer);
  const jobs = recs(spec.runtimePatches).flatMap((p) => recs(rec(rec(rec(p.trainingRuntimeSpec).template).spec).replicatedJobs));
  const names = jobs.length > 0 ? [...new Set(jobs.map((j) => str(j.name) ?? 'node'))] : ['node'];
  const labels = { 'jobset.sigs.k8s.io/jobset-name': o.name };
  return names.map((name) => {
    const patched = jobs.filter((j) => (str(j.name) ?? 'node') === name).map((j) => rec(rec(j.template).spec).template);
    const metadata = Object.assign({}, ...patched.map((t) => rec(rec(t).metadata)));
    const podSpec: Record<string, unknown> = Object.assign({}, ...patched.map((t) => rec(rec(t).spec)));
    const patchedNode = recs(podSpec.containers).find((c) => c.name === 'node') ?? {};
    const node = { ...patchedNode, name: 'node', resources: trainer.resourcesPerNode ?? {} };
    podSpec.containers = [node, ...recs(podSpec.containers).filter((c) => c.name !== 'node')];
    return template(o, { metadata, spec: podSpec }, labels, names.length > 1 ? name : undefined);
  });
}

/** True when some container of the template passes `value` as an argument (`X` or `--flag=X`) or command word. */
export function templateMentions(t: PodTemplate, value: string): boolean {
  return t.containers.some((c) => [...(Array.isArray(c.args) ? c.args : []), ...(Array.isArray(c.command) ? c.command : [])]
    .some((a) => typeof a === 'string' && (a === value || a.endsWith(`=${value}`) || a.split(/\s+/).includes(value))));
}
