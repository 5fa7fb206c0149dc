/**
 * The kagent-crds and kagent charts rendered with the agents layer's values (vendored charts, the helm of the kubectl
 * layer): no helm error, every object valid, pinned images, the demo agents, tool servers and bundled Postgres off, no
 * values key the charts do not know. The vendored charts lack the `substrate` sub-charts (SOURCES.md): the render
 * harness stands in for them while they are disabled and refuses to render when the values enable them.
 */
import { AgentModel, SystemMessage } from '../../lib';
import { chartDefaults, unknownValueKeys } from '../charts/chart-values';
import { CHARTS_AVAILABLE, chartFolder, chartSourceProblem, dependencyEnabled, missingDependencies, renderHelmComponent } from '../charts/helm';
import { expectValidK8sObjects } from '../k8s-schema';
import { agentsPlatform } from './fixtures';

(CHARTS_AVAILABLE ? describe : describe.skip)('kagent 0.9.12 charts render with the agents layer values', () => {
  const { platform, litellm } = agentsPlatform();
  platform.agents.addAgent('Ops', {
    name: 'ops', description: 'ops', systemMessage: SystemMessage.inline('You are ops'), model: AgentModel.liteLlm(litellm, 'claude-sonnet'),
  });
  const kagent = platform.agents.kagent!;
  const crds = renderHelmComponent(kagent.crds, '1.36');
  const kinds = (objs: Record<string, unknown>[]) => objs.map((o) => `${o.kind}/${(o.metadata as { name: string }).name}`).sort();

  test('the pinned versions are vendored and published (SOURCES.md records them by the git tag v0.9.12)', () => {
    expect(chartSourceProblem(kagent.crds.chart.chart, kagent.crds.chart.version)).toBeUndefined();
    expect(chartSourceProblem(kagent.chart.chart.chart, kagent.chart.chart.version)).toBeUndefined();
  });

  test('kagent-crds: the nine kagent.dev CRDs (kmcp MCPServer included), valid', () => {
    expect(kinds(crds)).toEqual([
      'CustomResourceDefinition/agentharnesses.kagent.dev', 'CustomResourceDefinition/agents.kagent.dev',
      'CustomResourceDefinition/mcpservers.kagent.dev', 'CustomResourceDefinition/memories.kagent.dev',
      'CustomResourceDefinition/modelconfigs.kagent.dev', 'CustomResourceDefinition/modelproviderconfigs.kagent.dev',
      'CustomResourceDefinition/remotemcpservers.kagent.dev', 'CustomResourceDefinition/sandboxagents.kagent.dev',
      'CustomResourceDefinition/toolservers.kagent.dev',
    ]);
    expectValidK8sObjects(crds);
  });

  test('kagent: controller, UI scaled to zero and kmcp with pinned images; no demo agent, tool server or bundled Postgres', () => {
    const objs = renderHelmComponent(kagent.chart, '1.36');
    expectValidK8sObjects(objs, crds);
    expect(objs.filter((o) => ['Agent', 'RemoteMCPServer', 'PersistentVolumeClaim', 'Secret'].includes(String(o.kind)))).toEqual([]);
    expect(kinds(objs.filter((o) => o.kind === 'Deployment'))).toEqual(['Deployment/kagent-controller', 'Deployment/kagent-kmcp-controller-manager', 'Deployment/kagent-ui']);
    const images = JSON.stringify(objs.filter((o) => o.kind === 'Deployment')).match(/"image":"[^"]+"/g);
    expect(images).toEqual([
      '"image":"ghcr.io/kagent-dev/kmcp/controller:0.3.0"',
      '"image":"cr.kagent.dev/kagent-dev/kagent/controller:0.9.12"',
      '"image":"cr.kagent.dev/kagent-dev/kagent/ui:0.9.12"',
    ]);
    const ui = objs.find((o) => o.kind === 'Deployment' && (o.metadata as { name: string }).name === 'kagent-ui') as Record<string, any>;
    expect(ui.spec.replicas).toBe(0);
    const config = objs.find((o) => o.kind === 'ConfigMap' && (o.metadata as { name: string }).name === 'kagent-controller') as Record<string, any>;
    expect(config.data).toMatchObject({
      IMAGE_TAG: '0.9.12', WATCH_NAMESPACES: 'kagent,agents', OTEL_TRACING_ENABLED: 'true',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://otel-collector.opentelemetry.svc.cluster.local:4317',
    });
    const controller = objs.find((o) => o.kind === 'Deployment' && (o.metadata as { name: string }).name === 'kagent-controller') as Record<string, any>;
    expect(controller.spec.template.spec.containers[0].env).toContainEqual({ name: 'POSTGRES_DATABASE_URL_FILE', value: '/etc/kagent/database/url' });
    // Namespaced RBAC: Roles in kagent and agents only, no ClusterRole but kmcp's metrics auth.
    expect(kinds(objs.filter((o) => o.kind === 'ClusterRole'))).toEqual(['ClusterRole/kagent-kmcp-metrics-auth-role', 'ClusterRole/kagent-kmcp-metrics-reader']);
    expect(new Set(objs.filter((o) => o.kind === 'Role').map((o) => (o.metadata as { namespace: string }).namespace))).toEqual(new Set(['kagent', 'agents']));
  });

  test('no unknown values keys', () => {
    for (const c of [kagent.crds, kagent.chart]) {
      const dir = chartFolder(c.chart.chart, c.chart.version)!;
      const freeForm = c === kagent.chart ? [{ path: 'kmcp.image.tag', reason: 'commented in charts/kmcp/values.yaml, read by kmcp.image' }] : [];
      expect(unknownValueKeys(c.values() as Record<string, unknown>, chartDefaults(dir), freeForm)).toEqual([]);
    }
  });

  test('the missing substrate sub-charts: stood in while disabled, refused when enabled', () => {
    const dir = chartFolder('kagent', '0.9.12')!;
    expect(missingDependencies(dir)).toEqual([{ name: 'substrate', version: '0.0.6', condition: 'substrate.enabled' }]);
    expect(missingDependencies(chartFolder('kagent-crds', '0.9.12')!)).toEqual([{ name: 'substrate-crds', version: '0.0.6', condition: 'substrate.enabled' }]);
    expect(dependencyEnabled('substrate.enabled', { substrate: { enabled: false } })).toBe(false);
    expect(dependencyEnabled('grafana-mcp.enabled, observability-agent.enabled', { 'observability-agent': { enabled: false } })).toBe(false);
    expect(dependencyEnabled(undefined, {})).toBe(true);
    const enabled = { ...kagent.crds, chart: kagent.crds.chart, releaseName: 'x', namespace: 'kagent', includesCrds: true, values: () => ({ substrate: { enabled: true } }) };
    expect(() => renderHelmComponent(enabled, '1.36')).toThrow(
      "kagent-crds-0.9.12: sub-chart(s) 'substrate-crds' 0.0.6 (condition substrate.enabled) enabled by the values but not vendored (SOURCES.md); disable them or vendor them");
  });
});
