import { Aws, RemovalPolicy, Size, SizeRoundingBehavior, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { k8s } from 'cdk8s-plus-34';
import { ContainerResources } from '../core/units';
import { Construct, IConstruct } from 'constructs';
import { MessageStream, MessageStreamType } from './message-stream';
import { MILVUS_OPERATOR_POD_LABELS, MilvusOperator } from './milvus-operator';
import {
  MilvusV1Beta1, MilvusV1Beta1SpecComponents, MilvusV1Beta1SpecComponentsResources, MilvusV1Beta1SpecComponentsResourcesLimits,
  MilvusV1Beta1SpecComponentsResourcesRequests, MilvusV1Beta1SpecDependencies, MilvusV1Beta1SpecDependenciesEtcdInClusterDeletionPolicy,
  MilvusV1Beta1SpecDependenciesKafkaInClusterDeletionPolicy, MilvusV1Beta1SpecDependenciesMsgStreamType,
  MilvusV1Beta1SpecDependenciesPulsarInClusterDeletionPolicy, MilvusV1Beta1SpecDependenciesStorageType, MilvusV1Beta1SpecMode,
} from '../../imports/milvus-milvus-milvus.io';
import { PodIdentityRole } from '../cluster/pod-identity';
import { KubernetesComponent, Stage } from '../core/component';
import { deepMerge, JsonObject } from '../core/deep-merge';
import { acknowledgeNagFindings, NagFindingRule } from '../core/nag-acknowledgements';
import { PlatformDefinition } from '../core/platform-definition';
import { PodSecurityLevel } from '../core/pod-security';
import { memoryQuantity } from '../core/private/quantities';
import { check, checkDnsLabel, checkLiteral } from '../core/validation';
import { FlowPeer, FlowPort } from '../network/flow';
import { NetworkFlows } from '../network/network-flows';
import { ContainerImage } from '../versions';

/** Milvus' gRPC and RESTful port (standalone and proxy). */
export const MILVUS_PORT = 19530;
/** Milvus' metrics and health port. */
export const MILVUS_METRICS_PORT = 9091;
/** etcd's client port. */
export const ETCD_CLIENT_PORT = 2379;
/** etcd's peer port. */
export const ETCD_PEER_PORT = 2380;
/** Default namespace of vector stores. */
export const VECTOR_STORE_NAMESPACE = 'milvus';

const INSTANCE = 'app.kubernetes.io/instance';
const NAME = 'app.kubernetes.io/name';
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const PREFIX = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/;

/**
 * A vector store as its consumers (RAG agents, MCP servers, ingestion jobs) see it: where to connect and how to let a
 * client in. Implemented by {@link MilvusVectorStore}.
 */
export interface IVectorStore extends IConstruct {
  /** Name of the store (the `Milvus` object). */
  readonly storeName: string;
  /** Namespace of the store. */
  readonly namespace: string;
  /** Name of the Service clients connect to. */
  readonly serviceName: string;
  /** Port clients connect to (gRPC and RESTful). */
  readonly port: number;
  /** `host:port` of the store, e.g. `docs-milvus.milvus.svc.cluster.local:19530` (pymilvus / MCP `MILVUS_URI` without scheme). */
  readonly endpoint: string;
  /** `http://<endpoint>`, the URI pymilvus and the Milvus MCP server take. */
  readonly url: string;
  /** Labels of every pod of the store (standalone, or every cluster component). */
  readonly podLabels: Record<string, string>;
  /**
   * Declares that `peer` may connect to the store (network flow `milvus-<store>-from-<client>`); the store's
   * namespace is default-deny.
   * @param client a DNS label naming the client (in the flow name)
   */
  allowFrom(client: string, peer: FlowPeer, description?: string): void;
}

/** How Milvus is deployed (closed set). */
export enum VectorStoreMode {
  /** One pod with every role (and the embedded Woodpecker or RocksMQ): development and small collections. */
  STANDALONE = 'standalone',
  /** Proxy, mixCoord, query, data and streaming nodes as separate, scalable Deployments. */
  CLUSTER = 'cluster',
}

/** A client allowed to connect to the store. */
export interface VectorStoreClient {
  /** A DNS label naming the client in the flow name (`milvus-<store>-from-<name>`). */
  readonly name: string;
  /** Pods that connect (e.g. `FlowPeer.pods('agents', { app: 'rag-mcp' })`, `FlowPeer.teams()`). */
  readonly peer: FlowPeer;
}

/** S3 object storage of a vector store (segments, indexes, binlogs and the Woodpecker WAL). */
export interface VectorStoreStorageOptions {
  /**
   * Create the bucket AWS-side (encrypted with S3-managed keys, SSL only, public access blocked). `false` uses an
   * existing bucket named `bucketName`.
   * @default true
   */
  readonly createBucket?: boolean;
  /**
   * Bucket name: a literal, since the Milvus manifest names it and the GitOps rendering allows no CloudFormation
   * token. Required when `createBucket` is false.
   * @default '<clusterName>-milvus-<store>-<region>' (created)
   */
  readonly bucketName?: string;
  /** Key prefix of the store's objects (`minio.rootPath`). @default 'milvus/<store>' */
  readonly prefix?: string;
  /** What happens to a created bucket when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * S3 versioning of a created bucket (recovers overwritten or deleted segment files; compaction churn makes old
   * versions pile up: add a lifecycle rule).
   * @default false
   */
  readonly versioned?: boolean;
}

/** The in-cluster etcd (Milvus metadata) that the operator deploys. */
export interface VectorStoreEtcdOptions {
  /** Replicas: an odd number; cluster mode needs at least 3. @default - 1 standalone, 3 cluster */
  readonly replicas?: number;
  /** Volume per replica (gp3). @default Size.gibibytes(10) */
  readonly storage?: Size;
}

/** One Milvus component. */
export interface MilvusComponentOptions {
  /** Replicas. @default 1 */
  readonly replicas?: number;
  /** CPU and memory requests and limits. @default - none (the operator sets none) */
  readonly resources?: ContainerResources;
}

/** The components of a cluster-mode store (Milvus 2.6: one mixCoord instead of four coordinators, no index nodes). */
export interface MilvusClusterComponents {
  /** Proxies: the endpoint clients connect to. @default - 1 replica */
  readonly proxy?: MilvusComponentOptions;
  /** The coordinator (root, data, query and index coordination). @default - 1 replica */
  readonly mixCoord?: MilvusComponentOptions;
  /** Query nodes: hold segments in memory and search them. @default - 1 replica */
  readonly queryNode?: MilvusComponentOptions;
  /** Data nodes: flush, compaction and index builds. @default - 1 replica */
  readonly dataNode?: MilvusComponentOptions;
  /** Streaming nodes: the WAL (Woodpecker embedded) and growing segments. @default - 1 replica */
  readonly streamingNode?: MilvusComponentOptions;
}

/** Options of `platform.retrieval.addVectorStore()`. */
export interface VectorStoreOptions {
  /** Name of the `Milvus` object (a DNS label of at most 40 characters; the operator derives its names from it). */
  readonly name: string;
  /** Namespace (default-deny; the store's pods run at Pod Security level baseline). @default 'milvus' */
  readonly namespace?: string;
  /** Standalone or cluster. @default VectorStoreMode.STANDALONE */
  readonly mode?: VectorStoreMode;
  /** S3 object storage. @default - a created bucket '<clusterName>-milvus-<name>-<region>', retained */
  readonly storage?: VectorStoreStorageOptions;
  /**
   * Message stream.
   * @default MessageStream.woodpecker()
   * @see https://milvus.io/docs/message_storage_operator.md
   */
  readonly messageStream?: MessageStream;
  /** The in-cluster etcd. @default - 1 replica standalone, 3 cluster, 10 GiB each */
  readonly etcd?: VectorStoreEtcdOptions;
  /** Resources of the standalone pod (standalone mode). @default - none */
  readonly standalone?: MilvusComponentOptions;
  /** Replicas and resources per component (cluster mode). @default - 1 replica each, no resources */
  readonly components?: MilvusClusterComponents;
  /** Milvus image. @default ContainerImage.MILVUS */
  readonly image?: ContainerImage;
  /**
   * Let the operator create a PodMonitor `<name>` for Milvus and etcd metrics (`disableMetric: false`), which the
   * platform's Prometheus picks up.
   * @default true
   */
  readonly monitoring?: boolean;
  /** Clients allowed to connect (more with `allowFrom()`). @default - none */
  readonly clients?: VectorStoreClient[];
  /**
   * Escape hatch: `milvus.yaml` settings (`spec.config`) deep-merged after the computed ones.
   * @default - none
   * @see https://milvus.io/docs/system_configuration.md
   */
  readonly config?: JsonObject;
}

/** Props of {@link MilvusVectorStore}. */
export interface MilvusVectorStoreProps extends VectorStoreOptions {
  /** The platform's Kubernetes-side definition. */
  readonly definition: PlatformDefinition;
  /** The cluster (Pod Identity association). */
  readonly cluster: eks.Cluster;
  /** The operator that deploys the store. */
  readonly operator: MilvusOperator;
}

const MSG_STREAM_TYPES: Record<MessageStreamType, MilvusV1Beta1SpecDependenciesMsgStreamType> = {
  [MessageStreamType.WOODPECKER]: MilvusV1Beta1SpecDependenciesMsgStreamType.WOODPECKER,
  [MessageStreamType.PULSAR]: MilvusV1Beta1SpecDependenciesMsgStreamType.PULSAR,
  [MessageStreamType.KAFKA]: MilvusV1Beta1SpecDependenciesMsgStreamType.KAFKA,
  [MessageStreamType.ROCKSMQ]: MilvusV1Beta1SpecDependenciesMsgStreamType.ROCKSMQ,
};

const CLUSTER_COMPONENTS: (keyof MilvusClusterComponents)[] = ['proxy', 'mixCoord', 'queryNode', 'dataNode', 'streamingNode'];

function resourcesOf(resources: ContainerResources | undefined): MilvusV1Beta1SpecComponentsResources | undefined {
  if (resources === undefined) return undefined;
  const requests: Record<string, MilvusV1Beta1SpecComponentsResourcesRequests> = {};
  const limits: Record<string, MilvusV1Beta1SpecComponentsResourcesLimits> = {};
  if (resources.cpu?.request) requests.cpu = MilvusV1Beta1SpecComponentsResourcesRequests.fromString(resources.cpu.request.toString());
  if (resources.cpu?.limit) limits.cpu = MilvusV1Beta1SpecComponentsResourcesLimits.fromString(resources.cpu.limit.toString());
  if (resources.memory?.request) requests.memory = MilvusV1Beta1SpecComponentsResourcesRequests.fromString(String(memoryQuantity(resources.memory.request).value));
  if (resources.memory?.limit) limits.memory = MilvusV1Beta1SpecComponentsResourcesLimits.fromString(String(memoryQuantity(resources.memory.limit).value));
  if (resources.ephemeralStorage?.request) {
    requests['ephemeral-storage'] = MilvusV1Beta1SpecComponentsResourcesRequests.fromString(String(memoryQuantity(resources.ephemeralStorage.request).value));
  }
  if (resources.ephemeralStorage?.limit) {
    limits['ephemeral-storage'] = MilvusV1Beta1SpecComponentsResourcesLimits.fromString(String(memoryQuantity(resources.ephemeralStorage.limit).value));
  }
  return {
    ...(Object.keys(requests).length > 0 ? { requests } : {}),
    ...(Object.keys(limits).length > 0 ? { limits } : {}),
  };
}

/** Minor version of a `vX.Y.Z` Milvus tag, or undefined for other tags. */
function milvusMinor(tag: string): [number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)(\.|$|-)/.exec(tag);
  return m === null ? undefined : [Number(m[1]), Number(m[2])];
}

