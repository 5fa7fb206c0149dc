import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { MilvusOperator, MilvusOperatorOptions } from './milvus-operator';
import { MilvusVectorStore, VectorStoreOptions } from './vector-store';
import { PlatformDefinition } from '../core/platform-definition';
import { check } from '../core/validation';

/** Options of the retrieval layer. */
export interface RetrievalLayerOptions {
  /** The Milvus operator (installed with the first vector store). @default - the catalog's chart and image */
  readonly milvusOperator?: MilvusOperatorOptions;
}

/** Props of the retrieval layer. */
export interface RetrievalLayerProps extends RetrievalLayerOptions {
  /** The platform's Kubernetes-side definition. */
  readonly definition: PlatformDefinition;
  /** The cluster (Pod Identity roles of the stores). */
  readonly cluster: eks.Cluster;
}

/**
 * Retrieval for RAG: Milvus vector stores on S3 (`addVectorStore`), deployed by the Milvus operator, which is
 * installed once with the first store. Serve the embedding model with `platform.serving.addModel({ task:
 * ModelTask.EMBED, ... })`.
 */
export class RetrievalLayer extends Construct {
  private readonly props: RetrievalLayerProps;
  private _operator?: MilvusOperator;
  private readonly stores: MilvusVectorStore[] = [];

  constructor(scope: Construct, id: string, props: RetrievalLayerProps) {
    super(scope, id);
    this.props = props;
  }

  /** The Milvus operator, once a vector store was added. */
  public get milvusOperator(): MilvusOperator | undefined {
    return this._operator;
  }

  /** The vector stores added so far. */
  public get vectorStores(): MilvusVectorStore[] {
    return [...this.stores];
  }

  /**
   * Adds a Milvus vector store (standalone or cluster) on S3 through EKS Pod Identity; installs the Milvus operator
   * with the first one.
   */
  public addVectorStore(id: string, options: VectorStoreOptions): MilvusVectorStore {
    const existing = this.stores.find((s) => s.storeName === options.name);
    check(existing === undefined, `vector store '${options.name}' is added twice: vector store names must be unique in the platform`);
    this._operator ??= new MilvusOperator(this, 'MilvusOperator', { ...this.props.milvusOperator, definition: this.props.definition });
    const store = new MilvusVectorStore(this, `VectorStore${id}`, {
      ...options, definition: this.props.definition, cluster: this.props.cluster, operator: this._operator,
    });
    this.stores.push(store);
    return store;
  }
}
