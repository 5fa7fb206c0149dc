import { Duration } from 'aws-cdk-lib';
import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { GatewayController, GatewayImplementation } from './gateway-controller';
import { goDuration } from './private/go-duration';
import {
  AgentgatewayPolicy,
  AgentgatewayPolicySpecTrafficRateLimitLocalUnit,
  AgentgatewayPolicySpecBackendAiPromptGuardRequestRegexAction, AgentgatewayPolicySpecBackendAiPromptGuardRequestRegexBuiltins,
} from '../../imports/agentgateway-policy-agentgateway.dev';
import {
  Gateway,
  GatewaySpecListeners,
  GatewaySpecListenersAllowedRoutesNamespaces,
  GatewaySpecListenersAllowedRoutesNamespacesFrom,
  GatewaySpecListenersTlsMode,
} from '../../imports/gateway-api-gateway-gateway.networking.k8s.io';
import {
  HttpRoute,
  HttpRouteSpec,
  HttpRouteSpecParentRefs,
  HttpRouteSpecRulesBackendRefs,
  HttpRouteSpecRulesMatches,
  HttpRouteSpecRulesMatchesHeadersType,
  HttpRouteSpecRulesMatchesPathType, HttpRouteSpecRulesFiltersType, HttpRouteSpecRulesFiltersUrlRewritePathType,
} from '../../imports/gateway-api-httproute-gateway.networking.k8s.io';
import { TrafficPolicy } from '../../imports/kgateway-trafficpolicy-gateway.kgateway.dev';
import { KubernetesComponent, Stage } from '../core/component';
import { PlatformDefinition } from '../core/platform-definition';
import { PodSecurityLevel } from '../core/pod-security';
import { PlatformValidationError, check, checkDnsLabel, checkDnsSubdomain, checkLiteral, isToken } from '../core/validation';
import { FlowPeer, FlowPort } from '../network/flow';
import { NetworkFlows } from '../network/network-flows';
import { EPP_EXT_PROC_PORT, IInferencePool } from '../serving/llm-d/inference-pool';
import { IModelEndpoint } from '../serving/model-endpoint';

/** API group of the Gateway API. */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
/** Name of the plain-HTTP listener (port 80) of a {@link PlatformGateway}. */
export const HTTP_LISTENER = 'http';
/** Name of the HTTPS listener (port 443) of a {@link PlatformGateway}, present when `tls` is given. */
export const HTTPS_LISTENER = 'https';
/** Request timeout of a route when none is given: long enough for long generations. */
export const DEFAULT_ROUTE_TIMEOUT: Duration = Duration.seconds(300);

/** HTTP header names as the Gateway API accepts them (RFC 7230 token). */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;

/** TLS termination at the Gateway's HTTPS listener. */
export interface GatewayTlsOptions {
  /**
   * Name of a `kubernetes.io/tls` Secret in the Gateway's namespace holding the certificate and key (for example
   * one written by cert-manager or an ExternalSecret).
   */
  readonly certificateSecretName: string;
  /**
   * Host name the HTTPS listener answers for (SNI), e.g. `api.example.com` or `*.example.com`.
   * @default - any host name
   * @see https://gateway-api.sigs.k8s.io/reference/spec/#listener
   */
  readonly hostname?: string;
}

/** Props of a {@link PlatformGateway}. */
export interface PlatformGatewayProps {
  /** The platform's Kubernetes-side definition the gateway's component is added to. */
  readonly definition: PlatformDefinition;
  /** The controller whose GatewayClass the Gateway uses; the gateway's component is applied after it. */
  readonly controller: GatewayController;
  /**
   * Gateway name (DNS label).
   * @default 'inference-gateway'
   */
  readonly name?: string;
  /**
   * Namespace of the Gateway (and of the proxy pods its controller provisions); declared with
   * `definition.ensureNamespace`.
   * @default 'gateway'
   */
  readonly namespace?: string;
  /**
   * Terminate TLS in an HTTPS listener (port 443) next to the HTTP listener (port 80).
   * @default - HTTP listener only
   */
  readonly tls?: GatewayTlsOptions;
  /**
   * Namespaces whose HTTPRoutes may attach to the Gateway (selected by their `kubernetes.io/metadata.name` label).
   * Routes added through this construct must live in one of them.
   * @default - routes from all namespaces (`from: All`): model routes live in the models' namespaces
   * @see https://gateway-api.sigs.k8s.io/reference/spec/#routenamespaces
   */
  readonly allowedRouteNamespaces?: string[];
}

