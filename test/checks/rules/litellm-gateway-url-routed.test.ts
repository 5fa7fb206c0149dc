import { RuleStatus } from '../../../lib';
import { LITELLM_GATEWAY_URL_ROUTED } from '../../../lib/checks/rules/litellm-gateway-url-routed';
import { GATEWAY, definitionWith, gpuDeployment, httpRoute, messages, run, service } from './cross-component-fixtures';

function liteLlmConfig(apiBase: string, model = 'Qwen/Qwen3-32B'): Record<string, unknown> {
  const yaml = `model_list:\n  - model_name: qwen3-32b\n    litellm_params:\n      model: hosted_vllm/${model}\n      api_base: ${apiBase}\n`;
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'litellm-config', namespace: 'litellm' }, data: { 'config.yaml': yaml } };
}

const rewrite = [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }];
const routes = [
  httpRoute('qwen', { matches: [{ path: { type: 'PathPrefix', value: '/qwen' } }], filters: rewrite, backendRefs: [{ name: 'qwen', port: 8000 }] }),
  httpRoute('llama', { matches: [{ path: { type: 'PathPrefix', value: '/llama' } }], filters: rewrite, backendRefs: [{ name: 'llama', port: 8000 }] }),
  httpRoute('qwen-tenant', {
    matches: [{ path: { type: 'PathPrefix', value: '/tenant' }, headers: [{ name: 'x-tenant', value: 'a' }] }], filters: rewrite,
    backendRefs: [{ name: 'qwen', port: 8000 }],
  }),
];
const models = [
  gpuDeployment('qwen', 'p', 4, 1, 'Qwen/Qwen3-32B'), service('qwen'),
  gpuDeployment('llama', 'p', 1, 1, 'meta-llama/Llama-3.1-8B-Instruct'), service('llama'),
];

describe('litellm-gateway-url-routed', () => {
  test('compliant when the URL reaches a route to the same model as /v1/...', () => {
    const definition = definitionWith({ gateway: [GATEWAY, ...routes], models, litellm: [liteLlmConfig('http://inference-gateway.gateway.svc/qwen/v1')] });
    expect(run(LITELLM_GATEWAY_URL_ROUTED, definition).status).toBe(RuleStatus.COMPLIANT);
  });

  test('a path no route matches (header-only routes do not count)', () => {
    const definition = definitionWith({ gateway: [GATEWAY, ...routes], models, litellm: [liteLlmConfig('http://inference-gateway.gateway.svc/tenant/v1')] });
    expect(messages(run(LITELLM_GATEWAY_URL_ROUTED, definition))).toEqual([
      "model 'qwen3-32b' of LiteLLM (ConfigMap 'litellm/litellm-config') has 'gatewayUrl' http://inference-gateway.gateway.svc/tenant/v1, but no HTTPRoute on Gateway 'gateway/inference-gateway' matches /tenant/v1/chat/completions without a header (routes there: PathPrefix /qwen (no header match), PathPrefix /llama (no header match), PathPrefix /tenant with header x-tenant: a); point 'gatewayUrl' at one of them",
    ]);
  });

  test('a route that leads to another model', () => {
    const definition = definitionWith({ gateway: [GATEWAY, ...routes], models, litellm: [liteLlmConfig('http://inference-gateway.gateway.svc/llama/v1')] });
    expect(messages(run(LITELLM_GATEWAY_URL_ROUTED, definition))).toEqual([
      "model 'qwen3-32b' of LiteLLM (ConfigMap 'litellm/litellm-config') has 'gatewayUrl' http://inference-gateway.gateway.svc/llama/v1, which HTTPRoute 'models/llama' sends to pods serving meta-llama/Llama-3.1-8B-Instruct, not Qwen/Qwen3-32B; point 'gatewayUrl' at the route of Qwen/Qwen3-32B",
    ]);
  });

  test('compliant when the name is a LoRA adapter of the pods behind the route; a name they do not serve lists the adapters', () => {
    // GIVEN the llama pods serve adapters 'support' and 'sql' next to the base model
    const llama = gpuDeployment('llama', 'p', 1, 1, 'meta-llama/Llama-3.1-8B-Instruct') as any;
    llama.spec.template.spec.containers[0].args.push('--enable-lora', '--lora-modules', 'support=/adapters/support/model', '{"name": "sql", "path": "org/sql"}', '--max-loras', '2');
    const withAdapters = [models[0], models[1], llama, service('llama')];

    // WHEN / THEN
    const ok = definitionWith({ gateway: [GATEWAY, ...routes], models: withAdapters, litellm: [liteLlmConfig('http://inference-gateway.gateway.svc/llama/v1', 'support')] });
    expect(run(LITELLM_GATEWAY_URL_ROUTED, ok).status).toBe(RuleStatus.COMPLIANT);
    const json = definitionWith({ gateway: [GATEWAY, ...routes], models: withAdapters, litellm: [liteLlmConfig('http://inference-gateway.gateway.svc/llama/v1', 'sql')] });
    expect(run(LITELLM_GATEWAY_URL_ROUTED, json).status).toBe(RuleStatus.COMPLIANT);
    const bad = definitionWith({ gateway: [GATEWAY, ...routes], models: withAdapters, litellm: [liteLlmConfig('http://inference-gateway.gateway.svc/llama/v1', 'chat')] });
    expect(messages(run(LITELLM_GATEWAY_URL_ROUTED, bad))).toEqual([
      "model 'qwen3-32b' of LiteLLM (ConfigMap 'litellm/litellm-config') has 'gatewayUrl' http://inference-gateway.gateway.svc/llama/v1, which HTTPRoute 'models/llama' sends to pods serving meta-llama/Llama-3.1-8B-Instruct (LoRA adapters: sql, support), not chat; point 'gatewayUrl' at the route of chat",
    ]);
  });

  test('a URL without /v1', () => {
    const definition = definitionWith({ gateway: [GATEWAY, ...routes], models, litellm: [liteLlmConfig('http://inference-gateway.gateway.svc/qwen')] });
    expect(messages(run(LITELLM_GATEWAY_URL_ROUTED, definition))).toEqual([
      "model 'qwen3-32b' of LiteLLM (ConfigMap 'litellm/litellm-config') has 'gatewayUrl' http://inference-gateway.gateway.svc/qwen: HTTPRoute 'models/qwen' forwards /qwen/chat/completions as /chat/completions, but vLLM serves the OpenAI API under /v1; end 'gatewayUrl' with the route's prefix followed by /v1",
    ]);
  });

  test('a port without a listener', () => {
    const definition = definitionWith({ gateway: [GATEWAY, ...routes], models, litellm: [liteLlmConfig('http://inference-gateway.gateway.svc:8080/qwen/v1')] });
    expect(messages(run(LITELLM_GATEWAY_URL_ROUTED, definition))).toEqual([
      "model 'qwen3-32b' of LiteLLM (ConfigMap 'litellm/litellm-config') has 'gatewayUrl' http://inference-gateway.gateway.svc:8080/qwen/v1, but Gateway 'gateway/inference-gateway' has no listener on port 8080 (listeners: http:80); use the port of one of them",
    ]);
  });

  test('not applicable when models are called at their Services', () => {
    const definition = definitionWith({ models, litellm: [liteLlmConfig('http://qwen.models.svc:8000/v1')] });
    expect(run(LITELLM_GATEWAY_URL_ROUTED, definition).status).toBe(RuleStatus.NOT_APPLICABLE);
  });
});
