import { Lazy, Size } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as yaml from 'js-yaml';
import { ContainerImage, Cpu, KubernetesComponent } from '../../../lib';
import {
  EPP_EXT_PROC_PORT, EPP_HEALTH_PORT, EPP_METRICS_PORT, FailureMode, INFERENCE_POOL_GROUP, InferencePool, InferencePoolOptions,
} from '../../../lib/serving/llm-d';
import { describeWithSchemas, expectValidK8sObjects } from '../../k8s-schema';
import { find, objects } from '../../util';
import { FakeModelProps, MODEL_LABELS, modelFixture, poolFixture } from './fixtures';

const POOL = 'qwen-qwen3-32b';
const EPP = 'qwen-qwen3-32b-epp';
const NS = 'models';
const EPP_SELECTOR = { 'app.kubernetes.io/name': EPP, 'app.kubernetes.io/component': 'endpoint-picker' };
const EPP_LABELS = { ...EPP_SELECTOR, 'app.kubernetes.io/part-of': POOL };

/** The objects of a pool made with `options` over a fake model made with `model`. */
function synth(options: InferencePoolOptions = {}, model: FakeModelProps = {}): Record<string, unknown>[] {
  return objects(poolFixture(options, model).component);
}

/** The EPP container of the objects. */
function eppContainer(objs: Record<string, unknown>[], name = EPP): Record<string, any> {
  return find(objs, 'Deployment', name).spec.template.spec.containers[0];
}

/** The parsed plugin configuration of the objects. */
function pluginConfig(objs: Record<string, unknown>[], name = EPP): Record<string, any> {
  return yaml.load(find(objs, 'ConfigMap', name).data['default-plugins.yaml']) as Record<string, any>;
}

/** The error a pool made with `options` over a fake model made with `model` throws. */
function poolError(options: InferencePoolOptions, model: FakeModelProps = {}): () => void {
  return () => poolFixture(options, model);
}

const DEFAULT_ARGS = [
  '--pool-name', POOL,
  '--pool-namespace', NS,
  '--pool-group', 'inference.networking.k8s.io',
  '--zap-encoder', 'json',
  '--config-file', '/config/default-plugins.yaml',
  '--grpc-health-port', '9003',
  '--tracing=false',
  '--metrics-endpoint-auth=false',
];

