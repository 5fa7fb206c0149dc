/**
 * Every Helm component of the tested platforms, rendered with the real pinned chart (`../shared/charts`) and the
 * values the library computes, as `helm template` would at install time. A component fails when its chart version
 * is not vendored or not published, when helm fails, when a rendered object is not valid against its schema
 * (unknown fields included, kinds without a stored schema included), or when the values carry a key the chart does
 * not know.
 */
import {
  argoCdValues, ContainerImage, Delivery, DeviceManagement, DevicePluginProvider, GatewayImplementation, GpuModel, HelmChartVersion,
  HelmComponent, KubernetesComponent, LangfuseVersion, ModelSpec, PlatformStack, resolveGitOpsOptions,
} from '../../lib';
import { expectValidK8sObjects, SCHEMAS_DIR } from '../k8s-schema';
import { addGeneralPool, examplePlatform, testPlatform } from '../util';
import { platformApiVersions } from './api-versions';
import { chartDefaults, FreeFormPath, unknownValueKeys } from './chart-values';
import {
  CHARTS_AVAILABLE, CHARTS_DIR, chartFolder, chartSourceProblem, EXPECTED_HELM_VERSION, helm, RenderableHelmComponent,
  renderHelmComponent,
} from './helm';

/**
 * Pinned chart versions known not to be vendored. Each is a test that the gap is still real (the folder is absent),
 * so vendoring the chart forces its removal from this list and a real render.
 */
const KNOWN_GAPS: ReadonlyArray<{ chart: string; version: string; reason: string }> = [
  {
    chart: 'kgateway', version: 'v2.4.3',
    reason: 'not vendored: the stored kgateway-dev/kgateway snapshots have no v2.4.x tag (SOURCES.md, re-checked 2026-12-02)',
  },
  {
    chart: 'kgateway-crds', version: 'v2.4.3',
    reason: 'not vendored: the stored kgateway-dev/kgateway snapshots have no v2.4.x tag (SOURCES.md, re-checked 2026-12-02)',
  },
];

/**
 * Pinned chart versions that are vendored but whose publication could not be verified here (SOURCES.md "published"
 * says UNCERTAIN or unknown, never `no`): they are rendered and validated like every chart, and each entry says why
 * the pin stands. A version marked `no` always fails.
 */
const UNVERIFIED_PUBLICATION: ReadonlyArray<{ chart: string; version: string; reason: string }> = [
  {
    chart: 'clickhouse-operator-helm', version: '0.0.5',
    reason: 'the version Langfuse 2.0.0 documents; its OCI registry (ghcr.io) cannot be listed here, and the vendored copy is upstream main (SOURCES.md)',
  },
];

/**
 * Value paths under which the chart accepts any key although its default there is not an empty map, by chart name.
 * Each entry says where the chart reads the map.
 */
const FREE_FORM: Readonly<Record<string, readonly FreeFormPath[]>> = {
  'argo-cd': [
    { path: 'configs.cm', reason: 'values.yaml: "Any values you put under `.configs.cm` are passed to argocd-cm ConfigMap"' },
  ],
  'kagent': [
    { path: 'kmcp.image.tag', reason: 'charts/kmcp/values.yaml documents image.tag in a comment ("Overrides the image tag whose default is the chart\'s appVersion"); templates/_helpers.tpl kmcp.image reads .Values.image.tag' },
  ],
  'dra-driver-nvidia-gpu': [
    { path: 'controller.affinity', reason: 'a Kubernetes Affinity, written as is into the controller Deployment (templates/controller.yaml `with .Values.controller.affinity`)' },
    { path: 'kubeletPlugin.affinity', reason: 'a Kubernetes Affinity, written as is into the kubelet-plugin DaemonSet' },
  ],
};

/**
 * The platforms whose Helm components are rendered: the example (agentgateway, GPU Operator, EFA, a DRA pool,
 * Langfuse v4, the collector, monitoring), and test platforms that switch options.
 */
