import { check, checkDnsSubdomain, checkLiteral } from '../../core/validation';

/** A key of a Kubernetes Secret in the Langfuse namespace, provided by the operator (never a literal value). */
export interface LangfuseSecretRef {
  /** Secret name. */
  readonly name: string;
  /** Key in the Secret. */
  readonly key: string;
}

/** An external PostgreSQL database (RDS, Aurora) for Langfuse's transactional data. */
export interface LangfuseExternalPostgres {
  /** Host name. */
  readonly host: string;
  /** Port. @default 5432 */
  readonly port?: number;
  /** Database name. */
  readonly database: string;
  /** User name. */
  readonly username: string;
  /** Secret holding the password, stored by the operator in AWS Secrets Manager (see `Langfuse.requiredSecrets`). */
  readonly passwordSecret: LangfuseSecretRef;
}

/** Options of an external ClickHouse. */
export interface LangfuseExternalClickHouseOptions {
  /** Host name (without scheme). */
  readonly host: string;
  /** HTTP(S) port. @default 8123 */
  readonly httpPort?: number;
  /** Native protocol port (migrations). @default 9000 */
  readonly nativePort?: number;
  /** User name. */
  readonly username: string;
  /** Secret holding the password. */
  readonly passwordSecret: LangfuseSecretRef;
  /** Use HTTPS and TLS for migrations. @default false */
  readonly tls?: boolean;
}

/** Options of an external Redis or Valkey (must run with `maxmemory-policy noeviction`). */
export interface LangfuseExternalRedisOptions {
  /** Host name. */
  readonly host: string;
  /** Port. @default 6379 */
  readonly port?: number;
  /** User name. @default 'default' */
  readonly username?: string;
  /** Secret holding the password. */
  readonly passwordSecret: LangfuseSecretRef;
  /** Use TLS (`rediss://`). @default false */
  readonly tls?: boolean;
}

/** Checks a secret reference (literal DNS name, key of allowed characters). */
export function checkSecretRef(prop: string, ref: LangfuseSecretRef): void {
  checkLiteral(`${prop}.name`, ref.name);
  checkDnsSubdomain(`${prop}.name`, ref.name);
  checkLiteral(`${prop}.key`, ref.key);
  check(/^[-._a-zA-Z0-9]+$/.test(ref.key), `'${prop}.key' (${ref.key}) must consist of letters, digits, '-', '_' or '.'`);
}

function checkPort(prop: string, port: number | undefined): void {
  if (port === undefined) return;
  check(Number.isInteger(port) && port >= 1 && port <= 65535, `'${prop}' (${port}) must be an integer from 1 to 65535`);
}

/** Where Langfuse keeps its analytics data (traces, observations, scores). */
export class LangfuseClickHouse {
  /** ClickHouse installed by the Langfuse chart, with a generated password. */
  public static inCluster(): LangfuseClickHouse {
    return new LangfuseClickHouse(undefined);
  }

  /** An existing ClickHouse (ClickHouse Cloud, a separate installation). */
  public static external(options: LangfuseExternalClickHouseOptions): LangfuseClickHouse {
    checkLiteral('clickhouse.host', options.host);
    check(!/^[a-z]+:\/\//.test(options.host), `'clickhouse.host' (${options.host}) must be a host name without a scheme: set 'tls' for HTTPS`);
    checkPort('clickhouse.httpPort', options.httpPort);
    checkPort('clickhouse.nativePort', options.nativePort);
    checkLiteral('clickhouse.username', options.username);
    checkSecretRef('clickhouse.passwordSecret', options.passwordSecret);
    return new LangfuseClickHouse(options);
  }

  /** The external ClickHouse, or undefined when in-cluster. */
  public readonly externalOptions?: LangfuseExternalClickHouseOptions;

  private constructor(external: LangfuseExternalClickHouseOptions | undefined) {
    this.externalOptions = external;
  }
}

/** Where Langfuse keeps its queues and cache. */
export class LangfuseRedis {
  /** Valkey installed by the Langfuse chart, with a generated password. */
  public static inCluster(): LangfuseRedis {
    return new LangfuseRedis(undefined);
  }

  /** An existing Redis or Valkey (ElastiCache). */
  public static external(options: LangfuseExternalRedisOptions): LangfuseRedis {
    checkLiteral('redis.host', options.host);
    checkPort('redis.port', options.port);
    checkSecretRef('redis.passwordSecret', options.passwordSecret);
    return new LangfuseRedis(options);
  }

  /** The external Redis, or undefined when in-cluster. */
  public readonly externalOptions?: LangfuseExternalRedisOptions;

  private constructor(external: LangfuseExternalRedisOptions | undefined) {
    this.externalOptions = external;
  }
}

/** Checks an external Postgres. */
export function checkExternalPostgres(pg: LangfuseExternalPostgres): void {
  checkLiteral('externalPostgres.host', pg.host);
  checkPort('externalPostgres.port', pg.port);
  checkLiteral('externalPostgres.database', pg.database);
  checkLiteral('externalPostgres.username', pg.username);
  checkSecretRef('externalPostgres.passwordSecret', pg.passwordSecret);
}
