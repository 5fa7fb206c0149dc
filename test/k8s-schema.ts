/**
 * Strict offline validation of Kubernetes objects, close to what `kubectl apply --validate=strict` and the
 * API server do: core kinds against the Kubernetes OpenAPI definitions, custom kinds against their CRD's
 * `openAPIV3Schema` plus its CEL rules, all read from `../shared/schemas`. Unknown fields are errors.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Environment, ParseResult } from '@marcbachmann/cel-js' with { 'resolution-mode': 'import' };
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import * as yaml from 'js-yaml';

/** Folder holding the stored schemas: `../shared/schemas` seen from the repository root. */
export const SCHEMAS_DIR: string = path.resolve(__dirname, '..', '..', 'shared', 'schemas');
const CORE_DEFINITIONS = path.join(SCHEMAS_DIR, 'kubernetes', 'v1.36.0', '_definitions.json');
const CORE_ID = 'k8s-core';
const OBJECT_META = `${CORE_ID}#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`;

/** Whether `../shared/schemas` exists; when it does not, tests of emitted objects are skipped (loudly). */
export const SCHEMAS_AVAILABLE: boolean = fs.existsSync(CORE_DEFINITIONS);

/**
 * `describe` when the stored schemas are available, otherwise `describe.skip` with a loud warning,
 * so a machine without `../shared/schemas` does not fail, and nobody mistakes the skip for a pass.
 */
export function describeWithSchemas(name: string, fn: () => void): void {
  if (SCHEMAS_AVAILABLE) {
    describe(name, fn);
    return;
  }
  console.warn(`SKIPPED "${name}": Kubernetes schemas not found at ${SCHEMAS_DIR}; emitted objects are NOT validated`);
  describe.skip(name, fn);
}

/**
 * Validates one Kubernetes object strictly and returns human-readable errors, each naming the field path;
 * an empty list means the object is valid. Custom resources of a kind that one of `crds` (CustomResourceDefinition
 * objects, e.g. those a platform installs) defines are validated against that CRD instead of the stored one.
 */
export function validateK8sObject(obj: unknown, crds: readonly unknown[] = []): string[] {
  if (!SCHEMAS_AVAILABLE) return [`cannot validate: Kubernetes schemas not found at ${SCHEMAS_DIR}`];
  if (!isRecord(obj)) return [`a Kubernetes object must be a mapping, got ${obj === null ? 'null' : typeof obj}`];
  const { apiVersion, kind } = obj;
  const metadata = asRecord(obj.metadata);
  const errors: string[] = [];
  if (typeof apiVersion !== 'string' || apiVersion === '') errors.push('apiVersion: required');
  if (typeof kind !== 'string' || kind === '') errors.push('kind: required');
  if (typeof metadata?.name !== 'string' || metadata.name === '') errors.push('metadata.name: required');
  if (typeof apiVersion !== 'string' || apiVersion === '' || typeof kind !== 'string' || kind === '') return errors;

  const validator = crdValidatorFor(apiVersion, kind, crds) ?? validatorFor(apiVersion, kind);
  if (!validator) return [...errors, `no schema for ${apiVersion} ${kind}`];
  if (validator.notServed) return [...errors, `${apiVersion} ${kind} is not served by its CRD (${validator.source})`];
  // Validate what would be sent (JSON drops undefined), with schema defaults applied as the API server does.
  let sent: unknown;
  try {
    sent = JSON.parse(JSON.stringify(obj));
  } catch (e) {
    return [...errors, `not serializable to JSON: ${firstLine(e)}`];
  }
  if (!validator.validate(sent)) errors.push(...formatAjvErrors(validator.validate.errors ?? []));
  if (validator.crdSchema) errors.push(...celErrors(validator.crdSchema, sent));
  if (metadata) errors.push(...metadataErrors(apiVersion, kind, metadata));
  return errors;
}

/**
 * Validates every object and throws one Error listing all errors, each prefixed with the object's
 * `apiVersion/kind/metadata.name`. Returns quietly when all objects are valid. `crds`: as for {@link validateK8sObject}.
 */
export function expectValidK8sObjects(objs: unknown[], crds: readonly unknown[] = []): void {
  const lines: string[] = [];
  objs.forEach((obj, index) => {
    for (const error of validateK8sObject(obj, crds)) lines.push(`${objectLabel(obj, index)}: ${error}`);
  });
  if (lines.length > 0) {
    throw new Error(`${lines.length} Kubernetes schema error(s) in ${objs.length} object(s):\n  ${lines.join('\n  ')}`);
  }
}

/**
 * Compiles a CEL rule as the validator does and returns why it cannot be evaluated (an unsupported
 * function, a syntax error), or undefined when it can. Lets tests prove no stored rule is silently skipped.
 */
