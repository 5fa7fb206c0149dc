import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  checkExternalPostgres, checkSecretRef, LangfuseClickHouse, LangfuseExternalPostgres, LangfuseRedis, LangfuseSecretRef,
} from './stores';
import { certManager, clickHouseOperator } from './prerequisites';
import {
  ExternalSecret, ExternalSecretSpecSecretStoreRefKind, ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetTemplateEngineVersion,
} from '../../../imports/eso-externalsecret-external-secrets.io';
import { PodIdentityRole } from '../../cluster/pod-identity';
import { HelmComponent, KubernetesComponent, Stage } from '../../core/component';
import { JsonObject } from '../../core/deep-merge';
import { acknowledgeNagFindings, NagFindingRule } from '../../core/nag-acknowledgements';
import { PlatformDefinition } from '../../core/platform-definition';
import { PodSecurityLevel } from '../../core/pod-security';
import { check, checkDnsLabel, checkDnsSubdomain, checkLiteral } from '../../core/validation';
import { FlowPeer, FlowPort } from '../../network/flow';
import { NetworkFlows } from '../../network/network-flows';
import { AWS_SECRET_STORE, ExternalSecrets } from '../../secrets/external-secrets';
import { PlatformSecret } from '../../secrets/platform-secret';
import { HelmChartVersion } from '../../versions';

/** Default name of the Secret {@link Langfuse.keysSecret} materializes in a consumer's namespace. */
export const LANGFUSE_KEYS_SECRET = 'langfuse-keys';

/** Port of the Langfuse web service. */
export const LANGFUSE_WEB_PORT = 3000;
/** Helm release name (and so the chart's full name and ServiceAccount name). */
export const LANGFUSE_RELEASE = 'langfuse';
/** ServiceAccount shared by the web and worker pods (`langfuse.serviceAccount.name`). */
export const LANGFUSE_SERVICE_ACCOUNT = 'langfuse';

/** Langfuse major version: picks the chart. */
export enum LangfuseVersion {
  /** Langfuse v3: chart 1.5.x with Bitnami sub-charts. */
  V3 = 'v3',
  /** Langfuse v4: chart 2.x; in-cluster ClickHouse needs cert-manager and the ClickHouse operator. */
  V4 = 'v4',
}

/** Headless initialization: an organization, a project and its API key pair, created when Langfuse starts. */
export interface LangfuseInitialization {
  /** Organization name (its id is the name in lower-case DNS-label form). */
  readonly organization: string;
  /** Project name (its id is the name in lower-case DNS-label form). */
  readonly project: string;
}

/** Options of {@link Langfuse}. */
export interface LangfuseOptions {
  /** Langfuse major version. @default LangfuseVersion.V4 */
  readonly version?: LangfuseVersion;
  /** Namespace. @default 'langfuse' */
  readonly namespace?: string;
  /**
   * Install PostgreSQL with the chart (generated password). Exclusive with `externalPostgres`.
   * @default - true unless `externalPostgres` is set
   */
  readonly inClusterPostgres?: boolean;
  /** An external PostgreSQL (RDS, Aurora). Exclusive with `inClusterPostgres`. @default - in-cluster PostgreSQL */
  readonly externalPostgres?: LangfuseExternalPostgres;
  /** ClickHouse. @default LangfuseClickHouse.inCluster() */
  readonly clickhouse?: LangfuseClickHouse;
  /** Redis / Valkey. @default LangfuseRedis.inCluster() */
  readonly redis?: LangfuseRedis;
  /**
   * Name of the S3 bucket for events, media and batch exports. Must be a literal (it goes into chart values) and
   * globally unique.
   * @default `<cluster>-langfuse-<region>`: collides when another account uses the same cluster name and region
   */
  readonly bucketName?: string;
  /**
   * Public URL of the web UI (`NEXTAUTH_URL`).
   * @default - the in-cluster URL `http://langfuse-web.<namespace>.svc.cluster.local:3000`
   */
  readonly url?: string;
  /**
   * Headless initialization of an organization, a project and its API keys (generated in AWS Secrets Manager).
   * @default - none: create organization, project and keys in the UI
   * @see https://langfuse.com/self-hosting/headless-initialization
   */
  readonly initialization?: LangfuseInitialization;
  /** Raw chart values deep-merged after the computed ones (escape hatch). @default - none */
  readonly values?: JsonObject;
}

