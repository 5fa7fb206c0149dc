import { ContainerImage, LiteLlm, LiteLlmModel, PlatformStack, PlatformStackProps } from '../../lib';
import { addGeneralPool, testPlatform } from '../util';

/** A test platform for agents: a general pool, Langfuse with the collector, and LiteLLM serving two models. */
export interface AgentsFixture {
  readonly platform: PlatformStack;
  readonly litellm: LiteLlm;
}

/** The fixture; `tracing: false` leaves the collector out. */
export function agentsPlatform(props: Partial<PlatformStackProps> = {}, options: { collector?: boolean } = {}): AgentsFixture {
  const platform = testPlatform(props);
  addGeneralPool(platform);
  const langfuse = platform.observability.addLangfuse({ initialization: { organization: 'Test', project: 'test' } });
  if (options.collector !== false) platform.observability.addOtelCollector();
  const litellm = platform.gateway.addLiteLlm({
    models: [
      LiteLlmModel.bedrock('claude-sonnet', { modelId: 'us.anthropic.claude-sonnet-4-20250514-v1:0', region: 'us-west-2' }),
      LiteLlmModel.openAi('gpt-4.1-mini', { model: 'gpt-4.1-mini', apiKeySecret: { name: 'openai', key: 'OPENAI_API_KEY' } }),
    ],
    langfuse,
  });
  return { platform, litellm };
}

/** The kagent tool server image (read-only Kubernetes tools over MCP). */
export const TOOLS_IMAGE = ContainerImage.KAGENT_TOOLS;

/** Tool names the read-only kagent tool server offers for Kubernetes (kagent-dev/tools@v0.2.1 pkg/k8s). */
export const K8S_READ_TOOLS = ['k8s_get_resources', 'k8s_describe_resource', 'k8s_get_pod_logs', 'k8s_get_events'];