describe('InferencePool', () => {
  describe('defaults', () => {
    test('emits an InferencePool v1 over the model pods, pointing at its endpoint picker (fail open)', () => {
      // GIVEN / WHEN
      const objs = synth();

      // THEN
      expect(find(objs, 'InferencePool', POOL)).toEqual({
        apiVersion: 'inference.networking.k8s.io/v1',
        kind: 'InferencePool',
        metadata: { name: POOL, namespace: NS },
        spec: {
          selector: { matchLabels: MODEL_LABELS },
          targetPorts: [{ number: 8000 }],
          appProtocol: 'http',
          endpointPickerRef: { name: EPP, port: { number: 9002 }, failureMode: 'FailOpen' },
        },
      });
    });

    test('emits exactly the pool, the EPP workload, namespaced RBAC, config and ServiceMonitor', () => {
      // GIVEN / WHEN
      const objs = synth();

      // THEN
      expect(objs.map((o) => `${o.kind}/${(o.metadata as { name: string }).name}`).sort()).toEqual([
        `ConfigMap/${EPP}`,
        `Deployment/${EPP}`,
        `InferencePool/${POOL}`,
        `Role/${EPP}`,
        `RoleBinding/${EPP}`,
        `Service/${EPP}`,
        `ServiceAccount/${EPP}`,
        `ServiceMonitor/${EPP}`,
      ]);
      expect(objs.every((o) => (o.metadata as { namespace?: string }).namespace === NS)).toBe(true);
    });

    test('derives the names from the served model name and exposes them', () => {
      // GIVEN / WHEN
      const { pool, model } = poolFixture();

      // THEN
      expect(pool.poolName).toBe(POOL);
      expect(pool.eppServiceName).toBe(EPP);
      expect(pool.namespace).toBe(NS);
      expect(pool.model).toBe(model);
      expect(pool.failureMode).toBe(FailureMode.FAIL_OPEN);
      expect(pool.eppReplicas).toBe(1);
      expect(pool.scorers).toEqual({ queue: 2, kvCacheUtilization: 2, prefixCache: 3 });
    });

    test('backendRef() is the HTTPRoute backend of the pool', () => {
      // GIVEN / WHEN
      const { pool } = poolFixture();

      // THEN
      expect(pool.backendRef()).toEqual({ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: POOL });
      expect(INFERENCE_POOL_GROUP).toBe('inference.networking.k8s.io');
    });

    test('scorers returns a copy', () => {
      // GIVEN
      const { pool } = poolFixture();

      // WHEN
      const copy = pool.scorers as { queue: number };
      copy.queue = 99;

      // THEN
      expect(pool.scorers.queue).toBe(2);
    });

    test('EPP ports are the upstream ones', () => {
      // GIVEN / WHEN / THEN
      expect([EPP_EXT_PROC_PORT, EPP_HEALTH_PORT, EPP_METRICS_PORT]).toEqual([9002, 9003, 9090]);
    });

    test('the EPP runs the pinned image with the chart flags, metrics auth off', () => {
      // GIVEN / WHEN
      const container = eppContainer(synth());

      // THEN
      expect(container.name).toBe('epp');
      expect(container.image).toBe('ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.10.0');
      expect(container.imagePullPolicy).toBe('IfNotPresent');
      expect(container.args).toEqual(DEFAULT_ARGS);
    });

    test('the EPP exposes grpc 9002, grpc-health 9003 and metrics 9090 and reads its namespace and name', () => {
      // GIVEN / WHEN
      const container = eppContainer(synth());

      // THEN
      expect(container.ports).toEqual([
        { name: 'grpc', containerPort: 9002, protocol: 'TCP' },
        { name: 'grpc-health', containerPort: 9003, protocol: 'TCP' },
        { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
      ]);
      expect(container.env).toEqual([
        { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      ]);
    });

    test('the EPP is probed over gRPC on 9003 with the inference-extension service and drains before stopping', () => {
      // GIVEN / WHEN
      const container = eppContainer(synth());

      // THEN
      expect(container.livenessProbe).toEqual({
        grpc: { port: 9003, service: 'inference-extension' }, initialDelaySeconds: 5, periodSeconds: 10,
      });
      expect(container.readinessProbe).toEqual({ grpc: { port: 9003, service: 'inference-extension' }, periodSeconds: 2 });
      expect(container.lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
    });

    test('the EPP requests 2 CPU and 4Gi with an 8Gi memory limit and no CPU limit', () => {
      // GIVEN / WHEN
      const container = eppContainer(synth());

      // THEN
      expect(container.resources).toEqual({ requests: { cpu: '2', memory: '4Gi' }, limits: { memory: '8Gi' } });
    });

    test('the EPP runs non-root on a read-only root file system without capabilities', () => {
      // GIVEN / WHEN
      const objs = synth();
      const podSpec = find(objs, 'Deployment', EPP).spec.template.spec;

      // THEN
      expect(podSpec.securityContext).toEqual({
        runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(podSpec.containers[0].securityContext).toEqual({
        allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] },
      });
    });

    test('the EPP pod mounts its ConfigMap at /config, waits 130 s on termination and uses its ServiceAccount', () => {
      // GIVEN / WHEN
      const objs = synth();
      const deployment = find(objs, 'Deployment', EPP);
      const podSpec = deployment.spec.template.spec;

      // THEN
      expect(podSpec.serviceAccountName).toBe(EPP);
      expect(podSpec.terminationGracePeriodSeconds).toBe(130);
      expect(podSpec.volumes).toEqual([
        { name: 'plugins-config', configMap: { name: EPP } },
        { name: 'tmp', emptyDir: {} },
      ]);
      expect(podSpec.containers[0].volumeMounts).toEqual([
        { name: 'plugins-config', mountPath: '/config', readOnly: true },
        { name: 'tmp', mountPath: '/tmp' },
      ]);
      expect(deployment.spec.replicas).toBe(1);
      expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
      expect(deployment.spec.selector).toEqual({ matchLabels: EPP_SELECTOR });
      expect(deployment.spec.template.metadata.labels).toEqual(EPP_LABELS);
      expect(deployment.metadata.labels).toEqual(EPP_LABELS);
    });

    test('the pod template carries a hash of the plugin configuration', () => {
      // GIVEN / WHEN
      const hashOf = (options: InferencePoolOptions): string =>
        find(synth(options), 'Deployment', EPP).spec.template.metadata.annotations['agentic-eks.io/epp-config-hash'];

      // THEN
      expect(hashOf({})).toMatch(/^[0-9a-f]{16}$/);
      expect(hashOf({})).toBe(hashOf({}));
      expect(hashOf({ scorers: { queue: 5 } })).not.toBe(hashOf({}));
    });

    test('the EPP Service exposes ext-proc (http2), health and metrics and selects the EPP pods', () => {
      // GIVEN / WHEN
      const service = find(synth(), 'Service', EPP);

      // THEN
      expect(service.metadata.labels).toEqual(EPP_LABELS);
      expect(service.spec).toEqual({
        type: 'ClusterIP',
        selector: EPP_SELECTOR,
        ports: [
          { name: 'grpc-ext-proc', port: 9002, targetPort: 9002, protocol: 'TCP', appProtocol: 'http2' },
          { name: 'grpc-health', port: 9003, targetPort: 9003, protocol: 'TCP' },
          { name: 'http-metrics', port: 9090, targetPort: 9090, protocol: 'TCP' },
        ],
      });
    });

    test('the ServiceAccount is bound to a Role reading pods, InferencePools and llm-d objectives/rewrites', () => {
      // GIVEN / WHEN
      const objs = synth();

      // THEN
      expect(find(objs, 'ServiceAccount', EPP).metadata).toEqual({ name: EPP, namespace: NS, labels: EPP_LABELS });
      expect(find(objs, 'Role', EPP).rules).toEqual([
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['inference.networking.k8s.io'], resources: ['inferencepools'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['llm-d.ai'], resources: ['inferenceobjectives', 'inferencemodelrewrites'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['inference.networking.x-k8s.io'], resources: ['inferenceobjectives', 'inferencemodelrewrites'], verbs: ['get', 'list', 'watch'] },
      ]);
      const binding = find(objs, 'RoleBinding', EPP);
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: EPP, namespace: NS }]);
      expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: EPP });
    });

    test('no cluster-scoped RBAC: metrics are served without token reviews', () => {
      // GIVEN / WHEN
      const kinds = synth().map((o) => o.kind);

      // THEN
      expect(kinds).not.toContain('ClusterRole');
      expect(kinds).not.toContain('ClusterRoleBinding');
    });

    test('the plugin ConfigMap holds upstream\'s default profile with the model\'s block size', () => {
      // GIVEN / WHEN
      const config = pluginConfig(synth());

      // THEN
      expect(config).toEqual({
        apiVersion: 'llm-d.ai/v1alpha1',
        kind: 'EndpointPickerConfig',
        plugins: [
          { type: 'queue-scorer' },
          { type: 'kv-cache-utilization-scorer' },
          { type: 'approx-prefix-cache-producer', parameters: { autoTune: true, blockSizeTokens: 16 } },
          { type: 'prefix-cache-scorer' },
          { type: 'metrics-data-source', parameters: { scheme: 'http', path: '/metrics', insecureSkipVerify: true } },
          { type: 'core-metrics-extractor' },
        ],
        schedulingProfiles: [{
          name: 'default',
          plugins: [
            { pluginRef: 'queue-scorer', weight: 2 },
            { pluginRef: 'kv-cache-utilization-scorer', weight: 2 },
            { pluginRef: 'prefix-cache-scorer', weight: 3 },
          ],
        }],
      });
    });

    test('the ServiceMonitor scrapes the EPP Service metrics port and carries the release label', () => {
      // GIVEN / WHEN
      const objs = synth();
      const monitor = find(objs, 'ServiceMonitor', EPP);
      const service = find(objs, 'Service', EPP);

      // THEN
      expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
      expect(monitor.metadata.labels).toEqual({ ...EPP_LABELS, release: 'kube-prometheus-stack' });
      expect(monitor.spec).toEqual({
        selector: { matchLabels: EPP_LABELS },
        namespaceSelector: { matchNames: [NS] },
        endpoints: [{ port: 'http-metrics', path: '/metrics', interval: '10s' }],
      });
      expect(service.spec.ports.map((p: { name: string }) => p.name)).toContain(monitor.spec.endpoints[0].port);
      expect(Object.entries(monitor.spec.selector.matchLabels).every(([k, v]) => service.metadata.labels[k] === v)).toBe(true);
    });

    test('declares the model namespace on the platform and makes its component depend on it', () => {
      // GIVEN / WHEN
      const { definition, component } = poolFixture();

      // THEN
      expect(definition.sharedNamespaces).toEqual([NS]);
      expect(component.dependencies.map((c) => c.componentName)).toEqual(['namespaces']);
    });

    test('construct ids are stable', () => {
      // GIVEN / WHEN
      const { pool } = poolFixture({ eppReplicas: 2 });

      // THEN
      expect(pool.node.findChild('Resource')).toBeDefined();
      expect(pool.node.findChild('EndpointPicker').node.children.map((c) => c.node.id)).toEqual([
        'Config', 'ServiceAccount', 'Role', 'RoleBinding', 'LeaderElectionRole', 'LeaderElectionRoleBinding', 'Deployment', 'Service',
        'ServiceMonitor',
      ]);
    });
  });

  describe('props', () => {
    test('name names the pool and the EPP objects', () => {
      // GIVEN / WHEN
      const objs = synth({ name: 'chat' });

      // THEN
      expect(find(objs, 'InferencePool', 'chat').spec.endpointPickerRef.name).toBe('chat-epp');
      expect(eppContainer(objs, 'chat-epp').args.slice(0, 2)).toEqual(['--pool-name', 'chat']);
      expect(find(objs, 'Service', 'chat-epp')).toBeDefined();
      expect(find(objs, 'ConfigMap', 'chat-epp')).toBeDefined();
    });

    test.each([
      ['meta-llama/Llama-3.1-8B-Instruct', 'meta-llama-llama-3-1-8b-instruct'],
      ['/My_Model/', 'my-model'],
      ['a'.repeat(70), 'a'.repeat(59)],
      [`${'b'.repeat(58)}/x`, 'b'.repeat(58)],
    ])('served model name %p gives pool name %p', (servedModelName, expected) => {
      // GIVEN / WHEN
      const { pool } = poolFixture({}, { servedModelName });

      // THEN
      expect(pool.poolName).toBe(expected);
      expect(pool.eppServiceName).toBe(`${expected}-epp`);
    });

    test('the model namespace and port carry over', () => {
      // GIVEN / WHEN
      const objs = synth({}, { namespace: 'inference', port: 8080 });

      // THEN
      expect(find(objs, 'InferencePool', POOL).spec.targetPorts).toEqual([{ number: 8080 }]);
      expect(eppContainer(objs).args.slice(2, 4)).toEqual(['--pool-namespace', 'inference']);
      expect(objs.every((o) => (o.metadata as { namespace?: string }).namespace === 'inference')).toBe(true);
    });

    test('failureMode FAIL_CLOSE fails requests when the EPP is down', () => {
      // GIVEN / WHEN
      const objs = synth({ failureMode: FailureMode.FAIL_CLOSE });

      // THEN
      expect(find(objs, 'InferencePool', POOL).spec.endpointPickerRef.failureMode).toBe('FailClose');
    });

    test('scorers set the profile weights', () => {
      // GIVEN / WHEN
      const config = pluginConfig(synth({ scorers: { queue: 1, kvCacheUtilization: 4, prefixCache: 5 } }));

      // THEN
      expect(config.schedulingProfiles[0].plugins).toEqual([
        { pluginRef: 'queue-scorer', weight: 1 },
        { pluginRef: 'kv-cache-utilization-scorer', weight: 4 },
        { pluginRef: 'prefix-cache-scorer', weight: 5 },
      ]);
    });

    test('a zero weight removes the scorer; other weights keep their defaults', () => {
      // GIVEN / WHEN
      const config = pluginConfig(synth({ scorers: { queue: 0 } }));

      // THEN
      expect(config.plugins.map((p: { type: string }) => p.type)).not.toContain('queue-scorer');
      expect(config.schedulingProfiles[0].plugins).toEqual([
        { pluginRef: 'kv-cache-utilization-scorer', weight: 2 },
        { pluginRef: 'prefix-cache-scorer', weight: 3 },
      ]);
    });

    test('prefixCache 0 drops the prefix scorer and its producer, and allows a model without prefix caching', () => {
      // GIVEN / WHEN
      const config = pluginConfig(synth({ scorers: { prefixCache: 0 } }, { prefixCache: null }));

      // THEN
      expect(config.plugins.map((p: { type: string }) => p.type)).toEqual([
        'queue-scorer', 'kv-cache-utilization-scorer', 'metrics-data-source', 'core-metrics-extractor',
      ]);
      expect(config.schedulingProfiles[0].plugins).toEqual([
        { pluginRef: 'queue-scorer', weight: 2 },
        { pluginRef: 'kv-cache-utilization-scorer', weight: 2 },
      ]);
    });

    test('the prefix producer falls back to the model block size', () => {
      // GIVEN / WHEN
      const config = pluginConfig(synth({}, { prefixCache: { blockSize: 64, hashSeed: '0' } }));

      // THEN
      expect(config.plugins[2]).toEqual({ type: 'approx-prefix-cache-producer', parameters: { autoTune: true, blockSizeTokens: 64 } });
    });

    test('prefixCacheBlockSize and prefixCacheHashSeed that agree with the model are accepted', () => {
      // GIVEN / WHEN
      const config = pluginConfig(synth({ prefixCacheBlockSize: 32, prefixCacheHashSeed: '7' }, { prefixCache: { blockSize: 32, hashSeed: '7' } }));

      // THEN
      expect(config.plugins[2].parameters).toEqual({ autoTune: true, blockSizeTokens: 32 });
      expect(JSON.stringify(config)).not.toContain('hashSeed');
    });

    test('selector and targetPort that agree with the model are accepted', () => {
      // GIVEN / WHEN
      const objs = synth({ selector: { ...MODEL_LABELS }, targetPort: 8000 });

      // THEN
      expect(find(objs, 'InferencePool', POOL).spec.selector.matchLabels).toEqual(MODEL_LABELS);
    });

    test('eppImage replaces the image', () => {
      // GIVEN
      const image = ContainerImage.of({
        repository: 'registry.example.com/llm-d-router-endpoint-picker', tag: 'v0.10.1', source: 'test', checked: '2026-11-24',
      });

      // WHEN
      const container = eppContainer(synth({ eppImage: image }));

      // THEN
      expect(container.image).toBe('registry.example.com/llm-d-router-endpoint-picker:v0.10.1');
    });

    test('eppReplicas above 1 elects a leader: flag, probe services, leases and events RBAC', () => {
      // GIVEN / WHEN
      const objs = synth({ eppReplicas: 2 });
      const container = eppContainer(objs);

      // THEN
      expect(find(objs, 'Deployment', EPP).spec.replicas).toBe(2);
      expect(container.args).toEqual([...DEFAULT_ARGS.slice(0, 12), '--ha-enable-leader-election', ...DEFAULT_ARGS.slice(12)]);
      expect(container.livenessProbe.grpc).toEqual({ port: 9003, service: 'liveness' });
      expect(container.readinessProbe.grpc).toEqual({ port: 9003, service: 'readiness' });
      expect(find(objs, 'Role', `${EPP}-leader-election`).rules).toEqual([
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      ]);
      const binding = find(objs, 'RoleBinding', `${EPP}-leader-election`);
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: EPP, namespace: NS }]);
      expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${EPP}-leader-election` });
    });

    test('eppResources override each part and keep the defaults of the others', () => {
      // GIVEN / WHEN
      const cpuOnly = eppContainer(synth({ eppResources: { cpu: { request: Cpu.millis(500), limit: Cpu.cores(4) } } }));
      const memoryOnly = eppContainer(synth({ eppResources: { memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) } } }));

      // THEN
      expect(cpuOnly.resources).toEqual({ requests: { cpu: '500m', memory: '4Gi' }, limits: { cpu: '4', memory: '8Gi' } });
      expect(memoryOnly.resources).toEqual({ requests: { cpu: '2', memory: '512Mi' }, limits: { memory: '1Gi' } });
    });

    test('prometheusRelease sets the ServiceMonitor release label', () => {
      // GIVEN / WHEN
      const monitor = find(synth({ prometheusRelease: 'prom' }), 'ServiceMonitor', EPP);

      // THEN
      expect(monitor.metadata.labels.release).toBe('prom');
    });

    test('tracing turns on OTLP export with the chart variables and a 10% sampler', () => {
      // GIVEN / WHEN
      const container = eppContainer(synth({ tracing: { otlpEndpoint: 'http://otel-collector.observability:4317' } }));

      // THEN
      expect(container.args).toContain('--tracing=true');
      expect(container.args).not.toContain('--tracing=false');
      expect(container.env.slice(2)).toEqual([
        { name: 'OTEL_SERVICE_NAME', value: 'llm-d-router/epp' },
        { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://otel-collector.observability:4317' },
        { name: 'OTEL_TRACES_EXPORTER', value: 'otlp' },
        { name: 'OTEL_RESOURCE_ATTRIBUTES_NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
        { name: 'OTEL_RESOURCE_ATTRIBUTES_POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
        {
          name: 'OTEL_RESOURCE_ATTRIBUTES',
          value: 'k8s.namespace.name=$(NAMESPACE),k8s.node.name=$(OTEL_RESOURCE_ATTRIBUTES_NODE_NAME),k8s.pod.name=$(OTEL_RESOURCE_ATTRIBUTES_POD_NAME)',
        },
        { name: 'OTEL_TRACES_SAMPLER', value: 'parentbased_traceidratio' },
        { name: 'OTEL_TRACES_SAMPLER_ARG', value: '0.1' },
      ]);
    });

    test('tracing.samplingRatio sets the sampler argument', () => {
      // GIVEN / WHEN
      const container = eppContainer(synth({ tracing: { otlpEndpoint: 'https://otel:4318', samplingRatio: 1 } }));

      // THEN
      expect(container.env).toContainEqual({ name: 'OTEL_TRACES_SAMPLER_ARG', value: '1' });
    });
  });

  describe('addObjective', () => {
    test('adds InferenceObjectives next to the pool and lists them', () => {
      // GIVEN
      const { pool, component } = poolFixture();

      // WHEN
      const critical = pool.addObjective('Critical', { name: 'critical', priority: 10 });
      pool.addObjective('Batch', { name: 'batch', priority: -5 });

      // THEN
      expect(pool.objectives.map((o) => o.objectiveName)).toEqual(['critical', 'batch']);
      expect(critical.pool).toBe(pool);
      expect(find(objects(component), 'InferenceObjective', 'batch').spec.priority).toBe(-5);
    });

    test('objectives returns a copy', () => {
      // GIVEN
      const { pool } = poolFixture();
      pool.addObjective('Critical', { name: 'critical', priority: 10 });

      // WHEN
      pool.objectives.pop();

      // THEN
      expect(pool.objectives).toHaveLength(1);
    });

    test('refuses two objectives of the same name', () => {
      // GIVEN
      const { pool } = poolFixture();
      pool.addObjective('Critical', { name: 'critical', priority: 10 });

      // WHEN / THEN
      expect(() => pool.addObjective('Again', { name: 'critical', priority: 1 })).toThrow(
        `InferencePool '${POOL}' already has an InferenceObjective named 'critical'`);
    });
  });

  describe('errors', () => {
    test('a selector that differs from the model pod labels', () => {
      // GIVEN / WHEN / THEN
      expect(poolError({ selector: { app: 'vllm-llama' } })).toThrow(
        `InferencePool '${POOL}' selects {app: vllm-llama}, which matches no pod of model 'Qwen/Qwen3-32B' `
        + '(pods carry {agentic-eks.io/model: qwen3-32b, inference.networking.k8s.io/engine-type: vllm})');
    });

    test('a selector with a wrong value for a model label', () => {
      // GIVEN / WHEN / THEN
      expect(poolError({ selector: { ...MODEL_LABELS, 'agentic-eks.io/model': 'llama' } })).toThrow(
        `InferencePool '${POOL}' selects {agentic-eks.io/model: llama, inference.networking.k8s.io/engine-type: vllm}, which matches no pod `
        + "of model 'Qwen/Qwen3-32B' (pods carry {agentic-eks.io/model: qwen3-32b, inference.networking.k8s.io/engine-type: vllm})");
    });

    test('a selector that selects only part of the model labels', () => {
      // GIVEN / WHEN / THEN
      expect(poolError({ selector: { 'inference.networking.k8s.io/engine-type': 'vllm' } })).toThrow(
        `InferencePool '${POOL}' selects {inference.networking.k8s.io/engine-type: vllm}, which may also match pods of other models; `
        + "select all of model 'Qwen/Qwen3-32B''s pod labels {agentic-eks.io/model: qwen3-32b, inference.networking.k8s.io/engine-type: vllm}");
    });

    test('a model without pod labels', () => {
      // GIVEN / WHEN / THEN
      expect(poolError({}, { podLabels: {} })).toThrow(
        `model 'Qwen/Qwen3-32B' has no pod labels, so InferencePool '${POOL}' cannot select its pods`);
    });

    test('a targetPort other than the model port', () => {
      // GIVEN / WHEN / THEN
      expect(poolError({ targetPort: 9000 })).toThrow(`InferencePool '${POOL}' targets port 9000 but model 'Qwen/Qwen3-32B' serves on 8000`);
    });

    test('a targetPort that is no port', () => {
      // GIVEN / WHEN / THEN
      expect(poolError({ targetPort: 70000 })).toThrow("'targetPort' (70000) must be a port number (1-65535)");
    });

    test('prefix scoring over a model without prefix caching', () => {
      // GIVEN / WHEN / THEN
      expect(poolError({}, { prefixCache: null })).toThrow(
        `InferencePool '${POOL}' scores prefix-cache hits but model 'Qwen/Qwen3-32B' runs with prefix caching off`);
    });

    test('a prefix block size other than the model block size', () => {
      // GIVEN / WHEN / THEN
      expect(poolError({ prefixCacheBlockSize: 64 })).toThrow(
        `InferencePool '${POOL}' indexes prompt prefixes in blocks of 64 tokens but model 'Qwen/Qwen3-32B' caches KV blocks of 16 tokens `
        + '(--block-size); the two must match');
    });

    test('a hash seed other than the model PYTHONHASHSEED', () => {
      // GIVEN / WHEN / THEN
      expect(poolError({ prefixCacheHashSeed: '0' })).toThrow(
        `InferencePool '${POOL}' hashes prompt prefixes with seed '0' but model 'Qwen/Qwen3-32B' runs with PYTHONHASHSEED '42'; the two must match`);
    });

    test.each([
      ['prefixCacheBlockSize', { prefixCacheBlockSize: 16 }],
      ['prefixCacheHashSeed', { prefixCacheHashSeed: '42' }],
    ])('%s without the prefix scorer', (prop, options) => {
      // GIVEN / WHEN / THEN
      expect(poolError({ scorers: { prefixCache: 0 }, ...options })).toThrow(
        `'${prop}' is set but InferencePool '${POOL}' does not score prefix-cache hits ('scorers.prefixCache' is 0)`);
    });

    test('a prefix block size that is no whole number', () => {
      // GIVEN / WHEN / THEN
      expect(poolError({ prefixCacheBlockSize: 0 })).toThrow("'prefixCacheBlockSize' (0) must be a whole number of tokens, 1 or more");
    });

    test.each([
      [{ queue: -1 }, "'scorers.queue' (-1) must be a whole number, 0 or more (0 removes the scorer)"],
      [{ kvCacheUtilization: 1.5 }, "'scorers.kvCacheUtilization' (1.5) must be a whole number, 0 or more (0 removes the scorer)"],
      [{ prefixCache: Number.NaN }, "'scorers.prefixCache' (NaN) must be a whole number, 0 or more (0 removes the scorer)"],
    ])('scorer weights %p', (scorers, message) => {
      // GIVEN / WHEN / THEN
      expect(poolError({ scorers })).toThrow(message);
    });

    test('all scorer weights 0', () => {
      // GIVEN / WHEN / THEN
      expect(poolError({ scorers: { queue: 0, kvCacheUtilization: 0, prefixCache: 0 } })).toThrow(
        `InferencePool '${POOL}' has no scorer: at least one of 'scorers.queue', 'scorers.kvCacheUtilization', 'scorers.prefixCache' must be above 0`);
    });

    test.each([0, 1.5, 101])('eppReplicas %p', (eppReplicas) => {
      // GIVEN / WHEN / THEN
      expect(poolError({ eppReplicas })).toThrow(`'eppReplicas' (${eppReplicas}) must be a whole number between 1 and 100`);
    });

    test('a memory limit below the request', () => {
      // GIVEN / WHEN / THEN
      expect(poolError({ eppResources: { memory: { request: Size.gibibytes(16) } } })).toThrow(
        "'eppResources.memory.limit' (8Gi) must not be below 'eppResources.memory.request' (16Gi)");
    });

    test('a CPU limit below the request', () => {
      // GIVEN / WHEN / THEN
      expect(poolError({ eppResources: { cpu: { limit: Cpu.millis(500) } } })).toThrow(
        "'eppResources.cpu.limit' (500m) must not be below 'eppResources.cpu.request' (2)");
    });

    test('a tracing endpoint that is no URL', () => {
      // GIVEN / WHEN / THEN
      expect(poolError({ tracing: { otlpEndpoint: 'otel-collector:4317' } })).toThrow(
        "'tracing.otlpEndpoint' (otel-collector:4317) must be an http:// or https:// URL");
    });

    test('a sampling ratio above 1', () => {
      // GIVEN / WHEN / THEN
      expect(poolError({ tracing: { otlpEndpoint: 'http://otel:4317', samplingRatio: 2 } })).toThrow(
        "'tracing.samplingRatio' (2) must be between 0 and 1");
    });

    test('an empty prometheusRelease', () => {
      // GIVEN / WHEN / THEN
      expect(poolError({ prometheusRelease: ' ' })).toThrow("'prometheusRelease' must not be empty");
    });

    test('a name that is no DNS label', () => {
      // GIVEN / WHEN / THEN
      expect(poolError({ name: 'Chat_Pool' })).toThrow(
        "'name' (Chat_Pool) must be a DNS label: 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit");
    });

    test('a name too long for the EPP Service name', () => {
      // GIVEN
      const name = 'p'.repeat(60);

      // WHEN / THEN
      expect(poolError({ name })).toThrow(
        `'name' (${name}) of InferencePool is 60 characters; at most 59 fit, since the endpoint picker's Service is '<name>-epp' (a DNS label)`);
    });

    test('a served model name without a letter or digit', () => {
      // GIVEN / WHEN / THEN
      expect(poolError({}, { servedModelName: '///' })).toThrow(
        "cannot derive an InferencePool name from served model name '///'; set 'name'");
    });

    test('tokens are refused: manifests must be literal', () => {
      // GIVEN
      const tokenName = Lazy.string({ produce: () => 'chat' });
      const tokenReplicas = Lazy.number({ produce: () => 2 });

      // WHEN / THEN
      expect(poolError({ name: tokenName })).toThrow(
        "'name' must be a literal string, not a token: Kubernetes manifests of the GitOps rendering cannot carry CloudFormation tokens");
      expect(poolError({ eppReplicas: tokenReplicas })).toThrow(
        "'eppReplicas' must be a literal number, not a token: Kubernetes manifests of the GitOps rendering cannot carry CloudFormation tokens");
    });

    test('a scope outside a cdk8s chart', () => {
      // GIVEN
      const { model } = modelFixture();
      const outside = new Construct(undefined as unknown as Construct, 'Outside');

      // WHEN / THEN
      expect(() => new InferencePool(outside, 'Pool', { model })).toThrow(/cannot find a parent chart/);
    });
  });
});

