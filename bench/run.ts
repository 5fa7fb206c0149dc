// `npm run bench`: wall time, peak memory and sizes of the main job (`npm run synth`), of the example platform with
// each delivery and of platforms with 1 / 100 / 500 models over 1 / 10 / 50 GPU pools; then sizing and the checks.
// Every case runs in a fresh process. Peak memory is the largest peak resident set size of the case's Node.js
// processes, reported by bench/private/max-rss.js (preloaded with NODE_OPTIONS), so no /usr/bin/time is needed.
// Sizes count every template in the cloud assembly, nested stacks included. A case that fails prints
// `failed: <first line of the error>` and the bench goes on. Numbers, not assertions: nothing here fails on a time.
// `npm run bench -- --scale [rounds]` runs only the platforms with N models, interleaved (see scaleOnly below).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { CaseResult } from './synth-case';

const ROOT = path.resolve(__dirname, '..');
const RUN_TS = path.join(ROOT, 'scripts', 'run-ts.js');
const MAX_RSS = path.join(ROOT, 'bench', 'private', 'max-rss.js');
const MAIN_JOB_RUNS = 3;
const MODEL_CASES: [models: number, pools: number][] = [[1, 1], [100, 10], [500, 50]];

interface Measured {
  readonly wallMs: number;
  /** Largest peak RSS of the processes of the run, MiB. */
  readonly peakMb: number;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command` (through the shell, as npm runs a script) in a fresh process tree and measures it. */
function measure(command: string, env: Record<string, string> = {}): Measured {
  const rssFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'agentic-eks-bench-rss-')), 'rss');
  const nodeOptions = [process.env.NODE_OPTIONS, `--require=${MAX_RSS}`].filter((o) => o !== undefined).join(' ');
  const start = process.hrtime.bigint();
  const p = spawnSync('sh', ['-c', command], {
    cwd: ROOT, encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...env, NODE_OPTIONS: nodeOptions, AGENTIC_EKS_BENCH_RSS_FILE: rssFile },
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const kib = fs.existsSync(rssFile)
    ? Math.max(...fs.readFileSync(rssFile, 'utf-8').trim().split('\n').map((l) => Number(l.split(' ')[1])))
    : NaN;
  fs.rmSync(path.dirname(rssFile), { recursive: true, force: true });
  return { wallMs, peakMb: kib / 1024, status: p.status, stdout: p.stdout ?? '', stderr: p.stderr ?? '' };
}

/** The first line that says what went wrong: the case's own error line, else the first line of stderr. */
function firstErrorLine(m: Measured): string {
  for (const line of m.stdout.split('\n')) {
    try {
      const parsed = JSON.parse(line) as { error?: string };
      if (parsed.error !== undefined) return parsed.error;
    } catch { /* not a JSON line */ }
  }
  return m.stderr.split('\n').find((l) => l.trim() !== '') ?? `exit status ${m.status}`;
}

type CaseOutcome = { readonly ok: true; readonly m: Measured; readonly r: CaseResult } | { readonly ok: false; readonly m: Measured; readonly error: string };

/**
 * Scratch directories of the cases, removed at the end of the bench rather than after each case: creating files
 * right after thousands were removed is several times slower (measured 3 to 7 times on an ext4 mounted with
 * `discard`), which would bill a case for the previous case's cleanup.
 */
const leftovers: string[] = [];

process.on('exit', () => {
  for (const dir of leftovers) fs.rmSync(dir, { recursive: true, force: true });
});

/** One case of bench/synth-case.ts in a fresh process. */
function runCase(...args: string[]): CaseOutcome {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentic-eks-bench-'));
  leftovers.push(outdir);
  const m = measure(['node', RUN_TS, path.join(ROOT, 'bench', 'synth-case.ts'), ...args, outdir].map((a) => JSON.stringify(a)).join(' '));
  if (m.status !== 0) return { ok: false, m, error: firstErrorLine(m) };
  const line = m.stdout.trim().split('\n').pop() ?? '';
  return { ok: true, m, r: JSON.parse(line) as CaseResult };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
const ms = (x: number) => `${x.toFixed(0)} ms`;
const mb = (x: number) => `${x.toFixed(0)} MB`;

console.log(`agentic-eks bench: ${os.cpus().length} CPU(s), Node.js ${process.versions.node}; every case in a fresh process`);

// `npm run bench -- --scale [rounds]`: only the platforms with N models, the cases interleaved over `rounds` rounds
// (default 3) after one unmeasured run, so that a load on the machine falls on every case alike; prints each run, the
// medians and the growth of the medians. Nothing else runs.
const args = process.argv.slice(2);
if (args[0] === '--scale') {
  const rounds = args[1] === undefined ? 3 : Number(args[1]);
  if (!Number.isInteger(rounds) || rounds < 1 || args.length > 2) {
    console.error(`usage: npm run bench [-- --scale [rounds]] (rounds: a whole number from 1, default 3; got ${args.slice(1).join(' ')})`);
    process.exit(2);
  }
  scaleOnly(rounds);
  process.exit(0);
}

/** The N-model cases only, interleaved over `rounds` rounds: every run, then the medians and their growth. */
function scaleOnly(rounds: number): void {
  const HEAD = 'whole process | peak RSS | define | cdk synth | gitops write | stacks | largest template (KB / resources) | GitOps files';
  console.log(`\nplatforms with N models over P L40S pools, CDK delivery, ${rounds} interleaved round(s):\nround | models / pools | ${HEAD}`);
  const runs = new Map<string, CaseOutcome[]>(MODEL_CASES.map(([n, p]) => [`${n} / ${p}`, []]));
  // One unmeasured run first: it builds the bundle of bench/synth-case.ts when a source changed.
  runCase('models', '1', '1');
  for (let round = 1; round <= rounds; round++) {
    for (const [n, p] of MODEL_CASES) {
      const o = runCase('models', String(n), String(p));
      runs.get(`${n} / ${p}`)!.push(o);
      printCase(`${round} | ${n} / ${p}`, o);
    }
  }
  console.log('\nmedians:\nmodels / pools | whole process | peak RSS | define | cdk synth | gitops write');
  const medians = new Map<string, number>();
  for (const [label, outcomes] of runs) {
    const ok = outcomes.filter((o): o is Extract<CaseOutcome, { ok: true }> => o.ok);
    if (ok.length === 0) {
      console.log(`${label} | failed`);
      continue;
    }
    medians.set(label, median(ok.map((o) => o.m.wallMs)));
    console.log([label, ms(medians.get(label)!), mb(median(ok.map((o) => o.m.peakMb))), ms(median(ok.map((o) => o.r.defineMs))),
      ms(median(ok.map((o) => o.r.cdkSynthMs))), ms(median(ok.map((o) => o.r.gitOpsMs)))].join(' | '));
  }
  const [first, last] = [runs.keys().next().value as string, [...runs.keys()].pop()!];
  if (medians.has(first) && medians.has(last)) {
    console.log(`growth ${first} -> ${last}: whole process x${(medians.get(last)! / medians.get(first)!).toFixed(2)} (medians)`);
  }
}

// 1. The main job: the command `npm run synth` runs (package.json), into a scratch directory.
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')) as { scripts: Record<string, string> };
const mainJob = pkg.scripts.synth;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'agentic-eks-bench-main-'));
const outEnv = { CDK_OUTDIR: path.join(scratch, 'cdk.out'), CDK8S_OUTDIR: path.join(scratch, 'dist') };
// The first run after a change to the sources also builds the bundle (scripts/run-ts.js); show it once.
const cache = path.join(ROOT, '.cache', 'run-ts');
for (const f of fs.existsSync(cache) ? fs.readdirSync(cache).filter((name) => name.startsWith('bin__synth.')) : []) {
  fs.rmSync(path.join(cache, f));
}
const cold = measure(mainJob, outEnv);
const warm = Array.from({ length: MAIN_JOB_RUNS }, () => measure(mainJob, outEnv));
leftovers.push(scratch);
const failedMain = [cold, ...warm].find((m) => m.status !== 0);
console.log(`\nmain job (\`npm run synth\` = \`${mainJob}\`, both renderings, built-in CloudFormation validation off):`);
if (failedMain !== undefined) {
  console.log(`  failed: ${firstErrorLine(failedMain)}`);
} else {
  console.log(`  whole process: ${ms(median(warm.map((m) => m.wallMs)))} wall, ${mb(Math.max(...warm.map((m) => m.peakMb)))} peak RSS ` +
    `(median wall / highest peak of ${MAIN_JOB_RUNS} runs; first run after a source change, bundle included: ` +
    `${ms(cold.wallMs)}, ${mb(cold.peakMb)})`);
}

// 2. The example both ways, 3. platforms with many models: one fresh process per case.
function printCase(label: string, o: CaseOutcome): void {
  if (!o.ok) {
    console.log(`${label} | failed: ${o.error}`);
    return;
  }
  const { m, r } = o;
  console.log([label, ms(m.wallMs), mb(m.peakMb), ms(r.defineMs), ms(r.cdkSynthMs), ms(r.gitOpsMs), r.stacks,
    `${(r.largest.bytes / 1024).toFixed(0)} KB / ${r.largest.resources}`, r.gitOpsFiles].join(' | '));
}
const HEADER = 'whole process | peak RSS | define | cdk synth | gitops write | stacks | largest template (KB / resources) | GitOps files';
console.log(`\nexample platform, each delivery (cdk.out/ and dist/ both written):\ndelivery | ${HEADER}`);
for (const delivery of ['cdk', 'gitops']) printCase(delivery, runCase('example', delivery));

console.log(`\nplatforms with N models (Llama 3.1 8B / Qwen3 32B alternating) over P L40S pools, CDK delivery:\nmodels / pools | ${HEADER}`);
const models = MODEL_CASES.map(([n, p]) => {
  const o = runCase('models', String(n), String(p));
  printCase(`${n} / ${p}`, o);
  return { n, o };
});
// Growth from the first case to the last; when the last failed, to the largest case that did not (and say so).
const first = models[0];
const last = [...models].reverse().find((c) => c.o.ok);
if (first.o.ok && last !== undefined && last !== first && last.o.ok) {
  const synth = (r: CaseResult) => r.defineMs + r.cdkSynthMs + r.gitOpsMs;
  const missing = last === models[models.length - 1] ? '' : ` (${models[models.length - 1].n} models failed)`;
  console.log(`growth ${first.n} -> ${last.n} models${missing}: whole process x${(last.o.m.wallMs / first.o.m.wallMs).toFixed(2)}, ` +
    `define + synth + write x${(synth(last.o.r) / synth(first.o.r)).toFixed(2)}, peak RSS x${(last.o.m.peakMb / first.o.m.peakMb).toFixed(2)}`);
} else {
  console.log('growth: not available (the cases failed)');
}

// Sizing (1,000 cases) and the platform checks: their own scripts, in fresh processes.
for (const script of ['sizing.ts', 'checks.ts']) {
  const m = measure(`node ${JSON.stringify(RUN_TS)} ${JSON.stringify(path.join(ROOT, 'bench', script))}`);
  process.stdout.write('\n');
  if (m.status !== 0) console.log(`bench/${script} failed: ${firstErrorLine(m)}`);
  else process.stdout.write(m.stdout);
}
