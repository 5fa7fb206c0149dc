import { SizeRoundingBehavior, Token } from 'aws-cdk-lib';
import { check, PlatformValidationError } from '../core/validation';
import { GpuInstanceType } from '../gpu/catalog';
import { KvCacheDType, ModelSpec } from './model-spec';

/*
 * Synth-time sizing of a vLLM deployment: which instance type, tensor parallelism (TP) and pipeline parallelism (PP)
 * hold a model's weights plus the KV cache of `concurrency` sequences of `contextLength` tokens, cheapest first.
 *
 * The formula (per GPU; all sizes in bytes, GiB = 2^30):
 *
 *   budget        = GPU memory x gpuMemoryUtilization                      (what vLLM claims, default 0.9)
 *   overhead      = 2 GiB + 5% of GPU memory                               (activations, CUDA graphs, NCCL, context)
 *   usable        = budget - overhead - reserved                           (reserved: e.g. LoRA adapter slots)
 *   stageLayers   = ceil(layers / PP)                                      (the busiest pipeline stage)
 *   weights/GPU   = weightBytes x stageLayers / layers / TP
 *   kvHeads/GPU   = max(1, kvHeads / TP)                                   (vLLM replicates KV heads when TP > kvHeads)
 *   KV/token/GPU  = 2 x stageLayers x kvHeads/GPU x headDim x bytes/elem   (or override x stageLayers / layers: MLA
 *                                                                           latents are replicated on every TP rank)
 *   KV free/GPU   = usable - weights/GPU
 *   max sequences = floor(KV free/GPU / (KV/token/GPU x contextLength));   fits when >= concurrency
 *
 * Layouts: on one node, TP is a power of two that divides the node's GPUs and the model's attention heads, and either
 * divides the KV heads or is a multiple of them (vLLM's rule), up to `maxTensorParallel`. Only when no single node of
 * any candidate fits: PP across 2 to 4 nodes of a type with EFA, TP = the node's GPUs. The cheapest layout wins
 * (nodes x on-demand price), ties go to fewer GPUs, then smaller TP, then instance type name.
 *
 * Why the overhead: llm-d/llm-d-benchmark `config_explorer/empirical-vllm-memory-results.md` logged vLLM on an H100
 * (79.18 GiB visible, util 0.9 = 71.26 GiB): budget - weights - KV cache = 4.9 GiB for Llama 3.1 8B, 5.4 GiB for
 * Llama 3.3 70B FP8 at TP=2, 5.8 GiB for Qwen3 32B, 7.5 GiB for gpt-oss-20b (peak activations 4.8 to 7.4 GiB).
 * Against the catalog's 80 GiB label that is 5.6 to 8.3 GiB; 2 GiB + 5% gives 6 GiB, and the formula then predicts
 * 51.0 GiB of KV cache for Llama 3.1 8B where vLLM measured 51.4 GiB. What is left out: layer norms and, when
 * TP > kvHeads, the replicated K/V projections (both small); the embedding/lm_head imbalance between pipeline stages;
 * vLLM's 16-token block rounding. MoE activations (gpt-oss) run 1-2 GiB above the overhead.
 */

const GIB = 1024 ** 3;

/**
 * GPU memory per GPU that the sizing sets aside for vLLM's runtime besides weights and KV cache (peak activations of
 * the profiling run, CUDA graphs, NCCL and cuBLAS buffers): `fixedBytes + gpuMemoryFraction x GPU memory`.
 */
export const SIZING_OVERHEAD: { readonly fixedBytes: number; readonly gpuMemoryFraction: number; readonly source: string } = {
  fixedBytes: 2 * GIB,
  gpuMemoryFraction: 0.05,
  source: 'llm-d/llm-d-benchmark config_explorer/empirical-vllm-memory-results.md (vLLM on H100, util 0.9: '
    + '4.9-7.5 GiB between the memory budget and weights + KV cache)',
};

/** Default of {@link SizingRequest.gpuMemoryUtilization}: vLLM's `--gpu-memory-utilization` default. */
export const DEFAULT_GPU_MEMORY_UTILIZATION = 0.9;

