import { check, checkLiteral } from '../core/validation';

/** The message stream (write-ahead log) of a Milvus vector store: `spec.dependencies.msgStreamType` (closed set). */
export enum MessageStreamType {
  /**
   * Woodpecker (Milvus 2.6+): the WAL embedded in Milvus, written to the object storage (S3). No extra stateful
   * service; works in standalone and cluster mode.
   */
  WOODPECKER = 'woodpecker',
  /** Apache Pulsar, deployed in the vector store's namespace by the operator (chart `pulsar-v3`). */
  PULSAR = 'pulsar',
  /** Apache Kafka, deployed in the namespace by the operator or an existing cluster (Amazon MSK). */
  KAFKA = 'kafka',
  /** RocksMQ on a local volume of the standalone pod (standalone mode only; the default before Milvus 2.6). */
  ROCKSMQ = 'rocksmq',
}

/** Options of an in-cluster Kafka. */
export interface InClusterKafkaOptions {
  /**
   * Kafka brokers (the `replicaCount` of the Kafka chart the operator deploys). Cluster mode needs at least 3.
   * @default 3
   */
  readonly replicas?: number;
}

const BROKER = /^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?:\d{1,5}$/;

/**
 * Where a Milvus vector store keeps its message stream. One of: {@link MessageStream.woodpecker} (the default on
 * Milvus 2.6), an in-cluster {@link MessageStream.pulsar} or {@link MessageStream.kafka} deployed by the operator,
 * an existing Kafka ({@link MessageStream.externalKafka}, e.g. Amazon MSK), or {@link MessageStream.rocksmq} for a
 * standalone store.
 * @see https://milvus.io/docs/message_storage_operator.md
 */
export class MessageStream {
  /** Woodpecker: the WAL lives in the store's S3 bucket; nothing else to run. Milvus 2.6 or later. */
  public static woodpecker(): MessageStream {
    return new MessageStream(MessageStreamType.WOODPECKER, false);
  }

  /** Pulsar deployed in the store's namespace by the operator (its `pulsar-v3` chart defaults: 3 ZooKeeper and 3 BookKeeper replicas). */
  public static pulsar(): MessageStream {
    return new MessageStream(MessageStreamType.PULSAR, false);
  }

  /** Kafka deployed in the store's namespace by the operator. */
  public static kafka(options: InClusterKafkaOptions = {}): MessageStream {
    const replicas = options.replicas ?? 3;
    check(Number.isInteger(replicas) && replicas >= 1, `'replicas' (${replicas}) of an in-cluster Kafka must be an integer >= 1`);
    return new MessageStream(MessageStreamType.KAFKA, false, replicas);
  }

  /**
   * An existing Kafka cluster (Amazon MSK, plaintext listeners), by its bootstrap brokers `host:port`. Network
   * policies cannot filter by host name: the store may reach any address on the brokers' ports.
   */
  public static externalKafka(brokers: string[]): MessageStream {
    check(brokers.length > 0, 'MessageStream.externalKafka() needs at least one broker (host:port)');
    for (const b of brokers) {
      checkLiteral('broker', b);
      const port = Number(b.split(':').pop());
      check(BROKER.test(b) && port >= 1 && port <= 65535, `Kafka broker '${b}' must be host:port, e.g. b-1.msk.example.com:9092`);
    }
    return new MessageStream(MessageStreamType.KAFKA, true, undefined, [...brokers]);
  }

  /** RocksMQ on the standalone pod's volume (standalone mode only). */
  public static rocksmq(): MessageStream {
    return new MessageStream(MessageStreamType.ROCKSMQ, false);
  }

  /** Kind of stream. */
  public readonly type: MessageStreamType;
  /** Whether the stream is an existing service outside the store's namespace. */
  public readonly external: boolean;
  /** Brokers of an in-cluster Kafka. */
  public readonly replicas?: number;
  private readonly _brokers?: string[];

  private constructor(type: MessageStreamType, external: boolean, replicas?: number, brokers?: string[]) {
    this.type = type;
    this.external = external;
    this.replicas = replicas;
    this._brokers = brokers;
  }

  /** Bootstrap brokers of an external Kafka (copy). */
  public get brokers(): string[] | undefined {
    return this._brokers === undefined ? undefined : [...this._brokers];
  }

  /** Whether the operator deploys the stream as a stateful service in the store's namespace (Pulsar or Kafka). */
  public get inClusterService(): boolean {
    return !this.external && (this.type === MessageStreamType.PULSAR || this.type === MessageStreamType.KAFKA);
  }
}
