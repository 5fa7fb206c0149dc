import { Size } from 'aws-cdk-lib';
import { Cpu, Delivery, GitOpsRendering, HelmChartVersion, HelmComponent, KubernetesComponent, Stage, renderMermaid } from '../../lib';
import { ApiObject } from 'cdk8s';
import { REPO, find, testPlatform } from '../util';

function rendered() {
  const platform = testPlatform({ gitOps: { repoUrl: REPO, path: 'clusters/test', targetRevision: 'v1' } });
  platform.karpenter.addNodePool('general', { limits: { cpu: Cpu.cores(64), memory: Size.gibibytes(256) } });
  return { platform, folders: GitOpsRendering.folders(platform.definition, platform.gitOps!) };
}

describe('GitOps rendering', () => {
  test('one folder per manifest component, then apps/ and root/', () => {
    const { folders } = rendered();
    expect(folders.map((f) => f.folder)).toEqual(['namespaces', 'network-policies', 'storage-classes', 'karpenter-nodepools', 'secret-store', 'apps', 'root']);
  });

  test('a Helm component becomes an Application with the pinned chart and its values', () => {
    const { folders } = rendered();
    const apps = folders.find((f) => f.folder === 'apps')!.objects;
    const karpenter = find(apps, 'Application', 'karpenter');
    expect(karpenter.metadata.namespace).toBe('argocd');
    expect(karpenter.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-20' });
    expect(karpenter.spec.source).toEqual({
      repoURL: 'public.ecr.aws/karpenter',
      chart: 'karpenter',
      targetRevision: '1.14.1',
      helm: {
        releaseName: 'karpenter',
        skipCrds: true,
        valuesObject: expect.objectContaining({ settings: { clusterName: 'test', interruptionQueue: 'test' } }),
      },
    });
    expect(karpenter.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'kube-system' });
    expect(karpenter.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'ServerSideApply=true']);
    expect(karpenter.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
  });

  test('includesCrds false skips the chart\'s crds/ folder (skipCrds); the owner of the CRDs keeps it', () => {
    const { folders } = rendered();
    const apps = folders.find((f) => f.folder === 'apps')!.objects;
    expect(find(apps, 'Application', 'karpenter').spec.source.helm.skipCrds).toBe(true);
    expect(find(apps, 'Application', 'karpenter-crd').spec.source.helm).toEqual({ releaseName: 'karpenter-crd', valuesObject: {} });
  });

  test('an HTTPS Helm repository keeps its URL', () => {
    const { folders } = rendered();
    const eso = find(folders.find((f) => f.folder === 'apps')!.objects, 'Application', 'external-secrets');
    expect(eso.spec.source.repoURL).toBe('https://charts.external-secrets.io');
    expect(eso.spec.source.targetRevision).toBe(HelmChartVersion.EXTERNAL_SECRETS.version);
  });

  test('a manifest component becomes an Application on its folder, after the controllers', () => {
    const { folders } = rendered();
    const pools = find(folders.find((f) => f.folder === 'apps')!.objects, 'Application', 'karpenter-nodepools');
    expect(pools.spec.source).toEqual({ repoURL: REPO, targetRevision: 'v1', path: 'clusters/test/karpenter-nodepools', directory: { recurse: false } });
    expect(pools.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-10');
  });

  test('sync waves order CRDs < controllers < configuration', () => {
    const { folders } = rendered();
    const apps = folders.find((f) => f.folder === 'apps')!.objects;
    const wave = (n: string) => Number(find(apps, 'Application', n).metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(wave('karpenter-crd')).toBeLessThan(wave('karpenter'));
    expect(wave('karpenter')).toBeLessThan(wave('karpenter-nodepools'));
    expect(wave('external-secrets')).toBeLessThan(wave('secret-store'));
  });

  test('OCI registries are declared to Argo CD, without credentials', () => {
    const { folders } = rendered();
    const secret = find(folders.find((f) => f.folder === 'apps')!.objects, 'Secret', 'helm-oci-public-ecr-aws-karpenter');
    expect(secret.metadata.labels).toEqual({ 'argocd.argoproj.io/secret-type': 'repository' });
    expect(secret.stringData).toEqual({ name: 'helm-oci-public-ecr-aws-karpenter', type: 'helm', url: 'public.ecr.aws/karpenter', enableOCI: 'true' });
  });

  test('the root app-of-apps syncs apps/', () => {
    const { folders } = rendered();
    const root = find(folders.find((f) => f.folder === 'root')!.objects, 'Application', 'platform-root');
    expect(root.spec.source).toEqual({ repoURL: REPO, targetRevision: 'v1', path: 'clusters/test/apps', directory: { recurse: false } });
  });

  test('no CloudFormation tokens and no secret values in any file', () => {
    const { platform } = rendered();
    platform.secrets.addSecret('Db', { consumer: platform.karpenter.nodePools, namespace: 'db', name: 'db-password' });
    const files = GitOpsRendering.files(platform.definition, platform.gitOps!);
    for (const f of files) {
      expect(f.content).not.toMatch(/\$\{Token\[|Fn::|"Ref"/);
    }
    const es = files.find((f) => f.path === 'karpenter-nodepools/externalsecret-db-password.yaml');
    expect(es?.content).toContain('key: test/db/db-password');
    expect(files.map((f) => f.content).join('\n')).not.toMatch(/^\s*(password|data):\s*\S{16,}/m);
  });

  test('a token in a manifest is refused with the object named', () => {
    const { platform } = rendered();
    const c = new KubernetesComponent(platform.definition, 'Bad', { name: 'bad', stage: Stage.WORKLOADS, description: 'x' });
    new (require('cdk8s').ApiObject)(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { arn: platform.cluster.clusterArn } });
    expect(() => GitOpsRendering.folders(platform.definition, platform.gitOps!))
      .toThrow("GitOps rendering: ConfigMap 'cm' in 'bad' carries a CloudFormation token; Kubernetes-side props must be literal strings");
  });

  test('a token in a component that explains its tokens is refused with the explanation', () => {
    // GIVEN
    const { platform } = rendered();
    const c = new KubernetesComponent(platform.definition, 'Bad', { name: 'bad', stage: Stage.WORKLOADS, description: 'x' });
    new (require('cdk8s').ApiObject)(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { arn: platform.cluster.clusterArn } });

    // WHEN
    c.explainTokens('The ARN exists once the stack is deployed: pass it as a literal');
    c.explainTokens('The ARN exists once the stack is deployed: pass it as a literal');

    // THEN
    expect(c.tokenExplanations).toEqual(['The ARN exists once the stack is deployed: pass it as a literal']);
    expect(() => GitOpsRendering.folders(platform.definition, platform.gitOps!)).toThrow(
      "GitOps rendering: ConfigMap 'cm' in 'bad' carries a CloudFormation token; Kubernetes-side props must be literal strings. "
      + 'The ARN exists once the stack is deployed: pass it as a literal');
  });

  test('README lists every component in apply order with a Mermaid diagram', () => {
    const { platform } = rendered();
    const readme = GitOpsRendering.files(platform.definition, platform.gitOps!).find((f) => f.path === 'README.md')!.content;
    const order = ['karpenter-crd', 'karpenter', 'external-secrets', 'karpenter-nodepools', 'secret-store'];
    const positions = order.map((n) => readme.indexOf(`| ${n} |`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(readme).toContain('```mermaid\nflowchart LR');
    expect(readme).toContain('karpenter_nodepools --> karpenter');
  });

  test('the diagram picks up components of later layers automatically', () => {
    const { platform } = rendered();
    const extra = new HelmComponent(platform.definition, 'Extra', {
      name: 'extra', namespace: 'extra', stage: Stage.WORKLOADS, description: 'extra',
      chart: HelmChartVersion.of({ chart: 'extra', repository: 'https://example.org/charts', version: '1.0.0', source: 'test', checked: '2026-11-24' }),
    });
    extra.addDependency(platform.secrets.operator);
    const mermaid = renderMermaid(platform.definition.components);
    expect(mermaid).toContain('extra[["extra"]]');
    expect(mermaid).toContain('extra --> external_secrets');
  });

  test('write() replaces the output directory', () => {
    const { platform } = rendered();
    const dir = require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'gitops-'));
    require('fs').writeFileSync(`${dir}/stale.yaml`, 'x');
    const written = GitOpsRendering.write(platform.definition, platform.gitOps!, dir);
    expect(written).toContain('apps/application-karpenter.yaml');
    expect(require('fs').existsSync(`${dir}/stale.yaml`)).toBe(false);
  });

  test('write() of a large platform (created from a worker thread) writes exactly the files of files()', () => {
    // GIVEN a platform with more than 500 files of output
    const { platform } = rendered();
    const many = new KubernetesComponent(platform.definition, 'Many', { name: 'many', namespace: 'many', stage: Stage.WORKLOADS, description: 'many objects' });
    for (let i = 0; i < 600; i++) new ApiObject(many, `Config${i}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `config-${i}` }, data: { i: String(i) } });
    const fs = require('fs');
    const path = require('path');
    const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'gitops-'));
    fs.writeFileSync(`${dir}/stale.yaml`, 'x');
    const expected = GitOpsRendering.files(platform.definition, platform.gitOps!);
    expect(expected.length).toBeGreaterThan(500);

    // WHEN
    const written = GitOpsRendering.write(platform.definition, platform.gitOps!, dir);

    // THEN
    expect(written).toEqual(expected.map((f) => f.path));
    for (const f of expected) expect(fs.readFileSync(path.join(dir, ...f.path.split('/')), 'utf-8')).toBe(f.content);
    expect(fs.existsSync(`${dir}/stale.yaml`)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('writeGitOps without gitOps settings', () => {
    const platform = testPlatform({ gitOps: undefined });
    expect(() => platform.writeGitOps('/tmp/x')).toThrow("'gitOps' must be set on PlatformStack 'Test' to write the GitOps rendering");
  });

  test('GitOps delivery: cdk deploy installs Argo CD and the root app only', () => {
    const { Template, Match } = require('aws-cdk-lib/assertions');
    const platform = testPlatform({ delivery: Delivery.GITOPS });
    const t = Template.fromStack(platform);
    t.resourceCountIs('Custom::AWSCDK-EKS-HelmChart', 1);
    t.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { Chart: 'argo-cd', Version: HelmChartVersion.ARGO_CD.version, Namespace: 'argocd' });
    t.resourceCountIs('Custom::AWSCDK-EKS-KubernetesResource', 1);
    t.hasResourceProperties('Custom::AWSCDK-EKS-KubernetesResource', { Manifest: Match.stringLikeRegexp('"name":"platform-root"') });
  });

  test('a null in the values escape hatch survives into the Application (Helm removes that chart default)', () => {
    const platform = testPlatform({ gitOps: { repoUrl: REPO }, karpenter: { values: { controller: { resources: { limits: null } } } } });
    const apps = GitOpsRendering.folders(platform.definition, platform.gitOps!).find((f) => f.folder === 'apps')!.objects;
    const karpenter = find(apps, 'Application', 'karpenter');
    expect(karpenter.spec.source.helm.valuesObject.controller.resources).toEqual({ requests: { cpu: '1', memory: '1Gi' }, limits: null });
    const yamlText = GitOpsRendering.files(platform.definition, platform.gitOps!).find((f) => f.path === 'apps/application-karpenter.yaml')!.content;
    expect(yamlText).toContain('limits: null');
  });
});
