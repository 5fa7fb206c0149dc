import { rec, recs, str } from './selectors';
import { MCP_TOOLS_ANNOTATION } from '../../agents/private/annotations';
import { ClusterModel, ModelObject } from '../model';

/** kagent's API group. */
export const KAGENT_GROUP = 'kagent.dev';
/** The kinds kagent runs as agents (both can be another agent's tool). */
export const AGENT_KINDS = ['Agent', 'SandboxAgent'];
/** The ModelConfig kagent uses when an agent names none (the CRD's documented default). */
export const DEFAULT_MODEL_CONFIG = 'default-model-config';

/** True for a kagent object of one of `kinds` (any version). */
export function isKagent(o: ModelObject, kinds: string[]): boolean {
  return o.apiVersion.startsWith(`${KAGENT_GROUP}/`) && kinds.includes(o.kind);
}

/** Every kagent Agent and SandboxAgent of the platform, in apply order. */
export function kagentAgents(model: ClusterModel): ModelObject[] {
  return AGENT_KINDS.flatMap((k) => model.ofKind(k)).filter((o) => isKagent(o, AGENT_KINDS))
    .sort((a, b) => model.objects.indexOf(a) - model.objects.indexOf(b));
}

/** The declarative part of an agent's spec, or undefined for BYO agents. */
export function declarative(agent: ModelObject): Record<string, unknown> | undefined {
  const spec = rec(agent.object.spec);
  return (str(spec.type) ?? 'Declarative') === 'Declarative' && spec.declarative !== undefined ? rec(spec.declarative) : undefined;
}

/** `apiGroup/kind` of an agent's `mcpServer` tool entry -> the kind kagent 0.9.12's translator resolves it to. */
const MCP_SERVER_KINDS: { [groupKind: string]: string } = {
  '/': 'MCPServer', // no kind: MCPServer
  '/MCPServer': 'MCPServer',
  'kagent.dev/MCPServer': 'MCPServer',
  '/RemoteMCPServer': 'RemoteMCPServer',
  'kagent.dev/RemoteMCPServer': 'RemoteMCPServer',
  '/Service': 'Service',
  'core/Service': 'Service',
};

/** The kind an agent's `mcpServer` tool entry names, as kagent resolves it; undefined when kagent refuses it. */
export function mcpServerKind(ref: Record<string, unknown>): string | undefined {
  return MCP_SERVER_KINDS[`${str(ref.apiGroup) ?? ''}/${str(ref.kind) ?? ''}`];
}

/** The kind an agent's `agent` tool entry names (`Agent` when empty); undefined if kagent refuses it. */
export function agentToolKind(ref: Record<string, unknown>): string | undefined {
  const kind = str(ref.kind) ?? '';
  if (kind === '' || kind === 'Agent') return 'Agent';
  return kind === 'SandboxAgent' ? 'SandboxAgent' : undefined;
}

/** An agent's tool entries that name another agent: the target's kind, name and namespace. */
export function agentToolRefs(agent: ModelObject): { kind: string | undefined; name: string; namespace: string; raw: Record<string, unknown> }[] {
  const ns = agent.namespace ?? 'default';
  return recs(declarative(agent)?.tools)
    .filter((t) => t.type === 'Agent' && t.agent !== undefined)
    .map((t) => rec(t.agent))
    .map((a) => ({ kind: agentToolKind(a), name: String(a.name), namespace: str(a.namespace) ?? ns, raw: a }));
}

/** The kagent object of `kind` named `name` in `namespace`, if the platform applies one. */
export function findKagent(model: ClusterModel, kind: string, name: string, namespace: string): ModelObject | undefined {
  return model.ofKind(kind, namespace).find((o) => o.name === name && o.apiVersion.startsWith(`${KAGENT_GROUP}/`));
}

/**
 * True when a Helm component in `namespace` may create kagent objects of `kind` (its chart facts list the kind in
 * `usesCrds`, e.g. the kagent chart's ModelConfig): names are unknown, so references there are not reported.
 */
export function helmMayProvide(model: ClusterModel, kind: string, namespace: string): boolean {
  return model.helmComponents.some((c) => c.namespace === namespace
    && (model.helmFacts(c)?.usesCrds?.(model.helmValues(c), c.chart.version) ?? []).some((k) => k.group === KAGENT_GROUP && k.kind === kind));
}

/** Whether `target`'s `spec.allowedNamespaces` lets objects of `fromNamespace` reference it (kagent's AllowsNamespace). */
export function allowsNamespace(target: ModelObject, fromNamespace: string): boolean {
  if ((target.namespace ?? 'default') === fromNamespace) return true;
  const from = str(rec(rec(target.object.spec).allowedNamespaces).from) ?? 'Same';
  // Selector: the namespace's labels are applied by other tools too; not reported.
  return from === 'All' || from === 'Selector';
}

/** The tool names a RemoteMCPServer or MCPServer declares (annotation `agentic-eks.io/mcp-tools`), if it declares. */
export function declaredTools(server: ModelObject): string[] | undefined {
  const v = rec(rec(server.object.metadata).annotations)[MCP_TOOLS_ANNOTATION];
  return typeof v === 'string' ? v.split(',').map((t) => t.trim()).filter((t) => t !== '') : undefined;
}
