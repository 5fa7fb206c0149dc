// `npm run bench`: prints synth-time and size numbers of the example platform and of platforms with many NodePools.
// Each case runs in a fresh process (whole-process time includes module loading, as `npm run synth` pays it).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

interface Result {
  extraPools: number; cdkSynthMs: number; gitOpsMs: number; gitOpsFiles: number; heapMb: number;
  stacks: { stack: string; resources: number; bytes: number }[];
}

function run(extra: number, gpuPools = 0): { wallMs: number; result: Result } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentic-eks-bench-'));
  const start = Date.now();
  const p = spawnSync(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, 'synth-once.ts'), String(extra), dir, String(gpuPools)], {
    encoding: 'utf-8',
  });
  const wallMs = Date.now() - start;
  fs.rmSync(dir, { recursive: true, force: true });
  if (p.status !== 0) throw new Error(`synth with ${extra} extra pools failed:\n${p.stderr}`);
  const line = p.stdout.trim().split('\n').pop()!;
  return { wallMs, result: JSON.parse(line) as Result };
}

const cases = [0, 1, 10, 100];
console.log('agentic-eks bench (2-core target; whole process = tsx startup + definition + cdk synth + GitOps write)');
console.log('extra pools | whole process ms | cdk synth ms | gitops ms | files | resources | template KB | heap MB');
const REPEAT = 3;
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
console.log(`(median of ${REPEAT} runs per case)`);
const rows = cases.map((n) => {
  const runs = Array.from({ length: REPEAT }, () => run(n));
  const wallMs = median(runs.map((r) => r.wallMs));
  const result = { ...runs[0].result, cdkSynthMs: median(runs.map((r) => r.result.cdkSynthMs)), gitOpsMs: median(runs.map((r) => r.result.gitOpsMs)) };
  const s = result.stacks[0];
  console.log([n, wallMs, result.cdkSynthMs.toFixed(0), result.gitOpsMs.toFixed(0), result.gitOpsFiles, s.resources,
    (s.bytes / 1024).toFixed(1), result.heapMb].join(' | '));
  return { n, wallMs, synth: result.cdkSynthMs + result.gitOpsMs };
});
const base = rows[1];
const big = rows[3];
const perPool = (big.synth - base.synth) / (big.n - base.n);
console.log(`per extra NodePool: ${perPool.toFixed(2)} ms (1 -> 100 pools); growth ratio synth(100)/synth(1) = ${(big.synth / base.synth).toFixed(2)}`);
console.log(`example platform whole-process synth: ${rows[0].wallMs} ms (target < 10000 ms)`);

const gpu = [1, 20].map((n) => {
  const runs = Array.from({ length: REPEAT }, () => run(0, n));
  const synth = median(runs.map((r) => r.result.cdkSynthMs + r.result.gitOpsMs));
  const s = runs[0].result.stacks[0];
  console.log(`extra GPU pools ${n}: whole process ${median(runs.map((r) => r.wallMs))} ms, synth ${synth.toFixed(0)} ms, ` +
    `${runs[0].result.gitOpsFiles} GitOps files, template ${(s.bytes / 1024).toFixed(1)} KB`);
  return { n, synth };
});
console.log(`per extra GPU pool: ${((gpu[1].synth - gpu[0].synth) / 19).toFixed(2)} ms (1 -> 20 GPU pools)`);

// Models (1, 10, 100), sizing (1,000 cases) and the platform checks: their own scripts, run in fresh processes.
for (const script of ['models.ts', 'sizing.ts', 'checks.ts']) {
  const p = spawnSync(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, script)], { encoding: 'utf-8' });
  if (p.status !== 0) throw new Error(`bench/${script} failed:\n${p.stderr}`);
  process.stdout.write(p.stdout);
}