/** Props of {@link Langfuse}. */
export interface LangfuseProps extends LangfuseOptions {
  /** The platform's Kubernetes-side definition. */
  readonly definition: PlatformDefinition;
  /** The cluster (Pod Identity association of the S3 access). */
  readonly cluster: eks.Cluster;
  /** The secrets layer. */
  readonly secrets: ExternalSecrets;
}

/** Where a Langfuse API key is stored: the AWS secret and its JSON property (raw value, without prefix). */
export interface LangfuseApiKeySource {
  /** AWS Secrets Manager secret name. */
  readonly awsSecretName: string;
  /** JSON property. */
  readonly property: string;
  /** Prefix Langfuse expects before the stored value (`pk-lf-` or `sk-lf-`). */
  readonly prefix: string;
}

/** A Secret in a consumer's namespace holding a Langfuse project key pair, with the `pk-lf-`/`sk-lf-` prefixes. */
export interface LangfuseKeysSecret {
  /** Secret name. */
  readonly name: string;
  /** Key of the public key (`pk-lf-...`). */
  readonly publicKeyKey: string;
  /** Key of the secret key (`sk-lf-...`). */
  readonly secretKeyKey: string;
}

/** Options of {@link Langfuse.keysSecret}. */
export interface LangfuseKeysSecretOptions {
  /** Namespace of the Secret. @default - the namespace of the component `scope` belongs to */
  readonly namespace?: string;
  /** Secret name. @default 'langfuse-keys' */
  readonly name?: string;
}

/** A Langfuse that consumers (LiteLLM, evaluations) send traces and scores to. */
export interface ILangfuse {
  /** Base URL (`LANGFUSE_HOST`), without a trailing '/'. */
  readonly url: string;
  /**
   * Makes the project API keys available in a consumer's namespace: an `ExternalSecret` in `scope` (a construct inside
   * the consumer's component) materializes Secret `langfuse-keys` with `LANGFUSE_PUBLIC_KEY` and `LANGFUSE_SECRET_KEY`.
   */
  keysSecret(scope: Construct, options?: LangfuseKeysSecretOptions): LangfuseKeysSecret;
}

/** The project API key pair created by headless initialization. */
export interface LangfuseApiKeys {
  /** Public key (`pk-lf-<stored value>`). */
  readonly publicKey: LangfuseApiKeySource;
  /** Secret key (`sk-lf-<stored value>`). */
  readonly secretKey: LangfuseApiKeySource;
}

/** Database and user of the in-cluster PostgreSQL (chart 2.0.0 defaults). */
const LANGFUSE_DATABASE = 'langfuse';
const LANGFUSE_DATABASE_USER = 'langfuse';
/** The Valkey ACL user Langfuse connects as (`redis.auth.username`). */
const LANGFUSE_VALKEY_USER = 'default';

const S3_BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function slug(prop: string, name: string): string {
  checkLiteral(prop, name);
  const id = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  check(id.length > 0, `'${prop}' (${name}) must contain a letter or digit`);
  return id;
}

function secretRef(secret: { secretName: string; key: string }): JsonObject {
  return { secretKeyRef: { name: secret.secretName, key: secret.key } };
}

