import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CONSUMER_STACK, writeConsumerProject } from './consumer-project';

/*
 * The install path, end to end: `npm pack` builds the tarball (its `prepare` compiles the library), a consumer
 * project outside the source tree installs it, type-checks its platform under `strict` (declarations included) and
 * synthesizes it both ways, and finds the platform report in both.
 *
 * Installation without network: the tarball is unpacked into the consumer's node_modules/agentic-eks, and exactly
 * the packages it declares (dependencies and peerDependencies), plus typescript and @types/node for the type-check,
 * are linked from this repository's node_modules. A dependency the library uses but does not declare is therefore
 * missing, as it would be after `npm install` (Node resolves a module from the unpacked package's own location, in
 * the temporary directory, not from the source tree). With AGENTIC_EKS_CONSUMER_NPM=1 the consumer runs a real
 * `npm install --prefer-offline` of the tarball instead (needs the npm registry for what the cache lacks).
 */

const ROOT = path.resolve(__dirname, '..', '..');
const NPM_INSTALL = process.env.AGENTIC_EKS_CONSUMER_NPM === '1';

/** Runs a command; on failure the error carries its output. */
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  try {
    return execFileSync(cmd, args, { cwd, env, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${err.stdout ?? ''}\n${err.stderr ?? ''}\n${err.message}`);
  }
}

/** The directory of an installed package of this repository (its real path). */
function installed(name: string): string {
  return fs.realpathSync(path.dirname(require.resolve(`${name}/package.json`, { paths: [ROOT] })));
}

/** Links `node_modules/<name>` of the consumer to this repository's copy. */
function link(consumer: string, name: string): void {
  const target = path.join(consumer, 'node_modules', ...name.split('/'));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.symlinkSync(installed(name), target, 'dir');
}

/** Environment of the consumer's processes: none of the test runner's CDK output settings. */
function consumerEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.CDK_OUTDIR;
  delete env.CDK8S_OUTDIR;
  delete env.CDK_CONTEXT_JSON;
  return env;
}

describe('the packed tarball in a fresh consumer project', () => {
  const work = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'agentic-eks-consumer-'));
  const consumer = path.join(work, 'consumer');
  let packed: { filename: string; files: { path: string }[] };
  let output: { stacks: string[]; gitOpsFiles: number; reports: string[] };

  beforeAll(() => {
    // GIVEN the tarball, built by `npm pack` (which runs `prepare`: the library's compilation)
    const json = run('npm', ['pack', '--json', '--pack-destination', work], ROOT);
    packed = JSON.parse(json.slice(json.indexOf('[')))[0];
    const tarball = path.join(work, packed.filename);

    // AND a consumer project outside the source tree that installs it
    fs.mkdirSync(consumer);
    writeConsumerProject(consumer, tarball);
    if (NPM_INSTALL) {
      run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-save'], consumer);
    } else {
      const pkgDir = path.join(consumer, 'node_modules', 'agentic-eks');
      fs.mkdirSync(pkgDir, { recursive: true });
      run('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1'], consumer);
      const manifest = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf-8'));
      for (const dep of [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]) link(consumer, dep);
    }
    link(consumer, 'typescript');
    link(consumer, '@types/node');

    // WHEN it type-checks and compiles its platform under strict, then synthesizes both renderings
    run(process.execPath, [path.join(consumer, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], consumer, consumerEnv());
    const stdout = run(process.execPath, [path.join('build', 'app.js'), 'out'], consumer, consumerEnv());
    output = JSON.parse(stdout.trim().split('\n').pop()!);
  }, 240_000);

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test('the tarball holds the compiled library, its declarations and the CRD files, and no tests', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining([
      'package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist-lib/lib/index.js', 'dist-lib/lib/index.d.ts',
      'dist-lib/lib/report/platform-report.js', 'crds/gateway-api-v1.6.1/gateway.networking.k8s.io_httproutes.yaml', '.jsii',
    ]));
    expect(paths.filter((p) => !/^(dist-lib\/(lib|imports)\/.+\.(js|d\.ts)|crds\/.+|node_modules\/(js-yaml|argparse)\/.+|\.jsii|package\.json|README\.md|LICENSE|CHANGELOG\.md)$/.test(p)))
      .toEqual([]);
  });

  test('the consumer resolves agentic-eks from the unpacked tarball, not from the source tree', () => {
    const resolved = require.resolve('agentic-eks', { paths: [consumer] });
    expect(resolved).toBe(path.join(consumer, 'node_modules', 'agentic-eks', 'dist-lib', 'lib', 'index.js'));
    expect(fs.realpathSync(resolved).startsWith(ROOT)).toBe(false);
  });

  test('the strict type-check emitted the app', () => {
    expect(fs.existsSync(path.join(consumer, 'build', 'app.js'))).toBe(true);
  });

  test('synthesizes CloudFormation into cdk.out with the report beside the template', () => {
    expect(output.stacks).toEqual([CONSUMER_STACK]);
    const cdkOut = path.join(consumer, 'out', 'cdk.out');
    expect(fs.existsSync(path.join(cdkOut, `${CONSUMER_STACK}.template.json`))).toBe(true);
    const report = JSON.parse(fs.readFileSync(path.join(cdkOut, `${CONSUMER_STACK}.report.json`), 'utf-8'));
    // Llama 3.1 8B at 16384 x 32 on L40S: g6e.12xlarge TP=2, 1 to 2 replicas on one node ($10.49264/h)
    expect(report.models.map((m: { name: string; instanceType: string; tensorParallelSize: number; usdPerHourAtMax: number }) =>
      [m.name, m.instanceType, m.tensorParallelSize, m.usdPerHourAtMax])).toEqual([['llama', 'g6e.12xlarge', 2, 10.49264]]);
    expect(fs.readFileSync(path.join(cdkOut, `${CONSUMER_STACK}.report.md`), 'utf-8')).toContain('# Platform report: `consumer` (us-east-1)');
  });

  test('writes the GitOps rendering with README.md, REPORT.md and report.json', () => {
    const dist = path.join(consumer, 'out', 'dist');
    expect(output.reports).toEqual(['REPORT.md', 'report.json']);
    expect(output.gitOpsFiles).toBeGreaterThan(20);
    for (const f of ['README.md', 'REPORT.md', 'report.json', 'root/application-platform-root.yaml']) {
      expect(fs.existsSync(path.join(dist, f))).toBe(true);
    }
    expect(JSON.parse(fs.readFileSync(path.join(dist, 'report.json'), 'utf-8')).totals).toEqual({
      floorUsdPerHour: 10.49264, modelsAtMaxUsdPerHour: 10.49264, ceilingUsdPerHour: 60.61752,
    });
  });
});
