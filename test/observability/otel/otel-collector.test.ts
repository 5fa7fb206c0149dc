import { NetworkFlows, PlatformStack } from '../../../lib';
import { Langfuse, LangfuseVersion } from '../../../lib/observability/langfuse';
import { OtelCollector, OtelCollectorProps } from '../../../lib/observability/otel';
import { ContainerImage } from '../../../lib/versions';
import { CHARTS_AVAILABLE, renderHelmComponent } from '../../charts/helm';
import { expectValidK8sObjects } from '../../k8s-schema';
import { find, objects, testPlatform } from '../../util';

function setup(version = LangfuseVersion.V4, init = true): { platform: PlatformStack; langfuse: Langfuse } {
  const platform = testPlatform();
  const langfuse = new Langfuse(platform, 'Langfuse', {
    definition: platform.definition,
    cluster: platform.cluster,
    secrets: platform.secrets,
    version,
    initialization: init ? { organization: 'Acme', project: 'Agents' } : undefined,
  });
  return { platform, langfuse };
}

function collector(f: { platform: PlatformStack; langfuse: Langfuse }, props: Partial<OtelCollectorProps> = {}): OtelCollector {
  return new OtelCollector(f.platform, 'OtelCollector', {
    definition: f.platform.definition,
    secrets: f.platform.secrets,
    langfuse: f.langfuse,
    ...props,
  });
}

describe('OtelCollector defaults', () => {
  test('deployment mode, otlp -> memory_limiter, batch -> otlphttp/langfuse', () => {
    // GIVEN
    const f = setup();
    // WHEN
    const c = collector(f);
    const v = c.chart.values() as Record<string, any>;
    // THEN
    expect(c.chart.chart.chart).toBe('opentelemetry-collector');
    expect(c.chart.chart.repository).toBe('https://open-telemetry.github.io/opentelemetry-helm-charts');
    expect(v.mode).toBe('deployment');
    expect(v.fullnameOverride).toBe('otel-collector');
    expect(c.chart.chart.version).toBe('0.170.0');
    expect(v.image).toEqual({ repository: 'otel/opentelemetry-collector-k8s', tag: '0.158.0' });
    expect(v.extraEnvs).toEqual([{ name: 'LANGFUSE_AUTH', valueFrom: { secretKeyRef: { name: 'langfuse-otel-auth', key: 'auth' } } }]);
    expect(v.config.receivers.otlp.protocols).toEqual({
      grpc: { endpoint: '${env:MY_POD_IP}:4317' },
      http: { endpoint: '${env:MY_POD_IP}:4318' },
    });
    expect(v.config.exporters).toEqual({
      'otlphttp/langfuse': {
        endpoint: 'http://langfuse-web.langfuse.svc.cluster.local:3000/api/public/otel',
        headers: { 'Authorization': 'Basic ${env:LANGFUSE_AUTH}', 'x-langfuse-ingestion-version': '4' },
      },
    });
    expect(v.config.service.pipelines).toEqual({
      traces: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['otlphttp/langfuse'] },
    });
    expect(c.otlpGrpcEndpoint).toBe('http://otel-collector.opentelemetry.svc.cluster.local:4317');
    expect(c.otlpHttpEndpoint).toBe('http://otel-collector.opentelemetry.svc.cluster.local:4318');
    expect(c.chart.dependencies).toEqual([c.secretsComponent, f.langfuse.chart]);
  });

  test('LANGFUSE_AUTH is computed by an ExternalSecret template from both generated keys', () => {
    // GIVEN
    const f = setup();
    // WHEN
    const c = collector(f);
    const objs = objects(c.secretsComponent);
    const es = find(objs, 'ExternalSecret', 'langfuse-otel-auth');
    // THEN
    expectValidK8sObjects(objs);
    expect(es.metadata.namespace).toBe('opentelemetry');
    expect(es.spec.target).toEqual({
      name: 'langfuse-otel-auth',
      creationPolicy: 'Owner',
      template: { engineVersion: 'v2', data: { auth: '{{ printf "pk-lf-%s:sk-lf-%s" .pk .sk | b64enc }}' } },
    });
    expect(es.spec.data).toEqual([
      { secretKey: 'pk', remoteRef: { key: 'test/langfuse/langfuse-init-public-key', property: 'key' } },
      { secretKey: 'sk', remoteRef: { key: 'test/langfuse/langfuse-init-secret-key', property: 'key' } },
    ]);
    expect(objs.map((o) => o.kind)).not.toContain('Secret');
    expect(JSON.stringify([objs, c.chart.values()])).not.toMatch(/pk-lf-[A-Za-z0-9]|sk-lf-[A-Za-z0-9]/);
  });
});

describe('OtelCollector props', () => {
  test('image sets repository and tag', () => {
    // GIVEN
    const f = setup();
    // WHEN
    const c = collector(f, { image: ContainerImage.of({ repository: 'otel/opentelemetry-collector-contrib', tag: '0.158.0', source: 'test', checked: '2026-12-02' }) });
    // THEN
    expect((c.chart.values() as Record<string, any>).image).toEqual({ repository: 'otel/opentelemetry-collector-contrib', tag: '0.158.0' });
  });

  test('Langfuse v3 gets no ingestion-version header', () => {
    const c = collector(setup(LangfuseVersion.V3));
    const v = c.chart.values() as Record<string, any>;
    expect(v.config.exporters['otlphttp/langfuse'].headers).toEqual({ Authorization: 'Basic ${env:LANGFUSE_AUTH}' });
  });

  test('namespace, replicas and values', () => {
    const c = collector(setup(), { namespace: 'otel', replicas: 3, values: { resources: { limits: { memory: '1Gi' } } } });
    const v = c.chart.values() as Record<string, any>;
    expect(c.chart.namespace).toBe('otel');
    expect(v.replicaCount).toBe(3);
    expect(v.resources).toEqual({ limits: { memory: '1Gi' } });
    expect(c.otlpGrpcEndpoint).toBe('http://otel-collector.otel.svc.cluster.local:4317');
  });
});

