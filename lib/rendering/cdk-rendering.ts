import * as fs from 'fs';
import * as path from 'path';
import { Aspects, IAspect, Duration, NestedStack, Stack, Stage as CdkStage, attachCustomSynthesis } from 'aws-cdk-lib';
import * as cxschema from 'aws-cdk-lib/cloud-assembly-schema';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { App, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { addRootApplication } from './argocd-applications';
import { computePrerequisites, summarizePrerequisites } from '../checks/prerequisites';
import { ClusterModel } from '../checks/model';
import { PLATFORM_RULES } from '../checks/pack';
import { assertPlatformChecks } from '../checks/run';
import { Delivery, GitOpsOptions, resolveGitOpsOptions } from './gitops-options';
import { HelmComponent, IComponent, KubernetesComponent, Stage } from '../core/component';
import { CrdBundleComponent } from '../core/crd-bundle';
import { PlatformDefinition } from '../core/platform-definition';
import { PlatformReport } from '../report/platform-report';
import { check } from '../core/validation';
import { HelmChartVersion } from '../versions';
import { SYSTEM_NODE_TOLERATION } from '../core/scheduling';
import { writeManifestChart } from './private/manifest-chart';
import { prerenderedManifest } from './private/prerendered-manifest';
import { checkBudget, layoutStacks } from './private/stack-layout';
import { ComponentStacks } from './component-stacks';

/** Options of the CDK rendering. */
export interface CdkRenderingProps {
  /** The cluster the platform is applied to. */
  readonly cluster: eks.ICluster;
  /** The Kubernetes-side definition. */
  readonly definition: PlatformDefinition;
  /** How the platform reaches the cluster. */
  readonly delivery: Delivery;
  /** GitOps settings; required with {@link Delivery.GITOPS}. @default - none */
  readonly gitOps?: GitOpsOptions;
  /** Argo CD chart, installed with {@link Delivery.GITOPS}. @default HelmChartVersion.ARGO_CD */
  readonly argoCdChart?: HelmChartVersion;
  /** Constructs every applied chart and manifest must wait for (e.g. the system node group). @default - none */
  readonly waitFor?: IConstruct[];
  /** Which stacks hold the charts and manifests. @default ComponentStacks.nested() */
  readonly componentStacks?: ComponentStacks;
}

/** Namespace of the Helm release records of CRD bundles in the CDK rendering (the CRDs are cluster-scoped). */
const CRD_BUNDLE_RELEASE_NAMESPACE = 'kube-system';

/**
 * The CDK rendering: at synthesis (so components added after construction are included) it attaches every
 * component to the cluster, Helm components as `eks.HelmChart`, manifest components as `eks.KubernetesManifest` (what
 * `cluster.addCdk8sChart()` creates, with the objects the platform checks already rendered and the manifest written
 * once as JSON text, see `prerenderedManifest`) and CRD bundles as a local Helm chart asset, each depending on the
 * components it needs. By default the components live in nested stacks ({@link ComponentStacks.nested}), so no
 * template reaches CloudFormation's 1 MB and 500-resource limits; the cluster and its kubectl provider stay in the
 * parent stack. With GitOps delivery it installs Argo CD and the root Application, in the parent stack, instead.
 */
export class CdkRendering extends Construct {
  private readonly _attached = new Map<string, Construct>();
  private readonly _nestedStacks = new Map<string, NestedStack>();
  private rendered = false;
  private _checkedModel?: ClusterModel;
  private _report?: PlatformReport;

  /** What was attached, by component name (available after synthesis; a copy). */
  public get attached(): { [componentName: string]: Construct } {
    return Object.fromEntries(this._attached);
  }

  /** The nested stacks holding the components with {@link Delivery.CDK}, by construct id (available after synthesis; a copy). */
  public get nestedStacks(): { [id: string]: NestedStack } {
    return Object.fromEntries(this._nestedStacks);
  }

  constructor(scope: Construct, id: string, private readonly props: CdkRenderingProps) {
    super(scope, id);
    if (props.delivery === Delivery.GITOPS) {
      check(props.gitOps !== undefined,
        `'gitOps' must be set when 'delivery' is ${Delivery.GITOPS}: Argo CD needs the repository that holds the rendered directory`);
      resolveGitOpsOptions(props.gitOps);
    }
    const self = this;
    const aspect: IAspect = {
      visit(node: IConstruct) {
        if (node === Stack.of(self)) self.render();
      },
    };
    Aspects.of(Stack.of(this)).add(aspect, { priority: 100 });
    // The platform report goes into the cloud assembly beside the stack's template.
    attachCustomSynthesis(this, {
      onSynthesize(session) {
        const report = self._report;
        if (report === undefined) return;
        const [markdown, json] = self.reportFiles;
        fs.writeFileSync(path.join(session.outdir, markdown), report.toMarkdown());
        fs.writeFileSync(path.join(session.outdir, json), report.toJson());
      },
    });
  }

  /**
   * File names of the platform report in the cloud assembly (`cdk.out/`): `<stack artifact id>.report.md` and
   * `<stack artifact id>.report.json`, beside the stack's template.
   */
  public get reportFiles(): string[] {
    const id = Stack.of(this).artifactId;
    return [`${id}.report.md`, `${id}.report.json`];
  }

  /** The platform report this rendering wrote (undefined before `app.synth()`). */
  public get report(): PlatformReport | undefined {
    return this._report;
  }

  /**
   * The model of the cluster this rendering checked at synthesis (undefined before `app.synth()`). The GitOps rendering
   * of the same platform reuses it in the same process while the definition is unchanged.
   * @internal
   */
  public get _model(): ClusterModel | undefined {
    return this._checkedModel !== undefined && this._checkedModel.isCurrent() ? this._checkedModel : undefined;
  }

  private render(): void {
    if (this.rendered) return;
    this.rendered = true;
    const model = ClusterModel.of(this.props.definition);
    assertPlatformChecks(this.props.definition, PLATFORM_RULES, model);
    this._checkedModel = model;
    // One info message for `cdk synth` instead of one per model: the report's summary and the prerequisites. Without a
    // stack trace: the CLI would print a source location of the bundled app, which helps no one.
    const stack = Stack.of(this);
    this._report = PlatformReport.of(this.props.definition);
    const outdir = CdkStage.of(stack)?.outdir;
    const shown = this.reportFiles.map((f) => (outdir === undefined ? f : displayPath(path.join(outdir, f))));
    stack.node.addMetadata(cxschema.ArtifactMetadataEntryType.INFO, [
      this._report.summary(shown),
      summarizePrerequisites(computePrerequisites(this.props.definition, model)),
    ].join('\n'));
    if (this.props.delivery === Delivery.GITOPS) {
      this.renderGitOpsBootstrap();
    } else {
      const stacks = this.props.componentStacks ?? ComponentStacks.nested();
      if (stacks.isNested) {
        this.renderNested(this.props.definition.components, stacks.workloadStacks);
      } else {
        this.renderInParent(this.props.definition.components);
      }
    }
  }

  /** The objects of a manifest component, as the checks of this rendering read them (rendered once per synthesis). */
  private manifestsOf(c: IComponent): Record<string, unknown>[] {
    return this._checkedModel!.manifestsOf(c);
  }

  private helmChart(scope: Construct, id: string, c: HelmComponent): eks.HelmChart {
    return new eks.HelmChart(scope, id, {
      cluster: this.props.cluster,
      chart: c.chart.chart,
      repository: c.chart.isOci ? `${c.chart.repository}/${c.chart.chart}` : c.chart.repository,
      version: c.chart.version,
      release: c.releaseName,
      namespace: c.namespace,
      createNamespace: true,
      values: c.values(),
      // Helm's --skip-crds: the chart's `crds/` folder belongs to another component.
      ...(c.includesCrds ? {} : { skipCrds: true }),
      wait: true,
      timeout: Duration.minutes(15),
    });
  }

  /**
   * A CRD bundle as a local Helm chart uploaded as an S3 asset: CRDs are large (the Gateway API set alone is about
   * 900 KB of YAML) and `addCdk8sChart()` would inline them into the template (1 MB limit). Helm applies them from
   * `templates/`, so a new release of the bundle upgrades them, and `wait` returns once they are Established.
   */
  private crdBundleChart(scope: Construct, c: CrdBundleComponent): eks.HelmChart {
    const chartDir = writeManifestChart(c.componentName, c.description, this.manifestsOf(c));
    return new eks.HelmChart(scope, c.componentName, {
      cluster: this.props.cluster,
      chartAsset: new Asset(scope, `${c.componentName}-chart`, { path: chartDir }),
      release: c.componentName,
      namespace: CRD_BUNDLE_RELEASE_NAMESPACE,
      createNamespace: false,
      wait: true,
      timeout: Duration.minutes(10),
    });
  }

  /**
   * Attaches every component, in nested stacks (see {@link layoutStacks}): one per stage, the WORKLOADS stage in
   * `workloadStacks` parts, and components that depend on components of their own stage one level further. Each
   * nested stack waits for `waitFor` and for every nested stack of the previous non-empty stage (CRDs, controllers,
   * configuration, workloads), which is what Argo CD's sync waves do in the GitOps rendering: a custom resource is
   * never applied before the chart that installs its CRD. Dependencies between components are kept as they are;
   * across nested stacks CloudFormation applies them to the nested stacks.
   */
  private renderNested(components: IComponent[], workloadStacks: number): void {
    const chunks = layoutStacks(components, (stage) => (stage === Stage.WORKLOADS ? workloadStacks : 1));
    let previous: NestedStack[] = [];
    let current: NestedStack[] = [];
    let currentStage: Stage | undefined;
    for (const chunk of chunks) {
      if (chunk.stage !== currentStage) {
        if (current.length > 0) previous = current;
        current = [];
        currentStage = chunk.stage;
      }
      const manifests = new Map<IComponent, Record<string, unknown>[]>();
      for (const c of chunk.components) {
        // CRD bundles are chart assets: their manifests stay out of the template.
        if (KubernetesComponent.isKubernetesComponent(c) && !CrdBundleComponent.isCrdBundle(c)) manifests.set(c, this.manifestsOf(c));
      }
      checkBudget(chunk, manifests, workloadStacks);
      const nested = new NestedStack(this, chunk.id, {
        description: `agentic-eks: Kubernetes components of stage ${chunk.stage}${chunk.level > 0 ? `, level ${chunk.level}` : ''}`
          + `${chunk.stage === Stage.WORKLOADS && workloadStacks > 1 ? `, part ${chunk.part} of ${workloadStacks}` : ''}`,
      });
      for (const w of this.props.waitFor ?? []) nested.node.addDependency(w);
      for (const p of previous) nested.node.addDependency(p);
      for (const c of chunk.components) {
        let attached: Construct;
        if (HelmComponent.isHelmComponent(c)) {
          attached = this.helmChart(nested, c.componentName, c);
        } else if (CrdBundleComponent.isCrdBundle(c)) {
          attached = this.crdBundleChart(nested, c);
        } else {
          // What cluster.addCdk8sChart() does, in the nested stack instead of under the cluster, with the objects the
          // checks already rendered.
          attached = prerenderedManifest(nested, `k8s-${c.componentName}`, this.props.cluster, manifests.get(c)!);
        }
        for (const d of c.dependencies) {
          const dep = this._attached.get(d.componentName);
          if (dep) attached.node.addDependency(dep);
        }
        this._attached.set(c.componentName, attached);
      }
      this._nestedStacks.set(chunk.id, nested);
      current.push(nested);
    }
  }

  /**
   * Attaches every component in the parent stack, as releases before nested stacks did (same construct ids): Helm
   * charts under this construct, manifests where `cluster.addCdk8sChart()` puts them; each component waits for
   * `waitFor`, for every component of the previous non-empty stage and for its own dependencies.
   */
  private renderInParent(components: IComponent[]): void {
    const byStage = new Map<string, Construct[]>();
    let previous: Construct[] = [];
    let currentStage: string | undefined;
    for (const c of components) {
      if (c.stage !== currentStage) {
        if (currentStage !== undefined && (byStage.get(currentStage) ?? []).length > 0) previous = byStage.get(currentStage)!;
        currentStage = c.stage;
      }
      let attached: Construct;
      if (HelmComponent.isHelmComponent(c)) {
        attached = this.helmChart(this, c.componentName, c);
      } else if (CrdBundleComponent.isCrdBundle(c)) {
        attached = this.crdBundleChart(this, c);
      } else {
        // What cluster.addCdk8sChart() does (same scope and id), with the objects the checks already rendered.
        const cluster = this.props.cluster;
        if (!Construct.isConstruct(cluster)) throw new Error('the cluster of the CDK rendering must be a construct');
        attached = prerenderedManifest(cluster, `k8s-${c.componentName}`, cluster, this.manifestsOf(c));
      }
      for (const w of this.props.waitFor ?? []) attached.node.addDependency(w);
      for (const p of previous) attached.node.addDependency(p);
      byStage.set(c.stage, [...(byStage.get(c.stage) ?? []), attached]);
      for (const d of c.dependencies) {
        const dep = this._attached.get(d.componentName);
        if (dep) attached.node.addDependency(dep);
      }
      this._attached.set(c.componentName, attached);
    }
  }

  private renderGitOpsBootstrap(): void {
    const options = resolveGitOpsOptions(this.props.gitOps!);
    const chart = this.props.argoCdChart ?? HelmChartVersion.ARGO_CD;
    const argo = new eks.HelmChart(this, 'argo-cd', {
      cluster: this.props.cluster,
      chart: chart.chart,
      repository: chart.repository,
      version: chart.version,
      release: 'argo-cd',
      namespace: options.argoCdNamespace,
      createNamespace: true,
      values: argoCdValues(),
      wait: true,
      timeout: Duration.minutes(15),
    });
    for (const w of this.props.waitFor ?? []) argo.node.addDependency(w);
    const root = addRootApplication(new Chart(new App(), 'root', { disableResourceNameHashes: true }), options);
    const manifest = this.props.cluster.addManifest('platform-root', root.toJson());
    manifest.node.addDependency(argo);
    this._attached.set('argo-cd', argo);
    this._attached.set('platform-root', manifest);
  }
}

/**
 * Argo CD values: controllers on the system node group, and the Application health check that makes sync waves of
 * child Applications wait for their predecessors (Argo CD does not assess Application health by default).
 */
export function argoCdValues(): Record<string, unknown> {
  const system = {
    tolerations: [SYSTEM_NODE_TOLERATION],
  };
  return {
    global: system,
    configs: {
      cm: {
        'resource.customizations.health.argoproj.io_Application': [
          'hs = {}',
          'hs.status = "Progressing"',
          'hs.message = ""',
          'if obj.status ~= nil and obj.status.health ~= nil then',
          '  hs.status = obj.status.health.status',
          '  if obj.status.health.message ~= nil then hs.message = obj.status.health.message end',
          'end',
          'return hs',
        ].join('\n'),
      },
    },
  };
}

/** `path` relative to the working directory when it lies inside it, else as given. */
function displayPath(p: string): string {
  const relative = path.relative(process.cwd(), p);
  return relative.length > 0 && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : p;
}
