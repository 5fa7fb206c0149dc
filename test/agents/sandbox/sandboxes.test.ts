import { Size } from 'aws-cdk-lib';
import { Cpu } from '../../../lib';
import {
  ContainerImage, FlowPeer, FlowPort, NetworkFlows, PlatformStack, SANDBOX_TEMPLATE_LABEL, SandboxEgress, SandboxOptions, SandboxRuntime,
  SandboxTemplate, SandboxTemplateOptions,
} from '../../../lib';
import { expectValidK8sObjects } from '../../k8s-schema';
import { find, objects, testPlatform } from '../../util';

const PYTHON = ContainerImage.of({ repository: 'python', tag: '3.12.8-slim', source: 'Docker Hub library/python', checked: '2026-12-02' });

function template(options: Partial<SandboxTemplateOptions> = {}, platform: PlatformStack = testPlatform()): SandboxTemplate {
  return platform.agents.sandboxes.addTemplate('Python', { name: 'python', image: PYTHON, ...options });
}

function resource(t: SandboxTemplate): Record<string, any> {
  return find(objects(t.component), 'SandboxTemplate', t.templateName);
}

function flows(platform: PlatformStack): string[] {
  return NetworkFlows.of(platform.definition).describe();
}

describe('SandboxTemplate', () => {
  test('defaults: restricted pod, no token, read-only root with /tmp, bounded resources, no RuntimeClass, no Service, unmanaged policy', () => {
    // GIVEN / WHEN
    const t = template();

    // THEN
    const r = resource(t);
    expectValidK8sObjects([r]);
    expect(r.apiVersion).toBe('extensions.agents.x-k8s.io/v1beta1');
    expect(r.metadata).toEqual({ name: 'python', namespace: 'sandboxes' });
    expect(r.spec.networkPolicyManagement).toBe('Unmanaged');
    expect(r.spec.service).toBe(false);
    expect(r.spec.podTemplate.metadata).toEqual({ labels: { [SANDBOX_TEMPLATE_LABEL]: 'python' } });
    const pod = r.spec.podTemplate.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.enableServiceLinks).toBe(false);
    expect(pod.runtimeClassName).toBeUndefined();
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers).toEqual([{
      name: 'sandbox',
      image: 'python:3.12.8-slim',
      resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '2Gi' } },
      securityContext: {
        allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true,
        runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' },
      },
      volumeMounts: [{ name: 'scratch-0', mountPath: '/tmp' }],
    }]);
    expect(pod.volumes).toEqual([{ name: 'scratch-0', emptyDir: { sizeLimit: '1Gi' } }]);
    expect(t.podLabels).toEqual({ [SANDBOX_TEMPLATE_LABEL]: 'python' });
  });

  test('the sandboxes namespace is default-deny at Pod Security restricted; no flow without egress or clients', () => {
    // GIVEN
    const platform = testPlatform();

    // WHEN
    const t = template({}, platform);

    // THEN
    expect(platform.definition.podSecurityOf('sandboxes')).toBe('restricted');
    expect(platform.network.enforcedNamespaces).toContain('sandboxes');
    expect(flows(platform).filter((f) => f.includes('sandbox-template-python'))).toEqual([]);
    expect(t.component.componentName).toBe('sandbox-template-python');
    expect(t.component.dependencies).toEqual(expect.arrayContaining([platform.agents.sandboxes.controller!.component, platform.definition.namespaces]));
  });

  test('pod props: command, args, env, port and Service, runtime, user, scratch paths and size, token, placement, resources', () => {
    // GIVEN / WHEN
    const t = template({
      command: ['python', '-m', 'sandbox_server'], args: ['--port', '8888'], env: { PYTHONUNBUFFERED: '1' }, port: 8888,
      runtime: SandboxRuntime.GVISOR, runAsUser: 10001, scratchPaths: ['/tmp', '/workspace'], scratchSize: Size.mebibytes(512),
      mountServiceAccountToken: true, nodeSelector: { 'agentic-eks.io/runtime': 'gvisor' },
      tolerations: [{ key: 'agentic-eks.io/sandbox', operator: 'Exists', effect: 'NoSchedule' }],
      resources: { cpu: { request: Cpu.cores(1), limit: Cpu.cores(2) }, memory: { limit: Size.gibibytes(4) } },
    });

    // THEN
    const r = resource(t);
    expectValidK8sObjects([r]);
    const pod = r.spec.podTemplate.spec;
    const c = pod.containers[0];
    expect(r.spec.service).toBe(true);
    expect(c.command).toEqual(['python', '-m', 'sandbox_server']);
    expect(c.args).toEqual(['--port', '8888']);
    expect(c.env).toEqual([{ name: 'PYTHONUNBUFFERED', value: '1' }]);
    expect(c.ports).toEqual([{ name: 'http', containerPort: 8888, protocol: 'TCP' }]);
    expect(c.resources).toEqual({ requests: { cpu: '1' }, limits: { cpu: '2', memory: '4Gi' } });
    expect(c.volumeMounts).toEqual([{ name: 'scratch-0', mountPath: '/tmp' }, { name: 'scratch-1', mountPath: '/workspace' }]);
    expect(pod.volumes).toEqual([{ name: 'scratch-0', emptyDir: { sizeLimit: '512Mi' } }, { name: 'scratch-1', emptyDir: { sizeLimit: '512Mi' } }]);
    expect(pod.runtimeClassName).toBe('gvisor');
    expect(pod.securityContext.runAsUser).toBe(10001);
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.nodeSelector).toEqual({ 'agentic-eks.io/runtime': 'gvisor' });
    expect(pod.tolerations).toEqual([{ key: 'agentic-eks.io/sandbox', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(t.port).toBe(8888);
  });

  test('the service prop overrides the port-based default', () => {
    expect(resource(template({ port: 8888, service: false })).spec.service).toBe(false);
  });

  test.each([
    [SandboxRuntime.KATA_QEMU, 'kata-qemu'], [SandboxRuntime.KATA_FIRECRACKER, 'kata-fc'], [SandboxRuntime.of('runsc-ptrace'), 'runsc-ptrace'],
  ])('runtime %p', (runtime, name) => {
    expect(resource(template({ runtime })).spec.podTemplate.spec.runtimeClassName).toBe(name);
  });

  test('egress: the internet on 443, an in-cluster URL, a peer; each a flow from the template pods', () => {
    // GIVEN
    const platform = testPlatform();

    // WHEN
    template({
      egress: [
        SandboxEgress.internet(),
        SandboxEgress.toUrl('litellm', 'http://litellm.litellm.svc:4000/v1'),
        SandboxEgress.toPeer('vectors', FlowPeer.pods('milvus', { 'app.kubernetes.io/instance': 'docs' }), [FlowPort.tcp(19530)]),
      ],
    }, platform);

    // THEN
    expect(flows(platform)).toEqual(expect.arrayContaining([
      "flow 'sandbox-template-python-to-internet' (pods agentic-eks.io/sandbox-template=python in 'sandboxes' -> HTTPS endpoints outside the cluster (0.0.0.0/0), TCP 443)",
      "flow 'sandbox-template-python-to-litellm' (pods agentic-eks.io/sandbox-template=python in 'sandboxes' -> any pod in 'litellm', TCP 4000)",
      "flow 'sandbox-template-python-to-vectors' (pods agentic-eks.io/sandbox-template=python in 'sandboxes' -> pods app.kubernetes.io/instance=docs in 'milvus', TCP 19530)",
    ]));
  });

  test('allowFrom lets a client call the sandboxes on their port', () => {
    // GIVEN
    const platform = testPlatform();
    const t = template({ port: 8888 }, platform);

    // WHEN
    t.allowFrom('rag-agent', FlowPeer.pods('agents', { app: 'rag-agent' }));

    // THEN
    expect(flows(platform)).toContain(
      "flow 'sandbox-template-python-from-rag-agent' (pods app=rag-agent in 'agents' -> pods agentic-eks.io/sandbox-template=python in 'sandboxes', TCP 8888)");
  });

  test('a warm pool of the template, in its component', () => {
    // GIVEN
    const t = template();

    // WHEN
    const pool = t.addWarmPool('Warm', { replicas: 3 });
    t.addWarmPool('Burst', { name: 'python-burst', replicas: 0 });

    // THEN
    const objs = objects(t.component);
    expectValidK8sObjects(objs.filter((o) => o.kind === 'SandboxWarmPool'));
    expect(find(objs, 'SandboxWarmPool', 'python-pool').spec).toEqual({ replicas: 3, sandboxTemplateRef: { name: 'python' } });
    expect(find(objs, 'SandboxWarmPool', 'python-burst').spec.replicas).toBe(0);
    expect(pool.poolName).toBe('python-pool');
    expect(t.warmPools.map((p) => p.poolName)).toEqual(['python-pool', 'python-burst']);
  });

  describe('errors', () => {
    test.each<[string, Partial<SandboxTemplateOptions>, string]>([
      ['root user', { runAsUser: 0 }, "'runAsUser' (0) of sandbox template 'python' must be a non-root user id (an integer >= 1)"],
      ['a port out of range', { port: 70000 }, "'port' (70000) of sandbox template 'python' must be an integer from 1 to 65535"],
      ['a relative scratch path', { scratchPaths: ['tmp'] }, "'scratchPaths' entry 'tmp' of sandbox template 'python' must be an absolute path such as /tmp"],
      ['a scratch path twice', { scratchPaths: ['/tmp', '/tmp'] }, "'scratchPaths' of sandbox template 'python' lists a path twice"],
      ['an egress twice', { egress: [SandboxEgress.internet(), SandboxEgress.internet()] }, "egress 'internet' of sandbox template 'python' is declared twice"],
      ['a bad env name', { env: { 'A B': 'x' } }, "environment variable 'A B' of sandbox template 'python' must be a C identifier-like name"],
      ['a long name', { name: 'p'.repeat(47) }, `'name' (${'p'.repeat(47)}) of a sandbox template must be at most 46 characters: its component and the controller's pod and Service names derive from it`],
    ])('%s', (_what, options, message) => {
      expect(() => template(options)).toThrow(message);
    });

    test('allowFrom without a port', () => {
      const t = template();
      expect(() => t.allowFrom('agent', FlowPeer.teams())).toThrow("sandbox template 'python' serves no port: set 'port' before allowing clients in");
    });

    test('a client allowed twice', () => {
      const t = template({ port: 8888 });
      t.allowFrom('agent', FlowPeer.teams());
      expect(() => t.allowFrom('agent', FlowPeer.teams())).toThrow("client 'agent' of sandbox template 'python' is allowed twice");
    });

    test('a warm pool with a negative size', () => {
      expect(() => template().addWarmPool('W', { replicas: -1 })).toThrow("'replicas' (-1) of sandbox warm pool 'python-pool' must be a whole number");
    });

    test('runtime classes and egress names', () => {
      expect(() => SandboxRuntime.of('gVisor')).toThrow("'runtimeClassName' (gVisor) must be a RuntimeClass name: lower-case letters, digits, '-' or '.'");
      expect(() => SandboxEgress.toUrl('api', 'ftp://x')).toThrow("'egress 'api' URL' (ftp://x) must be an http:// or https:// URL");
      expect(() => SandboxEgress.toPeer('db', FlowPeer.teams(), [])).toThrow("egress 'db' of a sandbox needs at least one port");
      expect(() => SandboxEgress.toPeer('Db', FlowPeer.teams(), [FlowPort.tcp(5432)])).toThrow("'egress name' (Db) must be a DNS label");
    });
  });
});

