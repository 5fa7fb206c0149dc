// One case of `npm run bench`, run in a fresh process by bench/run.ts:
//   node scripts/run-ts.js bench/synth-case.ts example <cdk|gitops> <outdir>
//   node scripts/run-ts.js bench/synth-case.ts models <models> <gpuPools> <outdir>
// Defines the platform, writes the CloudFormation rendering to <outdir>/cdk.out and the GitOps rendering to
// <outdir>/dist (as `npm run synth` does, built-in CloudFormation validation off) and prints one JSON line of numbers.
// A failure prints {"error": "<first line of the message>"} and exits 1.
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildExamplePlatform } from '../examples/platform';
import { Delivery, GpuModel, ModelSpec, PlatformStack } from '../lib';

/** What bench/run.ts reads from a case. */
export interface CaseResult {
  /** Defining the platform (constructs, sizing, models). */
  readonly defineMs: number;
  /** `app.synth()`: the cloud assembly in cdk.out. */
  readonly cdkSynthMs: number;
  /** Writing the GitOps rendering. */
  readonly gitOpsMs: number;
  /** Templates in the cloud assembly, nested stacks included. */
  readonly stacks: number;
  /** The largest template: file name, bytes, resources. */
  readonly largest: { readonly file: string; readonly bytes: number; readonly resources: number };
  readonly gitOpsFiles: number;
}

const GITOPS = { repoUrl: 'https://github.com/example-org/platform.git' };

/** Every CloudFormation template under `dir` (`*.template.json`, nested `*.nested.template.json` included), recursively. */
function templates(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return templates(p);
    return e.name.endsWith('.template.json') ? [p] : [];
  });
}

/** A platform serving `models` models (alternating Llama 3.1 8B and Qwen3 32B) spread over `pools` L40S NodePools. */
function modelsPlatform(app: App, models: number, pools: number): PlatformStack {
  const platform = new PlatformStack(app, 'Bench', {
    env: { region: 'us-west-2' }, clusterName: 'bench', gitOps: GITOPS, serving: { huggingFaceToken: { secretName: 'hf-token' } },
  });
  const gpuPools = Array.from({ length: pools }, (_, i) =>
    platform.gpu.addNodePool(`l40s-${i}`, { gpus: [GpuModel.L40S], limits: { gpus: 4 * Math.ceil(models / pools) } }));
  for (let i = 0; i < models; i++) {
    const llama = i % 2 === 0;
    platform.serving.addModel(`Model${i}`, {
      name: `${llama ? 'llama' : 'qwen'}-${i}`,
      spec: llama ? ModelSpec.LLAMA_3_1_8B : ModelSpec.QWEN3_32B,
      pools: [gpuPools[i % pools]],
    });
  }
  return platform;
}

function main(argv: string[]): CaseResult {
  const [kind, ...rest] = argv;
  const outdir = rest[rest.length - 1];
  const t0 = performance.now();
  const app = new App({ outdir: path.join(outdir, 'cdk.out'), builtinCloudFormationValidation: false });
  let platform: PlatformStack;
  if (kind === 'example') {
    platform = buildExamplePlatform(app, rest[0] === 'gitops' ? Delivery.GITOPS : Delivery.CDK);
  } else if (kind === 'models') {
    platform = modelsPlatform(app, Number(rest[0]), Number(rest[1]));
  } else {
    throw new Error(`unknown case '${kind}': expected 'example' or 'models'`);
  }
  const t1 = performance.now();
  app.synth();
  const t2 = performance.now();
  const files = platform.writeGitOps(path.join(outdir, 'dist'));
  const t3 = performance.now();
  const sizes = templates(path.join(outdir, 'cdk.out')).map((file) => {
    const body = fs.readFileSync(file, 'utf-8');
    const resources = Object.keys((JSON.parse(body) as { Resources?: object }).Resources ?? {}).length;
    return { file: path.basename(file), bytes: Buffer.byteLength(body), resources };
  });
  const largest = sizes.reduce((a, b) => (b.bytes > a.bytes ? b : a), { file: '-', bytes: 0, resources: 0 });
  return {
    defineMs: t1 - t0, cdkSynthMs: t2 - t1, gitOpsMs: t3 - t2, stacks: sizes.length, largest, gitOpsFiles: files.length,
  };
}

try {
  console.log(JSON.stringify(main(process.argv.slice(2))));
} catch (e) {
  const message = e instanceof Error ? e.message : String(e);
  console.log(JSON.stringify({ error: message.split('\n').find((l) => l.trim() !== '') ?? message }));
  process.exitCode = 1;
}
