import { CrdBundleComponent, packagedCrdFile } from '../../core/crd-bundle';
import { PlatformDefinition } from '../../core/platform-definition';

/** Gateway API Inference Extension release whose CRDs (InferencePool v1) the platform installs. */
export const GATEWAY_API_INFERENCE_EXTENSION_VERSION = 'v1.6.0';
/** llm-d router release whose CRDs (InferenceObjective, InferenceModelRewrite; `llm-d.ai/v1alpha2`) the platform installs. */
export const LLM_D_ROUTER_VERSION = 'v0.10.0';

/**
 * The CRDs llm-d routing needs, installed once per platform (stage CRDS) from the upstream files of the pinned
 * releases shipped with the package: GIE `config/crd/bases` (InferencePool, InferencePoolImport; what its release
 * `manifests.yaml` holds) and the llm-d router's `config/crd/bases` (InferenceObjective, InferenceModelRewrite). The
 * gateway layer uses the same component.
 */
export function ensureInferenceExtensionCrds(definition: PlatformDefinition): CrdBundleComponent {
  const existing = definition.node.tryFindChild('InferenceExtensionCrds');
  if (CrdBundleComponent.isCrdBundle(existing)) return existing;
  const gie = `gateway-api-inference-extension-${GATEWAY_API_INFERENCE_EXTENSION_VERSION}`;
  const llmd = `llm-d-router-${LLM_D_ROUTER_VERSION}`;
  return new CrdBundleComponent(definition, 'InferenceExtensionCrds', {
    name: 'inference-extension-crds',
    description: `Gateway API Inference Extension ${GATEWAY_API_INFERENCE_EXTENSION_VERSION} and llm-d router ${LLM_D_ROUTER_VERSION} CRDs`,
    files: [
      packagedCrdFile(gie, 'inference.networking.k8s.io_inferencepools.yaml'),
      packagedCrdFile(gie, 'inference.networking.x-k8s.io_inferencepoolimports.yaml'),
      packagedCrdFile(llmd, 'llm-d.ai_inferenceobjectives.yaml'),
      packagedCrdFile(llmd, 'llm-d.ai_inferencemodelrewrites.yaml'),
    ],
  });
}