export function celRuleProblem(rule: string): string | undefined {
  return compiledRule(rule).problem;
}

// ---------------------------------------------------------------------------------------------------------
// Schema lookup and compilation: each schema is compiled once (per test file) and cached.

type JsonSchema = Record<string, unknown>;

/** An ajv validate function, or a stand-in that reports why the schema could not be compiled. */
type SchemaCheck = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

interface Validator {
  readonly validate: SchemaCheck;
  /** The CRD's original schema, walked for CEL rules and list-type checks; undefined for core kinds. */
  readonly crdSchema?: JsonSchema;
  readonly notServed?: boolean;
  readonly source: string;
}

interface CrdVersion {
  readonly file: string;
  readonly schema: JsonSchema;
  readonly served: boolean;
}

const validators = new Map<string, Validator | undefined>();
let ajvInstance: Ajv | undefined;
const coreKinds = new Map<string, string>();

function validatorFor(apiVersion: string, kind: string): Validator | undefined {
  const key = `${apiVersion}/${kind}`;
  if (!validators.has(key)) validators.set(key, compileValidator(apiVersion, kind));
  return validators.get(key);
}

/** Compiles a schema; one ajv cannot compile yields a check that always fails saying why (never a silent pass). */
function compile(schema: JsonSchema, source: string): SchemaCheck {
  try {
    return getAjv().compile(schema);
  } catch (e) {
    const message = `schema ${source} could not be compiled: ${firstLine(e)}`;
    return Object.assign(() => false, { errors: [{ keyword: 'schema', instancePath: '', schemaPath: '#', params: {}, message }] });
  }
}

/** Validators compiled from given CRD objects, per CRD object and apiVersion. */
const givenCrdValidators = new WeakMap<object, Map<string, Validator>>();

/** The validator of `apiVersion`/`kind` from the first of `crds` that defines it, if any. */
function crdValidatorFor(apiVersion: string, kind: string, crds: readonly unknown[]): Validator | undefined {
  for (const crd of crds) {
    const spec = isRecord(crd) && crd.kind === 'CustomResourceDefinition' ? asRecord(crd.spec) : undefined;
    if (!spec || asRecord(spec.names)?.kind !== kind) continue;
    const version = asArray(spec.versions).map(asRecord).find((v) => `${String(spec.group)}/${String(v?.name)}` === apiVersion);
    const schema = asRecord(asRecord(version?.schema)?.openAPIV3Schema);
    if (!version || !schema) continue;
    let cache = givenCrdValidators.get(crd as object);
    if (!cache) givenCrdValidators.set(crd as object, cache = new Map());
    let validator = cache.get(apiVersion);
    if (!validator) {
      const name = String(asRecord((crd as Record<string, unknown>).metadata)?.name);
      validator = crdValidator({ file: `CustomResourceDefinition ${name} (given)`, schema, served: version.served !== false });
      cache.set(apiVersion, validator);
    }
    return validator;
  }
  return undefined;
}

function compileValidator(apiVersion: string, kind: string): Validator | undefined {
  getAjv();
  const definition = coreKinds.get(`${apiVersion}/${kind}`);
  if (definition) return { validate: compile({ $ref: `${CORE_ID}#/definitions/${definition}` }, definition), source: definition };
  const crd = findCrd(apiVersion, kind);
  return crd ? crdValidator(crd) : undefined;
}

function crdValidator(crd: CrdVersion): Validator {
  getAjv();
  const strict = strictify(crd.schema);
  // CRD schemas mostly say `metadata: {type: object}`; the API server validates it as ObjectMeta.
  const declared = asRecord(asRecord(crd.schema.properties)?.metadata);
  const metadata = declared && Object.keys(declared).some((k) => k !== 'type' && k !== 'description')
    ? { allOf: [{ $ref: OBJECT_META }, declared] }
    : { $ref: OBJECT_META };
  strict.properties = { ...asRecord(strict.properties), metadata };
  const source = path.isAbsolute(crd.file) ? path.relative(SCHEMAS_DIR, crd.file) : crd.file;
  return { validate: compile(strict, source), crdSchema: crd.schema, notServed: !crd.served, source };
}

