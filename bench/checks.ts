// Part of `npm run bench`: what the platform checks and the prerequisites add to a synth of the example platform.
// The CDK rendering builds a model of the cluster (one more toJson() of every component), runs the rules and computes
// the prerequisites; the GitOps rendering does the same but writes the model's objects instead of calling toJson()
// again, so there the model costs nothing extra. Target: at most 10 % of the example's synth time (both renderings).
import { performance } from 'perf_hooks';
import { App } from 'aws-cdk-lib';
import { buildExamplePlatform } from '../examples/platform';
import { GitOpsRendering } from '../lib';
import { ClusterModel } from '../lib/checks/model';
import { computePrerequisites } from '../lib/checks/prerequisites';
import { evaluatePlatformChecks } from '../lib/checks/run';

const WARMUP = 2;
const REPEAT = 7;
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const rows: { model: number; rules: number; prerequisites: number; synth: number }[] = [];
let ruleCount = 0;
for (let i = 0; i < WARMUP + REPEAT; i++) {
  const app = new App();
  const platform = buildExamplePlatform(app);
  let t = performance.now();
  const model = ClusterModel.of(platform.definition);
  const modelMs = performance.now() - t;
  t = performance.now();
  ruleCount = evaluatePlatformChecks(platform.definition, undefined, model).length;
  const rulesMs = performance.now() - t;
  t = performance.now();
  computePrerequisites(platform.definition, model);
  const prerequisitesMs = performance.now() - t;
  t = performance.now();
  app.synth();
  GitOpsRendering.files(platform.definition, platform.gitOps!);
  const synthMs = performance.now() - t;
  if (i >= WARMUP) rows.push({ model: modelMs, rules: rulesMs, prerequisites: prerequisitesMs, synth: synthMs });
}
const m = median(rows.map((r) => r.model));
const r = median(rows.map((r) => r.rules));
const p = median(rows.map((r) => r.prerequisites));
const s = median(rows.map((r) => r.synth));
const added = m + 2 * (r + p);
console.log(`platform checks (${ruleCount} rules): model ${m.toFixed(1)} ms, rules ${r.toFixed(1)} ms, prerequisites ${p.toFixed(1)} ms; ` +
  `a synth of the example (both renderings) takes ${s.toFixed(0)} ms, of which the checks add ${added.toFixed(0)} ms = ` +
  `${(100 * added / (s - added)).toFixed(1)} % (target <= 10 %) (median of ${REPEAT} warm runs)`);
