import { liteLlmConfigs, matchesPlainPath, routeParents, ruleMatches, serviceOfUrl } from '../private/routes';
import { Json, at, list, loraAdaptersBehind, servedNamesBehind } from '../private/workloads';
import { ClusterModel, ModelObject, label } from '../model';
import { IPlatformRule, RuleEvaluation, evaluation } from '../rule';

const HOSTED_VLLM = 'hosted_vllm/';

interface Hit {
  readonly route: ModelObject;
  readonly rule: Json;
  readonly matched: string;
  readonly exact: boolean;
}

/** The path the backend receives after the rule's URLRewrite (ReplacePrefixMatch / ReplaceFullPath). */
function rewritten(rule: Json, prefix: string, path: string): string {
  for (const f of list(rule, 'filters')) {
    if (at(f, 'type') !== 'URLRewrite') continue;
    const type = at(f, 'urlRewrite', 'path', 'type');
    if (type === 'ReplaceFullPath') return String(at(f, 'urlRewrite', 'path', 'replaceFullPath'));
    if (type === 'ReplacePrefixMatch') {
      const rest = path.slice(prefix.replace(/\/+$/, '').length);
      const to = String(at(f, 'urlRewrite', 'path', 'replacePrefixMatch')).replace(/\/+$/, '');
      return `${to}${rest.startsWith('/') ? rest : `/${rest}`}`;
    }
  }
  return path;
}

/**
 * A LiteLLM self-hosted model (`hosted_vllm/<name>`) whose `api_base` (`gatewayUrl`) points at a Gateway of the
 * platform reaches a route there: an HTTPRoute without header match takes `<path>/chat/completions`, hands the model
 * server a `/v1/...` path, and leads to pods serving that model name (or a LoRA adapter of that name).
 */
export const LITELLM_GATEWAY_URL_ROUTED: IPlatformRule = {
  id: 'litellm-gateway-url-routed',
  description: "A LiteLLM self-hosted model's gatewayUrl reaches an HTTPRoute of the Gateway that leads to the same served model",
  why: 'LiteLLM calls the URL as given: a path no route matches answers 404, and a route to another model answers with the wrong model or 404',
  example: "model 'qwen3-32b' of LiteLLM (ConfigMap 'litellm/litellm-config') has 'gatewayUrl' http://inference-gateway.gateway.svc/qwn/v1, but no HTTPRoute on Gateway 'gateway/inference-gateway' matches /qwn/v1/chat/completions without a header (routes there: PathPrefix /qwen (no header match)); point 'gatewayUrl' at one of them",
  evaluate(model: ClusterModel): RuleEvaluation {
    const findings: string[] = [];
    let applicable = false;
    for (const config of liteLlmConfigs(model)) {
      for (const e of config.entries) {
        if (!e.model.startsWith(HOSTED_VLLM) || e.apiBase === undefined) continue;
        const target = serviceOfUrl(e.apiBase);
        const gateway = target && model.find('Gateway', target.name, target.namespace);
        if (!target || !gateway) continue;
        applicable = true;
        const who = `model '${e.modelName}' of LiteLLM (${label(config.configMap)}) has 'gatewayUrl' ${e.apiBase}`;
        const gw = `Gateway '${target.namespace}/${target.name}'`;
        const port = target.url.port !== '' ? Number(target.url.port) : (target.url.protocol === 'https:' ? 443 : 80);
        const listeners = list(gateway.object, 'spec', 'listeners').filter((l) => at(l, 'port') === port).map((l) => String(at(l, 'name')));
        if (listeners.length === 0) {
          findings.push(`${who}, but ${gw} has no listener on port ${port} (listeners: ${list(gateway.object, 'spec', 'listeners').map((l) => `${at(l, 'name')}:${at(l, 'port')}`).join(', ')}); use the port of one of them`);
          continue;
        }
        const path = `${target.url.pathname.replace(/\/+$/, '')}/chat/completions`;
        const attached = model.ofKind('HTTPRoute').filter((r) => routeParents(r).some((p) =>
          p.gateway === target.name && p.namespace === target.namespace && (p.sectionName === undefined || listeners.includes(p.sectionName))));
        const hits: Hit[] = [];
        const seen: string[] = [];
        for (const route of attached) {
          for (const rule of list(route.object, 'spec', 'rules')) {
            for (const m of ruleMatches(rule)) {
              seen.push(m.text);
              if (matchesPlainPath(m, path)) hits.push({ route, rule, matched: m.path, exact: m.pathType === 'Exact' });
            }
          }
        }
        if (hits.length === 0) {
          findings.push(`${who}, but no HTTPRoute on ${gw} matches ${path} without a header (routes there: ${seen.length > 0 ? [...new Set(seen)].join(', ') : 'none'}); point 'gatewayUrl' at one of them`);
          continue;
        }
        // Gateway API precedence: an exact path first, then the longest prefix.
        const best = hits.sort((a, b) => Number(b.exact) - Number(a.exact) || b.matched.length - a.matched.length)[0];
        const forwarded = rewritten(best.rule, best.matched, path);
        if (!forwarded.startsWith('/v1/')) {
          findings.push(`${who}: ${label(best.route)} forwards ${path} as ${forwarded}, but vLLM serves the OpenAI API under /v1; end 'gatewayUrl' with the route's prefix followed by /v1`);
          continue;
        }
        const served = e.model.slice(HOSTED_VLLM.length);
        const backends = list(best.rule, 'backendRefs').map((b) =>
          [String(at(b, 'kind') ?? 'Service'), String(at(b, 'name')), String(at(b, 'namespace') ?? best.route.namespace)] as const);
        const names = [...new Set(backends.flatMap(([k, n, ns]) => servedNamesBehind(model, k, n, ns)))];
        // A LoRA adapter of the pods is served under its own name, next to the model's.
        const adapters = [...new Set(backends.flatMap(([k, n, ns]) => loraAdaptersBehind(model, k, n, ns)))];
        if (names.length > 0 && !names.includes(served) && !adapters.includes(served)) {
          const withAdapters = adapters.length > 0 ? ` (LoRA adapters: ${adapters.join(', ')})` : '';
          findings.push(`${who}, which ${label(best.route)} sends to pods serving ${names.join(', ')}${withAdapters}, not ${served}; point 'gatewayUrl' at the route of ${served}`);
        }
      }
    }
    return evaluation(applicable, findings);
  },
};
