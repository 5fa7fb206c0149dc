import { liteLlmConfigs, serviceOfUrl } from '../private/routes';
import { Json, at, isWorkload, list, podGroups } from '../private/workloads';
import { ClusterModel, ModelObject, label } from '../model';
import { IPlatformRule, RuleEvaluation, evaluation } from '../rule';

/** Pod templates of any object that runs pods, CronJobs and Jobs included. */
function templates(o: ModelObject): Json[] {
  if (o.kind === 'CronJob') return [at(o.object, 'spec', 'jobTemplate', 'spec', 'template') as Json].filter(Boolean);
  if (o.kind === 'Job') return [at(o.object, 'spec', 'template') as Json].filter(Boolean);
  return isWorkload(o) ? podGroups(o).map((g) => g.template) : [];
}

/** The literal value of an environment variable of a container. */
function env(container: Json, name: string): string | undefined {
  const e = list(container, 'env').find((x) => at(x, 'name') === name);
  const v = at(e, 'value');
  return typeof v === 'string' ? v : undefined;
}

/**
 * An evaluation's judge model (`JUDGE_MODEL`, from `judge.model`) is served by the LiteLLM its `OPENAI_BASE_URL`
 * (`judge.litellmUrl`) points at: a `model_name` of that LiteLLM's config.
 */
export const EVALUATION_JUDGE_MODEL_EXISTS: IPlatformRule = {
  id: 'evaluation-judge-model-exists',
  description: "An evaluation's judge model is a model name of the LiteLLM its judge URL points at",
  why: 'LiteLLM answers 400 for a model name it does not know: every scheduled evaluation run fails without scoring anything',
  example: "CronJob 'team-a/rag-nightly' judges with model 'claude' ('judge.model'), which LiteLLM at http://litellm.litellm.svc:4000/v1 does not serve (its models: qwen3-32b, claude-sonnet); use one of them or add it to LiteLLM's 'models'",
  evaluate(model: ClusterModel): RuleEvaluation {
    const configs = liteLlmConfigs(model);
    const findings: string[] = [];
    let applicable = false;
    for (const o of model.objects) {
      for (const t of templates(o)) {
        for (const c of list(t, 'spec', 'containers')) {
          const judge = env(c, 'JUDGE_MODEL');
          const base = env(c, 'OPENAI_BASE_URL');
          if (judge === undefined || base === undefined) continue;
          const svc = serviceOfUrl(base);
          if (!svc || !model.find('Service', svc.name, svc.namespace)) continue;
          const config = configs.find((x) => x.configMap.namespace === svc.namespace);
          if (!config) continue;
          applicable = true;
          const names = [...new Set(config.entries.map((e) => e.modelName))];
          if (!names.includes(judge)) {
            findings.push(`${label(o)} judges with model '${judge}' ('judge.model'), which LiteLLM at ${base} does not serve (its models: ${names.join(', ')}); use one of them or add it to LiteLLM's 'models'`);
          }
        }
      }
    }
    return evaluation(applicable, findings);
  },
};
