import { Construct } from 'constructs';
import { HelmComponent, Stage } from '../core/component';
import { JsonObject } from '../core/deep-merge';
import { PlatformDefinition } from '../core/platform-definition';
import { HelmChartVersion } from '../versions';
import { SYSTEM_NODE_TOLERATION } from '../core/scheduling';

/** Namespace of the LeaderWorkerSet controller (upstream's install default). */
export const LWS_NAMESPACE = 'lws-system';

/** Options of the LeaderWorkerSet controller. */
export interface LwsControllerOptions {
  /**
   * The pinned chart.
   * @default HelmChartVersion.LWS
   */
  readonly chart?: HelmChartVersion;
  /**
   * Raw chart values deep-merged after the computed ones (escape hatch), e.g. `enablePrometheus` or
   * `gangSchedulingManagement`.
   * @default - none
   * @see https://github.com/kubernetes-sigs/lws/blob/main/charts/lws/values.yaml
   */
  readonly values?: JsonObject;
}

/** Props of the LeaderWorkerSet controller. */
export interface LwsControllerProps extends LwsControllerOptions {
  /** The platform's Kubernetes-side definition the chart is added to. */
  readonly definition: PlatformDefinition;
}

/**
 * The LeaderWorkerSet controller (`lws` chart from `oci://registry.k8s.io/lws/charts`) in namespace `lws-system`,
 * on the system nodes (it tolerates `CriticalAddonsOnly`). Models served across several nodes run as
 * LeaderWorkerSets: one group of pods per replica, the leader serving the API.
 *
 * The chart carries the LeaderWorkerSet CRD (and DisaggregatedSet's). The LeaderWorkerSet CRD is larger than the
 * 256 KiB client-side apply allows in its last-applied annotation, so Argo CD must apply it server-side
 * (`ServerSideApply=true`, which the GitOps rendering sets on every Application); Helm, in the CDK rendering,
 * creates it without that annotation.
 */
export class LwsController extends Construct {
  /** The `lws` chart. */
  public readonly controller: HelmComponent;

  constructor(scope: Construct, id: string, props: LwsControllerProps) {
    super(scope, id);
    this.controller = new HelmComponent(props.definition, 'Lws', {
      name: 'lws',
      namespace: LWS_NAMESPACE,
      stage: Stage.CONTROLLERS,
      description: 'LeaderWorkerSet controller: multi-node model servers as groups of pods led by one',
      chart: props.chart ?? HelmChartVersion.LWS,
      includesCrds: true,
      values: { render: () => ({
        tolerations: [SYSTEM_NODE_TOLERATION],
      }) },
      valueOverrides: props.values,
    });
  }
}
