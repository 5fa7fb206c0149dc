import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, NestedStack, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import {
  ComponentStacks, Cpu, Delivery, GpuModel, KubernetesComponent, ModelSpec, PlatformReport, PlatformStack, Stage,
} from '../../lib';
import { assemblyTemplates, findResource, nestedTemplates, testPlatform, waitsFor } from '../util';

describe('CDK rendering', () => {
  const platform = testPlatform();
  platform.karpenter.addNodePool('late', { limits: { cpu: Cpu.cores(8), memory: Size.gibibytes(32) } });
  const t = Template.fromStack(platform);
  const nested = nestedTemplates(platform);
  // Read every template now: later platforms of this file reuse the stack name 'Test' in the same cdk.out.
  assemblyTemplates(platform);
  const attached = (name: string): IConstruct => {
    const c = platform.rendering.attached[name];
    if (!c) throw new Error(`no component '${name}' attached`);
    return c;
  };

  test('components live in nested stacks, one per stage; dependents of their own stage one level up', () => {
    expect([...nested.keys()]).toEqual(['Crds', 'CrdsLevel1', 'Controllers', 'Configuration']);
    t.resourceCountIs('AWS::CloudFormation::Stack', 4);
    t.resourceCountIs('Custom::AWSCDK-EKS-HelmChart', 0);
    t.resourceCountIs('Custom::AWSCDK-EKS-KubernetesResource', 0);
    expect(Stack.of(attached('karpenter'))).toBe(platform.rendering.nestedStacks['Controllers']);
    expect(Stack.of(attached('network-policies'))).toBe(platform.rendering.nestedStacks['CrdsLevel1']);
  });

  test('nested charts and manifests use the parent cluster and its kubectl provider through parameters', () => {
    const chart = nested.get('Controllers')!.findResources('Custom::AWSCDK-EKS-HelmChart', { Properties: { Chart: 'karpenter' } });
    const props = Object.values(chart)[0].Properties;
    expect(props.ServiceToken).toEqual({ Ref: expect.stringMatching(/^referenceto/) });
    expect(props.ClusterName).toEqual({ Ref: expect.stringMatching(/^referenceto/) });
    const stack = Object.values(t.findResources('AWS::CloudFormation::Stack'))[0];
    expect(JSON.stringify(stack.Properties.Parameters)).toMatch(/"Fn::GetAtt":\["ClusterKubectlProviderframeworkonEvent[0-9A-F]{8}","Arn"\]/);
    expect(JSON.stringify(stack.Properties.Parameters)).toMatch(/"Ref":"Cluster[^"]*"/);
  });

  test('Helm components are installed with their pinned chart, namespace and values', () => {
    const karpenter = findResource(platform, 'Custom::AWSCDK-EKS-HelmChart', (p) => p.Chart === 'karpenter');
    expect(karpenter.Properties).toEqual(expect.objectContaining({
      Repository: 'oci://public.ecr.aws/karpenter/karpenter',
      Version: '1.14.1',
      Namespace: 'kube-system',
      Release: 'karpenter',
      CreateNamespace: true,
      Values: expect.stringContaining('"interruptionQueue":"test"'),
    }));
    expect(findResource(platform, 'Custom::AWSCDK-EKS-HelmChart', (p) => p.Chart === 'external-secrets').Properties)
      .toEqual(expect.objectContaining({ Repository: 'https://charts.external-secrets.io', Namespace: 'external-secrets' }));
  });

  test('includesCrds false installs the chart with SkipCrds; the owner of the CRDs installs them', () => {
    expect(findResource(platform, 'Custom::AWSCDK-EKS-HelmChart', (p) => p.Chart === 'karpenter').Properties!.SkipCrds).toBe(true);
    expect(findResource(platform, 'Custom::AWSCDK-EKS-HelmChart', (p) => p.Chart === 'karpenter-crd').Properties!.SkipCrds).toBeUndefined();
  });

  test('manifest components are applied, including objects added after construction', () => {
    nested.get('Configuration')!.hasResourceProperties('Custom::AWSCDK-EKS-KubernetesResource', {
      Manifest: Match.stringLikeRegexp('"kind":"NodePool","metadata":\\{"name":"late"'),
    });
  });

  test('controllers wait for their CRDs, custom resources wait for their controllers', () => {
    expect(waitsFor(attached('karpenter'), attached('karpenter-crd'))).toBe(true);
    expect(waitsFor(attached('karpenter-nodepools'), attached('karpenter'))).toBe(true);
    expect(waitsFor(attached('karpenter-crd'), attached('karpenter'))).toBe(false);
  });

  test('charts wait for the system node group and the Pod Identity associations', () => {
    expect(waitsFor(attached('karpenter'), platform.platformCluster.systemNodeGroup)).toBe(true);
    expect(waitsFor(attached('karpenter'), platform.karpenter.controllerRole.association)).toBe(true);
    expect(waitsFor(attached('karpenter'), platform.secrets.identity.association)).toBe(true);
  });

  test('the Prometheus operator CRDs are installed first (stage CRDS)', () => {
    nested.get('Crds')!.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', {
      Chart: 'prometheus-operator-crds', Repository: 'https://prometheus-community.github.io/helm-charts', Namespace: 'monitoring',
    });
  });

  test('every component waits for the whole previous stage, as sync waves do', () => {
    for (const crd of ['karpenter-crd', 'prometheus-operator-crds', 'network-policies']) {
      expect(waitsFor(attached('external-secrets'), attached(crd))).toBe(true);
    }
    expect(waitsFor(attached('secret-store'), attached('external-secrets'))).toBe(true);
    // Through the nested stacks: each waits for every nested stack of the previous stage.
    const deps = (id: string) => t.toJSON().Resources[Stack.of(platform).resolve(platform.rendering.nestedStacks[id]!.nestedStackResource!.logicalId)].DependsOn;
    const logicalId = (id: string) => Stack.of(platform).resolve(platform.rendering.nestedStacks[id]!.nestedStackResource!.logicalId);
    expect(deps('Controllers')).toEqual(expect.arrayContaining([logicalId('Crds'), logicalId('CrdsLevel1')]));
    expect(deps('Configuration')).toEqual(expect.arrayContaining([logicalId('Controllers')]));
    expect(deps('CrdsLevel1')).toEqual(expect.arrayContaining([logicalId('Crds')]));
  });

  test('each nested stack says what it holds', () => {
    const descriptions = Object.values(platform.rendering.nestedStacks).map((s) => s.templateOptions.description);
    expect(descriptions).toEqual([
      'agentic-eks: Kubernetes components of stage crds',
      'agentic-eks: Kubernetes components of stage crds, level 1',
      'agentic-eks: Kubernetes components of stage controllers',
      'agentic-eks: Kubernetes components of stage configuration',
    ]);
    for (const s of Object.values(platform.rendering.nestedStacks)) expect(NestedStack.isNestedStack(s)).toBe(true);
  });

  test("'workloadStacks' must be a whole number from 1 to 50", () => {
    expect(() => ComponentStacks.nested({ workloadStacks: 0 })).toThrow("'workloadStacks' (0) must be a whole number from 1 to 50");
    expect(() => ComponentStacks.nested({ workloadStacks: 2.5 })).toThrow("'workloadStacks' (2.5) must be a whole number from 1 to 50");
    expect(ComponentStacks.nested().workloadStacks).toBe(4);
  });

  test('workloadStacks spreads the WORKLOADS stage over that many nested stacks', () => {
    const p = testPlatform({ componentStacks: ComponentStacks.nested({ workloadStacks: 1 }) });
    for (const name of ['app-a', 'app-b', 'app-c']) new KubernetesComponent(p.definition, name, { name, stage: Stage.WORKLOADS, description: name });
    expect([...nestedTemplates(p).keys()].filter((id) => id.startsWith('Workloads'))).toEqual(['Workloads']);
  });

  describe('ComponentStacks.parent(): the layout of releases before nested stacks', () => {
    const legacy = testPlatform({ componentStacks: ComponentStacks.parent() });
    const lt = Template.fromStack(legacy);
    assemblyTemplates(legacy);
    const legacyAttached = (name: string) => legacy.rendering.attached[name]!;

    test('charts and manifests in the parent stack with their former construct ids, no nested stack', () => {
      lt.resourceCountIs('AWS::CloudFormation::Stack', 0);
      lt.resourceCountIs('Custom::AWSCDK-EKS-HelmChart', 4);
      lt.resourceCountIs('Custom::AWSCDK-EKS-KubernetesResource', 5);
      expect(legacyAttached('karpenter').node.path).toBe('Test/Rendering/karpenter');
      // What cluster.addCdk8sChart() creates: a child of the cluster.
      expect(legacyAttached('namespaces').node.scope).toBe(legacy.cluster);
      expect(legacyAttached('namespaces').node.id).toBe('k8s-namespaces');
      expect(Object.keys(legacy.rendering.nestedStacks).length).toBe(0);
    });

    test('each component waits for the whole previous stage and for waitFor', () => {
      expect(waitsFor(legacyAttached('external-secrets'), legacyAttached('karpenter-crd'))).toBe(true);
      expect(waitsFor(legacyAttached('secret-store'), legacyAttached('external-secrets'))).toBe(true);
      expect(waitsFor(legacyAttached('karpenter'), legacy.platformCluster.systemNodeGroup)).toBe(true);
    });
  });

  test('GitOps delivery keeps Argo CD and the root Application in the parent stack, without nested stacks', () => {
    const gitops = testPlatform({ delivery: Delivery.GITOPS });
    const g = Template.fromStack(gitops);
    g.resourceCountIs('AWS::CloudFormation::Stack', 0);
    g.resourceCountIs('Custom::AWSCDK-EKS-HelmChart', 1);
    expect(Object.keys(gitops.rendering.nestedStacks).length).toBe(0);
  });
});

