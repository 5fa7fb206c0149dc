import { Size, SizeRoundingBehavior } from 'aws-cdk-lib';
import { check, checkDnsSubdomain, checkLiteral } from '../core/validation';

/** Kind of kagent database. */
export enum AgentsDatabaseKind {
  /** A PostgreSQL StatefulSet of the platform in kagent's namespace, with a generated password. */
  IN_CLUSTER = 'in-cluster',
  /** An existing PostgreSQL server (e.g. Amazon RDS) whose URL the operator stores in AWS Secrets Manager. */
  EXTERNAL = 'external',
}

/** Options of {@link AgentsDatabase.inCluster}. */
export interface AgentsInClusterDatabaseOptions {
  /** Size of the PersistentVolumeClaim. @default Size.gibibytes(10) */
  readonly storage?: Size;
  /** StorageClass of the PersistentVolumeClaim. @default - the cluster's default StorageClass */
  readonly storageClass?: string;
}

/** Options of {@link AgentsDatabase.external}. */
export interface AgentsExternalDatabaseOptions {
  /**
   * Name of the secret holding the connection URL: the operator stores it in AWS Secrets Manager as
   * `<cluster>/kagent/<urlSecret>` with JSON key `url` (`postgres://user:password@host:5432/kagent?sslmode=require`);
   * External Secrets materializes it and the controller reads it as a file (`database.postgres.urlFile`), so the
   * password never appears in values or manifests.
   * @default 'kagent-database-url'
   */
  readonly urlSecret?: string;
}

/**
 * kagent's PostgreSQL database (sessions, tasks, feedback, tool lists): the platform's own in-cluster PostgreSQL (the
 * helper LiteLLM and MLflow use: pinned image, generated password, restricted pod security) or an existing server.
 * The chart's bundled Postgres is not offered: its password is the literal `kagent` in the chart and its upstream
 * marks it "for development and evaluation only".
 */
export class AgentsDatabase {
  /** A single-replica PostgreSQL StatefulSet with a generated password (fine to start; use RDS for production). */
  public static inCluster(options: AgentsInClusterDatabaseOptions = {}): AgentsDatabase {
    const storage = options.storage ?? Size.gibibytes(10);
    const mib = storage.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
    check(mib >= 1024, `'storage' (${mib}Mi) of the kagent database must be at least 1Gi`);
    if (options.storageClass !== undefined) checkLiteral('storageClass', options.storageClass);
    return new AgentsDatabase(AgentsDatabaseKind.IN_CLUSTER, { storage, storageClass: options.storageClass });
  }

  /** An existing PostgreSQL server; its URL comes from AWS Secrets Manager (see {@link AgentsExternalDatabaseOptions}). */
  public static external(options: AgentsExternalDatabaseOptions = {}): AgentsDatabase {
    const urlSecret = options.urlSecret ?? 'kagent-database-url';
    checkDnsSubdomain('urlSecret', urlSecret);
    return new AgentsDatabase(AgentsDatabaseKind.EXTERNAL, { urlSecret });
  }

  /** Kind. */
  public readonly kind: AgentsDatabaseKind;
  /** In-cluster: PVC size. */
  public readonly storage?: Size;
  /** In-cluster: StorageClass. */
  public readonly storageClass?: string;
  /** External: name of the URL secret. */
  public readonly urlSecret?: string;

  private constructor(kind: AgentsDatabaseKind, props: { storage?: Size; storageClass?: string; urlSecret?: string }) {
    this.kind = kind;
    this.storage = props.storage;
    this.storageClass = props.storageClass;
    this.urlSecret = props.urlSecret;
  }
}
