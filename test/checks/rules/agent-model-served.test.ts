import { RuleStatus } from '../../../lib';
import { AGENT_MODEL_SERVED } from '../../../lib/checks/rules/agent-model-served';
import { LITELLM, modelConfig } from './agent-fixtures';
import { definitionWith, messages, run } from './cross-component-fixtures';

describe('agent-model-served', () => {
  test('compliant when LiteLLM serves the model; a wildcard model name serves matching names', () => {
    // GIVEN
    const wildcard = [LITELLM[0], { ...LITELLM[1], data: { 'config.yaml': 'model_list:\n  - model_name: openai/*\n    litellm_params: { model: openai/* }\n' } }];
    // WHEN / THEN
    expect(run(AGENT_MODEL_SERVED, definitionWith({ litellm: LITELLM, agents: [modelConfig('rag-model', 'claude-sonnet')] })).status).toBe(RuleStatus.COMPLIANT);
    expect(run(AGENT_MODEL_SERVED, definitionWith({ litellm: wildcard, agents: [modelConfig('rag-model', 'openai/gpt-4.1')] })).status).toBe(RuleStatus.COMPLIANT);
  });

  test('a model LiteLLM does not serve', () => {
    expect(messages(run(AGENT_MODEL_SERVED, definitionWith({ litellm: LITELLM, agents: [modelConfig('rag-model', 'qwen3')] })))).toEqual([
      "ModelConfig 'agents/rag-model' names model 'qwen3' (spec.model), which LiteLLM at http://litellm.litellm.svc:4000/v1 does not serve (its models: qwen3-32b, claude-sonnet); fix: use one of them or add it to LiteLLM's 'models'",
    ]);
  });

  test('not applicable when the base URL is not a LiteLLM of the platform (no LiteLLM, or another provider)', () => {
    expect(run(AGENT_MODEL_SERVED, definitionWith({ agents: [modelConfig('rag-model', 'qwen3')] })).status).toBe(RuleStatus.NOT_APPLICABLE);
    const bedrock = { apiVersion: 'kagent.dev/v1alpha2', kind: 'ModelConfig', metadata: { name: 'b', namespace: 'agents' }, spec: { provider: 'Bedrock', model: 'x', bedrock: { region: 'us-west-2' } } };
    expect(run(AGENT_MODEL_SERVED, definitionWith({ litellm: LITELLM, agents: [bedrock] })).status).toBe(RuleStatus.NOT_APPLICABLE);
  });
});
