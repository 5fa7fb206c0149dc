#!/usr/bin/env node
// Runs a TypeScript entry point of this project fast: `node scripts/run-ts.js <entry.ts> [args...]`.
// What `npm run synth`, `cdk synth` (cdk.json), `cdk8s synth` (cdk8s.yaml) and `npm run bench` start with.
//
// esbuild bundles the entry and everything it imports from this project (lib/, examples/, imports/) into one CommonJS
// file without type-checking (`npm run typecheck` does that); packages from node_modules stay `require`s. The bundle
// is kept in .cache/run-ts/ with the size and mtime of every source it was built from, and rebuilt only when one of
// them changed, so a run compiles one file instead of transpiling a few hundred modules (tsx) or a whole-project
// `tsc`. The first run, e.g. on a fresh clone, builds it in about a second. The bundle is compiled as a module at the
// entry's own path, so `__dirname`, `__filename` and `require` of packages behave as under `tsx <entry.ts>`.
// The bundle has a linked source map: run with NODE_OPTIONS=--enable-source-maps for stack traces into the .ts files.
//
// esbuild is the one tsx depends on (tsx is a devDependency), resolved through tsx so that it need not be hoisted.
'use strict';
const fs = require('fs');
const Module = require('module');
const path = require('path');
const { pathToFileURL } = require('url');

const [entryArg, ...args] = process.argv.slice(2);
if (entryArg === undefined) {
  console.error('usage: node scripts/run-ts.js <entry.ts> [args...]');
  process.exit(2);
}
const root = path.resolve(__dirname, '..');
const entry = path.resolve(entryArg);
const cacheDir = path.join(root, '.cache', 'run-ts');
const name = path.relative(root, entry).replace(/\.ts$/, '').replace(/[\\/]/g, '__');
const bundle = path.join(cacheDir, `${name}.js`);
const record = path.join(cacheDir, `${name}.inputs.json`);
const RECORD_VERSION = 1;

/** Size and mtime of a file, or undefined when it is gone. */
function stamp(file) {
  try {
    const s = fs.statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/** Whether the cached bundle was built from the sources as they are now. */
function upToDate() {
  let recorded;
  try {
    recorded = JSON.parse(fs.readFileSync(record, 'utf-8'));
  } catch {
    return false;
  }
  if (recorded.version !== RECORD_VERSION || recorded.node !== process.versions.node || stamp(bundle) !== recorded.bundle) return false;
  return Object.entries(recorded.inputs).every(([file, s]) => stamp(path.join(root, file)) === s);
}

/** Bundles the entry and records what it was built from; files are renamed into place so concurrent runs never see half a file. */
function build() {
  const esbuild = require(require.resolve('esbuild', { paths: [path.dirname(require.resolve('tsx/package.json'))] }));
  const result = esbuild.buildSync({
    entryPoints: [entry],
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    packages: 'external',
    sourcemap: 'linked',
    outfile: bundle,
    write: false,
    metafile: true,
    logLevel: 'warning',
  });
  fs.mkdirSync(cacheDir, { recursive: true });
  const suffix = `.${process.pid}.tmp`;
  for (const out of result.outputFiles) {
    // The bundle runs at the entry's path (below), so its source map is linked by absolute URL.
    const contents = out.path === bundle
      ? out.text.replace(/\/\/# sourceMappingURL=.*\s*$/, `//# sourceMappingURL=${pathToFileURL(`${bundle}.map`)}\n`)
      : out.contents;
    fs.writeFileSync(out.path + suffix, contents);
    fs.renameSync(out.path + suffix, out.path);
  }
  const inputs = {};
  for (const file of [...Object.keys(result.metafile.inputs), 'tsconfig.json', 'package.json']) {
    inputs[file] = stamp(path.join(root, file));
  }
  const body = JSON.stringify({ version: RECORD_VERSION, node: process.versions.node, bundle: stamp(bundle), inputs });
  fs.writeFileSync(record + suffix, body);
  fs.renameSync(record + suffix, record);
}

if (!upToDate()) build();
// The entry sees the same argv, `__dirname` and module paths as under `tsx <entry.ts> [args...]`.
process.argv = [process.argv[0], entry, ...args];
const main = new Module(entry, null);
main.filename = entry;
main.paths = Module._nodeModulePaths(path.dirname(entry));
main._compile(fs.readFileSync(bundle, 'utf-8'), entry);
