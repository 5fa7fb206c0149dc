import { Construct } from 'constructs';
import { HelmComponent, Stage } from '../core/component';
import { JsonObject } from '../core/deep-merge';
import { PlatformDefinition } from '../core/platform-definition';
import { SYSTEM_NODE_TOLERATION } from '../core/scheduling';
import { checkDnsLabel } from '../core/validation';
import { ContainerImage, HelmChartVersion } from '../versions';

/** Default namespace of the Milvus operator. */
export const MILVUS_OPERATOR_NAMESPACE = 'milvus-operator';
/** Helm release (and so Deployment and ServiceAccount) name of the operator. */
export const MILVUS_OPERATOR_RELEASE = 'milvus-operator';
/** Labels of the operator's pods (`chart.selectorLabels` of release `milvus-operator`). */
export const MILVUS_OPERATOR_POD_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/name': 'milvus-operator',
  'app.kubernetes.io/instance': MILVUS_OPERATOR_RELEASE,
};

/** Options of the Milvus operator. */
export interface MilvusOperatorOptions {
  /** Namespace. @default 'milvus-operator' */
  readonly namespace?: string;
  /** The chart. @default HelmChartVersion.MILVUS_OPERATOR */
  readonly chart?: HelmChartVersion;
  /** Controller image. @default ContainerImage.MILVUS_OPERATOR */
  readonly image?: ContainerImage;
  /**
   * A ServiceMonitor for the operator's own metrics (`monitoringEnabled`). Needs the Prometheus operator CRDs, which
   * every platform installs first.
   * @default true
   */
  readonly monitoring?: boolean;
  /** Raw chart values deep-merged after the computed ones (escape hatch). @default - none */
  readonly values?: JsonObject;
}

/** Props of {@link MilvusOperator}. */
export interface MilvusOperatorProps extends MilvusOperatorOptions {
  /** The platform's Kubernetes-side definition. */
  readonly definition: PlatformDefinition;
}

/**
 * The Milvus operator (Helm chart `milvus-operator`, pinned), stage CONTROLLERS, on the system node group. It owns
 * the `milvus.io` CRDs (`installCRDs`, rendered from its templates), keeps its bundled cert-manager v1.5.3 and its
 * admission webhook off (cert-manager, if any, is installed separately), and deploys each `Milvus` and the in-cluster
 * dependencies it asks for (etcd, Pulsar, Kafka) with Helm charts built into its image.
 */
export class MilvusOperator extends Construct {
  /** The chart. */
  public readonly chart: HelmComponent;
  /** Namespace of the operator. */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: MilvusOperatorProps) {
    super(scope, id);
    const ns = props.namespace ?? MILVUS_OPERATOR_NAMESPACE;
    checkDnsLabel('namespace', ns);
    this.namespace = ns;
    const image = props.image ?? ContainerImage.MILVUS_OPERATOR;
    const monitoring = props.monitoring ?? true;
    this.chart = new HelmComponent(props.definition, 'MilvusOperator', {
      name: 'milvus-operator',
      namespace: ns,
      releaseName: MILVUS_OPERATOR_RELEASE,
      stage: Stage.CONTROLLERS,
      description: 'Milvus operator: milvus.io CRDs and the controller that deploys Milvus vector stores and their etcd',
      chart: props.chart ?? HelmChartVersion.MILVUS_OPERATOR,
      values: { render: () => ({
        image: { repository: image.repository, tag: image.tag },
        installCRDs: true,
        enableWebhook: false,
        'cert-manager': { enabled: false },
        monitoringEnabled: monitoring,
        tolerations: [SYSTEM_NODE_TOLERATION],
      }) },
      valueOverrides: props.values,
    });
  }
}