/**
 * A Milvus vector store (`milvus.io/v1beta1` Milvus), deployed by the Milvus operator in standalone or cluster mode.
 *
 * AWS side: an S3 bucket (created and retained, encrypted, SSL only, public access blocked; or an existing bucket by
 * name) and an EKS Pod Identity role for the ServiceAccount `milvus-<name>` that may list the bucket and read and
 * write objects under the store's prefix. Kubernetes side (component `vector-store-<name>`, stage WORKLOADS): the
 * ServiceAccount and the `Milvus` object: external S3 storage through IAM (`useIAM`, the regional endpoint),
 * Woodpecker as message stream by default, an in-cluster etcd whose volumes are retained when the store is deleted,
 * replicas and resources per component, the operator's PodMonitor. Clients connect to {@link endpoint}
 * (`<name>-milvus.<namespace>.svc.cluster.local:19530`) once allowed with {@link allowFrom}.
 *
 * Synth-time errors: a single replica of a stateful dependency in cluster mode (etcd, in-cluster Kafka), RocksMQ in
 * cluster mode, Woodpecker before Milvus 2.6, S3 storage without a bucket.
 */
export class MilvusVectorStore extends Construct implements IVectorStore {
  public readonly storeName: string;
  public readonly namespace: string;
  public readonly serviceName: string;
  public readonly port: number = MILVUS_PORT;
  public readonly endpoint: string;
  public readonly url: string;
  /** Deployment mode. */
  public readonly mode: VectorStoreMode;
  /** The message stream. */
  public readonly messageStream: MessageStream;
  /** Name of the S3 bucket. */
  public readonly bucketName: string;
  /** Key prefix of the store's objects in the bucket. */
  public readonly prefix: string;
  /** The created bucket (undefined with `createBucket: false`). */
  public readonly bucket?: s3.Bucket;
  /** Pod Identity role of the store's pods. */
  public readonly identity: PodIdentityRole;
  /** ServiceAccount of the store's pods. */
  public readonly serviceAccountName: string;
  /** The component holding the ServiceAccount and the `Milvus` object. */
  public readonly component: KubernetesComponent;
  /** Replicas of the in-cluster etcd. */
  public readonly etcdReplicas: number;
  private readonly _podLabels: Record<string, string>;
  private readonly flows?: NetworkFlows;
  private readonly clients = new Set<string>();

