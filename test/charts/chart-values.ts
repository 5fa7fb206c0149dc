/**
 * Unknown values keys: Helm ignores a key no template reads, so a typo or a key from another chart version installs
 * silently without the setting. The values the library computes are walked against the chart's defaults (its
 * `values.yaml` with each dependency's `values.yaml` under the dependency's name or alias, plus `global`) and, where
 * the chart has one, its `values.schema.json`.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';

type Json = Record<string, unknown>;

/** A path under which any key is allowed, with the reason read from the chart. */
export interface FreeFormPath {
  /** Dotted key path; `*` matches one key. Keys below it are not checked. */
  readonly path: string;
  /** Why the chart accepts any key there (one line, from the chart's values.yaml or templates). */
  readonly reason: string;
}

/** What the library's values are checked against. */
export interface ChartDefaults {
  /** values.yaml, with dependencies' values.yaml under their name or alias and `global` merged from all of them. */
  readonly values: Json;
  /** Schemas (`values.schema.json`) by the key path of the (sub-)chart they belong to (`''` for the chart itself). */
  readonly schemas: ReadonlyMap<string, Json>;
}

const defaultsCache = new Map<string, ChartDefaults>();

/** The defaults of a chart folder, sub-charts included (conditions aside: every dependency counts). */
export function chartDefaults(dir: string): ChartDefaults {
  let d = defaultsCache.get(dir);
  if (!d) {
    const schemas = new Map<string, Json>();
    const globals: Json = {};
    const values = loadDefaults(dir, [], schemas, globals);
    values.global = deepMergeDefaults(isRecord(values.global) ? values.global : {}, globals);
    d = { values, schemas };
    defaultsCache.set(dir, d);
  }
  return d;
}

function loadDefaults(dir: string, at: string[], schemas: Map<string, Json>, globals: Json): Json {
  const valuesFile = path.join(dir, 'values.yaml');
  // loadAll: an empty values.yaml (only comments) is no document at all.
  const loaded = fs.existsSync(valuesFile) ? yaml.loadAll(fs.readFileSync(valuesFile, 'utf8'))[0] : {};
  const values: Json = isRecord(loaded) ? loaded : {};
  const schemaFile = path.join(dir, 'values.schema.json');
  if (fs.existsSync(schemaFile)) schemas.set(at.join('.'), JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as Json);
  if (isRecord(values.global)) Object.assign(globals, deepMergeDefaults(globals, values.global));
  const meta = readChartMeta(dir);
  const subcharts = subchartDirs(dir);
  for (const dep of meta.dependencies) {
    const key = dep.alias ?? dep.name;
    const subdir = subcharts.get(dep.name);
    // A dependency that could not be vendored (SOURCES.md: kagent's substrate) adds no defaults: its key in the
    // parent's values.yaml (its condition) stays known, and the render fails if the values enable it (helm.ts).
    if (!subdir) continue;
    const sub = loadDefaults(subdir, [...at, key], schemas, globals);
    delete sub.global;
    values[key] = deepMergeDefaults(sub, isRecord(values[key]) ? values[key] as Json : {});
  }
  return values;
}

interface ChartMeta {
  readonly name: string;
  readonly dependencies: Array<{ name: string; alias?: string }>;
}

function readChartMeta(dir: string): ChartMeta {
  const chart = yaml.load(fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8')) as Json;
  const requirementsFile = path.join(dir, 'requirements.yaml'); // apiVersion v1 charts
  const requirements = fs.existsSync(requirementsFile) ? yaml.load(fs.readFileSync(requirementsFile, 'utf8')) as Json : {};
  const deps = [...asArray(chart.dependencies), ...asArray(requirements?.dependencies)]
    .filter(isRecord)
    .map((d) => ({ name: String(d.name), alias: typeof d.alias === 'string' ? d.alias : undefined }));
  return { name: String(chart.name), dependencies: deps };
}

/** Sub-chart folders under `charts/` by chart name; packaged sub-charts (`.tgz`) are unpacked once to a temp folder. */
function subchartDirs(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const chartsDir = path.join(dir, 'charts');
  if (!fs.existsSync(chartsDir)) return out;
  for (const entry of fs.readdirSync(chartsDir, { withFileTypes: true })) {
    let subdir: string | undefined;
    if (entry.isDirectory() && fs.existsSync(path.join(chartsDir, entry.name, 'Chart.yaml'))) {
      subdir = path.join(chartsDir, entry.name);
    } else if (entry.isFile() && entry.name.endsWith('.tgz')) {
      subdir = unpack(path.join(chartsDir, entry.name));
    }
    if (subdir) out.set(readChartMeta(subdir).name, subdir);
  }
  return out;
}

let unpacked: string | undefined;
let unpackCount = 0;

function unpack(tgz: string): string {
  if (!unpacked) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentic-eks-subcharts-'));
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    unpacked = dir;
  }
  const target = path.join(unpacked, String(unpackCount++));
  fs.mkdirSync(target);
  execFileSync('tar', ['-xzf', tgz, '-C', target], { stdio: 'pipe' });
  const [top] = fs.readdirSync(target);
  return path.join(target, top);
}

