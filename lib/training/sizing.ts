import { SizeRoundingBehavior, Token } from 'aws-cdk-lib';
import { check, PlatformValidationError } from '../core/validation';
import { GpuInstanceType } from '../gpu/catalog';
import { loraAdapterParameters } from '../serving/lora-adapter';
import { ModelSpec } from '../serving/model-spec';
import { SIZING_OVERHEAD } from '../serving/sizing';

/*
 * Synth-time GPU memory check of a fine-tune (all sizes in bytes, GiB = 2^30), per GPU:
 *
 *   full fine-tune, mixed-precision Adam: 16 bytes per parameter
 *       = 2 (bf16 weights) + 2 (bf16 gradients) + 4 (fp32 master weights) + 4 + 4 (Adam's two fp32 moments)
 *   LoRA: the frozen weights as the checkpoint stores them (ModelSpec.weightBytes) + 16 bytes per adapter parameter;
 *       adapter parameters = layers x 4 projections (q, k, v, o) x rank x 2 x hiddenSize (each projection gets
 *       A: hidden x rank and B: rank x hidden; K/V are narrower under GQA, so this is an upper bound)
 *   sharding: FSDP (full shard, ZeRO-3) divides weights, gradients and optimizer states by every GPU of every node;
 *       DDP divides nothing (each GPU holds a full replica)
 *   activations (activation checkpointing assumed: one bf16 hidden state per layer boundary is kept)
 *       = microBatchSize x sequenceLength x hiddenSize x layers x 2 bytes
 *   overhead = 2 GiB + 5% of GPU memory (CUDA context, NCCL buffers, allocator fragmentation, the recomputed layer):
 *       the serving sizing's SIZING_OVERHEAD
 *   fits when states / shards + activations + overhead <= GPU memory
 *
 * What is left out: the non-checkpointed activations of the one layer being recomputed beyond the overhead, the
 * logits of large vocabularies at long sequences (vocab x sequence x 4 bytes), optimizer variants (8-bit Adam, SGD)
 * and CPU offload, which would all change the figures.
 */

const GIB = 1024 ** 3;

/** How a fine-tune updates the model (closed set). */
export enum FineTuneMethod {
  /** Every parameter is trained: weights, gradients and Adam states for all of them. */
  FULL = 'full',
  /** Low-rank adapters on the attention projections; the base weights stay frozen. */
  LORA = 'lora',
}

/** How the training state is spread over the GPUs (closed set). */
export enum ShardingStrategy {
  /** Fully sharded data parallel (FSDP full shard, DeepSpeed ZeRO-3): everything sharded over every GPU. */
  FSDP = 'fsdp',
  /** Distributed data parallel: every GPU holds the full weights, gradients and optimizer states. */
  DDP = 'ddp',
}

/** Bytes per trained parameter with mixed-precision Adam. */
export const ADAM_MIXED_PRECISION_BYTES_PER_PARAMETER = 16;

/** What a fine-tune sizing checks. */
export interface FineTuneSizingRequest {
  /** Fine-tune name, for messages. */
  readonly name: string;
  /** The model. */
  readonly model: ModelSpec;
  /** Full or LoRA. */
  readonly method: FineTuneMethod;
  /** FSDP or DDP. */
  readonly strategy: ShardingStrategy;
  /** LoRA rank (ignored for a full fine-tune). */
  readonly loraRank: number;
  /** Tokens per sequence. */
  readonly sequenceLength: number;
  /** Sequences per GPU per step. */
  readonly microBatchSize: number;
  /** Nodes. */
  readonly nodes: number;
  /** GPUs used per node (processes per node). */
  readonly gpusPerNode: number;
  /** The instance type with the least GPU memory the pool may launch. */
  readonly instanceType: GpuInstanceType;
  /** NodePool name, for messages. */
  readonly poolName: string;
}

/** The memory a fine-tune needs per GPU. Sizes are bytes. */
export interface FineTuneMemory {
  /** Parameters trained (all for full, the adapters for LoRA). */
  readonly trainedParameters: number;
  /** Weights, gradients and optimizer states over all GPUs (before sharding). */
  readonly stateBytes: number;
  /** States on one GPU. */
  readonly stateBytesPerGpu: number;
  /** Activations on one GPU. */
  readonly activationBytesPerGpu: number;
  /** Runtime overhead on one GPU. */
  readonly overheadBytesPerGpu: number;
  /** Total on one GPU. */
  readonly bytesPerGpu: number;
  /** Memory of one GPU of the pool. */
  readonly gpuBytes: number;
  /** One sentence: what the fine-tune needs and what the pool offers. */
  readonly explanation: string;
}


