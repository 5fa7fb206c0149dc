import { consumedSecrets } from './acknowledgements';
import { CrdKind, HELM_FACTS, HelmChartFacts, HelmServiceFact, secretsNamedInValues } from './helm-facts';
import { NodePoolModel, karpenterPool, systemNodePool } from './private/node-pools';
import { PodTemplate, podTemplatesOf } from './private/pod-templates';
import { rec, recs, stringMap, str } from './private/selectors';
import { HelmComponent, IComponent, KubernetesComponent, Stage } from '../core/component';
import { JsonObject } from '../core/deep-merge';
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
  private readonly constructCount: number;
  /** Every component in apply order. */
  public readonly components: IComponent[];
  /** Every object of the library's own (manifest) components, in apply order. */
  public readonly objects: ModelObject[];
  /** The Helm-installed components. */
  public readonly helmComponents: HelmComponent[];
  private byComponent?: Map<IComponent, ModelObject[]>;
  private byKind?: Map<string, ModelObject[]>;

  private constructor(definition: PlatformDefinition) {
    this.definition = definition;
    this.constructCount = definition.node.findAll().length;
    this.components = definition.components;
    const objects: ModelObject[] = [];
    const helm: HelmComponent[] = [];
    // Every manifest component rendered in one pass (cdk8s prepares the definition once, not once per component).
    const manifests: Map<IComponent, Record<string, unknown>[]> = KubernetesComponent._toJsonAll(
      this.components.filter((c): c is KubernetesComponent => KubernetesComponent.isKubernetesComponent(c)));
    for (const c of this.components) {
      if (HelmComponent.isHelmComponent(c)) {
        helm.push(c);
        continue;
      }
      const json = manifests.get(c);
      if (json === undefined) continue;
      for (const obj of json) {
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
    this.manifests = manifests;
  }

  private readonly manifests: Map<IComponent, Record<string, unknown>[]>;

  /**
   * The objects of a manifest component as the model read them (rendered once per model), so that a rendering that
   * runs the checks need not synthesize every chart a second time. Empty for Helm components. Shared, not copied:
   * a caller that changes them (as `eks.KubernetesManifest` adds its prune label) must copy them first.
   */
  public manifestsOf(component: IComponent): Record<string, unknown>[] {
    return this.manifests.get(component) ?? (KubernetesComponent.isKubernetesComponent(component) ? component._objects() : []);
  }

  /**
   * True while the definition has as many constructs as when the model was built: a reuse guard for renderings in
   * one process (adding a model, pool or route adds constructs).
   */
  public isCurrent(): boolean {
    return this.definition.node.findAll().length === this.constructCount;
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
    return this.kindIndex(kind).filter((o) => namespace === undefined || o.namespace === namespace);
  }

  /** The objects of a kind, in apply order (indexed once per model: rules ask per flow, pod or namespace). */
  private kindIndex(kind: string): ModelObject[] {
    if (this.byKind === undefined) {
      this.byKind = new Map();
      for (const o of this.objects) {
        const list = this.byKind.get(o.kind);
        if (list === undefined) this.byKind.set(o.kind, [o]);
        else list.push(o);
      }
    }
    return this.byKind.get(kind) ?? [];
  }

  /** The object of a kind with a name (and namespace), if the platform applies one. */
  public find(kind: string, name: string, namespace?: string): ModelObject | undefined {
    return this.kindIndex(kind).find((o) => o.name === name && (namespace === undefined || o.namespace === namespace));
  }

  /** The stage of a component, for ordering rules. */
  public stageOf(component: IComponent): Stage {
    return component.stage;
  }

  private _podTemplates?: PodTemplate[];
  private _provided?: Map<string, ProvidedObject[]>;
  private _helmValues = new Map<HelmComponent, JsonObject>();
  private _crdProviders?: Map<string, CrdProvider[]>;
  private _services?: ServiceModel[];

  /** Every pod template of the platform's workloads (optionally in a namespace), in apply order. */
  public podTemplates(namespace?: string): PodTemplate[] {
    this._podTemplates ??= this.objects.flatMap(podTemplatesOf);
    return namespace === undefined ? this._podTemplates : this._podTemplates.filter((t) => t.namespace === namespace);
  }

  /** The nodes pods can land on: every Karpenter NodePool of the platform, plus the system managed node group. */
  public nodePools(): NodePoolModel[] {
    return [...this.objects.filter((o) => o.kind === 'NodePool' && o.apiVersion.startsWith('karpenter.sh/')).map(karpenterPool), systemNodePool(this.definition.systemNodeInstanceTypes)];
  }

  /** The chart values of a Helm component (computed once per model). */
  public helmValues(c: HelmComponent): JsonObject {
    let v = this._helmValues.get(c);
    if (v === undefined) {
      v = c.values();
      this._helmValues.set(c, v);
    }
    return v;
  }

  /** The facts the library knows about a Helm component's chart (lib/checks/helm-facts.ts), if any. */
  public helmFacts(c: HelmComponent): HelmChartFacts | undefined {
    return HELM_FACTS[c.chart.chart];
  }

  /** Which components install the CRD of `group`/`kind`: CustomResourceDefinition objects, Helm charts, upstream manifests. */
  public crdProviders(group: string, kind: string): CrdProvider[] {
    if (this._crdProviders === undefined) {
      const map = new Map<string, CrdProvider[]>();
      const add = (k: CrdKind, component: IComponent, via: string): void => {
        const key = `${k.group}/${k.kind}`;
        const list = map.get(key) ?? [];
        if (!list.some((p) => p.component === component)) list.push({ component, via });
        map.set(key, list);
      };
      for (const o of this.objects.filter((x) => x.kind === 'CustomResourceDefinition')) {
        const spec = rec(o.object.spec);
        add({ group: String(spec.group), kind: String(rec(spec.names).kind) }, o.component, `CustomResourceDefinition '${o.name}'`);
      }
      for (const c of this.components) {
        if (HelmComponent.isHelmComponent(c) && c.includesCrds) {
          for (const k of this.helmFacts(c)?.crds ?? []) add(k, c, `chart ${c.chart.chart}`);
        }
      }
      this._crdProviders = map;
    }
    return this._crdProviders.get(`${group}/${kind}`) ?? [];
  }

  /**
   * The Secrets, ConfigMaps or ServiceAccounts named `name` in `namespace` that the platform provides: its own
   * objects, ExternalSecret targets, and what its Helm charts create (helm-facts.ts).
   */
  public provided(kind: 'Secret' | 'ConfigMap' | 'ServiceAccount', namespace: string, name: string): ProvidedObject[] {
    if (this._provided === undefined) this._provided = this.buildProvided();
    return this._provided.get(`${kind}/${namespace}/${name}`) ?? [];
  }

  /** Secrets the Helm components read (values `secretKeyRef` / `existingSecret`, and declared with `declareConsumedSecrets`). */
  public helmSecretReferences(c: HelmComponent): { name: string; key?: string; path: string }[] {
    return [
      ...secretsNamedInValues(this.helmValues(c)),
      ...consumedSecrets(c).map((s) => ({ ...s, path: 'declareConsumedSecrets' })),
    ];
  }

  /** Every Service of the platform (own objects and Helm facts), optionally in a namespace. */
  public services(namespace?: string): ServiceModel[] {
    if (this._services === undefined) {
      const out: ServiceModel[] = [];
      for (const o of this.objects.filter((x) => x.kind === 'Service' && x.apiVersion === 'v1')) {
        const spec = rec(o.object.spec);
        const selector = spec.selector === undefined ? undefined : stringMap(spec.selector);
        out.push({
          name: o.name,
          namespace: o.namespace ?? 'default',
          component: o.component,
          labels: stringMap(rec(o.object.metadata).labels),
          selector,
          ports: recs(spec.ports).map((p) => ({
            name: str(p.name), port: Number(p.port), targetPort: p.targetPort as string | number | undefined,
          })),
          object: o,
        });
      }
      for (const c of this.helmComponents) {
        const facts: HelmServiceFact[] = this.helmFacts(c)?.services?.(c.releaseName, this.helmValues(c)) ?? [];
        for (const f of facts) {
          out.push({ name: f.name, namespace: c.namespace, component: c, labels: f.labels, ports: f.ports.map((p) => ({ ...p })) });
        }
      }
      this._services = out;
    }
    return namespace === undefined ? this._services : this._services.filter((s) => s.namespace === namespace);
  }

  private buildProvided(): Map<string, ProvidedObject[]> {
    const map = new Map<string, ProvidedObject[]>();
    const add = (p: ProvidedObject): void => {
      const key = `${p.kind}/${p.namespace}/${p.name}`;
      map.set(key, [...(map.get(key) ?? []), p]);
    };
    for (const o of this.objects) {
      const ns = o.namespace ?? 'default';
      if ((o.kind === 'Secret' || o.kind === 'ConfigMap') && o.apiVersion === 'v1') {
        const keys = [...Object.keys(rec(o.object.data)), ...Object.keys(rec(o.object.stringData)), ...Object.keys(rec(o.object.binaryData))];
        add({ kind: o.kind, namespace: ns, name: o.name, component: o.component, via: `${o.kind} '${ns}/${o.name}'`, keys });
      } else if (o.kind === 'ServiceAccount' && o.apiVersion === 'v1') {
        add({ kind: 'ServiceAccount', namespace: ns, name: o.name, component: o.component, via: `ServiceAccount '${ns}/${o.name}'` });
      } else if (o.kind === 'ExternalSecret' && o.apiVersion.startsWith('external-secrets.io/')) {
        const spec = rec(o.object.spec);
        const target = rec(spec.target);
        const template = rec(target.template);
        const dataKeys = recs(spec.data).map((d) => String(d.secretKey));
        const templateKeys = Object.keys(rec(template.data));
        const hasTemplate = target.template !== undefined && (templateKeys.length > 0 || template.templateFrom !== undefined);
        let keys: string[] | undefined;
        if (recs(spec.dataFrom).length > 0 || template.templateFrom !== undefined) keys = undefined;
        else if (hasTemplate && template.mergePolicy !== 'Merge') keys = templateKeys;
        else keys = [...dataKeys, ...templateKeys];
        const name = str(target.name) ?? o.name;
        add({ kind: 'Secret', namespace: ns, name, component: o.component, via: `ExternalSecret '${ns}/${o.name}'`, keys });
      }
    }
    for (const c of this.helmComponents) {
      const facts = this.helmFacts(c);
      if (facts === undefined) continue;
      const values = this.helmValues(c);
      const via = `chart ${c.chart.chart} (release '${c.releaseName}')`;
      for (const s of facts.secrets?.(c.releaseName, values) ?? []) {
        add({ kind: 'Secret', namespace: c.namespace, name: s.name, component: c, via, keys: s.keys });
      }
      for (const n of facts.serviceAccounts?.(c.releaseName, values) ?? []) {
        add({ kind: 'ServiceAccount', namespace: c.namespace, name: n, component: c, via });
      }
      for (const n of facts.configMaps?.(c.releaseName, values) ?? []) {
        add({ kind: 'ConfigMap', namespace: c.namespace, name: n, component: c, via });
      }
    }
    return map;
  }
}

/** A component that installs a CRD, and how (for messages). */
export interface CrdProvider {
  readonly component: IComponent;
  /** `CustomResourceDefinition 'x'`, `chart karpenter-crd` or `manifest <url>`. */
  readonly via: string;
}

/** A Secret, ConfigMap or ServiceAccount the platform provides. */
export interface ProvidedObject {
  readonly kind: 'Secret' | 'ConfigMap' | 'ServiceAccount';
  readonly namespace: string;
  readonly name: string;
  /** The component that applies it. */
  readonly component: IComponent;
  /** What creates it, for messages (`ExternalSecret 'ns/x'`, `chart langfuse (release 'langfuse')`). */
  readonly via: string;
  /** Data keys; undefined when unknown (any key is accepted). ServiceAccounts have none. */
  readonly keys?: string[];
}

/** A Service of the platform: one of its objects, or one a Helm chart creates (helm-facts.ts). */
export interface ServiceModel {
  readonly name: string;
  readonly namespace: string;
  readonly component: IComponent;
  /** Labels; undefined when unknown (Helm facts without labels). */
  readonly labels?: Record<string, string>;
  /** Pod selector; undefined for Services without one (and Helm Services). */
  readonly selector?: Record<string, string>;
  readonly ports: { readonly name?: string; readonly port: number; readonly targetPort?: string | number }[];
  /** The object, for the platform's own Services. */
  readonly object?: ModelObject;
}

/** `kind 'namespace/name'` (or `kind 'name'` for cluster-scoped objects), for messages. */
export function label(o: Pick<ModelObject, 'kind' | 'name' | 'namespace'>): string {
  return o.namespace !== undefined ? `${o.kind} '${o.namespace}/${o.name}'` : `${o.kind} '${o.name}'`;
}