function secretEnv(name: string, secret: string, key: string): JsonObject {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

/**
 * Self-hosted Langfuse (LLM tracing, evaluations, prompt management) from the langfuse/langfuse-k8s chart, with
 * every credential pinned (the GitOps rendering cannot run the chart's `lookup`):
 *
 * - salt, NextAuth secret, database, ClickHouse and Valkey passwords generated in AWS Secrets Manager and
 *   materialized by External Secrets (component `langfuse-secrets`);
 * - `ENCRYPTION_KEY` must be 64 hex characters, which Secrets Manager cannot generate: the `ExternalSecret`
 *   `langfuse-encryption-key` derives it as the SHA-256 hex digest (`sha256sum`) of a generated 64-character
 *   alphanumeric value (about 380 bits of entropy), so the key is 256 bits and stable;
 * - with `initialization`, the project API keys are generated too; the pods receive `pk-lf-<value>` and
 *   `sk-lf-<value>` through Kubernetes `$(VAR)` expansion.
 *
 * - v4 (chart 2.0.0) with the bundled stores: the Postgres Secret carries every key the postgres sub-chart reads
 *   (`POSTGRES_USER`, `POSTGRES_PASSWORD`, `POSTGRES_DB`, `USERDB_USER`, `USERDB_PASSWORD` = the generated password)
 *   and the Valkey Secret one key per ACL user (`default`), each derived by an ExternalSecret template;
 * - v4 with in-cluster ClickHouse also installs cert-manager (stage CRDS) and the ClickHouse operator (stage
 *   CONTROLLERS), whose CRDs the chart's `ClickHouseCluster` and `KeeperCluster` need; `clickhouse.crdCheck` is off so
 *   the chart renders offline;
 * - {@link keysSecret} hands the generated project keys to consumers (LiteLLM, evaluations) in their namespaces.
 *
 * AWS side: an S3 bucket (events, media, exports; encrypted, versioned, TLS only, retained) and a Pod Identity
 * role for the ServiceAccount `langfuse` that may read and write that bucket only. No S3 keys are configured: the
 * AWS SDK in Langfuse falls back to the default credential chain (Pod Identity).
 */
export class Langfuse extends Construct implements ILangfuse {
  /** The chart. */
  public readonly chart: HelmComponent;
  /** The component holding the ExternalSecrets. */
  public readonly secretsComponent: KubernetesComponent;
  /** Namespace. */
  public readonly namespace: string;
  /** Langfuse major version. */
  public readonly version: LangfuseVersion;
  /** In-cluster URL of the web service. */
  public readonly url: string;
  /** Base URL of the OTLP/HTTP traces endpoint (`<url>/api/public/otel`; exporters append `/v1/traces`). */
  public readonly otelEndpoint: string;
  /** The S3 bucket. */
  public readonly bucket: s3.Bucket;
  /** The Pod Identity role of the web and worker pods. */
  public readonly identity: PodIdentityRole;
  /** The project API keys, when `initialization` is set. */
  public readonly apiKeys?: LangfuseApiKeys;
  /** cert-manager, installed for the ClickHouse operator (v4 with in-cluster ClickHouse). */
  public readonly certManager?: HelmComponent;
  /** The ClickHouse operator (v4 with in-cluster ClickHouse): its CRDs precede the chart's ClickHouseCluster. */
  public readonly clickhouseOperator?: HelmComponent;
  private readonly _requiredSecrets: string[] = [];

  constructor(scope: Construct, id: string, props: LangfuseProps) {
    super(scope, id);
    const ns = props.namespace ?? 'langfuse';
    checkDnsLabel('namespace', ns);
    check(!(props.inClusterPostgres === true && props.externalPostgres !== undefined),
      "Langfuse cannot use in-cluster and external Postgres at once: set 'inClusterPostgres' or 'externalPostgres', not both");
    check(!(props.inClusterPostgres === false && props.externalPostgres === undefined),
      "'inClusterPostgres' is false but no 'externalPostgres' is set: Langfuse needs a PostgreSQL database");
    if (props.externalPostgres) checkExternalPostgres(props.externalPostgres);
    const definition = props.definition;
    const clusterName = definition.clusterName;
    const region = definition.region;
    checkLiteral('region', region);
    const bucketName = props.bucketName ?? `${clusterName}-langfuse-${region}`;
    checkLiteral('bucketName', bucketName);
    check(S3_BUCKET_NAME.test(bucketName) && !bucketName.includes('..'),
      `'bucketName' (${bucketName}) must be a valid S3 bucket name: 3 to 63 lower-case letters, digits, '.' or '-'`);
    if (props.url !== undefined) {
      checkLiteral('url', props.url);
      check(/^https?:\/\/[^\s/]+(\/\S*)?$/.test(props.url) && !props.url.endsWith('/'),
        `'url' (${props.url}) must be an http:// or https:// URL without a trailing '/'`);
    }
    const init = props.initialization;
    const orgId = init ? slug('initialization.organization', init.organization) : undefined;
    const projectId = init ? slug('initialization.project', init.project) : undefined;

    this.namespace = ns;
    this.version = props.version ?? LangfuseVersion.V4;
    this.url = `http://${LANGFUSE_RELEASE}-web.${ns}.svc.cluster.local:${LANGFUSE_WEB_PORT}`;
    this.otelEndpoint = `${this.url}/api/public/otel`;
    const clickhouse = props.clickhouse ?? LangfuseClickHouse.inCluster();
    const redis = props.redis ?? LangfuseRedis.inCluster();

    // ---- AWS side
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Langfuse event and media bucket: object access is audited through CloudTrail data events when needed; server access logs are left to the operator',
    });
    this.identity = new PodIdentityRole(this, 'Identity', {
      cluster: props.cluster,
      namespace: ns,
      serviceAccount: LANGFUSE_SERVICE_ACCOUNT,
      description: `Langfuse of EKS cluster ${clusterName}: reads and writes S3 bucket ${bucketName}`,
    });
    this.identity.addToPolicy(new iam.PolicyStatement({
      sid: 'ListLangfuseBucket',
      actions: ['s3:ListBucket', 's3:GetBucketLocation'],
      resources: [this.bucket.bucketArn],
    }));
    this.identity.addToPolicy(new iam.PolicyStatement({
      sid: 'ReadWriteLangfuseObjects',
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      resources: [this.bucket.arnForObjects('*')],
    }));
    acknowledgeNagFindings(this.identity, NagFindingRule.WILDCARDS,
      'Langfuse writes objects under generated keys in its own bucket; the wildcard covers the objects of that bucket only');

    // ---- secrets
    const secretsComponent = new KubernetesComponent(definition, 'LangfuseSecrets', {
      name: 'langfuse-secrets',
      namespace: ns,
      stage: Stage.WORKLOADS,
      description: `Secrets of Langfuse in namespace ${ns}, materialized from AWS Secrets Manager`,
    });
    this.secretsComponent = secretsComponent;
    // Third-party chart pods (web, worker, bundled stores): baseline enforced, restricted audited.
    secretsComponent.addDependency(definition.ensureNamespace(ns, { podSecurity: PodSecurityLevel.BASELINE }), props.secrets.store);
    const gen = (cid: string, name: string, key: string, length?: number, templateData?: { [k: string]: string }): PlatformSecret =>
      props.secrets.addSecret(cid, { consumer: secretsComponent, namespace: ns, name, key, length, templateData });
    const v4 = this.version === LangfuseVersion.V4;
    const salt = gen('LangfuseSalt', 'langfuse-salt', 'salt', 48);
    const nextauth = gen('LangfuseNextAuthSecret', 'langfuse-nextauth', 'secret', 48);
    const encryptionSeed = gen('LangfuseEncryptionSeed', 'langfuse-encryption-seed', 'seed', 64);
    new ExternalSecret(secretsComponent, 'EncryptionKey', {
      metadata: { name: 'langfuse-encryption-key', namespace: ns },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, name: AWS_SECRET_STORE },
        target: {
          name: 'langfuse-encryption-key',
          creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
          template: {
            engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2,
            data: { key: '{{ .seed | sha256sum }}' },
          },
        },
        data: [{ secretKey: 'seed', remoteRef: { key: encryptionSeed.awsSecretName, property: encryptionSeed.key } }],
      },
    });
    const provided = (cid: string, prop: string, ref: LangfuseSecretRef): void => {
      checkSecretRef(prop, ref);
      const awsName = props.secrets.referenceSecret(secretsComponent, cid, { namespace: ns, name: ref.name, key: ref.key });
      this._requiredSecrets.push(`${awsName} (JSON key: ${ref.key})`);
    };

    const postgresValues: JsonObject = props.externalPostgres
      ? (() => {
        const pg = props.externalPostgres;
        provided('PostgresPassword', 'externalPostgres.passwordSecret', pg.passwordSecret);
        return {
          deploy: false,
          host: pg.host,
          port: pg.port ?? 5432,
          auth: {
            username: pg.username,
            database: pg.database,
            existingSecret: pg.passwordSecret.name,
            secretKeys: { userPasswordKey: pg.passwordSecret.key },
          },
        };
      })()
      : v4 ? (() => {
        // Chart 2.0.0: the groundhog2k postgres sub-chart reads the superuser and the app user from one Secret
        // (settings.existingSecret, userDatabase.existingSecret); Langfuse reads userPasswordKey of auth.existingSecret.
        // One generated password serves both, as in the Secret the chart would generate itself.
        const pw = gen('LangfusePostgresPassword', 'langfuse-postgres', 'password', undefined, {
          POSTGRES_USER: 'postgres',
          POSTGRES_PASSWORD: '{{ .password }}',
          POSTGRES_DB: LANGFUSE_DATABASE,
          USERDB_USER: LANGFUSE_DATABASE_USER,
          USERDB_PASSWORD: '{{ .password }}',
        });
        return {
          deploy: true,
          auth: {
            username: LANGFUSE_DATABASE_USER,
            database: LANGFUSE_DATABASE,
            existingSecret: pw.secretName,
            secretKeys: { userPasswordKey: pw.key, adminPasswordKey: pw.key },
          },
          settings: { existingSecret: pw.secretName },
          userDatabase: { existingSecret: pw.secretName },
        };
      })()
      : (() => {
        const pw = gen('LangfusePostgresPassword', 'langfuse-postgres', 'password');
        return {
          deploy: true,
          auth: {
            username: 'postgres',
            database: LANGFUSE_DATABASE,
            existingSecret: pw.secretName,
            secretKeys: { userPasswordKey: pw.key, adminPasswordKey: pw.key },
          },
        };
      })();

    let clickhouseValues: JsonObject;
    if (clickhouse.externalOptions) {
      const ch = clickhouse.externalOptions;
      provided('ClickHousePassword', 'clickhouse.passwordSecret', ch.passwordSecret);
      clickhouseValues = {
        deploy: false,
        host: `${ch.tls ? 'https' : 'http'}://${ch.host}`,
        httpPort: ch.httpPort ?? 8123,
        nativePort: ch.nativePort ?? 9000,
        migration: { url: `clickhouse://${ch.host}:${ch.nativePort ?? 9000}`, ssl: ch.tls ?? false },
        auth: { username: ch.username, existingSecret: ch.passwordSecret.name, existingSecretKey: ch.passwordSecret.key },
      };
    } else {
      const pw = gen('LangfuseClickHousePassword', 'langfuse-clickhouse', 'password');
      clickhouseValues = {
        deploy: true,
        auth: { username: 'default', existingSecret: pw.secretName, existingSecretKey: pw.key },
      };
      if (v4) {
        // The chart's ClickHouseCluster/KeeperCluster need the operator's CRDs; the operator needs cert-manager.
        // crdCheck (Capabilities lookup) is off so the GitOps rendering (helm template) renders offline.
        clickhouseValues.crdCheck = false;
        this.certManager = certManager(definition);
        this.clickhouseOperator = clickHouseOperator(definition);
      }
    }

    let redisValues: JsonObject;
    if (redis.externalOptions) {
      const r = redis.externalOptions;
      provided('RedisPassword', 'redis.passwordSecret', r.passwordSecret);
      redisValues = {
        deploy: false,
        host: r.host,
        port: r.port ?? 6379,
        tls: { enabled: r.tls ?? false },
        auth: { username: r.username ?? 'default', existingSecret: r.passwordSecret.name, existingSecretPasswordKey: r.passwordSecret.key },
      };
    } else {
      // Chart 2.0.0: the valkey sub-chart reads one key per ACL user (`default`) from usersExistingSecret.
      const pw = gen('LangfuseValkeyPassword', 'langfuse-valkey', 'password', undefined,
        v4 ? { [LANGFUSE_VALKEY_USER]: '{{ .password }}' } : undefined);
      redisValues = {
        deploy: true,
        auth: v4
          ? { username: LANGFUSE_VALKEY_USER, existingSecret: pw.secretName, existingSecretPasswordKey: pw.key, usersExistingSecret: pw.secretName }
          : { existingSecret: pw.secretName, existingSecretPasswordKey: pw.key },
      };
    }

    const additionalEnv: JsonObject[] = [];
    if (init) {
      const pk = gen('LangfuseInitPublicKey', 'langfuse-init-public-key', 'key', 32);
      const sk = gen('LangfuseInitSecretKey', 'langfuse-init-secret-key', 'key', 48);
      this.apiKeys = {
        publicKey: { awsSecretName: pk.awsSecretName, property: pk.key, prefix: 'pk-lf-' },
        secretKey: { awsSecretName: sk.awsSecretName, property: sk.key, prefix: 'sk-lf-' },
      };
      additionalEnv.push(
        { name: 'LANGFUSE_INIT_ORG_ID', value: orgId },
        { name: 'LANGFUSE_INIT_ORG_NAME', value: init.organization },
        { name: 'LANGFUSE_INIT_PROJECT_ID', value: projectId },
        { name: 'LANGFUSE_INIT_PROJECT_NAME', value: init.project },
        secretEnv('LANGFUSE_INIT_PK_RAW', pk.secretName, pk.key),
        secretEnv('LANGFUSE_INIT_SK_RAW', sk.secretName, sk.key),
        { name: 'LANGFUSE_INIT_PROJECT_PUBLIC_KEY', value: 'pk-lf-$(LANGFUSE_INIT_PK_RAW)' },
        { name: 'LANGFUSE_INIT_PROJECT_SECRET_KEY', value: 'sk-lf-$(LANGFUSE_INIT_SK_RAW)' },
      );
    }

    const values: JsonObject = {
      langfuse: {
        salt: secretRef(salt),
        encryptionKey: { secretKeyRef: { name: 'langfuse-encryption-key', key: 'key' } },
        nextauth: { url: props.url ?? this.url, secret: secretRef(nextauth) },
        features: { telemetryEnabled: false },
        serviceAccount: { create: true, name: LANGFUSE_SERVICE_ACCOUNT },
        additionalEnv,
      },
      postgresql: postgresValues,
      clickhouse: clickhouseValues,
      redis: redisValues,
      s3: {
        deploy: false,
        bucket: bucketName,
        region,
        forcePathStyle: false,
        eventUpload: { prefix: 'events/' },
        mediaUpload: { prefix: 'media/' },
        batchExport: { enabled: true, prefix: 'exports/' },
      },
    };

    this.chart = new HelmComponent(definition, 'Langfuse', {
      name: 'langfuse',
      namespace: ns,
      stage: Stage.WORKLOADS,
      description: `Langfuse ${this.version} (LLM tracing and evaluation) at ${this.url}`,
      chart: this.version === LangfuseVersion.V3 ? HelmChartVersion.LANGFUSE_V3 : HelmChartVersion.LANGFUSE_V4,
      releaseName: LANGFUSE_RELEASE,
      includesCrds: false,
      values: { render: () => values },
      valueOverrides: props.values,
    });
    this.chart.addDependency(secretsComponent);
    if (this.clickhouseOperator) this.chart.addDependency(this.clickhouseOperator);


    // ---- network flows: the chart's pods (web, worker, bundled stores) talk among themselves
    const flows = NetworkFlows.of(definition);
    const pods = FlowPeer.inNamespace(ns);
    flows.allow({ name: 'langfuse-internal', from: pods, to: pods, description: 'Langfuse web and worker reach their bundled Postgres, ClickHouse and Valkey' });
    flows.allow({ name: 'teams-to-langfuse', from: FlowPeer.teams(), to: pods, ports: [FlowPort.tcp(LANGFUSE_WEB_PORT)],
      description: 'team workloads and evaluations send traces and scores to Langfuse' });
    flows.allow({ name: 'langfuse-to-s3', from: pods, to: FlowPeer.internet(), description: `Langfuse reads and writes S3 bucket ${bucketName}` });
    flows.allow({ name: 'langfuse-pod-identity', from: pods, to: FlowPeer.podIdentityAgent(),
      description: 'Langfuse gets the credentials of its S3 role from the Pod Identity Agent' });
    const externalPorts = [
      ...(props.externalPostgres ? [props.externalPostgres.port ?? 5432] : []),
      ...(clickhouse.externalOptions ? [clickhouse.externalOptions.httpPort ?? 8123, clickhouse.externalOptions.nativePort ?? 9000] : []),
      ...(redis.externalOptions ? [redis.externalOptions.port ?? 6379] : []),
    ];
    if (externalPorts.length > 0) {
      flows.allow({ name: 'langfuse-to-external-stores', from: pods, to: FlowPeer.internet(), ports: [...new Set(externalPorts)].map((p) => FlowPort.tcp(p)),
        description: 'Langfuse reaches its external Postgres, ClickHouse or Redis' });
    }
  }

  /**
   * Materializes the project API keys of headless initialization in a consumer's namespace, without copying: an
   * `ExternalSecret` in `scope` (a construct inside the consumer's component) reads the two generated AWS secrets and
   * writes Secret `langfuse-keys` with `LANGFUSE_PUBLIC_KEY` (`pk-lf-<value>`) and `LANGFUSE_SECRET_KEY`
   * (`sk-lf-<value>`). Calling it again for the same scope, namespace and name returns the same Secret.
   */
  public keysSecret(scope: Construct, options: LangfuseKeysSecretOptions = {}): LangfuseKeysSecret {
    const keys = this.apiKeys;
    check(keys !== undefined,
      "Langfuse has no generated API keys to hand out: set 'initialization' ({ organization, project }) on the Langfuse construct");
    const name = options.name ?? LANGFUSE_KEYS_SECRET;
    checkDnsSubdomain('name', name);
    const namespace = options.namespace ?? Chart.of(scope).namespace;
    check(namespace !== undefined,
      `Langfuse keys Secret '${name}' needs a 'namespace': set it, or call keysSecret with a scope in a component that has one`);
    checkDnsLabel('namespace', namespace);
    const ref: LangfuseKeysSecret = { name, publicKeyKey: 'LANGFUSE_PUBLIC_KEY', secretKeyKey: 'LANGFUSE_SECRET_KEY' };
    const id = `LangfuseKeys-${namespace}-${name}`;
    if (scope.node.tryFindChild(id) !== undefined) return ref;
    new ExternalSecret(scope, id, {
      metadata: { name, namespace },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, name: AWS_SECRET_STORE },
        target: {
          name,
          creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
          template: {
            engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2,
            data: {
              [ref.publicKeyKey]: `${keys.publicKey.prefix}{{ .pk }}`,
              [ref.secretKeyKey]: `${keys.secretKey.prefix}{{ .sk }}`,
            },
          },
        },
        data: [
          { secretKey: 'pk', remoteRef: { key: keys.publicKey.awsSecretName, property: keys.publicKey.property } },
          { secretKey: 'sk', remoteRef: { key: keys.secretKey.awsSecretName, property: keys.secretKey.property } },
        ],
      },
    });
    return ref;
  }

  /** AWS secrets the operator must create before Langfuse starts (external stores' passwords). Copy. */
  public get requiredSecrets(): string[] {
    return [...this._requiredSecrets];
  }
}
