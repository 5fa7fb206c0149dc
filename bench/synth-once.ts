// One synthesis of the example platform with N extra NodePools, both renderings, in this process.
// Usage: tsx bench/synth-once.ts <extraPools> <outdir>; prints one JSON line of numbers.
import * as fs from 'fs';
import * as path from 'path';
import { App, Size } from 'aws-cdk-lib';
import { buildExamplePlatform } from '../examples/platform';
import { GpuModel } from '../lib';

const extra = Number(process.argv[2] ?? '0');
const outdir = process.argv[3] ?? fs.mkdtempSync('/tmp/bench-');
const gpuPools = Number(process.argv[4] ?? '0');
const GPU_CHOICES = [GpuModel.L4, GpuModel.L40S, GpuModel.A10G, GpuModel.H100, GpuModel.H200];
const t0 = process.hrtime.bigint();
const app = new App({ outdir: path.join(outdir, 'cdk.out') });
const platform = buildExamplePlatform(app);
for (let i = 0; i < extra; i++) {
  platform.karpenter.addNodePool(`extra-${i}`, { limits: { cpu: 64, memory: Size.gibibytes(256) } });
}
for (let i = 0; i < gpuPools; i++) {
  platform.gpu.addNodePool(`gpu-${i}`, { gpus: [GPU_CHOICES[i % GPU_CHOICES.length]], limits: { gpus: 16 } });
}
const assembly = app.synth();
const t1 = process.hrtime.bigint();
const files = platform.writeGitOps(path.join(outdir, 'dist'));
const t2 = process.hrtime.bigint();
const stacks = assembly.stacks.map((s) => {
  const body = fs.readFileSync(s.templateFullPath, 'utf-8');
  return { stack: s.stackName, resources: Object.keys(JSON.parse(body).Resources).length, bytes: body.length };
});
console.log(JSON.stringify({
  extraPools: extra,
  gpuPools,
  cdkSynthMs: Number(t1 - t0) / 1e6,
  gitOpsMs: Number(t2 - t1) / 1e6,
  gitOpsFiles: files.length,
  stacks,
  heapMb: Math.round(process.memoryUsage().heapUsed / 1e6),
}));