describe('CDK rendering: the platform report', () => {
  // GIVEN a platform with a GPU pool and a model, synthesized into its own cloud assembly
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-report-'));
  const app = new App({ outdir });
  const platform = new PlatformStack(app, 'Reported', {
    env: { region: 'us-west-2' }, clusterName: 'reported', gitOps: { repoUrl: 'https://github.com/example-org/platform.git' },
    serving: { huggingFaceToken: { secretName: 'hf-token' } },
  });
  const pool = platform.gpu.addNodePool('l40s', { gpus: [GpuModel.L40S], limits: { gpus: 8 } });
  platform.serving.addModel('Llama', { name: 'llama', spec: ModelSpec.LLAMA_3_1_8B, pools: [pool], contextLength: 16384, concurrency: 32 });
  // WHEN
  const assembly = app.synth();
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('writes <stack>.report.md and <stack>.report.json beside the template', () => {
    // THEN
    expect(platform.rendering.reportFiles).toEqual(['Reported.report.md', 'Reported.report.json']);
    const report = PlatformReport.of(platform.definition);
    expect(fs.readFileSync(path.join(assembly.directory, 'Reported.report.md'), 'utf-8')).toBe(report.toMarkdown());
    expect(JSON.parse(fs.readFileSync(path.join(assembly.directory, 'Reported.report.json'), 'utf-8'))).toEqual(report.data);
    expect(platform.rendering.report?.data.models.map((m) => m.name)).toEqual(['llama']);
  });

  test('one info message for cdk synth: the summary and the prerequisites, without a stack trace', () => {
    // THEN
    const infos = assembly.getStackArtifact(platform.artifactId).messages.filter((m) => m.level === 'info');
    expect(infos).toHaveLength(1);
    expect(infos[0].id).toBe('/Reported');
    const text = String(infos[0].entry.data);
    expect(text.split('\n')[0]).toBe('Platform reported (us-west-2): 1 model, 1 GPU pool, 0 teams.');
    expect(text).toContain('  model llama  g6e.12xlarge TP=2  1 x 57 seq of 16,384  $10.49/h');
    expect(text).toContain(`Why each layout won, runners-up and notes: ${path.join(outdir, 'Reported.report.md')}, `
      + `${path.join(outdir, 'Reported.report.json')}`);
    expect(text).toContain('Before the first sync: 1 secret');
    expect(infos[0].entry.trace).toBeUndefined();
  });
});
