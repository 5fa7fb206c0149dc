import { createHash } from 'crypto';
import { k8s } from 'cdk8s-plus-34';
import { Construct } from 'constructs';
import { KubernetesComponent, Stage } from './component';
import { PlatformDefinition } from './platform-definition';
import { check, checkDnsLabel } from './validation';
import { ContainerImage } from '../versions';
import { FlowPeer } from '../network/flow';
import { NetworkFlows } from '../network/network-flows';

const UPSTREAM_MANIFESTS = Symbol.for('agentic-eks.UpstreamManifestsComponent');

/** Namespace of the Jobs that apply upstream manifests. */
export const UPSTREAM_MANIFESTS_NAMESPACE = 'agentic-eks-system';

/** Props of an upstream-manifests component. */
export interface UpstreamManifestsProps {
  /** Component name (DNS label). */
  readonly name: string;
  /** One line for dist/README.md. */
  readonly description: string;
  /**
   * HTTPS URLs of pinned upstream manifests (a release asset or a raw file at a tag): each must contain a version
   * (`v1.6.0`); `latest`, `main` and `master` are refused.
   */
  readonly urls: string[];
  /** Stage. @default Stage.CRDS */
  readonly stage?: Stage;
  /** kubectl image. @default ContainerImage.KUBECTL */
  readonly image?: ContainerImage;
}

/**
 * Manifests that upstream publishes only as release files (e.g. the Gateway API Inference Extension CRDs), applied
 * in both renderings by a Job that runs `kubectl apply --server-side` on the pinned URLs. The Job's name carries a
 * hash of the URLs, so a version bump runs a new Job. The CDK rendering waits for the Job to succeed
 * ({@link readiness}); Argo CD waits for it through the Job's health.
 */
export class UpstreamManifestsComponent extends KubernetesComponent {
  /** True when `x` is an {@link UpstreamManifestsComponent} (cdk8s Chart's own `instanceof` matches every chart). */
  public static isUpstreamManifests(x: unknown): x is UpstreamManifestsComponent {
    return typeof x === 'object' && x !== null && UPSTREAM_MANIFESTS in x;
  }

  /** Job name. */
  public readonly jobName: string;
  /** The pinned URLs. */
  public readonly urls: string[];

  constructor(scope: Construct, id: string, props: UpstreamManifestsProps) {
    super(scope, id, {
      name: props.name,
      namespace: UPSTREAM_MANIFESTS_NAMESPACE,
      stage: props.stage ?? Stage.CRDS,
      description: props.description,
    });
    checkDnsLabel('name', props.name);
    Object.defineProperty(this, UPSTREAM_MANIFESTS, { value: true });
    check(props.urls.length > 0, `upstream manifests '${props.name}' need at least one URL`);
    for (const url of props.urls) {
      check(/^https:\/\/[^\s]+$/.test(url), `manifest URL (${url}) of '${props.name}' must be an https:// URL`);
      check(/\/v?\d+\.\d+\.\d+[/-]/.test(url) && !/\/(latest|main|master)\//.test(url),
        `manifest URL (${url}) of '${props.name}' must be pinned to a release (…/v1.2.3/…), not latest or a branch`);
    }
    this.urls = [...props.urls];
    const hash = createHash('sha256').update(this.urls.join('\n')).digest('hex').slice(0, 8);
    this.jobName = `${props.name}-${hash}`.slice(0, 63);
    const image = props.image ?? ContainerImage.KUBECTL;
    const ns = UPSTREAM_MANIFESTS_NAMESPACE;
    const sa = `${props.name}-applier`;
    this.addDependency(PlatformDefinition.of(this).ensureNamespace(ns));
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: sa, namespace: ns } });
    new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: { name: sa },
      rules: [{ apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'list', 'create', 'patch', 'update'] }],
    });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: sa },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: sa },
      subjects: [{ kind: 'ServiceAccount', name: sa, namespace: ns }],
    });
    this.declareFlows(props.name);
    new k8s.KubeJob(this, 'Job', {
      metadata: { name: this.jobName, namespace: ns },
      spec: {
        backoffLimit: 6,
        template: {
          spec: {
            serviceAccountName: sa,
            restartPolicy: 'OnFailure',
            tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
            securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'apply',
              image: image.uri,
              args: ['apply', '--server-side', '--force-conflicts', ...this.urls.flatMap((u) => ['-f', u])],
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              resources: {
                requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') },
                limits: { memory: k8s.Quantity.fromString('256Mi') },
              },
            }],
          },
        },
      },
    });
  }

  /** The Job's pods reach the API server and download the pinned files. */
  private declareFlows(name: string): void {
    const flows = NetworkFlows.of(this);
    const pods = FlowPeer.pods(UPSTREAM_MANIFESTS_NAMESPACE, { 'batch.kubernetes.io/job-name': this.jobName });
    flows.allow({ name: `${name}-api-server`, from: pods, to: FlowPeer.apiServer(), description: `Job '${this.jobName}' applies manifests with kubectl` });
    flows.allow({ name: `${name}-downloads`, from: pods, to: FlowPeer.internet(), description: `Job '${this.jobName}' downloads ${this.urls.join(', ')}` });
  }

  /** What a rendering waits for before the next stage: the Job's `.status.succeeded`. */
  public get readiness(): { objectType: string; objectName: string; objectNamespace: string; jsonPath: string } {
    return { objectType: 'job', objectName: this.jobName, objectNamespace: UPSTREAM_MANIFESTS_NAMESPACE, jsonPath: '.status.succeeded' };
  }
}
