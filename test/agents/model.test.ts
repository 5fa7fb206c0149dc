import { AgentModel, AgentModelProvider } from '../../lib';
import { agentsPlatform } from './fixtures';

describe('AgentModel', () => {
  const { litellm } = agentsPlatform();

  test('liteLlm: provider, model, LiteLLM and options', () => {
    const m = AgentModel.liteLlm(litellm, 'claude-sonnet', { temperature: 0.3, maxTokens: 2048 });
    expect([m.provider, m.model, m.litellm, m.temperature, m.maxTokens]).toEqual([AgentModelProvider.LITELLM, 'claude-sonnet', litellm, 0.3, 2048]);
    expect(() => m.checkServed('ops')).not.toThrow();
  });

  test('liteLlm: a model the platform\'s LiteLLM does not serve fails checkServed', () => {
    expect(() => AgentModel.liteLlm(litellm, 'gpt-5').checkServed('ops')).toThrow(
      "'model' (gpt-5) of agent 'ops' is not a model LiteLLM at http://litellm.litellm.svc:4000 serves (its models: claude-sonnet, gpt-4.1-mini); use one of them or add it to LiteLLM's 'models'");
  });

  test('liteLlm: another ILiteLlm is not checked', () => {
    const other = { url: 'http://llm.example.com', addVirtualKey: () => { throw new Error('unused'); } };
    expect(() => AgentModel.liteLlm(other, 'anything').checkServed('ops')).not.toThrow();
  });

  test('bedrock: model id, region, inference profiles', () => {
    const m = AgentModel.bedrock('anthropic.claude-3-haiku-20240307-v1:0', { region: 'us-west-2' });
    expect([m.provider, m.model, m.region, m.isInferenceProfile]).toEqual([AgentModelProvider.BEDROCK, 'anthropic.claude-3-haiku-20240307-v1:0', 'us-west-2', false]);
    const p = AgentModel.bedrock('us.anthropic.claude-sonnet-4-20250514-v1:0', { region: 'us-east-1' });
    expect([p.isInferenceProfile, p.foundationModelId]).toEqual([true, 'anthropic.claude-sonnet-4-20250514-v1:0']);
    expect(() => p.checkServed('ops')).not.toThrow();
  });

  test('errors', () => {
    expect(() => AgentModel.liteLlm(litellm, 'claude-sonnet', { temperature: 3 })).toThrow("'temperature' (3) of model 'claude-sonnet' must be a number from 0 to 2");
    expect(() => AgentModel.liteLlm(litellm, 'claude-sonnet', { maxTokens: 0 })).toThrow("'maxTokens' (0) of model 'claude-sonnet' must be an integer of at least 1");
    expect(() => AgentModel.liteLlm(litellm, ' ')).toThrow("'model' must not be empty");
    expect(() => AgentModel.bedrock('claude sonnet', { region: 'us-west-2' })).toThrow("'modelId' (claude sonnet) must be a Bedrock model or inference profile id");
    expect(() => AgentModel.bedrock('anthropic.x', { region: 'oregon' })).toThrow("'region' (oregon) of Bedrock model 'anthropic.x' must be an AWS region such as us-east-1");
  });
});
