import { ClusterModel } from '../model';

/** Kinds of the objects a pod (or a kagent ModelConfig) references by name. */
export type RefKind = 'Secret' | 'ConfigMap' | 'ServiceAccount';

/** The problem with one reference in a namespace, or undefined when it resolves. */
export function problem(model: ClusterModel, namespace: string, r: { kind: RefKind; name: string; key?: string }): string | undefined {
  const provided = model.provided(r.kind, namespace, r.name);
  const what = `${r.kind} '${namespace}/${r.name}'`;
  if (provided.length === 0) {
    return `${what}, which nothing in the platform provides`;
  }
  if (r.key === undefined) return undefined;
  if (provided.some((p) => p.keys === undefined || p.keys.includes(r.key!))) return undefined;
  const keys = [...new Set(provided.flatMap((p) => p.keys ?? []))];
  return `key '${r.key}' of ${what}, which has no such key (${provided.map((p) => p.via).join(', ')} provides: ${keys.join(', ') || 'no keys'})`;
}

/** The fix of an unresolved pod reference, for messages. */
export function fix(kind: RefKind, namespace: string, name: string): string {
  switch (kind) {
    case 'Secret': return `fix: add an ExternalSecret (platform.secrets) or Secret '${name}' with that key in namespace '${namespace}', or mark the reference optional`;
    case 'ConfigMap': return `fix: add ConfigMap '${name}' with that key in namespace '${namespace}', or mark the reference optional`;
    default: return `fix: add ServiceAccount '${name}' in namespace '${namespace}' (or use the default ServiceAccount)`;
  }
}
