import * as fs from 'fs';
import * as path from 'path';

/*
 * A project that uses agentic-eks as a user would: its own package.json, a strict tsconfig.json and an app that
 * defines a small platform with aws-cdk-lib's Size, synthesizes CloudFormation into cdk.out/ and writes the GitOps
 * rendering into dist/. The files live here as text so the library's own type-check does not compile them against
 * the source tree: the consumer test compiles them against the packed tarball only.
 */

/** Stack name of the consumer's platform. */
export const CONSUMER_STACK = 'ConsumerPlatform';

/** The consumer's package.json: it depends on the tarball and on the peer dependencies. */
export function consumerPackageJson(tarball: string): Record<string, unknown> {
  return {
    name: 'agentic-eks-consumer',
    version: '1.0.0',
    private: true,
    description: 'Uses agentic-eks from its packed tarball',
    dependencies: {
      'agentic-eks': `file:${tarball}`, 'aws-cdk-lib': '^2.276.0', 'constructs': '^10.8.1', 'cdk8s': '^2.70.106', 'cdk8s-plus-34': '^2.0.54',
    },
  };
}

/** Strict compiler options; the declarations of every library are checked too (no skipLibCheck). */
export const CONSUMER_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'node16',
    moduleResolution: 'node16',
    lib: ['es2022'],
    types: ['node'],
    strict: true,
    noImplicitAny: true,
    noUnusedLocals: true,
    skipLibCheck: false,
    outDir: 'build',
    rootDir: '.',
  },
  include: ['app.ts'],
};

/** The consumer's app: `node build/app.js <outdir>` writes `<outdir>/cdk.out` and `<outdir>/dist`. */
export const CONSUMER_APP = `import * as path from 'path';
import { App, Duration, Size } from 'aws-cdk-lib';
import { Cpu, GpuModel, ModelSpec, PlatformReport, PlatformStack } from 'agentic-eks';

const outdir = process.argv[2] ?? '.';
const app = new App({ outdir: path.join(outdir, 'cdk.out') });
const platform = new PlatformStack(app, '${CONSUMER_STACK}', {
  env: { region: 'us-east-1' },
  clusterName: 'consumer',
  gitOps: { repoUrl: 'https://github.com/example-org/consumer-gitops.git' },
  serving: { huggingFaceToken: { secretName: 'hf-token' } },
});
platform.karpenter.addNodePool('general', { limits: { cpu: Cpu.cores(64), memory: Size.gibibytes(256) } });
const inference = platform.gpu.addNodePool('inference', {
  gpus: [GpuModel.L40S],
  limits: { gpus: 8, memory: Size.gibibytes(1024) },
  rootVolumeSize: Size.gibibytes(200),
  expireAfter: Duration.days(14),
});
const llama = platform.serving.addModel('Llama', {
  name: 'llama',
  spec: ModelSpec.LLAMA_3_1_8B,
  pools: [inference],
  contextLength: 16384,
  concurrency: 32,
  sharedMemory: Size.gibibytes(8),
  autoscaling: { minReplicas: 1, maxReplicas: 2 },
});
platform.gateway.routeModel('Llama', llama, { pathPrefix: '/llama' });
platform.teams.add({ name: 'search', gpuQuota: 4 });

const assembly = app.synth();
const files = platform.writeGitOps(path.join(outdir, 'dist'));
console.log(JSON.stringify({
  stacks: assembly.stacks.map((s) => s.stackName),
  gitOpsFiles: files.length,
  reports: [PlatformReport.MARKDOWN_FILE, PlatformReport.JSON_FILE].filter((f) => files.includes(f)),
}));
`;

/** Writes the consumer project into `dir` (which must exist). */
export function writeConsumerProject(dir: string, tarball: string): void {
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(consumerPackageJson(tarball), undefined, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), `${JSON.stringify(CONSUMER_TSCONFIG, undefined, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'app.ts'), CONSUMER_APP);
}