/** Most nodes a pipeline-parallel layout spans. */
const MAX_PIPELINE_NODES = 4;

/** What a model must serve: the context and concurrency its KV cache must hold, and vLLM's memory settings. */
export interface ServingDemand {
  /** The model. */
  readonly model: ModelSpec;
  /** Tokens per sequence (prompt + output) every one of the `concurrency` sequences may reach (`--max-model-len`). */
  readonly contextLength: number;
  /** Sequences that must fit in the KV cache at once, each at `contextLength`. */
  readonly concurrency: number;
  /**
   * KV cache dtype (`--kv-cache-dtype`).
   * @default KvCacheDType.AUTO
   */
  readonly kvCacheDType?: KvCacheDType;
  /**
   * Fraction of each GPU's memory vLLM may use (`--gpu-memory-utilization`), greater than 0 and less than 1.
   * @default 0.9
   */
  readonly gpuMemoryUtilization?: number;
  /**
   * Bytes per GPU that vLLM reserves besides weights, KV cache and the runtime overhead, e.g. the LoRA adapter slots
   * of `--enable-lora` (`LoraServingSettings.bytesPerGpu`).
   * @default 0
   */
  readonly reservedBytesPerGpu?: number;
}

/** What to size: a model, the context and concurrency it must serve, and the instance types to choose from. */
export interface SizingRequest extends ServingDemand {
  /** Instance types to choose from, e.g. those of the platform's GPU NodePools. */
  readonly candidates: GpuInstanceType[];
  /**
   * Largest tensor-parallel size to consider (`--tensor-parallel-size`).
   * @default - the GPUs of the instance type
   */
  readonly maxTensorParallel?: number;
  /**
   * Instance types that may form multi-node (pipeline-parallel) layouts: those of pools that declare EFA.
   * @default - every candidate whose instance type has EFA interfaces
   */
  readonly multiNodeCandidates?: GpuInstanceType[];
}

/** A layout chosen by hand (e.g. a model's `tensorParallelSize`), to evaluate with {@link ModelSizing.describe}. */
export interface GivenLayoutRequest extends ServingDemand {
  /** Instance type of every node. */
  readonly instanceType: GpuInstanceType;
  /** `--tensor-parallel-size`. */
  readonly tensorParallelSize: number;
  /**
   * `--pipeline-parallel-size` (nodes).
   * @default 1
   */
  readonly pipelineParallelSize?: number;
}

/** Most runners-up and rejected layouts a {@link ModelLayout} lists. */
const MAX_ALTERNATIVES = 3;

/** One layout the sizing weighed: an instance type with TP x PP, what it costs and what its KV cache holds. */
export interface LayoutOption {
  /** Instance type of every node. */
  readonly instanceType: GpuInstanceType;
  /** `--tensor-parallel-size`. */
  readonly tensorParallelSize: number;
  /** `--pipeline-parallel-size` (nodes). */
  readonly pipelineParallelSize: number;
  /** GPUs used: TP x PP. */
  readonly gpus: number;
  /** Price of the nodes, USD per hour (nodes x the instance type's {@link GpuInstanceType.usdPerHour}). */
  readonly usdPerHour: number;
  /** Tokens the KV cache of one replica holds (what vLLM logs as "GPU KV cache size"). */
  readonly kvCacheTokens: number;
  /** Sequences of the requested context that fit in that KV cache at once. */
  readonly maxConcurrentSequencesAtContext: number;
}

