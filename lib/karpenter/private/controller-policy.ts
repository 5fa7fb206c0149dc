import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * Inputs to the Karpenter controller IAM statements.
 */
export interface KarpenterControllerPolicyProps {
  /**
   * Name of the EKS cluster Karpenter manages.
   *
   * Used inside condition *keys* (`aws:ResourceTag/kubernetes.io/cluster/<name>`), which CloudFormation
   * cannot resolve, so it must be a plain string, not a token.
   */
  readonly clusterName: string;

  /**
   * ARN of the EKS cluster (may be a token).
   *
   * Scopes `eks:DescribeCluster` and the zonal-shift resource identifier condition.
   */
  readonly clusterArn: string;

  /**
   * ARN of the node role Karpenter passes to EC2 (`EC2NodeClass.spec.role`). May be a token.
   */
  readonly nodeRoleArn: string;

  /**
   * ARN of the interruption SQS queue (may be a token).
   */
  readonly interruptionQueueArn: string;
}

/**
 * The scoped IAM statements of the Karpenter 1.14 controller.
 *
 * Mirrors the six managed policies of the upstream getting-started CloudFormation template
 * (NodeLifecycle, IAMIntegration, EKSIntegration, Interruption, ResourceDiscovery, ZonalShift), in that
 * order, each statement carrying its upstream `sid`. ARNs use the stack's partition, region and account,
 * so the statements work in environment-agnostic stacks.
 *
 * Size: for a 10-character cluster name the statements take about 6,000 characters, and each extra character
 * of the name adds about 17, so they outgrow one managed policy (6,144) for most names. Attach them to a
 * role's inline policy (10,240) or spread them over several managed policies, as upstream does.
 *
 * @see https://github.com/aws/karpenter-provider-aws/blob/main/website/content/en/v1.14/getting-started/getting-started-with-karpenter/cloudformation.yaml
 */
