/**
 * The harness of the chart render tests, on a small chart written here: the unknown-key walk, SOURCES.md reading,
 * null dropping and manifest parsing. A harness that passes everything would hide every finding.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chartDefaults, unknownValueKeys } from './chart-values';
import { CHARTS_AVAILABLE, chartSource, chartSourceProblem, parseManifests, withoutNulls } from './helm';

const written: string[] = [];
afterAll(() => written.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function writeChart(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentic-eks-chart-test-'));
  written.push(dir);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('unknownValueKeys', () => {
  // GIVEN a chart with a sub-chart under an alias, a global, an empty map, a schema with a free-form map
  const dir = writeChart({
    'Chart.yaml': 'apiVersion: v2\nname: parent\nversion: 1.0.0\ndependencies:\n- name: child\n  alias: db\n  version: 1.0.0\n',
    'values.yaml': 'image:\n  tag: "1"\npodAnnotations: {}\nresources:\n  limits:\n    cpu: 1\naffinity: null\n',
    'values.schema.json': JSON.stringify({
      type: 'object',
      properties: { extra: { type: 'object', properties: { documented: { type: 'string' } } }, labels: { type: 'object', additionalProperties: { type: 'string' } } },
    }),
    'charts/child/Chart.yaml': 'apiVersion: v2\nname: child\nversion: 1.0.0\n',
    'charts/child/values.yaml': 'auth:\n  password: ""\nglobal:\n  storageClass: ""\n',
  });
  const defaults = chartDefaults(dir);

  test('keys of the defaults, of a sub-chart under its alias and of global are known', () => {
    expect(unknownValueKeys({ image: { tag: '2' }, db: { auth: { password: 'x' } }, global: { storageClass: 'gp3' } }, defaults)).toEqual([]);
  });

  test('a key absent from the defaults is reported with its path and the keys known there', () => {
    expect(unknownValueKeys({ image: { tga: '2' }, db: { auth: { passwort: 'x' } }, child: {} }, defaults)).toEqual([
      'image.tga (known keys: tag)',
      'db.auth.passwort (known keys: password)',
      'child (known keys: image, podAnnotations, resources, affinity, db, global)',
    ]);
  });

  test('a global the chart and its sub-charts do not know is reported', () => {
    expect(unknownValueKeys({ global: { storageClas: 'gp3' } }, defaults)).toEqual(['global.storageClas (known keys: storageClass)']);
  });

  test('any key is allowed below an empty map, a schema map of additionalProperties, or an allow-listed path', () => {
    expect(unknownValueKeys({ podAnnotations: { a: '1' }, labels: { b: '2' }, affinity: { nodeAffinity: {} } }, defaults,
      [{ path: 'affinity', reason: 'a Kubernetes Affinity, written as is' }])).toEqual([]);
  });

  test('a key the schema declares is known although the defaults lack it; its siblings are not', () => {
    expect(unknownValueKeys({ extra: { documented: 'x', undocumented: 'y' } }, defaults)).toEqual([
      'extra.undocumented (the default there is absent)',
    ]);
  });

  test('null removes a known default and is allowed; null on an unknown key is still unknown', () => {
    expect(unknownValueKeys({ resources: { limits: null }, nope: null }, defaults)).toEqual([
      'nope (known keys: image, podAnnotations, resources, affinity, db, global)',
    ]);
  });

  test('below a null default, keys are unknown unless allow-listed', () => {
    expect(unknownValueKeys({ affinity: { nodeAffinity: {} } }, defaults)).toEqual(['affinity.nodeAffinity (the default there is null)']);
  });

  test('an empty values.yaml (comments only) has no keys', () => {
    const empty = writeChart({ 'Chart.yaml': 'apiVersion: v2\nname: e\nversion: 1.0.0\n', 'values.yaml': '# nothing\n' });
    expect(unknownValueKeys({ a: 1 }, chartDefaults(empty))).toEqual(['a (known keys: global)']);
  });
});

describe('rendered manifests', () => {
  test('null fields are dropped as the API server drops them; nulls in lists are kept', () => {
    expect(withoutNulls({ metadata: { annotations: null, name: 'a' }, args: [null, 'x'] })).toEqual({ metadata: { name: 'a' }, args: [null, 'x'] });
  });

  test('multi-document YAML: empty documents dropped, Lists flattened, scalars refused', () => {
    expect(parseManifests('---\n# c\n---\nkind: A\n---\nkind: ConfigMapList\nitems:\n- kind: ConfigMap\n')).toEqual([{ kind: 'A' }, { kind: 'ConfigMap' }]);
    expect(() => parseManifests('just text\n')).toThrow('helm rendered a document that is not a Kubernetes object: "just text"');
  });
});

(CHARTS_AVAILABLE ? describe : describe.skip)('SOURCES.md', () => {
  test('rows are read with their published column; later rows win', () => {
    expect(chartSource('karpenter', '1.14.1')?.published).toMatch(/^yes/);
    expect(chartSource('kgateway', 'v2.4.3')?.notes).toMatch(/still not vendored/);
  });

  test('an unpublished or unvendored pinned version is a problem; a published vendored one is not', () => {
    expect(chartSourceProblem('karpenter', '1.14.1')).toBeUndefined();
    expect(chartSourceProblem('opentelemetry-collector', '0.158.3')).toMatch(/^opentelemetry-collector 0\.158\.3 is not known to be published \(SOURCES\.md "published": no: /);
    expect(chartSourceProblem('kgateway', 'v2.4.3')).toMatch(/^kgateway v2\.4\.3 is not vendored: no folder kgateway-v2\.4\.3\//);
  });
});