/** The cheapest way found to serve a {@link SizingRequest}. Sizes are bytes. */
export interface ModelLayout {
  /** Instance type of every node. */
  readonly instanceType: GpuInstanceType;
  /** `--tensor-parallel-size`: GPUs of one node that shard each layer. */
  readonly tensorParallelSize: number;
  /** `--pipeline-parallel-size`: nodes that each hold a slice of the layers (1 = single node). */
  readonly pipelineParallelSize: number;
  /** Nodes (equals `pipelineParallelSize`). */
  readonly nodes: number;
  /** GPUs used: tensorParallelSize x pipelineParallelSize. */
  readonly gpus: number;
  /** Weight bytes on one GPU (of the busiest pipeline stage). */
  readonly weightBytesPerGpu: number;
  /**
   * KV cache bytes the request needs over all GPUs: kvCacheBytesPerToken x contextLength x concurrency, times the
   * KV-head replication of the layout (max(TP, kvHeads) / kvHeads; TP for a per-token override).
   */
  readonly kvBytesNeeded: number;
  /** KV cache bytes the layout has over all GPUs: (usable - weights per GPU) x GPUs. */
  readonly kvBytesAvailable: number;
  /**
   * Sequences of `contextLength` tokens that fit in the KV cache at once (at least the requested concurrency when the
   * layout was chosen by {@link ModelSizing.size}).
   */
  readonly maxConcurrentSequencesAtContext: number;
  /** Tokens the KV cache of one replica holds (what vLLM logs as "GPU KV cache size"). */
  readonly kvCacheTokens: number;
  /** Price of the nodes, USD per hour (nodes x the instance type's {@link GpuInstanceType.usdPerHour}). */
  readonly usdPerHour: number;
  /** One sentence: what the model needs and which layout was chosen. */
  readonly explanation: string;
  /**
   * The next cheapest layouts that also fit, cheapest first (at most 3, one per GPU model x TP x PP: the same shape on
   * a larger instance holds the same KV cache at a higher price): what the choice won against. Empty for a layout
   * given by {@link ModelSizing.describe}.
   */
  readonly runnersUp: LayoutOption[];
  /**
   * Layouts that cost no more than the chosen one but do not hold the request, the closest in price first (at most 3:
   * the cheapest of each GPU model x TP x PP, and of those the one holding the most per instance type and node count):
   * why no cheaper layout won. Empty for a layout given by
   * {@link ModelSizing.describe}.
   */
  readonly rejected: LayoutOption[];
}

/** Whether vLLM accepts `tp` for these KV heads: TP divides them, or is a multiple of them. */
function kvHeadsCompatible(tp: number, kvHeads: number): boolean {
  return kvHeads % tp === 0 || tp % kvHeads === 0;
}

/**
 * Checks a tensor-parallel size for a model on a NodePool: an integer >= 1 that divides the GPUs per node and the
 * model's attention heads, and divides the KV heads or is a multiple of them. Throws a {@link PlatformValidationError}.
 */
export function checkTensorParallelFits(tp: number, gpusPerNode: number, poolName: string, model: ModelSpec): void {
  check(!Token.isUnresolved(tp), `'tensorParallelSize' must be a literal number, not a token`);
  check(Number.isInteger(tp) && tp >= 1, `'tensorParallelSize' (${tp}) must be an integer >= 1`);
  check(gpusPerNode % tp === 0,
    `'tensorParallelSize' (${tp}) must divide the GPUs per node (${gpusPerNode}) of NodePool '${poolName}'`);
  check(model.attentionHeads % tp === 0,
    `'tensorParallelSize' (${tp}) must divide the attention heads (${model.attentionHeads}) of ${model.name}`);
  check(kvHeadsCompatible(tp, model.kvHeads),
    `'tensorParallelSize' (${tp}) must divide the KV heads (${model.kvHeads}) of ${model.name} or be a multiple of them`);
}

/** One layout under evaluation. */
interface Evaluated {
  readonly type: GpuInstanceType;
  readonly tp: number;
  readonly pp: number;
  readonly gpus: number;
  readonly usd: number;
  readonly usablePerGpu: number;
  readonly weightsPerGpu: number;
  readonly kvFreePerGpu: number;
  readonly kvTokens: number;
  readonly maxSequences: number;
}

/** The validated request with defaults applied. */
interface Resolved {
  readonly model: ModelSpec;
  readonly contextLength: number;
  readonly concurrency: number;
  readonly kv: KvCacheDType;
  readonly utilization: number;
  readonly maxTp?: number;
  readonly reserved: number;
}

