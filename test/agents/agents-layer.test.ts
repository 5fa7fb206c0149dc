import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AgentEgress, AgentModel, AgentTool, KubernetesComponent, McpKubernetesAccess, RuleStatus, SystemMessage } from '../../lib';
import { evaluatePlatformChecks } from '../../lib/checks/run';
import { expectValidK8sObjects } from '../k8s-schema';
import { template } from '../util';
import { agentsPlatform, K8S_READ_TOOLS, TOOLS_IMAGE } from './fixtures';

const MESSAGE = SystemMessage.inline('You help.');

function componentJson(platform: ReturnType<typeof agentsPlatform>['platform'], name: string): Record<string, any>[] {
  const c = platform.definition.components.find((x) => x.componentName === name) as KubernetesComponent;
  return c.toJson() as Record<string, any>[];
}

describe('AgentsLayer', () => {
  test('without agents or MCP servers, nothing is installed', () => {
    // GIVEN / WHEN
    const { platform } = agentsPlatform();

    // THEN
    expect(platform.agents.kagent).toBeUndefined();
    expect(platform.agents.permissionsBoundary).toBeUndefined();
    expect(platform.definition.components.map((c) => c.componentName).filter((n) => /kagent|agent-|mcp-/.test(n))).toEqual([]);
    expect(platform.definition.sharedNamespaces).not.toContain('agents');
    template(platform).resourceCountIs('AWS::IAM::ManagedPolicy', 0);
  });

  test('the first agent installs kagent and the restricted, default-deny agents namespace; checks pass', () => {
    // GIVEN
    const { platform, litellm } = agentsPlatform();
    const tools = platform.agents.addMcpServer('Tools', {
      name: 'k8s-tools', image: TOOLS_IMAGE, port: 8084, tools: K8S_READ_TOOLS, kubernetesAccess: McpKubernetesAccess.readOnly(),
    });

    // WHEN
    const ops = platform.agents.addAgent('Ops', {
      name: 'ops', description: 'ops', systemMessage: MESSAGE, model: AgentModel.liteLlm(litellm, 'claude-sonnet'), tools: [AgentTool.mcp(tools, { tools: K8S_READ_TOOLS })],
    });
    const sandboxed = platform.agents.addMcpServer('Code', { name: 'code', image: TOOLS_IMAGE, runtimeClass: 'gvisor' });
    platform.agents.addAgent('Rag', {
      name: 'rag', description: 'rag', systemMessage: MESSAGE, model: AgentModel.liteLlm(litellm, 'gpt-4.1-mini'),
      tools: [AgentTool.agent(ops), AgentTool.mcp(sandboxed)],
    });

    // THEN
    const names = platform.definition.components.map((c) => `${c.componentName}:${c.stage}`).filter((n) => /kagent|agent-|mcp-/.test(n));
    expect(names).toEqual([
      'kagent-crds:crds', 'kagent-database:configuration', 'kagent:configuration', 'mcp-k8s-tools:workloads', 'agent-ops:workloads',
      'mcp-code:workloads', 'agent-rag:workloads',
    ]);
    expect([platform.definition.sharedNamespaces.includes('agents'), platform.definition.podSecurityOf('agents')]).toEqual([true, 'restricted']);
    expect(platform.network.policiesFor('agents').map((p: any) => p.metadata.name)).toEqual(expect.arrayContaining(['default-deny', 'allow-dns']));
    for (const c of ['mcp-k8s-tools', 'mcp-code', 'agent-ops', 'agent-rag']) expectValidK8sObjects(componentJson(platform, c));
    expect([platform.agents.agentList.map((a) => a.agentName), platform.agents.mcpServers.map((s) => s.serverName)]).toEqual([['ops', 'rag'], ['k8s-tools', 'code']]);
    const failed = evaluatePlatformChecks(platform.definition).filter((r) => r.status === RuleStatus.NON_COMPLIANT);
    expect(failed.flatMap((r) => r.findings.map((f) => `[${r.rule.id}] ${f.message}`))).toEqual([]);
  });

  test('each agent has its own Pod Identity role, under the permissions boundary, with its Bedrock model and permissions', () => {
    // GIVEN
    const { platform, litellm } = agentsPlatform({
      agents: { permissionsBoundary: { allowedActions: ['s3:GetObject'], allowedResources: ['arn:aws:s3:::docs/*'] } },
    });

    // WHEN
    platform.agents.addAgent('A', { name: 'a', description: 'a', systemMessage: MESSAGE, model: AgentModel.liteLlm(litellm, 'claude-sonnet') });
    platform.agents.addAgent('B', {
      name: 'b', description: 'b', systemMessage: MESSAGE, model: AgentModel.bedrock('us.anthropic.claude-sonnet-4-20250514-v1:0', { region: 'us-west-2' }),
      permissions: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::docs/handbook/*'] }],
    });

    // THEN
    const t = template(platform);
    t.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'agents', ServiceAccount: 'agent-a' });
    t.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'agents', ServiceAccount: 'agent-b' });
    const boundary = Object.keys(t.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('Permissions boundary of every agent role') } }));
    expect(boundary).toHaveLength(1);
    const roles = Object.values(t.findResources('AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp("^agent [ab] of EKS cluster test, within the agents' permissions boundary$") } }));
    expect(roles).toHaveLength(2);
    for (const r of roles) expect(r.Properties.PermissionsBoundary).toEqual({ Ref: boundary[0] });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Sid: 'InvokeBedrockModel', Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], Resource: Match.arrayWith([
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:us-west-2:', { Ref: 'AWS::AccountId' }, ':inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0']] },
          ]) },
          { Sid: 'AgentPermission0', Action: 's3:GetObject', Resource: 'arn:aws:s3:::docs/handbook/*' },
        ],
      },
    });
  });

  test('tracing: with the collector, agents and the controller send to it; without it, a warning; tracing false turns it off', () => {
    const withCollector = agentsPlatform();
    withCollector.platform.agents.addAgent('A', { name: 'a', description: 'a', systemMessage: MESSAGE, model: AgentModel.liteLlm(withCollector.litellm, 'claude-sonnet') });
    expect((withCollector.platform.agents.kagent!.chart.values() as any).otel.tracing.enabled).toBe(true);
    expect(withCollector.platform.network.describe().filter((l) => l.includes('otel-collector') && l.includes('agent'))).toEqual([
      "flow 'agents-to-otel-collector' (pods app=kagent in 'agents' -> any pod in 'opentelemetry', TCP 4317)",
      "flow 'kagent-to-otel-collector' (pods app.kubernetes.io/name=kagent,app.kubernetes.io/instance=kagent,app.kubernetes.io/component=controller in 'kagent' -> any pod in 'opentelemetry', TCP 4317)",
    ]);

    const without = agentsPlatform({}, { collector: false });
    without.platform.agents.addAgent('A', { name: 'a', description: 'a', systemMessage: MESSAGE, model: AgentModel.liteLlm(without.litellm, 'claude-sonnet') });
    expect((without.platform.agents.kagent!.chart.values() as any).otel.tracing).toEqual({ enabled: false });
    Annotations.fromStack(without.platform).hasWarning('/Test/Agents', Match.stringLikeRegexp('agents are added before an OpenTelemetry collector'));

    const off = agentsPlatform({ agents: { tracing: false } });
    off.platform.agents.addAgent('A', { name: 'a', description: 'a', systemMessage: MESSAGE, model: AgentModel.liteLlm(off.litellm, 'claude-sonnet') });
    expect((off.platform.agents.kagent!.chart.values() as any).otel.tracing).toEqual({ enabled: false });
    expect(off.platform.network.describe().filter((l) => l.includes("'agents-to-otel-collector'"))).toEqual([]);
  });

  test('MCP servers: kagent lists their tools; API access and egress become flows; an external URL needs no discovery flow', () => {
    const { platform } = agentsPlatform();
    platform.teams.add({ name: 'team-a' });
    platform.agents.addMcpServer('Tools', {
      name: 'k8s-tools', image: TOOLS_IMAGE, port: 8084, kubernetesAccess: McpKubernetesAccess.readOnly(), egress: [AgentEgress.toNamespace('team-a', { ports: [80] })],
    });
    platform.agents.addRemoteMcpServer('Web', { name: 'web', url: 'https://mcp.example.com/mcp', description: 'web' });
    platform.agents.addRemoteMcpServer('Docs', { name: 'docs', url: 'http://docs-mcp.team-a.svc:8000/mcp', description: 'docs' });
    expect(platform.network.describe().filter((l) => /'(kagent-to-mcp|mcp)-/.test(l))).toEqual([
      "flow 'kagent-to-mcp-k8s-tools' (pods app.kubernetes.io/name=kagent,app.kubernetes.io/instance=kagent,app.kubernetes.io/component=controller in 'kagent' -> pods app.kubernetes.io/instance=k8s-tools,app.kubernetes.io/managed-by=kmcp in 'agents', TCP 8084)",
      "flow 'mcp-k8s-tools-to-api-server' (pods app.kubernetes.io/instance=k8s-tools,app.kubernetes.io/managed-by=kmcp in 'agents' -> the Kubernetes API server (0.0.0.0/0), TCP 443)",
      "flow 'mcp-k8s-tools-to-namespace-team-a' (pods app.kubernetes.io/instance=k8s-tools,app.kubernetes.io/managed-by=kmcp in 'agents' -> any pod in 'team-a', TCP 80)",
      "flow 'kagent-to-mcp-docs' (pods app.kubernetes.io/name=kagent,app.kubernetes.io/instance=kagent,app.kubernetes.io/component=controller in 'kagent' -> any pod in 'team-a', TCP 8000)",
    ]);
    expect(componentJson(platform, 'mcp-web').map((o) => o.kind)).toEqual(['RemoteMCPServer']);
    expect(platform.network.describe().filter((l) => l.startsWith("flow 'teams-to-kagent'"))).toEqual([
      "flow 'teams-to-kagent' (every team namespace -> pods app.kubernetes.io/name=kagent,app.kubernetes.io/instance=kagent,app.kubernetes.io/component=controller in 'kagent', TCP 8083)",
    ]);
  });

  test('egress to a namespace the platform does not have fails when the manifests are rendered', () => {
    const { platform, litellm } = agentsPlatform();
    platform.agents.addAgent('A', {
      name: 'a', description: 'a', systemMessage: MESSAGE, model: AgentModel.liteLlm(litellm, 'claude-sonnet'), egress: [AgentEgress.toNamespace('billing')],
    });
    expect(() => componentJson(platform, 'agent-a')).toThrow(
      "'egress' of agent 'a' names namespace 'billing', which the platform does not have (its namespaces: agents, cert-manager, clickhouse-operator, default, external-secrets, kagent, "
      + 'kube-node-lease, kube-public, kube-system, langfuse, litellm, monitoring, opentelemetry); add what creates it (a team, the layer that uses it) or remove the egress entry');
    platform.agents.addMcpServer('M', { name: 'm', image: TOOLS_IMAGE, egress: [AgentEgress.toNamespace('billing')] });
    expect(() => componentJson(platform, 'mcp-m')).toThrow("'egress' of MCP server 'm' names namespace 'billing', which the platform does not have");
    // A namespace added later (a team) is found: the check runs when the manifests are rendered.
    platform.teams.add({ name: 'billing' });
    expect(() => componentJson(platform, 'agent-a')).not.toThrow();
  });

  test('errors: namespace, half a boundary, a boundary wider than the platform\'s, a name used twice', () => {
    expect(() => agentsPlatform({ agents: { namespace: 'kagent' } })).toThrow(
      "'namespace' (kagent) of the agents must be a namespace of their own, not 'kagent' or a namespace of Kubernetes");
    expect(() => agentsPlatform({ agents: { permissionsBoundary: { allowedResources: ['*'] } } })).toThrow(
      "'permissionsBoundary' needs both 'allowedActions' and 'allowedResources' (got 0 action(s) and 1 resource(s))");
    const { platform, litellm } = agentsPlatform();
    expect(() => platform.agents.addAgent('A', {
      name: 'a', description: 'a', systemMessage: MESSAGE, model: AgentModel.liteLlm(litellm, 'claude-sonnet'),
      permissions: [{ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::docs/*'] }],
    })).toThrow("agent 'a' asks for 's3:PutObject' on 'arn:aws:s3:::docs/*' ('permissions'): a permissions boundary wider than the platform's, "
      + "which allows bedrock:InvokeModel, bedrock:InvokeModelWithResponseStream on Bedrock foundation models and inference profiles; widen the agents layer's 'permissionsBoundary' or narrow the agent's 'permissions'");
    platform.agents.addRemoteMcpServer('Web', { name: 'web', url: 'https://mcp.example.com/mcp', description: 'web' });
    expect(() => platform.agents.addAgent('Web', { name: 'web', description: 'web', systemMessage: MESSAGE, model: AgentModel.liteLlm(litellm, 'claude-sonnet') })).toThrow(
      "name 'web' of agent is already used by MCP server 'web': agents and MCP servers share the namespace agents");
  });
});