const PLATFORMS: ReadonlyArray<[string, () => PlatformStack]> = [
  ['example', () => examplePlatform(Delivery.CDK)],
  ['kgateway', () => {
    const platform = testPlatform({ gateway: { implementation: GatewayImplementation.KGATEWAY } });
    const pool = platform.gpu.addNodePool('l40s', { gpus: [GpuModel.L40S], limits: { gpus: 8 } });
    const model = platform.serving.addModel('Llama', { name: 'llama', spec: ModelSpec.LLAMA_3_1_8B, pools: [pool] });
    platform.gateway.routeModel('Llama', model);
    return platform;
  }],
  ['langfuse-v3', () => {
    const platform = testPlatform();
    platform.observability.addMonitoring();
    platform.observability.addLangfuse({ version: LangfuseVersion.V3, initialization: { organization: 'Test', project: 'test' } });
    platform.observability.addOtelCollector();
    return platform;
  }],
  ['standalone-device-plugin', () => {
    const platform = testPlatform({ gpu: { devicePlugin: DevicePluginProvider.STANDALONE, timeSlicing: { 'shared-4': 4 } } });
    platform.gpu.addNodePool('l40s', { gpus: [GpuModel.L40S], limits: { gpus: 8 } });
    platform.gpu.addNodePool('shared', { gpus: [GpuModel.L40S], limits: { gpus: 8 }, timeSlicingConfig: 'shared-4' });
    return platform;
  }],
  ['training', () => {
    // Kueue, KubeRay and the FSx CSI driver (the example covers Kubeflow Trainer); an existing file system so the
    // manifests carry no CloudFormation token.
    const platform = testPlatform();
    addGeneralPool(platform);
    const pool = platform.gpu.addNodePool('h100', { instanceTypes: ['p5.48xlarge'], efa: true, placementGroupName: 'training-pg', limits: { gpus: 32 } });
    const team = platform.teams.add({ name: 'research', gpuQuota: 16 });
    const queue = platform.training.addKueue().addTeamQueue({ team, pools: [{ pool, gpus: 16 }] });
    const datasets = platform.training.addLustreFileSystem('Datasets', {
      name: 'datasets', namespace: team.namespace,
      existing: { fileSystemId: 'fs-0123456789abcdef0', dnsName: 'fs-0123456789abcdef0.fsx.us-west-2.amazonaws.com', mountName: 'abcdefgh' },
    });
    platform.training.addRayJob('Finetune', {
      queue: queue.defaultQueue, name: 'finetune', pool, workers: 1, rayVersion: '2.49.0', entrypoint: 'python /mnt/data/finetune.py',
      image: ContainerImage.of({ repository: 'rayproject/ray', tag: '2.49.0-py311-gpu', source: 'test', checked: '2026-12-02' }),
      volumes: [{ fileSystem: datasets, mountPath: '/mnt/data' }],
    });
    return platform;
  }],
  ['dra-pool', () => {
    const platform = testPlatform();
    platform.gpu.addNodePool('a100', { instanceTypes: ['p4de.24xlarge'], deviceManagement: DeviceManagement.DRA, replicas: 1, limits: { gpus: 8 } });
    return platform;
  }],
];

/** `<chart> <version>` of every component checked. */
const covered = new Set<string>();

interface Checked {
  readonly title: string;
  readonly problems: string[];
}

/** The CustomResourceDefinitions among objects. */
function crdsOf(objs: readonly unknown[]): Record<string, unknown>[] {
  return objs.filter((o): o is Record<string, unknown> =>
    typeof o === 'object' && o !== null && (o as { kind?: unknown }).kind === 'CustomResourceDefinition');
}

/**
 * Renders one component and collects every problem, so one failure message says all that is wrong. Custom resources
 * are validated against the CRDs the chart itself renders, then those `installed` by earlier components, then the
 * stored schemas.
 */
function check(
  component: RenderableHelmComponent, kubernetesVersion: string, apiVersions: string[], installed: readonly unknown[],
): { count?: number; crds: unknown[]; problems: string[] } {
  const { chart, version } = component.chart;
  const problems: string[] = [];
  const source = chartSourceProblem(chart, version);
  const unverified = UNVERIFIED_PUBLICATION.find((u) => u.chart === chart && u.version === version);
  const waived = source !== undefined && unverified !== undefined && chartFolder(chart, version) !== undefined
    && /published": (UNCERTAIN|unknown)/.test(source);
  if (source && !waived) problems.push(source);
  const dir = chartFolder(chart, version);
  if (!dir) return { crds: [], problems };

  let count: number | undefined;
  let crds: unknown[] = [];
  try {
    const objs = renderHelmComponent(component, kubernetesVersion, { apiVersions });
    count = objs.length;
    crds = crdsOf(objs);
    try {
      expectValidK8sObjects(objs, [...crds, ...installed]);
    } catch (e) {
      const message = (e as Error).message;
      const missing = [...new Set([...message.matchAll(/: no schema for (\S+ \S+)/g)].map((m) => m[1]))];
      problems.push(message + (missing.length > 0
        ? `\n  kinds with no schema (none stored in ${SCHEMAS_DIR}, no CRD installed by the platform), NOT validated: ${missing.join(', ')}`
        : ''));
    }
  } catch (e) {
    problems.push(`helm template failed:\n  ${(e as Error).message.split('\n').join('\n  ')}`);
  }

  try {
    const unknown = unknownValueKeys(component.values() as Record<string, unknown>, chartDefaults(dir), FREE_FORM[chart] ?? []);
    if (unknown.length > 0) {
      problems.push(`${unknown.length} values key(s) unknown to ${chart} ${version} (not in its values.yaml nor schema):\n  ${unknown.join('\n  ')}`);
    }
  } catch (e) {
    problems.push(`cannot read the defaults of ${dir}: ${(e as Error).message}`);
  }
  return { count, crds, problems };
}