function getAjv(): Ajv {
  if (ajvInstance) return ajvInstance;
  // CRD patterns are RE2 (`^(?i)...`), which JS RegExp does not read as is.
  const regExp = Object.assign((pattern: string, flags: string) => re2(pattern, flags), { code: 're2' });
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false, useDefaults: true, code: { regExp } });
  addFormats(ajv);
  // Formats as the API server reads them (ajv-formats' `duration` is ISO 8601, Kubernetes' is Go's).
  ajv.addFormat('duration', /^(([+-]?(\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+|0|\d+\s*[a-z]+)$/);
  ajv.addFormat('uri', /^([A-Za-z][A-Za-z0-9+.-]*:|\/)\S*$/);
  ajv.addFormat('cidr', /^(\d{1,3}(\.\d{1,3}){3}\/\d{1,2}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\/\d{1,3})$/);
  ajv.addFormat('uint32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff });
  const definitions = asRecord(JSON.parse(fs.readFileSync(CORE_DEFINITIONS, 'utf8')).definitions) ?? {};
  ajv.addSchema({ $id: CORE_ID, definitions: mapValues(definitions, (d) => strictify(asRecord(d) ?? {})) });
  for (const [name, definition] of Object.entries(definitions)) {
    for (const gvk of asArray(asRecord(definition)?.['x-kubernetes-group-version-kind'])) {
      const { group, version, kind } = asRecord(gvk) ?? {};
      const apiVersion = group ? `${String(group)}/${String(version)}` : String(version);
      if (!coreKinds.has(`${apiVersion}/${String(kind)}`)) coreKinds.set(`${apiVersion}/${String(kind)}`, name);
    }
  }
  ajvInstance = ajv;
  return ajv;
}

/**
 * Returns a deep copy of a schema in which every object with `properties` that neither sets
 * `additionalProperties` nor preserves unknown fields rejects unknown fields, and int-or-string accepts both.
 */
function strictify(node: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...node };
  for (const key of ['properties', 'patternProperties', 'definitions']) {
    const map = asRecord(node[key]);
    if (map) out[key] = mapValues(map, (child) => strictify(asRecord(child) ?? {}));
  }
  for (const key of ['allOf', 'anyOf', 'oneOf', 'items', 'additionalProperties', 'not']) {
    const child = node[key];
    if (Array.isArray(child)) out[key] = child.map((c) => strictify(asRecord(c) ?? {}));
    else if (isRecord(child)) out[key] = strictify(child);
  }
  if (node['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    if (!out.anyOf && !out.oneOf) out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (node['x-kubernetes-embedded-resource'] === true && isRecord(out.properties)) {
    out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...out.properties };
  }
  if (out.type === 'object' && isRecord(out.properties) && out.additionalProperties === undefined
    && out['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// CRD discovery: every *.yaml under SCHEMAS_DIR except kubernetes/. A file is parsed (all its documents)
// only once it is known to mention the group and kind looked for.

let yamlTexts: Map<string, string> | undefined;
const parsedFiles = new Map<string, unknown[]>();

function findCrd(apiVersion: string, kind: string): CrdVersion | undefined {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : undefined;
  if (!group) return undefined;
  const found: CrdVersion[] = [];
  for (const [file, text] of crdFileTexts()) {
    if (!text.includes(group) || !text.includes(kind)) continue;
    for (const doc of parsedDocuments(file, text)) {
      const spec = isRecord(doc) && doc.kind === 'CustomResourceDefinition' ? asRecord(doc.spec) : undefined;
      if (spec?.group !== group || asRecord(spec.names)?.kind !== kind) continue;
      for (const version of asArray(spec.versions).map(asRecord)) {
        const schema = asRecord(asRecord(version?.schema)?.openAPIV3Schema);
        if (version && schema && `${group}/${String(version.name)}` === apiVersion) {
          found.push({ file, schema, served: version.served !== false });
        }
      }
    }
  }
  // Prefer a distribution's own copy over vendored upstream-core or legacy-* copies of the same kind.
  const rank = (c: CrdVersion) => path.relative(SCHEMAS_DIR, c.file).split(path.sep)
    .some((dir) => dir === 'upstream-core' || dir.startsWith('legacy-')) ? 1 : 0;
  return found.sort((a, b) => rank(a) - rank(b) || a.file.localeCompare(b.file))[0];
}

function crdFileTexts(): Map<string, string> {
  yamlTexts ??= new Map(listYamlFiles(SCHEMAS_DIR).map((file) => [file, fs.readFileSync(file, 'utf8')]));
  return yamlTexts;
}

function listYamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return dir === SCHEMAS_DIR && entry.name === 'kubernetes' ? [] : listYamlFiles(full);
    return /\.ya?ml$/.test(entry.name) ? [full] : [];
  });
}

function parsedDocuments(file: string, text: string): unknown[] {
  let docs = parsedFiles.get(file);
  if (!docs) {
    docs = yaml.loadAll(text);
    parsedFiles.set(file, docs);
  }
  return docs;
}

// ---------------------------------------------------------------------------------------------------------
// Error formatting

function formatAjvErrors(errors: ErrorObject[]): string[] {
  const combinators = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const isInside = (e: ErrorObject, c: ErrorObject) => e !== c && e.schemaPath.startsWith(`${c.schemaPath}/`);
  const out = new Set<string>();
  for (const error of errors) {
    if (combinators.some((c) => isInside(error, c))) continue;
    const at = formatPath(error.instancePath) || '(root)';
    const params: Record<string, unknown> = error.params;
    if (error.keyword === 'additionalProperties') {
      out.add(`unknown field "${joinPath(formatPath(error.instancePath), String(params.additionalProperty))}"`);
    } else if (error.keyword === 'anyOf' || error.keyword === 'oneOf') {
      const alternatives = [...new Set(errors.filter((e) => isInside(e, error) && e.instancePath === error.instancePath)
        .map((e) => e.message ?? ''))];
      const shared = alternatives.every((m) => m.startsWith('must be ')) ? 'must be ' : '';
      out.add(`${at}: ${shared}${alternatives.map((m) => m.slice(shared.length)).join(' or ') || error.message}`);
    } else if (error.keyword === 'enum') {
      const allowed = asArray(params.allowedValues).map((v) => JSON.stringify(v));
      out.add(`${at}: must be one of ${allowed.slice(0, 12).join(', ')}${allowed.length > 12 ? ', ...' : ''}`);
    } else {
      out.add(`${at}: ${error.message}`);
    }
  }
  return [...out];
}

/** Turns a JSON pointer (`/spec/containers/0/name`) into `spec.containers[0].name`. */
function formatPath(pointer: string): string {
  if (pointer === '') return '';
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, segment) => /^\d+$/.test(segment) ? `${acc}[${segment}]` : joinPath(acc, segment), '');
}