/** Bytes of one GPU of a type. */
function gpuBytes(type: GpuInstanceType): number {
  return type.gpu.memory.toMebibytes({ rounding: SizeRoundingBehavior.NONE }) * 1024 * 1024;
}

/** Evaluates TP x PP on `type`. */
function evaluate(req: Resolved, type: GpuInstanceType, tp: number, pp: number): Evaluated {
  const { model } = req;
  const memory = gpuBytes(type);
  const usablePerGpu = memory * req.utilization - (SIZING_OVERHEAD.fixedBytes + SIZING_OVERHEAD.gpuMemoryFraction * memory) - req.reserved;
  const stageShare = Math.ceil(model.layers / pp) / model.layers;
  const weightsPerGpu = model.weightBytes * stageShare / tp;
  const kvPerTokenPerGpu = model.hasKvCacheOverride
    ? model.kvCacheBytesPerToken(req.kv) * stageShare
    : model.kvCacheBytesPerToken(req.kv) * stageShare * Math.max(1, model.kvHeads / tp) / model.kvHeads;
  const kvFreePerGpu = Math.max(0, usablePerGpu - weightsPerGpu);
  const kvTokens = Math.floor(kvFreePerGpu / kvPerTokenPerGpu);
  const maxSequences = Math.floor(kvFreePerGpu / (kvPerTokenPerGpu * req.contextLength));
  return {
    type, tp, pp, gpus: tp * pp, usd: pp * type.usdPerHour, usablePerGpu, weightsPerGpu, kvFreePerGpu, kvTokens, maxSequences,
  };
}

/** Powers of two from 1 to `max`. */
function powersOfTwo(max: number): number[] {
  const out: number[] = [];
  for (let n = 1; n <= max; n *= 2) out.push(n);
  return out;
}

/** Single-node layouts of `type` that vLLM accepts. */
function singleNodeLayouts(req: Resolved, type: GpuInstanceType): Evaluated[] {
  const { model } = req;
  const maxTp = Math.min(type.gpuCount, req.maxTp ?? type.gpuCount);
  return powersOfTwo(maxTp)
    .filter((tp) => type.gpuCount % tp === 0 && model.attentionHeads % tp === 0 && kvHeadsCompatible(tp, model.kvHeads))
    .map((tp) => evaluate(req, type, tp, 1));
}

/** Pipeline-parallel layouts over 2..4 nodes of `type` (EFA types only; TP = the node's GPUs). */
function multiNodeLayouts(req: Resolved, type: GpuInstanceType): Evaluated[] {
  const { model } = req;
  const tp = type.gpuCount;
  const tpAllowed = type.efaInterfaces > 0 && tp <= (req.maxTp ?? tp) && model.attentionHeads % tp === 0
    && kvHeadsCompatible(tp, model.kvHeads);
  if (!tpAllowed) return [];
  const out: Evaluated[] = [];
  for (let pp = 2; pp <= Math.min(MAX_PIPELINE_NODES, model.layers); pp++) out.push(evaluate(req, type, tp, pp));
  return out;
}

/** Cheapest first; ties: fewer GPUs, smaller TP, instance type name. */
function cheaperFirst(a: Evaluated, b: Evaluated): number {
  return a.usd - b.usd || a.gpus - b.gpus || a.tp - b.tp || a.type.name.localeCompare(b.type.name);
}

/** `12.3` (one decimal). */
function gib(bytes: number): string {
  return (bytes / GIB).toFixed(1);
}

/** GPU memory for display: `80`, `44.7`. */
function gpuGib(type: GpuInstanceType): string {
  const s = gib(gpuBytes(type));
  return s.endsWith('.0') ? s.slice(0, -2) : s;
}

/** Replication of the KV cache across the TP ranks of a layout (1 when TP <= kvHeads). */
function kvReplication(model: ModelSpec, tp: number): number {
  return model.hasKvCacheOverride ? tp : Math.max(tp, model.kvHeads) / model.kvHeads;
}