/** An HTTP header a route matches exactly, e.g. a tenant header or `x-model`. */
export interface HeaderMatch {
  /** Header name (case-insensitive), e.g. `x-tenant`. */
  readonly name: string;
  /** Exact value. */
  readonly value: string;
}

/** What every route of a {@link PlatformGateway} may say about its matching and timeout. */
export interface RouteMatchOptions {
  /**
   * Path prefix the route matches.
   * @default '/'
   */
  readonly pathPrefix?: string;
  /**
   * A header that must be present with this exact value (in addition to the path prefix).
   * @default - no header condition
   */
  readonly headerMatch?: HeaderMatch;
  /**
   * Request timeout of the route (`rules[].timeouts.request`): the whole request, including a streamed response.
   * @default Duration.seconds(300) (the llm-d router gateway chart's default, suited to long generations)
   * @see https://gateway-api.sigs.k8s.io/reference/spec/#httproutetimeouts
   */
  readonly timeout?: Duration;
}

/** Options of {@link PlatformGateway.addModelRoute}. */
export interface ModelRouteOptions extends RouteMatchOptions {
  /** The model the route serves. The HTTPRoute goes into its namespace. */
  readonly model: IModelEndpoint;
  /**
   * The model's InferencePool: the route's backend becomes the pool (llm-d endpoint picking) instead of the
   * model's Service. Needs agentgateway.
   * @default - route to the model's Service
   */
  readonly pool?: IInferencePool;
  /**
   * HTTPRoute name (DNS subdomain).
   * @default - the pool's name when a pool is given, else the model's Service name
   */
  readonly name?: string;
}

/** One backend of a canary route and its share of the traffic. */
export interface CanaryBackend {
  /** The model whose Service receives this share. */
  readonly model: IModelEndpoint;
  /** Share of the requests in percent (0-100); the weights of a route add up to 100. */
  readonly weight: number;
}

/** Options of {@link PlatformGateway.addCanaryRoute}. */
export interface CanaryRouteOptions extends RouteMatchOptions {
  /** HTTPRoute name (DNS subdomain). */
  readonly name: string;
  /** Namespace of the HTTPRoute; every backend's model must live in it (no cross-namespace ReferenceGrants). */
  readonly namespace: string;
  /** The Services that share the traffic, with their weights (adding up to 100). */
  readonly backends: CanaryBackend[];
}

/** An HTTPRoute by name and namespace: what a policy targets. */
export interface HttpRouteReference {
  /** HTTPRoute name. */
  readonly routeName: string;
  /** Namespace of the HTTPRoute. */
  readonly namespace: string;
}

/** Options of {@link PlatformGateway.addRateLimit}. */
export interface RateLimitOptions {
  /** The route to limit: a {@link GatewayRoute} returned by this gateway, or any HTTPRoute by name and namespace. */
  readonly route: HttpRouteReference;
  /**
   * Requests per minute each gateway proxy replica lets through on the route (a local limit: with N proxy
   * replicas the route admits up to N times this); requests above it get 429.
   */
  readonly requestsPerMinute: number;
  /**
   * Requests above the rate allowed in a short burst.
   * @default 0
   */
  readonly burst?: number;
  /**
   * Name of the policy object.
   * @default - `<route name>-ratelimit`
   */
  readonly name?: string;
}

