import { HelmChartVersion, HelmComponent, RuleStatus, Stage } from '../../../lib';
import { REFERENCES_EXIST } from '../../../lib/checks/rules/references-exist';
import { declareConsumedSecrets } from '../../../lib/checks/acknowledgements';
import { addComponent, check, definition, deployment, podSpec } from '../fixtures';

const CHART = HelmChartVersion.of({ chart: 'demo', repository: 'https://charts.example.com', version: '1.0.0', source: 'test', checked: '2026-12-02' });

function externalSecret(name: string, namespace: string, spec: Record<string, unknown>) {
  return { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name, namespace }, spec };
}

const READS_ALL = podSpec({
  serviceAccountName: 'api',
  imagePullSecrets: [{ name: 'registry' }],
  volumes: [
    { name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'config.yaml', path: 'config.yaml' }] } },
    { name: 'maybe', secret: { secretName: 'maybe', optional: true } },
  ],
}, {
  env: [
    { name: 'DB', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
    { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'templated', key: 'token' } } },
    { name: 'ANY', valueFrom: { secretKeyRef: { name: 'bulk', key: 'whatever' } } },
  ],
  envFrom: [{ secretRef: { name: 'registry' } }],
});

describe('references-exist', () => {
  test('compliant: Secrets from ExternalSecrets (data, template, dataFrom), ConfigMap, ServiceAccount, Helm values', () => {
    // GIVEN
    const def = definition();
    addComponent(def, 'app', [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api', namespace: 'apps' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'apps' }, data: { 'config.yaml': 'x' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'registry', namespace: 'apps' }, data: { '.dockerconfigjson': 'e30=' } },
      externalSecret('db', 'apps', { data: [{ secretKey: 'password', remoteRef: { key: 'x' } }] }),
      externalSecret('tpl', 'apps', { target: { name: 'templated', template: { data: { token: '{{ .a }}' } } }, data: [{ secretKey: 'a', remoteRef: { key: 'y' } }] }),
      externalSecret('bulk', 'apps', { dataFrom: [{ extract: { key: 'z' } }] }),
      deployment('api', 'apps', { app: 'api' }, READS_ALL),
    ]);
    new HelmComponent(def, 'Demo', {
      name: 'demo', namespace: 'apps', stage: Stage.WORKLOADS, description: 'demo', chart: CHART,
      values: { render: () => ({ auth: { existingSecret: 'db' }, env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }] }) },
    });
    // WHEN / THEN
    expect(check(REFERENCES_EXIST, def)).toEqual({ status: RuleStatus.COMPLIANT, messages: [] });
  });

  test('non-compliant: missing Secret, missing key, missing ServiceAccount and ConfigMap, Helm values and declared secrets', () => {
    // GIVEN
    const def = definition();
    addComponent(def, 'app', [
      externalSecret('db', 'apps', { data: [{ secretKey: 'pass', remoteRef: { key: 'x' } }] }),
      deployment('api', 'apps', { app: 'api' }, podSpec({ serviceAccountName: 'api', volumes: [{ name: 'cfg', configMap: { name: 'cfg' } }] }, {
        env: [{ name: 'DB', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }, { name: 'K', valueFrom: { secretKeyRef: { name: 'keys', key: 'k' } } }],
      })),
    ]);
    const helm = new HelmComponent(def, 'Demo', {
      name: 'demo', namespace: 'apps', stage: Stage.WORKLOADS, description: 'demo', chart: CHART,
      values: { render: () => ({ auth: { existingSecret: 'chart-auth' } }) },
    });
    declareConsumedSecrets(helm, { name: 'db', key: 'url' });
    // WHEN / THEN
    expect(check(REFERENCES_EXIST, def)).toEqual({
      status: RuleStatus.NON_COMPLIANT,
      messages: [
        "Deployment 'apps/api' env DB of container app reads key 'password' of Secret 'apps/db', which has no such key (ExternalSecret 'apps/db' provides: pass); fix: add an ExternalSecret (platform.secrets) or Secret 'db' with that key in namespace 'apps', or mark the reference optional",
        "Deployment 'apps/api' env K of container app reads Secret 'apps/keys', which nothing in the platform provides; fix: add an ExternalSecret (platform.secrets) or Secret 'keys' with that key in namespace 'apps', or mark the reference optional",
        "Deployment 'apps/api' volume cfg reads ConfigMap 'apps/cfg', which nothing in the platform provides; fix: add ConfigMap 'cfg' with that key in namespace 'apps', or mark the reference optional",
        "Deployment 'apps/api' serviceAccountName reads ServiceAccount 'apps/api', which nothing in the platform provides; fix: add ServiceAccount 'api' in namespace 'apps' (or use the default ServiceAccount)",
        "Helm component 'demo' (values auth.existingSecret) reads Secret 'apps/chart-auth', which nothing in the platform provides; fix: add an ExternalSecret (platform.secrets) or Secret 'chart-auth' with that key in namespace 'apps', or mark the reference optional",
        "Helm component 'demo' (values declareConsumedSecrets) reads key 'url' of Secret 'apps/db', which has no such key (ExternalSecret 'apps/db' provides: pass); fix: add an ExternalSecret (platform.secrets) or Secret 'db' with that key in namespace 'apps', or mark the reference optional",
      ],
    });
  });

  test('the default ServiceAccount always exists', () => {
    const def = definition();
    addComponent(def, 'app', [deployment('api', 'apps', { app: 'api' }, podSpec({ serviceAccountName: 'default' }))]);
    expect(check(REFERENCES_EXIST, def).status).toBe(RuleStatus.COMPLIANT);
  });
});