/** Checks and defaults the request. */
function resolve(req: ServingDemand, maxTensorParallel?: number): Resolved {
  const { model } = req;
  for (const [prop, value] of [['contextLength', req.contextLength], ['concurrency', req.concurrency]] as const) {
    check(!Token.isUnresolved(value), `'${prop}' must be a literal number, not a token: sizing happens at synth time`);
    check(Number.isInteger(value) && value >= 1, `'${prop}' (${value}) must be an integer >= 1`);
  }
  check(req.contextLength <= model.maxContextLength,
    `'contextLength' (${req.contextLength}) is above the model's maximum context (${model.maxContextLength}) of ${model.name}`);
  const kv = req.kvCacheDType ?? KvCacheDType.AUTO;
  const kvDTypes = Object.values(KvCacheDType) as string[];
  check(kvDTypes.includes(kv), `'kvCacheDType' (${kv}) must be ${kvDTypes.join(' or ')}`);
  const utilization = req.gpuMemoryUtilization ?? DEFAULT_GPU_MEMORY_UTILIZATION;
  check(!Token.isUnresolved(utilization), `'gpuMemoryUtilization' must be a literal number, not a token`);
  check(Number.isFinite(utilization) && utilization > 0 && utilization < 1,
    `'gpuMemoryUtilization' (${utilization}) must be greater than 0 and less than 1`);
  if (maxTensorParallel !== undefined) {
    check(Number.isInteger(maxTensorParallel) && maxTensorParallel >= 1,
      `'maxTensorParallel' (${maxTensorParallel}) must be an integer >= 1`);
  }
  const reserved = req.reservedBytesPerGpu ?? 0;
  check(Number.isFinite(reserved) && reserved >= 0, `'reservedBytesPerGpu' (${reserved}) must be zero or more`);
  return { model, contextLength: req.contextLength, concurrency: req.concurrency, kv, utilization, maxTp: maxTensorParallel, reserved };
}

/** A layout under evaluation as returned to callers. */
function toOption(e: Evaluated): LayoutOption {
  return {
    instanceType: e.type,
    tensorParallelSize: e.tp,
    pipelineParallelSize: e.pp,
    gpus: e.gpus,
    usdPerHour: e.usd,
    kvCacheTokens: e.kvTokens,
    maxConcurrentSequencesAtContext: e.maxSequences,
  };
}

/**
 * What decides a layout's memory: GPU model, TP and PP. Layouts of one shape on instance types of other sizes hold
 * the same KV cache at another price; the report lists the cheapest of each shape.
 */
function shapeOf(e: Evaluated): string {
  return `${e.type.gpu.displayName}/${gpuBytes(e.type)}/${e.tp}/${e.pp}`;
}

/** The cheapest layout of each shape other than the winner's, in the given (cheapest-first) order. */
function cheapestPerShape(sorted: Evaluated[], winner: Evaluated): Evaluated[] {
  const seen = new Set<string>([shapeOf(winner)]);
  const out: Evaluated[] = [];
  for (const e of sorted) {
    if (seen.has(shapeOf(e))) continue;
    seen.add(shapeOf(e));
    out.push(e);
  }
  return out;
}

/** The fitting layouts after the winner (cheapest first), one per shape. */
function runnersUp(fitting: Evaluated[]): LayoutOption[] {
  return cheapestPerShape(fitting.slice(1), fitting[0]).slice(0, MAX_ALTERNATIVES).map(toOption);
}

/**
 * Layouts no dearer than `winner` that do not fit: one per shape (its cheapest), then one per instance type and node
 * count (the one holding the most sequences, ties to more GPUs), the closest in price first.
 */
function rejected(evaluated: Evaluated[], winner: Evaluated, fits: (e: Evaluated) => boolean): LayoutOption[] {
  const misfits = evaluated.filter((e) => !fits(e) && e.usd <= winner.usd).sort(cheaperFirst);
  const best = new Map<string, Evaluated>();
  for (const e of cheapestPerShape(misfits, winner)) {
    const key = `${e.type.name}/${e.pp}`;
    const current = best.get(key);
    if (current === undefined || e.maxSequences > current.maxSequences || (e.maxSequences === current.maxSequences && e.gpus > current.gpus)) {
      best.set(key, e);
    }
  }
  return [...best.values()]
    .sort((a, b) => b.usd - a.usd || b.maxSequences - a.maxSequences || b.gpus - a.gpus || a.type.name.localeCompare(b.type.name))
    .slice(0, MAX_ALTERNATIVES)
    .map(toOption);
}