  constructor(scope: Construct, id: string, props: MilvusVectorStoreProps) {
    super(scope, id);
    const name = props.name;
    checkDnsLabel('name', name);
    check(name.length <= 40,
      `'name' (${name}) of a vector store must be at most 40 characters: the operator derives Service, etcd and pod names from it`);
    const ns = props.namespace ?? VECTOR_STORE_NAMESPACE;
    checkDnsLabel('namespace', ns);
    const definition = props.definition;
    const what = `vector store '${name}'`;
    const mode = props.mode ?? VectorStoreMode.STANDALONE;
    const stream = props.messageStream ?? MessageStream.woodpecker();
    const image = props.image ?? ContainerImage.MILVUS;
    const cluster = mode === VectorStoreMode.CLUSTER;

    // ---- validation
    const minor = milvusMinor(image.tag);
    if (stream.type === MessageStreamType.WOODPECKER && minor !== undefined) {
      check(minor[0] > 2 || (minor[0] === 2 && minor[1] >= 6),
        `message stream woodpecker of ${what} needs Milvus 2.6 or later; image '${image.uri}' is ${minor[0]}.${minor[1]}: `
        + 'use MessageStream.pulsar() or MessageStream.kafka() (or MessageStream.rocksmq() in standalone mode)');
    }
    check(!(cluster && stream.type === MessageStreamType.ROCKSMQ),
      `message stream rocksmq of ${what} works in standalone mode only: use MessageStream.woodpecker(), MessageStream.pulsar() or MessageStream.kafka() in cluster mode`);
    const etcdReplicas = props.etcd?.replicas ?? (cluster ? 3 : 1);
    check(Number.isInteger(etcdReplicas) && etcdReplicas >= 1 && etcdReplicas % 2 === 1,
      `'etcd.replicas' (${etcdReplicas}) of ${what} must be an odd number >= 1: etcd keeps quorum with a majority of its members`);
    check(!(cluster && etcdReplicas < 3),
      `${what} runs in cluster mode with ${etcdReplicas} etcd replica: a single replica of a stateful dependency is a single point of failure; `
      + "set 'etcd.replicas' to 3 or 5, or use VectorStoreMode.STANDALONE");
    check(!(cluster && stream.inClusterService && stream.type === MessageStreamType.KAFKA && (stream.replicas ?? 3) < 3),
      `${what} runs in cluster mode with ${stream.replicas} in-cluster Kafka broker${stream.replicas === 1 ? '' : 's'}: a single replica of a stateful dependency `
      + 'is a single point of failure; use MessageStream.kafka({ replicas: 3 }) or MessageStream.woodpecker()');
    const etcdGib = (props.etcd?.storage ?? Size.gibibytes(10)).toGibibytes({ rounding: SizeRoundingBehavior.FLOOR });
    check(etcdGib >= 1, `'etcd.storage' (${etcdGib} GiB) of ${what} must be at least 1 GiB`);
    if (cluster) {
      check(props.standalone === undefined, `'standalone' of ${what} applies to VectorStoreMode.STANDALONE; in cluster mode size each of 'components'`);
    } else {
      check(props.components === undefined, `'components' of ${what} apply to VectorStoreMode.CLUSTER; in standalone mode use 'standalone'`);
      check(props.standalone?.replicas === undefined || props.standalone.replicas === 1,
        `'standalone.replicas' (${props.standalone?.replicas}) of ${what} must be 1: a standalone Milvus runs one pod; use VectorStoreMode.CLUSTER to scale`);
    }
    for (const key of CLUSTER_COMPONENTS) {
      const r = props.components?.[key]?.replicas;
      if (r !== undefined) check(Number.isInteger(r) && r >= 1, `'components.${key}.replicas' (${r}) of ${what} must be an integer >= 1`);
    }

    const storage = props.storage ?? {};
    const create = storage.createBucket ?? true;
    check(create || storage.bucketName !== undefined,
      `S3 storage of ${what} has no bucket: set 'storage.bucketName' to an existing bucket, or leave 'storage.createBucket' on to create one`);
    const bucketName = storage.bucketName ?? `${definition.clusterName.toLowerCase()}-milvus-${name}-${definition.region}`;
    checkLiteral('storage.bucketName', bucketName);
    check(BUCKET_NAME.test(bucketName) && !bucketName.includes('..'),
      `'storage.bucketName' (${bucketName}) of ${what} must be an S3 bucket name: 3-63 lower-case letters, digits, '.' or '-'`);
    if (!create) {
      check(storage.removalPolicy === undefined && storage.versioned === undefined,
        `'storage.removalPolicy' and 'storage.versioned' of ${what} apply to a bucket the store creates, not to the existing bucket '${bucketName}'`);
    }
    const prefix = storage.prefix ?? `milvus/${name}`;
    checkLiteral('storage.prefix', prefix);
    check(PREFIX.test(prefix), `'storage.prefix' (${prefix}) of ${what} must be an S3 key prefix without leading or trailing '/', e.g. milvus/docs`);

    this.storeName = name;
    this.namespace = ns;
    this.mode = mode;
    this.messageStream = stream;
    this.bucketName = bucketName;
    this.prefix = prefix;
    this.etcdReplicas = etcdReplicas;
    this.serviceName = `${name}-milvus`;
    this.endpoint = `${this.serviceName}.${ns}.svc.cluster.local:${MILVUS_PORT}`;
    this.url = `http://${this.endpoint}`;
    this._podLabels = { [INSTANCE]: name, [NAME]: 'milvus' };
    this.serviceAccountName = `milvus-${name}`;

    // ---- AWS side
    let bucketArn: string;
    if (create) {
      this.bucket = new s3.Bucket(this, 'Storage', {
        bucketName,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        encryption: s3.BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        versioned: storage.versioned ?? false,
        removalPolicy: storage.removalPolicy ?? RemovalPolicy.RETAIN,
      });
      Validations.of(this.bucket).acknowledge({
        id: 'AwsSolutions-S1',
        reason: `Milvus object storage of ${what}, reached only through the store's Pod Identity role; S3 server access logging is left to the operator (a log bucket per platform)`,
      });
      bucketArn = this.bucket.bucketArn;
    } else {
      bucketArn = `arn:${Aws.PARTITION}:s3:::${bucketName}`;
    }
    this.identity = new PodIdentityRole(this, 'Identity', {
      cluster: props.cluster,
      namespace: ns,
      serviceAccount: this.serviceAccountName,
      description: `Milvus vector store ${name} of EKS cluster ${definition.clusterName}: s3://${bucketName}/${prefix}`,
    });
    this.identity.addToPolicy(new iam.PolicyStatement({
      sid: 'ListStorage', actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: [bucketArn],
    }));
    this.identity.addToPolicy(new iam.PolicyStatement({
      sid: 'ReadWriteStorage',
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resources: [`${bucketArn}/${prefix}/*`],
    }));
    acknowledgeNagFindings(this.identity, NagFindingRule.WILDCARDS,
      `Milvus writes segment, index and WAL objects under the ${prefix}/ prefix of its bucket; the wildcard is the object key below that prefix`);

    // ---- Kubernetes side
    this.component = new KubernetesComponent(definition, `VectorStore${id}`, {
      name: `vector-store-${name}`,
      namespace: ns,
      stage: Stage.WORKLOADS,
      description: `Milvus vector store '${name}' (${mode}, ${stream.type}${stream.external ? ' external' : ''}) at ${this.endpoint}, data in s3://${bucketName}/${prefix}`,
    });
    // Milvus, etcd and the message stream are pods of the operator's charts, not the library's: baseline.
    this.component.addDependency(definition.ensureNamespace(ns, { podSecurity: PodSecurityLevel.BASELINE }), props.operator.chart);
    new k8s.KubeServiceAccount(this.component, 'ServiceAccount', {
      metadata: { name: this.serviceAccountName, namespace: ns, labels: { ...this._podLabels } },
    });

    const region = definition.region;
    const config = deepMerge({
      minio: {
        bucketName,
        rootPath: prefix,
        useSSL: true,
        useIAM: true,
        cloudProvider: 'aws',
        region,
      },
    }, props.config ?? {});
    const components: MilvusV1Beta1SpecComponents = {
      image: image.uri,
      serviceAccountName: this.serviceAccountName,
      disableMetric: !(props.monitoring ?? true),
      ...(cluster
        ? Object.fromEntries(CLUSTER_COMPONENTS.map((key) => {
          const c = props.components?.[key];
          return [key, { replicas: c?.replicas ?? 1, resources: resourcesOf(c?.resources) }];
        }))
        : { standalone: { resources: resourcesOf(props.standalone?.resources) } }),
    };
    const retain = { pvcDeletion: false };
    const dependencies: MilvusV1Beta1SpecDependencies = {
      msgStreamType: MSG_STREAM_TYPES[stream.type],
      storage: { external: true, type: MilvusV1Beta1SpecDependenciesStorageType.S3, endpoint: `s3.${region}.amazonaws.com:443` },
      etcd: {
        inCluster: {
          ...retain,
          deletionPolicy: MilvusV1Beta1SpecDependenciesEtcdInClusterDeletionPolicy.RETAIN,
          values: { replicaCount: etcdReplicas, persistence: { enabled: true, size: `${etcdGib}Gi` } },
        },
      },
      ...(stream.type === MessageStreamType.KAFKA
        ? {
          kafka: stream.external
            ? { external: true, brokerList: stream.brokers }
            : { inCluster: { ...retain, deletionPolicy: MilvusV1Beta1SpecDependenciesKafkaInClusterDeletionPolicy.RETAIN, values: { replicaCount: stream.replicas } } },
        }
        : {}),
      ...(stream.type === MessageStreamType.PULSAR
        ? { pulsar: { inCluster: { ...retain, deletionPolicy: MilvusV1Beta1SpecDependenciesPulsarInClusterDeletionPolicy.RETAIN } } }
        : {}),
    };
    new MilvusV1Beta1(this.component, 'Resource', {
      metadata: { name, namespace: ns, labels: { [NAME]: 'milvus', [INSTANCE]: name } },
      spec: {
        mode: cluster ? MilvusV1Beta1SpecMode.CLUSTER : MilvusV1Beta1SpecMode.STANDALONE,
        components,
        config,
        dependencies,
      },
    });

    // ---- network flows
    this.flows = NetworkFlows.tryOf(this.component);
    this.declareFlows(props, bucketName, stream);
    for (const c of props.clients ?? []) this.allowFrom(c.name, c.peer);
  }