describe('Sandbox', () => {
  function sandbox(options: Partial<SandboxOptions> = {}, platform: PlatformStack = testPlatform()) {
    return platform.agents.sandboxes.addSandbox('Tools', { name: 'tools', image: PYTHON, ...options });
  }

  test('a standalone sandbox with the same hardening, running, its own component and label', () => {
    // GIVEN
    const platform = testPlatform();

    // WHEN
    const s = sandbox({ port: 8080, egress: [SandboxEgress.internet()] }, platform);
    s.allowFrom('agent', FlowPeer.teams());

    // THEN
    const r = find(objects(s.component), 'Sandbox', 'tools');
    expectValidK8sObjects([r]);
    expect(r.apiVersion).toBe('agents.x-k8s.io/v1beta1');
    expect(r.spec.operatingMode).toBe('Running');
    expect(r.spec.service).toBe(true);
    expect(r.spec.podTemplate.metadata.labels).toEqual({ 'agentic-eks.io/sandbox': 'tools' });
    expect(r.spec.podTemplate.spec.automountServiceAccountToken).toBe(false);
    expect(r.spec.podTemplate.spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    expect(s.component.componentName).toBe('sandbox-tools');
    expect(flows(platform)).toEqual(expect.arrayContaining([
      "flow 'sandbox-tools-to-internet' (pods agentic-eks.io/sandbox=tools in 'sandboxes' -> HTTPS endpoints outside the cluster (0.0.0.0/0), TCP 443)",
      "flow 'sandbox-tools-from-agent' (every team namespace -> pods agentic-eks.io/sandbox=tools in 'sandboxes', TCP 8080)",
    ]));
  });

  test('suspended', () => {
    const s = sandbox({ suspended: true });
    expect(find(objects(s.component), 'Sandbox', 'tools').spec.operatingMode).toBe('Suspended');
  });

  test('errors', () => {
    expect(() => sandbox({ runAsUser: 0 })).toThrow("'runAsUser' (0) of sandbox 'tools' must be a non-root user id (an integer >= 1)");
    expect(() => sandbox().allowFrom('agent', FlowPeer.teams())).toThrow("sandbox 'tools' serves no port: set 'port' before allowing clients in");
  });
});
