import { IComponent, Stage } from '../../core/component';
import { ClusterModel, label } from '../model';
import { IPlatformRule, RuleEvaluation, evaluation } from '../rule';

/** API groups served by Kubernetes itself (no CRD needed); every other group is a custom resource's. */
const BUILT_IN_GROUPS = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'rbac.authorization.k8s.io', 'networking.k8s.io', 'storage.k8s.io',
  'scheduling.k8s.io', 'coordination.k8s.io', 'node.k8s.io', 'discovery.k8s.io', 'admissionregistration.k8s.io',
  'apiextensions.k8s.io', 'apiregistration.k8s.io', 'certificates.k8s.io', 'events.k8s.io', 'flowcontrol.apiserver.k8s.io',
  'resource.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'internal.apiserver.k8s.io', 'storagemigration.k8s.io',
]);

const STAGE_ORDER = [Stage.CRDS, Stage.CONTROLLERS, Stage.CONFIGURATION, Stage.WORKLOADS];

/** The API group of an apiVersion (`''` for core `v1`). */
export function apiGroup(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

/** True when `c` depends on `d`, directly or through other components. */
function dependsOn(c: IComponent, d: IComponent, seen = new Set<IComponent>()): boolean {
  for (const x of c.dependencies) {
    if (x === d) return true;
    if (!seen.has(x)) {
      seen.add(x);
      if (dependsOn(x, d, seen)) return true;
    }
  }
  return false;
}

/** True when `provider` is applied before `user`: an earlier stage, or a (transitive) dependency. */
function before(provider: IComponent, user: IComponent): boolean {
  return STAGE_ORDER.indexOf(provider.stage) < STAGE_ORDER.indexOf(user.stage) || dependsOn(user, provider);
}

/**
 * Every custom resource the platform applies (any API group Kubernetes does not serve itself, including
 * `gateway.networking.k8s.io`) has its CRD installed by exactly one component: a CustomResourceDefinition object, a
 * Helm chart with `includesCrds` (helm-facts.ts) or pinned upstream manifests; and that component is applied first: an
 * earlier stage, or a dependency in the same stage. Custom resources Helm charts create themselves (helm-facts
 * `usesCrds`, e.g. Langfuse 2.x's ClickHouseCluster) count too.
 */
export const CRDS_INSTALLED_FIRST: IPlatformRule = {
  id: 'crds-installed-first',
  description: 'Every custom resource has its CRD installed by exactly one component, applied before the resource',
  why: 'Without the CRD the apply fails ("no matches for kind"); two owners fight over the CRD on upgrades; a CRD applied in the same wave races the resource',
  example: "ClickHouseCluster (clickhouse.com) of Helm component 'langfuse' has no CRD in the platform; fix: add the component that installs it (e.g. the clickhouse-operator-helm chart) in an earlier stage",
  evaluate(model: ClusterModel): RuleEvaluation {
    const findings: string[] = [];
    const users: { what: string; group: string; kind: string; component: IComponent }[] = [];
    for (const o of model.objects) {
      const group = apiGroup(o.apiVersion);
      if (BUILT_IN_GROUPS.has(group)) continue;
      users.push({ what: label(o), group, kind: o.kind, component: o.component });
    }
    for (const c of model.helmComponents) {
      for (const k of model.helmFacts(c)?.usesCrds?.(model.helmValues(c), c.chart.version) ?? []) {
        users.push({ what: `${k.kind} (${k.group}) of Helm component '${c.componentName}'`, group: k.group, kind: k.kind, component: c });
      }
    }
    const reported = new Set<string>();
    const report = (line: string): void => {
      if (!reported.has(line)) findings.push(line);
      reported.add(line);
    };
    for (const u of users) {
      const providers = model.crdProviders(u.group, u.kind);
      const crd = `${u.kind}.${u.group}`;
      if (providers.length === 0) {
        report(`${u.what} needs the CRD ${crd}, which no component installs; fix: add the component that installs it (its CRD chart with includesCrds, or the CRD objects) in an earlier stage`);
        continue;
      }
      if (providers.length > 1) {
        report(`CRD ${crd} (used by ${u.what}) is installed by ${providers.length} components: ${providers.map((p) => `'${p.component.componentName}' (${p.via})`).join(', ')}; fix: let one component own it (set includesCrds: false on the others)`);
      }
      const late = providers.filter((p) => p.component !== u.component && !before(p.component, u.component));
      const own = providers.filter((p) => p.component === u.component);
      if (own.length === 0 && late.length === providers.length) {
        const p = providers[0];
        report(`${u.what} (component '${u.component.componentName}', stage ${u.component.stage}) is not applied after the CRD ${crd} of component '${p.component.componentName}' (stage ${p.component.stage}); fix: install the CRD in an earlier stage, or addDependency('${p.component.componentName}') on '${u.component.componentName}' within the same stage`);
      }
    }
    return evaluation(users.length > 0, findings);
  },
};
