import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/*
 * Every CDK language, the ecosystem's way: jsii compiles the library into one assembly (`.jsii`), jsii-pacmak turns it
 * into the Python package, jsii-docgen into docs/API.md. The three run on a copy of the sources in a temporary folder
 * (node_modules linked), so they never race the consumer test's `npm pack` (whose `prepare` runs jsii in the
 * checkout).
 */

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'node_modules', '.bin');

/**
 * Members whose jsii type is `any`: free-form JSON only (Helm values and raw chart value overrides, objects of a
 * rendering, LiteLLM request bodies, OpenTelemetry and Milvus configuration, pod volumes in Kubernetes form) and the
 * `isX(x)` type guards, which take anything. jsii has no other type for JSON; no TypeScript `any` is behind them. The
 * list is exact: a new one fails the test.
 */
const FREE_FORM_JSON = [
  'CrdBundleComponent#isCrdBundle(x)',
  'EfaDevicePluginOptions.values',
  'ExternalSecretsOptions.values',
  'FsxCsiDriverOptions.values',
  'GatewayControllerProps.values',
  'GatewayLayerOptions.controllerValues',
  'GpuLayerOptions.devicePluginValues',
  'HelmComponent#isHelmComponent(x)',
  'HelmComponent#values returns',
  'HelmComponentProps.valueOverrides',
  'IHelmValues#render returns',
  'KAgentOptions.values',
  'KarpenterOptions.values',
  'KedaOperatorOptions.values',
  'KubeRayOperatorOptions.values',
  'KubeflowTrainerOptions.values',
  'KubernetesComponent#isKubernetesComponent(x)',
  'KubernetesComponent#toJson returns',
  'KueueOptions.values',
  'LangfuseOptions.values',
  'LiteLlm.keyRequests',
  'LiteLlm.teamRequests',
  'LiteLlmVirtualKey.keyRequest',
  'LwsControllerOptions.values',
  'MilvusOperatorOptions.values',
  'NetworkFlows#policiesFor returns',
  'NvidiaDevicePluginStandaloneOptions.dcgmExporterValues',
  'NvidiaDevicePluginStandaloneOptions.values',
  'NvidiaDraDriverOptions.values',
  'NvidiaGpuOperatorOptions.values',
  'OtelCollector.config',
  'OtelCollectorOptions.values',
  'PrometheusStackProps.values',
  'RenderedFolder.objects',
  'TrainingRuntimePatches.volumes',
  'VectorStoreOptions.config',
];

interface JsiiTypeRef { readonly primitive?: string; readonly fqn?: string; readonly collection?: { readonly elementtype: JsiiTypeRef }; readonly union?: { readonly types: JsiiTypeRef[] } }
interface JsiiDocs { readonly summary?: string }
interface JsiiParameter { readonly name: string; readonly type: JsiiTypeRef }
interface JsiiMethod { readonly name: string; readonly docs?: JsiiDocs; readonly parameters?: JsiiParameter[]; readonly returns?: { readonly type: JsiiTypeRef } }
interface JsiiType {
  readonly fqn: string; readonly kind: string; readonly docs?: JsiiDocs;
  readonly properties?: { readonly name: string; readonly docs?: JsiiDocs; readonly type: JsiiTypeRef }[];
  readonly methods?: JsiiMethod[]; readonly members?: { readonly name: string; readonly docs?: JsiiDocs }[];
  readonly initializer?: { readonly parameters?: JsiiParameter[] };
}
interface Assembly { readonly name: string; readonly version: string; readonly types: Record<string, JsiiType>; readonly targets: Record<string, unknown> }

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

function isAny(t: JsiiTypeRef | undefined): boolean {
  if (t === undefined) return false;
  return t.primitive === 'any' || isAny(t.collection?.elementtype) || (t.union?.types ?? []).some(isAny);
}