/** Deep merge of defaults: objects merge, `over` wins for anything else. */
function deepMergeDefaults(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = isRecord(v) && isRecord(out[k]) ? deepMergeDefaults(out[k] as Json, v) : v;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// The walk

/**
 * The key paths of `values` that the chart does not know, each with what the chart offers at its parent. A key is
 * known when the defaults have it or a schema declares it; any key is allowed below an empty map `{}` default, a
 * schema that allows additional properties, or a {@link FreeFormPath}. `null` (remove a default) is fine on a known
 * key. Arrays are not walked (their items are free-form or checked by the render).
 */
export function unknownValueKeys(values: Json, defaults: ChartDefaults, freeForm: readonly FreeFormPath[] = []): string[] {
  const unknown: string[] = [];
  const schemaAt = (at: string[]): SchemaNode[] => {
    const nodes: SchemaNode[] = [];
    for (const [root, schema] of defaults.schemas) {
      const rootPath = root === '' ? [] : root.split('.');
      if (rootPath.length > at.length || rootPath.some((k, i) => at[i] !== k)) continue;
      let current: SchemaNode[] = [{ node: schema, root: schema }];
      for (const key of at.slice(rootPath.length)) current = current.flatMap((n) => schemaChild(n, key));
      nodes.push(...current);
    }
    return nodes;
  };
  const walk = (value: Json, def: unknown, at: string[]): void => {
    for (const [key, child] of Object.entries(value)) {
      const here = [...at, key];
      const known = isRecord(def) && Object.prototype.hasOwnProperty.call(def, key);
      const schemas = schemaAt(here);
      const declared = schemas.some((s) => !s.free);
      const free = isFreeForm(here, freeForm) || schemas.some((s) => s.free);
      if (!known && !declared) {
        if (!free && !(at.length === 0 && key === 'global')) {
          unknown.push(`${formatPath(here)} (${describeParent(def)})`);
        }
        continue;
      }
      if (!isRecord(child) || free) continue;
      const childDef = known ? (def as Json)[key] : undefined;
      if (isRecord(childDef) && Object.keys(childDef).length === 0) continue; // `{}`: a free-form map
      walk(child, childDef, here);
    }
  };
  walk(values, defaults.values, []);
  return unknown;
}

function describeParent(def: unknown): string {
  if (!isRecord(def)) return `the default there is ${def === undefined ? 'absent' : JSON.stringify(def)}`;
  const keys = Object.keys(def);
  return `known keys: ${keys.length > 12 ? `${keys.slice(0, 12).join(', ')}, ...` : keys.join(', ')}`;
}

function isFreeForm(at: string[], freeForm: readonly FreeFormPath[]): boolean {
  return freeForm.some((f) => {
    const p = f.path.split('.');
    return p.length <= at.length && p.every((k, i) => k === '*' || k === at[i]);
  });
}

/** `a.b["c.d"]` for keys with dots or spaces. */
export function formatPath(at: string[]): string {
  return at.map((k, i) => (/^[\w-]+$/.test(k) ? `${i === 0 ? '' : '.'}${k}` : `[${JSON.stringify(k)}]`)).join('');
}

// ---------------------------------------------------------------------------------------------------------
// values.schema.json navigation

interface SchemaNode {
  readonly node: Json;
  readonly root: Json;
  /** True when the schema accepts any key here. */
  readonly free?: boolean;
}

/** The schema nodes a child key resolves to: declared properties, pattern properties, additionalProperties. */
function schemaChild(s: SchemaNode, key: string): SchemaNode[] {
  if (s.free) return [s];
  const out: SchemaNode[] = [];
  for (const node of expand(s.node, s.root, 0)) {
    const props = isRecord(node.properties) ? node.properties : undefined;
    if (props && isRecord(props[key])) {
      out.push({ node: props[key] as Json, root: s.root });
      continue;
    }
    let matched = false;
    if (isRecord(node.patternProperties)) {
      for (const [pattern, sub] of Object.entries(node.patternProperties)) {
        if (isRecord(sub) && new RegExp(pattern).test(key)) {
          out.push({ node: sub, root: s.root });
          matched = true;
        }
      }
    }
    if (matched) continue;
    const additional = node.additionalProperties;
    if (isRecord(additional) && Object.keys(additional).length > 0) out.push({ node: additional, root: s.root });
    else if (additional === true || isRecord(additional)) out.push({ node: {}, root: s.root, free: true });
    // Without properties, additionalProperties or patternProperties the schema does not constrain keys.
    else if (additional === undefined && !props && !node.patternProperties && acceptsObject(node)) {
      out.push({ node: {}, root: s.root, free: true });
    }
  }
  return out;
}

function acceptsObject(node: Json): boolean {
  const type = node.type;
  return type === undefined || type === 'object' || (Array.isArray(type) && type.includes('object'));
}

/** A schema node with its `$ref` and combinators (allOf / anyOf / oneOf / then / else) followed. */
function expand(node: Json, root: Json, depth: number): Json[] {
  if (depth > 20) return [node];
  const out: Json[] = [];
  if (typeof node.$ref === 'string') {
    const target = resolveRef(root, node.$ref);
    if (target) out.push(...expand(target, root, depth + 1));
  }
  const self: Json = { ...node };
  delete self.$ref;
  const combinators = ['allOf', 'anyOf', 'oneOf'].flatMap((k) => asArray(node[k])).concat([node.then, node.else]).filter(isRecord);
  const hasOwn = Object.keys(self).some((k) => !['allOf', 'anyOf', 'oneOf', 'if', 'then', 'else', 'description', 'title', '$schema', 'definitions', '$defs'].includes(k));
  if (hasOwn || (out.length === 0 && combinators.length === 0)) out.push(self);
  for (const c of combinators) out.push(...expand(c, root, depth + 1));
  return out;
}

function resolveRef(root: Json, ref: string): Json | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    node = isRecord(node) ? node[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  return isRecord(node) ? node : undefined;
}

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
