import { Size } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { testPlatform } from '../util';

function logicalIdOf(t: Template, type: string, match: (props: Record<string, unknown>) => boolean): string {
  const hit = Object.entries(t.findResources(type)).find(([, r]) => match(r.Properties));
  if (!hit) throw new Error(`no ${type} matched`);
  return hit[0];
}

describe('CDK rendering', () => {
  const platform = testPlatform();
  platform.karpenter.addNodePool('late', { limits: { cpu: 8, memory: Size.gibibytes(32) } });
  const t = Template.fromStack(platform);

  test('Helm components are installed with their pinned chart, namespace and values', () => {
    t.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', {
      Chart: 'karpenter',
      Repository: 'oci://public.ecr.aws/karpenter/karpenter',
      Version: '1.14.1',
      Namespace: 'kube-system',
      Release: 'karpenter',
      CreateNamespace: true,
      Values: Match.stringLikeRegexp('"interruptionQueue":"test"'),
    });
    t.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', {
      Chart: 'external-secrets', Repository: 'https://charts.external-secrets.io', Namespace: 'external-secrets',
    });
  });

  test('includesCrds false installs the chart with SkipCrds; the owner of the CRDs installs them', () => {
    t.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { Chart: 'karpenter', SkipCrds: true });
    t.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { Chart: 'karpenter-crd', SkipCrds: Match.absent() });
  });

  test('manifest components are applied, including objects added after construction', () => {
    t.hasResourceProperties('Custom::AWSCDK-EKS-KubernetesResource', { Manifest: Match.stringLikeRegexp('"kind":"NodePool","metadata":\\{"name":"late"') });
  });

  test('controllers wait for their CRDs, custom resources wait for their controllers', () => {
    const crd = logicalIdOf(t, 'Custom::AWSCDK-EKS-HelmChart', (p) => p.Chart === 'karpenter-crd');
    const controller = logicalIdOf(t, 'Custom::AWSCDK-EKS-HelmChart', (p) => p.Chart === 'karpenter');
    const pools = logicalIdOf(t, 'Custom::AWSCDK-EKS-KubernetesResource', (p) => String(p.Manifest).includes('NodePool'));
    const resources = t.toJSON().Resources;
    expect(resources[controller].DependsOn).toEqual(expect.arrayContaining([crd]));
    expect(resources[pools].DependsOn).toEqual(expect.arrayContaining([controller]));
  });

  test('charts wait for the system node group and the Pod Identity associations', () => {
    const controller = logicalIdOf(t, 'Custom::AWSCDK-EKS-HelmChart', (p) => p.Chart === 'karpenter');
    const deps: string[] = t.toJSON().Resources[controller].DependsOn;
    const nodegroup = Object.keys(t.findResources('AWS::EKS::Nodegroup'))[0];
    const association = logicalIdOf(t, 'AWS::EKS::PodIdentityAssociation', (p) => p.ServiceAccount === 'karpenter');
    expect(deps).toEqual(expect.arrayContaining([nodegroup, association]));
  });

  test('the Prometheus operator CRDs are installed first (stage CRDS)', () => {
    t.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', {
      Chart: 'prometheus-operator-crds', Repository: 'https://prometheus-community.github.io/helm-charts', Namespace: 'monitoring',
    });
  });

  test('every component waits for the whole previous stage, as sync waves do', () => {
    const crdsOfKarpenter = logicalIdOf(t, 'Custom::AWSCDK-EKS-HelmChart', (p) => p.Chart === 'karpenter-crd');
    const promCrds = logicalIdOf(t, 'Custom::AWSCDK-EKS-HelmChart', (p) => p.Chart === 'prometheus-operator-crds');
    const eso = logicalIdOf(t, 'Custom::AWSCDK-EKS-HelmChart', (p) => p.Chart === 'external-secrets');
    const store = logicalIdOf(t, 'Custom::AWSCDK-EKS-KubernetesResource', (p) => String(p.Manifest).includes('ClusterSecretStore'));
    const resources = t.toJSON().Resources;
    expect(resources[eso].DependsOn).toEqual(expect.arrayContaining([crdsOfKarpenter, promCrds]));
    expect(resources[store].DependsOn).toEqual(expect.arrayContaining([eso]));
  });
});
