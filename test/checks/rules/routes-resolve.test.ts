import { RuleStatus } from '../../../lib';
import { ROUTES_RESOLVE } from '../../../lib/checks/rules/routes-resolve';
import { addComponent, check, definition, deployment, podSpec, service } from '../fixtures';

const GATEWAY = {
  apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'gateway' },
  spec: { gatewayClassName: 'agentgateway', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }] },
};

function route(name: string, namespace: string, parentRefs: Record<string, unknown>[], backendRefs: Record<string, unknown>[]) {
  return { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name, namespace }, spec: { parentRefs, rules: [{ backendRefs }] } };
}

function pool(name: string, namespace: string, selector: Record<string, string>, targetPort: number, epp: string, eppPort: number) {
  return {
    apiVersion: 'inference.networking.k8s.io/v1', kind: 'InferencePool', metadata: { name, namespace },
    spec: { selector: { matchLabels: selector }, targetPorts: [{ number: targetPort }], endpointPickerRef: { name: epp, port: { number: eppPort } } },
  };
}

describe('routes-resolve', () => {
  test('compliant: routes to a Service port and an InferencePool; a cross-namespace Service with a ReferenceGrant', () => {
    // GIVEN
    const def = definition();
    addComponent(def, 'app', [
      GATEWAY,
      deployment('vllm', 'models', { model: 'q' }),
      deployment('epp', 'models', { app: 'epp' }, podSpec({}, { ports: [{ name: 'grpc', containerPort: 9002 }] })),
      service('q', 'models', { model: 'q' }, [{ name: 'http', port: 8000, targetPort: 'http' }]),
      service('epp', 'models', { app: 'epp' }, [{ name: 'grpc', port: 9002, targetPort: 9002 }]),
      pool('q', 'models', { model: 'q' }, 8000, 'epp', 9002),
      route('q', 'models', [{ name: 'gw', namespace: 'gateway', sectionName: 'http' }], [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'q' }]),
      route('q-svc', 'gateway', [{ name: 'gw' }], [{ name: 'q', namespace: 'models', port: 8000 }]),
      { apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name: 'from-gateway', namespace: 'models' }, spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'gateway' }], to: [{ group: '', kind: 'Service' }] } },
    ]);
    // WHEN / THEN
    expect(check(ROUTES_RESOLVE, def)).toEqual({ status: RuleStatus.COMPLIANT, messages: [] });
  });

  test('non-compliant: unknown Gateway and listener, missing backends, cross-namespace without grant, broken InferencePool', () => {
    // GIVEN
    const def = definition();
    addComponent(def, 'app', [
      GATEWAY,
      deployment('vllm', 'models', { model: 'q' }),
      service('q', 'models', { model: 'q' }, [{ name: 'http', port: 8000, targetPort: 'http' }]),
      pool('q', 'models', { model: 'q' }, 8080, 'epp', 9002),
      pool('r', 'models', { model: 'r' }, 8000, 'q', 9002),
      route('a', 'models', [{ name: 'gw' }, { name: 'gw', namespace: 'gateway', sectionName: 'https' }], [{ name: 'q', port: 80 }, { name: 'nope', port: 80 }]),
      route('b', 'gateway', [{ name: 'gw' }], [{ name: 'q', namespace: 'models', port: 8000 }, { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'zz' }]),
    ]);
    // WHEN / THEN
    expect(check(ROUTES_RESOLVE, def).messages).toEqual([
      "HTTPRoute 'models/a' parentRef Gateway 'models/gw' does not exist; fix: name a Gateway of the platform (parentRefs[].namespace defaults to the route's namespace 'models')",
      "HTTPRoute 'models/a' parentRef sectionName 'https' is not a listener of Gateway 'gateway/gw' (listeners: http); fix: use one of the listener names",
      "HTTPRoute 'models/a' backendRef Service 'models/q' has no port 80 (ports: 8000); fix: use a port of the Service",
      "HTTPRoute 'models/a' backendRef Service 'models/nope' does not exist; fix: name an existing Service (or InferencePool) in 'models'",
      "HTTPRoute 'gateway/b' backendRef Service 'models/q' is in another namespace and no ReferenceGrant in 'models' allows it; fix: add a ReferenceGrant in 'models' from HTTPRoute in 'gateway' to Service",
      "HTTPRoute 'gateway/b' backendRef InferencePool 'gateway/zz' does not exist; fix: name an InferencePool of the platform in 'gateway'",
      "InferencePool 'models/q' targetPort 8080 is not a container port of Deployment 'models/vllm' (ports: 8000); fix: use the model server's port",
      "InferencePool 'models/q' endpointPickerRef Service 'models/epp' does not exist; fix: name the endpoint picker's Service",
      "InferencePool 'models/r' selects no pods (selector model=r); fix: match the pod labels of the model server",
      "InferencePool 'models/r' endpointPickerRef port 9002 is not a port of Service 'models/q' (ports: 8000); fix: use the endpoint picker's gRPC port",
    ]);
  });
});