function joinPath(base: string, key: string): string {
  if (!/^[A-Za-z_$][\w$-]*$/.test(key)) return `${base}[${JSON.stringify(key)}]`;
  return base ? `${base}.${key}` : key;
}

function objectLabel(obj: unknown, index: number): string {
  const record = asRecord(obj);
  const name = asRecord(record?.metadata)?.name;
  return `${String(record?.apiVersion ?? '?')}/${String(record?.kind ?? '?')}/${typeof name === 'string' ? name : `(object #${index})`}`;
}

// ---------------------------------------------------------------------------------------------------------
// ObjectMeta checks the API server makes beyond the OpenAPI schema (name, namespace and label syntax)

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function metadataErrors(apiVersion: string, kind: string, metadata: Record<string, unknown>): string[] {
  const errors: string[] = [];
  const { name, namespace } = metadata;
  const problem = typeof name === 'string' && name !== '' ? nameProblem(apiVersion, kind, name) : undefined;
  if (problem) errors.push(`metadata.name: "${String(name)}" ${problem}`);
  if (typeof namespace === 'string' && !(namespace.length <= 63 && DNS_LABEL.test(namespace))) {
    errors.push(`metadata.namespace: "${namespace}" must be a DNS-1123 label (lowercase alphanumerics and '-', at most 63)`);
  }
  for (const field of ['labels', 'annotations']) {
    for (const [key, value] of Object.entries(asRecord(metadata[field]) ?? {})) {
      if (!isQualifiedKey(key)) errors.push(`metadata.${field}: key "${key}" is not a valid qualified name ([dns-prefix/]name)`);
      if (field === 'labels' && typeof value === 'string' && !(value.length <= 63 && LABEL_VALUE.test(value))) {
        errors.push(`metadata.labels["${key}"]: value "${value}" must be at most 63 alphanumerics, '-', '_' or '.', `
          + 'starting and ending with an alphanumeric');
      }
    }
  }
  return errors;
}

function nameProblem(apiVersion: string, kind: string, name: string): string | undefined {
  if (apiVersion.startsWith('rbac.authorization.k8s.io/')) {
    return name === '.' || name === '..' || /[/%]/.test(name) ? 'must be a valid path segment (no "/" or "%")' : undefined;
  }
  if (apiVersion === 'v1' && kind === 'Service') {
    return name.length <= 63 && DNS1035_LABEL.test(name)
      ? undefined : 'must be a DNS-1035 label (a letter, then lowercase alphanumerics and \'-\', at most 63)';
  }
  if (apiVersion === 'v1' && kind === 'Namespace') {
    return name.length <= 63 && DNS_LABEL.test(name) ? undefined : 'must be a DNS-1123 label (lowercase alphanumerics and \'-\', at most 63)';
  }
  return name.length <= 253 && DNS_SUBDOMAIN.test(name)
    ? undefined : 'must be a DNS-1123 subdomain (lowercase alphanumerics, \'-\' and \'.\', at most 253)';
}

function isQualifiedKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = key.slice(0, Math.max(slash, 0));
  const name = key.slice(slash + 1);
  if (slash >= 0 && !(prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && QUALIFIED_NAME.test(name);
}

// ---------------------------------------------------------------------------------------------------------
// CEL rules (`x-kubernetes-validations`) and `x-kubernetes-list-type` uniqueness of CRD objects

const checksMemo = new WeakMap<JsonSchema, boolean>();
const compiledRules = new Map<string, { run?: ParseResult; problem?: string }>();
let celEnv: Environment | undefined;

/** Walks the CRD schema beside the object; evaluates each CEL rule with `self` bound to the value there. */
function celErrors(schema: JsonSchema, obj: unknown): string[] {
  const errors: string[] = [];
  walkCel(schema, obj, '', errors);
  return errors;
}

function walkCel(schema: JsonSchema, value: unknown, at: string, errors: string[]): void {
  if (value === undefined || value === null || !hasChecks(schema)) return;
  const record = asRecord(value);
  if (record) {
    for (const [key, child] of Object.entries(record)) {
      const childSchema = childSchemaOf(schema, key);
      if (childSchema) walkCel(childSchema, child, joinPath(at, key), errors);
    }
  }
  const items = asRecord(schema.items);
  if (Array.isArray(value) && items) value.forEach((item, i) => walkCel(items, item, `${at}[${i}]`, errors));
  if (Array.isArray(value)) errors.push(...listTypeErrors(schema, value, at));
  let self: unknown;
  for (const rule of asArray(schema['x-kubernetes-validations']).map(asRecord)) {
    if (typeof rule?.rule !== 'string' || /\boldSelf\b/.test(rule.rule)) continue; // transition rules need the old object
    self ??= toCel(schema, value);
    const outcome = evaluateRule(rule.rule, self);
    const shown = rule.rule.length > 160 ? `${rule.rule.slice(0, 157)}...` : rule.rule;
    if (outcome === false) {
      errors.push(`${at || '(root)'}: ${typeof rule.message === 'string' ? rule.message : 'failed CEL rule'} (rule: ${shown})`);
    } else if (outcome !== undefined) {
      errors.push(`${at || '(root)'}: CEL rule could not be evaluated (${outcome}): ${shown}`);
    }
  }
}

function childSchemaOf(schema: JsonSchema, key: string): JsonSchema | undefined {
  const declared = asRecord(schema.properties);
  return (declared && Object.hasOwn(declared, key) ? asRecord(declared[key]) : undefined) ?? asRecord(schema.additionalProperties);
}

function hasChecks(schema: JsonSchema): boolean {
  let result = checksMemo.get(schema);
  if (result === undefined) {
    checksMemo.set(schema, false); // guards against cycles
    const listType = schema['x-kubernetes-list-type'];
    result = asArray(schema['x-kubernetes-validations']).length > 0 || listType === 'set' || listType === 'map'
      || Object.values(asRecord(schema.properties) ?? {}).some((p) => isRecord(p) && hasChecks(p))
      || [schema.items, schema.additionalProperties].some((p) => isRecord(p) && hasChecks(p));
    checksMemo.set(schema, result);
  }
  return result;
}

function listTypeErrors(schema: JsonSchema, list: unknown[], at: string): string[] {
  const listType = schema['x-kubernetes-list-type'];
  if (listType !== 'set' && listType !== 'map') return [];
  const keys = asArray(schema['x-kubernetes-list-map-keys']).map(String);
  const seen = new Set<string>();
  const errors: string[] = [];
  list.forEach((item, i) => {
    const record = asRecord(item);
    const id = JSON.stringify(listType === 'map' && record ? keys.map((k) => record[k] ?? null) : item);
    if (seen.has(id)) errors.push(`${at}[${i}]: duplicate entry ${id} (x-kubernetes-list-type: ${listType})`);
    seen.add(id);
  });
  return errors;
}

/**
 * Converts a JSON value to the API server's CEL data model: integral numbers become BigInt (CEL int) unless
 * the schema says `type: number` (CEL double); declared property names are escaped as the API server does
 * (`namespace` becomes `__namespace__`, `-` becomes `__dash__`).
 */
function toCel(schema: JsonSchema | undefined, value: unknown): unknown {
  if (typeof value === 'number') {
    return schema?.type !== 'number' && Number.isInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) return value.map((item) => toCel(asRecord(schema?.items), item));
  const record = asRecord(value);
  if (!record) return value;
  const declared = asRecord(schema?.properties);
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(record)) {
    out[declared && Object.hasOwn(declared, key) ? escapeCelName(key) : key] = toCel(schema && childSchemaOf(schema, key), child);
  }
  return out;
}

const CEL_RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for',
  'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);

function escapeCelName(name: string): string {
  if (CEL_RESERVED.has(name)) return `__${name}__`;
  return name.replace(/__/g, '__underscores__').replace(/\./g, '__dot__').replace(/-/g, '__dash__').replace(/\//g, '__slash__');
}

function compiledRule(rule: string): { run?: ParseResult; problem?: string } {
  let compiled = compiledRules.get(rule);
  if (!compiled) {
    compiled = compileRule(rule);
    compiledRules.set(rule, compiled);
  }
  return compiled;
}

/** Returns undefined when the rule holds, false when it does not, or a message when it cannot be evaluated. */
function evaluateRule(rule: string, self: unknown): undefined | false | string {
  const compiled = compiledRule(rule);
  if (!compiled.run) return compiled.problem;
  try {
    const result: unknown = compiled.run({ self });
    return result === true ? undefined : result === false ? false : `returned ${String(result)}, not a bool`;
  } catch (e) {
    return firstLine(e);
  }
}

function compileRule(rule: string): { run?: ParseResult; problem?: string } {
  const env = celEnv ??= createCelEnvironment();
  // cel-js's built-in `matches` uses JS RegExp as is; Kubernetes patterns are RE2 (`(?i)...`).
  const source = mapCode(rule, (code) => code.replace(/\.\s*matches\s*\(/g, '.re2Matches('));
  try {
    let run = env.parse(source);
    let check = run.check();
    if (!check.valid && /has\(\) invalid argument/.test(check.error?.message ?? '')) {
      run = env.parse(rewriteHas(source)); // cel-js only takes has(a.b.c), not has(a[0].b)
      check = run.check();
    }
    return check.valid ? { run } : { problem: `unsupported by the validator: ${firstLine(check.error)}` };
  } catch (e) {
    return { problem: firstLine(e) };
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

/** Rewrites `has(<expr>.f)` whose `<expr>` is not an identifier chain into `cel.bind(v, <expr>, has(v.f))`. */
function rewriteHas(rule: string, counter = { n: 0 }): string {
  let out = '';
  for (let i = 0; i < rule.length;) {
    if (rule[i] === '"' || rule[i] === '\'') {
      const end = skipString(rule, i);
      out += rule.slice(i, end);
      i = end;
    } else if (rule.startsWith('has(', i) && !/[\w.]/.test(rule[i - 1] ?? '')) {
      const close = skipBalanced(rule, i + 3);
      const inner = rewriteHas(rule.slice(i + 4, close - 1), counter);
      const dot = lastTopLevelDot(inner);
      const base = inner.slice(0, dot).trim();
      if (dot > 0 && !/^[A-Za-z_]\w*(\s*\.\s*[A-Za-z_]\w*)*$/.test(base)) {
        const v = `__has${counter.n++}`;
        out += `cel.bind(${v}, ${base}, has(${v}.${inner.slice(dot + 1).trim()}))`;
      } else {
        out += `has(${inner})`;
      }
      i = close;
    } else {
      out += rule[i++];
    }
  }
  return out;
}

/** Applies `fn` to the parts of a CEL expression outside string literals. */
function mapCode(rule: string, fn: (code: string) => string): string {
  let out = '';
  let code = '';
  for (let i = 0; i < rule.length;) {
    if (rule[i] === '"' || rule[i] === '\'') {
      const end = skipString(rule, i);
      out += fn(code) + rule.slice(i, end);
      code = '';
      i = end;
    } else {
      code += rule[i++];
    }
  }
  return out + fn(code);
}

function skipString(text: string, start: number): number {
  const quote = text.startsWith(text[start].repeat(3), start) ? text[start].repeat(3) : text[start];
  for (let i = start + quote.length; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text.startsWith(quote, i)) return i + quote.length;
  }
  return text.length;
}

/** Index just past the bracket that closes the one at `open`. */
function skipBalanced(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '"' || text[i] === '\'') i = skipString(text, i) - 1;
    else if ('([{'.includes(text[i])) depth++;
    else if (')]}'.includes(text[i]) && --depth === 0) return i + 1;
  }
  return text.length;
}

function lastTopLevelDot(text: string): number {
  let dot = -1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"' || text[i] === '\'') i = skipString(text, i) - 1;
    else if ('([{'.includes(text[i])) i = skipBalanced(text, i) - 1;
    else if (text[i] === '.') dot = i;
  }
  return dot;
}

// ---------------------------------------------------------------------------------------------------------
// The CEL environment with the Kubernetes library functions the stored CRDs use

/** A Kubernetes resource.Quantity as an exact fraction `num / den`. */
class Quantity {
  private static readonly PATTERN = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([numkMGTPE])|[eE]([+-]?\d+))?$/;
  private static readonly DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

  static parse(text: string): Quantity | undefined {
    const m = Quantity.PATTERN.exec(text);
    if (!m) return undefined;
    const [, sign, digits, binary, decimal, exponent] = m;
    const [whole, fraction = ''] = digits.split('.');
    let num = BigInt(`${sign}${whole || '0'}${fraction}`);
    let den = 10n ** BigInt(fraction.length);
    if (binary) num *= 1024n ** BigInt('KMGTPE'.indexOf(binary[0]) + 1);
    const power = decimal ? Quantity.DECIMAL[decimal] : exponent ? Number(exponent) : 0;
    if (power >= 0) num *= 10n ** BigInt(power);
    else den *= 10n ** BigInt(-power);
    return new Quantity(num, den);
  }

  constructor(readonly num: bigint, readonly den: bigint) {}
  compare(other: Quantity): bigint {
    const diff = this.num * other.den - other.num * this.den;
    return diff > 0n ? 1n : diff < 0n ? -1n : 0n;
  }
  plus(other: Quantity, factor: bigint): Quantity {
    return new Quantity(this.num * other.den + factor * other.num * this.den, this.den * other.den);
  }
}

