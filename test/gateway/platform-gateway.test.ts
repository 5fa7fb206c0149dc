import { Duration } from 'aws-cdk-lib';
import { GatewayImplementation, PlatformGateway } from '../../lib/gateway';
import { expectValidK8sObjects } from '../k8s-schema';
import { find, objects } from '../util';
import { gatewayFixture } from './fixtures';

const AGW = GatewayImplementation.AGENTGATEWAY;
const KGW = GatewayImplementation.KGATEWAY;
const POOL = 'qwen-qwen3-32b';
const HTTP_PARENT = { name: 'inference-gateway', namespace: 'gateway', sectionName: 'http' };

/** The objects of a gateway's component. */
function synth(gateway: PlatformGateway): Record<string, unknown>[] {
  return objects(gateway.component);
}

describe('PlatformGateway', () => {
  describe('defaults', () => {
    test('emits a Gateway with an HTTP listener accepting routes from all namespaces', () => {
      // GIVEN / WHEN
      const { gateway } = gatewayFixture();

      // THEN
      expect(find(synth(gateway), 'Gateway', 'inference-gateway')).toEqual({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'inference-gateway', namespace: 'gateway' },
        spec: {
          gatewayClassName: 'agentgateway',
          listeners: [{ name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } }],
        },
      });
    });

    test('is the component gateway (stage workloads) after its namespace and the controller', () => {
      // GIVEN / WHEN
      const { gateway, platform } = gatewayFixture();

      // THEN
      expect(gateway.gatewayName).toBe('inference-gateway');
      expect(gateway.namespace).toBe('gateway');
      expect(gateway.implementation).toBe(AGW);
      expect(gateway.component.componentName).toBe('gateway');
      expect(gateway.component.stage).toBe('workloads');
      expect(gateway.component.dependencies.map((d) => d.componentName).sort()).toEqual(['agentgateway', 'namespaces']);
      expect(platform.definition.sharedNamespaces).toContain('gateway');
    });

    test('uses GatewayClass kgateway on kgateway', () => {
      // GIVEN / WHEN
      const { gateway } = gatewayFixture(KGW);

      // THEN
      expect(find(synth(gateway), 'Gateway', 'inference-gateway').spec.gatewayClassName).toBe('kgateway');
      expect(gateway.component.dependencies.map((d) => d.componentName).sort()).toEqual(['kgateway', 'namespaces']);
    });
  });

  describe('props', () => {
    test('name and namespace', () => {
      // GIVEN / WHEN
      const { gateway, platform } = gatewayFixture(AGW, { name: 'public', namespace: 'edge' });

      // THEN
      const gw = find(synth(gateway), 'Gateway', 'public');
      expect(gw.metadata).toEqual({ name: 'public', namespace: 'edge' });
      expect(gateway.component.componentName).toBe('gateway-public');
      expect(platform.definition.sharedNamespaces).toContain('edge');
    });

    test('tls adds an HTTPS listener terminating TLS with the Secret', () => {
      // GIVEN / WHEN
      const { gateway } = gatewayFixture(AGW, { tls: { certificateSecretName: 'api-tls', hostname: 'api.example.com' } });

      // THEN
      expect(find(synth(gateway), 'Gateway', 'inference-gateway').spec.listeners).toEqual([
        { name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } },
        {
          name: 'https',
          protocol: 'HTTPS',
          port: 443,
          hostname: 'api.example.com',
          tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'api-tls' }] },
          allowedRoutes: { namespaces: { from: 'All' } },
        },
      ]);
    });

    test('tls without hostname answers any host', () => {
      // GIVEN / WHEN
      const { gateway } = gatewayFixture(AGW, { tls: { certificateSecretName: 'api-tls' } });

      // THEN
      expect(find(synth(gateway), 'Gateway', 'inference-gateway').spec.listeners[1].hostname).toBeUndefined();
    });

    test('allowedRouteNamespaces selects namespaces by name', () => {
      // GIVEN / WHEN
      const { gateway } = gatewayFixture(AGW, { allowedRouteNamespaces: ['models', 'apps'] });

      // THEN
      expect(find(synth(gateway), 'Gateway', 'inference-gateway').spec.listeners[0].allowedRoutes).toEqual({
        namespaces: {
          from: 'Selector',
          selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['models', 'apps'] }] },
        },
      });
    });
  });

  describe('addModelRoute', () => {
    test('routes to the InferencePool with a 300s request timeout', () => {
      // GIVEN
      const { gateway, qwen, pool } = gatewayFixture();

      // WHEN
      const route = gateway.addModelRoute('Qwen', { model: qwen, pool });

      // THEN
      expect(route.routeName).toBe(POOL);
      expect(route.namespace).toBe('models');
      expect(find(synth(gateway), 'HTTPRoute', POOL)).toEqual({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: POOL, namespace: 'models' },
        spec: {
          parentRefs: [HTTP_PARENT],
          rules: [{
            matches: [{ path: { type: 'PathPrefix', value: '/' } }],
            backendRefs: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: POOL }],
            timeouts: { request: '300s' },
          }],
        },
      });
    });

    test('routes to the model Service without a pool', () => {
      // GIVEN
      const { gateway, llama } = gatewayFixture(KGW);

      // WHEN
      const route = gateway.addModelRoute('Llama', { model: llama });

      // THEN
      expect(route.routeName).toBe('llama');
      expect(find(synth(gateway), 'HTTPRoute', 'llama').spec.rules[0].backendRefs).toEqual([{ name: 'llama', port: 8000 }]);
    });

    test('pathPrefix, headerMatch, timeout and name', () => {
      // GIVEN
      const { gateway, qwen, pool } = gatewayFixture();

      // WHEN
      gateway.addModelRoute('Qwen', {
        model: qwen, pool, name: 'qwen-tenant-a', pathPrefix: '/v1', headerMatch: { name: 'x-tenant', value: 'a' }, timeout: Duration.minutes(10),
      });

      // THEN
      const rule = find(synth(gateway), 'HTTPRoute', 'qwen-tenant-a').spec.rules[0];
      expect(rule.matches).toEqual([{
        path: { type: 'PathPrefix', value: '/v1' },
        headers: [{ type: 'Exact', name: 'x-tenant', value: 'a' }],
      }]);
      expect(rule.timeouts).toEqual({ request: '600s' });
    });

    test.each([
      [Duration.millis(1500), '1s500ms'],
      [Duration.hours(30), '30h'],
      [Duration.seconds(90), '90s'],
    ])('writes timeout %p as %p', (timeout, expected) => {
      // GIVEN
      const { gateway, llama } = gatewayFixture();

      // WHEN
      gateway.addModelRoute('Llama', { model: llama, timeout });

      // THEN
      expect(find(synth(gateway), 'HTTPRoute', 'llama').spec.rules[0].timeouts.request).toBe(expected);
    });

    test('attaches to both listeners when TLS is on', () => {
      // GIVEN
      const { gateway, llama } = gatewayFixture(AGW, { tls: { certificateSecretName: 'api-tls' } });

      // WHEN
      gateway.addModelRoute('Llama', { model: llama });

      // THEN
      expect(find(synth(gateway), 'HTTPRoute', 'llama').spec.parentRefs).toEqual([
        HTTP_PARENT, { ...HTTP_PARENT, sectionName: 'https' },
      ]);
    });

    test('the gateway component is applied after the routed model', () => {
      // GIVEN
      const { gateway, qwen, pool } = gatewayFixture();

      // WHEN
      gateway.addModelRoute('Qwen', { model: qwen, pool });

      // THEN
      expect(gateway.component.dependencies.map((d) => d.componentName)).toContain('model-qwen');
    });
  });

  describe('addCanaryRoute', () => {
    test('splits traffic by weight between Services', () => {
      // GIVEN
      const { gateway, llama, llamaNext } = gatewayFixture();

      // WHEN
      const route = gateway.addCanaryRoute('Canary', {
        name: 'llama', namespace: 'models', backends: [{ model: llama, weight: 90 }, { model: llamaNext, weight: 10 }],
      });

      // THEN
      expect(route.routeName).toBe('llama');
      expect(find(synth(gateway), 'HTTPRoute', 'llama').spec).toEqual({
        parentRefs: [HTTP_PARENT],
        rules: [{
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          backendRefs: [{ name: 'llama', port: 8000, weight: 90 }, { name: 'llama-next', port: 8000, weight: 10 }],
          timeouts: { request: '300s' },
        }],
      });
      expect(gateway.component.dependencies.map((d) => d.componentName)).toEqual(
        expect.arrayContaining(['model-llama', 'model-llama-next']));
    });

    test('a weight of 0 is kept', () => {
      // GIVEN
      const { gateway, llama, llamaNext } = gatewayFixture();

      // WHEN
      gateway.addCanaryRoute('Canary', {
        name: 'llama', namespace: 'models', pathPrefix: '/v1', headerMatch: { name: 'x-canary', value: 'yes' },
        backends: [{ model: llama, weight: 100 }, { model: llamaNext, weight: 0 }],
      });

      // THEN
      const rule = find(synth(gateway), 'HTTPRoute', 'llama').spec.rules[0];
      expect(rule.backendRefs[1]).toEqual({ name: 'llama-next', port: 8000, weight: 0 });
      expect(rule.matches[0].headers).toEqual([{ type: 'Exact', name: 'x-canary', value: 'yes' }]);
    });
  });

  describe('addRateLimit', () => {
    test('agentgateway: an AgentgatewayPolicy with a local limit per minute on the HTTPRoute', () => {
      // GIVEN
      const { gateway, qwen, pool } = gatewayFixture();
      const route = gateway.addModelRoute('Qwen', { model: qwen, pool });

      // WHEN
      gateway.addRateLimit('QwenLimit', { route, requestsPerMinute: 600, burst: 50 });

      // THEN
      expect(find(synth(gateway), 'AgentgatewayPolicy', `${POOL}-ratelimit`)).toEqual({
        apiVersion: 'agentgateway.dev/v1alpha1',
        kind: 'AgentgatewayPolicy',
        metadata: { name: `${POOL}-ratelimit`, namespace: 'models' },
        spec: {
          targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: POOL }],
          traffic: { rateLimit: { local: [{ requests: 600, unit: 'Minutes', burst: 50 }] } },
        },
      });
    });

    test('kgateway: a TrafficPolicy with a token bucket refilled every minute', () => {
      // GIVEN
      const { gateway } = gatewayFixture(KGW);

      // WHEN
      gateway.addRateLimit('Limit', { route: { routeName: 'other', namespace: 'apps' }, requestsPerMinute: 120, name: 'other-limit' });

      // THEN
      expect(find(synth(gateway), 'TrafficPolicy', 'other-limit')).toEqual({
        apiVersion: 'gateway.kgateway.dev/v1alpha1',
        kind: 'TrafficPolicy',
        metadata: { name: 'other-limit', namespace: 'apps' },
        spec: {
          targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'other' }],
          rateLimit: { local: { tokenBucket: { maxTokens: 120, tokensPerFill: 120, fillInterval: '1m' } } },
        },
      });
    });

    test('agentgateway without burst leaves burst out', () => {
      // GIVEN
      const { gateway, llama } = gatewayFixture();
      const route = gateway.addModelRoute('Llama', { model: llama });

      // WHEN
      gateway.addRateLimit('Limit', { route, requestsPerMinute: 60 });

      // THEN
      expect(find(synth(gateway), 'AgentgatewayPolicy', 'llama-ratelimit').spec.traffic.rateLimit.local)
        .toEqual([{ requests: 60, unit: 'Minutes' }]);
    });
  });

  describe('errors', () => {
    test('kgateway cannot route to an InferencePool', () => {
      // GIVEN
      const { gateway, qwen, pool } = gatewayFixture(KGW);

      // WHEN / THEN
      expect(() => gateway.addModelRoute('Qwen', { model: qwen, pool })).toThrow(
        `kgateway cannot route to InferencePool '${POOL}': the Gateway API Inference Extension moved to agentgateway; use GatewayImplementation.AGENTGATEWAY`);
    });

    test('a pool of another model', () => {
      // GIVEN
      const { gateway, llama, pool } = gatewayFixture();

      // WHEN / THEN
      expect(() => gateway.addModelRoute('Llama', { model: llama, pool })).toThrow(
        `InferencePool '${POOL}' serves model 'Qwen/Qwen3-32B', not 'meta-llama/Llama-3.1-8B-Instruct'`);
    });

    test('canary weights not adding up to 100', () => {
      // GIVEN
      const { gateway, llama, llamaNext } = gatewayFixture();

      // WHEN / THEN
      expect(() => gateway.addCanaryRoute('Canary', {
        name: 'llama', namespace: 'models', backends: [{ model: llama, weight: 90 }, { model: llamaNext, weight: 20 }],
      })).toThrow("canary weights of route 'llama' add up to 110, not 100");
    });

    test.each([-1, 1.5, 101])('canary weight %p', (weight) => {
      // GIVEN
      const { gateway, llama, llamaNext } = gatewayFixture();

      // WHEN / THEN
      expect(() => gateway.addCanaryRoute('Canary', {
        name: 'llama', namespace: 'models', backends: [{ model: llama, weight }, { model: llamaNext, weight: 100 - weight }],
      })).toThrow(`'weight' (${weight}) of backend 'llama' in canary route 'llama' must be a whole number from 0 to 100`);
    });

    test('canary backend in another namespace', () => {
      // GIVEN
      const { gateway, llama } = gatewayFixture();

      // WHEN / THEN
      expect(() => gateway.addCanaryRoute('Canary', { name: 'llama', namespace: 'apps', backends: [{ model: llama, weight: 100 }] }))
        .toThrow("backend 'llama' of canary route 'llama' is in namespace 'models', not the route's namespace 'apps'");
    });

    test('canary without backends', () => {
      // GIVEN
      const { gateway } = gatewayFixture();

      // WHEN / THEN
      expect(() => gateway.addCanaryRoute('Canary', { name: 'llama', namespace: 'models', backends: [] }))
        .toThrow("canary route 'llama' needs at least one backend");
    });

    test.each(['x tenant', 'x:tenant', ''])('bad header name %p', (name) => {
      // GIVEN
      const { gateway, llama } = gatewayFixture();

      // WHEN / THEN
      expect(() => gateway.addModelRoute('Llama', { model: llama, headerMatch: { name, value: 'a' } })).toThrow(
        name === ''
          ? "'headerMatch.name' must not be empty"
          : `'headerMatch.name' (${name}) of route 'llama' must be an HTTP header name: letters, digits and !#$%&'*+-.^_\`|~ only`);
    });

    test('path prefix without a leading slash', () => {
      // GIVEN
      const { gateway, llama } = gatewayFixture();

      // WHEN / THEN
      expect(() => gateway.addModelRoute('Llama', { model: llama, pathPrefix: 'v1' })).toThrow(
        "'pathPrefix' (v1) of route 'llama' must start with '/' and contain no spaces, '?' or '#'");
    });

    test('timeout below 1ms', () => {
      // GIVEN
      const { gateway, llama } = gatewayFixture();

      // WHEN / THEN
      expect(() => gateway.addModelRoute('Llama', { model: llama, timeout: Duration.seconds(0) })).toThrow("'timeout' (0ms) must be at least 1ms");
    });

    test('the same route twice', () => {
      // GIVEN
      const { gateway, llama } = gatewayFixture();
      gateway.addModelRoute('Llama', { model: llama });

      // WHEN / THEN
      expect(() => gateway.addModelRoute('Llama2', { model: llama })).toThrow(
        "Gateway 'inference-gateway' already has a route 'llama' in namespace 'models'");
    });

    test('a route outside allowedRouteNamespaces', () => {
      // GIVEN
      const { gateway, llama } = gatewayFixture(AGW, { allowedRouteNamespaces: ['apps'] });

      // WHEN / THEN
      expect(() => gateway.addModelRoute('Llama', { model: llama })).toThrow(
        "route 'llama' is in namespace 'models', which 'allowedRouteNamespaces' (apps) of Gateway 'inference-gateway' does not include");
    });

    test('empty allowedRouteNamespaces', () => {
      // GIVEN / WHEN / THEN
      expect(() => gatewayFixture(AGW, { allowedRouteNamespaces: [] })).toThrow(
        "'allowedRouteNamespaces' of Gateway 'inference-gateway' must name at least one namespace (leave it out to allow all)");
    });

    test('bad TLS hostname', () => {
      // GIVEN / WHEN / THEN
      expect(() => gatewayFixture(AGW, { tls: { certificateSecretName: 'api-tls', hostname: 'API.example.com' } })).toThrow(
        "'tls.hostname' (API.example.com) must be a DNS name such as api.example.com or *.example.com");
    });

    test('bad gateway name', () => {
      // GIVEN / WHEN / THEN
      expect(() => gatewayFixture(AGW, { name: 'Public' })).toThrow(
        "'name' (Public) must be a DNS label: 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit");
    });

    test.each([0, -5, 1.5])('requestsPerMinute %p', (requestsPerMinute) => {
      // GIVEN
      const { gateway } = gatewayFixture();

      // WHEN / THEN
      expect(() => gateway.addRateLimit('Limit', { route: { routeName: 'llama', namespace: 'models' }, requestsPerMinute })).toThrow(
        `'requestsPerMinute' (${requestsPerMinute}) of the rate limit of route 'llama' must be a whole number of at least 1`);
    });

    test('negative burst', () => {
      // GIVEN
      const { gateway } = gatewayFixture();

      // WHEN / THEN
      expect(() => gateway.addRateLimit('Limit', { route: { routeName: 'llama', namespace: 'models' }, requestsPerMinute: 60, burst: -1 }))
        .toThrow("'burst' (-1) of the rate limit of route 'llama' must be a whole number of at least 0");
    });
  });

  describe('schemas', () => {
    test.each([AGW, KGW])('every emitted object is valid (%s)', (implementation) => {
      // GIVEN
      const f = gatewayFixture(implementation, { tls: { certificateSecretName: 'api-tls', hostname: '*.example.com' }, allowedRouteNamespaces: ['models'] });
      const route = implementation === AGW
        ? f.gateway.addModelRoute('Qwen', { model: f.qwen, pool: f.pool, headerMatch: { name: 'x-tenant', value: 'a' } })
        : f.gateway.addModelRoute('Qwen', { model: f.qwen, timeout: Duration.millis(90500) });
      const canary = f.gateway.addCanaryRoute('Canary', {
        name: 'llama', namespace: 'models', pathPrefix: '/v1', backends: [{ model: f.llama, weight: 90 }, { model: f.llamaNext, weight: 10 }],
      });

      // WHEN
      f.gateway.addRateLimit('QwenLimit', { route, requestsPerMinute: 600, burst: 60 });
      f.gateway.addRateLimit('CanaryLimit', { route: canary, requestsPerMinute: 60 });

      // THEN
      const objs = [
        ...synth(f.gateway),
        ...objects(f.controller.gatewayApiCrds),
      ];
      expect(objs.map((o) => o.kind)).toEqual(expect.arrayContaining(['Gateway', 'HTTPRoute', 'CustomResourceDefinition',
        implementation === AGW ? 'AgentgatewayPolicy' : 'TrafficPolicy']));
      expectValidK8sObjects(objs);
    });
  });
});
