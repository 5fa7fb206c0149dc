import { DEFAULT_SYSTEM_INSTANCE_TYPES } from '../core/scheduling';
import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import { Stack, Tags, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeNagFindings, NagFindingRule } from '../core/nag-acknowledgements';
import { PodIdentityRole } from './pod-identity';
import { check } from '../core/validation';

/** Construct id aws-cdk-lib gives the stack-level AwsCustomResource handler. */
const AWS_CUSTOM_RESOURCE_SINGLETON = 'AWS679f53fac002430cb0da5b7982bd2287';

/**
 * Configuration of the `vpc-cni` add-on: the network policy agent enforces NetworkPolicies (`enableNetworkPolicy`).
 * Verdict logs (`nodeAgent.enablePolicyEventLogs`) stay off: they log every connection on every node; turn them on
 * with an add-on configuration change while tracing a blocked flow.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html
 */
export const VPC_CNI_CONFIGURATION: Record<string, unknown> = { enableNetworkPolicy: 'true' };

/** The label every system node carries; platform controllers select it. */
export const SYSTEM_NODE_LABEL = 'agentic-eks.io/node-role';

/** Size of the system managed node group (where controllers run; tainted `CriticalAddonsOnly`). */
export interface SystemNodeGroupOptions {
  /** Instance types. @default [m7i.large, m6i.large] */
  readonly instanceTypes?: ec2.InstanceType[];
  /** Minimum nodes. @default 2 */
  readonly minSize?: number;
  /** Maximum nodes. @default 4 */
  readonly maxSize?: number;
  /** Desired nodes at creation. @default - minSize */
  readonly desiredSize?: number;
}

/** Props of the platform cluster. */
export interface PlatformClusterProps {
  /** EKS cluster name (validated by the caller). */
  readonly clusterName: string;
  /** Kubernetes version. */
  readonly version: eks.KubernetesVersion;
  /** Existing VPC. @default - a new VPC with public and private subnets in up to 3 AZs */
  readonly vpc?: ec2.IVpc;
  /** API server endpoint access. @default eks.EndpointAccess.PUBLIC_AND_PRIVATE */
  readonly endpointAccess?: eks.EndpointAccess;
  /** ARN of an IAM role or user that gets cluster-admin through an access entry. @default - none */
  readonly adminPrincipalArn?: string;
  /** System node group. @default - see SystemNodeGroupOptions */
  readonly systemNodeGroup?: SystemNodeGroupOptions;
}

/**
 * The EKS cluster of a platform: `aws-eks-v2` with the kubectl layer, a tainted system managed node group (never
 * Auto Mode, whose managed Karpenter would clash with the self-managed one), API authentication with access entries,
 * KMS envelope encryption of Secrets, every control-plane log type, the core EKS add-ons (EBS CSI through Pod
 * Identity), and the `karpenter.sh/discovery` tag on private subnets and the cluster security group.
 */
export class PlatformCluster extends Construct {
  /** The cluster. */
  public readonly cluster: eks.Cluster;
  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /** The system node group. */
  public readonly systemNodeGroup: eks.Nodegroup;
  /** The KMS key that encrypts Kubernetes Secrets. */
  public readonly secretsKey: kms.Key;
  /** The managed add-ons, by name. */
  public readonly addons: Record<string, eks.Addon>;

