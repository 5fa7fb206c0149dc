import { RuleStatus } from '../../../lib';
import { KEDA_TARGETS } from '../../../lib/checks/rules/keda-targets';
import { addComponent, check, definition, deployment, podSpec, service } from '../fixtures';

function scaledObject(name: string, target: Record<string, unknown>, query: string) {
  return {
    apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name, namespace: 'models' },
    spec: { scaleTargetRef: target, triggers: [{ type: 'prometheus', name: 'queue', metadata: { serverAddress: 'http://prom:9090', query, threshold: '5' } }] },
  };
}

const SERVES = (model: string) => podSpec({}, { args: [model, '--served-model-name', 'llama'] });

function twoModels() {
  return [
    deployment('llama', 'models', { model: 'llama' }, SERVES('meta/llama')),
    deployment('llama-fp8', 'models', { model: 'llama-fp8' }, SERVES('redhat/llama-fp8')),
    service('llama', 'models', { model: 'llama' }, [{ name: 'http', port: 8000, targetPort: 'http' }]),
  ];
}

describe('keda-targets', () => {
  test('compliant: queries pinned by pod regex, by a Service selecting only the target, by a model name only the target serves', () => {
    // GIVEN
    const def = definition();
    addComponent(def, 'app', [
      ...twoModels(),
      deployment('qwen', 'models', { model: 'qwen' }, podSpec({}, { args: ['Qwen/Qwen3-32B'] })),
      scaledObject('a', { name: 'llama' }, 'sum(vllm:num_requests_waiting{namespace="models",pod=~"llama-[a-z0-9]+-[a-z0-9]+"})'),
      scaledObject('b', { name: 'llama' }, 'sum by (pod) (rate(vllm:x{namespace="models", service="llama"}[1m]))'),
      scaledObject('c', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'qwen' }, 'sum(vllm:num_requests_waiting{namespace="models",model_name="Qwen/Qwen3-32B"})'),
    ]);
    // WHEN / THEN
    expect(check(KEDA_TARGETS, def)).toEqual({ status: RuleStatus.COMPLIANT, messages: [] });
  });

  test('non-compliant: a missing target, a shared model name, a pod regex that also matches a sibling, a selector without namespace', () => {
    // GIVEN
    const def = definition();
    addComponent(def, 'app', [
      ...twoModels(),
      scaledObject('gone', { name: 'nope' }, 'sum(x)'),
      scaledObject('shared', { name: 'llama' }, 'sum(vllm:num_requests_waiting{namespace="models",model_name="llama"})'),
      scaledObject('prefix', { name: 'llama' }, 'sum(vllm:num_requests_waiting{namespace="models",pod=~"llama-.*"})'),
      scaledObject('bare', { name: 'llama' }, 'sum(vllm:num_requests_waiting) / sum(up{service="llama"})'),
    ]);
    // WHEN / THEN
    expect(check(KEDA_TARGETS, def).messages).toEqual([
      "ScaledObject 'models/gone' scaleTargetRef apps/v1 Deployment 'models/nope' is not a workload of the platform; fix: name a Deployment, StatefulSet or LeaderWorkerSet in 'models' (apiVersion and kind default to apps/v1 Deployment)",
      "ScaledObject 'models/shared' trigger 'queue' selector vllm:num_requests_waiting{namespace=\"models\",model_name=\"llama\"} is not pinned to Deployment 'models/llama': model_name=\"llama\" is also served by Deployment 'models/llama-fp8' in 'models'; fix: add namespace=\"models\" and pod=~\"llama-...\" (matching only its pods) or service=\"<a Service selecting only its pods>\" to the selector",
      "ScaledObject 'models/prefix' trigger 'queue' selector vllm:num_requests_waiting{namespace=\"models\",pod=~\"llama-.*\"} is not pinned to Deployment 'models/llama': pod=~\"llama-.*\" also matches the pods of Deployment 'models/llama-fp8'; fix: add namespace=\"models\" and pod=~\"llama-...\" (matching only its pods) or service=\"<a Service selecting only its pods>\" to the selector",
      "ScaledObject 'models/bare' trigger 'queue' selector up{service=\"llama\"} is not pinned to Deployment 'models/llama': has no namespace=\"models\" matcher, so it also reads pods of other namespaces; fix: add namespace=\"models\" and pod=~\"llama-...\" (matching only its pods) or service=\"<a Service selecting only its pods>\" to the selector",
      "ScaledObject 'models/bare' trigger 'queue' selector vllm:num_requests_waiting is not pinned to Deployment 'models/llama': has no namespace=\"models\" matcher, so it also reads pods of other namespaces; fix: add namespace=\"models\" and pod=~\"llama-...\" (matching only its pods) or service=\"<a Service selecting only its pods>\" to the selector",
    ]);
  });
});
