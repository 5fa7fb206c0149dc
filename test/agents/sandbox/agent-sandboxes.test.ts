import { AgentSandboxes, ContainerImage, FlowPeer, NetworkFlows, SandboxEgress, SandboxRuntime } from '../../../lib';
import { assertPlatformChecks } from '../../../lib/checks/run';
import { ClusterModel } from '../../../lib/checks/model';
import { PLATFORM_RULES } from '../../../lib/checks/pack';
import { addGeneralPool, testDefinition, testPlatform } from '../../util';

const PYTHON = ContainerImage.of({ repository: 'python', tag: '3.12.8-slim', source: 'Docker Hub library/python', checked: '2026-12-02' });

describe('AgentSandboxes', () => {
  test('nothing is installed until the first template or sandbox; then one controller for all', () => {
    // GIVEN
    const platform = testPlatform();
    const names = () => platform.definition.components.map((c) => c.componentName);
    expect(platform.agents.sandboxes.controller).toBeUndefined();
    expect(names().filter((n) => n.startsWith('agent-sandbox') || n.startsWith('sandbox'))).toEqual([]);

    // WHEN
    platform.agents.sandboxes.addTemplate('Python', { name: 'python', image: PYTHON });
    platform.agents.sandboxes.addSandbox('Tools', { name: 'tools', image: PYTHON });

    // THEN
    expect(names().filter((n) => n.startsWith('agent-sandbox') || n.startsWith('sandbox')).sort()).toEqual([
      'agent-sandbox', 'agent-sandbox-crds', 'sandbox-template-python', 'sandbox-tools',
    ]);
    expect(platform.agents.sandboxes.templateList.map((t) => t.templateName)).toEqual(['python']);
    expect(platform.agents.sandboxes.sandboxList.map((s) => s.sandboxName)).toEqual(['tools']);
  });

  test('the agents options configure the sandboxes: agents.sandboxes of the platform props', () => {
    // GIVEN
    const platform = testPlatform({ agents: { sandboxes: { namespace: 'code-exec', controller: { monitoring: false } } } });

    // WHEN
    const t = platform.agents.sandboxes.addTemplate('Python', { name: 'python', image: PYTHON });

    // THEN
    expect(platform.agents.sandboxes.namespace).toBe('code-exec');
    expect(t.namespace).toBe('code-exec');
    expect(platform.agents.sandboxes.network).toBe(platform.network);
    expect(platform.network.flows.map((f) => f.name)).not.toContain('monitoring-to-agent-sandbox-controller');
  });

  test('namespace and controller options; flows go to the given NetworkFlows', () => {
    // GIVEN
    const definition = testDefinition();
    const network = NetworkFlows.of(definition);

    // WHEN
    const sandboxes = new AgentSandboxes(definition, 'Sandboxes', { definition, network, namespace: 'code-exec', controller: { monitoring: false } });
    const t = sandboxes.addTemplate('Python', { name: 'python', image: PYTHON, egress: [SandboxEgress.internet()] });

    // THEN
    expect(sandboxes.network).toBe(network);
    expect(t.namespace).toBe('code-exec');
    expect(network.flows.map((f) => f.name)).toEqual(expect.arrayContaining(['sandbox-template-python-to-internet', 'agent-sandbox-controller-to-api-server']));
    expect(network.flows.map((f) => f.name)).not.toContain('monitoring-to-agent-sandbox-controller');
  });

  test('a platform with sandboxes passes the platform checks (CRDs first, flows allowed, pods schedulable)', () => {
    // GIVEN
    const platform = testPlatform();
    addGeneralPool(platform);
    const team = platform.teams.add({ name: 'agents', gpuQuota: 0 });

    // WHEN
    const t = platform.agents.sandboxes.addTemplate('Python', {
      name: 'python', image: PYTHON, port: 8888, runtime: SandboxRuntime.GVISOR, egress: [SandboxEgress.internet()],
    });
    t.addWarmPool('Warm', { replicas: 2 });
    t.allowFrom('team-agents', FlowPeer.inNamespace(team.namespace));

    // THEN
    expect(() => assertPlatformChecks(platform.definition, PLATFORM_RULES, ClusterModel.of(platform.definition))).not.toThrow();
  });

  test('errors', () => {
    const platform = testPlatform();
    platform.agents.sandboxes.addTemplate('Python', { name: 'python', image: PYTHON });
    platform.agents.sandboxes.addSandbox('Tools', { name: 'tools', image: PYTHON });
    expect(() => platform.agents.sandboxes.addTemplate('Python2', { name: 'python', image: PYTHON })).toThrow("sandbox template 'python' is added twice");
    expect(() => platform.agents.sandboxes.addSandbox('Tools2', { name: 'tools', image: PYTHON })).toThrow("sandbox 'tools' is added twice");
    const definition = testDefinition();
    expect(() => new AgentSandboxes(definition, 'S', { definition, namespace: 'Code' })).toThrow("'namespace' (Code) must be a DNS label");
  });
});
