import * as yaml from 'js-yaml';
import { Json, at, list } from './workloads';
import { ClusterModel, ModelObject } from '../model';

/** A Gateway listener an HTTPRoute attaches to (`sectionName` undefined = every listener). */
export interface RouteParent {
  readonly gateway: string;
  readonly namespace: string;
  readonly sectionName?: string;
}

/** The Gateways (and listeners) an HTTPRoute attaches to. */
export function routeParents(route: ModelObject): RouteParent[] {
  return list(route.object, 'spec', 'parentRefs')
    .filter((p) => (at(p, 'kind') ?? 'Gateway') === 'Gateway')
    .map((p) => ({
      gateway: String(at(p, 'name')),
      namespace: String(at(p, 'namespace') ?? route.namespace),
      sectionName: typeof at(p, 'sectionName') === 'string' ? String(at(p, 'sectionName')) : undefined,
    }));
}

/** One match of a rule, normalized (Gateway API defaults filled in), with a readable form for messages. */
export interface NormalizedMatch {
  readonly pathType: string;
  readonly path: string;
  readonly headers: Json[];
  readonly queryParams: Json[];
  readonly method?: string;
  /** Identity of the match: equal keys match exactly the same requests. */
  readonly key: string;
  /** `PathPrefix /qwen with header x-tenant: team-a`. */
  readonly text: string;
}

/** The matches of a rule (a rule without matches matches every request: PathPrefix '/'). */
export function ruleMatches(rule: Json): NormalizedMatch[] {
  const raw = list(rule, 'matches');
  return (raw.length > 0 ? raw : [{}]).map((m) => {
    const pathType = String(at(m, 'path', 'type') ?? 'PathPrefix');
    const path = String(at(m, 'path', 'value') ?? '/');
    const norm = (xs: Json[]) => xs
      .map((h) => ({ type: String(at(h, 'type') ?? 'Exact'), name: String(at(h, 'name')).toLowerCase(), value: String(at(h, 'value')) }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.value.localeCompare(b.value));
    const headers = norm(list(m, 'headers'));
    const queryParams = norm(list(m, 'queryParams'));
    const method = typeof at(m, 'method') === 'string' ? String(at(m, 'method')) : undefined;
    const conditions = [
      ...headers.map((h) => `header ${h.name}: ${h.value}`),
      ...queryParams.map((q) => `query ${q.name}=${q.value}`),
      ...(method ? [`method ${method}`] : []),
    ];
    return {
      pathType, path, headers, queryParams, method,
      key: JSON.stringify([pathType, pathType === 'PathPrefix' ? path.replace(/(.)\/+$/, '$1') : path, headers, queryParams, method ?? '']),
      text: `${pathType} ${path}${conditions.length > 0 ? ` with ${conditions.join(', ')}` : ' (no header match)'}`,
    };
  });
}

/** Whether a match takes a request path with no headers or query parameters (what LiteLLM sends). */
export function matchesPlainPath(m: NormalizedMatch, path: string): boolean {
  if (m.headers.length > 0 || m.queryParams.length > 0 || (m.method !== undefined && m.method !== 'POST')) return false;
  if (m.pathType === 'Exact') return path === m.path;
  if (m.pathType !== 'PathPrefix') return false;
  const prefix = m.path.replace(/\/+$/, '');
  return prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
}

/** One model entry of a LiteLLM config (`model_list`). */
export interface LiteLlmEntry {
  readonly modelName: string;
  readonly model: string;
  readonly apiBase?: string;
}

/** A LiteLLM proxy found by its config: a ConfigMap with `config.yaml` holding a `model_list`. */
export interface LiteLlmConfig {
  readonly configMap: ModelObject;
  readonly entries: LiteLlmEntry[];
}

/** Every LiteLLM config the platform applies. */
export function liteLlmConfigs(model: ClusterModel): LiteLlmConfig[] {
  const out: LiteLlmConfig[] = [];
  for (const cm of model.ofKind('ConfigMap')) {
    const text = at(cm.object, 'data', 'config.yaml');
    if (typeof text !== 'string') continue;
    let doc: unknown;
    try {
      doc = yaml.load(text);
    } catch {
      continue;
    }
    const entries = list(doc, 'model_list');
    if (entries.length === 0) continue;
    out.push({
      configMap: cm,
      entries: entries.map((e) => ({
        modelName: String(at(e, 'model_name')),
        model: String(at(e, 'litellm_params', 'model')),
        apiBase: typeof at(e, 'litellm_params', 'api_base') === 'string' ? String(at(e, 'litellm_params', 'api_base')) : undefined,
      })),
    });
  }
  return out;
}

/** `<name>.<namespace>.svc[.cluster.local]` of an in-cluster URL, or undefined. */
export function serviceOfUrl(url: string): { name: string; namespace: string; url: URL } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const m = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\.cluster\.local)?$/.exec(parsed.hostname);
  return m ? { name: m[1], namespace: m[2], url: parsed } : undefined;
}
