import { GatewayImplementation, GpuModel, ModelSpec } from '../../lib';
import { expectValidK8sObjects } from '../k8s-schema';
import { find, objects, testPlatform } from '../util';

function platformWithModels(implementation?: GatewayImplementation) {
  const platform = testPlatform({ gateway: { implementation } });
  const pool = platform.gpu.addNodePool('l40s', { gpus: [GpuModel.L40S], limits: { gpus: 32 } });
  const routed = platform.serving.addModel('Qwen', { name: 'qwen', spec: ModelSpec.QWEN3_32B, pools: [pool], routing: {} });
  const plain = platform.serving.addModel('Llama', { name: 'llama', spec: ModelSpec.LLAMA_3_1_8B, pools: [pool] });
  return { platform, routed, plain };
}

describe('GatewayLayer', () => {
  test('nothing is installed until the first route', () => {
    const { platform } = platformWithModels();
    expect(platform.definition.components.map((c) => c.componentName)).not.toContain('agentgateway');
  });

  test('routeModel sends a model with llm-d routing to its InferencePool, others to their Service', () => {
    const { platform, routed, plain } = platformWithModels();
    const a = platform.gateway.routeModel('Qwen', routed);
    const b = platform.gateway.routeModel('Llama', plain);
    const objs = objects(platform.gateway.gateway.component);
    expect(find(objs, 'HTTPRoute', a.routeName).spec.rules[0].backendRefs)
      .toEqual([{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'qwen-qwen3-32b' }]);
    expect(find(objs, 'HTTPRoute', b.routeName).spec.rules[0].backendRefs).toEqual([{ name: 'llama', port: 8000 }]);
    expect(platform.definition.components.map((c) => c.componentName)).toEqual(expect.arrayContaining(['agentgateway', 'agentgateway-crds', 'gateway-api-crds']));
    expect(platform.gateway.url).toBe('http://inference-gateway.gateway.svc');
    expectValidK8sObjects(objs);
  });

  test('kgateway refuses an InferencePool backend', () => {
    const { platform, routed } = platformWithModels(GatewayImplementation.KGATEWAY);
    expect(() => platform.gateway.routeModel('Qwen', routed))
      .toThrow("kgateway cannot route to InferencePool 'qwen-qwen3-32b': the Gateway API Inference Extension moved to agentgateway; use GatewayImplementation.AGENTGATEWAY");
  });

  test('canary weights must add up to 100', () => {
    const { platform, routed, plain } = platformWithModels();
    expect(() => platform.gateway.addCanary('C', {
      name: 'canary', namespace: 'models', backends: [{ model: plain, weight: 90 }, { model: routed, weight: 5 }],
    })).toThrow("canary weights of route 'canary' add up to 95, not 100");
  });
});

describe('GatewayLayer routes under a prefix', () => {
  test('strip the prefix before forwarding (model servers answer on /v1)', () => {
    const { platform, plain } = platformWithModels();
    const r = platform.gateway.routeModel('Llama', plain, { pathPrefix: '/llama' });
    const rule = find(objects(platform.gateway.gateway.component), 'HTTPRoute', r.routeName).spec.rules[0];
    expect(rule.matches).toEqual([{ path: { type: 'PathPrefix', value: '/llama' } }]);
    expect(rule.filters).toEqual([{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }]);
  });

  test('a route at / needs no rewrite', () => {
    const { platform, plain } = platformWithModels();
    const r = platform.gateway.routeModel('Llama', plain);
    expect(find(objects(platform.gateway.gateway.component), 'HTTPRoute', r.routeName).spec.rules[0].filters).toBeUndefined();
  });
});

describe('GatewayLayer.addLiteLlm', () => {
  test('wires the definition, cluster and secrets of the platform', () => {
    const { platform, routed } = platformWithModels();
    const { LiteLlmModel } = require('../../lib');
    const litellm = platform.gateway.addLiteLlm({ models: [LiteLlmModel.selfHosted('qwen', routed)] });
    expect(platform.definition.components.map((c) => c.componentName)).toContain('litellm');
    expect(litellm.url).toBe('http://litellm.litellm.svc:4000');
    expect(litellm.node.path).toBe('Test/LiteLlm'); // the path of releases before the gateway layer owned it: same logical ids
    expect(platform.gateway.liteLlm).toBe(litellm);
  });

  test('defaults: no LiteLLM until added; added without models, models come later', () => {
    const { platform, routed } = platformWithModels();
    expect(platform.gateway.liteLlm).toBeUndefined();
    const { LiteLlmModel } = require('../../lib');
    const litellm = platform.gateway.addLiteLlm();
    litellm.addModel(LiteLlmModel.selfHosted('qwen', routed));
    expect(litellm.modelList.map((m: { name: string }) => m.name)).toEqual(['qwen']);
  });

  test('only once', () => {
    const { platform } = platformWithModels();
    platform.gateway.addLiteLlm();
    expect(() => platform.gateway.addLiteLlm()).toThrow('LiteLLM is already added to this platform');
  });
});

describe('prompt guard', () => {
  test('an AgentgatewayPolicy rejects prompts matching patterns or built-in detectors', () => {
    const { platform, routed } = platformWithModels();
    const route = platform.gateway.routeModel('Qwen', routed);
    const { PromptGuardBuiltin } = require('../../lib');
    platform.gateway.addPromptGuard('Guard', route, { denyPatterns: ['(?i)ignore previous instructions'], builtins: [PromptGuardBuiltin.CREDIT_CARD], rejectMessage: 'no' });
    const objs = objects(platform.gateway.gateway.component);
    const policy = find(objs, 'AgentgatewayPolicy', `${route.routeName}-prompt-guard`);
    expect(policy.spec).toEqual({
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: route.routeName }],
      backend: { ai: { promptGuard: { request: [{
        regex: { action: 'Reject', matches: ['(?i)ignore previous instructions'], builtins: ['CreditCard'] },
        response: { message: 'no' },
      }] } } },
    });
    expectValidK8sObjects(objs);
  });

  test('needs agentgateway', () => {
    const { platform, plain } = platformWithModels(GatewayImplementation.KGATEWAY);
    const route = platform.gateway.routeModel('Llama', plain);
    expect(() => platform.gateway.addPromptGuard('Guard', route, { denyPatterns: ['x'] }))
      .toThrow(`prompt guard on route '${route.routeName}' needs agentgateway: kgateway has no AI policies (use GatewayImplementation.AGENTGATEWAY)`);
  });

  test('needs something to look for', () => {
    const { platform, plain } = platformWithModels();
    const route = platform.gateway.routeModel('Llama', plain);
    expect(() => platform.gateway.addPromptGuard('Guard', route, {}))
      .toThrow(`prompt guard on route '${route.routeName}' needs at least one of 'denyPatterns' or 'builtins'`);
  });
});
