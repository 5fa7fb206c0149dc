import { ApiObject } from 'cdk8s';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { ExternalSecrets } from './external-secrets';
import { AWS_SECRET_STORE } from './external-secrets';
import {
  ExternalSecret, ExternalSecretSpecSecretStoreRefKind, ExternalSecretSpecTargetCreationPolicy, ExternalSecretSpecTargetTemplateEngineVersion,
} from '../../imports/eso-externalsecret-external-secrets.io';
import { markGeneratedSecret } from '../checks/prerequisites';
import { goDuration } from '../core/units';
import { check, checkDnsLabel, checkDnsSubdomain } from '../core/validation';

/** Options of a platform secret. */
export interface PlatformSecretOptions {
  /**
   * Where the `ExternalSecret` goes: a construct inside the Kubernetes component that uses the secret (so the
   * secret is applied with, and in the namespace of, its consumer).
   */
  readonly consumer: Construct;
  /** Namespace of the Kubernetes Secret. */
  readonly namespace: string;
  /** Name of the Kubernetes Secret. */
  readonly name: string;
  /** Key of the generated value inside the Kubernetes Secret (and the AWS secret's JSON). @default 'password' */
  readonly key?: string;
  /** Length of the generated value. @default 32 */
  readonly length?: number;
  /** How often the operator re-reads the AWS secret. @default Duration.hours(1) */
  readonly refreshInterval?: Duration;
  /** What happens to the AWS secret when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * More keys of the Kubernetes Secret, derived from the generated value with the External Secrets template engine
   * (v2), in which `{{ .<key> }}` is the value: e.g. `{ USERDB_PASSWORD: '{{ .password }}', USERDB_USER: 'langfuse' }`
   * for a chart that expects several keys in one Secret. The Secret holds `key` and these keys.
   * @default - the Secret holds `key` only
   * @see https://external-secrets.io/latest/guides/templating/
   */
  readonly templateData?: { [secretKey: string]: string };
}

/** Props of a platform secret. */
export interface PlatformSecretProps extends PlatformSecretOptions {
  /** The secrets layer whose ClusterSecretStore reads the secret. */
  readonly store: ExternalSecrets;
  /** Cluster name (prefix of the AWS secret's name). */
  readonly clusterName: string;
}

/**
 * A secret whose value never appears in code or manifests: AWS Secrets Manager generates it (named
 * `<cluster>/<namespace>/<name>`) and an `ExternalSecret` materializes it as the Kubernetes Secret `<name>`.
 */
export class PlatformSecret extends Construct {
  /** The AWS secret. */
  public readonly secret: secretsmanager.Secret;
  /** Name of the AWS secret (deterministic). */
  public readonly awsSecretName: string;
  /** Name of the Kubernetes Secret. */
  public readonly secretName: string;
  /** Namespace of the Kubernetes Secret. */
  public readonly namespace: string;
  /** Key of the value in the Kubernetes Secret. */
  public readonly key: string;
  /** The ExternalSecret object. */
  public readonly externalSecret: ApiObject;

  constructor(scope: Construct, id: string, props: PlatformSecretProps) {
    super(scope, id);
    checkDnsLabel('namespace', props.namespace);
    checkDnsSubdomain('name', props.name);
    this.key = props.key ?? 'password';
    check(/^[-._a-zA-Z0-9]+$/.test(this.key), `'key' (${this.key}) must consist of letters, digits, '-', '_' or '.'`);
    if (props.templateData !== undefined) {
      check(/^[A-Za-z_][A-Za-z0-9_]*$/.test(this.key),
        `'key' (${this.key}) of secret '${props.name}' must be a template identifier (letters, digits, '_') when 'templateData' is set`);
      for (const k of Object.keys(props.templateData)) {
        check(/^[-._a-zA-Z0-9]+$/.test(k) && k !== this.key,
          `'templateData' key '${k}' of secret '${props.name}' must consist of letters, digits, '-', '_' or '.' and differ from 'key'`);
      }
    }
    const length = props.length ?? 32;
    check(Number.isInteger(length) && length >= 16 && length <= 4096, `'length' (${length}) must be an integer from 16 to 4096`);
    this.namespace = props.namespace;
    this.secretName = props.name;
    this.awsSecretName = `${props.clusterName}/${props.namespace}/${props.name}`;
    this.secret = new secretsmanager.Secret(this, 'Resource', {
      secretName: this.awsSecretName,
      description: `Kubernetes Secret ${props.namespace}/${props.name} (key '${this.key}'), materialized by External Secrets`,
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: this.key,
        passwordLength: length,
        excludePunctuation: true,
      },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Generated platform credential consumed through External Secrets; rotation needs the consuming application to support it and is left to the operator',
    });
    markGeneratedSecret(props.consumer, this.awsSecretName);
    this.externalSecret = externalSecretFor(props.consumer, `${id}ExternalSecret`, {
      namespace: props.namespace,
      name: props.name,
      key: this.key,
      awsSecretName: this.awsSecretName,
      refreshInterval: props.refreshInterval,
      templateData: props.templateData,
    });
  }
}

/** What an ExternalSecret of the platform reads and writes. */
export interface ExternalSecretTarget {
  /** Namespace of the Kubernetes Secret. */
  readonly namespace: string;
  /** Name of the Kubernetes Secret. */
  readonly name: string;
  /** Key in the Kubernetes Secret and JSON property of the AWS secret. */
  readonly key: string;
  /** Name of the AWS Secrets Manager secret. */
  readonly awsSecretName: string;
  /** Refresh interval. @default Duration.hours(1) */
  readonly refreshInterval?: Duration;
  /** More keys derived from the value (template engine v2, the value is `{{ .<key> }}`). @default - `key` only */
  readonly templateData?: { [secretKey: string]: string };
}

/** An `ExternalSecret` that materializes one property of an AWS secret through the platform's ClusterSecretStore. */
export function externalSecretFor(scope: Construct, id: string, target: ExternalSecretTarget): ExternalSecret {
  return new ExternalSecret(scope, id, {
    metadata: { name: target.name, namespace: target.namespace },
    spec: {
      refreshInterval: goDuration(target.refreshInterval ?? Duration.hours(1)),
      secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, name: AWS_SECRET_STORE },
      target: {
        name: target.name,
        creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
        template: target.templateData === undefined ? undefined : {
          engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2,
          data: { [target.key]: `{{ .${target.key} }}`, ...target.templateData },
        },
      },
      data: [{ secretKey: target.key, remoteRef: { key: target.awsSecretName, property: target.key } }],
    },
  });
}
