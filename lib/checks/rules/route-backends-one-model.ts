import { at, list, servedNamesBehind } from '../private/workloads';
import { ClusterModel, label } from '../model';
import { IPlatformRule, RuleEvaluation, evaluation } from '../rule';

/**
 * Every backend of one HTTPRoute rule (a canary's weighted backends, a Service, an InferencePool) serves the same
 * `--served-model-name`. Backends whose pods are not vLLM servers the platform knows are left out.
 */
export const ROUTE_BACKENDS_ONE_MODEL: IPlatformRule = {
  id: 'route-backends-one-model',
  description: 'All backends of one HTTPRoute rule (e.g. a canary) serve the same --served-model-name',
  why: 'Clients send one model name; a backend serving another name answers 404 for the share of requests the route sends it',
  example: "HTTPRoute 'models/llama-3-1-8b' rule 1 sends requests to backends serving different model names (Service 'models/llama-3-1-8b': meta-llama/Llama-3.1-8B-Instruct; Service 'models/llama-3-1-8b-fp8': RedHatAI/Meta-Llama-3.1-8B-Instruct-FP8): clients asking for one name get 404 from the others; give every backend the same 'servedModelName'",
  evaluate(model: ClusterModel): RuleEvaluation {
    const findings: string[] = [];
    let applicable = false;
    for (const route of model.ofKind('HTTPRoute')) {
      list(route.object, 'spec', 'rules').forEach((rule, i) => {
        const backends = list(rule, 'backendRefs').map((b) => {
          const kind = String(at(b, 'kind') ?? 'Service');
          const namespace = String(at(b, 'namespace') ?? route.namespace);
          const name = String(at(b, 'name'));
          return { what: `${kind} '${namespace}/${name}'`, names: servedNamesBehind(model, kind, name, namespace) };
        }).filter((b) => b.names.length > 0);
        if (backends.length === 0) return;
        applicable = true;
        const all = new Set(backends.flatMap((b) => b.names));
        if (all.size > 1) {
          findings.push(`${label(route)} rule ${i + 1} sends requests to backends serving different model names (${backends.map((b) => `${b.what}: ${b.names.join(', ')}`).join('; ')}): clients asking for one name get 404 from the others; give every backend the same 'servedModelName'`);
        }
      });
    }
    return evaluation(applicable, findings);
  },
};