function checkPlatform(name: string, platform: PlatformStack): Checked[] {
  const kubernetesVersion = platform.definition.kubernetesVersion;
  const components = platform.definition.components;
  const apiVersions = platformApiVersions(components);
  const ordered: Array<RenderableHelmComponent | KubernetesComponent> = components
    .filter((c) => HelmComponent.isHelmComponent(c) || KubernetesComponent.isKubernetesComponent(c)) as Array<HelmComponent | KubernetesComponent>;
  if (platform.gitOps !== undefined && name === 'example') {
    // The GitOps rendering installs Argo CD through cdk deploy with these values.
    ordered.push({
      chart: HelmChartVersion.ARGO_CD, releaseName: 'argo-cd', namespace: resolveGitOpsOptions(platform.gitOps).argoCdNamespace,
      includesCrds: true, values: argoCdValues,
    });
  }
  const out: Checked[] = [];
  /** CRDs applied by the components before the current one. */
  const installed: unknown[] = [];
  for (const c of ordered) {
    if (KubernetesComponent.isKubernetesComponent(c)) {
      installed.push(...crdsOf(c.toJson()));
      continue;
    }
    const { chart, version } = c.chart;
    covered.add(`${chart} ${version}`);
    const gap = KNOWN_GAPS.find((g) => g.chart === chart && g.version === version);
    if (gap) {
      const folder = chartFolder(chart, version);
      out.push({
        title: `${name}: ${chart} ${version} is a known gap (${gap.reason}); the chart is still not vendored`,
        problems: folder ? [`${folder} exists now: remove ${chart} ${version} from KNOWN_GAPS so that it is rendered`] : [],
      });
      continue;
    }
    const { count, crds, problems } = check(c, kubernetesVersion, apiVersions, installed);
    installed.unshift(...crds);
    out.push({
      title: `${name}: ${chart} ${version} renders with the library's values; ${count ?? '?'} objects valid; no unknown keys` +
        (UNVERIFIED_PUBLICATION.some((u) => u.chart === chart && u.version === version) ? ' (publication unverified, listed)' : ''),
      problems,
    });
  }
  return out;
}

if (!CHARTS_AVAILABLE) {
  console.warn(`SKIPPED "Helm chart renders": vendored charts not found at ${CHARTS_DIR}; Helm values are NOT checked against the charts`);
}
(CHARTS_AVAILABLE ? describe : describe.skip)('Helm chart renders', () => {
  test(`helm is ${EXPECTED_HELM_VERSION} (the binary of the kubectl layer that cdk deploy uses)`, () => {
    expect(helm(['version', '--template', '{{.Version}}']).trim()).toBe(EXPECTED_HELM_VERSION);
  });

  if (!CHARTS_AVAILABLE) return;
  for (const [name, build] of PLATFORMS) {
    describe(name, () => {
      const checked = checkPlatform(name, build());
      for (const { title, problems } of checked) {
        test(title, () => {
          if (problems.length > 0) throw new Error(`${title}\n- ${problems.join('\n- ')}`);
        });
      }
    });
  }

  test('the platforms cover every chart of the catalog that a platform installs as a Helm component', () => {
    const expected = [
      HelmChartVersion.PROMETHEUS_OPERATOR_CRDS, HelmChartVersion.KARPENTER_CRD, HelmChartVersion.KARPENTER,
      HelmChartVersion.EXTERNAL_SECRETS, HelmChartVersion.KUBE_PROMETHEUS_STACK, HelmChartVersion.LANGFUSE_V3,
      HelmChartVersion.LANGFUSE_V4, HelmChartVersion.OPENTELEMETRY_COLLECTOR, HelmChartVersion.NVIDIA_GPU_OPERATOR,
      HelmChartVersion.NVIDIA_DEVICE_PLUGIN, HelmChartVersion.NVIDIA_DCGM_EXPORTER, HelmChartVersion.NVIDIA_DRA_DRIVER,
      HelmChartVersion.AWS_EFA_DEVICE_PLUGIN, HelmChartVersion.KEDA, HelmChartVersion.LWS, HelmChartVersion.AGENTGATEWAY_CRDS,
      HelmChartVersion.AGENTGATEWAY, HelmChartVersion.KGATEWAY_CRDS, HelmChartVersion.KGATEWAY, HelmChartVersion.ARGO_CD,
      HelmChartVersion.CERT_MANAGER, HelmChartVersion.CLICKHOUSE_OPERATOR, HelmChartVersion.KUBEFLOW_TRAINER, HelmChartVersion.KUEUE,
      HelmChartVersion.AWS_FSX_CSI_DRIVER, HelmChartVersion.KUBERAY_OPERATOR, HelmChartVersion.MILVUS_OPERATOR, HelmChartVersion.KAGENT_CRDS, HelmChartVersion.KAGENT,
    ].map((c) => `${c.chart} ${c.version}`);
    expect([...covered].sort()).toEqual(expect.arrayContaining(expected));
  });
});
