import {
  DEFAULT_MODEL_CONFIG, agentToolRefs, allowsNamespace, declarative, declaredTools, findKagent, helmMayProvide, isKagent, kagentAgents,
  mcpServerKind,
} from '../private/kagent';
import { problem } from '../private/references';
import { rec, recs, str } from '../private/selectors';
import { ClusterModel, ModelObject, label } from '../model';
import { IPlatformRule, RuleEvaluation, evaluation } from '../rule';

/** The ModelConfigs a declarative agent names: its model, its memory's embedding model, its summarizer's model. */
function modelConfigRefs(decl: Record<string, unknown>): { name: string; field: string }[] {
  const out = [{ name: str(decl.modelConfig) ?? DEFAULT_MODEL_CONFIG, field: str(decl.modelConfig) === undefined ? `modelConfig (not set: '${DEFAULT_MODEL_CONFIG}')` : 'modelConfig' }];
  const memory = str(rec(decl.memory).modelConfig);
  if (memory !== undefined) out.push({ name: memory, field: 'memory.modelConfig' });
  const summarizer = str(rec(rec(rec(decl.context).compaction).summarizer).modelConfig);
  if (summarizer !== undefined) out.push({ name: summarizer, field: 'context.compaction.summarizer.modelConfig' });
  return out;
}

/** Problems of one `mcpServer` tool entry of an agent. */
function mcpServerProblems(model: ClusterModel, agent: ModelObject, ref: Record<string, unknown>): string[] {
  const ns = agent.namespace ?? 'default';
  const kind = mcpServerKind(ref);
  const name = String(ref.name);
  if (kind === undefined) {
    return [`${label(agent)} names tool server kind '${str(ref.kind) ?? ''}' (apiGroup '${str(ref.apiGroup) ?? ''}') for '${name}', which kagent does not know; `
      + "fix: use kind RemoteMCPServer or MCPServer (apiGroup kagent.dev) or Service (no kind means MCPServer)"];
  }
  const targetNs = str(ref.namespace) ?? ns;
  const what = `${kind} '${targetNs}/${name}'`;
  if (targetNs !== ns && kind !== 'RemoteMCPServer') {
    return [`${label(agent)} takes tools from ${what} in another namespace, which kagent refuses for ${kind === 'Service' ? 'Services' : 'MCPServers'}; `
      + `fix: put the server in '${ns}', or reach it through a RemoteMCPServer whose allowedNamespaces admits '${ns}'`];
  }
  const target = kind === 'Service' ? model.services(targetNs).find((s) => s.name === name) : findKagent(model, kind, name, targetNs);
  if (target === undefined) {
    if (kind !== 'Service' && helmMayProvide(model, kind, targetNs)) return [];
    return [`${label(agent)} takes tools from ${what}, which does not exist; fix: name a ${kind} of the platform in '${targetNs}' `
      + '(mcpServer.kind: RemoteMCPServer, MCPServer or Service; no kind means MCPServer)'];
  }
  if (kind === 'Service') return [];
  const server = target as ModelObject;
  const out: string[] = [];
  if (!allowsNamespace(server, ns)) {
    out.push(`${label(agent)} takes tools from ${what}, whose allowedNamespaces does not admit namespace '${ns}' (kagent refuses the reference); `
      + `fix: set spec.allowedNamespaces.from to All or Selector on ${label(server)}, or move the agent to '${targetNs}'`);
  }
  const declared = declaredTools(server);
  if (declared !== undefined) {
    for (const t of (Array.isArray(ref.toolNames) ? ref.toolNames : []).map(String).filter((x) => !declared.includes(x))) {
      out.push(`${label(agent)} asks ${what} for tool '${t}', which it does not declare (its tools: ${declared.join(', ')}); `
        + "fix: use one of them, or add it to the server's 'tools' (annotation agentic-eks.io/mcp-tools)");
    }
  }
  return out;
}

/** Problems of one `agent` tool entry of an agent. */
function agentToolProblems(model: ClusterModel, agent: ModelObject, ref: ReturnType<typeof agentToolRefs>[number]): string[] {
  const ns = agent.namespace ?? 'default';
  if (ref.kind === undefined) {
    return [`${label(agent)} names agent tool kind '${String(ref.raw.kind)}' for '${ref.name}', which kagent does not know; fix: use kind Agent or SandboxAgent (no kind means Agent)`];
  }
  const what = `${ref.kind} '${ref.namespace}/${ref.name}'`;
  const target = findKagent(model, ref.kind, ref.name, ref.namespace);
  if (target === undefined) {
    return [`${label(agent)} calls ${what} as a tool, which does not exist; fix: name an agent of the platform (agent.namespace defaults to the agent's namespace '${ns}')`];
  }
  if (!allowsNamespace(target, ns)) {
    return [`${label(agent)} calls ${what} as a tool, whose allowedNamespaces does not admit namespace '${ns}' (kagent refuses the reference); `
      + `fix: set spec.allowedNamespaces.from to All or Selector on ${label(target)}`];
  }
  return [];
}