/** An HTTPRoute attached to a {@link PlatformGateway}. */
export class GatewayRoute extends Construct {
  /** HTTPRoute name. */
  public readonly routeName: string;
  /** Namespace of the HTTPRoute. */
  public readonly namespace: string;
  /** The HTTPRoute object. */
  public readonly resource: ApiObject;

  /**
   * An HTTPRoute `routeName` in `namespace` with `spec`, attached by a gateway's `add*Route` methods.
   * @internal
   */
  public static _create(scope: Construct, id: string, routeName: string, namespace: string, spec: HttpRouteSpec): GatewayRoute {
    return new GatewayRoute(scope, id, routeName, namespace, spec);
  }

  private constructor(scope: Construct, id: string, routeName: string, namespace: string, spec: HttpRouteSpec) {
    super(scope, id);
    this.routeName = routeName;
    this.namespace = namespace;
    this.resource = new HttpRoute(this, 'Resource', { metadata: { name: routeName, namespace }, spec });
  }

  /** The route as a reference (`route` of rate limits and prompt guards). */
  public get reference(): HttpRouteReference {
    return { routeName: this.routeName, namespace: this.namespace };
  }
}

/**
 * A Gateway API `Gateway` of the platform's {@link GatewayController} with an HTTP listener (port 80) and, with
 * `tls`, an HTTPS listener (port 443) terminating TLS, plus the HTTPRoutes and rate-limit policies added to it. Its
 * objects form the component `gateway` (stage WORKLOADS, after the controller); a Gateway with another `name` gets
 * the component `gateway-<name>`.
 *
 * ```ts
 * const gateway = new PlatformGateway(this, 'Gateway', { definition, controller });
 * const route = gateway.addModelRoute('Qwen', { model, pool: platform.serving.inferencePoolOf(model) });
 * gateway.addRateLimit('QwenLimit', { route, requestsPerMinute: 600 });
 * ```
 */
export class PlatformGateway extends Construct {
  /** Gateway name. */
  public readonly gatewayName: string;
  /** Gateway namespace. */
  public readonly namespace: string;
  /** The component holding the Gateway, its routes and policies. */
  public readonly component: KubernetesComponent;
  /** The Gateway object. */
  public readonly resource: ApiObject;
  /** The controller. */
  public readonly controller: GatewayController;
  private readonly listeners: string[];
  private readonly allowedNamespaces?: string[];
  private readonly routeNames = new Set<string>();

