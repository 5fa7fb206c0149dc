import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';

/*
 * What `npm pack` puts in the tarball, read from `npm pack --dry-run --json` (scripts skipped, so nothing is built:
 * the compiled files are checked by test/package/consumer.test.ts, which packs for real).
 */

const ROOT = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8'));

function dryRun(): { name: string; version: string; files: { path: string }[] } {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out.slice(out.indexOf('[')))[0];
}

describe('package contents', () => {
  const packed = dryRun();
  const paths = packed.files.map((f) => f.path);

  test('agentic-eks 0.1.0', () => {
    expect([packed.name, packed.version]).toEqual(['agentic-eks', '0.1.0']);
  });

  test('no tests, benchmarks, snapshots, examples, scripts, sources or project files', () => {
    const forbidden = paths.filter((p) =>
      /^(test|bench|examples|scripts|bin|projenrc|lib|imports|\.projen|cdk\.out|dist|dist-pkg|\.cache)\//.test(p)
      || /(\.test\.|\.snap$|__snapshots__|\.ts$(?<!\.d\.ts)|tsconfig|\.projenrc|cdk\.json|cdk8s\.yaml)/.test(p)
      || /^dist-lib\/(test|bench|examples|bin|scripts)\//.test(p));
    expect(forbidden).toEqual([]);
  });

  test('the CRD files the library reads at synth, the changelog, README and LICENSE', () => {
    const crds = fs.readdirSync(path.join(ROOT, 'crds'), { recursive: true, encoding: 'utf-8' })
      .filter((f) => fs.statSync(path.join(ROOT, 'crds', f)).isFile())
      .map((f) => `crds/${f.split(path.sep).join('/')}`);
    expect(crds.length).toBeGreaterThan(10);
    expect(paths).toEqual(expect.arrayContaining([...crds, 'CHANGELOG.md', 'README.md', 'LICENSE', 'package.json']));
  });

  test('the jsii assembly and the bundled js-yaml (not a jsii library), nothing else of node_modules', () => {
    expect(paths).toContain('.jsii');
    expect(manifest.bundledDependencies).toEqual(['js-yaml']);
    // js-yaml and what it depends on, nothing else
    const bundled = ['js-yaml', ...Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'js-yaml', 'package.json'), 'utf-8')).dependencies ?? {})];
    expect(bundled).toEqual(['js-yaml', 'argparse']);
    expect(paths.filter((p) => p.startsWith('node_modules/') && !bundled.some((b) => p.startsWith(`node_modules/${b}/`)))).toEqual([]);
  });

  test('only the compiled library and CRD classes from dist-lib', () => {
    expect(paths.filter((p) => p.startsWith('dist-lib/') && !/^dist-lib\/(lib|imports)\/.+\.(js|d\.ts)$/.test(p))).toEqual([]);
  });

  test('files, entry points and the prepare step in package.json', () => {
    expect(manifest.files).toEqual([
      'dist-lib/lib/**/*.js', 'dist-lib/lib/**/*.d.ts', 'dist-lib/imports/**/*.js', 'dist-lib/imports/**/*.d.ts', '.jsii', 'crds/', 'CHANGELOG.md',
    ]);
    expect([manifest.main, manifest.types]).toEqual(['dist-lib/lib/index.js', 'dist-lib/lib/index.d.ts']);
    expect(manifest.scripts.prepare).toBe('jsii --silence-warnings=reserved-word');
    expect(manifest.jsii).toMatchObject({ tsconfig: 'tsconfig.lib.json', tsc: { outDir: 'dist-lib', rootDir: '.' }, targets: { python: { module: 'agentic_eks' } } });
    const lib = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.lib.json'), 'utf-8').replace(/^\/\/.*$/m, ''));
    expect(lib.include).toEqual(['lib/**/*.ts', 'imports/**/*.ts']);
    expect(lib.compilerOptions.outDir).toBe('dist-lib');
  });

  test('the CDK and cdk8s libraries are peer dependencies; every other package the library imports is a dependency', () => {
    // GIVEN every bare import of lib/ and imports/
    const imported = new Set<string>();
    for (const dir of ['lib', 'imports']) {
      for (const f of fs.readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf-8' }).filter((x) => x.endsWith('.ts'))) {
        const text = fs.readFileSync(path.join(ROOT, dir, f), 'utf-8');
        for (const m of [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^'.][^']*)'/gm), ...text.matchAll(/require\('([^'.][^']*)'\)/g)]) {
          const parts = m[1].split('/');
          const name = m[1].startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
          if (!builtinModules.includes(name) && !name.startsWith('node:')) imported.add(name);
        }
      }
    }

    // THEN
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['aws-cdk-lib', 'cdk8s', 'cdk8s-plus-34', 'constructs']);
    expect([...imported].sort()).toEqual(Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }).sort());
  });

  test('the CHANGELOG has an entry for the version', () => {
    const changelog = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf-8');
    expect(changelog).toMatch(new RegExp(`^## \\[${manifest.version.replace(/\./g, '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm'));
  });
});
