import { CfnOutput, RemovalPolicy, Size, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as fsx from 'aws-cdk-lib/aws-fsx';
import * as iam from 'aws-cdk-lib/aws-iam';
import { k8s } from 'cdk8s-plus-34';
import { Construct } from 'constructs';
import { PodIdentityRole } from '../../cluster/pod-identity';
import { HelmComponent, KubernetesComponent, Stage } from '../../core/component';
import { JsonObject } from '../../core/deep-merge';
import { acknowledgeNagFindings, NagFindingRule } from '../../core/nag-acknowledgements';
import { PlatformDefinition } from '../../core/platform-definition';
import { SYSTEM_NODE_TOLERATION } from '../../core/scheduling';
import { check, checkDnsLabel, checkDnsSubdomain } from '../../core/validation';
import { HelmChartVersion } from '../../versions';

/** ServiceAccount of the FSx CSI controller (chart default), the one that calls the FSx API. */
export const FSX_CSI_CONTROLLER_SERVICE_ACCOUNT = 'fsx-csi-controller-sa';
/** CSI driver name of FSx for Lustre. */
export const FSX_CSI_DRIVER = 'fsx.csi.aws.com';

/** Options of the FSx for Lustre CSI driver. */
export interface FsxCsiDriverOptions {
  /** The pinned chart. @default HelmChartVersion.AWS_FSX_CSI_DRIVER */
  readonly chart?: HelmChartVersion;
  /**
   * Raw chart values deep-merged after the computed ones (escape hatch).
   * @default - none
   * @see https://github.com/kubernetes-sigs/aws-fsx-csi-driver/blob/master/charts/aws-fsx-csi-driver/values.yaml
   */
  readonly values?: JsonObject;
}

/** Props of the FSx for Lustre CSI driver. */
export interface FsxCsiDriverProps extends FsxCsiDriverOptions {
  /** The platform's Kubernetes-side definition. */
  readonly definition: PlatformDefinition;
  /** The cluster (Pod Identity association of the controller). */
  readonly cluster: eks.Cluster;
}

/**
 * The FSx for Lustre CSI driver (chart `aws-fsx-csi-driver`) in `kube-system`: controller on the system nodes with an
 * EKS Pod Identity role for `fsx-csi-controller-sa` (dynamic provisioning calls the FSx API), node DaemonSet on every
 * node (it tolerates all taints, so GPU nodes mount Lustre too). Statically provisioned volumes
 * ({@link LustreFileSystem}) need no AWS call from the driver; the role is there for StorageClass provisioning.
 */
export class FsxCsiDriver extends Construct {
  /** The chart. */
  public readonly driver: HelmComponent;
  /** Pod Identity role of the controller. */
  public readonly identity: PodIdentityRole;

  constructor(scope: Construct, id: string, props: FsxCsiDriverProps) {
    super(scope, id);
    this.driver = new HelmComponent(props.definition, 'FsxCsiDriver', {
      name: 'aws-fsx-csi-driver',
      namespace: 'kube-system',
      stage: Stage.CONTROLLERS,
      description: 'FSx for Lustre CSI driver: shared datasets and checkpoints for training pods',
      chart: props.chart ?? HelmChartVersion.AWS_FSX_CSI_DRIVER,
      values: { render: () => ({
        controller: {
          serviceAccount: { create: true, name: FSX_CSI_CONTROLLER_SERVICE_ACCOUNT },
          tolerations: [SYSTEM_NODE_TOLERATION, { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
        },
        node: { tolerateAllTaints: true },
      }) },
      valueOverrides: props.values,
    });
    this.identity = new PodIdentityRole(this, 'Identity', {
      cluster: props.cluster,
      namespace: 'kube-system',
      serviceAccount: FSX_CSI_CONTROLLER_SERVICE_ACCOUNT,
      description: `FSx for Lustre CSI controller of EKS cluster ${props.definition.clusterName}`,
    });
    // The driver's documented policy (docs/install.md): FSx file system lifecycle, and the service-linked roles FSx
    // creates on first use. FSx CreateFileSystem takes no resource ARN until the file system exists.
    this.identity.addToPolicy(new iam.PolicyStatement({
      sid: 'FsxLifecycle',
      actions: ['fsx:CreateFileSystem', 'fsx:DeleteFileSystem', 'fsx:DescribeFileSystems', 'fsx:UpdateFileSystem', 'fsx:TagResource'],
      resources: ['*'],
    }));
    this.identity.addToPolicy(new iam.PolicyStatement({
      sid: 'FsxServiceLinkedRoles',
      actions: ['iam:CreateServiceLinkedRole', 'iam:AttachRolePolicy', 'iam:PutRolePolicy'],
      resources: ['arn:*:iam::*:role/aws-service-role/s3.data-source.lustre.fsx.amazonaws.com/*', 'arn:*:iam::*:role/aws-service-role/fsx.amazonaws.com/*'],
    }));
    // cdk-nag matches acknowledgements by exact finding id: computed from the synthesized policy.
    acknowledgeNagFindings(this.identity, NagFindingRule.WILDCARDS,
      'FSx CreateFileSystem/DescribeFileSystems have no resource ARN before the file system exists; the service-linked role ARNs are fixed by AWS with a wildcard account and suffix (aws-fsx-csi-driver docs/install.md)');
  }
}

/** Deployment types of FSx for Lustre that the platform supports. */
export enum LustreDeploymentType {
  /** Persistent, SSD, replicated within the AZ; the only type with EFA. */
  PERSISTENT_2 = 'PERSISTENT_2',
  /** Scratch: cheaper, no replication (data lost with a failed server). */
  SCRATCH_2 = 'SCRATCH_2',
}

/** Options of {@link LustreFileSystem}. */
export interface LustreFileSystemOptions {
  /** Name of the PersistentVolume and PersistentVolumeClaim (a DNS label). */
  readonly name: string;
  /** Namespace of the PersistentVolumeClaim (a team namespace or a shared one). */
  readonly namespace: string;
  /**
   * Capacity. PERSISTENT_2 and SCRATCH_2: 1200 GiB or a multiple of 2400 GiB.
   * @default Size.gibibytes(1200)
   */
  readonly storageCapacity?: Size;
  /** Deployment type. @default LustreDeploymentType.PERSISTENT_2 */
  readonly deploymentType?: LustreDeploymentType;
  /**
   * Throughput per TiB in MB/s (PERSISTENT_2: 125, 250, 500 or 1000).
   * @default 250
   * @see https://docs.aws.amazon.com/fsx/latest/LustreGuide/managing-throughput-capacity.html
   */
  readonly throughputPerTib?: number;
  /**
   * EFA and GPUDirect Storage (`LustreConfiguration.EfaEnabled`, set at creation only): PERSISTENT_2 only, with a
   * metadata configuration (set here) and a security group that allows all traffic within itself (set here).
   * @default false
   */
  readonly efa?: boolean;
  /** What happens to the file system when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * An existing file system to mount instead of creating one: its literal id, DNS name and mount name. Needed for the
   * GitOps rendering, whose manifests may not carry CloudFormation tokens: the attributes of a file system this stack
   * creates are known only after the deployment (the stack outputs them), and the FSx CSI driver's dynamic
   * provisioning needs the subnet and security group ids, tokens as well.
   * @default - a new file system, its attributes as CloudFormation tokens (CDK rendering only)
   */
  readonly existing?: LustreFileSystemAttributes;
}

/**
 * Literal attributes of an existing FSx for Lustre file system (`aws fsx describe-file-systems`: `FileSystemId`,
 * `DNSName`, `LustreConfiguration.MountName`).
 */
export interface LustreFileSystemAttributes {
  /** File system id (`fs-0123456789abcdef0`). */
  readonly fileSystemId: string;
  /** DNS name (`fs-0123456789abcdef0.fsx.us-west-2.amazonaws.com`). */
  readonly dnsName: string;
  /** Lustre mount name (8 characters, e.g. `abcdefgh`; `fsx` on SCRATCH_1). */
  readonly mountName: string;
}

/** Props of {@link LustreFileSystem}. */
export interface LustreFileSystemProps extends LustreFileSystemOptions {
  /** The platform's Kubernetes-side definition. */
  readonly definition: PlatformDefinition;
  /** The cluster: its VPC, a private subnet and the cluster security group (the nodes' group on EKS). */
  readonly cluster: eks.Cluster;
  /** The CSI driver the volume is mounted through. */
  readonly driver: FsxCsiDriver;
}

const THROUGHPUT: Record<LustreDeploymentType, number[] | undefined> = {
  [LustreDeploymentType.PERSISTENT_2]: [125, 250, 500, 1000],
  [LustreDeploymentType.SCRATCH_2]: undefined,
};

/**
 * An FSx for Lustre file system for datasets and checkpoints, and its static PersistentVolume and ReadWriteMany
 * PersistentVolumeClaim `<name>` in `namespace`, mountable by every training pod of that namespace.
 *
 * AWS side: the file system in the cluster's first private subnet, a security group allowing Lustre (TCP 988 and
 * 1018-1023) from the cluster security group and from itself (EFA: all traffic within the group). Kubernetes side:
 * component `lustre-<name>` (stage WORKLOADS) with the PV (CSI `fsx.csi.aws.com`, volume handle the file system id,
 * DNS name and mount name) and the PVC. A file system the stack creates has these attributes as CloudFormation tokens:
 * the CDK rendering applies the PV as is and the stack outputs them; the GitOps rendering refuses the PV and says to
 * pass them as `existing`, the way an existing file system is mounted in both renderings.
 */
export class LustreFileSystem extends Construct {
  /** The file system (undefined with `existing`). */
  public readonly fileSystem?: fsx.CfnFileSystem;
  /** Its security group (undefined with `existing`). */
  public readonly securityGroup?: ec2.SecurityGroup;
  /** The Kubernetes objects. */
  public readonly component: KubernetesComponent;
  /** Name of the PersistentVolumeClaim (and PersistentVolume). */
  public readonly claimName: string;
  /** Namespace of the claim. */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: LustreFileSystemProps) {
    super(scope, id);
    checkDnsLabel('name', props.name);
    checkDnsLabel('namespace', props.namespace);
    const type = props.deploymentType ?? LustreDeploymentType.PERSISTENT_2;
    const capacity = props.storageCapacity ?? Size.gibibytes(1200);
    const gib = capacity.toGibibytes();
    check(gib === 1200 || (gib > 0 && gib % 2400 === 0),
      `'storageCapacity' (${gib} GiB) of Lustre file system '${props.name}' must be 1200 GiB or a multiple of 2400 GiB (${type})`);
    const allowed = THROUGHPUT[type];
    const throughput = allowed !== undefined ? props.throughputPerTib ?? 250 : undefined;
    if (allowed === undefined) {
      check(props.throughputPerTib === undefined, `'throughputPerTib' of Lustre file system '${props.name}' applies to PERSISTENT_2 only, not ${type}`);
    } else {
      check(allowed.includes(throughput!),
        `'throughputPerTib' (${throughput}) of Lustre file system '${props.name}' must be one of ${allowed.join(', ')} MB/s/TiB for ${type}`);
    }
    const efa = props.efa ?? false;
    check(!efa || type === LustreDeploymentType.PERSISTENT_2,
      `'efa' of Lustre file system '${props.name}' needs deploymentType PERSISTENT_2, not ${type}`);
    this.claimName = props.name;
    this.namespace = props.namespace;

    let attributes: LustreFileSystemAttributes;
    let tokens: string | undefined;
    if (props.existing !== undefined) {
      attributes = { ...props.existing };
      const e = attributes;
      if ([e.fileSystemId, e.dnsName, e.mountName].some((v) => Token.isUnresolved(v))) {
        tokens = `The 'existing' attributes of Lustre file system '${props.name}' are CloudFormation tokens`;
      } else {
        check(/^fs-[0-9a-f]{8,17}$/.test(e.fileSystemId),
          `'existing.fileSystemId' (${e.fileSystemId}) of Lustre file system '${props.name}' must be an FSx id such as fs-0123456789abcdef0`);
        check(new RegExp(`^${e.fileSystemId}\\.fsx\\.[a-z]{2}(-[a-z]+)+-\\d+\\.amazonaws\\.com(\\.cn)?$`).test(e.dnsName),
          `'existing.dnsName' (${e.dnsName}) of Lustre file system '${props.name}' must be the DNS name of ${e.fileSystemId}: ${e.fileSystemId}.fsx.<region>.amazonaws.com`);
        check(/^[a-z0-9]{3,8}$/.test(e.mountName),
          `'existing.mountName' (${e.mountName}) of Lustre file system '${props.name}' must be its Lustre mount name: 3 to 8 lowercase letters and digits (LustreConfiguration.MountName)`);
      }
    } else {
      const created = this.createFileSystem(props, type, gib, throughput, efa);
      this.fileSystem = created.fileSystem;
      this.securityGroup = created.securityGroup;
      attributes = { fileSystemId: created.fileSystem.ref, dnsName: created.fileSystem.attrDnsName, mountName: created.fileSystem.attrLustreMountName };
      new CfnOutput(this, 'FileSystemId', { value: attributes.fileSystemId, description: `FSx for Lustre ${props.name}: existing.fileSystemId` });
      new CfnOutput(this, 'DnsName', { value: attributes.dnsName, description: `FSx for Lustre ${props.name}: existing.dnsName` });
      new CfnOutput(this, 'MountName', { value: attributes.mountName, description: `FSx for Lustre ${props.name}: existing.mountName` });
      tokens = `Lustre file system '${props.name}' is created by this stack, so its id, DNS name and mount name are CloudFormation tokens`;
    }

    this.component = new KubernetesComponent(props.definition, `Lustre-${props.name}-${props.namespace}`, {
      // No component namespace: the PersistentVolume is cluster-scoped, the claim names its own namespace.
      name: `lustre-${props.name}`,
      stage: Stage.WORKLOADS,
      description: `FSx for Lustre '${props.name}' (${gib} GiB ${type}) as PVC ${props.namespace}/${props.name} (ReadWriteMany)`,
    });
    this.component.addDependency(props.driver.driver);
    if (tokens !== undefined) {
      this.component.explainTokens(`${tokens}: create the file system first (deploy the stack once, it outputs FileSystemId, `
        + `DnsName and MountName; or run aws fsx create-file-system), then pass the literal values as `
        + `'existing: { fileSystemId, dnsName, mountName }'`);
    }
    const pvName = `lustre-${props.namespace}-${props.name}`;
    checkDnsSubdomain('PersistentVolume name', pvName);
    const storage = k8s.Quantity.fromString(`${gib}Gi`);
    new k8s.KubePersistentVolume(this.component, 'Volume', {
      metadata: { name: pvName },
      spec: {
        capacity: { storage },
        volumeMode: 'Filesystem',
        accessModes: ['ReadWriteMany'],
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: '',
        mountOptions: ['flock'],
        claimRef: { namespace: props.namespace, name: props.name },
        csi: {
          driver: FSX_CSI_DRIVER,
          volumeHandle: attributes.fileSystemId,
          volumeAttributes: { dnsname: attributes.dnsName, mountname: attributes.mountName },
        },
      },
    });
    new k8s.KubePersistentVolumeClaim(this.component, 'Claim', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        accessModes: ['ReadWriteMany'],
        storageClassName: '',
        volumeName: pvName,
        resources: { requests: { storage } },
      },
    });
  }

  private createFileSystem(
    props: LustreFileSystemProps, type: LustreDeploymentType, gib: number, throughput: number | undefined, efa: boolean,
  ): { fileSystem: fsx.CfnFileSystem; securityGroup: ec2.SecurityGroup } {
    const vpc = props.cluster.vpc;
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: `FSx for Lustre ${props.name} of EKS cluster ${props.definition.clusterName}`,
      allowAllOutbound: false,
    });
    const nodes = ec2.Peer.securityGroupId(props.cluster.clusterSecurityGroupId);
    securityGroup.addIngressRule(nodes, ec2.Port.tcp(988), 'Lustre from the cluster nodes');
    securityGroup.addIngressRule(nodes, ec2.Port.tcpRange(1018, 1023), 'Lustre from the cluster nodes');
    securityGroup.addIngressRule(securityGroup, ec2.Port.tcp(988), 'Lustre between file servers');
    securityGroup.addIngressRule(securityGroup, ec2.Port.tcpRange(1018, 1023), 'Lustre between file servers');
    if (efa) {
      // EFA-enabled FSx needs a group that allows all traffic to and from itself.
      securityGroup.addIngressRule(securityGroup, ec2.Port.allTraffic(), 'EFA between file servers and clients');
      securityGroup.addEgressRule(securityGroup, ec2.Port.allTraffic(), 'EFA between file servers and clients');
    }
    securityGroup.addEgressRule(nodes, ec2.Port.tcp(988), 'Lustre to the cluster nodes');
    securityGroup.addEgressRule(nodes, ec2.Port.tcpRange(1018, 1023), 'Lustre to the cluster nodes');

    const subnets = vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds;
    const fileSystem = new fsx.CfnFileSystem(this, 'Resource', {
      fileSystemType: 'LUSTRE',
      fileSystemTypeVersion: '2.15',
      storageCapacity: gib,
      storageType: 'SSD',
      subnetIds: [subnets[0]],
      securityGroupIds: [securityGroup.securityGroupId],
      lustreConfiguration: {
        deploymentType: type,
        perUnitStorageThroughput: throughput,
        dataCompressionType: 'LZ4',
        efaEnabled: efa ? true : undefined,
        metadataConfiguration: type === LustreDeploymentType.PERSISTENT_2 ? { mode: 'AUTOMATIC' } : undefined,
      },
      tags: [{ key: 'Name', value: `${props.definition.clusterName}-${props.name}` }],
    });
    fileSystem.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    return { fileSystem, securityGroup };
  }

  /** A pod volume that mounts the claim (add it to a TrainJob's runtime patch or a RayJob's pods). */
  public podVolume(name = this.claimName): k8s.Volume {
    return { name, persistentVolumeClaim: { claimName: this.claimName } };
  }
}
