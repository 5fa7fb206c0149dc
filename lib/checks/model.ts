import { HelmComponent, IComponent, KubernetesComponent, Stage } from '../core/component';
import { PlatformDefinition } from '../core/platform-definition';

/** One Kubernetes object the platform applies, with the component that applies it. */
export interface ModelObject {
  /** The component (Argo CD Application) that applies the object. */
  readonly component: IComponent;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** Namespace: the object's own, else its component's; undefined for cluster-scoped objects. */
  readonly namespace?: string;
  /** The object as it is applied (JSON). */
  readonly object: Record<string, unknown>;
}

/**
 * A model of the cluster built from a platform definition, shared by both renderings: every object the library's own
 * components apply, and the Helm components (whose objects are known only from what they declare they provide, since
 * the library never runs Helm at synth). Platform checks read it.
 */
export class ClusterModel {
  /** Builds the model of a definition (components in apply order). */
  public static of(definition: PlatformDefinition): ClusterModel {
    return new ClusterModel(definition);
  }

  /** The definition the model was built from (for rules that read constructs). */
  public readonly definition: PlatformDefinition;
  /** Every component in apply order. */
  public readonly components: IComponent[];
  /** Every object of the library's own (manifest) components, in apply order. */
  public readonly objects: ModelObject[];
  /** The Helm-installed components. */
  public readonly helmComponents: HelmComponent[];
  private byComponent?: Map<IComponent, ModelObject[]>;

  private constructor(definition: PlatformDefinition) {
    this.definition = definition;
    this.components = definition.components;
    const objects: ModelObject[] = [];
    const helm: HelmComponent[] = [];
    for (const c of this.components) {
      if (HelmComponent.isHelmComponent(c)) {
        helm.push(c);
        continue;
      }
      if (!KubernetesComponent.isKubernetesComponent(c)) continue;
      for (const obj of c.toJson() as Record<string, unknown>[]) {
        const meta = (obj.metadata ?? {}) as Record<string, unknown>;
        objects.push({
          component: c,
          apiVersion: String(obj.apiVersion),
          kind: String(obj.kind),
          name: String(meta.name),
          namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined,
          object: obj,
        });
      }
    }
    this.objects = objects;
    this.helmComponents = helm;
  }

  /** The objects of one component, in the order it applies them. */
  public objectsOf(component: IComponent): ModelObject[] {
    if (this.byComponent === undefined) {
      this.byComponent = new Map();
      for (const o of this.objects) {
        const list = this.byComponent.get(o.component) ?? [];
        list.push(o);
        this.byComponent.set(o.component, list);
      }
    }
    return [...(this.byComponent.get(component) ?? [])];
  }

  /** Objects of a kind (optionally in a namespace). */
  public ofKind(kind: string, namespace?: string): ModelObject[] {
    return this.objects.filter((o) => o.kind === kind && (namespace === undefined || o.namespace === namespace));
  }

  /** The object of a kind with a name (and namespace), if the platform applies one. */
  public find(kind: string, name: string, namespace?: string): ModelObject | undefined {
    return this.objects.find((o) => o.kind === kind && o.name === name && (namespace === undefined || o.namespace === namespace));
  }

  /** The stage of a component, for ordering rules. */
  public stageOf(component: IComponent): Stage {
    return component.stage;
  }
}

/** `kind 'namespace/name'` (or `kind 'name'` for cluster-scoped objects), for messages. */
export function label(o: Pick<ModelObject, 'kind' | 'name' | 'namespace'>): string {
  return o.namespace !== undefined ? `${o.kind} '${o.namespace}/${o.name}'` : `${o.kind} '${o.name}'`;
}
