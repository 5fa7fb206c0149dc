import { JsonFile, javascript, typescript } from 'projen';

/**
 * agentic-eks project definition. Run `npx projen` after editing this file.
 *
 * Layout (design card): lib/ (one folder per layer), bin/ (the apps), examples/, test/, imports/ (generated CRD classes).
 * Versions that work together here: ../shared/reference/toolchain.md.
 */
const project = new typescript.TypeScriptProject({
  name: 'agentic-eks',
  description: 'Typed AWS CDK + cdk8s constructs for an agentic-AI platform on Amazon EKS, rendered for cdk deploy and GitOps.',
  license: 'Apache-2.0',
  copyrightOwner: 'agentic-eks authors',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  sampleCode: false,
  eslint: false,
  prettier: false,
  vscode: false,
  typescriptVersion: '~6.0.3',
  minNodeVersion: '20.0.0',

  srcdir: 'lib',
  libdir: 'dist-lib',
  testdir: 'test',
  entrypoint: 'dist-lib/lib/index.js',
  entrypointTypes: 'dist-lib/lib/index.d.ts',
  // The tarball's contents are the `files` list below; a root .npmignore would be ignored next to it anyway.
  npmignoreEnabled: false,
  // `npm run package` writes the tarball here, not to dist/ (the GitOps rendering, which every synth replaces).
  artifactsDirectory: 'dist-pkg',

  // jsii libraries whose types appear in the public API are peer dependencies (one copy in the user's app).
  peerDeps: [
    'aws-cdk-lib@^2.276.0',
    'constructs@^10.8.1',
    'cdk8s@^2.70.106',
    'cdk8s-plus-34@^2.0.54',
  ],
  peerDependencyOptions: { pinnedDevDependency: false },
  deps: [
    '@aws-cdk/lambda-layer-kubectl-v36@^2.0.1',
  ],
  // Not a jsii library: shipped inside the package (jsii's rule for plain npm dependencies).
  bundledDeps: ['js-yaml@^5.5.0'],
  devDeps: [
    'aws-cdk-lib@2.276.0',
    'constructs@10.8.1',
    // The lowest versions the peer ranges allow: what the tests run against (jsii's rule for peer dependencies).
    'cdk8s@2.70.106',
    'cdk8s-plus-34@2.0.54',
    'jsii@~6.0.16',
    'jsii-pacmak@^1.140.0',
    'jsii-docgen@^10.12.6',
    'aws-cdk@^2.1148.1',
    'cdk8s-cli@^2.207.60',
    'cdk-nag@^3.0.2',
    'ajv@^8.20.0',
    'ajv-formats@^3.0.1',
    '@marcbachmann/cel-js@^8.0.0',
    'tsx@^4.23.15',
    'ts-node@^10.9.2',
    '@types/node@^20',
    '@types/jest@^30.0.0',
    'ts-jest@^29.4.15',
  ],

  jest: true,
  jestOptions: {
    jestVersion: '^30',
    passWithNoTests: false,
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    junitReporting: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      snapshotSerializers: ['<rootDir>/test/asset-hash-serializer.js'],
      reporters: [new javascript.JestReporter('<rootDir>/test/summary-reporter.js')],
      testTimeout: 120_000,
      collectCoverage: false,
      setupFiles: ['<rootDir>/test/setup-env.js'],
      maxWorkers: 2,
    },
  },
  tsJestOptions: {
    transformOptions: { isolatedModules: true },
  },

  tsconfig: {
    include: ['lib/**/*.ts', 'imports/**/*.ts', 'bin/**/*.ts', 'examples/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    compilerOptions: {
      rootDir: '.',
      module: 'node16',
      moduleResolution: javascript.TypeScriptModuleResolution.NODE16,
      target: 'ES2022',
      lib: ['es2022'],
      types: ['node', 'jest'],
      skipLibCheck: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      esModuleInterop: true,
      isolatedModules: true,
    },
  },
  tsconfigDev: {
    include: ['lib/**/*.ts', 'imports/**/*.ts', 'bin/**/*.ts', 'examples/**/*.ts', 'test/**/*.ts', '.projenrc.ts'],
    compilerOptions: {
      rootDir: '.',
      module: 'node16',
      moduleResolution: javascript.TypeScriptModuleResolution.NODE16,
      target: 'ES2022',
      lib: ['es2022'],
      types: ['node', 'jest'],
      skipLibCheck: true,
      esModuleInterop: true,
    },
  },
  gitignore: ['node_modules', 'cdk.out/', 'dist/', 'dist-lib/', 'dist-pkg/', '.jsii', 'tsconfig.tsbuildinfo', '.bench/', '.cache/', 'test-reports/', 'coverage/', 'jest-results.json'],
});

