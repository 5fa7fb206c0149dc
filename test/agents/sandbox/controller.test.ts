/**
 * The agent-sandbox controller the library builds, and its equivalence with the upstream chart (no published chart:
 * the vendored copy of the repository's `helm/` folder at v0.5.6, rendered by the helm of the kubectl layer with the
 * values the upstream README gives for extensions).
 */
import * as fs from 'fs';
import * as path from 'path';
import { AgentSandboxController, ContainerImage, CrdBundleComponent, NetworkFlows } from '../../../lib';
import { CHARTS_AVAILABLE, CHARTS_DIR, renderHelmComponent } from '../../charts/helm';
import { expectValidK8sObjects, SCHEMAS_DIR } from '../../k8s-schema';
import { find, objects, testDefinition } from '../../util';

function controller(props: Partial<ConstructorParameters<typeof AgentSandboxController>[2]> = {}): AgentSandboxController {
  const definition = testDefinition();
  return new AgentSandboxController(definition, 'AgentSandbox', { definition, ...props });
}

type Obj = Record<string, any>;
const key = (o: Obj) => `${o.kind}/${o.metadata.name}`;

describe('AgentSandboxController', () => {
  test('the CRDs are a bundle shipped with the package, identical to the stored upstream CRDs', () => {
    // GIVEN / WHEN
    const c = controller();

    // THEN
    expect(CrdBundleComponent.isCrdBundle(c.crds)).toBe(true);
    expect(c.crds.componentName).toBe('agent-sandbox-crds');
    expect(c.crds.crdNames).toEqual([
      'sandboxes.agents.x-k8s.io', 'sandboxclaims.extensions.agents.x-k8s.io', 'sandboxtemplates.extensions.agents.x-k8s.io',
      'sandboxwarmpools.extensions.agents.x-k8s.io',
    ]);
    for (const f of c.crds.files) {
      const stored = path.join(SCHEMAS_DIR, 'agent-sandbox', path.basename(f));
      if (fs.existsSync(stored)) expect(fs.readFileSync(f, 'utf-8')).toBe(fs.readFileSync(stored, 'utf-8'));
    }
  });

  test('controller component: stage controllers in agent-sandbox-system, after its CRDs and namespace; every object valid', () => {
    // GIVEN / WHEN
    const c = controller();
    const objs = objects(c.component);

    // THEN
    expect(c.component.componentName).toBe('agent-sandbox');
    expect(c.component.stage).toBe('controllers');
    expect(c.component.namespace).toBe('agent-sandbox-system');
    expect(c.component.dependencies).toEqual(expect.arrayContaining([c.crds]));
    expectValidK8sObjects(objs);
    expect(objs.map(key).sort()).toEqual([
      'ClusterRole/agent-sandbox-controller', 'ClusterRole/agent-sandbox-controller-extensions',
      'ClusterRoleBinding/agent-sandbox-controller', 'ClusterRoleBinding/agent-sandbox-controller-extensions',
      'Deployment/agent-sandbox-controller', 'Role/agent-sandbox-controller', 'RoleBinding/agent-sandbox-controller',
      'Service/agent-sandbox-controller', 'Service/agent-sandbox-webhook-service', 'ServiceAccount/agent-sandbox-controller',
      'ServiceMonitor/agent-sandbox-controller',
    ]);
  });

  test('the Deployment: pinned image, extensions on, restricted and read-only, /tmp for the webhook certificates, system nodes', () => {
    // GIVEN / WHEN
    const d = find(objects(controller().component), 'Deployment', 'agent-sandbox-controller');
    const pod = d.spec.template.spec;
    const c = pod.containers[0];

    // THEN
    expect(c.image).toBe('registry.k8s.io/agent-sandbox/agent-sandbox-controller:v0.5.6');
    expect(c.args).toContain('--extensions=true');
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' }, readOnlyRootFilesystem: true,
    });
    expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    expect(pod.tolerations).toEqual([{ key: 'CriticalAddonsOnly', operator: 'Exists' }]);
  });

  test('flows: to the API server, from it to the conversion webhook, from Prometheus', () => {
    // GIVEN
    const definition = testDefinition();

    // WHEN
    new AgentSandboxController(definition, 'AgentSandbox', { definition });

    // THEN
    expect(NetworkFlows.of(definition).describe()).toEqual(expect.arrayContaining([
      "flow 'agent-sandbox-controller-to-api-server' (pods app.kubernetes.io/name=agent-sandbox,app.kubernetes.io/instance=agent-sandbox in 'agent-sandbox-system' -> the Kubernetes API server (0.0.0.0/0), TCP 443)",
      "flow 'api-server-to-agent-sandbox-webhook' (clients anywhere (0.0.0.0/0) -> pods app.kubernetes.io/name=agent-sandbox,app.kubernetes.io/instance=agent-sandbox in 'agent-sandbox-system', TCP 9443)",
      "flow 'monitoring-to-agent-sandbox-controller' (Prometheus (namespace 'monitoring') -> pods app.kubernetes.io/name=agent-sandbox,app.kubernetes.io/instance=agent-sandbox in 'agent-sandbox-system', TCP 8080)",
    ]));
    expect(definition.sharedNamespaces).toContain('agent-sandbox-system');
    expect(definition.podSecurityOf('agent-sandbox-system')).toBe('restricted');
  });

  test('image, replicas, monitoring off', () => {
    // GIVEN
    const image = ContainerImage.of({ repository: 'registry.example.com/agent-sandbox-controller', tag: 'v0.5.6', source: 'mirror', checked: '2026-12-02' });

    // WHEN
    const definition = testDefinition();
    const c = new AgentSandboxController(definition, 'AgentSandbox', { definition, image, replicas: 2, monitoring: false });
    const objs = objects(c.component);

    // THEN
    const d = find(objs, 'Deployment', 'agent-sandbox-controller');
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.containers[0].image).toBe('registry.example.com/agent-sandbox-controller:v0.5.6');
    expect(objs.some((o) => o.kind === 'ServiceMonitor')).toBe(false);
    expect(NetworkFlows.of(definition).flows.map((f) => f.name)).not.toContain('monitoring-to-agent-sandbox-controller');
  });

  test('replicas below 1', () => {
    expect(() => controller({ replicas: 0 })).toThrow("'replicas' (0) of the agent-sandbox controller must be an integer >= 1");
  });

  (CHARTS_AVAILABLE ? describe : describe.skip)('equivalence with the upstream chart (helm/ at v0.5.6)', () => {
    const c = controller();
    const ours = objects(c.component) as Obj[];
    // The chart as the upstream README installs it with extensions, in an existing namespace.
    const chart = renderHelmComponent({
      chart: { chart: 'agent-sandbox', version: 'v0.5.6' },
      releaseName: 'agent-sandbox',
      namespace: 'agent-sandbox-system',
      includesCrds: true,
      values: () => ({ image: { tag: 'v0.5.6' }, controller: { extensions: true }, namespace: { create: false } }),
    }, '1.36') as Obj[];
    const theirs = (kind: string, name: string) => find(chart, kind, name);

    test('the chart folder is the vendored release', () => {
      expect(fs.existsSync(path.join(CHARTS_DIR, 'agent-sandbox-v0.5.6', 'Chart.yaml'))).toBe(true);
    });

    test('the same objects, but the ServiceMonitor the library adds and the CRDs it ships as their own component', () => {
      expect(chart.filter((o) => o.kind !== 'CustomResourceDefinition').map(key).sort())
        .toEqual(ours.filter((o) => o.kind !== 'ServiceMonitor').map(key).sort());
      expect(chart.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name).sort()).toEqual([...c.crds.crdNames].sort());
    });

    test('the same RBAC rules, subjects and role references', () => {
      for (const [kind, name] of [['ClusterRole', 'agent-sandbox-controller'], ['ClusterRole', 'agent-sandbox-controller-extensions'], ['Role', 'agent-sandbox-controller']]) {
        expect(find(ours, kind, name).rules).toEqual(theirs(kind, name).rules);
      }
      for (const [kind, name] of [['ClusterRoleBinding', 'agent-sandbox-controller'], ['ClusterRoleBinding', 'agent-sandbox-controller-extensions'], ['RoleBinding', 'agent-sandbox-controller']]) {
        expect(find(ours, kind, name).subjects).toEqual(theirs(kind, name).subjects);
        expect(find(ours, kind, name).roleRef).toEqual(theirs(kind, name).roleRef);
      }
    });

    test('the same container: image, arguments, ports, probes, config volume; the same Service ports and selectors', () => {
      const a = find(ours, 'Deployment', 'agent-sandbox-controller').spec.template.spec;
      const b = theirs('Deployment', 'agent-sandbox-controller').spec.template.spec;
      for (const field of ['image', 'args', 'ports', 'livenessProbe', 'readinessProbe']) expect(a.containers[0][field]).toEqual(b.containers[0][field]);
      expect(a.serviceAccountName).toBe(b.serviceAccountName);
      expect(a.volumes).toEqual(expect.arrayContaining(b.volumes));
      expect(find(ours, 'Deployment', 'agent-sandbox-controller').spec.selector).toEqual(theirs('Deployment', 'agent-sandbox-controller').spec.selector);
      for (const name of ['agent-sandbox-controller', 'agent-sandbox-webhook-service']) {
        const s = find(ours, 'Service', name).spec;
        const t = theirs('Service', name).spec;
        expect(s.selector).toEqual(t.selector);
        expect(s.ports.map((p: Obj) => [p.name, p.port, p.protocol])).toEqual(t.ports.map((p: Obj) => [p.name, p.port, p.protocol]));
      }
    });
  });
});