  constructor(scope: Construct, id: string, props: PlatformClusterProps) {
    super(scope, id);
    const system = props.systemNodeGroup ?? {};
    const minSize = system.minSize ?? 2;
    const maxSize = system.maxSize ?? 4;
    const desiredSize = system.desiredSize ?? minSize;
    check(minSize >= 1 && minSize <= maxSize && desiredSize >= minSize && desiredSize <= maxSize,
      `'systemNodeGroup' sizes (min ${minSize}, desired ${desiredSize}, max ${maxSize}) must satisfy 1 <= min <= desired <= max`);

    this.vpc = props.vpc ?? new ec2.Vpc(this, 'Vpc', {
      maxAzs: 3,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 18 },
      ],
      flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.REJECT } },
    });
    for (const subnet of this.vpc.privateSubnets) {
      Tags.of(subnet).add('karpenter.sh/discovery', props.clusterName);
    }

    this.secretsKey = new kms.Key(this, 'SecretsKey', {
      enableKeyRotation: true,
      description: `Envelope encryption of Kubernetes Secrets in EKS cluster ${props.clusterName}`,
    });
    this.cluster = new eks.Cluster(this, 'Resource', {
      clusterName: props.clusterName,
      version: props.version,
      vpc: this.vpc,
      vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      endpointAccess: props.endpointAccess ?? eks.EndpointAccess.PUBLIC_AND_PRIVATE,
      secretsEncryptionKey: this.secretsKey,
      clusterLogging: [
        eks.ClusterLoggingTypes.API,
        eks.ClusterLoggingTypes.AUDIT,
        eks.ClusterLoggingTypes.AUTHENTICATOR,
        eks.ClusterLoggingTypes.CONTROLLER_MANAGER,
        eks.ClusterLoggingTypes.SCHEDULER,
      ],
      kubectlProviderOptions: { kubectlLayer: new KubectlV36Layer(this, 'KubectlLayer') },
      tags: { 'karpenter.sh/discovery': props.clusterName },
    });

    // aws-eks-v2 renders EncryptionConfig.Resources, which the CloudFormation schema marks deprecated but EKS requires.
    Validations.of(this.cluster).acknowledge({
      id: 'CloudFormation-Validate::W9009',
      reason: 'aws-eks-v2 emits EncryptionConfig.Resources ["secrets"]; EKS still requires it for envelope encryption',
    });
    if (props.adminPrincipalArn !== undefined) {
      this.cluster.grantAccess('Admin', props.adminPrincipalArn, [
        eks.AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', { accessScopeType: eks.AccessScopeType.CLUSTER }),
      ]);
    }

    this.systemNodeGroup = this.cluster.addNodegroupCapacity('System', {
      nodegroupName: 'system',
      instanceTypes: system.instanceTypes ?? DEFAULT_SYSTEM_INSTANCE_TYPES.map((t) => new ec2.InstanceType(t)),
      amiType: eks.NodegroupAmiType.AL2023_X86_64_STANDARD,
      minSize,
      maxSize,
      desiredSize,
      subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      labels: { [SYSTEM_NODE_LABEL]: 'system' },
      taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: eks.TaintEffect.NO_SCHEDULE }],
    });

    this.tagClusterSecurityGroup(props.clusterName);
    this.addons = this.addCoreAddons();
    this.acknowledgeNagFindings();
  }

  /** The EKS-created cluster security group gets the discovery tag through the EC2 API (CloudFormation cannot tag it). */
  private tagClusterSecurityGroup(clusterName: string): void {
    const sgArn = Stack.of(this).formatArn({
      service: 'ec2',
      resource: 'security-group',
      resourceName: this.cluster.clusterSecurityGroupId,
    });
    const call: cr.AwsSdkCall = {
      service: 'EC2',
      action: 'createTags',
      parameters: {
        Resources: [this.cluster.clusterSecurityGroupId],
        Tags: [{ Key: 'karpenter.sh/discovery', Value: clusterName }],
      },
      physicalResourceId: cr.PhysicalResourceId.of(`${clusterName}-cluster-sg-discovery-tag`),
    };
    const tagger = new cr.AwsCustomResource(this, 'ClusterSecurityGroupTag', {
      onCreate: call,
      onUpdate: call,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['ec2:CreateTags'], resources: [sgArn] }),
      ]),
      installLatestAwsSdk: false,
    });
    // The custom resource's handler is a stack-level singleton; acknowledge its basic-execution managed policy there.
    const singleton = Stack.of(this).node.tryFindChild(AWS_CUSTOM_RESOURCE_SINGLETON);
    if (singleton) {
      acknowledgeNagFindings(singleton, NagFindingRule.MANAGED_POLICIES,
        'AwsCustomResource handler (tags the cluster security group once) uses AWSLambdaBasicExecutionRole for its logs');
    }
    tagger.node.addDependency(this.cluster);
  }

  /** cdk-nag findings on resources aws-eks-v2 and the custom-resource framework generate, each with its reason. */
  private acknowledgeNagFindings(): void {
    acknowledgeNagFindings(this.cluster, NagFindingRule.MANAGED_POLICIES,
       'aws-eks-v2 gives the cluster role AmazonEKSClusterPolicy and the kubectl handler the AWS Lambda basic/VPC execution and ECR read-only policies, as EKS and Lambda require');
    acknowledgeNagFindings(this.cluster, NagFindingRule.WILDCARDS,
       'aws-eks-v2 kubectl provider: the handler may invoke its own function versions (<handler ARN>:*) and reads local Helm charts (the CRD bundles) from the CDK asset bucket (HelmChart chartAsset grantRead: s3:GetObject*, s3:GetBucket*, s3:List*)');
    Validations.of(this.cluster).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'The kubectl handler runtime is chosen by aws-eks-v2 and moves with aws-cdk-lib upgrades',
    });
    acknowledgeNagFindings(this.systemNodeGroup, NagFindingRule.MANAGED_POLICIES,
       'Managed node group role needs AmazonEKSWorkerNodePolicy, AmazonEKS_CNI_Policy and AmazonEC2ContainerRegistryReadOnly');
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'AwsCustomResource (cluster security group tag) runtime is chosen by aws-cdk-lib',
    });
  }

  private addCoreAddons(): Record<string, eks.Addon> {
    const addons: Record<string, eks.Addon> = {};
    const managed = (id: string, addonName: string, configurationValues?: Record<string, unknown>): eks.Addon => {
      const addon = new eks.Addon(this, id, { cluster: this.cluster, addonName, preserveOnDelete: false, configurationValues });
      (addon.node.defaultChild as eks.CfnAddon).resolveConflicts = 'OVERWRITE';
      addons[addonName] = addon;
      return addon;
    };
    // Without enableNetworkPolicy the VPC CNI ignores NetworkPolicies: every default-deny would be decorative.
    managed('VpcCni', 'vpc-cni', VPC_CNI_CONFIGURATION);
    managed('KubeProxy', 'kube-proxy');
    managed('CoreDns', 'coredns').node.addDependency(this.systemNodeGroup);
    addons['eks-pod-identity-agent'] = this.cluster.eksPodIdentityAgent as eks.Addon;

    const ebs = new PodIdentityRole(this, 'EbsCsiIdentity', {
      cluster: this.cluster,
      namespace: 'kube-system',
      serviceAccount: 'ebs-csi-controller-sa',
      description: 'Amazon EBS CSI driver controller',
    });
    ebs.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonEBSCSIDriverPolicy'));
    acknowledgeNagFindings(ebs, NagFindingRule.MANAGED_POLICIES,
       'AmazonEBSCSIDriverPolicy is the policy AWS documents for the EBS CSI driver and scopes by tags');
    const ebsAddon = managed('EbsCsi', 'aws-ebs-csi-driver');
    ebsAddon.node.addDependency(this.systemNodeGroup);
    // The add-on creates the ServiceAccount; the association was made by PodIdentityRole before it.
    ebsAddon.node.addDependency(ebs.association);
    return addons;
  }
}
