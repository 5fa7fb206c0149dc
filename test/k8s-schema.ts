/**
 * Strict offline validation of Kubernetes objects, as `kubectl apply --validate=strict` and the API server
 * would do it: core kinds against the Kubernetes OpenAPI definitions, custom kinds against their CRD's
 * `openAPIV3Schema` (including the CRD's CEL rules), both from `../shared/schemas`. Unknown fields are errors.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import * as yaml from 'js-yaml';
import { celErrors, type JsonSchema } from './k8s-cel';

/** Folder holding the stored schemas: `../shared/schemas` seen from the repository root. */
export const SCHEMAS_DIR = path.resolve(__dirname, '..', '..', 'shared', 'schemas');
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
 * Validates one Kubernetes object strictly. Returns human-readable errors, each naming the field path;
 * an empty list means the object is valid.
 */
export function validateK8sObject(obj: unknown): string[] {
  if (!SCHEMAS_AVAILABLE) return [`cannot validate: Kubernetes schemas not found at ${SCHEMAS_DIR}`];
  if (!isRecord(obj)) return [`a Kubernetes object must be a mapping, got ${obj === null ? 'null' : typeof obj}`];
  const { apiVersion, kind, metadata } = obj;
  const errors: string[] = [];
  if (typeof apiVersion !== 'string' || apiVersion === '') errors.push('apiVersion: required');
  if (typeof kind !== 'string' || kind === '') errors.push('kind: required');
  const name = isRecord(metadata) ? metadata.name : undefined;
  if (typeof name !== 'string' || name === '') errors.push('metadata.name: required');
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || errors.length > 1) return errors;

  const validator = validatorFor(apiVersion, kind);
  if (!validator) return [...errors, `no schema for ${apiVersion} ${kind}`];
  if (validator.notServed) return [...errors, `${apiVersion} ${kind} is not served by its CRD (${validator.source})`];
  if (!validator.validate(obj)) errors.push(...formatAjvErrors(validator.validate.errors ?? []));
  if (validator.celSchema) errors.push(...celErrors(validator.celSchema, obj));
  if (isRecord(metadata)) errors.push(...metadataErrors(apiVersion, kind, metadata));
  return errors;
}

/**
 * Validates every object and throws one Error listing all errors, each prefixed with the object's
 * `apiVersion/kind/metadata.name`. Does nothing when all objects are valid.
 */