// `npm install`, never `npm ci` (the registry copy lacks other-platform optional packages jest's resolver lists).
project.tasks.tryFind('install:ci')?.reset('npm install --no-audit --no-fund');

// Type-check everything (library, apps, examples, tests) before jest runs.
const typecheck = project.addTask('typecheck', {
  description: 'Type-check lib, bin, examples and tests (ts-jest runs with isolatedModules).',
  exec: 'tsc --noEmit -p tsconfig.json',
});
project.testTask.prependSpawn(typecheck);

// Regenerate imports/ from the stored CRDs in ../shared/schemas (offline, never edited by hand).
project.addTask('import', {
  description: 'Generate imports/ from the CRDs in ../shared/schemas with cdk8s import.',
  exec: 'node scripts/import-crds.js',
});

// The main job: synthesize the example platform to cdk.out/ (CloudFormation) and dist/ (GitOps), offline, in one
// process (bin/synth.ts) started by scripts/run-ts.js (an esbuild bundle of the sources, cached in .cache/run-ts/).
// aws-cdk-lib's built-in CloudFormation validation is off there; `npm run synth -- --cfn-validation` turns it on.
const SYNTH = 'node scripts/run-ts.js bin/synth.ts';
const synth = project.tasks.tryFind('synth') ?? project.addTask('synth');
synth.reset(SYNTH, { receiveArgs: true });
synth.description = 'Synthesize the example platform in one process: cdk.out/ (cdk deploy) and dist/ (GitOps).';
// `npm run synth` runs the command itself rather than `projen synth`: starting projen costs about a second, a third
// of the job. `npx projen synth` runs the same command.
project.package.setScript('synth', SYNTH);

// The same renderings one at a time, through the CLIs (cdk.json and cdk8s.yaml start the apps with scripts/run-ts.js).
// Like the main job, synth:cdk skips the built-in CloudFormation validation (`--no-validation`, which sets
// CDK_VALIDATION=false for the app); plain `cdk synth` keeps aws-cdk-lib's default (on).
project.addTask('synth:cdk', {
  description: 'CloudFormation rendering of the example platform into cdk.out/ (cdk synth, built-in CloudFormation validation off).',
  exec: 'cdk synth --quiet --no-notices --no-version-reporting --no-validation',
  env: { CDK_DISABLE_CLI_TELEMETRY: 'true' },
});
project.addTask('synth:gitops', {
  description: 'GitOps rendering of the example platform into dist/ (plain YAML + Argo CD Applications).',
  exec: 'cdk8s synth --no-check-upgrade',
});

project.addTask('bench', {
  description: 'Print wall time, peak memory and sizes of the main job, of the example both ways and of platforms with 1 to 500 models (`-- --scale [rounds]`: only those, interleaved).',
  exec: 'node scripts/run-ts.js bench/run.ts',
  receiveArgs: true,
});

project.addTask('cfn-lint', {
  description: 'cfn-lint over every synthesized template (W3005 is aws-eks-v2 generated and ignored).',
  exec: 'cfn-lint --ignore-checks W3005 -- cdk.out/*.template.json',
});

