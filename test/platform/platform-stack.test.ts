import { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Delivery, PlatformStack } from '../../lib';
import { allResources, findResource, REGION, REPO, template, testPlatform } from '../util';

describe('PlatformStack', () => {
  describe('defaults', () => {
    const platform = testPlatform();
    const t = template(platform);

    test('EKS 1.36 cluster with every control-plane log type', () => {
      // THEN
      t.hasResourceProperties('AWS::EKS::Cluster', {
        Name: 'test',
        Version: '1.36',
        Logging: {
          ClusterLogging: {
            EnabledTypes: Match.arrayWith([
              { Type: 'api' }, { Type: 'audit' }, { Type: 'authenticator' }, { Type: 'controllerManager' }, { Type: 'scheduler' },
            ]),
          },
        },
      });
    });

    test('endpoint is public and private by default (documented), never public-only', () => {
      t.hasResourceProperties('AWS::EKS::Cluster', {
        ResourcesVpcConfig: Match.objectLike({ EndpointPublicAccess: true, EndpointPrivateAccess: true }),
      });
    });

    test('secrets are envelope-encrypted with a rotating KMS key', () => {
      t.hasResourceProperties('AWS::EKS::Cluster', {
        EncryptionConfig: [Match.objectLike({ Resources: ['secrets'], Provider: { KeyArn: Match.anyValue() } })],
      });
      t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    });

    test('API authentication mode (access entries), not Auto Mode', () => {
      t.hasResourceProperties('AWS::EKS::Cluster', {
        AccessConfig: Match.objectLike({ AuthenticationMode: 'API' }),
      });
      const clusters = t.findResources('AWS::EKS::Cluster');
      for (const c of Object.values(clusters)) {
        expect(c.Properties.ComputeConfig?.Enabled ?? false).toBe(false);
      }
    });

    test('a tainted system managed node group runs the controllers', () => {
      t.hasResourceProperties('AWS::EKS::Nodegroup', {
        NodegroupName: 'system',
        AmiType: 'AL2023_x86_64_STANDARD',
        ScalingConfig: { MinSize: 2, MaxSize: 4, DesiredSize: 2 },
        Labels: { 'agentic-eks.io/node-role': 'system' },
        Taints: [{ Key: 'CriticalAddonsOnly', Value: 'true', Effect: 'NO_SCHEDULE' }],
      });
    });

    test('core EKS add-ons, EBS CSI with its Pod Identity role', () => {
      for (const name of ['vpc-cni', 'coredns', 'kube-proxy', 'eks-pod-identity-agent', 'aws-ebs-csi-driver']) {
        t.hasResourceProperties('AWS::EKS::Addon', { AddonName: name });
      }
      t.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'kube-system', ServiceAccount: 'ebs-csi-controller-sa' });
    });

    test('private subnets and the cluster security group carry the Karpenter discovery tag', () => {
      t.hasResourceProperties('AWS::EC2::Subnet', {
        Tags: Match.arrayWith([{ Key: 'karpenter.sh/discovery', Value: 'test' }]),
      });
      const tagCalls = Object.values(t.findResources('Custom::AWS')).map((r) => JSON.stringify(r.Properties.Create));
      expect(tagCalls).toHaveLength(1);
      expect(tagCalls[0]).toContain('\\"action\\":\\"createTags\\"');
      expect(tagCalls[0]).toContain('ClusterSecurityGroupId');
      expect(tagCalls[0]).toContain('{\\"Key\\":\\"karpenter.sh/discovery\\",\\"Value\\":\\"test\\"}');
    });

    test('no role-ARN annotation anywhere: identities are Pod Identity associations', () => {
      t.resourceCountIs('AWS::EKS::PodIdentityAssociation', 3);
      expect(JSON.stringify(t.toJSON())).not.toContain('eks.amazonaws.com/role-arn');
    });

    test('delivery defaults to CDK: every component is attached to the cluster', () => {
      expect(platform.delivery).toBe(Delivery.CDK);
      // In the nested stacks of the CDK rendering, none in the parent.
      t.resourceCountIs('Custom::AWSCDK-EKS-HelmChart', 0);
      const resources = allResources(platform);
      expect(resources.filter((r) => r.Type === 'Custom::AWSCDK-EKS-HelmChart')).toHaveLength(4);
      // storage classes, node pools, secret store, namespaces, network policies
      expect(resources.filter((r) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource')).toHaveLength(5);
      findResource(platform, 'Custom::AWSCDK-EKS-KubernetesResource', (p) => /"kind":"StorageClass".*is-default-class":"true"/.test(String(p.Manifest)));
    });
  });

  test('adminPrincipalArn gets a cluster-admin access entry', () => {
    // GIVEN / WHEN
    const t = template(testPlatform({ adminPrincipalArn: 'arn:aws:iam::123456789012:role/Admin' }));
    // THEN
    t.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: 'arn:aws:iam::123456789012:role/Admin',
      AccessPolicies: [Match.objectLike({
        PolicyArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy']] },
        AccessScope: { Type: 'cluster' },
      })],
    });
  });

  test('endpointAccess is passed through', () => {
    const t = template(testPlatform({ endpointAccess: eks.EndpointAccess.PRIVATE }));
    t.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: Match.objectLike({ EndpointPublicAccess: false, EndpointPrivateAccess: true }),
    });
  });

  test('systemNodeGroup sizes are passed through', () => {
    const t = template(testPlatform({ systemNodeGroup: { minSize: 3, maxSize: 6 } }));
    t.hasResourceProperties('AWS::EKS::Nodegroup', { ScalingConfig: { MinSize: 3, MaxSize: 6, DesiredSize: 3 } });
  });

  describe('bad input fails at synth with the prop, the value and what is allowed', () => {
    test.each([
      ['my cluster', "'clusterName' (my cluster) must be a valid EKS cluster name: 1-100 letters, digits, '-' or '_', starting with a letter or digit"],
      ['-leading', "'clusterName' (-leading) must be a valid EKS cluster name: 1-100 letters, digits, '-' or '_', starting with a letter or digit"],
      ['a'.repeat(47), `'clusterName' (${'a'.repeat(47)}) must be at most 46 characters: the Karpenter node role 'KarpenterNodeRole-${'a'.repeat(47)}' must fit IAM's 64`],
    ])('clusterName %p', (clusterName, message) => {
      expect(() => testPlatform({ clusterName })).toThrow(message);
    });

    test('unsupported Kubernetes version', () => {
      expect(() => testPlatform({ kubernetesVersion: eks.KubernetesVersion.V1_30 }))
        .toThrow("'kubernetesVersion' (1.30) is not supported: use one of 1.35, 1.36");
    });

    test('admin principal that is not an ARN', () => {
      expect(() => testPlatform({ adminPrincipalArn: 'alice' }))
        .toThrow("'adminPrincipalArn' (alice) must be an IAM role or user ARN such as arn:aws:iam::123456789012:role/Admin");
    });

    test('empty Argo CD repository URL', () => {
      expect(() => testPlatform({ gitOps: { repoUrl: '' } }))
        .toThrow(`'gitOps.repoUrl' ("") must not be empty: Argo CD needs the Git repository that holds the rendered directory`);
    });

    test('GitOps delivery without gitOps settings', () => {
      expect(() => testPlatform({ delivery: Delivery.GITOPS, gitOps: undefined }))
        .toThrow("'gitOps' must be set when 'delivery' is gitops: Argo CD needs the repository that holds the rendered directory");
    });

    test('stack without a concrete region', () => {
      expect(() => new PlatformStack(new App(), 'NoRegion', { clusterName: 'x', gitOps: { repoUrl: REPO } }))
        .toThrow("PlatformStack 'NoRegion' needs a concrete region ('env.region'): the GitOps rendering writes it into manifests");
    });
  });

  test('every capability hangs off its layer: no platform-level addTeam, addLiteLlm or addEvaluation', () => {
    const platform = testPlatform();
    expect(typeof platform.teams.add).toBe('function');
    expect(typeof platform.gateway.addLiteLlm).toBe('function');
    expect(typeof platform.observability.addEvaluation).toBe('function');
    for (const removed of ['addTeam', 'addLiteLlm', 'addEvaluation']) {
      expect(removed in platform).toBe(false);
    }
  });

  test('the definition carries literal cluster facts', () => {
    const platform = testPlatform();
    expect(platform.definition.clusterName).toBe('test');
    expect(platform.definition.region).toBe(REGION);
    expect(platform.definition.kubernetesVersion).toBe('1.36');
  });
});
