/** Raw kagent objects for the agent rules' tests (what a user might apply by hand or through an escape hatch). */

export const NS = 'agents';

/** A declarative kagent Agent (`kagent.dev/v1alpha2`). */
export function agent(name: string, declarative: Record<string, unknown>, spec: Record<string, unknown> = {}, namespace = NS): Record<string, unknown> {
  return {
    apiVersion: 'kagent.dev/v1alpha2', kind: 'Agent', metadata: { name, namespace },
    spec: { type: 'Declarative', description: name, declarative: { systemMessage: 'You help.', ...declarative }, ...spec },
  };
}

/** An `agent` tool entry. */
export function agentTool(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'Agent', agent: { name, ...extra } };
}

/** An `mcpServer` tool entry. */
export function mcpTool(ref: Record<string, unknown>): Record<string, unknown> {
  return { type: 'McpServer', mcpServer: ref };
}

/** A ModelConfig through LiteLLM (OpenAI provider). */
export function modelConfig(name: string, model = 'qwen3-32b', spec: Record<string, unknown> = {}, namespace = NS): Record<string, unknown> {
  return {
    apiVersion: 'kagent.dev/v1alpha2', kind: 'ModelConfig', metadata: { name, namespace },
    spec: { provider: 'OpenAI', model, openAI: { baseUrl: 'http://litellm.litellm.svc:4000/v1' }, ...spec },
  };
}

/** A RemoteMCPServer, with declared tools (annotation) and allowedNamespaces when given. */
export function remoteServer(name: string, namespace: string, tools?: string[], allowedFrom?: string): Record<string, unknown> {
  return {
    apiVersion: 'kagent.dev/v1alpha2', kind: 'RemoteMCPServer',
    metadata: { name, namespace, ...(tools ? { annotations: { 'agentic-eks.io/mcp-tools': tools.join(',') } } : {}) },
    spec: { description: name, url: `http://${name}.${namespace}:3000/mcp`, ...(allowedFrom ? { allowedNamespaces: { from: allowedFrom } } : {}) },
  };
}

/** A kmcp MCPServer, with declared tools (annotation) when given. */
export function kmcpServer(name: string, tools?: string[], namespace = NS): Record<string, unknown> {
  return {
    apiVersion: 'kagent.dev/v1alpha1', kind: 'MCPServer',
    metadata: { name, namespace, ...(tools ? { annotations: { 'agentic-eks.io/mcp-tools': tools.join(',') } } : {}) },
    spec: { transportType: 'http', httpTransport: { targetPort: 3000, path: '/mcp' }, deployment: { image: 'tools:1', port: 3000 } },
  };
}

/** LiteLLM's Service and config (two models). */
export const LITELLM = [
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'litellm', namespace: 'litellm' }, spec: { selector: { app: 'litellm' }, ports: [{ port: 4000 }] } },
  {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'litellm-config', namespace: 'litellm' },
    data: { 'config.yaml': 'model_list:\n  - model_name: qwen3-32b\n    litellm_params: { model: hosted_vllm/Qwen/Qwen3-32B }\n  - model_name: claude-sonnet\n    litellm_params: { model: bedrock/x }\n' },
  },
];
