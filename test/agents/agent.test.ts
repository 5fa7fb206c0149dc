import { Size } from 'aws-cdk-lib';
import { Cpu } from '../../lib';
import { Agent, AgentEgress, AgentModel, AgentOptions, AgentTool, SystemMessage } from '../../lib';
import { expectValidK8sObjects } from '../k8s-schema';
import { find } from '../util';
import { agentsPlatform, K8S_READ_TOOLS, TOOLS_IMAGE } from './fixtures';

const f = agentsPlatform();
const { platform, litellm } = f;
const tools = platform.agents.addMcpServer('Tools', { name: 'k8s-tools', image: TOOLS_IMAGE, port: 8084, tools: K8S_READ_TOOLS });
const open = platform.agents.addRemoteMcpServer('Open', { name: 'web', url: 'https://mcp.example.com/mcp', description: 'web search' });
let n = 0;

/** An agent with a fresh name; `options` override the defaults. */
function agent(options: Partial<AgentOptions> = {}): { a: Agent; objs: Record<string, any>[] } {
  const name = options.name ?? `agent-${n++}`;
  const a = platform.agents.addAgent(`A${n++}`, {
    name, description: `agent ${name}`, systemMessage: SystemMessage.inline('You help.'), model: AgentModel.liteLlm(litellm, 'claude-sonnet'), ...options,
  });
  const objs = (platform.definition.components.find((c) => c.componentName === `agent-${name}`) as any).toJson() as Record<string, any>[];
  return { a, objs };
}

