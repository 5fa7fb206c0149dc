import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeNagFindings, NagFindingRule } from '../core/nag-acknowledgements';
import { PlatformSecret, PlatformSecretOptions, externalSecretFor } from './platform-secret';
import { checkDnsLabel, checkDnsSubdomain } from '../core/validation';
import { ClusterSecretStore, ClusterSecretStoreSpecProviderAwsService } from '../../imports/eso-clustersecretstore-external-secrets.io';
import { PodIdentityRole } from '../cluster/pod-identity';
import { HelmComponent, KubernetesComponent, Stage } from '../core/component';
import { JsonObject } from '../core/deep-merge';
import { PlatformDefinition } from '../core/platform-definition';
import { HelmChartVersion } from '../versions';
import { SYSTEM_NODE_TOLERATION } from '../core/scheduling';

/** Namespace of the External Secrets Operator. */
export const EXTERNAL_SECRETS_NAMESPACE = 'external-secrets';
/** ServiceAccount of the operator's controller (chart default for release `external-secrets`). */
export const EXTERNAL_SECRETS_SERVICE_ACCOUNT = 'external-secrets';
/** Name of the ClusterSecretStore that reads AWS Secrets Manager. */
export const AWS_SECRET_STORE = 'aws-secrets-manager';

/** Options of the secrets layer. */
export interface ExternalSecretsOptions {
  /** The operator's chart. @default HelmChartVersion.EXTERNAL_SECRETS */
  readonly chart?: HelmChartVersion;
  /** Raw chart values deep-merged after the computed ones (escape hatch). @default - none */
  readonly values?: JsonObject;
}

/** Props of the secrets layer. */
export interface ExternalSecretsProps extends ExternalSecretsOptions {
  /** The cluster. */
  readonly cluster: eks.Cluster;
  /** The platform's Kubernetes-side definition. */
  readonly definition: PlatformDefinition;
}

/**
 * Secrets without secret values in code or manifests: External Secrets Operator, reaching AWS Secrets Manager
 * through EKS Pod Identity, with a `ClusterSecretStore`. Its role may read only secrets whose name starts with
 * `<cluster>/`, the prefix every {@link PlatformSecret} uses.
 */
export class ExternalSecrets extends Construct {
  /** The operator's Pod Identity role. */
  public readonly identity: PodIdentityRole;
  /** The operator chart. */
  public readonly operator: HelmComponent;
  /** The component holding the ClusterSecretStore. */
  public readonly store: KubernetesComponent;
  /** Name prefix of the secrets the operator may read. */
  public readonly secretNamePrefix: string;
  private readonly definition: PlatformDefinition;

  constructor(scope: Construct, id: string, props: ExternalSecretsProps) {
    super(scope, id);
    this.definition = props.definition;
    const clusterName = props.definition.clusterName;
    this.secretNamePrefix = `${clusterName}/`;
    this.identity = new PodIdentityRole(this, 'Identity', {
      cluster: props.cluster,
      namespace: EXTERNAL_SECRETS_NAMESPACE,
      serviceAccount: EXTERNAL_SECRETS_SERVICE_ACCOUNT,
      description: `External Secrets Operator of EKS cluster ${clusterName}: reads ${this.secretNamePrefix}* secrets`,
    });
    this.identity.addToPolicy(new iam.PolicyStatement({
      sid: 'ReadPlatformSecrets',
      actions: [
        'secretsmanager:GetResourcePolicy',
        'secretsmanager:GetSecretValue',
        'secretsmanager:DescribeSecret',
        'secretsmanager:ListSecretVersionIds',
      ],
      resources: [Stack.of(this).formatArn({
        service: 'secretsmanager',
        resource: 'secret',
        resourceName: `${this.secretNamePrefix}*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      })],
    }));

    acknowledgeNagFindings(this.identity, NagFindingRule.WILDCARDS,
       'External Secrets may read only the platform secrets, named <cluster>/...; the wildcard covers the prefix and the random suffix Secrets Manager appends');

    const system = { tolerations: [SYSTEM_NODE_TOLERATION] };
    this.operator = new HelmComponent(props.definition, 'ExternalSecretsOperator', {
      name: 'external-secrets',
      namespace: EXTERNAL_SECRETS_NAMESPACE,
      stage: Stage.CONTROLLERS,
      description: 'External Secrets Operator: materializes AWS Secrets Manager secrets as Kubernetes Secrets',
      chart: props.chart ?? HelmChartVersion.EXTERNAL_SECRETS,
      values: { render: () => ({
        installCRDs: true,
        serviceAccount: { create: true, name: EXTERNAL_SECRETS_SERVICE_ACCOUNT },
        ...system,
        webhook: { ...system },
        certController: { ...system },
      }) },
      valueOverrides: props.values,
    });

    this.store = new KubernetesComponent(props.definition, 'SecretStore', {
      name: 'secret-store',
      stage: Stage.CONFIGURATION,
      description: `ClusterSecretStore '${AWS_SECRET_STORE}' for AWS Secrets Manager in ${props.definition.region}`,
    });
    this.store.addDependency(this.operator);
    new ClusterSecretStore(this.store, 'Resource', {
      metadata: { name: AWS_SECRET_STORE },
      spec: {
        provider: {
          aws: { service: ClusterSecretStoreSpecProviderAwsService.SECRETS_MANAGER, region: props.definition.region },
        },
      },
    });
  }

  /**
   * Adds a secret: generated in AWS Secrets Manager under `<cluster>/<namespace>/<name>`, materialized in the
   * cluster by an `ExternalSecret` in `options.scope` (a construct inside a {@link KubernetesComponent}).
   */
  public addSecret(id: string, options: PlatformSecretOptions): PlatformSecret {
    return new PlatformSecret(this, id, { ...options, store: this, clusterName: this.definition.clusterName });
  }

  /**
   * Materializes a secret whose value the operator stores in AWS Secrets Manager (an API key, a Hugging Face token):
   * only the `ExternalSecret` is created, reading JSON property `key` of the AWS secret `<cluster>/<namespace>/<name>`
   * (inside the prefix the operator may read). Create that AWS secret before the workload starts.
   * @returns the AWS secret name the operator must create
   */
  public referenceSecret(scope: Construct, id: string, target: SecretKeyTarget): string {
    checkDnsLabel('namespace', target.namespace);
    checkDnsSubdomain('name', target.name);
    const awsSecretName = `${this.secretNamePrefix}${target.namespace}/${target.name}`;
    externalSecretFor(scope, id, { ...target, awsSecretName });
    return awsSecretName;
  }
}

/** A key of a Kubernetes Secret by namespace and name. */
export interface SecretKeyTarget {
  /** Namespace of the Secret. */
  readonly namespace: string;
  /** Name of the Secret (a DNS subdomain). */
  readonly name: string;
  /** The key (also the JSON property of the AWS secret). */
  readonly key: string;
}