  public get podLabels(): Record<string, string> {
    return { ...this._podLabels };
  }

  public allowFrom(client: string, peer: FlowPeer, description?: string): void {
    checkDnsLabel('client', client);
    check(!this.clients.has(client), `client '${client}' of vector store '${this.storeName}' is allowed twice`);
    this.clients.add(client);
    this.flows?.allow({
      name: `milvus-${this.storeName}-from-${client}`,
      from: peer,
      to: FlowPeer.pods(this.namespace, this._podLabels),
      ports: [FlowPort.tcp(MILVUS_PORT)],
      description: description ?? `${client} queries vector store '${this.storeName}' (Milvus gRPC/RESTful)`,
    });
  }

  /** The pods of the in-cluster etcd (release `<name>-etcd` of the operator's etcd chart). */
  public get etcdPeer(): FlowPeer {
    return FlowPeer.pods(this.namespace, { [INSTANCE]: `${this.storeName}-etcd` });
  }

  private declareFlows(props: MilvusVectorStoreProps, bucketName: string, stream: MessageStream): void {
    const flows = this.flows;
    if (flows === undefined) return;
    const name = this.storeName;
    const milvus = FlowPeer.pods(this.namespace, this._podLabels);
    const etcd = this.etcdPeer;
    flows.allow({ name: `milvus-${name}-internal`, from: milvus, to: milvus,
      description: `components of vector store '${name}' call each other (gRPC on per-component ports)` });
    flows.allow({ name: `milvus-${name}-to-etcd`, from: milvus, to: etcd, ports: [FlowPort.tcp(ETCD_CLIENT_PORT)],
      description: `vector store '${name}' keeps its metadata in etcd` });
    flows.allow({ name: `milvus-${name}-etcd-peers`, from: etcd, to: etcd, ports: [FlowPort.tcp(ETCD_CLIENT_PORT), FlowPort.tcp(ETCD_PEER_PORT)],
      description: `the etcd members of vector store '${name}' replicate` });
    flows.allow({ name: `milvus-${name}-to-s3`, from: milvus, to: FlowPeer.internet(),
      description: `vector store '${name}' stores segments, indexes and its WAL in s3://${bucketName}` });
    flows.allow({ name: `milvus-${name}-pod-identity`, from: milvus, to: FlowPeer.podIdentityAgent(),
      description: `vector store '${name}' gets the credentials of its S3 role from the Pod Identity Agent` });
    flows.allow({ name: `milvus-operator-to-${name}-etcd`, from: FlowPeer.pods(props.operator.namespace, { ...MILVUS_OPERATOR_POD_LABELS }), to: etcd,
      ports: [FlowPort.tcp(ETCD_CLIENT_PORT)], description: `the Milvus operator checks the health of the etcd of vector store '${name}'` });
    if (props.monitoring ?? true) {
      flows.allow({ name: `monitoring-to-milvus-${name}`, from: FlowPeer.monitoring(), to: milvus, ports: [FlowPort.tcp(MILVUS_METRICS_PORT)],
        description: `Prometheus scrapes vector store '${name}' (the operator's PodMonitor '${this.namespace}/${name}')` });
      flows.allow({ name: `monitoring-to-milvus-${name}-etcd`, from: FlowPeer.monitoring(), to: etcd, ports: [FlowPort.tcp(ETCD_CLIENT_PORT)],
        description: `Prometheus scrapes the etcd of vector store '${name}' (the operator's PodMonitor)` });
    }
    if (stream.inClusterService) {
      // The Pulsar and Kafka charts the operator deploys label their pods by release; their brokers, bookies and
      // ZooKeeper talk on several ports among themselves.
      const namespace = FlowPeer.inNamespace(this.namespace);
      flows.allow({ name: `milvus-${name}-to-${stream.type}`, from: milvus, to: namespace,
        description: `vector store '${name}' writes its WAL to the in-cluster ${stream.type}` });
      flows.allow({ name: `milvus-${name}-${stream.type}-internal`, from: namespace, to: namespace,
        description: `the in-cluster ${stream.type} of vector store '${name}' replicates among its pods` });
      flows.allow({ name: `milvus-operator-to-${name}-${stream.type}`, from: FlowPeer.pods(props.operator.namespace, { ...MILVUS_OPERATOR_POD_LABELS }),
        to: namespace, description: `the Milvus operator checks the health of the ${stream.type} of vector store '${name}'` });
    }
    if (stream.external && stream.brokers !== undefined) {
      const ports = [...new Set(stream.brokers.map((b) => Number(b.split(':').pop())))].sort((a, b) => a - b);
      flows.allow({ name: `milvus-${name}-to-kafka`, from: milvus, to: FlowPeer.internet(), ports: ports.map((p) => FlowPort.tcp(p)),
        description: `vector store '${name}' writes its WAL to Kafka at ${stream.brokers.join(', ')}` });
    }
  }
}
