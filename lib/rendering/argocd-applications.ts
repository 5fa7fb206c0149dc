import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { ResolvedGitOpsOptions } from './gitops-options';
import { Application, ApplicationSpecSyncPolicy } from '../../imports/argocd-application-argoproj.io';
import { HelmComponent, IComponent, KubernetesComponent, syncWave } from '../core/component';
import { PlatformDefinition } from '../core/platform-definition';

/** Folder of the GitOps output that holds the Application of every component (what the root app syncs). */
export const APPS_FOLDER = 'apps';
/** Folder of the GitOps output that holds the root app-of-apps Application. */
export const ROOT_FOLDER = 'root';
/** Name of the root app-of-apps Application. */
export const ROOT_APP_NAME = 'platform-root';

const IN_CLUSTER = 'https://kubernetes.default.svc';

function syncPolicy(options: ResolvedGitOpsOptions): ApplicationSpecSyncPolicy {
  return {
    automated: options.automated ? { prune: true, selfHeal: true } : undefined,
    syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
    retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
  };
}

function metadata(name: string, wave: number, options: ResolvedGitOpsOptions) {
  return {
    name,
    namespace: options.argoCdNamespace,
    annotations: { 'argocd.argoproj.io/sync-wave': String(wave) },
    finalizers: ['resources-finalizer.argocd.argoproj.io'],
  };
}

/** Argo CD's form of a Helm repository URL: OCI registries without the `oci://` scheme. */
export function argoHelmRepoUrl(repository: string): string {
  return repository.replace(/^oci:\/\//, '');
}

/** Adds the Argo CD Application of one component to `scope`. */
export function addComponentApplication(scope: Construct, component: IComponent, options: ResolvedGitOpsOptions): Application {
  const wave = syncWave(component.stage);
  if (HelmComponent.isHelmComponent(component)) {
    const app = new Application(scope, component.componentName, {
      metadata: metadata(component.componentName, wave, options),
      spec: {
        project: options.project,
        source: {
          repoUrl: argoHelmRepoUrl(component.chart.repository),
          chart: component.chart.chart,
          targetRevision: component.chart.version,
          // Helm's --skip-crds: the chart's `crds/` folder belongs to another component.
          helm: { releaseName: component.releaseName, ...(component.includesCrds ? {} : { skipCrds: true }) },
        },
        destination: { server: IN_CLUSTER, namespace: component.namespace },
        syncPolicy: syncPolicy(options),
      },
    });
    // Added as a patch: cdk8s drops nulls from props, and a null value is Helm's way of removing a chart default.
    app.addJsonPatch(JsonPatch.add('/spec/source/helm/valuesObject', component.values()));
    return app;
  }
  const k8s = component as KubernetesComponent;
  return new Application(scope, component.componentName, {
    metadata: metadata(component.componentName, wave, options),
    spec: {
      project: options.project,
      source: {
        repoUrl: options.repoUrl,
        targetRevision: options.targetRevision,
        path: `${options.path}/${component.componentName}`,
        directory: { recurse: false },
      },
      destination: { server: IN_CLUSTER, namespace: k8s.namespace },
      syncPolicy: syncPolicy(options),
    },
  });
}

/**
 * Adds Argo CD repository declarations for the OCI Helm registries the components use: Argo CD pulls a Helm chart
 * from an OCI registry only when the repository is declared with `enableOCI`. They carry no credentials (public
 * registries); private registries need credentials added by the operator.
 */
export function addOciRepositories(scope: Construct, components: IComponent[], options: ResolvedGitOpsOptions): void {
  const registries = new Set<string>();
  for (const c of components) {
    if (HelmComponent.isHelmComponent(c) && c.chart.isOci) {
      registries.add(argoHelmRepoUrl(c.chart.repository));
    }
  }
  for (const url of [...registries].sort()) {
    const name = `helm-oci-${url.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`.slice(0, 63).replace(/-+$/, '');
    new ApiObject(scope, name, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name,
        namespace: options.argoCdNamespace,
        labels: { 'argocd.argoproj.io/secret-type': 'repository' },
        annotations: { 'argocd.argoproj.io/sync-wave': '-100' },
      },
      stringData: { name, type: 'helm', url, enableOCI: 'true' },
    });
  }
}

/** Adds the root app-of-apps Application, which syncs the `apps/` folder of the GitOps output. */
export function addRootApplication(scope: Construct, options: ResolvedGitOpsOptions): Application {
  return new Application(scope, ROOT_APP_NAME, {
    metadata: { name: ROOT_APP_NAME, namespace: options.argoCdNamespace },
    spec: {
      project: options.project,
      source: {
        repoUrl: options.repoUrl,
        targetRevision: options.targetRevision,
        path: `${options.path}/${APPS_FOLDER}`,
        directory: { recurse: false },
      },
      destination: { server: IN_CLUSTER, namespace: options.argoCdNamespace },
      syncPolicy: syncPolicy(options),
    },
  });
}

/** Builds the charts of the GitOps-only objects: the component Applications (+ OCI repositories) and the root app. */
export function buildArgoCdCharts(definition: PlatformDefinition, options: ResolvedGitOpsOptions, scope: Construct) {
  const components = definition.components;
  const apps = new Chart(scope, APPS_FOLDER, { disableResourceNameHashes: true });
  addOciRepositories(apps, components, options);
  for (const c of components) {
    addComponentApplication(apps, c, options);
  }
  const root = new Chart(scope, ROOT_FOLDER, { disableResourceNameHashes: true });
  addRootApplication(root, options);
  return { apps, root, components };
}
