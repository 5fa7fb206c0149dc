import { addInClusterPostgres, POSTGRES_PORT, RESTRICTED_CONTAINER } from '../../core/private/postgres';
import { acknowledgeNagFindings, NagFindingRule } from '../../core/nag-acknowledgements';
import { RemovalPolicy, Size, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { k8s } from 'cdk8s-plus-34';
import { Construct } from 'constructs';
import { HttpRoute } from '../../../imports/gateway-api-httproute-gateway.networking.k8s.io';
import { ServiceMonitor } from '../../../imports/prometheus-servicemonitor-monitoring.coreos.com';
import { PodIdentityRole } from '../../cluster/pod-identity';
import { KubernetesComponent, Stage } from '../../core/component';
import { PlatformDefinition } from '../../core/platform-definition';
import { check, checkDnsLabel, checkLiteral } from '../../core/validation';
import { PlatformGateway } from '../../gateway/platform-gateway';
import { FlowPeer, FlowPort } from '../../network/flow';
import { NetworkFlows } from '../../network/network-flows';
import { ExternalSecrets } from '../../secrets/external-secrets';
import { ContainerImage } from '../../versions';

/** Port of the MLflow tracking server. */
export const MLFLOW_PORT = 5000;
const APP = 'app.kubernetes.io/name';
const COMPONENT = 'app.kubernetes.io/component';

/** A route to MLflow through the platform's Gateway. */
export interface MlflowRoute {
  /** The Gateway. */
  readonly gateway: PlatformGateway;
  /** Host name the UI and API answer on (also added to `--allowed-hosts`). */
  readonly hostname: string;
}

/** Options of {@link MlflowTrackingServer}. */
export interface MlflowOptions {
  /** Namespace. @default 'mlflow' */
  readonly namespace?: string;
  /** Image; needs psycopg2 and boto3. @default ContainerImage.MLFLOW (`-full` build) */
  readonly image?: ContainerImage;
  /**
   * Name of the S3 bucket created for artifacts (retained when the stack is deleted). A literal, since the manifests
   * name it and the GitOps rendering allows no CloudFormation token.
   * @default '<clusterName>-mlflow-artifacts-<region>'
   */
  readonly artifactBucketName?: string;
  /** Size of the in-cluster PostgreSQL volume. @default Size.gibibytes(20) */
  readonly databaseStorage?: Size;
  /** Route through the platform Gateway. @default - in-cluster only (`http://mlflow.<namespace>.svc:5000`) */
  readonly route?: MlflowRoute;
  /**
   * Expose Prometheus metrics (`--expose-prometheus`) and add a ServiceMonitor. UNCERTAIN: needs
   * `prometheus-flask-exporter` (extra `mlflow[prometheus]`) in the image.
   * @default false
   */
  readonly metrics?: boolean;
}

/** Props of {@link MlflowTrackingServer}. */
export interface MlflowProps extends MlflowOptions {
  /** The platform's Kubernetes-side definition. */
  readonly definition: PlatformDefinition;
  /** The cluster (Pod Identity association). */
  readonly cluster: eks.Cluster;
  /** External Secrets: the database password is generated in AWS Secrets Manager. */
  readonly secrets: ExternalSecrets;
}


/**
 * The MLflow tracking server as the library's own Deployment (the community chart does not render as vendored):
 * `mlflow server` from the pinned `-full` image with a PostgreSQL backend store (in-cluster StatefulSet, password
 * generated in AWS Secrets Manager), artifacts proxied to S3 (`--serve-artifacts`, bucket created and retained, access
 * through EKS Pod Identity for ServiceAccount `mlflow`), `--allowed-hosts` set, probes, Service
 * `http://mlflow.<namespace>.svc:5000`, an optional ServiceMonitor and an optional HTTPRoute through the Gateway.
 * Team workloads may reach it (network flow `teams-to-mlflow`).
 */
export class MlflowTrackingServer extends Construct {
  /** The component. */
  public readonly component: KubernetesComponent;
  /** Namespace. */
  public readonly namespace: string;
  /** In-cluster URL (`MLFLOW_TRACKING_URI` of training jobs). */
  public readonly url: string;
  /** The artifact bucket. */
  public readonly bucket: s3.Bucket;
  /** Pod Identity role of the server. */
  public readonly identity: PodIdentityRole;
  /** Host names MLflow accepts (`--allowed-hosts`). */
  public readonly allowedHosts: string[];

  constructor(scope: Construct, id: string, props: MlflowProps) {
    super(scope, id);
    const ns = props.namespace ?? 'mlflow';
    checkDnsLabel('namespace', ns);
    const definition = props.definition;
    const bucketName = props.artifactBucketName ?? `${definition.clusterName.toLowerCase()}-mlflow-artifacts-${definition.region}`;
    checkLiteral('artifactBucketName', bucketName);
    check(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucketName) && !bucketName.includes('..'),
      `'artifactBucketName' (${bucketName}) must be an S3 bucket name: 3-63 lower-case letters, digits, '.' or '-'`);
    const storage = props.databaseStorage ?? Size.gibibytes(20);
    const storageGib = storage.toGibibytes({ rounding: 1 });
    check(storageGib >= 1, `'databaseStorage' (${storageGib}Gi) of MLflow must be at least 1Gi`);
    if (props.route !== undefined) {
      check(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/.test(props.route.hostname),
        `'route.hostname' (${props.route.hostname}) of MLflow must be a DNS name such as mlflow.example.com`);
    }
    const image = props.image ?? ContainerImage.MLFLOW;
    this.namespace = ns;
    this.url = `http://mlflow.${ns}.svc:${MLFLOW_PORT}`;
    const service = `mlflow.${ns}.svc`;
    this.allowedHosts = ['localhost', 'mlflow', service, `${service}.cluster.local`, ...(props.route ? [props.route.hostname] : [])]
      .flatMap((h) => [h, `${h}:${MLFLOW_PORT}`]);

    // ---- AWS side
    this.bucket = new s3.Bucket(this, 'Artifacts', {
      bucketName,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: false,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'MLflow artifact store reached only through the tracking server role; S3 server access logging is left to the operator (a log bucket per platform)',
    });
    this.identity = new PodIdentityRole(this, 'Identity', {
      cluster: props.cluster,
      namespace: ns,
      serviceAccount: 'mlflow',
      description: `MLflow tracking server of EKS cluster ${definition.clusterName}: artifacts in s3://${bucketName}`,
    });
    this.identity.addToPolicy(new iam.PolicyStatement({
      sid: 'ListArtifacts', actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: [this.bucket.bucketArn],
    }));
    this.identity.addToPolicy(new iam.PolicyStatement({
      sid: 'ReadWriteArtifacts',
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      resources: [this.bucket.arnForObjects('mlflow/*')],
    }));
    // cdk-nag 3 matches findings by exact id (with the resolved bucket ARN): acknowledge each computed finding.
    acknowledgeNagFindings(this.identity, NagFindingRule.WILDCARDS,
      'MLflow writes one object per artifact under the mlflow/ prefix of its own bucket; the wildcard is the object key below that prefix');

    // ---- Kubernetes side
    this.component = new KubernetesComponent(definition, 'Mlflow', {
      name: 'mlflow',
      namespace: ns,
      stage: Stage.WORKLOADS,
      description: `MLflow tracking server at ${this.url} (PostgreSQL backend, artifacts in s3://${bucketName})`,
    });
    const c = this.component;
    c.addDependency(definition.ensureNamespace(ns), props.secrets.store);
    const password = props.secrets.addSecret('MlflowPostgresPassword', { consumer: c, namespace: ns, name: 'mlflow-postgres', key: 'password' });
    const labels = { [APP]: 'mlflow', [COMPONENT]: 'tracking-server' };
    const dbLabels = { [APP]: 'mlflow-postgres', [COMPONENT]: 'database' };

    const args = [
      'server',
      '--host', '0.0.0.0',
      '--port', `${MLFLOW_PORT}`,
      '--backend-store-uri', `postgresql+psycopg2://mlflow:$(DB_PASSWORD)@mlflow-postgres.${ns}.svc:${POSTGRES_PORT}/mlflow`,
      '--serve-artifacts',
      '--artifacts-destination', `s3://${bucketName}/mlflow`,
      '--allowed-hosts', this.allowedHosts.join(','),
      ...(props.metrics ? ['--expose-prometheus', '/tmp/prometheus'] : []),
    ];
    // Probes send Host: localhost, which --allowed-hosts admits (the kubelet would send the pod IP).
    const probe = (period: number, failures: number): k8s.Probe => ({
      httpGet: { path: '/health', port: k8s.IntOrString.fromString('http'), httpHeaders: [{ name: 'Host', value: 'localhost' }] },
      periodSeconds: period, failureThreshold: failures, timeoutSeconds: 5,
    });
    new k8s.KubeServiceAccount(c, 'ServiceAccount', { metadata: { name: 'mlflow', namespace: ns, labels } });
    new k8s.KubeDeployment(c, 'Deployment', {
      metadata: { name: 'mlflow', namespace: ns, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: 'mlflow',
            enableServiceLinks: false,
            securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
            containers: [{
              name: 'mlflow',
              image: image.uri,
              command: ['mlflow'],
              args,
              env: [
                { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: password.secretName, key: password.key } } },
                { name: 'AWS_REGION', value: definition.region },
                { name: 'HOME', value: '/tmp' },
              ],
              ports: [{ name: 'http', containerPort: MLFLOW_PORT, protocol: 'TCP' }],
              // Database migrations run at the first start.
              startupProbe: probe(10, 30),
              livenessProbe: probe(20, 3),
              readinessProbe: probe(10, 3),
              resources: {
                requests: { cpu: k8s.Quantity.fromString('500m'), memory: k8s.Quantity.fromString('1Gi') },
                limits: { memory: k8s.Quantity.fromString('2Gi') },
              },
              securityContext: { ...RESTRICTED_CONTAINER, readOnlyRootFilesystem: true },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            }],
            volumes: [{ name: 'tmp', emptyDir: {} }],
          },
        },
      },
    });
    new k8s.KubeService(c, 'Service', {
      metadata: { name: 'mlflow', namespace: ns, labels },
      spec: { selector: labels, ports: [{ name: 'http', port: MLFLOW_PORT, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' }] },
    });
    if (props.metrics) {
      new ServiceMonitor(c, 'ServiceMonitor', {
        metadata: { name: 'mlflow', namespace: ns, labels: { release: 'kube-prometheus-stack' } },
        spec: { selector: { matchLabels: labels }, endpoints: [{ port: 'http', path: '/metrics', interval: '30s' }] },
      });
    }

    addInClusterPostgres(c, {
      namespace: ns,
      name: 'mlflow-postgres',
      database: 'mlflow',
      labels: dbLabels,
      password: { secretName: password.secretName, key: password.key },
      storageGib,
    });

    if (props.route !== undefined) {
      const gw = props.route.gateway;
      new HttpRoute(c, 'Route', {
        metadata: { name: 'mlflow', namespace: ns },
        spec: {
          parentRefs: [{ name: gw.gatewayName, namespace: gw.namespace }],
          hostnames: [props.route.hostname],
          rules: [{ backendRefs: [{ name: 'mlflow', port: MLFLOW_PORT }] }],
        },
      });
    }

    // ---- network flows
    const flows = NetworkFlows.of(definition);
    const server = FlowPeer.pods(ns, labels);
    flows.allow({ name: 'teams-to-mlflow', from: FlowPeer.teams(), to: server, ports: [FlowPort.tcp(MLFLOW_PORT)],
      description: 'training jobs of the teams log runs, metrics and artifacts to MLflow' });
    flows.allow({ name: 'mlflow-to-postgres', from: server, to: FlowPeer.pods(ns, dbLabels), ports: [FlowPort.tcp(POSTGRES_PORT)],
      description: 'MLflow keeps runs and metrics in PostgreSQL' });
    flows.allow({ name: 'mlflow-to-s3', from: server, to: FlowPeer.internet(), ports: [FlowPort.tcp(443)],
      description: `MLflow stores artifacts in s3://${bucketName}` });
    flows.allow({ name: 'mlflow-pod-identity', from: server, to: FlowPeer.podIdentityAgent(),
      description: 'MLflow gets the credentials of its S3 role from the Pod Identity Agent' });
    if (props.metrics) {
      flows.allow({ name: 'monitoring-to-mlflow', from: FlowPeer.monitoring(), to: server, ports: [FlowPort.tcp(MLFLOW_PORT)],
        description: 'Prometheus scrapes MLflow metrics' });
    }
    if (props.route !== undefined) {
      flows.allow({ name: 'gateway-to-mlflow', from: FlowPeer.inNamespace(props.route.gateway.namespace), to: server,
        ports: [FlowPort.tcp(MLFLOW_PORT)], description: `Gateway '${props.route.gateway.gatewayName}' forwards ${props.route.hostname} to MLflow` });
    }
  }
}
