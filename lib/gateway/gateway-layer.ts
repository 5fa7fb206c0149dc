import { Duration, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { GatewayController, GatewayImplementation } from './gateway-controller';
import { LiteLlm, LiteLlmOptions } from './litellm/litellm';
import { CanaryRouteOptions, GatewayRoute, GatewayTlsOptions, HeaderMatch, PlatformGateway, PromptGuardRuleOptions } from './platform-gateway';
import { JsonObject } from '../core/deep-merge';
import { PlatformDefinition } from '../core/platform-definition';
import { check } from '../core/validation';
import { ExternalSecrets } from '../secrets/external-secrets';
import { ServingLayer } from '../serving/serving-layer';
import { VllmModel } from '../serving/vllm-model';

/** Options of the gateway layer. */
export interface GatewayLayerOptions {
  /** Gateway API implementation. @default GatewayImplementation.AGENTGATEWAY (the Inference Extension implementation) */
  readonly implementation?: GatewayImplementation;
  /** HTTPS listener with a certificate from a Secret. @default - HTTP only */
  readonly tls?: GatewayTlsOptions;
  /** Namespaces whose routes may attach to the Gateway. @default - all namespaces */
  readonly allowedRouteNamespaces?: string[];
  /** Raw controller chart values (escape hatch). @default - none */
  readonly controllerValues?: JsonObject;
}

/** Props of the gateway layer. */
export interface GatewayLayerProps extends GatewayLayerOptions {
  /** The definition. */
  readonly definition: PlatformDefinition;
  /** The serving layer (InferencePools of models). */
  readonly serving: ServingLayer;
  /** The cluster (Pod Identity of LiteLLM's Bedrock access). */
  readonly cluster: eks.Cluster;
  /** The secrets layer (LiteLLM's generated keys and provider API keys). */
  readonly secrets: ExternalSecrets;
}

/** Options of a model route through the platform gateway. */
export interface RouteModelOptions {
  /** Path prefix. @default '/' */
  readonly pathPrefix?: string;
  /** Only requests carrying this header (e.g. a model or tenant header). @default - every request */
  readonly headerMatch?: HeaderMatch;
  /** Request timeout (long generations). @default Duration.seconds(300) */
  readonly timeout?: Duration;
  /** Route name. @default - the model's InferencePool name, or its Service name */
  readonly name?: string;
}

/**
 * The gateway layer: Gateway API CRDs, the Gateway implementation (agentgateway by default) and one Gateway, created
 * when the first route needs them. `routeModel()` sends a model's traffic to its InferencePool (llm-d routing) or,
 * without one, to its Service. `addLiteLlm()` adds the LiteLLM proxy: one OpenAI-compatible API over the routed
 * models and managed providers.
 */
export class GatewayLayer extends Construct {
  private readonly props: GatewayLayerProps;
  private _controller?: GatewayController;
  private _gateway?: PlatformGateway;
  private _liteLlm?: LiteLlm;

  constructor(scope: Construct, id: string, props: GatewayLayerProps) {
    super(scope, id);
    this.props = props;
  }

  /** The Gateway (created on first use, with its controller). */
  public get gateway(): PlatformGateway {
    if (this._gateway === undefined) {
      this._controller = new GatewayController(this, 'Controller', {
        definition: this.props.definition,
        implementation: this.props.implementation ?? GatewayImplementation.AGENTGATEWAY,
        values: this.props.controllerValues,
      });
      this._gateway = new PlatformGateway(this, 'Gateway', {
        definition: this.props.definition,
        controller: this._controller,
        tls: this.props.tls,
        allowedRouteNamespaces: this.props.allowedRouteNamespaces,
      });
    }
    return this._gateway;
  }

  /** Routes a served model through the Gateway: to its InferencePool when it has llm-d routing, else to its Service. */
  public routeModel(id: string, model: VllmModel, options: RouteModelOptions = {}): GatewayRoute {
    return this.gateway.addModelRoute(id, { ...options, model, pool: this.props.serving.inferencePoolOf(model) });
  }

  /** Weighted canary between versions of a model (weights add up to 100). */
  public addCanary(id: string, options: CanaryRouteOptions): GatewayRoute {
    return this.gateway.addCanaryRoute(id, options);
  }

  /** Local rate limit (per proxy replica) on a route, e.g. per tenant route. */
  public addRateLimit(id: string, route: GatewayRoute, requestsPerMinute: number, burst?: number) {
    return this.gateway.addRateLimit(id, { route, requestsPerMinute, burst });
  }

  /** Prompt guard on a route (agentgateway): deny patterns and built-in detectors, rejected before the model. */
  public addPromptGuard(id: string, route: GatewayRoute, options: PromptGuardRuleOptions = {}) {
    return this.gateway.addPromptGuard(id, { ...options, route });
  }

  /**
   * Adds the LiteLLM proxy: one OpenAI-compatible endpoint over the platform's models (through the gateway) and
   * managed providers (Bedrock, OpenAI, Anthropic), with fallbacks, spend tracking (Postgres) and shared rate limits
   * (Valkey). Keys and passwords come from AWS Secrets Manager through External Secrets. Models, fallbacks and teams
   * can be added later with `addModel()`, `addFallbacks()` and `addTeam()` of the returned proxy.
   */
  public addLiteLlm(options: LiteLlmOptions = {}): LiteLlm {
    check(this._liteLlm === undefined, 'LiteLLM is already added to this platform');
    // Scoped to the stack as `LiteLlm`, the path the proxy had before it hung off this layer: the logical ids of its
    // Pod Identity role and association stay those of deployed platforms (a replaced association would collide).
    this._liteLlm = new LiteLlm(Stack.of(this), 'LiteLlm', {
      ...options, definition: this.props.definition, cluster: this.props.cluster, secrets: this.props.secrets,
    });
    return this._liteLlm;
  }

  /** The LiteLLM proxy, if added. */
  public get liteLlm(): LiteLlm | undefined {
    return this._liteLlm;
  }

  /** In-cluster URL of the Gateway's HTTP listener (what LiteLLM uses as `api_base` for self-hosted models). */
  public get url(): string {
    return `http://${this.gateway.gatewayName}.${this.gateway.namespace}.svc`;
  }
}