export function karpenterControllerStatements(
  scope: Construct,
  props: KarpenterControllerPolicyProps,
): iam.PolicyStatement[] {
  const { clusterName } = props;
  if (Token.isUnresolved(clusterName)) {
    throw new Error(
      `'clusterName' (${clusterName}) must be a plain string: it is part of IAM condition keys, which cannot hold tokens`,
    );
  }

  const stack = Stack.of(scope);
  const ec2Arn = (resource: string, account: string = '*'): string =>
    stack.formatArn({ service: 'ec2', account, resource, resourceName: '*' });
  const instanceProfileArn = stack.formatArn({
    service: 'iam',
    region: '',
    resource: 'instance-profile',
    resourceName: '*',
  });

  const ownedResourceTag = `aws:ResourceTag/kubernetes.io/cluster/${clusterName}`;
  const ownedRequestTag = `aws:RequestTag/kubernetes.io/cluster/${clusterName}`;
  const clusterNameRequestTag = 'aws:RequestTag/eks:eks-cluster-name';
  const taggedResources = [
    'fleet',
    'instance',
    'volume',
    'network-interface',
    'launch-template',
    'spot-instances-request',
  ].map((r) => ec2Arn(r));

  const nodeLifecycle = [
    new iam.PolicyStatement({
      sid: 'AllowScopedEC2InstanceAccessActions',
      actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
      resources: [
        ec2Arn('image', ''),
        ec2Arn('snapshot', ''),
        ec2Arn('security-group'),
        ec2Arn('subnet'),
        ec2Arn('capacity-reservation'),
        ec2Arn('placement-group'),
      ],
    }),
    new iam.PolicyStatement({
      sid: 'AllowScopedEC2LaunchTemplateAccessActions',
      actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
      resources: [ec2Arn('launch-template')],
      conditions: {
        StringEquals: { [ownedResourceTag]: 'owned' },
        StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
      },
    }),
    new iam.PolicyStatement({
      sid: 'AllowScopedEC2InstanceActionsWithTags',
      actions: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
      resources: taggedResources,
      conditions: {
        StringEquals: { [ownedRequestTag]: 'owned', [clusterNameRequestTag]: clusterName },
        StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
      },
    }),
    new iam.PolicyStatement({
      sid: 'AllowScopedResourceCreationTagging',
      actions: ['ec2:CreateTags'],
      resources: taggedResources,
      conditions: {
        StringEquals: {
          [ownedRequestTag]: 'owned',
          [clusterNameRequestTag]: clusterName,
          'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'],
        },
        StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
      },
    }),
    new iam.PolicyStatement({
      sid: 'AllowScopedResourceTagging',
      actions: ['ec2:CreateTags'],
      resources: [ec2Arn('instance')],
      conditions: {
        'StringEquals': { [ownedResourceTag]: 'owned' },
        'StringLike': { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
        'StringEqualsIfExists': { [clusterNameRequestTag]: clusterName },
        'ForAllValues:StringEquals': {
          'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'],
        },
      },
    }),
    new iam.PolicyStatement({
      sid: 'AllowScopedDeletion',
      actions: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
      resources: [ec2Arn('instance'), ec2Arn('launch-template')],
      conditions: {
        StringEquals: { [ownedResourceTag]: 'owned' },
        StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
      },
    }),
  ];

  const regionResourceTag = 'aws:ResourceTag/topology.kubernetes.io/region';
  const regionRequestTag = 'aws:RequestTag/topology.kubernetes.io/region';
  const iamIntegration = [
    new iam.PolicyStatement({
      sid: 'AllowPassingInstanceRole',
      actions: ['iam:PassRole'],
      resources: [props.nodeRoleArn],
      conditions: {
        StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] },
      },
    }),
    new iam.PolicyStatement({
      sid: 'AllowScopedInstanceProfileCreationActions',
      actions: ['iam:CreateInstanceProfile'],
      resources: [instanceProfileArn],
      conditions: {
        StringEquals: {
          [ownedRequestTag]: 'owned',
          [clusterNameRequestTag]: clusterName,
          [regionRequestTag]: stack.region,
        },
        StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      },
    }),
    new iam.PolicyStatement({
      sid: 'AllowScopedInstanceProfileTagActions',
      actions: ['iam:TagInstanceProfile'],
      resources: [instanceProfileArn],
      conditions: {
        StringEquals: {
          [ownedResourceTag]: 'owned',
          [regionResourceTag]: stack.region,
          [ownedRequestTag]: 'owned',
          [clusterNameRequestTag]: clusterName,
          [regionRequestTag]: stack.region,
        },
        StringLike: {
          'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*',
          'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*',
        },
      },
    }),
    new iam.PolicyStatement({
      sid: 'AllowScopedInstanceProfileActions',
      actions: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
      resources: [instanceProfileArn],
      conditions: {
        StringEquals: { [ownedResourceTag]: 'owned', [regionResourceTag]: stack.region },
        StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      },
    }),
  ];

  const eksIntegration = [
    new iam.PolicyStatement({
      sid: 'AllowAPIServerEndpointDiscovery',
      actions: ['eks:DescribeCluster'],
      resources: [props.clusterArn],
    }),
  ];

  const interruption = [
    new iam.PolicyStatement({
      sid: 'AllowInterruptionQueueActions',
      actions: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
      resources: [props.interruptionQueueArn],
    }),
  ];

  const resourceDiscovery = [
    new iam.PolicyStatement({
      sid: 'AllowRegionalReadActions',
      actions: [
        'ec2:DescribeCapacityReservations',
        'ec2:DescribeImages',
        'ec2:DescribeInstances',
        'ec2:DescribeInstanceStatus',
        'ec2:DescribeInstanceTypeOfferings',
        'ec2:DescribeInstanceTypes',
        'ec2:DescribeLaunchTemplates',
        'ec2:DescribePlacementGroups',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSpotPriceHistory',
        'ec2:DescribeSubnets',
      ],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:RequestedRegion': stack.region } },
    }),
    new iam.PolicyStatement({
      sid: 'AllowSSMReadActions',
      actions: ['ssm:GetParameter'],
      resources: [stack.formatArn({ service: 'ssm', account: '', resource: 'parameter', resourceName: 'aws/service/*' })],
    }),
    new iam.PolicyStatement({
      sid: 'AllowPricingReadActions',
      actions: ['pricing:GetProducts'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'AllowUnscopedInstanceProfileListAction',
      actions: ['iam:ListInstanceProfiles'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'AllowInstanceProfileReadActions',
      actions: ['iam:GetInstanceProfile'],
      resources: [instanceProfileArn],
    }),
  ];

  const zonalShift = [
    new iam.PolicyStatement({
      sid: 'AllowZonalShiftStatusReadOnly',
      actions: ['arc-zonal-shift:GetManagedResource'],
      resources: ['*'],
      conditions: { StringEquals: { 'arc-zonal-shift:ResourceIdentifier': props.clusterArn } },
    }),
  ];

  return [
    ...nodeLifecycle,
    ...iamIntegration,
    ...eksIntegration,
    ...interruption,
    ...resourceDiscovery,
    ...zonalShift,
  ];
}
