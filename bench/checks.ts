// Part of `npm run bench`: what the platform checks and the prerequisites cost on the example platform, against the
// synth they run in. Each rendering builds one model of the cluster and runs the checks (and the prerequisites) on
// it, so the cost per synth is twice one cold run. Target: at most 10 % of the example's synth time.
import { performance } from 'perf_hooks';
import { App } from 'aws-cdk-lib';
import { buildExamplePlatform } from '../examples/platform';
import { ClusterModel, GitOpsRendering, computePrerequisites, evaluatePlatformChecks } from '../lib';

const REPEAT = 5;
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const synth: number[] = [];
const checks: number[] = [];
let rules = 0;
for (let i = 0; i < REPEAT; i++) {
  const app = new App();
  const platform = buildExamplePlatform(app);
  let t = performance.now();
  const model = ClusterModel.of(platform.definition);
  rules = evaluatePlatformChecks(platform.definition, undefined, model).length;
  computePrerequisites(platform.definition, model);
  checks.push(performance.now() - t);
  t = performance.now();
  app.synth();
  GitOpsRendering.files(platform.definition, platform.gitOps!);
  synth.push(performance.now() - t);
}
const s = median(synth);
const c = 2 * median(checks);
console.log(`platform checks (${rules} rules) + prerequisites: ${c.toFixed(0)} ms per synth of the example (both renderings); ` +
  `the synth takes ${s.toFixed(0)} ms in all: ${(100 * c / (s - c)).toFixed(1)} % on top of the synth without them ` +
  `(target <= 10 %) (median of ${REPEAT})`);
