import { DEFAULT_SYSTEM_INSTANCE_TYPES } from './scheduling';
import { App, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { IComponent, HelmComponent, KubernetesComponent, Stage } from './component';
import { PodSecurityLevel, mostPermissive, podSecurityLabels } from './pod-security';
import { PlatformValidationError, check, checkDnsLabel } from './validation';

/** Facts every Kubernetes-side construct may need; all of them literal strings, never tokens. */
export interface PlatformDefinitionProps {
  /** EKS cluster name. */
  readonly clusterName: string;
  /** AWS region of the cluster. */
  readonly region: string;
  /** Kubernetes minor version, e.g. `1.36`. */
  readonly kubernetesVersion: string;
  /**
   * Instance types of the system managed node group (the platform checks schedule pods on it).
   * @default DEFAULT_SYSTEM_INSTANCE_TYPES
   */
  readonly systemNodeInstanceTypes?: string[];
}

/** Options of {@link PlatformDefinition.ensureNamespace}. */
export interface NamespaceOptions {
  /**
   * Pod Security Standards level the workloads of the calling component need. A namespace asked for several levels
   * gets the most permissive one.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly podSecurity?: PodSecurityLevel;
}

/** Namespaces of Kubernetes itself: the platform neither creates nor labels them. */
export const SYSTEM_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

const STAGE_ORDER = [Stage.CRDS, Stage.CONTROLLERS, Stage.CONFIGURATION, Stage.WORKLOADS];

/**
 * The Kubernetes side of a platform, defined once: the root of the cdk8s construct tree that holds every
 * component. Both renderings read it; neither is known to it.
 */
export class PlatformDefinition extends App {
  /** Returns the definition a construct belongs to. */
  public static ofConstruct(construct: IConstruct): PlatformDefinition {
    const root = construct.node.root;
    if (!(root instanceof PlatformDefinition)) {
      throw new PlatformValidationError('construct is not part of a PlatformDefinition');
    }
    return root;
  }

  /** Name of the EKS cluster. */
  public readonly clusterName: string;
  /** AWS region of the cluster. */
  public readonly region: string;
  /** Kubernetes version of the cluster (`1.36`). */
  public readonly kubernetesVersion: string;
  /** Instance types of the system managed node group. */
  public readonly systemNodeInstanceTypes: string[];
  private namespacesComponent?: KubernetesComponent;
  private readonly namespaceNames = new Set<string>();
  private readonly podSecurityLevels = new Map<string, PodSecurityLevel>();

  constructor(props: PlatformDefinitionProps) {
    super({ yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
    this.clusterName = props.clusterName;
    this.region = props.region;
    this.kubernetesVersion = props.kubernetesVersion;
    this.systemNodeInstanceTypes = [...(props.systemNodeInstanceTypes ?? DEFAULT_SYSTEM_INSTANCE_TYPES)];
  }

  /**
   * Declares a namespace that workloads or custom resources of several components share (e.g. `models`). The
   * namespaces are applied first, as the component `namespaces` (stage CRDS), so every later component finds its
   * namespace; declaring one twice is harmless. Each carries Pod Security labels (see {@link podSecurityOf}).
   * The namespaces of Helm components are created by their installer; the `namespaces` component also declares
   * them (same labels in both renderings), except the namespaces of Kubernetes itself.
   * @returns the component holding the namespaces, for `addDependency`
   */
  public ensureNamespace(name: string, options: NamespaceOptions = {}): KubernetesComponent {
    checkDnsLabel('namespace', name);
    check(!SYSTEM_NAMESPACES.includes(name), `namespace '${name}' belongs to Kubernetes: the platform does not declare it`);
    this.namespaceNames.add(name);
    if (options.podSecurity !== undefined) this.requirePodSecurity(name, options.podSecurity);
    return this.namespaces;
  }

  /**
   * Records that workloads in `namespace` need at least the Pod Security level `level` (e.g. the GPU operator's
   * privileged DaemonSets). Works for shared namespaces and for the namespaces of Helm components.
   */
  public requirePodSecurity(namespace: string, level: PodSecurityLevel): void {
    checkDnsLabel('namespace', namespace);
    const current = this.podSecurityLevels.get(namespace);
    this.podSecurityLevels.set(namespace, current === undefined ? level : mostPermissive(current, level));
    void this.namespaces;
  }

  /**
   * The Pod Security level enforced in a namespace the platform creates: the most permissive level asked for, else
   * `restricted` for shared namespaces (the library's own workloads) and `baseline` for the namespaces of Helm
   * components (third-party pods the library cannot vouch for; `warn` and `audit` still report `restricted`).
   */
  public podSecurityOf(namespace: string): PodSecurityLevel {
    return this.podSecurityLevels.get(namespace)
      ?? (this.namespaceNames.has(namespace) ? PodSecurityLevel.RESTRICTED : PodSecurityLevel.BASELINE);
  }

  /** The component `namespaces` (stage CRDS) that declares the platform's namespaces; created on first use. */
  public get namespaces(): KubernetesComponent {
    if (this.namespacesComponent === undefined) {
      const component = new KubernetesComponent(this, 'Namespaces', {
        name: 'namespaces',
        stage: Stage.CRDS,
        description: 'Namespaces of the platform, with Pod Security labels',
      });
      component._addLateObjects(() => this.namespaceObjects());
      this.namespacesComponent = component;
    }
    return this.namespacesComponent;
  }

  /** Every namespace the platform declares: the shared ones, then those of Helm components (sorted). */
  public get declaredNamespaces(): string[] {
    const helm = this.node.findAll().filter(HelmComponent.isHelmComponent).map((c) => c.namespace);
    const extra = [...this.podSecurityLevels.keys(), ...helm]
      .filter((ns) => !this.namespaceNames.has(ns) && !SYSTEM_NAMESPACES.includes(ns));
    return [...this.sharedNamespaces, ...[...new Set(extra)].sort()];
  }

  private namespaceObjects(): Record<string, unknown>[] {
    return this.declaredNamespaces.map((name) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: podSecurityLabels(this.podSecurityOf(name), this.kubernetesVersion) },
    }));
  }

  /** Namespaces declared with {@link ensureNamespace}. */
  public get sharedNamespaces(): string[] {
    return [...this.namespaceNames].sort();
  }

  /**
   * Every component, in the order they are applied: by stage, then dependencies first, then creation order.
   * Throws when dependencies form a cycle or point backwards across stages.
   */
  public get components(): IComponent[] {
    const all = this.node.findAll().filter(
      (c): c is KubernetesComponent | HelmComponent =>
        KubernetesComponent.isKubernetesComponent(c) || HelmComponent.isHelmComponent(c),
    );
    const names = new Map<string, IComponent>();
    for (const c of all) {
      const existing = names.get(c.componentName);
      if (existing) {
        throw new PlatformValidationError(
          `component name '${c.componentName}' is used twice (${existing.node.path} and ${c.node.path}); names must be unique`,
        );
      }
      names.set(c.componentName, c);
    }
    const ordered: IComponent[] = [];
    const state = new Map<IComponent, 'visiting' | 'done'>();
    const visit = (c: IComponent, path: string[]): void => {
      if (state.get(c) === 'done') return;
      if (state.get(c) === 'visiting') {
        throw new PlatformValidationError(`components depend on each other in a cycle: ${[...path, c.componentName].join(' -> ')}`);
      }
      state.set(c, 'visiting');
      for (const d of c.dependencies) {
        if (STAGE_ORDER.indexOf(d.stage) > STAGE_ORDER.indexOf(c.stage)) {
          throw new PlatformValidationError(
            `component '${c.componentName}' (stage ${c.stage}) depends on '${d.componentName}' of the later stage ${d.stage}`,
          );
        }
        visit(d, [...path, c.componentName]);
      }
      state.set(c, 'done');
      ordered.push(c);
    };
    for (const stage of STAGE_ORDER) {
      for (const c of all.filter((x) => x.stage === stage)) {
        visit(c, []);
      }
    }
    return ordered;
  }
}