/** The layout as returned to callers; `given` for a layout chosen by hand. */
function toLayout(
  req: Resolved, e: Evaluated, alternatives: { runnersUp: LayoutOption[]; rejected: LayoutOption[] }, given = false,
): ModelLayout {
  const { model } = req;
  const kvBytesNeeded = model.kvCacheBytesPerToken(req.kv) * req.contextLength * req.concurrency * kvReplication(model, e.tp);
  const nodes = e.pp > 1 ? `${e.pp} x ${e.type.name}` : e.type.name;
  const kvWord = req.kv === KvCacheDType.FP8 ? 'fp8 KV cache' : 'KV cache';
  const layout = `${nodes} TP=${e.tp} PP=${e.pp} (${e.gpus} x ${e.type.gpu.displayName} ${gpuGib(e.type)} GiB, $${e.usd.toFixed(2)}/h)`;
  const explanation = `${model.name} (${model.weightDType}, ${gib(model.weightBytes)} GiB weights) at ${req.contextLength} tokens `
    + `x ${req.concurrency} ${req.concurrency === 1 ? 'sequence' : 'sequences'} needs ${gib(kvBytesNeeded)} GiB ${kvWord}; `
    + (given ? `given layout: ${layout}, holds ${e.maxSequences} ${e.maxSequences === 1 ? 'sequence' : 'sequences'}` : `cheapest fit: ${layout}`);
  return {
    instanceType: e.type,
    tensorParallelSize: e.tp,
    pipelineParallelSize: e.pp,
    nodes: e.pp,
    gpus: e.gpus,
    weightBytesPerGpu: e.weightsPerGpu,
    kvBytesNeeded,
    kvBytesAvailable: e.kvFreePerGpu * e.gpus,
    maxConcurrentSequencesAtContext: e.maxSequences,
    kvCacheTokens: e.kvTokens,
    usdPerHour: e.usd,
    explanation,
    runnersUp: alternatives.runnersUp,
    rejected: alternatives.rejected,
  };
}

/**
 * Chooses the cheapest instance type and TP/PP layout that holds `model`'s weights plus the KV cache of `concurrency`
 * sequences of `contextLength` tokens, with vLLM's memory accounting:
 *
 * - usable memory per GPU = GPU memory x gpuMemoryUtilization - (2 GiB + 5% of GPU memory) (see {@link SIZING_OVERHEAD})
 * - weights per GPU = weightBytes / (TP x PP) (PP: the busiest stage's share of the layers)
 * - KV cache needed = kvCacheBytesPerToken x contextLength x concurrency (x max(TP, kvHeads) / kvHeads: vLLM
 *   replicates KV heads when TP exceeds them)
 * - KV cache available = (usable - weights per GPU) x TP x PP
 *
 * Single-node layouts (TP a power of two dividing the node's GPUs and the attention heads) come first; pipeline
 * parallelism over 2-4 EFA nodes only when no single node of any candidate fits. Cheapest wins; ties go to fewer
 * GPUs, then smaller TP.
 *
 * Throws a {@link PlatformValidationError} for invalid input and when no layout fits, saying what was needed and what
 * the largest option offers.
 * Internal: package users call it as {@link ModelSizing} (every CDK language).
 * @internal
 */
