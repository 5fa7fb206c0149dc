import { isRecord, rec, recs, stringMap, str } from './selectors';
import type { ModelObject } from '../model';

/** One container port of a pod template. */
export interface TemplatePort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol: string;
}

/**
 * One pod template the platform applies: the template of a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
 * CronJob, a LeaderWorkerSet leader or worker template, or a bare Pod.
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

/** Kinds whose objects hold pod templates (workloads). */
export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'LeaderWorkerSet', 'Pod'];

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
    default:
      break;
  }
  return out.filter((t): t is PodTemplate => t !== undefined);
}

/** True when some container of the template passes `value` as an argument (`X` or `--flag=X`) or command word. */
export function templateMentions(t: PodTemplate, value: string): boolean {
  return t.containers.some((c) => [...(Array.isArray(c.args) ? c.args : []), ...(Array.isArray(c.command) ? c.command : [])]
    .some((a) => typeof a === 'string' && (a === value || a.endsWith(`=${value}`) || a.split(/\s+/).includes(value))));
}
