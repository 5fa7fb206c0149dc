import { Size } from 'aws-cdk-lib';
import { LiteLlmSecretRef } from './model';
import { checkSecretRef } from './private/secret-ref';
import { check, checkLiteral } from '../../core/validation';

/** Options of {@link LiteLlmDatabase.inCluster}. */
export interface InClusterDatabaseOptions {
  /** Size of the PersistentVolumeClaim. @default Size.gibibytes(20) */
  readonly storage?: Size;
  /** StorageClass of the PersistentVolumeClaim (e.g. `gp3`). @default - the cluster's default StorageClass */
  readonly storageClass?: string;
}

/** Options of {@link LiteLlmDatabase.external}. */
export interface ExternalDatabaseOptions {
  /** Host name of the PostgreSQL server (e.g. an RDS endpoint). */
  readonly host: string;
  /** Port. @default 5432 */
  readonly port?: number;
  /** Database name. */
  readonly database: string;
  /** User name. */
  readonly username: string;
  /**
   * Secret holding the user's password (URL-safe characters only: it is placed into `DATABASE_URL` as is).
   */
  readonly passwordSecret: LiteLlmSecretRef;
}

/** Kind of database. */
export enum LiteLlmDatabaseKind {
  /** A PostgreSQL StatefulSet next to the proxy. */
  IN_CLUSTER = 'in-cluster',
  /** An existing PostgreSQL server. */
  EXTERNAL = 'external',
}

/**
 * LiteLLM's PostgreSQL database (virtual keys, teams, spend tracking): an in-cluster StatefulSet or an existing
 * server.
 */
export class LiteLlmDatabase {
  /** A single-replica PostgreSQL StatefulSet with a generated password. Fine for a start; use RDS for production. */
  public static inCluster(options: InClusterDatabaseOptions = {}): LiteLlmDatabase {
    const storage = options.storage ?? Size.gibibytes(20);
    check(storage.toGibibytes({ rounding: 1 }) >= 1, `'storage' (${storage.toGibibytes({ rounding: 1 })}Gi) of the LiteLLM database must be at least 1Gi`);
    if (options.storageClass !== undefined) checkLiteral('storageClass', options.storageClass);
    return new LiteLlmDatabase(LiteLlmDatabaseKind.IN_CLUSTER, { storage, storageClass: options.storageClass });
  }

  /** An existing PostgreSQL server; its password comes from a secret. */
  public static external(options: ExternalDatabaseOptions): LiteLlmDatabase {
    checkLiteral('host', options.host);
    check(/^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?$/.test(options.host), `'host' (${options.host}) must be a host name`);
    const port = options.port ?? 5432;
    check(Number.isInteger(port) && port >= 1 && port <= 65535, `'port' (${port}) must be an integer from 1 to 65535`);
    check(/^[A-Za-z0-9_][-A-Za-z0-9_]*$/.test(options.database), `'database' (${options.database}) must be letters, digits, '_' or '-'`);
    check(/^[A-Za-z0-9_][-A-Za-z0-9_.]*$/.test(options.username), `'username' (${options.username}) must be letters, digits, '_', '-' or '.'`);
    checkSecretRef('database', options.passwordSecret,
      'password of the LiteLLM database must come from a Secret, not a literal value');
    return new LiteLlmDatabase(LiteLlmDatabaseKind.EXTERNAL, { ...options, port });
  }

  /** Kind. */
  public readonly kind: LiteLlmDatabaseKind;
  /** In-cluster: PVC size. */
  public readonly storage?: Size;
  /** In-cluster: StorageClass. */
  public readonly storageClass?: string;
  /** External: host. */
  public readonly host?: string;
  /** External: port. */
  public readonly port?: number;
  /** External: database name. */
  public readonly database?: string;
  /** External: user name. */
  public readonly username?: string;
  /** External: password secret. */
  public readonly passwordSecret?: LiteLlmSecretRef;

  private constructor(kind: LiteLlmDatabaseKind, props: Partial<ExternalDatabaseOptions> & InClusterDatabaseOptions) {
    this.kind = kind;
    this.storage = props.storage;
    this.storageClass = props.storageClass;
    this.host = props.host;
    this.port = props.port;
    this.database = props.database;
    this.username = props.username;
    this.passwordSecret = props.passwordSecret;
  }
}
