import { ApiObject } from 'cdk8s';
import { AgentModel, AgentTool, McpKubernetesAccess, RuleStatus, SystemMessage } from '../../../lib';
import { evaluatePlatformChecks } from '../../../lib/checks/run';
import { AGENT_REFERENCES_RESOLVE } from '../../../lib/checks/rules/agent-references-resolve';
import { agentsPlatform, K8S_READ_TOOLS, TOOLS_IMAGE } from '../../agents/fixtures';
import { NS, agent, agentTool, kmcpServer, mcpTool, modelConfig, remoteServer } from './agent-fixtures';
import { definitionWith, messages, run } from './cross-component-fixtures';

const SECRET = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'rag-key', namespace: NS }, stringData: { 'api-key': 'x' } };
const SERVICE = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'docs-mcp', namespace: NS }, spec: { selector: { app: 'docs-mcp' }, ports: [{ port: 3000 }] } };

describe('agent-references-resolve', () => {
  test('compliant: ModelConfigs, MCPServer with declared tools, cross-namespace RemoteMCPServer and agent that admit the caller, Service', () => {
    // GIVEN
    const def = definitionWith({
      tools: [remoteServer('search', 'tools', ['search'], 'All'), agent('helper', { modelConfig: 'helper-model' }, { allowedNamespaces: { from: 'All' } }, 'tools'),
        modelConfig('helper-model', 'qwen3-32b', {}, 'tools')],
      agents: [
        SECRET, SERVICE,
        kmcpServer('k8s-tools', ['k8s_get_resources', 'k8s_get_events']),
        modelConfig('rag-model', 'qwen3-32b', { apiKeySecret: 'rag-key', apiKeySecretKey: 'api-key' }),
        modelConfig('default-model-config'),
        modelConfig('embedder'),
        agent('rag', {
          modelConfig: 'rag-model',
          memory: { modelConfig: 'embedder' },
          tools: [
            mcpTool({ apiGroup: 'kagent.dev', kind: 'MCPServer', name: 'k8s-tools', toolNames: ['k8s_get_events'] }),
            mcpTool({ name: 'k8s-tools' }), // no kind: MCPServer
            mcpTool({ apiGroup: 'kagent.dev', kind: 'RemoteMCPServer', name: 'search', namespace: 'tools', toolNames: ['search'] }),
            mcpTool({ kind: 'Service', name: 'docs-mcp' }),
            agentTool('ops'),
            agentTool('helper', { namespace: 'tools' }),
          ],
        }),
        agent('ops', {}), // no modelConfig: default-model-config
        { apiVersion: 'kagent.dev/v1alpha2', kind: 'Agent', metadata: { name: 'byo', namespace: NS }, spec: { type: 'BYO', byo: { deployment: { image: 'x:1' } } } },
      ],
    });
    // WHEN / THEN
    expect(run(AGENT_REFERENCES_RESOLVE, def)).toEqual({ status: RuleStatus.COMPLIANT, findings: [] });
  });

  test('non-compliant: missing ModelConfigs and Secret, unknown kinds, missing servers and agents, namespaces not admitted, undeclared tools', () => {
    // GIVEN
    const def = definitionWith({
      tools: [remoteServer('search', 'tools', ['search']), kmcpServer('remote-kmcp', undefined, 'tools'), agent('helper', { modelConfig: 'm' }, {}, 'tools'), modelConfig('m', 'qwen3-32b', {}, 'tools')],
      agents: [
        kmcpServer('k8s-tools', ['k8s_get_resources', 'k8s_get_events']),
        modelConfig('rag-model', 'qwen3-32b', { apiKeySecret: 'rag-key', apiKeySecretKey: 'api-key' }),
        { ...SECRET, metadata: { name: 'ops-key', namespace: NS } },
        modelConfig('ops-model', 'qwen3-32b', { apiKeySecret: 'ops-key', apiKeySecretKey: 'key' }),
        agent('rag', {
          modelConfig: 'rag-model',
          context: { compaction: { summarizer: { modelConfig: 'summarizer' } } },
          tools: [
            mcpTool({ apiGroup: 'kagent.dev', kind: 'MCPServer', name: 'k8s-tools', toolNames: ['k8s_get_events', 'k8s_delete_resource'] }),
            mcpTool({ apiGroup: 'kagent.dev', kind: 'ToolServer', name: 'old' }),
            mcpTool({ apiGroup: 'kagent.dev', kind: 'RemoteMCPServer', name: 'nope' }),
            mcpTool({ apiGroup: 'kagent.dev', kind: 'RemoteMCPServer', name: 'search', namespace: 'tools' }),
            mcpTool({ apiGroup: 'kagent.dev', kind: 'MCPServer', name: 'remote-kmcp', namespace: 'tools' }),
            mcpTool({ kind: 'Service', name: 'docs-mcp' }),
            agentTool('missing'),
            agentTool('helper', { namespace: 'tools' }),
            agentTool('x', { kind: 'Team' }),
          ],
        }),
        agent('ops', { modelConfig: 'ops-model' }),
        agent('lonely', {}),
      ],
    });
    // WHEN / THEN
    expect(messages(run(AGENT_REFERENCES_RESOLVE, def))).toEqual([
      "Agent 'agents/rag' context.compaction.summarizer.modelConfig names ModelConfig 'agents/summarizer', which does not exist; fix: add ModelConfig 'summarizer' in 'agents' (kagent looks in the agent's namespace only)",
      "Agent 'agents/rag' asks MCPServer 'agents/k8s-tools' for tool 'k8s_delete_resource', which it does not declare (its tools: k8s_get_resources, k8s_get_events); fix: use one of them, or add it to the server's 'tools' (annotation agentic-eks.io/mcp-tools)",
      "Agent 'agents/rag' names tool server kind 'ToolServer' (apiGroup 'kagent.dev') for 'old', which kagent does not know; fix: use kind RemoteMCPServer or MCPServer (apiGroup kagent.dev) or Service (no kind means MCPServer)",
      "Agent 'agents/rag' takes tools from RemoteMCPServer 'agents/nope', which does not exist; fix: name a RemoteMCPServer of the platform in 'agents' (mcpServer.kind: RemoteMCPServer, MCPServer or Service; no kind means MCPServer)",
      "Agent 'agents/rag' takes tools from RemoteMCPServer 'tools/search', whose allowedNamespaces does not admit namespace 'agents' (kagent refuses the reference); fix: set spec.allowedNamespaces.from to All or Selector on RemoteMCPServer 'tools/search', or move the agent to 'tools'",
      "Agent 'agents/rag' takes tools from MCPServer 'tools/remote-kmcp' in another namespace, which kagent refuses for MCPServers; fix: put the server in 'agents', or reach it through a RemoteMCPServer whose allowedNamespaces admits 'agents'",
      "Agent 'agents/rag' takes tools from Service 'agents/docs-mcp', which does not exist; fix: name a Service of the platform in 'agents' (mcpServer.kind: RemoteMCPServer, MCPServer or Service; no kind means MCPServer)",
      "Agent 'agents/rag' calls Agent 'agents/missing' as a tool, which does not exist; fix: name an agent of the platform (agent.namespace defaults to the agent's namespace 'agents')",
      "Agent 'agents/rag' calls Agent 'tools/helper' as a tool, whose allowedNamespaces does not admit namespace 'agents' (kagent refuses the reference); fix: set spec.allowedNamespaces.from to All or Selector on Agent 'tools/helper'",
      "Agent 'agents/rag' names agent tool kind 'Team' for 'x', which kagent does not know; fix: use kind Agent or SandboxAgent (no kind means Agent)",
      "Agent 'agents/lonely' modelConfig (not set: 'default-model-config') names ModelConfig 'agents/default-model-config', which does not exist; fix: add ModelConfig 'default-model-config' in 'agents' (kagent looks in the agent's namespace only)",
      "ModelConfig 'agents/rag-model' apiKeySecret reads Secret 'agents/rag-key', which nothing in the platform provides; fix: add an ExternalSecret (platform.secrets) or Secret 'rag-key' with that key in namespace 'agents'",
      "ModelConfig 'agents/ops-model' apiKeySecret reads key 'key' of Secret 'agents/ops-key', which has no such key (Secret 'agents/ops-key' provides: api-key); fix: add an ExternalSecret (platform.secrets) or Secret 'ops-key' with that key in namespace 'agents'",
    ]);
  });

  test('not applicable without kagent agents or ModelConfigs', () => {
    expect(run(AGENT_REFERENCES_RESOLVE, definitionWith({ app: [SERVICE] })).status).toBe(RuleStatus.NOT_APPLICABLE);
  });

  test('the library\'s agents and MCP servers pass; an Agent added by hand is checked against the tools a library server declares', () => {
    // GIVEN a platform with kagent, an MCP server that declares its tools and an agent using them
    const { platform, litellm } = agentsPlatform();
    const tools = platform.agents.addMcpServer('Tools', {
      name: 'k8s-tools', image: TOOLS_IMAGE, port: 8084, tools: K8S_READ_TOOLS, kubernetesAccess: McpKubernetesAccess.readOnly(),
    });
    const remote = platform.agents.addRemoteMcpServer('Search', { name: 'search', url: 'https://mcp.example.com/mcp', description: 'search', tools: ['search'] });
    const ops = platform.agents.addAgent('Ops', {
      name: 'ops', description: 'ops', systemMessage: SystemMessage.inline('You help.'), model: AgentModel.liteLlm(litellm, 'claude-sonnet'),
      tools: [AgentTool.mcp(tools, { tools: K8S_READ_TOOLS }), AgentTool.mcp(remote)],
    });
    const rule = (): string[] => evaluatePlatformChecks(platform.definition, [AGENT_REFERENCES_RESOLVE]).flatMap((r) => r.findings.map((f) => f.message));
    expect(rule()).toEqual([]);

    // WHEN an Agent is added by hand (escape hatch) in kagent's namespace without a ModelConfig (the kagent chart
    // may create it there), and one in the agents' namespace asks for a tool the server does not declare
    new ApiObject(ops.node.scope!, 'HandAgentKagent', agent('hand-kagent', {}, {}, 'kagent') as any);
    new ApiObject(ops.node.scope!, 'HandAgent', agent('hand', {
      modelConfig: 'ops-model', tools: [mcpTool({ apiGroup: 'kagent.dev', kind: 'MCPServer', name: 'k8s-tools', toolNames: ['k8s_delete_resource'] })],
    }) as any);

    // THEN only the undeclared tool is reported
    expect(rule()).toEqual([
      `Agent 'agents/hand' asks MCPServer 'agents/k8s-tools' for tool 'k8s_delete_resource', which it does not declare (its tools: ${K8S_READ_TOOLS.join(', ')}); fix: use one of them, or add it to the server's 'tools' (annotation agentic-eks.io/mcp-tools)`,
    ]);
  });
});
