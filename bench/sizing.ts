// `npx tsx bench/sizing.ts`: sizes 1,000 (model, context, concurrency, KV dtype) combinations against the whole GPU
// catalog and prints the total time. Requests that fit nowhere throw; they are counted, as a real caller would catch them.
import { GpuInstanceType } from '../lib/gpu/catalog';
import { KvCacheDType, ModelSpec, WeightDType } from '../lib/serving/model-spec';
import { sizeModel, SizingRequest } from '../lib/serving/sizing';

const candidates = GpuInstanceType.all();
const models = [
  ...ModelSpec.all(),
  ModelSpec.LLAMA_3_1_70B.withWeightDType(WeightDType.FP8),
  ModelSpec.QWEN3_32B.withWeightDType(WeightDType.FP8),
];
const contexts = [2048, 8192, 32768, 131072]; // clamped to each model's maximum
const concurrencies = [1, 8, 64, 256, 1024];
const kvDTypes = [KvCacheDType.AUTO, KvCacheDType.FP8];

const requests: SizingRequest[] = [];
for (let i = 0; requests.length < 1000; i++) {
  const model = models[i % models.length];
  const contextLength = Math.min(contexts[Math.floor(i / models.length) % contexts.length], model.maxContextLength);
  const concurrency = concurrencies[Math.floor(i / (models.length * contexts.length)) % concurrencies.length];
  const kvCacheDType = kvDTypes[Math.floor(i / (models.length * contexts.length * concurrencies.length)) % kvDTypes.length];
  requests.push({ model, contextLength, concurrency, kvCacheDType, candidates });
}

/** Sizes every request once; returns [fits, does not fit, total USD/h of the fits]. */
function run(): [number, number, number] {
  let fit = 0;
  let none = 0;
  let usd = 0;
  for (const r of requests) {
    try {
      usd += sizeModel(r).usdPerHour;
      fit++;
    } catch {
      none++;
    }
  }
  return [fit, none, usd];
}

/** Milliseconds `fn` takes. */
function time<T>(fn: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const result = fn();
  return [result, Number(process.hrtime.bigint() - start) / 1e6];
}

const [, coldMs] = time(run); // first pass: includes JIT warm-up
const [[fit, none, usd], ms] = time(run);
console.log(`sizing bench: ${requests.length} requests x ${candidates.length} catalog instance types`);
console.log(`  fit: ${fit}, no fit (error thrown): ${none}, sum of chosen prices: $${usd.toFixed(2)}/h`);
console.log(`  total: ${ms.toFixed(1)} ms warm (${(ms * 1000 / requests.length).toFixed(1)} µs per request), `
  + `${coldMs.toFixed(1)} ms cold (first pass)`);