/** A URL as Kubernetes' CEL `url()` sees it (Go `url.ParseRequestURI`: absolute URI or absolute path). */
class KubeUrl {
  private static readonly PATTERN = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#.*)?$/;

  static parse(text: string): KubeUrl | undefined {
    const m = /\s/.test(text) ? null : KubeUrl.PATTERN.exec(text);
    if (!m || (!m[1] && !m[3].startsWith('/'))) return undefined;
    return new KubeUrl(m[1] ?? '', (m[2] ?? '').replace(/^.*@/, ''), m[3], m[4] ?? '');
  }

  constructor(readonly scheme: string, readonly host: string, readonly path: string, readonly query: string) {}
  get hostname(): string {
    return this.host.startsWith('[') ? this.host.slice(1, this.host.indexOf(']')) : this.host.replace(/:\d*$/, '');
  }
  get port(): string {
    return /:(\d*)$/.exec(this.host.startsWith('[') ? this.host.slice(this.host.indexOf(']')) : this.host)?.[1] ?? '';
  }
}

const regexCache = new Map<string, RegExp>();

/**
 * Compiles an RE2 pattern as a JS RegExp: flag groups such as `(?i)` become flags (for the whole pattern),
 * `\A` and `\z` become `^` and `$`; without the `u` flag when the pattern needs the looser syntax.
 */
