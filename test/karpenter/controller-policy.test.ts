import { App, Aws, Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  karpenterControllerStatements,
  KarpenterControllerPolicyProps,
} from '../../lib/karpenter/private/controller-policy';

/** A resolved IAM statement as it appears in the template. */
interface StatementJson {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

const CLUSTER = 'my-cluster';
const PROPS: KarpenterControllerPolicyProps = {
  clusterName: CLUSTER,
  clusterArn: 'arn:aws:eks:us-west-2:111111111111:cluster/my-cluster',
  nodeRoleArn: 'arn:aws:iam::111111111111:role/KarpenterNodeRole-my-cluster',
  interruptionQueueArn: 'arn:aws:sqs:us-west-2:111111111111:my-cluster',
};

/** `arn:${Partition}:<service>:${Region}::<resource>` (no account) as CDK renders it in an env-agnostic stack. */
function accountlessArn(service: string, resource: string): unknown {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:${service}:`, { Ref: 'AWS::Region' }, `::${resource}`]] };
}
const REGION = { Ref: 'AWS::Region' };
const ACCOUNT = { Ref: 'AWS::AccountId' };
const ec2 = (resource: string): unknown => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:', REGION, `:*:${resource}`]],
});
const INSTANCE_PROFILES = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', ACCOUNT, ':instance-profile/*']],
};
const TAGGED = ['fleet', 'instance', 'volume', 'network-interface', 'launch-template', 'spot-instances-request'].map(
  (r) => ec2(`${r}/*`),
);
const OWNED_RESOURCE = `aws:ResourceTag/kubernetes.io/cluster/${CLUSTER}`;
const OWNED_REQUEST = `aws:RequestTag/kubernetes.io/cluster/${CLUSTER}`;

const SIDS = [
  // NodeLifecycle
  'AllowScopedEC2InstanceAccessActions',
  'AllowScopedEC2LaunchTemplateAccessActions',
  'AllowScopedEC2InstanceActionsWithTags',
  'AllowScopedResourceCreationTagging',
  'AllowScopedResourceTagging',
  'AllowScopedDeletion',
  // IAMIntegration
  'AllowPassingInstanceRole',
  'AllowScopedInstanceProfileCreationActions',
  'AllowScopedInstanceProfileTagActions',
  'AllowScopedInstanceProfileActions',
  // EKSIntegration
  'AllowAPIServerEndpointDiscovery',
  // Interruption
  'AllowInterruptionQueueActions',
  // ResourceDiscovery
  'AllowRegionalReadActions',
  'AllowSSMReadActions',
  'AllowPricingReadActions',
  'AllowUnscopedInstanceProfileListAction',
  'AllowInstanceProfileReadActions',
  // ZonalShift
  'AllowZonalShiftStatusReadOnly',
];

/** Sids upstream (and we) allow to use Resource '*'. */
const UNSCOPED_SIDS = [
  'AllowRegionalReadActions',
  'AllowPricingReadActions',
  'AllowUnscopedInstanceProfileListAction',
  'AllowZonalShiftStatusReadOnly',
];

function synthStatements(props: KarpenterControllerPolicyProps = PROPS): StatementJson[] {
  const stack = new Stack(new App(), 'S');
  new iam.ManagedPolicy(stack, 'Policy', { statements: karpenterControllerStatements(stack, props) });
  const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'));
  expect(policies).toHaveLength(1);
  return policies[0].Properties.PolicyDocument.Statement;
}

function bySid(sid: string): StatementJson {
  const found = synthStatements().filter((s) => s.Sid === sid);
  expect(found).toHaveLength(1);
  return found[0];
}

describe('karpenterControllerStatements', () => {
  test('returns one statement per upstream sid, in upstream order, all Allow', () => {
    // GIVEN / WHEN
    const statements = synthStatements();

    // THEN
    expect(statements.map((s) => s.Sid)).toEqual(SIDS);
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
  });

  test('uses Resource "*" only for discovery, pricing, list and zonal-shift statements', () => {
    // GIVEN / WHEN
    const statements = synthStatements();

    // THEN
    const unscoped = statements
      .filter((s) => (Array.isArray(s.Resource) ? s.Resource.includes('*') : s.Resource === '*'))
      .map((s) => s.Sid);
    expect(unscoped).toEqual(UNSCOPED_SIDS);
  });

  describe('NodeLifecycle', () => {
    test('AllowScopedEC2InstanceAccessActions is limited to regional launch inputs', () => {
      expect(bySid('AllowScopedEC2InstanceAccessActions')).toEqual({
        Sid: 'AllowScopedEC2InstanceAccessActions',
        Effect: 'Allow',
        Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
        Resource: [
          accountlessArn('ec2', 'image/*'),
          accountlessArn('ec2', 'snapshot/*'),
          ec2('security-group/*'),
          ec2('subnet/*'),
          ec2('capacity-reservation/*'),
          ec2('placement-group/*'),
        ],
      });
    });

    test('AllowScopedEC2LaunchTemplateAccessActions requires cluster-owned, nodepool-tagged templates', () => {
      const st = bySid('AllowScopedEC2LaunchTemplateAccessActions');
      expect(st.Action).toEqual(['ec2:RunInstances', 'ec2:CreateFleet']);
      expect(st.Resource).toEqual(ec2('launch-template/*'));
      expect(st.Condition).toEqual({
        StringEquals: { [OWNED_RESOURCE]: 'owned' },
        StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
      });
    });

    test('AllowScopedEC2InstanceActionsWithTags requires the cluster request tags on RunInstances/CreateFleet', () => {
      const st = bySid('AllowScopedEC2InstanceActionsWithTags');
      expect(st.Action).toEqual(['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate']);
      expect(st.Resource).toEqual(TAGGED);
      expect(st.Condition).toEqual({
        StringEquals: { [OWNED_REQUEST]: 'owned', 'aws:RequestTag/eks:eks-cluster-name': CLUSTER },
        StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
      });
    });

    test('AllowScopedResourceCreationTagging only tags at creation with the cluster request tags', () => {
      const st = bySid('AllowScopedResourceCreationTagging');
      expect(st.Action).toEqual('ec2:CreateTags');
      expect(st.Resource).toEqual(TAGGED);
      expect(st.Condition).toEqual({
        StringEquals: {
          [OWNED_REQUEST]: 'owned',
          'aws:RequestTag/eks:eks-cluster-name': CLUSTER,
          'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'],
        },
        StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
      });
    });

    test('AllowScopedResourceTagging only tags cluster-owned instances with three keys', () => {
      const st = bySid('AllowScopedResourceTagging');
      expect(st.Action).toEqual('ec2:CreateTags');
      expect(st.Resource).toEqual(ec2('instance/*'));
      expect(st.Condition).toEqual({
        'StringEquals': { [OWNED_RESOURCE]: 'owned' },
        'StringLike': { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
        'StringEqualsIfExists': { 'aws:RequestTag/eks:eks-cluster-name': CLUSTER },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
      });
    });

    test('AllowScopedDeletion only terminates cluster-owned, nodepool-tagged resources', () => {
      const st = bySid('AllowScopedDeletion');
      expect(st.Action).toEqual(['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate']);
      expect(st.Resource).toEqual([ec2('instance/*'), ec2('launch-template/*')]);
      expect(st.Condition).toEqual({
        StringEquals: { [OWNED_RESOURCE]: 'owned' },
        StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
      });
    });
  });

  describe('IAMIntegration', () => {
    test('AllowPassingInstanceRole passes only the node role, only to EC2', () => {
      expect(bySid('AllowPassingInstanceRole')).toEqual({
        Sid: 'AllowPassingInstanceRole',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: PROPS.nodeRoleArn,
        Condition: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } },
      });
    });

    test('AllowScopedInstanceProfileCreationActions requires cluster, region and nodeclass request tags', () => {
      const st = bySid('AllowScopedInstanceProfileCreationActions');
      expect(st.Action).toEqual('iam:CreateInstanceProfile');
      expect(st.Resource).toEqual(INSTANCE_PROFILES);
      expect(st.Condition).toEqual({
        StringEquals: {
          [OWNED_REQUEST]: 'owned',
          'aws:RequestTag/eks:eks-cluster-name': CLUSTER,
          'aws:RequestTag/topology.kubernetes.io/region': REGION,
        },
        StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      });
    });

    test('AllowScopedInstanceProfileTagActions requires matching resource and request tags', () => {
      const st = bySid('AllowScopedInstanceProfileTagActions');
      expect(st.Action).toEqual('iam:TagInstanceProfile');
      expect(st.Resource).toEqual(INSTANCE_PROFILES);
      expect(st.Condition).toEqual({
        StringEquals: {
          [OWNED_RESOURCE]: 'owned',
          'aws:ResourceTag/topology.kubernetes.io/region': REGION,
          [OWNED_REQUEST]: 'owned',
          'aws:RequestTag/eks:eks-cluster-name': CLUSTER,
          'aws:RequestTag/topology.kubernetes.io/region': REGION,
        },
        StringLike: {
          'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*',
          'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*',
        },
      });
    });

    test('AllowScopedInstanceProfileActions requires cluster-owned, regional instance profiles', () => {
      const st = bySid('AllowScopedInstanceProfileActions');
      expect(st.Action).toEqual([
        'iam:AddRoleToInstanceProfile',
        'iam:RemoveRoleFromInstanceProfile',
        'iam:DeleteInstanceProfile',
      ]);
      expect(st.Resource).toEqual(INSTANCE_PROFILES);
      expect(st.Condition).toEqual({
        StringEquals: { [OWNED_RESOURCE]: 'owned', 'aws:ResourceTag/topology.kubernetes.io/region': REGION },
        StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      });
    });
  });

  test('EKSIntegration: eks:DescribeCluster on the cluster ARN only', () => {
    expect(bySid('AllowAPIServerEndpointDiscovery')).toEqual({
      Sid: 'AllowAPIServerEndpointDiscovery',
      Effect: 'Allow',
      Action: 'eks:DescribeCluster',
      Resource: PROPS.clusterArn,
    });
  });

  test('Interruption: sqs actions on the queue ARN only', () => {
    expect(bySid('AllowInterruptionQueueActions')).toEqual({
      Sid: 'AllowInterruptionQueueActions',
      Effect: 'Allow',
      Action: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
      Resource: PROPS.interruptionQueueArn,
    });
  });

  describe('ResourceDiscovery', () => {
    test('AllowRegionalReadActions: ec2:Describe* in the stack region', () => {
      const st = bySid('AllowRegionalReadActions');
      expect(st.Resource).toEqual('*');
      expect(st.Action).toEqual([
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
      ]);
      expect(st.Condition).toEqual({ StringEquals: { 'aws:RequestedRegion': REGION } });
    });

    test('AllowSSMReadActions: ssm:GetParameter on AWS public parameters only', () => {
      const st = bySid('AllowSSMReadActions');
      expect(st.Action).toEqual('ssm:GetParameter');
      expect(st.Resource).toEqual(accountlessArn('ssm', 'parameter/aws/service/*'));
      expect(st.Condition).toBeUndefined();
    });

    test('pricing and instance-profile reads', () => {
      expect(bySid('AllowPricingReadActions')).toMatchObject({ Action: 'pricing:GetProducts', Resource: '*' });
      expect(bySid('AllowUnscopedInstanceProfileListAction')).toMatchObject({
        Action: 'iam:ListInstanceProfiles',
        Resource: '*',
      });
      expect(bySid('AllowInstanceProfileReadActions')).toMatchObject({
        Action: 'iam:GetInstanceProfile',
        Resource: INSTANCE_PROFILES,
      });
    });
  });

  test('ZonalShift: GetManagedResource only for the cluster', () => {
    expect(bySid('AllowZonalShiftStatusReadOnly')).toEqual({
      Sid: 'AllowZonalShiftStatusReadOnly',
      Effect: 'Allow',
      Action: 'arc-zonal-shift:GetManagedResource',
      Resource: '*',
      Condition: { StringEquals: { 'arc-zonal-shift:ResourceIdentifier': PROPS.clusterArn } },
    });
  });

  test('passes token ARNs through', () => {
    // GIVEN
    const props: KarpenterControllerPolicyProps = {
      ...PROPS,
      clusterArn: `arn:${Aws.PARTITION}:eks:${Aws.REGION}:${Aws.ACCOUNT_ID}:cluster/${CLUSTER}`,
      nodeRoleArn: Lazy.string({ produce: () => 'arn:aws:iam::111111111111:role/late' }),
    };

    // WHEN
    const statements = synthStatements(props);

    // THEN
    const describe = statements.find((s) => s.Sid === 'AllowAPIServerEndpointDiscovery');
    expect(describe?.Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks:', REGION, ':', ACCOUNT, `:cluster/${CLUSTER}`]],
    });
    expect(statements.find((s) => s.Sid === 'AllowPassingInstanceRole')?.Resource).toEqual('arn:aws:iam::111111111111:role/late');
  });

  test('uses the literal region and account of an environment-specific stack', () => {
    // GIVEN
    const stack = new Stack(new App(), 'S', { env: { account: '222222222222', region: 'eu-west-1' } });

    // WHEN
    new iam.ManagedPolicy(stack, 'Policy', { statements: karpenterControllerStatements(stack, PROPS) });

    // THEN
    const policy = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))[0];
    const statements: StatementJson[] = policy.Properties.PolicyDocument.Statement;
    expect(statements.find((s) => s.Sid === 'AllowRegionalReadActions')?.Condition).toEqual({
      StringEquals: { 'aws:RequestedRegion': 'eu-west-1' },
    });
    expect(statements.find((s) => s.Sid === 'AllowInstanceProfileReadActions')?.Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::222222222222:instance-profile/*']],
    });
  });

  test('throws when clusterName is a token', () => {
    // GIVEN
    const stack = new Stack(new App(), 'S');
    const clusterName = Aws.STACK_NAME;

    // WHEN / THEN
    expect(() => karpenterControllerStatements(stack, { ...PROPS, clusterName })).toThrow(
      new Error(
        `'clusterName' (${clusterName}) must be a plain string: it is part of IAM condition keys, which cannot hold tokens`,
      ),
    );
  });
});
