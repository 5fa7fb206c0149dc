import { RuleStatus } from '../../../lib';
import { HTTP_ROUTE_MATCHES_UNIQUE } from '../../../lib/checks/rules/http-route-matches-unique';
import { definitionWith, httpRoute, messages, run } from './cross-component-fixtures';

const prefix = (value: string, headers?: { name: string; value: string }[]) => ({
  matches: [{ path: { type: 'PathPrefix', value }, headers }], backendRefs: [{ name: 'svc', port: 8000 }],
});

describe('http-route-matches-unique', () => {
  test('compliant when routes differ in path, header or hostname', () => {
    // GIVEN
    const definition = definitionWith({
      routes: [
        httpRoute('qwen', prefix('/qwen')),
        httpRoute('qwen-tenant-a', prefix('/qwen', [{ name: 'x-tenant', value: 'team-a' }])),
        httpRoute('llama', prefix('/llama')),
        httpRoute('qwen-public', prefix('/qwen'), { hostnames: ['api.example.com'] }),
        httpRoute('qwen-internal', prefix('/qwen'), { hostnames: ['internal.example.com'] }),
      ],
    });

    // WHEN / THEN: 'qwen' has no hostnames, so it overlaps the two others
    expect(messages(run(HTTP_ROUTE_MATCHES_UNIQUE, definition))).toHaveLength(2);
    const distinct = definitionWith({ routes: [httpRoute('qwen', prefix('/qwen')), httpRoute('qwen-tenant-a', prefix('/qwen', [{ name: 'x-tenant', value: 'team-a' }])), httpRoute('llama', prefix('/llama'))] });
    expect(run(HTTP_ROUTE_MATCHES_UNIQUE, distinct).status).toBe(RuleStatus.COMPLIANT);
  });

  test('two routes with an identical match on one listener', () => {
    // GIVEN: a trailing '/' and a header name's case do not make a match different
    const definition = definitionWith({
      a: [httpRoute('qwen-a', prefix('/qwen', [{ name: 'X-Tenant', value: 'team-a' }]))],
      b: [httpRoute('qwen-b', prefix('/qwen/', [{ name: 'x-tenant', value: 'team-a' }]))],
    });

    // WHEN / THEN
    expect(messages(run(HTTP_ROUTE_MATCHES_UNIQUE, definition))).toEqual([
      "HTTPRoute 'models/qwen-a' and HTTPRoute 'models/qwen-b' both match PathPrefix /qwen with header x-tenant: team-a on Gateway 'gateway/inference-gateway' (listener http): only one of them receives these requests; give one route another 'pathPrefix' or a 'headerMatch'",
    ]);
  });

  test('a rule without matches matches every request, like PathPrefix /', () => {
    const definition = definitionWith({ routes: [httpRoute('all', { backendRefs: [{ name: 'svc' }] }), httpRoute('root', prefix('/'))] });
    expect(messages(run(HTTP_ROUTE_MATCHES_UNIQUE, definition))).toEqual([
      "HTTPRoute 'models/all' and HTTPRoute 'models/root' both match PathPrefix / (no header match) on Gateway 'gateway/inference-gateway' (listener http): only one of them receives these requests; give one route another 'pathPrefix' or a 'headerMatch'",
    ]);
  });
});
