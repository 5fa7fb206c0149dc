import { CrdBundleComponent, packagedCrdFile } from '../core/crd-bundle';
import { PlatformDefinition } from '../core/platform-definition';

/** Gateway API release whose standard-channel CRDs (Gateway, HTTPRoute, GRPCRoute, ReferenceGrant, ...) the platform installs. */
export const GATEWAY_API_VERSION = 'v1.6.1';

/** The standard-channel CRD files of {@link GATEWAY_API_VERSION} shipped under `crds/` (upstream `config/crd/standard/`). */
const GATEWAY_API_CRD_FILES = [
  'gateway.networking.k8s.io_gatewayclasses.yaml',
  'gateway.networking.k8s.io_gateways.yaml',
  'gateway.networking.k8s.io_httproutes.yaml',
  'gateway.networking.k8s.io_grpcroutes.yaml',
  'gateway.networking.k8s.io_referencegrants.yaml',
  'gateway.networking.k8s.io_backendtlspolicies.yaml',
  'gateway.networking.k8s.io_listenersets.yaml',
];

/**
 * The Gateway API standard-channel CRDs, installed once per platform (stage CRDS) from the upstream files of the
 * pinned release shipped with the package (`crds/gateway-api-v1.6.1/`). Both gateway controllers (agentgateway,
 * kgateway) expect these CRDs to exist before they start.
 * @see https://gateway-api.sigs.k8s.io/guides/#installing-gateway-api
 */
export function ensureGatewayApiCrds(definition: PlatformDefinition): CrdBundleComponent {
  const existing = definition.node.tryFindChild('GatewayApiCrds');
  if (CrdBundleComponent.isCrdBundle(existing)) return existing;
  return new CrdBundleComponent(definition, 'GatewayApiCrds', {
    name: 'gateway-api-crds',
    description: `Gateway API ${GATEWAY_API_VERSION} standard-channel CRDs`,
    files: GATEWAY_API_CRD_FILES.map((f) => packagedCrdFile(`gateway-api-${GATEWAY_API_VERSION}`, f)),
  });
}
