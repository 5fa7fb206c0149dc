import { Construct } from 'constructs';
import { HelmComponent, Stage } from '../core/component';
import { JsonObject } from '../core/deep-merge';
import { PlatformDefinition } from '../core/platform-definition';
import { SYSTEM_NODE_TOLERATION } from '../core/scheduling';
import { ContainerImage, HelmChartVersion } from '../versions';

/** Namespace of the Kubeflow Trainer controller (upstream's install default). */
export const TRAINER_NAMESPACE = 'kubeflow-system';

/** Options of the Kubeflow Trainer controller. */
export interface KubeflowTrainerOptions {
  /**
   * The pinned chart.
   * @default HelmChartVersion.KUBEFLOW_TRAINER
   */
  readonly chart?: HelmChartVersion;
  /**
   * Raw chart values deep-merged after the computed ones (escape hatch).
   * @default - none
   * @see https://github.com/kubeflow/trainer/blob/v2.3.0/charts/kubeflow-trainer/values.yaml
   */
  readonly values?: JsonObject;
}

/** Props of the Kubeflow Trainer controller. */
export interface KubeflowTrainerProps extends KubeflowTrainerOptions {
  /** The platform's Kubernetes-side definition the chart is added to. */
  readonly definition: PlatformDefinition;
}

/**
 * Kubeflow Trainer v2 (`kubeflow-trainer` chart, namespace `kubeflow-system`) with its JobSet sub-chart, on the system
 * nodes. It owns the TrainJob, TrainingRuntime and ClusterTrainingRuntime CRDs (chart templates, `crds.enabled`) and
 * the JobSet CRD (the sub-chart's `crds/`, installed because the component includes CRDs). The JobSet image is pinned
 * to the released {@link ContainerImage.JOBSET} (the chart in git carries a staging `main` image) and the
 * trainer image to the chart's appVersion. No built-in runtime is installed (`runtimes.defaultEnabled` false): the
 * training layer declares its own.
 */
export class KubeflowTrainer extends Construct {
  /** The `kubeflow-trainer` chart. */
  public readonly controller: HelmComponent;

  constructor(scope: Construct, id: string, props: KubeflowTrainerProps) {
    super(scope, id);
    const chart = props.chart ?? HelmChartVersion.KUBEFLOW_TRAINER;
    this.controller = new HelmComponent(props.definition, 'KubeflowTrainer', {
      name: 'kubeflow-trainer',
      namespace: TRAINER_NAMESPACE,
      stage: Stage.CONTROLLERS,
      description: 'Kubeflow Trainer v2: TrainJobs run as JobSets from training runtimes (with the JobSet controller)',
      chart,
      includesCrds: true,
      values: { render: () => ({
        crds: { enabled: true },
        image: { tag: `v${chart.version}` },
        manager: { tolerations: [SYSTEM_NODE_TOLERATION] },
        jobset: {
          install: true,
          image: { repository: ContainerImage.JOBSET.repository, tag: ContainerImage.JOBSET.tag, pullPolicy: 'IfNotPresent' },
          controller: { tolerations: [SYSTEM_NODE_TOLERATION] },
        },
        runtimes: { defaultEnabled: false },
        dataCache: { enabled: false },
      }) },
      valueOverrides: props.values,
    });
  }
}