function re2(pattern: string, flags = ''): RegExp {
  const key = `${flags}/${pattern}`;
  let re = regexCache.get(key);
  if (!re) {
    let all = flags;
    const source = pattern.replace(/\(\?([ims]+)\)/g, (_group, f: string) => {
      all += f;
      return '';
    }).replace(/\\A/g, '^').replace(/\\z/g, '$');
    all = [...new Set(all)].join('');
    try {
      re = new RegExp(source, all);
    } catch (e) {
      if (!all.includes('u')) throw e;
      re = new RegExp(source, all.replace('u', ''));
    }
    regexCache.set(key, re);
  }
  return re;
}

function must<T>(value: T | undefined, what: string, text: string): T {
  if (value === undefined) throw new Error(`invalid ${what}: ${JSON.stringify(text)}`);
  return value;
}

function createCelEnvironment(): Environment {
  const { Environment: CelEnvironment } = loadCelJs();
  const env = new CelEnvironment({ homogeneousAggregateLiterals: false, enableOptionalTypes: true })
    .registerVariable('self', 'dyn')
    .registerType('Quantity', Quantity)
    .registerType('URL', KubeUrl)
    // Kubernetes regex and strings extensions
    .registerFunction('string.find(string): string', (s: string, p: string) => re2(p).exec(s)?.[0] ?? '')
    .registerFunction('string.findAll(string): list<string>', (s: string, p: string) => s.match(re2(p, 'g')) ?? [])
    .registerFunction('string.findAll(string, int): list<string>',
      (s: string, p: string, n: bigint) => (s.match(re2(p, 'g')) ?? []).slice(0, n < 0n ? undefined : Number(n)))
    .registerFunction('matches(string, string): bool', (s: string, p: string) => re2(p).test(s))
    .registerFunction('string.re2Matches(string): bool', (s: string, p: string) => re2(p).test(s))
    .registerFunction('string.replace(string, string): string', (s: string, a: string, b: string) => s.split(a).join(b))
    .registerFunction('string.charAt(int): string', (s: string, i: bigint) => s.charAt(Number(i)))
    .registerFunction('string.reverse(): string', (s: string) => [...s].reverse().join(''))
    // Kubernetes quantity library
    .registerFunction('isQuantity(string): bool', (s: string) => Quantity.parse(s) !== undefined)
    .registerFunction('quantity(string): Quantity', (s: string) => must(Quantity.parse(s), 'quantity', s))
    .registerFunction('Quantity.isLessThan(Quantity): bool', (a: Quantity, b: Quantity) => a.compare(b) < 0n)
    .registerFunction('Quantity.isGreaterThan(Quantity): bool', (a: Quantity, b: Quantity) => a.compare(b) > 0n)
    .registerFunction('Quantity.compareTo(Quantity): int', (a: Quantity, b: Quantity) => a.compare(b))
    .registerFunction('Quantity.add(Quantity): Quantity', (a: Quantity, b: Quantity) => a.plus(b, 1n))
    .registerFunction('Quantity.sub(Quantity): Quantity', (a: Quantity, b: Quantity) => a.plus(b, -1n))
    .registerFunction('Quantity.add(int): Quantity', (a: Quantity, b: bigint) => a.plus(new Quantity(b, 1n), 1n))
    .registerFunction('Quantity.sub(int): Quantity', (a: Quantity, b: bigint) => a.plus(new Quantity(b, 1n), -1n))
    .registerFunction('Quantity.sign(): int', (a: Quantity) => a.compare(new Quantity(0n, 1n)))
    .registerFunction('Quantity.isInteger(): bool', (a: Quantity) => a.num % a.den === 0n)
    .registerFunction('Quantity.asInteger(): int', (a: Quantity) => {
      if (a.num % a.den !== 0n) throw new Error('cannot convert a fractional quantity to int');
      return a.num / a.den;
    })
    .registerFunction('Quantity.asApproximateFloat(): double', (a: Quantity) => Number(a.num) / Number(a.den))
    // Kubernetes URL library
    .registerFunction('isURL(string): bool', (s: string) => KubeUrl.parse(s) !== undefined)
    .registerFunction('url(string): URL', (s: string) => must(KubeUrl.parse(s), 'URL', s))
    .registerFunction('URL.getScheme(): string', (u: KubeUrl) => u.scheme)
    .registerFunction('URL.getHost(): string', (u: KubeUrl) => u.host)
    .registerFunction('URL.getHostname(): string', (u: KubeUrl) => u.hostname)
    .registerFunction('URL.getPort(): string', (u: KubeUrl) => u.port)
    .registerFunction('URL.getEscapedPath(): string', (u: KubeUrl) => u.path)
    .registerFunction('URL.getQuery(): map', (u: KubeUrl) => {
      const query: Record<string, string[]> = {};
      for (const [k, v] of new URLSearchParams(u.query)) (query[k] ??= []).push(v);
      return query;
    });
  return env;
}

