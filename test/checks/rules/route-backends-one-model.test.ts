import { RuleStatus } from '../../../lib';
import { ROUTE_BACKENDS_ONE_MODEL } from '../../../lib/checks/rules/route-backends-one-model';
import { definitionWith, gpuDeployment, httpRoute, messages, run, service } from './cross-component-fixtures';

const canary = {
  matches: [{ path: { type: 'PathPrefix', value: '/llama' } }],
  backendRefs: [{ name: 'llama', port: 8000, weight: 90 }, { name: 'llama-fp8', port: 8000, weight: 10 }],
};

describe('route-backends-one-model', () => {
  test('compliant when the canary backends serve one name', () => {
    // GIVEN
    const definition = definitionWith({
      models: [
        gpuDeployment('llama', 'p', 1, 1, 'meta-llama/Llama-3.1-8B-Instruct'), service('llama'),
        gpuDeployment('llama-fp8', 'p', 1, 1, 'meta-llama/Llama-3.1-8B-Instruct'), service('llama-fp8'),
        httpRoute('llama', canary),
      ],
    });

    // WHEN / THEN
    expect(run(ROUTE_BACKENDS_ONE_MODEL, definition).status).toBe(RuleStatus.COMPLIANT);
  });

  test('a canary whose backends serve different names', () => {
    // GIVEN
    const definition = definitionWith({
      models: [
        gpuDeployment('llama', 'p', 1, 1, 'meta-llama/Llama-3.1-8B-Instruct'), service('llama'),
        gpuDeployment('llama-fp8', 'p', 1, 1, 'RedHatAI/Meta-Llama-3.1-8B-Instruct-FP8'), service('llama-fp8'),
        httpRoute('llama', canary),
      ],
    });

    // WHEN / THEN
    expect(messages(run(ROUTE_BACKENDS_ONE_MODEL, definition))).toEqual([
      "HTTPRoute 'models/llama' rule 1 sends requests to backends serving different model names (Service 'models/llama': meta-llama/Llama-3.1-8B-Instruct; Service 'models/llama-fp8': RedHatAI/Meta-Llama-3.1-8B-Instruct-FP8): clients asking for one name get 404 from the others; give every backend the same 'servedModelName'",
    ]);
  });

  test('not applicable when no backend runs a known model server', () => {
    const definition = definitionWith({ routes: [httpRoute('web', { backendRefs: [{ name: 'web', port: 80 }] })] });
    expect(run(ROUTE_BACKENDS_ONE_MODEL, definition).status).toBe(RuleStatus.NOT_APPLICABLE);
  });
});
