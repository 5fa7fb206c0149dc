import { isKagent } from '../private/kagent';
import { liteLlmConfigs, serviceOfUrl } from '../private/routes';
import { rec, str } from '../private/selectors';
import { ClusterModel, label } from '../model';
import { IPlatformRule, RuleEvaluation, evaluation } from '../rule';

/** Whether a LiteLLM `model_name` takes requests for `name` (LiteLLM's wildcard routing: `*`, `openai/*`). */
function servesName(modelName: string, name: string): boolean {
  if (!modelName.includes('*')) return modelName === name;
  const escaped = modelName.split('*').map((part) => part.replace(/[.+?^$()|[\]{}\\]/g, '\\$&'));
  const pattern = new RegExp('^' + escaped.join('.*') + '$');
  return pattern.test(name);
}

/**
 * A kagent ModelConfig (`kagent.dev`) whose OpenAI base URL (`spec.openAI.baseUrl`) is a LiteLLM of the platform (an
 * in-cluster Service URL, in the namespace of a LiteLLM config, as `evaluation-judge-model-exists` finds it) names in
 * `spec.model` a model that LiteLLM serves: a `model_name` of its config (wildcard names such as `openai/*` match).
 */
export const AGENT_MODEL_SERVED: IPlatformRule = {
  id: 'agent-model-served',
  description: "An agent's ModelConfig that reaches the platform's LiteLLM names a model LiteLLM serves",
  why: 'LiteLLM answers 400 for a model name it does not know: the agent is deployed but fails every request',
  example: "ModelConfig 'agents/rag-model' names model 'qwen3' (spec.model), which LiteLLM at http://litellm.litellm.svc:4000/v1 does not serve (its models: qwen3-32b, claude-sonnet); fix: use one of them or add it to LiteLLM's 'models'",
  evaluate(model: ClusterModel): RuleEvaluation {
    const configs = liteLlmConfigs(model);
    const findings: string[] = [];
    let applicable = false;
    for (const mc of model.ofKind('ModelConfig').filter((o) => isKagent(o, ['ModelConfig']))) {
      const spec = rec(mc.object.spec);
      const base = str(rec(spec.openAI).baseUrl);
      const name = str(spec.model);
      if (base === undefined || name === undefined) continue;
      const svc = serviceOfUrl(base);
      if (!svc || model.services(svc.namespace).every((s) => s.name !== svc.name)) continue;
      const config = configs.find((x) => x.configMap.namespace === svc.namespace);
      if (!config) continue;
      applicable = true;
      const names = [...new Set(config.entries.map((e) => e.modelName))];
      if (!names.some((n) => servesName(n, name))) {
        findings.push(`${label(mc)} names model '${name}' (spec.model), which LiteLLM at ${base} does not serve (its models: ${names.join(', ')}); `
          + "fix: use one of them or add it to LiteLLM's 'models'");
      }
    }
    return evaluation(applicable, findings);
  },
};
