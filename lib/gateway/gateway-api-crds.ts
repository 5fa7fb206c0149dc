import { PlatformDefinition } from '../core/platform-definition';
import { UpstreamManifestsComponent } from '../core/upstream-manifests';

/** Gateway API release whose standard-channel CRDs (Gateway, HTTPRoute, GRPCRoute, ReferenceGrant, ...) the platform installs. */
export const GATEWAY_API_VERSION = 'v1.6.1';

/**
 * The Gateway API standard-channel CRDs, installed once per platform (stage CRDS) from the pinned upstream release
 * file `standard-install.yaml`, applied server-side by a Job in both renderings. Both gateway controllers
 * (agentgateway, kgateway) expect these CRDs to exist before they start.
 * @see https://gateway-api.sigs.k8s.io/guides/#installing-gateway-api
 */
export function ensureGatewayApiCrds(definition: PlatformDefinition): UpstreamManifestsComponent {
  const existing = definition.node.tryFindChild('GatewayApiCrds');
  if (UpstreamManifestsComponent.isUpstreamManifests(existing)) return existing;
  return new UpstreamManifestsComponent(definition, 'GatewayApiCrds', {
    name: 'gateway-api-crds',
    description: `Gateway API ${GATEWAY_API_VERSION} standard-channel CRDs`,
    urls: [`https://github.com/kubernetes-sigs/gateway-api/releases/download/${GATEWAY_API_VERSION}/standard-install.yaml`],
  });
}