  constructor(scope: Construct, id: string, props: PlatformGatewayProps) {
    super(scope, id);
    this.gatewayName = props.name ?? 'inference-gateway';
    this.namespace = props.namespace ?? 'gateway';
    this.controller = props.controller;
    checkDnsLabel('name', this.gatewayName);
    checkDnsLabel('namespace', this.namespace);
    if (props.allowedRouteNamespaces !== undefined) {
      check(props.allowedRouteNamespaces.length > 0,
        `'allowedRouteNamespaces' of Gateway '${this.gatewayName}' must name at least one namespace (leave it out to allow all)`);
      props.allowedRouteNamespaces.forEach((ns) => checkDnsLabel('allowedRouteNamespaces', ns));
      this.allowedNamespaces = [...props.allowedRouteNamespaces];
    }
    if (props.tls !== undefined) {
      checkDnsSubdomain('tls.certificateSecretName', props.tls.certificateSecretName);
      if (props.tls.hostname !== undefined) checkHostname(props.tls.hostname);
    }

    // The component lives in the definition (whatever tree this construct is in), so both renderings see it.
    this.component = new KubernetesComponent(props.definition, props.name === undefined ? 'GatewayComponent' : `GatewayComponent-${this.gatewayName}`, {
      name: props.name === undefined ? 'gateway' : `gateway-${this.gatewayName}`,
      namespace: this.namespace,
      stage: Stage.WORKLOADS,
      description: `Gateway '${this.gatewayName}' (GatewayClass ${props.controller.gatewayClassName}) and its routes`,
    });
    // Proxies are provisioned by the controller with its own pod spec: baseline enforced, restricted audited.
    this.component.addDependency(props.definition.ensureNamespace(this.namespace, { podSecurity: PodSecurityLevel.BASELINE }), props.controller.controller);

    const namespaces: GatewaySpecListenersAllowedRoutesNamespaces = this.allowedNamespaces === undefined
      ? { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.ALL }
      : {
        from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SELECTOR,
        selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...this.allowedNamespaces] }] },
      };
    const listeners: GatewaySpecListeners[] = [
      { name: HTTP_LISTENER, protocol: 'HTTP', port: 80, allowedRoutes: { namespaces } },
    ];
    if (props.tls !== undefined) {
      listeners.push({
        name: HTTPS_LISTENER,
        protocol: 'HTTPS',
        port: 443,
        hostname: props.tls.hostname,
        tls: { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ kind: 'Secret', name: props.tls.certificateSecretName }] },
        allowedRoutes: { namespaces },
      });
    }
    this.listeners = listeners.map((l) => l.name);
    this.resource = new Gateway(this.component, 'Resource', {
      metadata: { name: this.gatewayName, namespace: this.namespace },
      spec: { gatewayClassName: props.controller.gatewayClassName, listeners },
    });
    this.declareFlows();
  }

  /**
   * Flows of the gateway's proxies. Their container ports are the implementation's (agentgateway and kgateway map
   * listener port 80 to 8080), so flows into the proxies allow every port of the gateway namespace.
   */
  private declareFlows(): void {
    const flows = NetworkFlows.of(this.component);
    const proxies = FlowPeer.inNamespace(this.namespace);
    const g = this.gatewayName;
    flows.allow({ name: `clients-to-gateway-${g}`, from: FlowPeer.anywhere(), to: proxies,
      description: `clients reach Gateway '${g}' through its load balancer` });
    flows.allow({ name: `teams-to-gateway-${g}`, from: FlowPeer.teams(), to: proxies, description: `team workloads call models through Gateway '${g}'` });
    flows.allow({ name: `gateway-${g}-to-controller`, from: proxies, to: FlowPeer.inNamespace(this.controller.namespace),
      description: `proxies of Gateway '${g}' read their configuration (xDS) from the ${this.implementation} controller` });
    flows.allow({ name: `gateway-${g}-to-teams`, from: proxies, to: FlowPeer.teams(), description: `routes of Gateway '${g}' may point at team Services` });
  }

  /** Declares (once) the flow from the proxies to a backend's pods. */
  private allowToBackend(kind: string, namespace: string, name: string, to: FlowPeer, port: number): void {
    const flows = NetworkFlows.of(this.component);
    const flowName = `gateway-${this.gatewayName}-to-${kind}-${namespace}-${name}`;
    if (flows.flows.some((f) => f.name === flowName)) return;
    flows.allow({ name: flowName, from: FlowPeer.inNamespace(this.namespace), to, ports: [FlowPort.tcp(port)],
      description: `Gateway '${this.gatewayName}' forwards requests to ${kind} '${namespace}/${name}'` });
  }

  /** The implementation of the Gateway's controller. */
  public get implementation(): GatewayImplementation {
    return this.controller.implementation;
  }

  /**
   * Routes a model: an HTTPRoute in the model's namespace attached to every listener of the Gateway, matching
   * `pathPrefix` (and `headerMatch`), with the model's InferencePool as backend when `pool` is given (agentgateway
   * only), else the model's Service.
   */
  public addModelRoute(id: string, options: ModelRouteOptions): GatewayRoute {
    const { model, pool } = options;
    const name = options.name ?? pool?.poolName ?? model.serviceName;
    if (pool !== undefined) {
      check(pool.model === model,
        `InferencePool '${pool.poolName}' serves model '${pool.model.servedModelName}', not '${model.servedModelName}'`);
      check(this.controller.supportsInferencePools,
        `${this.implementation} cannot route to InferencePool '${pool.poolName}': the Gateway API Inference Extension moved to agentgateway; use GatewayImplementation.AGENTGATEWAY`);
    }
    const backendRefs: HttpRouteSpecRulesBackendRefs[] = pool !== undefined
      ? [{ ...pool.backendRef() }]
      : [{ name: model.serviceName, port: model.port }];
    if (pool !== undefined) this.allowToBackend('epp', pool.namespace, pool.eppServiceName, pool.eppPeer, EPP_EXT_PROC_PORT);
    return this.route(id, name, model.namespace, options, backendRefs, [model]);
  }

  /**
   * Splits traffic between the Services of several models by weight (percent, adding up to 100): one HTTPRoute
   * rule with weighted backends, e.g. 90/10 between a model and its new revision.
   */
  public addCanaryRoute(id: string, options: CanaryRouteOptions): GatewayRoute {
    const { name, namespace, backends } = options;
    checkDnsSubdomain('name', name);
    checkDnsLabel('namespace', namespace);
    check(backends.length > 0, `canary route '${name}' needs at least one backend`);
    for (const b of backends) {
      check(!isToken(b.weight) && Number.isInteger(b.weight) && b.weight >= 0 && b.weight <= 100,
        `'weight' (${b.weight}) of backend '${b.model.serviceName}' in canary route '${name}' must be a whole number from 0 to 100`);
      check(b.model.namespace === namespace,
        `backend '${b.model.serviceName}' of canary route '${name}' is in namespace '${b.model.namespace}', not the route's namespace '${namespace}'`);
    }
    const total = backends.reduce((sum, b) => sum + b.weight, 0);
    check(total === 100, `canary weights of route '${name}' add up to ${total}, not 100`);
    const backendRefs: HttpRouteSpecRulesBackendRefs[] = backends.map((b) => ({
      name: b.model.serviceName, port: b.model.port, weight: b.weight,
    }));
    return this.route(id, name, namespace, options, backendRefs, backends.map((b) => b.model));
  }

  /**
   * Limits the request rate of a route with a local (per proxy replica) token bucket: an `AgentgatewayPolicy`
   * (`traffic.rateLimit.local`) on agentgateway, a kgateway `TrafficPolicy` (`rateLimit.local.tokenBucket`) on
   * kgateway, in the route's namespace and targeting the HTTPRoute.
   * @returns the policy object
   */
  public addRateLimit(id: string, options: RateLimitOptions): ApiObject {
    const { route, requestsPerMinute } = options;
    const burst = options.burst ?? 0;
    check(!isToken(requestsPerMinute) && Number.isInteger(requestsPerMinute) && requestsPerMinute >= 1 && requestsPerMinute <= 2147483647,
      `'requestsPerMinute' (${requestsPerMinute}) of the rate limit of route '${route.routeName}' must be a whole number of at least 1`);
    check(!isToken(burst) && Number.isInteger(burst) && burst >= 0 && requestsPerMinute + burst <= 2147483647,
      `'burst' (${burst}) of the rate limit of route '${route.routeName}' must be a whole number of at least 0`);
    checkLiteral('route.routeName', route.routeName);
    checkDnsLabel('route.namespace', route.namespace);
    const name = options.name ?? `${route.routeName}-ratelimit`;
    checkDnsSubdomain('name', name);
    const metadata = { name, namespace: route.namespace };
    const targetRef = { group: GATEWAY_API_GROUP, kind: 'HTTPRoute', name: route.routeName };
    if (this.implementation === GatewayImplementation.AGENTGATEWAY) {
      return new AgentgatewayPolicy(this.component, id, {
        metadata,
        spec: {
          targetRefs: [targetRef],
          traffic: {
            rateLimit: {
              local: [{
                requests: requestsPerMinute,
                unit: AgentgatewayPolicySpecTrafficRateLimitLocalUnit.MINUTES,
                ...(burst > 0 ? { burst } : {}),
              }],
            },
          },
        },
      });
    }
    return new TrafficPolicy(this.component, id, {
      metadata,
      spec: {
        targetRefs: [targetRef],
        rateLimit: {
          local: { tokenBucket: { maxTokens: requestsPerMinute + burst, tokensPerFill: requestsPerMinute, fillInterval: '1m' } },
        },
      },
    });
  }

  /**
   * Prompt guard on a route (agentgateway only): requests whose prompt matches a pattern or a built-in detector are
   * rejected (or the match masked) before they reach the model. An `AgentgatewayPolicy` with
   * `backend.ai.promptGuard.request`.
   */
  public addPromptGuard(id: string, options: PromptGuardOptions): ApiObject {
    const { route } = options;
    check(this.implementation === GatewayImplementation.AGENTGATEWAY,
      `prompt guard on route '${route.routeName}' needs agentgateway: kgateway has no AI policies (use GatewayImplementation.AGENTGATEWAY)`);
    const patterns = options.denyPatterns ?? [];
    const builtins = options.builtins ?? [];
    check(patterns.length + builtins.length > 0,
      `prompt guard on route '${route.routeName}' needs at least one of 'denyPatterns' or 'builtins'`);
    for (const p of patterns) {
      check(p.length >= 1 && p.length <= 1024, `prompt guard pattern of route '${route.routeName}' must be 1-1024 characters`);
      try {
        // agentgateway evaluates Rust regex syntax; JavaScript checks everything but the leading inline flags.
        new RegExp(p.replace(/^\(\?[imsxU]+\)/, ''));
      } catch {
        throw new PlatformValidationError(`prompt guard pattern (${p}) of route '${route.routeName}' is not a valid regular expression`);
      }
    }
    const name = options.name ?? `${route.routeName}-prompt-guard`;
    checkDnsSubdomain('name', name);
    const action = options.action ?? PromptGuardAction.REJECT;
    return new AgentgatewayPolicy(this.component, id, {
      metadata: { name, namespace: route.namespace },
      spec: {
        targetRefs: [{ group: GATEWAY_API_GROUP, kind: 'HTTPRoute', name: route.routeName }],
        backend: {
          ai: {
            promptGuard: {
              request: [{
                regex: {
                  action: action as string as AgentgatewayPolicySpecBackendAiPromptGuardRequestRegexAction,
                  matches: patterns.length > 0 ? [...patterns] : undefined,
                  builtins: builtins.length > 0
                    ? builtins.map((b) => b as string as AgentgatewayPolicySpecBackendAiPromptGuardRequestRegexBuiltins) : undefined,
                },
                response: options.rejectMessage !== undefined ? { message: options.rejectMessage } : undefined,
              }],
            },
          },
        },
      },
    });
  }

  /** Builds an HTTPRoute with one rule over `backendRefs`. */
  private route(
    id: string,
    name: string,
    namespace: string,
    options: RouteMatchOptions,
    backendRefs: HttpRouteSpecRulesBackendRefs[],
    models: IModelEndpoint[],
  ): GatewayRoute {
    checkDnsSubdomain('name', name);
    check(this.allowedNamespaces === undefined || this.allowedNamespaces.includes(namespace),
      `route '${name}' is in namespace '${namespace}', which 'allowedRouteNamespaces' (${(this.allowedNamespaces ?? []).join(', ')}) of Gateway '${this.gatewayName}' does not include`);
    const key = `${namespace}/${name}`;
    check(!this.routeNames.has(key), `Gateway '${this.gatewayName}' already has a route '${name}' in namespace '${namespace}'`);
    const pathPrefix = options.pathPrefix ?? '/';
    checkLiteral('pathPrefix', pathPrefix);
    check(pathPrefix.startsWith('/') && !/[\s?#]/.test(pathPrefix),
      `'pathPrefix' (${pathPrefix}) of route '${name}' must start with '/' and contain no spaces, '?' or '#'`);
    const path = { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: pathPrefix };
    let match: HttpRouteSpecRulesMatches = { path };
    if (options.headerMatch !== undefined) {
      const header = options.headerMatch;
      checkLiteral('headerMatch.name', header.name);
      check(HEADER_NAME.test(header.name) && header.name.length <= 256,
        `'headerMatch.name' (${header.name}) of route '${name}' must be an HTTP header name: letters, digits and !#$%&'*+-.^_\`|~ only`);
      checkLiteral('headerMatch.value', header.value);
      check(header.value.length <= 4096, `'headerMatch.value' of route '${name}' must be at most 4096 characters`);
      match = { path, headers: [{ type: HttpRouteSpecRulesMatchesHeadersType.EXACT, name: header.name, value: header.value }] };
    }
    const timeout = goDuration('timeout', options.timeout ?? DEFAULT_ROUTE_TIMEOUT);
    const parentRefs: HttpRouteSpecParentRefs[] = this.listeners.map((sectionName) => ({
      name: this.gatewayName, namespace: this.namespace, sectionName,
    }));
    this.routeNames.add(key);
    for (const model of models) {
      this.dependOnModel(model);
      this.allowToBackend('model', model.namespace, model.serviceName, FlowPeer.pods(model.namespace, model.podLabels), model.port);
    }
    return GatewayRoute._create(this.component, id, name, namespace, {
        parentRefs,
        rules: [{
          matches: [match],
          // Model servers answer on /v1/...: a route under a prefix strips it before forwarding.
          filters: pathPrefix === '/' ? undefined : [{
            type: HttpRouteSpecRulesFiltersType.URL_REWRITE,
            urlRewrite: { path: { type: HttpRouteSpecRulesFiltersUrlRewritePathType.REPLACE_PREFIX_MATCH, replacePrefixMatch: '/' } },
          }],
          backendRefs,
          timeouts: { request: timeout },
        }],
    });
  }

  /** The gateway component is applied after the component of a routed model (its namespace, Service and pool). */
  private dependOnModel(model: IModelEndpoint): void {
    let chart: Chart | undefined;
    try {
      chart = Chart.of(model);
    } catch {
      return;
    }
    if (KubernetesComponent.isKubernetesComponent(chart) && chart !== this.component) {
      this.component.addDependency(chart);
    }
  }
}

