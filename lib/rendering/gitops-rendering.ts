import { ApiObject, App, Chart } from 'cdk8s';
import * as yaml from 'js-yaml';
import { APPS_FOLDER, ROOT_FOLDER, buildArgoCdCharts } from './argocd-applications';
import { GitOpsOptions, resolveGitOpsOptions } from './gitops-options';
import { renderGitOpsReadme } from './gitops-readme';
import { writeFileTree } from './private/file-tree-writer';
import { computePrerequisites } from '../checks/prerequisites';
import { ClusterModel } from '../checks/model';
import { PLATFORM_RULES } from '../checks/pack';
import { assertPlatformChecks } from '../checks/run';
import { KubernetesComponent } from '../core/component';
import { PlatformDefinition } from '../core/platform-definition';
import { PlatformReport, REPORT_JSON_FILE, REPORT_MARKDOWN_FILE } from '../report/platform-report';

/** One file of the GitOps output. */
export interface RenderedFile {
  /** Path relative to the output directory, `/`-separated. */
  readonly path: string;
  /** File content. */
  readonly content: string;
}

/** A folder of the GitOps output with its Kubernetes objects. */
export interface RenderedFolder {
  /** Folder name (component name, `apps` or `root`). */
  readonly folder: string;
  /** Objects in apply order. */
  readonly objects: Record<string, unknown>[];
}

/** The machine-readable list of prerequisites in the GitOps output (the same list as dist/README.md's section). */
export const PREREQUISITES_FILE = 'prerequisites.json';

/**
 * From this many files on, {@link GitOpsRendering.write} creates them in a worker thread while it renders the next
 * ones (below, starting the thread costs about what the overlap saves).
 */
const BACKGROUND_WRITE_FILES = 500;

const TOKEN = /\$\{Token\[|\{"Fn::|"Ref":|\{\{resolve:/;

function fileName(obj: Record<string, unknown>, taken: Set<string>): string {
  const meta = (obj.metadata ?? {}) as Record<string, unknown>;
  const base = `${String(obj.kind).toLowerCase()}-${String(meta.name)}`;
  const ns = typeof meta.namespace === 'string' ? `${base}.${meta.namespace}` : base;
  let name = `${base}.yaml`;
  if (taken.has(name)) name = `${ns}.yaml`;
  taken.add(name);
  return name;
}

/**
 * The GitOps rendering: writes every component to `dist/<component>/` as plain YAML, an Argo CD Application per
 * component to `dist/apps/`, the root app-of-apps to `dist/root/` and a generated `dist/README.md`.
 */
export class GitOpsRendering {
  /** The folders and their objects, without writing anything. Throws if an object carries a CloudFormation token. */
  public static folders(definition: PlatformDefinition, gitOps: GitOpsOptions): RenderedFolder[] {
    return GitOpsRendering.foldersOf(definition, gitOps);
  }

  private static foldersOf(definition: PlatformDefinition, gitOps: GitOpsOptions, model?: ClusterModel): RenderedFolder[] {
    const options = resolveGitOpsOptions(gitOps);
    const cluster = assertPlatformChecks(definition, PLATFORM_RULES, model ?? ClusterModel.of(definition));
    const argo = buildArgoCdCharts(definition, options, new App());
    const folders: RenderedFolder[] = [];
    const explanations = new Map<string, string[]>();
    for (const c of argo.components) {
      if (KubernetesComponent.isKubernetesComponent(c)) {
        folders.push({ folder: c.componentName, objects: cluster.manifestsOf(c) });
        explanations.set(c.componentName, c.tokenExplanations);
      }
    }
    folders.push({ folder: APPS_FOLDER, objects: argo.apps.toJson() });
    folders.push({ folder: ROOT_FOLDER, objects: argo.root.toJson() });
    for (const f of folders) {
      for (const obj of f.objects) {
        const text = JSON.stringify(obj);
        if (TOKEN.test(text)) {
          const meta = (obj.metadata ?? {}) as Record<string, unknown>;
          const why = explanations.get(f.folder) ?? [];
          throw new Error(
            `GitOps rendering: ${String(obj.kind)} '${String(meta.name)}' in '${f.folder}' carries a CloudFormation token; ` +
              'Kubernetes-side props must be literal strings' + why.map((w) => `. ${w}`).join(''),
          );
        }
      }
    }
    return folders;
  }

  /**
   * Every file of the GitOps output (YAML files, README.md, prerequisites.json and the platform report REPORT.md +
   * report.json), in a stable order.
   */
  public static files(definition: PlatformDefinition, gitOps: GitOpsOptions): RenderedFile[] {
    return [...GitOpsRendering.render(definition, gitOps).files];
  }

  /**
   * Writes the GitOps output to `outdir` (replacing what a previous run wrote there). The checks run and every object
   * is read before anything is removed; from 500 files on (a platform with about 60 models), the files are created by a
   * worker thread while the YAML of the next ones is rendered.
   * @returns the written paths, relative to `outdir`
   */
  public static write(definition: PlatformDefinition, gitOps: GitOpsOptions, outdir: string): string[] {
    return GitOpsRendering._writeReusing(definition, gitOps, outdir);
  }

  /**
   * {@link write}, reusing the cluster model a CloudFormation rendering of the same definition already built.
   * @internal
   */
  public static _writeReusing(definition: PlatformDefinition, gitOps: GitOpsOptions, outdir: string, reuse?: ClusterModel): string[] {
    const rendered = GitOpsRendering.render(definition, gitOps, reuse);
    return writeFileTree(outdir, rendered.files, rendered.count >= BACKGROUND_WRITE_FILES);
  }

  /**
   * The files of the GitOps output, their YAML rendered lazily, and how many there are. The checks, the token check
   * and the README are done before it returns.
   */
  private static render(definition: PlatformDefinition, gitOps: GitOpsOptions, reuse?: ClusterModel): { files: Iterable<RenderedFile>; count: number } {
    const options = resolveGitOpsOptions(gitOps);
    // One model of the cluster for the checks and the prerequisites of this rendering (or the CDK rendering's, when
    // both renderings run in one process and the definition has not changed since).
    const model = reuse !== undefined && reuse.definition === definition && reuse.isCurrent() ? reuse : ClusterModel.of(definition);
    const folders = GitOpsRendering.foldersOf(definition, gitOps, model);
    const prerequisites = computePrerequisites(definition, model);
    const last: RenderedFile[] = [
      { path: 'README.md', content: renderGitOpsReadme(definition, options, new Map(folders.map((f) => [f.folder, f.objects])), prerequisites) },
      { path: PREREQUISITES_FILE, content: `${JSON.stringify(prerequisites, undefined, 2)}\n` },
    ];
    const report = PlatformReport.of(definition);
    last.push({ path: REPORT_MARKDOWN_FILE, content: report.toMarkdown() }, { path: REPORT_JSON_FILE, content: report.toJson() });
    function* files(): Generator<RenderedFile> {
      for (const f of folders) {
        const taken = new Set<string>();
        for (const obj of f.objects) {
          yield { path: `${f.folder}/${fileName(obj, taken)}`, content: yaml.dump(obj, { noRefs: true, lineWidth: -1, sortKeys: false }) };
        }
      }
      yield* last;
    }
    return { files: files(), count: folders.reduce((n, f) => n + f.objects.length, last.length) };
  }
}

/** Every Kubernetes object of a chart as JSON (for tests and tools). */
export function chartObjects(chart: Chart): Record<string, unknown>[] {
  return chart.toJson();
}

/** True when the construct is a cdk8s ApiObject. */
export function isApiObject(x: unknown): x is ApiObject {
  return x instanceof ApiObject;
}