/**
 * Every reference of a kagent agent (`Agent`, `SandboxAgent`, `kagent.dev/v1alpha2`, declarative) resolves to an object
 * of the platform, as kagent 0.9.12 resolves it:
 *
 * - its ModelConfigs (`modelConfig`, default `default-model-config`; `memory.modelConfig`;
 *   `context.compaction.summarizer.modelConfig`) in the agent's namespace;
 * - its `mcpServer` tools: a RemoteMCPServer, MCPServer (the default kind) or Service, in the agent's namespace or
 *   `mcpServer.namespace`; across namespaces only a RemoteMCPServer, and only when its `allowedNamespaces` admits the
 *   agent's namespace (`from: All` or `Selector`); each of `toolNames` is a tool the server declares, when it declares
 *   them (annotation `agentic-eks.io/mcp-tools`, written from the library's `tools`);
 * - its `agent` tools: an Agent (the default kind) or SandboxAgent, across namespaces only when its
 *   `allowedNamespaces` admits the caller's;
 *
 * and every ModelConfig's `apiKeySecret` (with `apiKeySecretKey`) is a Secret the platform provides in its namespace.
 * ModelConfigs, RemoteMCPServers and MCPServers in a namespace where a Helm chart may create them (the kagent chart's)
 * are not reported missing.
 */
export const AGENT_REFERENCES_RESOLVE: IPlatformRule = {
  id: 'agent-references-resolve',
  description: "An agent's ModelConfig, MCP servers (with the tool names they declare) and agent tools exist and admit it; a ModelConfig's API-key Secret exists",
  why: 'kagent does not deploy an agent with an unresolved reference (its Accepted condition stays False), and a tool name the server does not offer is missing from the agent at run time',
  example: "Agent 'agents/ops' asks MCPServer 'agents/k8s-tools' for tool 'k8s_delete_resource', which it does not declare (its tools: k8s_get_resources, k8s_get_events); fix: use one of them, or add it to the server's 'tools' (annotation agentic-eks.io/mcp-tools)",
  evaluate(model: ClusterModel): RuleEvaluation {
    const findings: string[] = [];
    const agents = kagentAgents(model);
    for (const agent of agents) {
      const decl = declarative(agent);
      if (decl === undefined) continue;
      const ns = agent.namespace ?? 'default';
      for (const ref of modelConfigRefs(decl)) {
        if (findKagent(model, 'ModelConfig', ref.name, ns) !== undefined || helmMayProvide(model, 'ModelConfig', ns)) continue;
        findings.push(`${label(agent)} ${ref.field} names ModelConfig '${ns}/${ref.name}', which does not exist; `
          + `fix: add ModelConfig '${ref.name}' in '${ns}' (kagent looks in the agent's namespace only)`);
      }
      for (const tool of recs(decl.tools)) {
        if (tool.type === 'McpServer' && tool.mcpServer !== undefined) findings.push(...mcpServerProblems(model, agent, rec(tool.mcpServer)));
      }
      for (const ref of agentToolRefs(agent)) findings.push(...agentToolProblems(model, agent, ref));
    }
    const configs = model.ofKind('ModelConfig').filter((o) => isKagent(o, ['ModelConfig']));
    for (const mc of configs) {
      const spec = rec(mc.object.spec);
      const secret = str(spec.apiKeySecret);
      if (secret === undefined) continue;
      const ns = mc.namespace ?? 'default';
      const key = str(spec.provider) === 'SAPAICore' ? undefined : str(spec.apiKeySecretKey);
      const p = problem(model, ns, { kind: 'Secret', name: secret, key });
      if (p !== undefined) {
        findings.push(`${label(mc)} apiKeySecret reads ${p}; fix: add an ExternalSecret (platform.secrets) or Secret '${secret}' with that key in namespace '${ns}'`);
      }
    }
    return evaluation(agents.length + configs.length > 0, findings);
  },
};
