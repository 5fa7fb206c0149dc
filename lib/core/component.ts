import { ApiObject, Chart, ChartProps, DependencyGraph } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { JsonObject, deepMerge } from './deep-merge';
import { PlatformValidationError, checkDnsLabel, check } from './validation';
import { HelmChartVersion } from '../versions';

/**
 * When a component is applied, relative to the others. Argo CD sync waves in the GitOps rendering; CloudFormation
 * dependencies in the CDK rendering. Controllers and their CRDs precede the custom resources that use them.
 */
export enum Stage {
  /** CustomResourceDefinitions (wave -30). */
  CRDS = 'crds',
  /** Controllers and operators (wave -20). */
  CONTROLLERS = 'controllers',
  /** Cluster-wide configuration custom resources: NodePools, secret stores (wave -10). */
  CONFIGURATION = 'configuration',
  /** Workloads (wave 0). */
  WORKLOADS = 'workloads',
}

/** Marks KubernetesComponent instances: cdk8s Chart's own `instanceof` is true for every chart. */
const KUBERNETES_COMPONENT = Symbol.for('agentic-eks.KubernetesComponent');

function addUnique(list: IComponent[], components: IConstruct[]): void {
  for (const c of components) {
    const component = c as Partial<IComponent>;
    if (typeof component.componentName !== 'string' || component.stage === undefined) {
      throw new PlatformValidationError(`'${c.node.path}' is not a component of the platform: a component can only depend on components (KubernetesComponent, HelmComponent)`);
    }
    if (!list.includes(c as IComponent)) list.push(c as IComponent);
  }
}

const WAVES: Record<Stage, number> = {
  [Stage.CRDS]: -30,
  [Stage.CONTROLLERS]: -20,
  [Stage.CONFIGURATION]: -10,
  [Stage.WORKLOADS]: 0,
};

/** The Argo CD sync wave of a stage. */
export function syncWave(stage: Stage): number {
  return WAVES[stage];
}

/** Common options of every platform component. */
export interface ComponentOptions {
  /**
   * Component name: the folder in the GitOps output, the Argo CD Application name and the Helm release name.
   * A DNS label.
   */
  readonly name: string;
  /** Namespace the component installs into. @default - cluster-scoped objects or the objects' own namespaces */
  readonly namespace?: string;
  /** When the component is applied. */
  readonly stage: Stage;
  /** One line saying what the component is, for the generated dist/README.md. */
  readonly description: string;
}

/** What every component of a platform exposes to the renderings. */
export interface IComponent extends IConstruct {
  /** Component name (DNS label). */
  readonly componentName: string;
  /** Stage. */
  readonly stage: Stage;
  /** One-line description. */
  readonly description: string;
  /** Components that must be applied before this one. */
  readonly dependencies: IComponent[];
  /** Adds components that must be applied before this one (components only: anything else is refused). */
  addDependency(...components: IConstruct[]): void;
}

/** The chart of a Kubernetes component: plain manifests defined with cdk8s. */
export interface KubernetesComponentProps extends ComponentOptions, ChartProps {}

/**
 * Kubernetes objects defined once with cdk8s. The CDK rendering applies them as `cluster.addCdk8sChart()` does; the
 * GitOps rendering writes them to `dist/<name>/` and points an Argo CD Application at that folder.
 */
export class KubernetesComponent extends Chart implements IComponent {
  /** True when `x` is a {@link KubernetesComponent}. */
  public static isKubernetesComponent(x: unknown): x is KubernetesComponent {
    return typeof x === 'object' && x !== null && KUBERNETES_COMPONENT in x;
  }

  public readonly componentName: string;
  public readonly stage: Stage;
  public readonly description: string;
  private readonly _dependencies: IComponent[] = [];
  private readonly _lateObjects: Array<() => Record<string, unknown>[]> = [];
  private readonly _tokenExplanations: string[] = [];

  constructor(scope: Construct, id: string, props: KubernetesComponentProps) {
    super(scope, id, { ...props, disableResourceNameHashes: props.disableResourceNameHashes ?? true });
    checkDnsLabel('name', props.name);
    if (props.namespace !== undefined) {
      checkDnsLabel('namespace', props.namespace);
    }
    Object.defineProperty(this, KUBERNETES_COMPONENT, { value: true });
    this.componentName = props.name;
    this.stage = props.stage;
    this.description = props.description;
  }

  public get dependencies(): IComponent[] {
    return [...this._dependencies];
  }

  public addDependency(...components: IConstruct[]): void {
    addUnique(this._dependencies, components);
  }

  /**
   * Adds objects rendered late, when a rendering reads the component: for objects whose number depends on calls
   * made after construction (NetworkPolicies generated from flow declarations, Namespaces of Helm components).
   * `produce` returns plain Kubernetes JSON and is called on every {@link toJson}.
   * @internal
   */
  public _addLateObjects(produce: () => Record<string, unknown>[]): void {
    this._lateObjects.push(produce);
  }

  /**
   * The objects of several components at once, each exactly as its {@link toJson} returns them, by component.
   *
   * cdk8s' `Chart.toJson()` first prepares the whole cdk8s App the chart belongs to (it turns the dependencies
   * between constructs into dependencies between ApiObjects, across every chart, and validates every construct), then
   * renders the chart. Rendering every component of a platform one by one therefore walks the whole platform once per
   * component, which grows with the square of its size. This prepares each App once, with the first component's
   * `toJson()`, and renders the others without preparing it again: the same objects in the same order, as long as no
   * construct is added meanwhile (a rendering reads a finished definition).
   * @internal
   */
  public static _toJsonAll(components: readonly KubernetesComponent[]): Map<KubernetesComponent, Record<string, unknown>[]> {
    const out = new Map<KubernetesComponent, Record<string, unknown>[]>();
    const prepared = new Set<IConstruct>();
    for (const c of components) {
      const root = c.node.root;
      // A subclass that overrides toJson() keeps its own rendering.
      if (prepared.has(root) && c.toJson === KubernetesComponent.prototype.toJson) {
        out.set(c, c.renderPrepared());
      } else {
        out.set(c, c.toJson() as Record<string, unknown>[]);
        prepared.add(root);
      }
    }
    return out;
  }

