import { Construct } from 'constructs';
import { EFA_NODE_LABEL } from './labels';
import { GPU_TOLERATION } from './private/scheduling';
import { HelmComponent, Stage } from '../../core/component';
import { JsonObject } from '../../core/deep-merge';
import { PlatformDefinition } from '../../core/platform-definition';
import { check, isToken } from '../../core/validation';
import { HelmChartVersion } from '../../versions';

/** Options of the EFA device plugin. */
export interface EfaDevicePluginOptions {
  /**
   * The pinned chart.
   * @default HelmChartVersion.AWS_EFA_DEVICE_PLUGIN
   */
  readonly chart?: HelmChartVersion;
  /**
   * Node labels the plugin's nodes must carry (chart `nodeSelector`). The chart also keeps its own affinity to its
   * allow-list of EFA instance types (`supportedInstanceLabels`).
   * @default { 'agentic-eks.io/efa': 'true' }
   */
  readonly nodeSelector?: { readonly [key: string]: string };
  /**
   * Raw chart values deep-merged after the computed ones (escape hatch).
   * @default - none
   */
  readonly values?: JsonObject;
}

/** Props of the EFA device plugin. */
export interface EfaDevicePluginProps extends EfaDevicePluginOptions {
  /** The platform's Kubernetes-side definition the chart is added to. */
  readonly definition: PlatformDefinition;
}

/**
 * The AWS EFA device plugin (`vpc.amazonaws.com/efa`) in `kube-system`. EKS NVIDIA AMIs carry the EFA kernel
 * module and rdma-core but not the plugin. The chart tolerates no taint by default, so the GPU taint
 * (`nvidia.com/gpu`) is tolerated here.
 */
export class EfaDevicePlugin extends Construct {
  /** The `aws-efa-k8s-device-plugin` chart. */
  public readonly plugin: HelmComponent;

  constructor(scope: Construct, id: string, props: EfaDevicePluginProps) {
    super(scope, id);
    const nodeSelector = { ...(props.nodeSelector ?? { [EFA_NODE_LABEL]: 'true' }) };
    check(Object.keys(nodeSelector).length > 0,
      `'nodeSelector' of the EFA device plugin must not be empty: it would run on every node of the allow-listed instance types; select EFA nodes, e.g. { '${EFA_NODE_LABEL}': 'true' }`);
    for (const [key, value] of Object.entries(nodeSelector)) {
      check(!isToken(value),
        `'nodeSelector.${key}' must be a literal string, not a token: Kubernetes manifests of the GitOps rendering cannot carry CloudFormation tokens`);
    }

    this.plugin = new HelmComponent(props.definition, 'AwsEfaDevicePlugin', {
      name: 'aws-efa-k8s-device-plugin',
      namespace: 'kube-system',
      stage: Stage.CONTROLLERS,
      description: 'AWS EFA device plugin: advertises vpc.amazonaws.com/efa on EFA nodes',
      chart: props.chart ?? HelmChartVersion.AWS_EFA_DEVICE_PLUGIN,
      includesCrds: false,
      values: { render: () => ({
        nodeSelector: { ...nodeSelector },
        tolerations: [GPU_TOLERATION],
      }) },
      valueOverrides: props.values,
    });
  }
}