export function sizeModel(request: SizingRequest): ModelLayout {
  const req = resolve(request, request.maxTensorParallel);
  check(request.candidates.length > 0, `'candidates' must list at least one GPU instance type`);
  const types = [...new Set(request.candidates)];
  const fits = (e: Evaluated) => e.maxSequences >= req.concurrency;
  const chosen = (evaluated: Evaluated[], fitting: Evaluated[]) => toLayout(req, fitting[0], {
    runnersUp: runnersUp(fitting),
    rejected: rejected(evaluated, fitting[0], fits),
  });

  const single = types.flatMap((t) => singleNodeLayouts(req, t));
  const singleFits = single.filter(fits).sort(cheaperFirst);
  if (singleFits.length > 0) return chosen(single, singleFits);

  const multiTypes = request.multiNodeCandidates !== undefined ? [...new Set(request.multiNodeCandidates)] : types;
  const multi = multiTypes.flatMap((t) => multiNodeLayouts(req, t));
  const multiFits = multi.filter(fits).sort(cheaperFirst);
  if (multiFits.length > 0) return chosen([...single, ...multi], multiFits);

  const { model } = req;
  const offered = (e: Evaluated) => Math.max(0, e.usablePerGpu) * e.gpus;
  const largest = [...single, ...multi].reduce((a, b) => (offered(b) > offered(a) ? b : a));
  const kvBytes = model.kvCacheBytesPerToken(req.kv) * req.contextLength * req.concurrency;
  throw new PlatformValidationError(
    `no GPU pool can hold ${model.name} (${model.weightDType}) at context ${req.contextLength} x concurrency ${req.concurrency}: `
    + `it needs ${gib(model.weightBytes)} GiB of weights + ${gib(kvBytes)} GiB of KV cache`
    + `${req.reserved > 0 ? `, with ${gib(req.reserved)} GiB per GPU reserved (LoRA adapter slots)` : ''}; `
    + `the largest option offers ${gib(offered(largest))} GiB (${largest.type.name}, ${largest.pp} ${largest.pp === 1 ? 'node' : 'nodes'})`);
}

/**
 * Evaluates a layout chosen by hand (a model's `tensorParallelSize`) with the memory accounting of {@link ModelSizing.size}:
 * KV-cache tokens, the sequences of `contextLength` it holds (possibly fewer than `concurrency`), its hourly price.
 * The layout has no runners-up. Throws a {@link PlatformValidationError} for invalid input or a TP / PP the instance
 * type cannot run.
 * Internal: package users call it as {@link ModelSizing} (every CDK language).
 * @internal
 */
export function describeModelLayout(request: GivenLayoutRequest): ModelLayout {
  const req = resolve(request);
  const type = request.instanceType;
  const tp = request.tensorParallelSize;
  const pp = request.pipelineParallelSize ?? 1;
  check(Number.isInteger(tp) && tp >= 1 && type.gpuCount % tp === 0,
    `'tensorParallelSize' (${tp}) must be an integer >= 1 that divides the GPUs per node (${type.gpuCount}) of ${type.name}`);
  check(req.model.attentionHeads % tp === 0 && kvHeadsCompatible(tp, req.model.kvHeads),
    `'tensorParallelSize' (${tp}) must divide the attention heads (${req.model.attentionHeads}) of ${req.model.name} and divide its KV heads (${req.model.kvHeads}) or be a multiple of them`);
  check(Number.isInteger(pp) && pp >= 1, `'pipelineParallelSize' (${pp}) must be an integer >= 1`);
  check(pp === 1 || tp === type.gpuCount,
    `'tensorParallelSize' (${tp}) must use every GPU of ${type.name} (${type.gpuCount}) when 'pipelineParallelSize' (${pp}) spans nodes`);
  return toLayout(req, evaluate(req, type, tp, pp), { runnersUp: [], rejected: [] }, true);
}

/**
 * The sizing decision of `serving.addModel()` as a class (every CDK language): the cheapest layout of a model on
 * candidate instance types, or the evaluation of a given layout.
 */
export class ModelSizing {
  /** The cheapest layout (instance type, tensor and pipeline parallelism, replicas) that holds the request. */
  public static size(request: SizingRequest): ModelLayout {
    return sizeModel(request);
  }

  /** Evaluates a given layout (a model whose `tensorParallelSize` is set): KV-cache tokens, concurrency, cost. */
  public static describe(request: GivenLayoutRequest): ModelLayout {
    return describeModelLayout(request);
  }

  private constructor() {}
}