describeWithSchemas('InferencePool objects against their schemas', () => {
  test('defaults', () => {
    // GIVEN / WHEN / THEN
    expectValidK8sObjects(synth());
  });

  test('every optional object and field: HA, tracing, resources, objectives, fail close', () => {
    // GIVEN
    const { pool, component } = poolFixture({
      name: 'chat',
      failureMode: FailureMode.FAIL_CLOSE,
      eppReplicas: 3,
      eppResources: { cpu: { request: Cpu.cores(4), limit: Cpu.cores(8) }, memory: { request: Size.gibibytes(8), limit: Size.gibibytes(16) } },
      tracing: { otlpEndpoint: 'http://otel-collector.observability:4317', samplingRatio: 0.5 },
      prometheusRelease: 'prometheus',
      selector: { ...MODEL_LABELS },
      targetPort: 8000,
      prefixCacheBlockSize: 16,
      prefixCacheHashSeed: '42',
    });

    // WHEN
    pool.addObjective('Critical', { name: 'critical', priority: 10 });
    pool.addObjective('Sheddable', { name: 'sheddable', priority: -10 });
    const objs = objects(component);

    // THEN
    expect(objs.map((o) => o.kind).sort()).toEqual([
      'ConfigMap', 'Deployment', 'InferenceObjective', 'InferenceObjective', 'InferencePool', 'Role', 'Role', 'RoleBinding', 'RoleBinding',
      'Service', 'ServiceAccount', 'ServiceMonitor',
    ]);
    expectValidK8sObjects(objs);
  });

  test('a pool without the prefix scorer over a model without prefix caching', () => {
    // GIVEN / WHEN / THEN
    expectValidK8sObjects(synth({ scorers: { prefixCache: 0 } }, { prefixCache: null }));
  });

  test('the namespaces component', () => {
    // GIVEN
    const { definition } = poolFixture();

    // WHEN
    const namespaces = definition.components.find((c) => c.componentName === 'namespaces');

    // THEN
    expectValidK8sObjects(objects(namespaces as KubernetesComponent));
  });
});
