import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildExamplePlatform } from '../../examples/platform';
import { Delivery, GitOpsRendering, PlatformStack } from '../../lib';
import { runCfnLint } from '../cfn-lint';
import { describeWithSchemas, expectValidK8sObjects } from '../k8s-schema';
import { allResources, assemblyTemplates, nestedTemplates } from '../util';

function synthExample(delivery: Delivery) {
  const app = new App();
  const platform = buildExamplePlatform(app, delivery);
  app.synth();
  return { app, platform, template: Template.fromStack(platform), templates: assemblyTemplates(platform) };
}

/** The Kubernetes objects the CDK rendering hands to the cluster (manifests and the root Application), in every template. */
function cdkManifestObjects(platform: PlatformStack): unknown[] {
  return allResources(platform)
    .filter((r) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource')
    .flatMap((r) => JSON.parse(r.Properties!.Manifest as string) as unknown[]);
}

describe('example platform', () => {
  const cdk = synthExample(Delivery.CDK);
  const gitops = synthExample(Delivery.GITOPS);

  test('CloudFormation rendering (CDK delivery) matches the snapshot', () => {
    expect(cdk.template.toJSON()).toMatchSnapshot();
  });

  test('nested stacks of the CDK rendering match the snapshot', () => {
    expect(Object.fromEntries([...nestedTemplates(cdk.platform)].map(([id, t]) => [id, t.toJSON()]))).toMatchSnapshot();
  });

  test('CloudFormation rendering (GitOps delivery) matches the snapshot', () => {
    expect(gitops.template.toJSON()).toMatchSnapshot();
  });

  test('GitOps rendering matches the snapshot', () => {
    const files = GitOpsRendering.files(cdk.platform.definition, cdk.platform.gitOps!);
    expect(Object.fromEntries(files.map((f) => [f.path, f.content]))).toMatchSnapshot();
  });

  test('every template, parent and nested, stays well inside CloudFormation limits (500 resources, 1 MB)', () => {
    expect([...cdk.templates.keys()].filter((f) => f.endsWith('.nested.template.json')).length).toBe(Object.keys(cdk.platform.rendering.nestedStacks).length);
    for (const { body, json } of [...cdk.templates.values(), ...gitops.templates.values()]) {
      expect(Object.keys(json.Resources).length).toBeLessThan(250);
      expect(body.length).toBeLessThan(500_000);
    }
  });

  describeWithSchemas('schema validation (strict: unknown fields are errors)', () => {
    test('every object of the GitOps rendering is valid against its upstream schema', () => {
      const objs = GitOpsRendering.folders(cdk.platform.definition, cdk.platform.gitOps!).flatMap((f) => f.objects);
      expect(objs.length).toBeGreaterThan(5);
      expectValidK8sObjects(objs);
    });

    test('every object the CDK rendering applies is valid against its upstream schema', () => {
      const cdkObjs = cdkManifestObjects(cdk.platform);
      const gitopsObjs = cdkManifestObjects(gitops.platform);
      expect(cdkObjs.length).toBeGreaterThan(2);
      expect(gitopsObjs.length).toBe(1);
      expectValidK8sObjects([...cdkObjs, ...gitopsObjs]);
    });
  });

  test('cfn-lint reports zero errors on every synthesized template', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-lint-'));
    const files: string[] = [];
    for (const [name, templates] of [['cdk', cdk.templates], ['gitops', gitops.templates]] as const) {
      for (const [f, { body }] of templates) {
        const file = path.join(dir, `${name}-${f}`);
        fs.writeFileSync(file, body);
        files.push(file);
      }
    }
    expect(files.length).toBeGreaterThan(2);
    const result = runCfnLint(files);
    if (!result.available) {
      console.warn('cfn-lint is not installed: skipping the CloudFormation lint (pip install cfn-lint)');
      return;
    }
    expect(result.errors).toEqual([]);
  });

  test('cdk-nag AwsSolutions: no unacknowledged findings, every acknowledgement has a specific reason', () => {
    for (const { app } of [cdk, gitops]) {
      const report = new AwsSolutionsChecks().validateScope(app);
      expect(report.violations.map((v) => `${v.ruleName} @ ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    }
    const reasons: string[] = [];
    for (const c of cdk.app.node.findAll()) {
      for (const m of c.node.metadata) {
        if (m.type === 'aws:cdk:acknowledged-rules') {
          for (const v of Object.values(m.data as Record<string, { reason?: string } | string>)) {
            reasons.push(typeof v === 'string' ? v : v.reason ?? '');
          }
        }
      }
    }
    expect(reasons.length).toBeGreaterThan(0);
    for (const r of reasons) expect(r.length).toBeGreaterThan(40);
  });

  test('EKS endpoint access and control-plane logging (cdk-nag 3 EKS rules do not fire on aws-eks-v2)', () => {
    const cluster = Object.values(cdk.template.findResources('AWS::EKS::Cluster'))[0].Properties;
    expect(cluster.ResourcesVpcConfig.EndpointPrivateAccess).toBe(true);
    expect(cluster.Logging.ClusterLogging.EnabledTypes.map((x: { Type: string }) => x.Type).sort())
      .toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
  });
});