/** Checks a listener host name: a DNS name, optionally with a leading `*.`. */
function checkHostname(hostname: string): void {
  checkLiteral('tls.hostname', hostname);
  check(/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(hostname) && hostname.length <= 253,
    `'tls.hostname' (${hostname}) must be a DNS name such as api.example.com or *.example.com`);
}

/** What a prompt guard does on a match. */
export enum PromptGuardAction {
  /** Reject the request. */
  REJECT = 'Reject',
  /** Mask the matched text and forward. */
  MASK = 'Mask',
}

/** Built-in detectors of agentgateway's regex prompt guard. */
export enum PromptGuardBuiltin {
  /** Credit card numbers. */
  CREDIT_CARD = 'CreditCard',
  /** E-mail addresses. */
  EMAIL = 'Email',
  /** Phone numbers. */
  PHONE_NUMBER = 'PhoneNumber',
  /** US social security numbers. */
  SSN = 'Ssn',
  /** Canadian social insurance numbers. */
  CA_SIN = 'CaSin',
}

/** What a prompt guard rejects, and how (`gateway.addPromptGuard(id, route, options)`). */
export interface PromptGuardRuleOptions {
  /** Regular expressions (Rust `regex` syntax, e.g. `(?i)ignore previous instructions`) that must not appear in prompts. @default - none */
  readonly denyPatterns?: string[];
  /** Built-in detectors (credit cards, e-mail addresses, ...). @default - none */
  readonly builtins?: PromptGuardBuiltin[];
  /** What happens on a match. @default PromptGuardAction.REJECT */
  readonly action?: PromptGuardAction;
  /** Message returned on rejection. @default - agentgateway's default message */
  readonly rejectMessage?: string;
  /** Policy name. @default '<route>-prompt-guard' */
  readonly name?: string;
}

/** Options of a prompt guard. */
export interface PromptGuardOptions extends PromptGuardRuleOptions {
  /** The route it applies to. */
  readonly route: HttpRouteReference;
}
