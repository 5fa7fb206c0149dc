import { Construct } from 'constructs';
import { ensureGatewayApiCrds } from './gateway-api-crds';
import { HelmComponent, Stage } from '../core/component';
import { CrdBundleComponent } from '../core/crd-bundle';
import { JsonObject } from '../core/deep-merge';
import { PlatformDefinition } from '../core/platform-definition';
import { SYSTEM_NODE_TOLERATION } from '../core/scheduling';
import { ensureInferenceExtensionCrds } from '../serving/llm-d/crds';
import { HelmChartVersion } from '../versions';

/** Which Gateway API implementation runs the platform's gateways. */
export enum GatewayImplementation {
  /**
   * agentgateway (Rust data plane): GatewayClass `agentgateway`; routes to InferencePools (Gateway API Inference
   * Extension, llm-d) and carries the AI policies.
   */
  AGENTGATEWAY = 'agentgateway',
  /**
   * kgateway (Envoy data plane): GatewayClass `kgateway`. Routes to Services only: the Inference Extension
   * integration moved to agentgateway.
   */
  KGATEWAY = 'kgateway',
}

/** What differs between the implementations. */
interface ImplementationSpec {
  readonly namespace: string;
  readonly gatewayClassName: string;
  readonly crds: HelmChartVersion;
  readonly chart: HelmChartVersion;
  readonly supportsInferencePools: boolean;
  readonly description: string;
}

const IMPLEMENTATIONS: Record<GatewayImplementation, ImplementationSpec> = {
  [GatewayImplementation.AGENTGATEWAY]: {
    namespace: 'agentgateway-system',
    gatewayClassName: 'agentgateway',
    crds: HelmChartVersion.AGENTGATEWAY_CRDS,
    chart: HelmChartVersion.AGENTGATEWAY,
    supportsInferencePools: true,
    description: 'agentgateway controller: provisions Gateway proxies (GatewayClass agentgateway) with Inference Extension support',
  },
  [GatewayImplementation.KGATEWAY]: {
    namespace: 'kgateway-system',
    gatewayClassName: 'kgateway',
    crds: HelmChartVersion.KGATEWAY_CRDS,
    chart: HelmChartVersion.KGATEWAY,
    supportsInferencePools: false,
    description: 'kgateway controller: provisions Envoy Gateway proxies (GatewayClass kgateway)',
  },
};

/** Props of a {@link GatewayController}. */
export interface GatewayControllerProps {
  /** The platform's Kubernetes-side definition the charts are added to. */
  readonly definition: PlatformDefinition;
  /** Which implementation to install. */
  readonly implementation: GatewayImplementation;
  /**
   * Raw values of the controller chart, deep-merged after the computed ones (escape hatch).
   * @default - none
   * @see https://github.com/agentgateway/agentgateway/blob/v1.4.1/controller/install/helm/agentgateway/values.yaml
   * @see https://github.com/kgateway-dev/kgateway/blob/v2.4.3/install/helm/kgateway/values.yaml
   */
  readonly values?: JsonObject;
}

/**
 * A Gateway API controller: the Gateway API standard CRDs (`gateway-api-crds`, a Job applying the upstream release
 * file), the implementation's CRD chart (stage CRDS) and its controller chart (stage CONTROLLERS), in namespace
 * `agentgateway-system` or `kgateway-system`. The controller creates the GatewayClass ({@link gatewayClassName})
 * and runs on the system nodes (it tolerates `CriticalAddonsOnly`); the proxies it provisions for each Gateway run
 * in the Gateway's namespace.
 *
 * agentgateway is installed with `inferenceExtension.enabled: true`, so HTTPRoutes may point at InferencePools; it
 * then also depends on the Inference Extension CRDs.
 */
export class GatewayController extends Construct {
  /** The implementation. */
  public readonly implementation: GatewayImplementation;
  /** Name of the GatewayClass the controller creates: `agentgateway` or `kgateway`. */
  public readonly gatewayClassName: string;
  /** Whether HTTPRoutes of this implementation may route to InferencePools (only agentgateway). */
  public readonly supportsInferencePools: boolean;
  /** Namespace of the controller. */
  public readonly namespace: string;
  /** The Gateway API standard CRDs. */
  public readonly gatewayApiCrds: CrdBundleComponent;
  /** The implementation's CRD chart. */
  public readonly crds: HelmComponent;
  /** The controller chart. */
  public readonly controller: HelmComponent;

  constructor(scope: Construct, id: string, props: GatewayControllerProps) {
    super(scope, id);
    const spec = IMPLEMENTATIONS[props.implementation];
    this.implementation = props.implementation;
    this.gatewayClassName = spec.gatewayClassName;
    this.supportsInferencePools = spec.supportsInferencePools;
    this.namespace = spec.namespace;
    this.gatewayApiCrds = ensureGatewayApiCrds(props.definition);
    // Components live in the definition (whatever tree this construct is in), so both renderings see them.
    this.crds = new HelmComponent(props.definition, `${props.implementation === GatewayImplementation.AGENTGATEWAY ? 'Agentgateway' : 'Kgateway'}Crds`, {
      name: spec.crds.chart,
      namespace: spec.namespace,
      stage: Stage.CRDS,
      description: `${spec.crds.chart} chart: the CRDs of the ${props.implementation} controller`,
      chart: spec.crds,
      includesCrds: true,
    });
    this.crds.addDependency(this.gatewayApiCrds);
    const inference = spec.supportsInferencePools;
    this.controller = new HelmComponent(props.definition, props.implementation === GatewayImplementation.AGENTGATEWAY ? 'AgentgatewayController' : 'KgatewayController', {
      name: spec.chart.chart,
      namespace: spec.namespace,
      stage: Stage.CONTROLLERS,
      description: spec.description,
      chart: spec.chart,
      includesCrds: false,
      values: { render: () => ({
        tolerations: [SYSTEM_NODE_TOLERATION],
        ...(inference ? { inferenceExtension: { enabled: true } } : {}),
      }) },
      valueOverrides: props.values,
    });
    this.controller.addDependency(this.crds, this.gatewayApiCrds);
    if (inference) {
      this.controller.addDependency(ensureInferenceExtensionCrds(props.definition));
    }
  }
}
