import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stage as CdkStage } from 'aws-cdk-lib';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import * as yaml from 'js-yaml';
import {
  CrdBundleComponent, GATEWAY_API_INFERENCE_EXTENSION_VERSION, GitOpsRendering, GpuModel,
  LLM_D_ROUTER_VERSION, ModelSpec, Stage, ensureInferenceExtensionCrds, packagedCrdFile,
} from '../../lib';
import { packageRoot } from '../../lib/core/private/package-files';
import { expectValidK8sObjects } from '../k8s-schema';
import { addGeneralPool, allResources, assemblyTemplates, findResource, objects, testDefinition, testPlatform, waitsFor } from '../util';

const ROOT = path.resolve(__dirname, '..', '..');
const GIE = `gateway-api-inference-extension-${GATEWAY_API_INFERENCE_EXTENSION_VERSION}`;
const LLMD = `llm-d-router-${LLM_D_ROUTER_VERSION}`;

/** The documents of a YAML file as the API server receives them (null fields dropped, as JSON serialization does). */
function stored(file: string): Record<string, unknown>[] {
  const dropNulls = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(dropNulls);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, dropNulls(x)]));
    }
    return v;
  };
  return yaml.loadAll(fs.readFileSync(file, 'utf-8')).filter((d) => d !== null).map((d) => dropNulls(d) as Record<string, unknown>);
}

function tempFile(name: string, content: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'crd-bundle-test-')), name);
  fs.writeFileSync(file, content);
  return file;
}

const CRD = (name: string) => [
  'apiVersion: apiextensions.k8s.io/v1', 'kind: CustomResourceDefinition', `metadata: { name: ${name} }`, 'spec: {}', '',
].join('\n');

