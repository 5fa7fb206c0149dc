import { PlatformDefinition } from '../../core/platform-definition';
import { UpstreamManifestsComponent } from '../../core/upstream-manifests';

/** Gateway API Inference Extension release whose CRDs (InferencePool v1) the platform installs. */
export const GATEWAY_API_INFERENCE_EXTENSION_VERSION = 'v1.6.0';
/** llm-d router release whose CRDs (InferenceObjective, InferenceModelRewrite; `llm-d.ai/v1alpha2`) the platform installs. */
export const LLM_D_ROUTER_VERSION = 'v0.10.0';

/**
 * The CRDs llm-d routing needs, installed once per platform (stage CRDS) from their pinned upstream release files:
 * GIE `manifests.yaml` (apps.md §2) and the llm-d router's `config/crd/bases` at its tag. The gateway layer uses the
 * same component.
 */
export function ensureInferenceExtensionCrds(definition: PlatformDefinition): UpstreamManifestsComponent {
  const existing = definition.node.tryFindChild('InferenceExtensionCrds');
  if (UpstreamManifestsComponent.isUpstreamManifests(existing)) return existing;
  const llmd = `https://raw.githubusercontent.com/llm-d/llm-d-router/${LLM_D_ROUTER_VERSION}/config/crd/bases`;
  return new UpstreamManifestsComponent(definition, 'InferenceExtensionCrds', {
    name: 'inference-extension-crds',
    description: `Gateway API Inference Extension ${GATEWAY_API_INFERENCE_EXTENSION_VERSION} and llm-d router ${LLM_D_ROUTER_VERSION} CRDs`,
    urls: [
      `https://github.com/kubernetes-sigs/gateway-api-inference-extension/releases/download/${GATEWAY_API_INFERENCE_EXTENSION_VERSION}/manifests.yaml`,
      `${llmd}/llm-d.ai_inferenceobjectives.yaml`,
      `${llmd}/llm-d.ai_inferencemodelrewrites.yaml`,
    ],
  });
}