export function expectValidK8sObjects(objs: unknown[]): void {
  const lines: string[] = [];
  objs.forEach((obj, index) => {
    for (const error of validateK8sObject(obj)) lines.push(`${objectLabel(obj, index)}: ${error}`);
  });
  if (lines.length > 0) {
    throw new Error(`${lines.length} Kubernetes schema error(s) in ${objs.length} object(s):\n  ${lines.join('\n  ')}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Schema lookup and compilation (each schema compiled once per test file and cached)

interface Validator {
  readonly validate: ValidateFunction;
  /** The CRD's original schema, walked for CEL rules and list-type checks; undefined for core kinds. */
  readonly celSchema?: JsonSchema;
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
let coreKinds: Map<string, string> | undefined;

function validatorFor(apiVersion: string, kind: string): Validator | undefined {
  const key = `${apiVersion}/${kind}`;
  if (!validators.has(key)) validators.set(key, compileValidator(apiVersion, kind));
  return validators.get(key);
}

function compileValidator(apiVersion: string, kind: string): Validator | undefined {
  const ajv = getAjv();
  const definition = coreKinds?.get(`${apiVersion}/${kind}`);
  if (definition) {
    return { validate: ajv.compile({ $ref: `${CORE_ID}#/definitions/${definition}` }), source: definition };
  }
  const crd = findCrd(apiVersion, kind);
  if (!crd) return undefined;
  const strict = strictify(crd.schema);
  const originalMeta = isRecord(crd.schema.properties) ? crd.schema.properties.metadata : undefined;
  // CRD schemas say little more than `metadata: {type: object}`; the API server validates ObjectMeta.
  const metadata: JsonSchema = isRecord(originalMeta) && Object.keys(originalMeta).some((k) => k !== 'type' && k !== 'description')
    ? { allOf: [{ $ref: OBJECT_META }, originalMeta] }
    : { $ref: OBJECT_META };
  strict.properties = { ...(isRecord(strict.properties) ? strict.properties : {}), metadata };
  return {
    validate: ajv.compile(strict),
    celSchema: crd.schema,
    notServed: !crd.served,
    source: path.relative(SCHEMAS_DIR, crd.file),
  };
}

function getAjv(): Ajv {
  if (ajvInstance) return ajvInstance;
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  addFormats(ajv);
  // Formats as the API server understands them (ajv-formats' `duration` is ISO 8601, Kubernetes' is Go's).
  ajv.addFormat('duration', /^([+-]?(\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$|^0$|^\d+\s*[a-z]+$/);
  ajv.addFormat('uri', /^([A-Za-z][A-Za-z0-9+.-]*:|\/)\S*$/);
  ajv.addFormat('cidr', /^(\d{1,3}(\.\d{1,3}){3}\/\d{1,2}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\/\d{1,3})$/);
  ajv.addFormat('uint32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff });
  const definitions: Record<string, JsonSchema> = JSON.parse(fs.readFileSync(CORE_DEFINITIONS, 'utf8')).definitions;
  ajv.addSchema({ $id: CORE_ID, definitions: mapValues(definitions, strictify) });
  coreKinds = new Map();
  for (const [name, definition] of Object.entries(definitions)) {
    const gvks = definition['x-kubernetes-group-version-kind'];
    if (!Array.isArray(gvks)) continue;
    for (const gvk of gvks) {
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      if (!coreKinds.has(`${apiVersion}/${gvk.kind}`)) coreKinds.set(`${apiVersion}/${gvk.kind}`, name);
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
    const map = node[key];
    if (isRecord(map)) out[key] = mapValues(map as Record<string, JsonSchema>, strictify);
  }
  for (const key of ['allOf', 'anyOf', 'oneOf', 'items']) {
    const list = node[key];
    if (Array.isArray(list)) out[key] = list.map(strictify);
  }
  for (const key of ['items', 'additionalProperties', 'not']) {
    const child = node[key];
    if (isRecord(child)) out[key] = strictify(child);
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
// CRD discovery: every *.yaml under SCHEMAS_DIR except kubernetes/; files are parsed only when they mention
// the group and kind looked for.

let yamlTexts: Map<string, string> | undefined;
const parsedFiles = new Map<string, unknown[]>();

function findCrd(apiVersion: string, kind: string): CrdVersion | undefined {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return undefined;
  const group = apiVersion.slice(0, slash);
  const found: CrdVersion[] = [];
  for (const [file, text] of crdFileTexts()) {
    if (!text.includes(group) || !text.includes(kind)) continue;
    for (const doc of parsedDocuments(file, text)) {
      if (!isRecord(doc) || doc.kind !== 'CustomResourceDefinition' || !isRecord(doc.spec)) continue;
      const { spec } = doc;
      if (spec.group !== group || !isRecord(spec.names) || spec.names.kind !== kind || !Array.isArray(spec.versions)) continue;
      for (const version of spec.versions) {
        const schema = version?.schema?.openAPIV3Schema;
        if (`${group}/${version?.name}` === apiVersion && isRecord(schema)) {
          found.push({ file, schema, served: version.served !== false });
        }
      }
    }
  }
  // Prefer the distribution's own copy over vendored upstream or legacy copies of the same kind.
  const rank = (c: CrdVersion) => path.relative(SCHEMAS_DIR, c.file).split(path.sep)
    .some((dir) => dir === 'upstream-core' || dir.startsWith('legacy-')) ? 1 : 0;
  return found.sort((a, b) => rank(a) - rank(b) || a.file.localeCompare(b.file))[0];
}

function crdFileTexts(): Map<string, string> {
  if (!yamlTexts) {
    yamlTexts = new Map();
    for (const file of listYamlFiles(SCHEMAS_DIR)) yamlTexts.set(file, fs.readFileSync(file, 'utf8'));
  }
  return yamlTexts;
}

function listYamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return dir === SCHEMAS_DIR && entry.name === 'kubernetes' ? [] : listYamlFiles(full);
    return entry.name.endsWith('.yaml') || entry.name.endsWith('.yml') ? [full] : [];
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
    const at = formatPath(error.instancePath);
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'additionalProperties') {
      out.add(`unknown field "${joinPath(at, String(params.additionalProperty))}"`);
    } else if (error.keyword === 'anyOf' || error.keyword === 'oneOf') {
      const alternatives = errors.filter((e) => isInside(e, error) && e.instancePath === error.instancePath).map((e) => e.message);
      out.add(`${at || '(root)'}: ${[...new Set(alternatives)].join(' or ') || error.message}`);
    } else if (error.keyword === 'enum') {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v));
      out.add(`${at || '(root)'}: must be one of ${allowed.slice(0, 12).join(', ')}${allowed.length > 12 ? ', ...' : ''}`);
    } else {
      out.add(`${at || '(root)'}: ${error.message}`);
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
  if (!isRecord(obj)) return `(object #${index})`;
  const name = isRecord(obj.metadata) && typeof obj.metadata.name === 'string' ? obj.metadata.name : `(object #${index})`;
  return `${String(obj.apiVersion ?? '?')}/${String(obj.kind ?? '?')}/${name}`;
}

// ---------------------------------------------------------------------------------------------------------
// ObjectMeta checks the API server makes beyond the OpenAPI schema (names, namespaces, label syntax)

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function metadataErrors(apiVersion: string, kind: string, metadata: Record<string, unknown>): string[] {
  const errors: string[] = [];
  const { name, namespace, labels, annotations } = metadata;
  if (typeof name === 'string' && name !== '') {
    const problem = nameProblem(apiVersion, kind, name);
    if (problem) errors.push(`metadata.name: "${name}" ${problem}`);
  }
  if (typeof namespace === 'string' && !(namespace.length <= 63 && DNS_LABEL.test(namespace))) {
    errors.push(`metadata.namespace: "${namespace}" must be a DNS-1123 label (lowercase alphanumerics and '-', at most 63)`);
  }
  for (const [field, map] of [['labels', labels], ['annotations', annotations]] as const) {
    if (!isRecord(map)) continue;
    for (const [key, value] of Object.entries(map)) {
      if (!isQualifiedKey(key)) errors.push(`metadata.${field}: key "${key}" is not a valid qualified name ([prefix/]name)`);
      if (field === 'labels' && typeof value === 'string' && !(value.length <= 63 && LABEL_VALUE.test(value))) {
        errors.push(`metadata.labels["${key}"]: value "${value}" must be at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`);
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
    return name.length <= 63 && DNS1035_LABEL.test(name) ? undefined : 'must be a DNS-1035 label (start with a letter, lowercase alphanumerics and \'-\', at most 63)';
  }
  if (apiVersion === 'v1' && kind === 'Namespace') {
    return name.length <= 63 && DNS_LABEL.test(name) ? undefined : 'must be a DNS-1123 label (lowercase alphanumerics and \'-\', at most 63)';
  }
  return name.length <= 253 && DNS_SUBDOMAIN.test(name) ? undefined : 'must be a DNS-1123 subdomain (lowercase alphanumerics, \'-\' and \'.\', at most 253)';
}

function isQualifiedKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !(prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && QUALIFIED_NAME.test(name);
}

// ---------------------------------------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mapValues<T, U>(record: Record<string, T>, fn: (value: T) => U): Record<string, U> {
  const out: Record<string, U> = {};
  for (const [key, value] of Object.entries(record)) out[key] = fn(value);
  return out;
}