describe('jsii: the assembly, the Python package and docs/API.md', () => {
  const work = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'agentic-eks-jsii-'));
  let jsiiOutput: string;
  let assembly: Assembly;

  beforeAll(() => {
    // GIVEN a copy of what jsii compiles (the library, the CRD classes, the project files)
    for (const entry of ['lib', 'imports', 'crds', 'docs', 'package.json', 'tsconfig.json', 'tsconfig.lib.json', 'README.md', 'LICENSE']) {
      fs.cpSync(path.join(ROOT, entry), path.join(work, entry), { recursive: true });
    }
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(work, 'node_modules'), 'dir');
    // WHEN jsii compiles it (the `compile` task and `prepare`)
    jsiiOutput = run(path.join(BIN, 'jsii'), ['--silence-warnings=reserved-word'], work);
    assembly = JSON.parse(fs.readFileSync(path.join(work, '.jsii'), 'utf-8'));
  }, 300_000);

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test('builds the assembly with 0 errors', () => {
    expect(jsiiOutput).toMatch(/Errors: 0 \|/);
    expect([assembly.name, assembly.version]).toEqual(['agentic-eks', '0.1.0']);
    expect(Object.keys(assembly.targets).sort()).toEqual(['dotnet', 'go', 'java', 'js', 'python']);
  });

  test('the public API is in it: layers, constructs, the class homes of the checks and the sizing', () => {
    const fqns = Object.keys(assembly.types);
    expect(fqns.length).toBeGreaterThan(400);
    expect(fqns).toEqual(expect.arrayContaining([
      'agentic-eks.PlatformStack', 'agentic-eks.PlatformApp', 'agentic-eks.GpuLayer', 'agentic-eks.ServingLayer',
      'agentic-eks.GatewayLayer', 'agentic-eks.AgentsLayer', 'agentic-eks.RetrievalLayer', 'agentic-eks.TeamsLayer',
      'agentic-eks.PlatformChecks', 'agentic-eks.Prerequisites', 'agentic-eks.ModelSizing', 'agentic-eks.GpuCatalog', 'agentic-eks.Cpu',
    ]));
    // The check engine stays internal.
    expect(fqns).not.toContain('agentic-eks.ClusterModel');
  });

  test('every type and member is documented', () => {
    const undocumented: string[] = [];
    for (const t of Object.values(assembly.types)) {
      if (!t.docs?.summary) undocumented.push(t.fqn);
      for (const m of [...(t.properties ?? []), ...(t.methods ?? []), ...(t.members ?? [])]) {
        if (!m.docs?.summary) undocumented.push(`${t.fqn}.${m.name}`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  test('no `any` but free-form JSON', () => {
    const found: string[] = [];
    for (const t of Object.values(assembly.types)) {
      const name = t.fqn.replace(/^agentic-eks\./, '');
      for (const p of t.properties ?? []) if (isAny(p.type)) found.push(`${name}.${p.name}`);
      for (const m of t.methods ?? []) {
        if (isAny(m.returns?.type)) found.push(`${name}#${m.name} returns`);
        for (const p of m.parameters ?? []) if (isAny(p.type)) found.push(`${name}#${m.name}(${p.name})`);
      }
      for (const p of t.initializer?.parameters ?? []) if (isAny(p.type)) found.push(`${name} constructor(${p.name})`);
    }
    expect(found.sort()).toEqual([...FREE_FORM_JSON].sort());
  });

  test('jsii-pacmak generates the Python package and the Java, .NET and Go bindings (code only)', () => {
    // WHEN
    run(path.join(BIN, 'jsii-pacmak'), ['--code-only', '--target', 'python', '--target', 'java', '--target', 'dotnet', '--target', 'go', '--outdir', 'dist-pkg'], work);
    // THEN the module, its setup and the embedded assembly are there, and the module is valid Python
    const python = path.join(work, 'dist-pkg', 'python');
    const init = path.join(python, 'src', 'agentic_eks', '__init__.py');
    const source = fs.readFileSync(init, 'utf-8');
    for (const cls of ['PlatformStack', 'GpuNodePool', 'AgentsLayer', 'PlatformChecks']) expect(source).toMatch(new RegExp(`^class ${cls}\\(`, 'm'));
    expect(fs.readFileSync(path.join(python, 'setup.py'), 'utf-8')).toContain('"name": "agentic-eks"');
    expect(fs.existsSync(path.join(python, 'src', 'agentic_eks', '_jsii', 'agentic-eks@0.1.0.jsii.tgz'))).toBe(true);
    run('python3', ['-m', 'py_compile', init], work);
    // AND the other languages' sources (not compiled here: their toolchains and the CDK's packages are out of reach)
    const java = path.join(work, 'dist-pkg', 'java', 'src', 'main', 'java', 'io', 'github', 'agenticeks');
    expect(fs.readFileSync(path.join(java, 'PlatformStack.java'), 'utf-8')).toContain('public class PlatformStack extends software.amazon.awscdk.Stack');
    expect(fs.readdirSync(path.join(work, 'dist-pkg', 'dotnet', 'AgenticEks'))).toContain('AgenticEks.csproj');
    expect(fs.readFileSync(path.join(work, 'dist-pkg', 'go', 'agenticeks', 'go.mod'), 'utf-8')).toMatch(/^module github\.com\/agentic-eks\/agentic-eks-go\/agenticeks$/m);
  }, 300_000);

  test('docs/API.md is what jsii-docgen generates from the assembly', () => {
    // WHEN
    run(path.join(BIN, 'jsii-docgen'), ['--output', 'API.generated.md'], work);
    // THEN (regenerate with `npm run compile && npm run docgen`)
    const generated = fs.readFileSync(path.join(work, 'API.generated.md'), 'utf-8');
    expect(generated.length).toBeGreaterThan(100_000);
    const committed = fs.readFileSync(path.join(ROOT, 'docs', 'API.md'), 'utf-8').split('\n');
    const lines = generated.split('\n');
    const first = lines.findIndex((l, i) => l !== committed[i]);
    expect(first === -1 && lines.length === committed.length ? 'current' : `differs from line ${first + 1}: ${lines[first]}`).toBe('current');
  }, 300_000);
});
