import * as ts from 'typescript';
import { ApiReference, compilerOptions, INDEX, publicApiReferences } from './public-api';

/**
 * Public members typed with CRD classes of `imports/` (generated, not re-exported from the root). Classes and their
 * members expose cdk8s `ApiObject` instead (jsii: every language sees the escape hatch); what remains are free
 * functions, which are TypeScript-only (jsii ignores them). The list is exact: a new one fails the test.
 */
const IMPORTS_ESCAPE_HATCHES = [
  'addComponentApplication: Application',
  'addNcclTestsRuntime: ClusterTrainingRuntime',
  'addNemoRuntime: ClusterTrainingRuntime',
  'addRootApplication: Application',
  'externalSecretFor: ExternalSecret',
];

/** Dependencies whose types may appear in the public API (peer dependencies of a CDK / cdk8s library). */
const ALLOWED_PACKAGES = ['aws-cdk-lib', 'constructs', 'cdk8s', 'cdk8s-plus-34'];

/** Quantity types that have one home in the public API: aws-cdk-lib's Size and Duration, the library's Cpu. */
const FORBIDDEN = [
  'cdk8s:Size', 'cdk8s:Duration',
  'cdk8s-plus-34:Cpu', 'cdk8s-plus-34:CpuResources', 'cdk8s-plus-34:MemoryResources', 'cdk8s-plus-34:ContainerResources',
  'cdk8s-plus-34:EphemeralStorageResources',
];

function packageOf(file: string): string | undefined {
  if (!file.startsWith('node_modules/')) return undefined;
  const parts = file.split('/');
  return parts[1].startsWith('@') ? `${parts[1]}/${parts[2]}` : parts[1];
}

const show = (r: ApiReference) => `${r.from}: ${r.name}`;

describe('public API of the package root (lib/index.ts)', () => {
  let references: ApiReference[];
  let exports: string[];

  beforeAll(() => {
    const program = ts.createProgram([INDEX], compilerOptions());
    ({ references, exports } = publicApiReferences(program));
  }, 300_000);

  test('the walk sees the public props (a quantity of each kind, a layer, a factory)', () => {
    const find = (from: string, name: string) => references.find((r) => r.from === from && r.name === name);
    expect(find('TeamOptions.memoryQuota', 'Size')?.file).toMatch(/^node_modules\/aws-cdk-lib\//);
    expect(find('TeamOptions.cpuQuota', 'Cpu')).toMatchObject({ file: 'lib/core/units.ts', exported: true });
    expect(find('PlatformStack.teams', 'TeamsLayer')).toMatchObject({ exported: true });
    expect(find('GatewayLayer.addLiteLlm', 'LiteLlmOptions')).toMatchObject({ exported: true });
    expect(exports).toEqual(expect.arrayContaining(['Cpu', 'PlatformApp', 'PlatformStack', 'TeamsLayer', 'TeamOptions', 'EvaluationPlacement']));
  });

  test('every library type a user must name is exported from the root', () => {
    const missing = references.filter((r) => r.file.startsWith('lib/') && !r.exported).map((r) => `${show(r)} (${r.file})`);
    expect(missing).toEqual([]);
  });

  test('generated CRD classes appear only where they are known escape hatches', () => {
    const crds = references.filter((r) => r.file.startsWith('imports/') && !r.exported).map(show).sort();
    expect(crds).toEqual(IMPORTS_ESCAPE_HATCHES);
  });

  test('one Size, one Duration, one Cpu: no cdk8s or cdk8s-plus quantity types', () => {
    const forbidden = references.filter((r) => FORBIDDEN.includes(`${packageOf(r.file)}:${r.name}`)).map((r) => `${show(r)} (${packageOf(r.file)})`);
    expect(forbidden).toEqual([]);
    const sizes = references.filter((r) => r.name === 'Size' || r.name === 'Duration');
    expect(new Set(sizes.map((r) => packageOf(r.file)))).toEqual(new Set(['aws-cdk-lib']));
  });

  test('types of dependencies come only from the CDK and cdk8s peer packages', () => {
    const others = references.filter((r) => {
      const pkg = packageOf(r.file);
      return pkg !== undefined && !ALLOWED_PACKAGES.includes(pkg);
    }).map((r) => `${show(r)} (${packageOf(r.file)})`);
    expect(others).toEqual([]);
  });
});
