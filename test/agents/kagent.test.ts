import { Size } from 'aws-cdk-lib';
import { AgentsDatabase, ContainerImage, KAgent, Stage } from '../../lib';
import { expectValidK8sObjects } from '../k8s-schema';
import { find, testPlatform } from '../util';

function kagent(options: Partial<ConstructorParameters<typeof KAgent>[2]> = {}): { k: KAgent; platform: ReturnType<typeof testPlatform> } {
  const platform = testPlatform();
  const k = new KAgent(platform, 'Kagent', {
    definition: platform.definition, secrets: platform.secrets, agentsNamespace: 'agents', ...options,
  });
  return { k, platform };
}

describe('KAgent', () => {
  test('two Helm components and the database: kagent-crds (CRDS), kagent-database and kagent (CONFIGURATION, after the database)', () => {
    // GIVEN / WHEN
    const { k, platform } = kagent();

    // THEN
    expect([k.crds.componentName, k.crds.stage, k.crds.namespace, k.crds.chart.version]).toEqual(['kagent-crds', Stage.CRDS, 'kagent', '0.9.12']);
    expect([k.chart.componentName, k.chart.stage, k.chart.releaseName, k.chart.includesCrds]).toEqual(['kagent', Stage.CONFIGURATION, 'kagent', false]);
    expect(k.chart.dependencies.map((d) => d.componentName)).toEqual(['kagent-crds', 'kagent-database', 'namespaces']);
    expect([k.database.stage, k.database.dependencies.map((d) => d.componentName)]).toEqual([Stage.CONFIGURATION, ['namespaces', 'secret-store']]);
    expect(k.crds.values()).toEqual({ kmcp: { enabled: true }, substrate: { enabled: false } });
    expect(k.controllerUrl).toBe('http://kagent-controller.kagent.svc.cluster.local:8083');
    expect(platform.definition.podSecurityOf('kagent')).toBe('restricted');
  });

  test('default values: pinned images, namespaced RBAC, demo agents and tools off, no UI, no tracing', () => {
    const v = kagent().k.chart.values() as Record<string, any>;
    expect([v.registry, v.tag, v.controller.image.repository, v.kmcp.image]).toEqual([
      'cr.kagent.dev', '0.9.12', 'kagent-dev/kagent/controller', { repository: 'ghcr.io/kagent-dev/kmcp/controller', tag: '0.3.0' },
    ]);
    expect([v.controller.watchNamespaces, v.rbac.namespaces, v.kmcp.rbac.namespaces]).toEqual([['kagent', 'agents'], ['kagent', 'agents'], ['kagent', 'agents']]);
    for (const key of ['k8s-agent', 'kgateway-agent', 'istio-agent', 'promql-agent', 'observability-agent', 'argo-rollouts-agent', 'helm-agent',
      'cilium-policy-agent', 'cilium-manager-agent', 'cilium-debug-agent', 'kagent-tools', 'grafana-mcp', 'querydoc', 'substrate']) {
      expect([key, v[key]]).toEqual([key, { enabled: false }]);
    }
    expect([v.ui.replicas, v.otel, v.database.postgres]).toEqual([0, { tracing: { enabled: false } }, { urlFile: '/etc/kagent/database/url', bundled: { enabled: false } }]);
    expect(v.controller.tolerations).toEqual([{ key: 'CriticalAddonsOnly', operator: 'Exists' }]);
  });

  test('in-cluster database: PostgreSQL and a generated password whose Secret also carries the URL the controller reads', () => {
    const { k } = kagent({ database: AgentsDatabase.inCluster({ storage: Size.gibibytes(20), storageClass: 'gp3' }) });
    const objs = k.database.toJson() as any[];
    expectValidK8sObjects(objs);
    const pg = find(objs, 'StatefulSet', 'kagent-postgres');
    expect(pg.spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'gp3', resources: { requests: { storage: '20Gi' } } });
    expect(find(objs, 'ExternalSecret', 'kagent-database').spec.target.template.data.url)
      .toBe('postgres://kagent:{{ .password }}@kagent-postgres.kagent.svc.cluster.local:5432/kagent?sslmode=disable');
    expect((k.chart.values() as any).controller.volumes).toEqual([{ name: 'database', secret: { secretName: 'kagent-database', items: [{ key: 'url', path: 'url' }] } }]);
    expect(k.requiredSecret).toBeUndefined();
  });

  test('external database: the URL from AWS Secrets Manager, no PostgreSQL', () => {
    const { k } = kagent({ database: AgentsDatabase.external({ urlSecret: 'rds-kagent' }) });
    const objs = k.database.toJson() as any[];
    expect(objs.map((o) => o.kind)).toEqual(['ExternalSecret']);
    expect(find(objs, 'ExternalSecret', 'rds-kagent').spec.data).toEqual([{ secretKey: 'url', remoteRef: { key: 'test/kagent/rds-kagent', property: 'url' } }]);
    expect(k.requiredSecret).toBe('test/kagent/rds-kagent');
    expect((k.chart.values() as any).controller.volumes[0].secret.secretName).toBe('rds-kagent');
  });

  test('ui, replicas, tracing endpoint, images and raw values', () => {
    const { k } = kagent({
      ui: true, replicas: 2, tracingEndpoint: 'http://otel-collector.opentelemetry.svc.cluster.local:4317',
      image: ContainerImage.of({ repository: '111111111111.dkr.ecr.us-west-2.amazonaws.com/kagent-dev/kagent/controller', tag: '0.9.12', source: 'mirror', checked: '2026-12-02' }),
      values: { controller: { loglevel: 'debug' } },
    });
    const v = k.chart.values() as Record<string, any>;
    expect([v.ui.replicas, v.controller.replicas, v.controller.loglevel, v.registry]).toEqual([1, 2, 'debug', '111111111111.dkr.ecr.us-west-2.amazonaws.com']);
    expect(v.otel.tracing).toEqual({ enabled: true, exporter: { otlp: { endpoint: 'http://otel-collector.opentelemetry.svc.cluster.local:4317', protocol: 'grpc', insecure: true } } });
  });

  test('errors', () => {
    expect(() => kagent({ agentsNamespace: 'kagent' })).toThrow("the agents' namespace must not be 'kagent', the controller's own");
    expect(() => kagent({ replicas: 0 })).toThrow("'replicas' (0) of the kagent controller must be an integer of at least 1");
    expect(() => kagent({ image: ContainerImage.of({ repository: 'kagent/controller', tag: '1', source: 's', checked: '2026-12-02' }) })).toThrow(
      "kagent 'image' (kagent/controller) must name its registry, e.g. cr.kagent.dev/kagent-dev/kagent/controller");
  });
});
