import { Size, SizeRoundingBehavior } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  Ec2NodeClass as Ec2NodeClassL1, Ec2NodeClassSpecBlockDeviceMappings, Ec2NodeClassSpecBlockDeviceMappingsEbsVolumeType,
  Ec2NodeClassSpecMetadataOptionsHttpEndpoint, Ec2NodeClassSpecMetadataOptionsHttpProtocolIPv6,
  Ec2NodeClassSpecMetadataOptionsHttpTokens,
} from '../../imports/karpenter-ec2nodeclass-karpenter.k8s.aws';
import { check, checkDnsSubdomain } from '../core/validation';
import { AL2023_AMI_ALIAS } from '../versions';

/** Options of an EC2NodeClass. */
export interface Ec2NodeClassOptions {
  /** Object name. @default - the construct id */
  readonly name?: string;
  /**
   * AMI alias, pinned to a release (`al2023@v20260930`, `bottlerocket@v1.55.0`). Never `@latest`.
   * @default AL2023_AMI_ALIAS.alias
   * @see https://karpenter.sh/docs/concepts/nodeclasses/#specamiselectorterms
   */
  readonly amiAlias?: string;
  /** Root volume size. @default Size.gibibytes(100) */
  readonly rootVolumeSize?: Size;
  /** Root volume throughput in MiB/s (gp3: 125-1000). @default 125 */
  readonly rootVolumeThroughput?: number;
  /** Root volume IOPS (gp3: 3000-16000). @default 3000 */
  readonly rootVolumeIops?: number;
  /** Extra EC2 tags on instances and volumes. @default - none */
  readonly tags?: Record<string, string>;
}

/** Props of an EC2NodeClass. */
export interface Ec2NodeClassProps extends Ec2NodeClassOptions {
  /** Cluster name: the discovery tag of subnets and security groups. */
  readonly clusterName: string;
  /** Name of the IAM role Karpenter's nodes run with. */
  readonly nodeRoleName: string;
}

/**
 * A Karpenter `EC2NodeClass`: AMI, subnets and security groups found by the `karpenter.sh/discovery` tag, the node
 * role, an encrypted gp3 root volume and IMDSv2 with hop limit 1 (pods use EKS Pod Identity, not the node role).
 * The GPU layer extends it with EFA interfaces, placement groups and capacity reservations.
 */
export class Ec2NodeClass extends Construct {
  /** Object name. */
  public readonly name: string;
  /** AMI alias. */
  public readonly amiAlias: string;
  /** The generated `karpenter.k8s.aws/v1` object. */
  public readonly resource: Ec2NodeClassL1;

  constructor(scope: Construct, id: string, props: Ec2NodeClassProps) {
    super(scope, id);
    this.name = props.name ?? id;
    checkDnsSubdomain('name', this.name);
    this.amiAlias = props.amiAlias ?? AL2023_AMI_ALIAS.alias;
    check(
      /^(al2023|bottlerocket)@v?\d[\w.]*$/.test(this.amiAlias),
      `'amiAlias' (${this.amiAlias}) must pin an AMI release, e.g. ${AL2023_AMI_ALIAS.alias} or bottlerocket@v1.55.0; '@latest' drifts every node on each AMI release`,
    );
    const size = (props.rootVolumeSize ?? Size.gibibytes(100)).toGibibytes({ rounding: SizeRoundingBehavior.NONE });
    check(Number.isInteger(size), `'rootVolumeSize' (${size} GiB) must be a whole number of GiB`);
    check(size >= 20 && size <= 16384, `'rootVolumeSize' (${size} GiB) must be between 20 and 16384 GiB`);
    const throughput = props.rootVolumeThroughput ?? 125;
    check(throughput >= 125 && throughput <= 1000, `'rootVolumeThroughput' (${throughput}) must be between 125 and 1000 MiB/s (gp3)`);
    const iops = props.rootVolumeIops ?? 3000;
    check(iops >= 3000 && iops <= 16000, `'rootVolumeIops' (${iops}) must be between 3000 and 16000 (gp3)`);
    check(throughput <= iops / 4,
      `'rootVolumeThroughput' (${throughput}) must be at most 0.25 MiB/s per provisioned IOPS (${iops} IOPS allow ${Math.floor(iops / 4)}) (gp3)`);
    check(iops <= size * 500, `'rootVolumeIops' (${iops}) must be at most 500 per GiB of the ${size} GiB root volume (gp3)`);
    const discovery = { 'karpenter.sh/discovery': props.clusterName };
    const bottlerocket = this.amiAlias.startsWith('bottlerocket');
    const blockDevices: Ec2NodeClassSpecBlockDeviceMappings[] = bottlerocket
      ? [
        { deviceName: '/dev/xvda', ebs: { volumeSize: '4Gi', volumeType: Ec2NodeClassSpecBlockDeviceMappingsEbsVolumeType.GP3, encrypted: true, deleteOnTermination: true } },
        { deviceName: '/dev/xvdb', rootVolume: true, ebs: { volumeSize: `${size}Gi`, volumeType: Ec2NodeClassSpecBlockDeviceMappingsEbsVolumeType.GP3, iops, throughput, encrypted: true, deleteOnTermination: true } },
      ]
      : [{ deviceName: '/dev/xvda', rootVolume: true, ebs: { volumeSize: `${size}Gi`, volumeType: Ec2NodeClassSpecBlockDeviceMappingsEbsVolumeType.GP3, iops, throughput, encrypted: true, deleteOnTermination: true } }];
    this.resource = new Ec2NodeClassL1(this, 'Resource', {
      metadata: { name: this.name },
      spec: {
        role: props.nodeRoleName,
        amiSelectorTerms: [{ alias: this.amiAlias }],
        subnetSelectorTerms: [{ tags: discovery }],
        securityGroupSelectorTerms: [{ tags: discovery }],
        blockDeviceMappings: blockDevices,
        metadataOptions: {
          httpEndpoint: Ec2NodeClassSpecMetadataOptionsHttpEndpoint.ENABLED,
          httpProtocolIPv6: Ec2NodeClassSpecMetadataOptionsHttpProtocolIPv6.DISABLED,
          httpPutResponseHopLimit: 1,
          httpTokens: Ec2NodeClassSpecMetadataOptionsHttpTokens.REQUIRED,
        },
        tags: props.tags && Object.keys(props.tags).length > 0 ? { ...props.tags } : undefined,
      },
    });
  }
}
