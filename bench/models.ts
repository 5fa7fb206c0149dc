// `npx tsx bench/models.ts`: synth time of platforms serving 1, 10 and 100 models (alternating Llama 3.1 8B and
// Qwen3 32B, sized on one L40S pool), both renderings: `cdk synth` of the App (CloudFormation, every model component
// attached with addCdk8sChart) and `GitOpsRendering.files` (the YAML files of dist/). In-process; one warm-up run
// first, then the median of REPEAT runs per case.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { GitOpsRendering, GpuModel, ModelSpec, PlatformStack } from '../lib';

const CASES = [1, 10, 100];
const REPEAT = 3;
const GITOPS = { repoUrl: 'https://github.com/example-org/platform.git' };

interface Run {
  /** Building the platform and adding the models (sizing included). */
  readonly defineMs: number;
  /** `app.synth()`. */
  readonly cdkSynthMs: number;
  /** `GitOpsRendering.files()`. */
  readonly gitOpsMs: number;
  readonly gitOpsFiles: number;
  readonly templateBytes: number;
  readonly resources: number;
}

/** Milliseconds since `start`. */
function since(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** One platform with `models` models, synthesized both ways. */
function run(models: number): Run {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentic-eks-bench-models-'));
  try {
    const t0 = process.hrtime.bigint();
    const app = new App({ outdir });
    const platform = new PlatformStack(app, 'Bench', { env: { region: 'us-west-2' }, clusterName: 'bench', gitOps: GITOPS });
    // Llama 3.1 8B takes 2 L40S (g6e.12xlarge TP=2), Qwen3 32B 4 (TP=4): 3 GPUs per model on average.
    const pool = platform.gpu.addNodePool('l40s', { gpus: [GpuModel.L40S], limits: { gpus: 4 * models } });
    for (let i = 0; i < models; i++) {
      const llama = i % 2 === 0;
      platform.serving.addModel(`Model${i}`, {
        name: `${llama ? 'llama' : 'qwen'}-${i}`,
        spec: llama ? ModelSpec.LLAMA_3_1_8B : ModelSpec.QWEN3_32B,
        pools: [pool],
      });
    }
    const defineMs = since(t0);

    const t1 = process.hrtime.bigint();
    const assembly = app.synth();
    const cdkSynthMs = since(t1);

    const t2 = process.hrtime.bigint();
    const files = GitOpsRendering.files(platform.definition, GITOPS);
    const gitOpsMs = since(t2);

    const stack = assembly.getStackByName('Bench');
    const body = fs.readFileSync(stack.templateFullPath, 'utf-8');
    return {
      defineMs, cdkSynthMs, gitOpsMs, gitOpsFiles: files.length, templateBytes: body.length,
      resources: Object.keys(JSON.parse(body).Resources).length,
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

run(1); // warm-up: module loading and JIT
console.log(`agentic-eks models bench (in-process, median of ${REPEAT} runs after one warm-up)`);
console.log('models | define ms | cdk synth ms | gitops ms | synth total ms | synth ms/model | gitops files | CFN resources | template KB');
const rows = CASES.map((n) => {
  const runs = Array.from({ length: REPEAT }, () => run(n));
  const defineMs = median(runs.map((r) => r.defineMs));
  const cdkSynthMs = median(runs.map((r) => r.cdkSynthMs));
  const gitOpsMs = median(runs.map((r) => r.gitOpsMs));
  const total = median(runs.map((r) => r.cdkSynthMs + r.gitOpsMs));
  const r = runs[0];
  console.log([
    n, defineMs.toFixed(0), cdkSynthMs.toFixed(0), gitOpsMs.toFixed(0), total.toFixed(0), (total / n).toFixed(1),
    r.gitOpsFiles, r.resources, (r.templateBytes / 1024).toFixed(1),
  ].join(' | '));
  return { n, total, defineMs };
});
const first = rows[0];
const last = rows[rows.length - 1];
console.log(`marginal synth per model (${first.n} -> ${last.n}): ${((last.total - first.total) / (last.n - first.n)).toFixed(1)} ms; `
  + `define per model: ${((last.defineMs - first.defineMs) / (last.n - first.n)).toFixed(1)} ms`);