describe('OtelCollector LangSmith', () => {
  test('off by default: one exporter, no LangSmith key, no flow to LangSmith', () => {
    // GIVEN
    const f = setup();
    // WHEN
    const c = collector(f);
    // THEN
    expect(Object.keys(c.config.exporters as object)).toEqual(['otlphttp/langfuse']);
    expect(c.langSmithApiKeySecretName).toBeUndefined();
    expect(NetworkFlows.of(f.platform.definition).flows.map((x) => x.name)).not.toContain('otel-collector-to-langsmith');
  });

  test('a second exporter to LangSmith with the API key from AWS Secrets Manager, in the same traces pipeline', () => {
    // GIVEN
    const f = setup();
    // WHEN
    const c = collector(f, { langSmith: {} });
    const v = c.chart.values() as Record<string, any>;
    // THEN
    expect(v.config.exporters['otlphttp/langsmith']).toEqual({
      endpoint: 'https://api.smith.langchain.com/otel',
      headers: { 'x-api-key': '${env:LANGSMITH_API_KEY}' },
    });
    expect(v.config.service.pipelines.traces.exporters).toEqual(['otlphttp/langfuse', 'otlphttp/langsmith']);
    expect(v.extraEnvs).toEqual([
      { name: 'LANGFUSE_AUTH', valueFrom: { secretKeyRef: { name: 'langfuse-otel-auth', key: 'auth' } } },
      { name: 'LANGSMITH_API_KEY', valueFrom: { secretKeyRef: { name: 'langsmith-api-key', key: 'api-key' } } },
    ]);
    const objs = objects(c.secretsComponent);
    expectValidK8sObjects(objs);
    const es = find(objs, 'ExternalSecret', 'langsmith-api-key');
    expect(es.metadata.namespace).toBe('opentelemetry');
    expect(es.spec.data).toEqual([{ secretKey: 'api-key', remoteRef: { key: 'test/opentelemetry/langsmith-api-key', property: 'api-key' } }]);
    expect(c.langSmithApiKeySecretName).toBe('test/opentelemetry/langsmith-api-key');
    const flow = NetworkFlows.of(f.platform.definition).flows.find((x) => x.name === 'otel-collector-to-langsmith')!;
    expect(flow.to.toString()).toBe('HTTPS endpoints outside the cluster (0.0.0.0/0)');
    expect(flow.ports.map((p) => p.toString())).toEqual(['TCP 443']);
  });

  test('endpoint (trailing slash dropped), project header and the Secret of the key', () => {
    // GIVEN
    const f = setup();
    // WHEN
    const c = collector(f, {
      langSmith: { endpoint: 'https://eu.api.smith.langchain.com/', project: 'rag-agents', apiKeySecret: { name: 'langsmith', key: 'LANGSMITH_API_KEY' } },
    });
    const v = c.chart.values() as Record<string, any>;
    // THEN
    expect(v.config.exporters['otlphttp/langsmith']).toEqual({
      endpoint: 'https://eu.api.smith.langchain.com/otel',
      headers: { 'x-api-key': '${env:LANGSMITH_API_KEY}', 'Langsmith-Project': 'rag-agents' },
    });
    expect(v.extraEnvs[1]).toEqual({ name: 'LANGSMITH_API_KEY', valueFrom: { secretKeyRef: { name: 'langsmith', key: 'LANGSMITH_API_KEY' } } });
    expect(c.langSmithApiKeySecretName).toBe('test/opentelemetry/langsmith');
  });

  (CHARTS_AVAILABLE ? test : test.skip)('the pinned chart renders both exporters into the collector configuration', () => {
    // GIVEN
    const c = collector(setup(), { langSmith: { project: 'rag-agents' } });
    // WHEN
    const objs = renderHelmComponent(c.chart, '1.36');
    // THEN
    expectValidK8sObjects(objs);
    const cm = objs.find((o) => o.kind === 'ConfigMap') as Record<string, any>;
    const relay = cm.data.relay as string;
    expect(relay).toContain('otlphttp/langsmith');
    expect(relay).toMatch(/exporters:\n\s+- otlphttp\/langfuse\n\s+- otlphttp\/langsmith/);
  });

  test('errors', () => {
    expect(() => collector(setup(), { langSmith: { endpoint: 'api.smith.langchain.com' } })).toThrow(
      "'langSmith.endpoint' (api.smith.langchain.com) must be an http:// or https:// base URL such as https://api.smith.langchain.com");
    expect(() => collector(setup(), { langSmith: { project: 'a\nb' } })).toThrow("'langSmith.project' (a\nb) must be one line of at most 256 characters");
    expect(() => collector(setup(), { langSmith: { apiKeySecret: { name: 'LangSmith', key: 'k' } } })).toThrow(
      "'langSmith.apiKeySecret.name' (LangSmith) must be a DNS subdomain");
  });
});

describe('OtelCollector errors', () => {
  test('Langfuse without initialization', () => {
    expect(() => collector(setup(LangfuseVersion.V4, false))).toThrow(
      "OtelCollector needs the API keys of Langfuse: set 'initialization' ({ organization, project }) on the Langfuse construct",
    );
  });

  test('replicas below 1', () => {
    expect(() => collector(setup(), { replicas: 0 })).toThrow("'replicas' (0) must be an integer of at least 1");
  });
});
