import { RuleStatus } from '../../../lib';
import { EVALUATION_JUDGE_MODEL_EXISTS } from '../../../lib/checks/rules/evaluation-judge-model-exists';
import { definitionWith, messages, run } from './cross-component-fixtures';

const LITELLM = [
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'litellm', namespace: 'litellm' }, spec: { selector: { app: 'litellm' }, ports: [{ port: 4000 }] } },
  {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'litellm-config', namespace: 'litellm' },
    data: { 'config.yaml': 'model_list:\n  - model_name: qwen3-32b\n    litellm_params: { model: hosted_vllm/Qwen/Qwen3-32B }\n  - model_name: claude-sonnet\n    litellm_params: { model: bedrock/x }\n' },
  },
];

function cronJob(judge: string): Record<string, unknown> {
  return {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'rag-nightly', namespace: 'team-a' },
    spec: {
      schedule: '0 3 * * *',
      jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{
        name: 'evaluate', image: 'eval',
        env: [{ name: 'OPENAI_BASE_URL', value: 'http://litellm.litellm.svc:4000/v1' }, { name: 'JUDGE_MODEL', value: judge }],
      }] } } } },
    },
  };
}

describe('evaluation-judge-model-exists', () => {
  test('compliant when LiteLLM serves the judge', () => {
    expect(run(EVALUATION_JUDGE_MODEL_EXISTS, definitionWith({ litellm: LITELLM, evaluation: [cronJob('claude-sonnet')] })).status)
      .toBe(RuleStatus.COMPLIANT);
  });

  test('a judge LiteLLM does not serve', () => {
    expect(messages(run(EVALUATION_JUDGE_MODEL_EXISTS, definitionWith({ litellm: LITELLM, evaluation: [cronJob('claude')] })))).toEqual([
      "CronJob 'team-a/rag-nightly' judges with model 'claude' ('judge.model'), which LiteLLM at http://litellm.litellm.svc:4000/v1 does not serve (its models: qwen3-32b, claude-sonnet); use one of them or add it to LiteLLM's 'models'",
    ]);
  });

  test('not applicable when the judge URL is not a LiteLLM of the platform', () => {
    expect(run(EVALUATION_JUDGE_MODEL_EXISTS, definitionWith({ evaluation: [cronJob('claude')] })).status).toBe(RuleStatus.NOT_APPLICABLE);
  });
});
