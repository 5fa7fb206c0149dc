import { k8s } from 'cdk8s-plus-34';
import { Construct } from 'constructs';
import { ContainerImage } from '../../versions';

/** PostgreSQL's port. */
export const POSTGRES_PORT = 5432;

/** The container security context of the library's own pods (restricted Pod Security profile). */
export const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** An in-cluster PostgreSQL for one application (LiteLLM, MLflow). */
export interface InClusterPostgresProps {
  /** Namespace. */
  readonly namespace: string;
  /** Name of the headless Service and the StatefulSet. */
  readonly name: string;
  /** Database and user name. */
  readonly database: string;
  /** Pod and Service labels (also the selector). */
  readonly labels: Record<string, string>;
  /** Secret and key holding the user's password. */
  readonly password: { readonly secretName: string; readonly key: string };
  /** Volume size in GiB. */
  readonly storageGib: number;
  /** StorageClass of the volume. @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
}

/**
 * A single-replica PostgreSQL StatefulSet (pinned `ContainerImage.POSTGRES`, uid 999 = `postgres` of the official
 * image, restricted security context, `pg_isready` probes, one ReadWriteOnce volume) behind a headless Service named
 * like it, added to `scope` as `PostgresService` and `Postgres`.
 */
export function addInClusterPostgres(scope: Construct, props: InClusterPostgresProps): void {
  const { namespace, name, database, labels } = props;
  const ready: k8s.Probe = { exec: { command: ['pg_isready', '-U', database, '-d', database] }, periodSeconds: 10, timeoutSeconds: 5 };
  new k8s.KubeService(scope, 'PostgresService', {
    metadata: { name, namespace, labels },
    spec: {
      clusterIp: 'None',
      selector: labels,
      ports: [{ name: 'postgres', port: POSTGRES_PORT, targetPort: k8s.IntOrString.fromString('postgres'), protocol: 'TCP' }],
    },
  });
  new k8s.KubeStatefulSet(scope, 'Postgres', {
    metadata: { name, namespace, labels },
    spec: {
      serviceName: name,
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          enableServiceLinks: false,
          // uid 999 is `postgres` in the official image; the entrypoint supports starting as that user.
          securityContext: { runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999 },
          containers: [{
            name: 'postgres',
            image: ContainerImage.POSTGRES.uri,
            env: [
              { name: 'POSTGRES_USER', value: database },
              { name: 'POSTGRES_DB', value: database },
              { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: props.password.secretName, key: props.password.key } } },
              { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
            ],
            ports: [{ name: 'postgres', containerPort: POSTGRES_PORT, protocol: 'TCP' }],
            readinessProbe: ready,
            livenessProbe: { ...ready, periodSeconds: 20, failureThreshold: 6 },
            resources: {
              requests: { cpu: k8s.Quantity.fromString('250m'), memory: k8s.Quantity.fromString('512Mi') },
              limits: { memory: k8s.Quantity.fromString('1Gi') },
            },
            securityContext: RESTRICTED_CONTAINER,
            volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
          }],
        },
      },
      volumeClaimTemplates: [{
        metadata: { name: 'data' },
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: props.storageClassName,
          resources: { requests: { storage: k8s.Quantity.fromString(`${props.storageGib}Gi`) } },
        },
      }],
    },
  });
}
