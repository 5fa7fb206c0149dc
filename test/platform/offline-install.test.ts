import { App } from 'aws-cdk-lib';
import { buildExamplePlatform } from '../../examples/platform';
import { Delivery, GitOpsRendering } from '../../lib';
import { assemblyTemplates } from '../util';

/** What a deploy-time download looks like: a GitHub release asset or raw file, or a kubectl image to apply it with. */
const DOWNLOADS = [/raw\.githubusercontent\.com/, /github\.com\/[^\s"']*releases\/download/, /registry\.k8s\.io\/kubectl/];

function kubectlJobs(objs: Record<string, unknown>[]): string[] {
  return objs
    .filter((o) => o.kind === 'Job' || o.kind === 'CronJob')
    .filter((o) => /kubectl/.test(JSON.stringify(o)))
    .map((o) => `${String(o.kind)}/${String((o.metadata as { name?: string }).name)}`);
}

describe('example platform installs without downloading manifests at deploy time', () => {
  const app = new App();
  const platform = buildExamplePlatform(app, Delivery.CDK);
  // The parent and the nested stacks' templates.
  const templates = [...assemblyTemplates(platform).values()].map((t) => t.body);

  test('the GitOps rendering holds every CRD it applies and fetches nothing', () => {
    // WHEN
    const files = GitOpsRendering.files(platform.definition, platform.gitOps!);
    const folders = GitOpsRendering.folders(platform.definition, platform.gitOps!);

    // THEN
    for (const re of DOWNLOADS) expect(files.filter((f) => re.test(f.content)).map((f) => f.path)).toEqual([]);
    expect(kubectlJobs(folders.flatMap((f) => f.objects))).toEqual([]);
    expect(files.filter((f) => f.path.startsWith('gateway-api-crds/'))).toHaveLength(7);
    expect(files.filter((f) => f.path.startsWith('inference-extension-crds/'))).toHaveLength(4);
  });

  test('the CloudFormation rendering fetches nothing and inlines no CRD bundle', () => {
    expect(templates.length).toBeGreaterThan(1);
    for (const body of templates) {
      for (const re of DOWNLOADS) expect(body).not.toMatch(re);
      expect(body).not.toContain('Custom::AWSCDK-EKS-KubernetesObjectValue');
      expect(body).not.toContain('"kind\\":\\"CustomResourceDefinition');
      const manifests = Object.values(JSON.parse(body).Resources as Record<string, { Type: string; Properties: { Manifest?: string } }>)
        .filter((r) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource')
        .flatMap((r) => JSON.parse(r.Properties.Manifest ?? '[]') as Record<string, unknown>[]);
      expect(kubectlJobs(manifests)).toEqual([]);
    }
  });
});