function gib(bytes: number): string {
  return (bytes / GIB).toFixed(1);
}

function checkInteger(prop: string, value: number, name: string): void {
  check(!Token.isUnresolved(value), `'${prop}' of fine-tune '${name}' must be a literal number, not a token: sizing happens at synth time`);
  check(Number.isInteger(value) && value >= 1, `'${prop}' (${value}) of fine-tune '${name}' must be an integer >= 1`);
}

/** The memory per GPU of a fine-tune (see the formula at the top of this file); never throws for a misfit. */
export function fineTuneMemory(req: FineTuneSizingRequest): FineTuneMemory {
  for (const [prop, v] of [['loraRank', req.loraRank], ['sequenceLength', req.sequenceLength], ['microBatchSize', req.microBatchSize]] as const) {
    checkInteger(prop, v, req.name);
  }
  const m = req.model;
  const gpus = req.nodes * req.gpusPerNode;
  const trained = req.method === FineTuneMethod.FULL ? m.parameters : loraAdapterParameters(m, req.loraRank);
  const frozen = req.method === FineTuneMethod.FULL ? 0 : m.weightBytes;
  const stateBytes = frozen + trained * ADAM_MIXED_PRECISION_BYTES_PER_PARAMETER;
  const stateBytesPerGpu = req.strategy === ShardingStrategy.FSDP ? stateBytes / gpus : stateBytes;
  const activationBytesPerGpu = req.microBatchSize * req.sequenceLength * m.hiddenSize * m.layers * 2;
  const gpuBytes = req.instanceType.gpu.memory.toBytes({ rounding: SizeRoundingBehavior.NONE });
  const overheadBytesPerGpu = SIZING_OVERHEAD.fixedBytes + SIZING_OVERHEAD.gpuMemoryFraction * gpuBytes;
  const bytesPerGpu = stateBytesPerGpu + activationBytesPerGpu + overheadBytesPerGpu;
  const what = req.method === FineTuneMethod.FULL ? 'weights, gradients and optimizer states' : 'frozen weights and adapter states';
  const spread = gpus === 1 ? 'on 1 GPU' : req.strategy === ShardingStrategy.FSDP
    ? `sharded over ${gpus} GPUs (${req.nodes} x ${req.gpusPerNode})`
    : 'replicated on every GPU';
  const explanation = `fine-tune '${req.name}' of ${m.name} (${req.method}, ${req.strategy.toUpperCase()}) needs ${gib(stateBytes)} GiB of ${what} `
    + `${spread} + ${gib(activationBytesPerGpu)} GiB of activations + ${gib(overheadBytesPerGpu)} GiB of overhead = ${gib(bytesPerGpu)} GiB per GPU`;
  return {
    trainedParameters: trained, stateBytes, stateBytesPerGpu, activationBytesPerGpu, overheadBytesPerGpu, bytesPerGpu, gpuBytes, explanation,
  };
}

/**
 * Checks that a fine-tune fits the GPU memory of its pool; throws a {@link PlatformValidationError} that says what is
 * needed, what the pool offers and, for FSDP, how many nodes would fit.
 */
export function checkFineTuneFits(req: FineTuneSizingRequest): FineTuneMemory {
  const mem = fineTuneMemory(req);
  if (mem.bytesPerGpu <= mem.gpuBytes) return mem;
  let hint: string;
  const room = mem.gpuBytes - mem.activationBytesPerGpu - mem.overheadBytesPerGpu;
  if (req.strategy === ShardingStrategy.FSDP && room > 0) {
    const nodes = Math.ceil(mem.stateBytes / room / req.gpusPerNode);
    hint = `use ${nodes} nodes of ${req.gpusPerNode} GPUs, LoRA, or a pool with more GPU memory`;
  } else if (req.strategy === ShardingStrategy.DDP) {
    hint = 'shard with FSDP, use LoRA, or a pool with more GPU memory';
  } else {
    hint = 'shorten the sequences, use LoRA, or a pool with more GPU memory';
  }
  const type = req.instanceType;
  throw new PlatformValidationError(`${mem.explanation}; NodePool '${req.poolName}' offers ${gib(mem.gpuBytes)} GiB per GPU `
    + `(${type.name}, ${type.gpuCount} x ${type.gpu.displayName}): ${hint}`);
}
