import { ApiObject, App, YamlOutputType } from 'cdk8s';
import { IComponent, HelmComponent, KubernetesComponent, Stage } from './component';
import { PlatformValidationError, checkDnsLabel } from './validation';

/** Facts every Kubernetes-side construct may need; all of them literal strings, never tokens. */
export interface PlatformDefinitionProps {
  /** EKS cluster name. */
  readonly clusterName: string;
  /** AWS region of the cluster. */
  readonly region: string;
  /** Kubernetes minor version, e.g. `1.36`. */
  readonly kubernetesVersion: string;
}

const STAGE_ORDER = [Stage.CRDS, Stage.CONTROLLERS, Stage.CONFIGURATION, Stage.WORKLOADS];

/**
 * The Kubernetes side of a platform, defined once: the root of the cdk8s construct tree that holds every
 * component. Both renderings read it; neither is known to it.
 */
export class PlatformDefinition extends App {
  /** Returns the definition a construct belongs to. */
  public static of(construct: { node: { root: unknown } }): PlatformDefinition {
    const root = construct.node.root;
    if (!(root instanceof PlatformDefinition)) {
      throw new PlatformValidationError('construct is not part of a PlatformDefinition');
    }
    return root;
  }

  public readonly clusterName: string;
  public readonly region: string;
  public readonly kubernetesVersion: string;
  private namespacesComponent?: KubernetesComponent;
  private readonly namespaceNames = new Set<string>();

  constructor(props: PlatformDefinitionProps) {
    super({ yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
    this.clusterName = props.clusterName;
    this.region = props.region;
    this.kubernetesVersion = props.kubernetesVersion;
  }

  /**
   * Declares a namespace that workloads or custom resources of several components share (e.g. `models`). The
   * namespaces are applied first, as the component `namespaces` (stage CRDS), so every later component finds its
   * namespace; declaring one twice is harmless. Namespaces of Helm components are created by their installer.
   * @returns the component holding the namespaces, for `addDependency`
   */
  public ensureNamespace(name: string): KubernetesComponent {
    checkDnsLabel('namespace', name);
    if (this.namespacesComponent === undefined) {
      this.namespacesComponent = new KubernetesComponent(this, 'Namespaces', {
        name: 'namespaces',
        stage: Stage.CRDS,
        description: 'Namespaces shared by several components',
      });
    }
    if (!this.namespaceNames.has(name)) {
      this.namespaceNames.add(name);
      new ApiObject(this.namespacesComponent, `ns-${name}`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    }
    return this.namespacesComponent;
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