describe('Agent', () => {
  test('defaults: Agent (Declarative, python), ModelConfig through LiteLLM with its own key, ServiceAccount without token', () => {
    // GIVEN / WHEN
    const { a, objs } = agent({ name: 'plain' });

    // THEN
    expectValidK8sObjects(objs);
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/agent-plain', 'ExternalSecret/agent-plain-litellm-key', 'ModelConfig/plain-model', 'Agent/plain',
    ]);
    expect(find(objs, 'ServiceAccount', 'agent-plain').automountServiceAccountToken).toBe(false);
    expect(find(objs, 'ModelConfig', 'plain-model').spec).toEqual({
      provider: 'OpenAI', model: 'claude-sonnet', apiKeySecret: 'agent-plain-litellm-key', apiKeySecretKey: 'api-key',
      openAI: { baseUrl: 'http://litellm.litellm.svc:4000/v1' },
    });
    const spec = find(objs, 'Agent', 'plain').spec;
    expect([spec.type, spec.description, spec.declarative.runtime, spec.declarative.systemMessage, spec.declarative.modelConfig, spec.declarative.tools])
      .toEqual(['Declarative', 'agent plain', 'python', 'You help.', 'plain-model', undefined]);
    expect(spec.declarative.deployment).toEqual({
      replicas: 1, serviceAccountName: 'agent-plain',
      podSecurityContext: { runAsNonRoot: true, runAsUser: 1001, runAsGroup: 1001, fsGroup: 1001, seccompProfile: { type: 'RuntimeDefault' } },
      securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
    });
    expect([a.pods.namespace, a.pods.labels, a.liteLlmKeySecret]).toEqual(['agents', { app: 'kagent', kagent: 'plain' }, { name: 'agent-plain-litellm-key', key: 'api-key' }]);
    expect(litellm.keyRequests.find((r) => r.key_alias === 'agent-agents-plain')).toMatchObject({ models: ['claude-sonnet'] });
  });

  test('model options, Bedrock model, system message from a ConfigMap, replicas and resources', () => {
    const t = find(agent({ name: 'tuned', model: AgentModel.liteLlm(litellm, 'gpt-4.1-mini', { temperature: 0.2, maxTokens: 1024 }) }).objs, 'ModelConfig', 'tuned-model');
    expect(t.spec.openAI).toEqual({ baseUrl: 'http://litellm.litellm.svc:4000/v1', temperature: '0.2', maxTokens: 1024 });
    const { objs } = agent({
      name: 'bedrock', model: AgentModel.bedrock('anthropic.claude-3-haiku-20240307-v1:0', { region: 'us-east-1' }),
      systemMessage: SystemMessage.fromConfigMap('prompts', 'bedrock.md'), replicas: 3,
      resources: { cpu: { request: Cpu.millis(200), limit: Cpu.cores(1) }, memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) } },
    });
    expectValidK8sObjects(objs);
    expect(objs.map((o) => o.kind)).toEqual(['ServiceAccount', 'ModelConfig', 'Agent']);
    expect(find(objs, 'ModelConfig', 'bedrock-model').spec).toEqual({ provider: 'Bedrock', model: 'anthropic.claude-3-haiku-20240307-v1:0', bedrock: { region: 'us-east-1' } });
    const d = find(objs, 'Agent', 'bedrock').spec.declarative;
    expect([d.systemMessage, d.systemMessageFrom]).toEqual([undefined, { type: 'ConfigMap', name: 'prompts', key: 'bedrock.md' }]);
    expect([d.deployment.replicas, d.deployment.resources]).toEqual([3, { requests: { cpu: '200m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } }]);
  });

  test('tools: MCP tools with approval, a remote server\'s tools, another agent; flows and dependencies follow', () => {
    const { a: callee } = agent({ name: 'callee' });
    const { a, objs } = agent({
      name: 'caller',
      tools: [AgentTool.mcp(tools, { tools: ['k8s_get_resources', 'k8s_get_pod_logs'], requireApproval: ['k8s_get_pod_logs'] }), AgentTool.mcp(open), AgentTool.agent(callee)],
    });
    expectValidK8sObjects(objs);
    expect(find(objs, 'Agent', 'caller').spec.declarative.tools).toEqual([
      { type: 'McpServer', mcpServer: { apiGroup: 'kagent.dev', kind: 'MCPServer', name: 'k8s-tools', toolNames: ['k8s_get_resources', 'k8s_get_pod_logs'], requireApproval: ['k8s_get_pod_logs'] } },
      { type: 'McpServer', mcpServer: { apiGroup: 'kagent.dev', kind: 'RemoteMCPServer', name: 'web' } },
      { type: 'Agent', agent: { name: 'callee' } },
    ]);
    expect([a.calledAgents, a.mcpServers]).toEqual([[callee], [tools, open]]);
    const component = platform.definition.components.find((c) => c.componentName === 'agent-caller')!;
    expect(component.dependencies.map((d) => d.componentName)).toEqual(['kagent', 'namespaces', 'secret-store', 'mcp-k8s-tools', 'mcp-web', 'agent-callee']);
    const flows = platform.network.describe().filter((l) => l.includes("'agent-caller-"));
    expect(flows).toEqual([
      "flow 'agent-caller-to-kagent' (pods app=kagent,kagent=caller in 'agents' -> pods app.kubernetes.io/name=kagent,app.kubernetes.io/instance=kagent,app.kubernetes.io/component=controller in 'kagent', TCP 8083)",
      "flow 'agent-caller-to-litellm' (pods app=kagent,kagent=caller in 'agents' -> any pod in 'litellm', TCP 4000)",
      "flow 'agent-caller-to-mcp-k8s-tools' (pods app=kagent,kagent=caller in 'agents' -> pods app.kubernetes.io/instance=k8s-tools,app.kubernetes.io/managed-by=kmcp in 'agents', TCP 8084)",
      "flow 'agent-caller-to-mcp-web' (pods app=kagent,kagent=caller in 'agents' -> HTTPS endpoints outside the cluster (0.0.0.0/0), TCP 443)",
      "flow 'agent-caller-to-agent-callee' (pods app=kagent,kagent=caller in 'agents' -> pods app=kagent,kagent=callee in 'agents', TCP 8080)",
    ]);
  });

  test('egress declarations become flows; Bedrock and permissions reach AWS through Pod Identity', () => {
    platform.teams.add({ name: 'team-a', gpuQuota: 0 });
    agent({ name: 'egress', egress: [AgentEgress.toNamespace('team-a', { ports: [8080] }), AgentEgress.toHost('api.github.com'), AgentEgress.toCidr('10.20.0.0/16')] });
    agent({ name: 'aws', model: AgentModel.bedrock('anthropic.claude-3-haiku-20240307-v1:0', { region: 'us-west-2' }) });
    const lines = platform.network.describe();
    expect(lines.filter((l) => l.startsWith("flow 'agent-egress-to-") && !/-to-(kagent|litellm)'/.test(l))).toEqual([
      "flow 'agent-egress-to-namespace-team-a' (pods app=kagent,kagent=egress in 'agents' -> any pod in 'team-a', TCP 8080)",
      "flow 'agent-egress-to-host-api-github-com' (pods app=kagent,kagent=egress in 'agents' -> HTTPS endpoints outside the cluster (0.0.0.0/0), TCP 443)",
      "flow 'agent-egress-to-cidr-10-20-0-0-16' (pods app=kagent,kagent=egress in 'agents' -> CIDR (10.20.0.0/16), any port)",
    ]);
    expect(lines.filter((l) => l.startsWith("flow 'agent-aws-to-") && !/-to-kagent'/.test(l))).toEqual([
      "flow 'agent-aws-to-aws' (pods app=kagent,kagent=aws in 'agents' -> HTTPS endpoints outside the cluster (0.0.0.0/0), TCP 443)",
      "flow 'agent-aws-to-pod-identity' (pods app=kagent,kagent=aws in 'agents' -> the EKS Pod Identity Agent (169.254.170.23/32), TCP 80)",
    ]);
  });

  test('a2aUrl is kagent\'s A2A endpoint on the controller; toolEntries lists the tools in order (copy)', () => {
    // GIVEN
    const callee = agent({ name: 'a2a-callee' }).a;

    // WHEN
    const { a } = agent({ name: 'a2a-caller', tools: [AgentTool.mcp(tools, { tools: ['k8s_get_events'] }), AgentTool.agent(callee)] });

    // THEN
    expect(a.a2aUrl).toBe('http://kagent-controller.kagent.svc.cluster.local:8083/api/a2a/agents/a2a-caller');
    expect(a.toolEntries.map((t) => [t.kind, t.server?.serverName ?? t.calledAgent?.agentName])).toEqual([['mcp', 'k8s-tools'], ['agent', 'a2a-callee']]);
    a.toolEntries.pop();
    expect(a.toolEntries).toHaveLength(2);
  });

  test('a server that exposes undeclared tools needs the agent to name its tools', () => {
    // GIVEN
    const partial = { ...tools, serverName: 'partial', exposesUndeclaredTools: true, declaredTools: ['search'], node: tools.node } as any;

    // WHEN / THEN
    expect(() => agent({ name: 'all', tools: [AgentTool.mcp(partial)] })).toThrow(
      "agent 'all' takes every tool of MCP server 'partial', which also offers tools it does not declare (e.g. write tools of a read-only server): "
      + "name the tools, e.g. AgentTool.mcp(server, { tools: ['search'] })");
    expect(() => agent({ name: 'named', tools: [AgentTool.mcp(partial, { tools: ['search'] })] })).not.toThrow();
  });

  test('a cycle of agents calling agents fails, with its path', () => {
    const { a: x } = agent({ name: 'x' });
    const { a: y } = agent({ name: 'y', tools: [AgentTool.agent(x)] });
    const { a: z } = agent({ name: 'z', tools: [AgentTool.agent(y)] });
    expect(() => x.addTool(AgentTool.agent(z))).toThrow("agents would call each other in a cycle: x -> z -> y -> x; kagent refuses an agent whose tools lead back to it");
    expect(() => x.addTool(AgentTool.agent(x))).toThrow("agent 'x' cannot call itself as a tool");
    expect(() => z.addTool(AgentTool.agent(y))).toThrow("agent 'z' calls agent 'y' twice");
    expect(x.calledAgents).toEqual([]);
  });

  test('tool errors: a tool the server does not declare, approval outside the tools, a server twice', () => {
    expect(() => agent({ name: 't1', tools: [AgentTool.mcp(tools, { tools: ['k8s_delete_resource'] })] })).toThrow(
      `agent 't1' asks MCP server 'k8s-tools' for tool 'k8s_delete_resource', which it does not declare (its tools: ${K8S_READ_TOOLS.join(', ')})`);
    expect(() => agent({ name: 't2', tools: [AgentTool.mcp(tools, { requireApproval: ['k8s_get_events'] })] })).toThrow(
      "'requireApproval' tool 'k8s_get_events' of agent 't2' must also be in the 'tools' it takes from MCP server 'k8s-tools'");
    expect(() => agent({ name: 't3', tools: [AgentTool.mcp(open), AgentTool.mcp(open)] })).toThrow(
      "agent 't3' takes tools from MCP server 'web' twice; list its tools in one entry");
    expect(() => agent({ name: 't4', tools: [AgentTool.mcp(tools, { tools: [] })] })).toThrow(
      "'tools' of MCP server 'k8s-tools' for agent 't4' must name at least one tool, or be left out");
  });

  test('errors: no model, a model LiteLLM does not serve, names, replicas, description', () => {
    expect(() => agent({ name: 'nomodel', model: undefined })).toThrow(
      "agent 'nomodel' needs a 'model': AgentModel.liteLlm(litellm, '<model name>') or AgentModel.bedrock('<model id>', { region })");
    expect(() => agent({ name: 'unserved', model: AgentModel.liteLlm(litellm, 'llama-3.1-8b') })).toThrow(
      "'model' (llama-3.1-8b) of agent 'unserved' is not a model LiteLLM at http://litellm.litellm.svc:4000 serves (its models: claude-sonnet, gpt-4.1-mini); use one of them or add it to LiteLLM's 'models'");
    expect(() => agent({ name: 'Ops' })).toThrow("'name' (Ops) must be a DNS label");
    expect(() => agent({ name: 'a'.repeat(51) })).toThrow(`'name' (${'a'.repeat(51)}) of an agent must start with a letter and have at most 50 characters: kagent names a Service after it`);
    expect(() => agent({ name: 'zero', replicas: 0 })).toThrow("'replicas' (0) of agent 'zero' must be an integer of at least 1");
    expect(() => agent({ name: 'nodesc', description: '' })).toThrow(
      "'description' of agent 'nodesc' must be a literal, non-empty string: kagent shows it and passes it to the agents that call this one");
    expect(() => SystemMessage.fromConfigMap('prompts', 'a b')).toThrow("'key' (a b) of the system message ConfigMap 'prompts' must be letters, digits, '-', '_' or '.'");
  });
});
