import { ClusterModel } from '../model';
import { PodTemplate, templateLabel } from '../private/pod-templates';
import { RefKind, fix, problem } from '../private/references';
import { rec, recs, str } from '../private/selectors';
import { IPlatformRule, RuleEvaluation, evaluation } from '../rule';

interface Reference {
  readonly kind: RefKind;
  readonly name: string;
  readonly key?: string;
  /** Where, e.g. `env LANGFUSE_PUBLIC_KEY of container litellm`. */
  readonly where: string;
}

/** Every non-optional Secret / ConfigMap / ServiceAccount reference of a pod template. */
function referencesOf(t: PodTemplate): Reference[] {
  const out: Reference[] = [];
  for (const c of t.containers) {
    const cname = String(c.name);
    for (const e of recs(c.env)) {
      const from = rec(e.valueFrom);
      for (const [field, kind] of [['secretKeyRef', 'Secret'], ['configMapKeyRef', 'ConfigMap']] as const) {
        const ref = rec(from[field]);
        if (str(ref.name) !== undefined && ref.optional !== true) {
          out.push({ kind, name: String(ref.name), key: str(ref.key), where: `env ${String(e.name)} of container ${cname}` });
        }
      }
    }
    for (const e of recs(c.envFrom)) {
      for (const [field, kind] of [['secretRef', 'Secret'], ['configMapRef', 'ConfigMap']] as const) {
        const ref = rec(e[field]);
        if (str(ref.name) !== undefined && ref.optional !== true) out.push({ kind, name: String(ref.name), where: `envFrom of container ${cname}` });
      }
    }
  }
  for (const v of recs(t.spec.volumes)) {
    const vname = String(v.name);
    const secret = rec(v.secret);
    if (str(secret.secretName) !== undefined && secret.optional !== true) {
      const items = recs(secret.items);
      if (items.length === 0) out.push({ kind: 'Secret', name: String(secret.secretName), where: `volume ${vname}` });
      for (const i of items) out.push({ kind: 'Secret', name: String(secret.secretName), key: str(i.key), where: `volume ${vname}` });
    }
    const cm = rec(v.configMap);
    if (str(cm.name) !== undefined && cm.optional !== true) {
      const items = recs(cm.items);
      if (items.length === 0) out.push({ kind: 'ConfigMap', name: String(cm.name), where: `volume ${vname}` });
      for (const i of items) out.push({ kind: 'ConfigMap', name: String(cm.name), key: str(i.key), where: `volume ${vname}` });
    }
    for (const s of recs(rec(v.projected).sources)) {
      for (const [field, kind] of [['secret', 'Secret'], ['configMap', 'ConfigMap']] as const) {
        const ref = rec(s[field]);
        if (str(ref.name) === undefined || ref.optional === true) continue;
        const items = recs(ref.items);
        if (items.length === 0) out.push({ kind, name: String(ref.name), where: `projected volume ${vname}` });
        for (const i of items) out.push({ kind, name: String(ref.name), key: str(i.key), where: `projected volume ${vname}` });
      }
    }
  }
  for (const s of recs(t.spec.imagePullSecrets)) {
    if (str(s.name) !== undefined) out.push({ kind: 'Secret', name: String(s.name), where: 'imagePullSecrets' });
  }
  const sa = str(t.spec.serviceAccountName) ?? str(t.spec.serviceAccount);
  if (sa !== undefined && sa !== 'default') out.push({ kind: 'ServiceAccount', name: sa, where: 'serviceAccountName' });
  return out;
}

/**
 * Every Secret / ConfigMap / ServiceAccount a pod template references (env `secretKeyRef` / `configMapKeyRef` with
 * their key, `envFrom`, `secret` / `configMap` / `projected` volumes with their items, `imagePullSecrets`,
 * `serviceAccountName`; `optional: true` references are skipped) exists in the pod's namespace: as an object of the
 * platform, as the target of an ExternalSecret (keys from `data[].secretKey` and `target.template.data`; `dataFrom`
 * means keys unknown), or as created by a Helm chart (helm-facts.ts). The `default` ServiceAccount always exists.
 * Secrets named in Helm values (`secretKeyRef`, `existingSecret`, `declareConsumedSecrets`) must exist in the chart's
 * namespace likewise.
 */
export const REFERENCES_EXIST: IPlatformRule = {
  id: 'references-exist',
  description: 'Every Secret, ConfigMap (with key) and ServiceAccount a pod or Helm chart references exists in its namespace',
  why: 'A missing Secret or key keeps pods in CreateContainerConfigError; a missing ServiceAccount keeps the ReplicaSet from creating pods at all',
  example: "Deployment 'litellm/litellm' env LANGFUSE_PUBLIC_KEY of container litellm reads Secret 'litellm/langfuse-keys', which nothing in the platform provides; fix: add an ExternalSecret (platform.secrets) or Secret 'langfuse-keys' with that key in namespace 'litellm', or mark the reference optional",
  evaluate(model: ClusterModel): RuleEvaluation {
    const findings: string[] = [];
    const templates = model.podTemplates();
    for (const t of templates) {
      const ns = t.namespace ?? 'default';
      const seen = new Set<string>();
      for (const r of referencesOf(t)) {
        const p = problem(model, ns, r);
        if (p === undefined) continue;
        const line = `${templateLabel(t)} ${r.where} reads ${p}; ${fix(r.kind, ns, r.name)}`;
        if (!seen.has(line)) findings.push(line);
        seen.add(line);
      }
    }
    let helmRefs = 0;
    for (const c of model.helmComponents) {
      for (const r of model.helmSecretReferences(c)) {
        helmRefs++;
        const p = problem(model, c.namespace, { kind: 'Secret', name: r.name, key: r.key });
        if (p !== undefined) {
          findings.push(`Helm component '${c.componentName}' (values ${r.path}) reads ${p}; ${fix('Secret', c.namespace, r.name)}`);
        }
      }
    }
    return evaluation(templates.length + helmRefs > 0, findings);
  },
};