  /**
   * Records why objects of this component carry CloudFormation tokens (values only the AWS side knows after a
   * deployment, e.g. the id of a file system the stack creates) and how to make them literal. A rendering that needs
   * literal manifests (GitOps) adds these sentences to its error when it refuses a token.
   */
  public explainTokens(explanation: string): void {
    if (!this._tokenExplanations.includes(explanation)) this._tokenExplanations.push(explanation);
  }

  /** What {@link explainTokens} recorded. */
  public get tokenExplanations(): string[] {
    return [...this._tokenExplanations];
  }

  /** The component's objects: its cdk8s ApiObjects, then the late objects. */
  public toJson(): unknown[] {
    return this._objects();
  }

  /**
   * {@link toJson}, typed as the plain Kubernetes JSON objects it is.
   * @internal
   */
  public _objects(): Record<string, unknown>[] {
    return [...super.toJson(), ...this.lateJson()];
  }

  private lateJson(): Record<string, unknown>[] {
    return this._lateObjects.flatMap((produce) => produce());
  }

  /**
   * What {@link toJson} returns once cdk8s has prepared the App: the chart's own ApiObjects in dependency order (what
   * cdk8s' `Chart.toJson()` renders after the preparation), then the late objects.
   */
  private renderPrepared(): Record<string, unknown>[] {
    const objects = new DependencyGraph(this.node).topology()
      .filter((x): x is ApiObject => x instanceof ApiObject)
      .filter((x) => Chart.of(x) === this)
      .map((x) => x.toJson() as Record<string, unknown>);
    return [...objects, ...this.lateJson()];
  }
}

/** Chart values computed late, when a rendering asks for them (`{ render: () => ({ ... }) }`). */
export interface IHelmValues {
  /** The values. */
  render(): JsonObject;
}

/** Options of a Helm-installed third-party component. */
export interface HelmComponentProps extends ComponentOptions {
  /** The pinned chart. */
  readonly chart: HelmChartVersion;
  /** Helm release name. @default - the component name */
  readonly releaseName?: string;
  /** Values computed by the library from typed props; evaluated late, when a rendering asks for them. */
  readonly values?: IHelmValues;
  /**
   * Escape hatch: raw chart values deep-merged after the computed values (objects merge, arrays replace).
   * @default - none
   */
  readonly valueOverrides?: JsonObject;
  /**
   * Whether the chart's `crds/` folder is installed, i.e. whether this component owns the CRDs the chart ships
   * there. `false` skips it in both renderings (Helm's `--skip-crds`: `skipCrds` of the CDK `HelmChart`,
   * `spec.source.helm.skipCrds` of the Argo CD Application), for charts whose CRDs another component owns. CRDs a
   * chart renders from `templates/` are not affected; switch those off with the chart's own values.
   * @default true
   */
  readonly includesCrds?: boolean;
}

/**
 * A third-party chart described once as data: chart, repository, pinned version, namespace, typed values. The CDK
 * rendering installs it with `cluster.addHelmChart()`; the GitOps rendering writes an Argo CD Application.
 */
export class HelmComponent extends Construct implements IComponent {
  /** True when `x` is a {@link HelmComponent}. */
  public static isHelmComponent(x: unknown): x is HelmComponent {
    return x instanceof HelmComponent;
  }

  public readonly componentName: string;
  /** Namespace the chart is installed in. */
  public readonly namespace: string;
  public readonly stage: Stage;
  public readonly description: string;
  /** Pinned chart. */
  public readonly chart: HelmChartVersion;
  /** Helm release name. */
  public readonly releaseName: string;
  /** Whether the chart's `crds/` folder is installed (false: Helm's `--skip-crds`). */
  public readonly includesCrds: boolean;
  private readonly computeValues: () => JsonObject;
  private readonly overrides: JsonObject;
  private readonly _dependencies: IComponent[] = [];

  constructor(scope: Construct, id: string, props: HelmComponentProps) {
    super(scope, id);
    checkDnsLabel('name', props.name);
    check(props.namespace !== undefined, `Helm component '${props.name}' needs a 'namespace'`);
    checkDnsLabel('namespace', props.namespace);
    if (props.releaseName !== undefined) {
      checkDnsLabel('releaseName', props.releaseName);
    }
    this.componentName = props.name;
    this.namespace = props.namespace;
    this.stage = props.stage;
    this.description = props.description;
    this.chart = props.chart;
    this.releaseName = props.releaseName ?? props.name;
    this.includesCrds = props.includesCrds ?? true;
    const late = props.values;
    this.computeValues = late !== undefined ? () => late.render() : () => ({});
    this.overrides = props.valueOverrides ?? {};
  }

  public get dependencies(): IComponent[] {
    return [...this._dependencies];
  }

  public addDependency(...components: IConstruct[]): void {
    addUnique(this._dependencies, components);
  }

  /** The chart values: computed values with the escape-hatch overrides deep-merged on top. */
  public values(): JsonObject {
    return deepMerge(this.computeValues(), this.overrides);
  }
}