/**
 * Loads the ESM-only `@marcbachmann/cel-js` synchronously. Node >= 20.19 can `require()` it, but jest 30
 * on Node < 24.9 cannot; then a CommonJS copy is transpiled once into `node_modules/.cache` and required.
 */
function loadCelJs(): typeof import('@marcbachmann/cel-js', { with: { 'resolution-mode': 'import' } }) {
  try {
    return require('@marcbachmann/cel-js');
  } catch (e) {
    if (!isRecord(e) || e.code !== 'ERR_REQUIRE_ESM') throw e;
  }
  const libDir = path.dirname(require.resolve('@marcbachmann/cel-js'));
  const { version } = JSON.parse(fs.readFileSync(path.join(libDir, '..', 'package.json'), 'utf8'));
  const outDir = path.resolve(libDir, '..', '..', '..', '.cache', `cel-js-${String(version)}-cjs`);
  const marker = path.join(outDir, '.complete');
  if (!fs.existsSync(marker)) {
    const ts: typeof import('typescript') = require('typescript');
    fs.mkdirSync(outDir, { recursive: true });
    const write = (file: string, text: string) => { // atomic, as jest workers may race
      fs.writeFileSync(`${file}.${process.pid}`, text);
      fs.renameSync(`${file}.${process.pid}`, file);
    };
    for (const name of fs.readdirSync(libDir).filter((n) => n.endsWith('.js'))) {
      const source = fs.readFileSync(path.join(libDir, name), 'utf8');
      const { outputText } = ts.transpileModule(source, {
        fileName: name,
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
      });
      write(path.join(outDir, name.replace(/\.js$/, '.cjs')), outputText.replace(/require\("(\.\/[\w.-]+)\.js"\)/g, 'require("$1.cjs")'));
    }
    write(marker, '');
  }
  return require(path.join(outDir, 'index.cjs'));
}

// ---------------------------------------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return isRecord(value) ? value : undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function mapValues<T, U>(record: Record<string, T>, fn: (value: T) => U): Record<string, U> {
  const out: Record<string, U> = {};
  for (const [key, value] of Object.entries(record)) out[key] = fn(value);
  return out;
}