// ---- Install path: what `npm install` from git, a folder or a tarball gets ----------------------------------------
// The library alone is compiled (lib/ and imports/, no tests, benches or examples) by tsconfig.lib.json into
// dist-lib/, about 20 s. `prepare` runs it on `npm install` from git or a folder and before `npm pack`, so a tarball
// ships compiled JavaScript and declarations; `compile` (and `npm run build`) runs the same. Tests never need it:
// jest compiles with ts-jest and `typecheck` checks everything without emitting.
const LIB_TSCONFIG = 'tsconfig.lib.json';
new JsonFile(project, LIB_TSCONFIG, {
  obj: {
    extends: './tsconfig.json',
    compilerOptions: {
      rootDir: '.',
      outDir: 'dist-lib',
      declaration: true,
      // No inline source maps or sources: they would double the tarball.
      inlineSourceMap: false,
      inlineSources: false,
      types: ['node'],
      noEmit: false,
    },
    include: ['lib/**/*.ts', 'imports/**/*.ts'],
    exclude: ['node_modules'],
  },
  marker: true,
  allowComments: true,
});
// ---- jsii: one assembly (.jsii) for every CDK language ---------------------------------------------------------
// jsii compiles the same sources with the same tsconfig.lib.json into dist-lib/ and writes the type model `.jsii`
// beside package.json (about 35 s). jsii-pacmak turns it into a Python package (code only: the Python registry is out
// of reach here), jsii-docgen into docs/API.md. test/package/jsii.test.ts runs all three in CI.
project.addFields({
  types: 'dist-lib/lib/index.d.ts',
  repository: { type: 'git', url: 'https://github.com/agentic-eks/agentic-eks.git' },
  author: { name: 'agentic-eks authors', organization: true },
  stability: 'experimental',
  jsii: {
    outdir: 'dist-pkg',
    // Names a registry release would use; nothing is published from here (see the README's release notes).
    targets: {
      python: { distName: 'agentic-eks', module: 'agentic_eks' },
      java: { package: 'io.github.agenticeks', maven: { groupId: 'io.github.agentic-eks', artifactId: 'agentic-eks' } },
      dotnet: { namespace: 'AgenticEks', packageId: 'AgenticEks' },
      go: { moduleName: 'github.com/agentic-eks/agentic-eks-go' },
    },
    tsc: { outDir: 'dist-lib', rootDir: '.' },
    tsconfig: LIB_TSCONFIG,
    validateTsconfig: 'minimal',
    excludeTypescript: ['test', 'bin', 'examples', 'bench', 'scripts', 'projenrc', '.projenrc.ts'],
  },
});
// `reserved-word` warns about names that are keywords in some language (e.g. `default`); jsii-pacmak escapes them.
const COMPILE_LIB = 'jsii --silence-warnings=reserved-word';
project.compileTask.reset(COMPILE_LIB);
project.tasks.tryFind('watch')?.reset(`${COMPILE_LIB} --watch`);
project.package.setScript('prepare', COMPILE_LIB);
project.addTask('package:python', {
  description: 'Generate the Python package from the jsii assembly into dist-pkg/python (code only, no wheel).',
  exec: 'jsii-pacmak --code-only --target python --outdir dist-pkg',
});
project.addTask('package:bindings', {
  description: 'Generate the Python, Java, .NET and Go bindings from the jsii assembly into dist-pkg/ (code only).',
  exec: 'jsii-pacmak --code-only --target python --target java --target dotnet --target go --outdir dist-pkg',
});
project.addTask('docgen', {
  description: 'Regenerate docs/API.md from the jsii assembly (run `npm run compile` first).',
  exec: 'jsii-docgen --output docs/API.md',
});

// What the tarball holds: the compiled library and generated CRD classes, the CRD files CrdBundleComponent reads at
// synth (crds/), the changelog; npm adds package.json, README.md and LICENSE itself. Nothing from test/, bench/,
// examples/, scripts/ or snapshots (test/package/package-contents.test.ts checks `npm pack --dry-run --json`).
project.addFields({
  files: [
    'dist-lib/lib/**/*.js',
    'dist-lib/lib/**/*.d.ts',
    'dist-lib/imports/**/*.js',
    'dist-lib/imports/**/*.d.ts',
    '.jsii',
    'crds/',
    'CHANGELOG.md',
  ],
});
project.package.addVersion('0.1.0');

project.synth();