describe('CrdBundleComponent', () => {
  test('applies exactly the CRDs of its files, unchanged, at stage CRDS', () => {
    // GIVEN
    const files = [packagedCrdFile(GIE, 'inference.networking.k8s.io_inferencepools.yaml'), packagedCrdFile(LLMD, 'llm-d.ai_inferenceobjectives.yaml')];

    // WHEN
    const bundle = new CrdBundleComponent(testDefinition(), 'Crds', { name: 'my-crds', description: 'x', files });

    // THEN
    expect(bundle.stage).toBe(Stage.CRDS);
    expect(bundle.namespace).toBeUndefined();
    expect(bundle.dependencies).toEqual([]);
    expect(bundle.files).toEqual(files);
    expect(bundle.crdNames).toEqual(['inferencepools.inference.networking.k8s.io', 'inferenceobjectives.llm-d.ai']);
    expect(objects(bundle)).toEqual(files.flatMap(stored));
  });

  test('a file may hold several CRDs; empty documents are skipped', () => {
    const file = tempFile('two.yaml', `---\n${CRD('as.example.com')}---\n---\n${CRD('bs.example.com')}`);
    const bundle = new CrdBundleComponent(testDefinition(), 'Crds', { name: 'two', description: 'x', files: [file] });
    expect(bundle.crdNames).toEqual(['as.example.com', 'bs.example.com']);
    expect(objects(bundle).map((o) => o.kind)).toEqual(['CustomResourceDefinition', 'CustomResourceDefinition']);
  });

  test('the shipped files are found from the package root (sources and compiled output alike)', () => {
    expect(packageRoot()).toBe(ROOT);
    expect(packagedCrdFile(LLMD, 'llm-d.ai_inferenceobjectives.yaml')).toBe(path.join(ROOT, 'crds', LLMD, 'llm-d.ai_inferenceobjectives.yaml'));
    expect(() => packagedCrdFile('nope-v0.0.0', 'x.yaml'))
      .toThrow(`CRD file 'nope-v0.0.0/x.yaml' is not shipped with the package (looked for ${path.join(ROOT, 'crds', 'nope-v0.0.0', 'x.yaml')})`);
  });

  test('every shipped CRD file is listed in crds/SOURCES.md', () => {
    const sources = fs.readFileSync(path.join(ROOT, 'crds', 'SOURCES.md'), 'utf-8');
    const shipped = fs.readdirSync(path.join(ROOT, 'crds'), { withFileTypes: true }).filter((d) => d.isDirectory())
      .flatMap((d) => fs.readdirSync(path.join(ROOT, 'crds', d.name)).map((f) => `${d.name}/${f}`));
    expect(shipped.length).toBe(19);
    for (const f of shipped) expect(sources).toContain(`| \`${f}\` |`);
  });

  describe('errors', () => {
    const bundle = (files: string[]) => () => new CrdBundleComponent(testDefinition(), 'Crds', { name: 'bad', description: 'x', files });

    test('no file', () => {
      expect(bundle([])).toThrow("CRD bundle 'bad' needs at least one file in 'files'");
    });

    test('a relative path', () => {
      expect(bundle(['crds/x.yaml'])).toThrow("file 'crds/x.yaml' of CRD bundle 'bad' must be an absolute path");
    });

    test('a missing file', () => {
      const file = path.join(os.tmpdir(), 'does-not-exist', 'x.yaml');
      expect(bundle([file])).toThrow(`file '${file}' of CRD bundle 'bad' does not exist`);
    });

    test('something else than a CRD', () => {
      const file = tempFile('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n');
      expect(bundle([file])).toThrow(`file '${file}' of CRD bundle 'bad' holds a v1 ConfigMap; only apiextensions.k8s.io/v1 CustomResourceDefinitions are allowed`);
    });

    test('a CRD without a name', () => {
      const file = tempFile('anon.yaml', 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec: {}\n');
      expect(bundle([file])).toThrow(`file '${file}' of CRD bundle 'bad' holds a CustomResourceDefinition without metadata.name`);
    });

    test('a file without documents', () => {
      const file = tempFile('empty.yaml', '---\n');
      expect(bundle([file])).toThrow(`file '${file}' of CRD bundle 'bad' holds no CustomResourceDefinition`);
    });

    test('invalid YAML', () => {
      const file = tempFile('broken.yaml', 'a: [\n');
      expect(bundle([file])).toThrow(`file '${file}' of CRD bundle 'bad' is not valid YAML`);
    });

    test('the same CRD twice', () => {
      const file = packagedCrdFile(LLMD, 'llm-d.ai_inferenceobjectives.yaml');
      expect(bundle([file, file])).toThrow(`CRD 'inferenceobjectives.llm-d.ai' appears twice in CRD bundle 'bad' (again in ${file})`);
    });
  });

  describe('the inference-extension CRDs', () => {
    test('are one shared component with the GIE v1.6.0 and llm-d router v0.10.0 CRDs', () => {
      // GIVEN
      const definition = testDefinition();

      // WHEN
      const crds = ensureInferenceExtensionCrds(definition);

      // THEN
      expect(ensureInferenceExtensionCrds(definition)).toBe(crds);
      expect(crds.componentName).toBe('inference-extension-crds');
      expect(crds.stage).toBe(Stage.CRDS);
      expect(crds.files.map((f) => path.relative(ROOT, f))).toEqual([
        `crds/${GIE}/inference.networking.k8s.io_inferencepools.yaml`,
        `crds/${GIE}/inference.networking.x-k8s.io_inferencepoolimports.yaml`,
        `crds/${LLMD}/llm-d.ai_inferenceobjectives.yaml`,
        `crds/${LLMD}/llm-d.ai_inferencemodelrewrites.yaml`,
      ]);
      const objs = objects(crds);
      expect(objs.map((o) => `${(o.metadata as { name: string }).name} ${(o.spec as { versions: { name: string }[] }).versions.map((v) => v.name).join(',')}`)).toEqual([
        'inferencepools.inference.networking.k8s.io v1',
        'inferencepoolimports.inference.networking.x-k8s.io v1alpha1',
        'inferenceobjectives.llm-d.ai v1alpha2',
        'inferencemodelrewrites.llm-d.ai v1alpha2',
      ]);
      expect(objs).toEqual(crds.files.flatMap(stored));
    });

    test('emit valid Kubernetes objects', () => {
      expectValidK8sObjects(objects(ensureInferenceExtensionCrds(testDefinition())));
    });
  });

  describe('in both renderings', () => {
    // GIVEN a platform whose model routing needs the inference-extension CRDs
    const platform = testPlatform();
    addGeneralPool(platform);
    const pool = platform.gpu.addNodePool('l40s', { gpus: [GpuModel.L40S], limits: { gpus: 16 } });
    const model = platform.serving.addModel('Qwen', { name: 'qwen', spec: ModelSpec.QWEN3_32B, pools: [pool], routing: {} });
    const crds = ensureInferenceExtensionCrds(platform.definition);

    test('the model waits for them', () => {
      expect(platform.serving.componentOf(model).dependencies).toContain(crds);
    });

    test('GitOps: plain CRD files in their folder, synced server-side before the controllers', () => {
      // WHEN
      const files = GitOpsRendering.files(platform.definition, platform.gitOps!);

      // THEN
      const folder = files.filter((f) => f.path.startsWith('inference-extension-crds/'));
      expect(folder.map((f) => f.path)).toEqual(crds.crdNames.map((n) => `inference-extension-crds/customresourcedefinition-${n}.yaml`));
      expect(folder.map((f) => yaml.load(f.content))).toEqual(crds.files.flatMap(stored));
      const app = yaml.load(files.find((f) => f.path === 'apps/application-inference-extension-crds.yaml')!.content) as Record<string, any>;
      expect(app.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-30');
      expect(app.spec.source.path).toMatch(/\/inference-extension-crds$/);
      expect(app.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
    });

    test('CDK: a local Helm chart from an S3 asset, waited for, outside the template', () => {
      // WHEN
      const templates = assemblyTemplates(platform);

      // THEN
      const charts = allResources(platform).filter((r) => r.Type === 'Custom::AWSCDK-EKS-HelmChart' && r.Properties?.Release === 'inference-extension-crds');
      expect(charts).toHaveLength(1);
      const chart = charts[0];
      expect(chart.Properties).toEqual(expect.objectContaining({ Namespace: 'kube-system', Wait: true, Timeout: '600s' }));
      expect(chart.Properties!.Chart).toBeUndefined();
      expect(JSON.stringify(chart.Properties!.ChartAssetURL)).toMatch(/^\{"Fn::Sub":"s3:\/\/cdk-[a-z0-9]+-assets-\$\{AWS::AccountId\}-us-west-2\/[0-9a-f]{64}\.zip"\}$/);
      for (const { body } of templates.values()) expect(body).not.toContain('CustomResourceDefinition');
      // The model's manifests wait for the chart (through their nested stacks).
      const attachedModel = platform.rendering.attached[platform.serving.componentOf(model).componentName]!;
      expect(findResource(platform, 'Custom::AWSCDK-EKS-KubernetesResource', (p) => String(p.Manifest).includes('"kind":"InferencePool"'))).toBeDefined();
      expect(waitsFor(attachedModel, platform.rendering.attached['inference-extension-crds']!)).toBe(true);
    });

    test('CDK: the chart asset holds exactly the bundle objects, applied through .Files (no templating)', () => {
      // WHEN
      const assembly = CdkStage.of(platform)!.synth();
      const asset = platform.rendering.node.findAll().find((c) => c.node.id === 'inference-extension-crds-chart') as Asset;
      const dir = path.join(assembly.directory, asset.assetPath);

      // THEN
      expect(fs.readdirSync(dir).sort()).toEqual(['Chart.yaml', 'files', 'templates']);
      expect(yaml.load(fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf-8'))).toEqual({
        apiVersion: 'v2', name: 'inference-extension-crds', description: crds.description, type: 'application', version: '0.0.0',
      });
      expect(fs.readFileSync(path.join(dir, 'templates', 'manifests.yaml'), 'utf-8')).toBe(
        '{{- range $path, $_ := .Files.Glob "files/*.yaml" }}\n---\n{{ $.Files.Get $path }}\n{{- end }}\n');
      const files = fs.readdirSync(path.join(dir, 'files')).sort();
      expect(files).toEqual(crds.crdNames.map((n, i) => `000${i}-customresourcedefinition-${n}.yaml`));
      expect(files.map((f) => yaml.load(fs.readFileSync(path.join(dir, 'files', f), 'utf-8')))).toEqual(crds.files.flatMap(stored));
    });
  });
});
