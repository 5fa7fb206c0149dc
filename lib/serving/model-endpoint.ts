import { IConstruct } from 'constructs';

/** Kind of workload that runs a model's servers. */
export enum ModelWorkloadKind {
  /** A Deployment (single-node serving). */
  DEPLOYMENT = 'Deployment',
  /** A LeaderWorkerSet (multi-node serving; the leader serves the API). */
  LEADER_WORKER_SET = 'LeaderWorkerSet',
}

/** What a model server is for (closed set). */
export enum ModelTask {
  /** Text generation: `/v1/chat/completions`, `/v1/completions`, `/v1/responses`. */
  GENERATE = 'generate',
  /**
   * Embeddings (`/v1/embeddings`) with vLLM's pooling runner, e.g. for a RAG pipeline's retrieval.
   * @see https://docs.vllm.ai/en/latest/models/pooling_models.html
   */
  EMBED = 'embed',
}

/** Prefix-caching settings the llm-d prefix scorer must agree with. */
export interface PrefixCacheSettings {
  /** KV-cache block size in tokens (`--block-size`). */
  readonly blockSize: number;
  /** `PYTHONHASHSEED` of the servers: the scorer hashes prompts the same way only with the same seed. */
  readonly hashSeed: string;
}

/**
 * A served model as the routing, autoscaling and gateway layers see it: where its pods are, how to select them,
 * and the settings other components must agree with. Implemented by `VllmModel`.
 */
export interface IModelEndpoint extends IConstruct {
  /** Public model name (`--served-model-name`), what clients put in `model`. */
  readonly servedModelName: string;
  /** Kubernetes namespace of the model's objects. */
  readonly namespace: string;
  /** Name of the model's Service (port `http`). */
  readonly serviceName: string;
  /** HTTP port vLLM listens on (OpenAI API and `/metrics`). */
  readonly port: number;
  /** Labels every serving pod carries (and only this model's serving pods). */
  readonly podLabels: Record<string, string>;
  /** Workload kind. */
  readonly workloadKind: ModelWorkloadKind;
  /** Workload name (Deployment or LeaderWorkerSet). */
  readonly workloadName: string;
  /** Prefix caching settings, or undefined when prefix caching is off. */
  readonly prefixCache?: PrefixCacheSettings;
  /** Name of the KEDA ScaledObject target's apiVersion (`apps/v1` or `leaderworkerset.x-k8s.io/v1`). */
  readonly workloadApiVersion: string;
  /** What the model serves (generation, embeddings). */
  readonly task: ModelTask;
}
