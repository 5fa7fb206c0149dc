import { CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import {
  Cpu, HelmChartVersion, Karpenter, KARPENTER_NAMESPACE, KARPENTER_SERVICE_ACCOUNT, PlatformStack, Stage, TaintEffect,
} from '../../lib';
import { expectValidK8sObjects } from '../k8s-schema';
import { find, objects, testPlatform } from '../util';

/** The logical id of a construct's CloudFormation resource. */
function logicalId(stack: Stack, element: CfnElement): string {
  return stack.getLogicalId(element);
}

/** `{ 'Fn::GetAtt': [<logical id of construct's default child>, 'Arn'] }`. */
function arnOf(stack: Stack, construct: { node: { defaultChild?: unknown } }): Record<string, unknown> {
  return { 'Fn::GetAtt': [logicalId(stack, construct.node.defaultChild as CfnElement), 'Arn'] };
}

/** `arn:<partition>:iam::aws:policy/<name>` as CloudFormation renders it. */
function managedPolicyArn(name: string): Record<string, unknown> {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::aws:policy/${name}`]] };
}

describe('Karpenter', () => {
  let platform: PlatformStack;
  let template: Template;

  beforeAll(() => {
    platform = testPlatform();
    template = Template.fromStack(platform);
  });

  /** Matches the controller role's policy whose statements include `statement`. */
  function expectControllerStatement(statement: Record<string, unknown>): void {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(platform, platform.karpenter.controllerRole.role.node.defaultChild as CfnElement) }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike(statement)]) },
    });
  }

  describe('node role', () => {
    test('nodeRoleName is KarpenterNodeRole-<cluster>', () => {
      // GIVEN / WHEN / THEN
      expect(Karpenter.nodeRoleName('prod')).toBe('KarpenterNodeRole-prod');
    });

    test('is named KarpenterNodeRole-<cluster>', () => {
      // GIVEN / WHEN / THEN
      template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'KarpenterNodeRole-test' });
    });

    test('is assumed by EC2', () => {
      // GIVEN / WHEN / THEN
      template.hasResourceProperties('AWS::IAM::Role', {
        RoleName: 'KarpenterNodeRole-test',
        AssumeRolePolicyDocument: {
          Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' } }],
        },
      });
    });

    test('has exactly the four managed node policies', () => {
      // GIVEN / WHEN / THEN
      template.hasResourceProperties('AWS::IAM::Role', {
        RoleName: 'KarpenterNodeRole-test',
        ManagedPolicyArns: [
          managedPolicyArn('AmazonEKS_CNI_Policy'),
          managedPolicyArn('AmazonEKSWorkerNodePolicy'),
          managedPolicyArn('AmazonEC2ContainerRegistryPullOnly'),
          managedPolicyArn('AmazonSSMManagedInstanceCore'),
        ],
      });
    });

    test('gets an EC2_LINUX access entry without access policies', () => {
      // GIVEN / WHEN / THEN
      template.hasResourceProperties('AWS::EKS::AccessEntry', {
        Type: 'EC2_LINUX',
        PrincipalArn: arnOf(platform, platform.karpenter.nodeRole),
        AccessPolicies: [],
        ClusterName: { Ref: logicalId(platform, platform.cluster.node.defaultChild as CfnElement) },
      });
    });
  });

  describe('controller identity', () => {
    test('is a Pod Identity association for kube-system/karpenter', () => {
      // GIVEN / WHEN / THEN
      template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
        Namespace: 'kube-system',
        ServiceAccount: 'karpenter',
        RoleArn: arnOf(platform, platform.karpenter.controllerRole.role),
      });
    });

    test('exports the namespace and ServiceAccount constants', () => {
      // GIVEN / WHEN / THEN
      expect(KARPENTER_NAMESPACE).toBe('kube-system');
      expect(KARPENTER_SERVICE_ACCOUNT).toBe('karpenter');
    });

    test('the role trusts pods.eks.amazonaws.com with session tags', () => {
      // GIVEN / WHEN / THEN
      template.hasResourceProperties('AWS::IAM::Role', {
        Description: 'Karpenter controller of EKS cluster test',
        AssumeRolePolicyDocument: {
          Statement: [{ Action: ['sts:AssumeRole', 'sts:TagSession'], Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' } }],
        },
      });
    });

    test('may launch instances from images, snapshots, subnets and security groups (AllowScopedEC2InstanceAccessActions)', () => {
      // GIVEN / WHEN / THEN
      expectControllerStatement({ Sid: 'AllowScopedEC2InstanceAccessActions', Action: ['ec2:RunInstances', 'ec2:CreateFleet'], Effect: 'Allow' });
    });

    test('may launch only from launch templates owned by the cluster (AllowScopedEC2LaunchTemplateAccessActions)', () => {
      // GIVEN / WHEN / THEN
      expectControllerStatement({
        Sid: 'AllowScopedEC2LaunchTemplateAccessActions',
        Condition: {
          StringEquals: { 'aws:ResourceTag/kubernetes.io/cluster/test': 'owned' },
          StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
        },
      });
    });

    test('may terminate only instances owned by the cluster (AllowScopedDeletion)', () => {
      // GIVEN / WHEN / THEN
      expectControllerStatement({
        Sid: 'AllowScopedDeletion',
        Action: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
        Condition: Match.objectLike({ StringEquals: { 'aws:ResourceTag/kubernetes.io/cluster/test': 'owned' } }),
      });
    });

    test('may pass only the node role (AllowPassingInstanceRole)', () => {
      // GIVEN / WHEN / THEN
      expectControllerStatement({
        Sid: 'AllowPassingInstanceRole',
        Action: 'iam:PassRole',
        Resource: arnOf(platform, platform.karpenter.nodeRole),
      });
    });

    test('may describe only its cluster (AllowAPIServerEndpointDiscovery)', () => {
      // GIVEN / WHEN / THEN
      expectControllerStatement({
        Sid: 'AllowAPIServerEndpointDiscovery',
        Action: 'eks:DescribeCluster',
        Resource: { 'Fn::GetAtt': [logicalId(platform, platform.cluster.node.defaultChild as CfnElement), 'Arn'] },
      });
    });

    test('may read only its interruption queue (AllowInterruptionQueueActions)', () => {
      // GIVEN / WHEN / THEN
      expectControllerStatement({
        Sid: 'AllowInterruptionQueueActions',
        Action: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
        Resource: platform.resolve(platform.karpenter.interruptionQueue.queueArn),
      });
    });

    test('may read EC2 only in the stack region (AllowRegionalReadActions)', () => {
      // GIVEN / WHEN / THEN
      expectControllerStatement({
        Sid: 'AllowRegionalReadActions',
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestedRegion': 'us-west-2' } },
      });
    });
  });

  describe('interruption queue', () => {
    test('is named after the cluster', () => {
      // GIVEN / WHEN / THEN
      template.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'test' });
      expect(platform.karpenter.interruptionQueue.queueName).toBe('test');
    });
  });

  describe('Helm components', () => {
    test('the controller values name the cluster', () => {
      // GIVEN / WHEN
      const values = platform.karpenter.controller.values() as Record<string, any>;

      // THEN
      expect(values.settings.clusterName).toBe('test');
    });

    test('the controller values name the interruption queue', () => {
      // GIVEN / WHEN
      const values = platform.karpenter.controller.values() as Record<string, any>;

      // THEN
      expect(values.settings.interruptionQueue).toBe('test');
    });

    test('the controller values create the karpenter ServiceAccount', () => {
      // GIVEN / WHEN
      const values = platform.karpenter.controller.values() as Record<string, any>;

      // THEN
      expect(values.serviceAccount).toEqual({ create: true, name: 'karpenter' });
    });

    test('the controller values request and limit 1 CPU and 1Gi', () => {
      // GIVEN / WHEN
      const values = platform.karpenter.controller.values() as Record<string, any>;

      // THEN
      expect(values.controller.resources).toEqual({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } });
    });

    test('the controller values are exactly the computed ones without overrides', () => {
      // GIVEN / WHEN / THEN
      expect(platform.karpenter.controller.values()).toEqual({
        settings: { clusterName: 'test', interruptionQueue: 'test' },
        serviceAccount: { create: true, name: 'karpenter' },
        serviceMonitor: { enabled: true, additionalLabels: { release: 'kube-prometheus-stack' } },
        controller: { resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } },
      });
    });

    test('the controller uses the catalog chart and carries no CRDs', () => {
      // GIVEN
      const controller = platform.karpenter.controller;

      // WHEN / THEN
      expect(controller.chart).toBe(HelmChartVersion.KARPENTER);
      expect(controller.componentName).toBe('karpenter');
      expect(controller.namespace).toBe('kube-system');
      expect(controller.stage).toBe(Stage.CONTROLLERS);
      expect(controller.includesCrds).toBe(false);
    });

    test('the CRD component installs karpenter-crd from the same repository and version', () => {
      // GIVEN
      const crds = platform.karpenter.crds;

      // WHEN / THEN
      expect(crds.componentName).toBe('karpenter-crd');
      expect(crds.chart.chart).toBe('karpenter-crd');
      expect(crds.chart.repository).toBe(HelmChartVersion.KARPENTER.repository);
      expect(crds.chart.version).toBe(HelmChartVersion.KARPENTER.version);
      expect(crds.namespace).toBe('kube-system');
      expect(crds.stage).toBe(Stage.CRDS);
      expect(crds.includesCrds).toBe(true);
    });

    test('the CRD chart follows a chart version given by the user', () => {
      // GIVEN
      const chart = HelmChartVersion.KARPENTER.withVersion('1.14.2', '2026-12-01');

      // WHEN
      const custom = testPlatform({ karpenter: { chart } });

      // THEN
      expect(custom.karpenter.controller.chart).toBe(chart);
      expect(custom.karpenter.crds.chart.version).toBe('1.14.2');
      expect(custom.karpenter.crds.chart.source.checked).toBe('2026-12-01');
    });

    test('the nodepools component is a configuration-stage Kubernetes component', () => {
      // GIVEN
      const nodePools = platform.karpenter.nodePools;

      // WHEN / THEN
      expect(nodePools.componentName).toBe('karpenter-nodepools');
      expect(nodePools.stage).toBe(Stage.CONFIGURATION);
    });

    test('the controller depends on the CRDs and the nodepools on the controller', () => {
      // GIVEN / WHEN / THEN
      expect(platform.karpenter.controller.dependencies).toEqual([platform.karpenter.crds]);
      expect(platform.karpenter.nodePools.dependencies).toEqual([platform.karpenter.controller]);
    });

    test('the CRD component precedes the controller, which precedes the nodepools component', () => {
      // GIVEN
      const names = platform.definition.components.map((c) => c.componentName);

      // WHEN
      const crd = names.indexOf('karpenter-crd');
      const controller = names.indexOf('karpenter');
      const nodePools = names.indexOf('karpenter-nodepools');

      // THEN
      expect(crd).toBeGreaterThanOrEqual(0);
      expect(crd).toBeLessThan(controller);
      expect(controller).toBeLessThan(nodePools);
    });
  });

  describe('values escape hatch', () => {
    test('values are deep-merged over the computed values', () => {
      // GIVEN
      const custom = testPlatform({
        karpenter: { values: { settings: { featureGates: { spotToSpotConsolidation: true } }, replicas: 1 } },
      });

      // WHEN
      const values = custom.karpenter.controller.values() as Record<string, any>;

      // THEN
      expect(values.settings).toEqual({ clusterName: 'test', interruptionQueue: 'test', featureGates: { spotToSpotConsolidation: true } });
      expect(values.replicas).toBe(1);
    });

    test('an override replaces a computed leaf and keeps its siblings', () => {
      // GIVEN
      const custom = testPlatform({
        karpenter: { values: { controller: { resources: { limits: { memory: '2Gi' } } } } },
      });

      // WHEN
      const values = custom.karpenter.controller.values() as Record<string, any>;

      // THEN
      expect(values.controller.resources).toEqual({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } });
    });
  });

  describe('addNodePool', () => {
    test('adds the pool to the nodepools component with the node role and cluster', () => {
      // GIVEN
      const custom = testPlatform();

      // WHEN
      const pool = custom.karpenter.addNodePool('general', { limits: { cpu: Cpu.cores(100) } });

      // THEN
      const objs = objects(custom.karpenter.nodePools);
      expect(pool.node.scope).toBe(custom.karpenter.nodePools);
      expect(find(objs, 'NodePool', 'general').spec.template.spec.nodeClassRef.name).toBe('general');
      expect(find(objs, 'EC2NodeClass', 'general').spec.role).toBe('KarpenterNodeRole-test');
      expect(find(objs, 'EC2NodeClass', 'general').spec.subnetSelectorTerms).toEqual([{ tags: { 'karpenter.sh/discovery': 'test' } }]);
    });

    test('nodePoolList lists the added pools', () => {
      // GIVEN
      const custom = testPlatform();

      // WHEN
      const a = custom.karpenter.addNodePool('a', { limits: { cpu: Cpu.cores(10) } });
      const b = custom.karpenter.addNodePool('b', { limits: { cpu: Cpu.cores(10) } });

      // THEN
      expect(custom.karpenter.nodePoolList).toEqual([a, b]);
    });

    test('nodePoolList returns a copy', () => {
      // GIVEN
      const custom = testPlatform();
      custom.karpenter.addNodePool('a', { limits: { cpu: Cpu.cores(10) } });

      // WHEN
      custom.karpenter.nodePoolList.pop();

      // THEN
      expect(custom.karpenter.nodePoolList).toHaveLength(1);
    });

    test('reports the NodePool validation error', () => {
      // GIVEN
      const custom = testPlatform();

      // WHEN / THEN
      expect(() => custom.karpenter.addNodePool('general', { limits: {} })).toThrow(
        "'limits' of NodePool 'general' must set at least one of cpu, memory or nvidiaGpus: a pool without limits can grow without bound",
      );
    });
  });

  describe('version check', () => {
    test('rejects a Karpenter version below what Kubernetes 1.36 needs', () => {
      // GIVEN
      const chart = HelmChartVersion.KARPENTER.withVersion('1.12.0', '2026-11-24');

      // WHEN / THEN
      expect(() => testPlatform({ karpenter: { chart } })).toThrow(
        'Karpenter version (1.12.0) is below 1.13.0, the lowest that supports Kubernetes 1.36',
      );
    });

    test('accepts the lowest Karpenter version that supports Kubernetes 1.36', () => {
      // GIVEN
      const chart = HelmChartVersion.KARPENTER.withVersion('1.13.0', '2026-11-24');

      // WHEN
      const custom = testPlatform({ karpenter: { chart } });

      // THEN
      expect(custom.karpenter.controller.chart.version).toBe('1.13.0');
    });

    test('compares versions numerically, not as strings', () => {
      // GIVEN
      const chart = HelmChartVersion.KARPENTER.withVersion('1.9.0', '2026-11-24');

      // WHEN / THEN
      expect(() => testPlatform({ karpenter: { chart } })).toThrow(
        'Karpenter version (1.9.0) is below 1.13.0, the lowest that supports Kubernetes 1.36',
      );
    });

    test('applies the floor of the cluster\'s Kubernetes version', () => {
      // GIVEN
      const chart = HelmChartVersion.KARPENTER.withVersion('1.12.0', '2026-11-24');

      // WHEN
      const custom = testPlatform({ kubernetesVersion: eks.KubernetesVersion.V1_35, karpenter: { chart } });

      // THEN
      expect(custom.karpenter.controller.chart.version).toBe('1.12.0');
    });
  });

  test('every emitted object is valid against its upstream schema', () => {
    // GIVEN
    const custom = testPlatform();
    custom.karpenter.addNodePool('general', { limits: { cpu: Cpu.cores(100) } });
    custom.karpenter.addNodePool('gpu', {
      limits: { nvidiaGpus: 16 },
      instanceCategories: ['g', 'p'],
      taints: [{ key: 'nvidia.com/gpu', effect: TaintEffect.NO_SCHEDULE }],
      nodeClassOptions: { amiAlias: 'bottlerocket@v1.55.0' },
    });

    // WHEN
    const objs = objects(custom.karpenter.nodePools);

    // THEN
    expect(objs).toHaveLength(4);
    expectValidK8sObjects(objs);
  });
});
