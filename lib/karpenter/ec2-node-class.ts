import { ApiObject } from 'cdk8s';
import { Size, SizeRoundingBehavior } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  Ec2NodeClass as Ec2NodeClassL1, Ec2NodeClassSpecBlockDeviceMappings, Ec2NodeClassSpecBlockDeviceMappingsEbsVolumeType,
  Ec2NodeClassSpecMetadataOptionsHttpEndpoint, Ec2NodeClassSpecMetadataOptionsHttpProtocolIPv6,
  Ec2NodeClassSpecMetadataOptionsHttpTokens, Ec2NodeClassSpecNetworkInterfaces, Ec2NodeClassSpecCapacityReservationSelectorTerms,
  Ec2NodeClassSpecNetworkInterfacesInterfaceType, Ec2NodeClassSpecInstanceStorePolicy,
} from '../../imports/karpenter-ec2nodeclass-karpenter.k8s.aws';
import { check, checkDnsSubdomain } from '../core/validation';
import { AL2023_AMI_ALIAS } from '../versions';

/**
 * Selects On-Demand Capacity Reservations or Capacity Blocks for ML (Karpenter models both as reservations and does
 * no open matching: every reservation a pool may use must be selected).
 * @see https://karpenter.sh/docs/tasks/odcrs/
 */
export class CapacityReservationSelector {
  /** One reservation by id (`cr-0123456789abcdef0`). */
  public static byId(id: string): CapacityReservationSelector {
    check(/^cr-[0-9a-z]+$/.test(id), `capacity reservation id (${id}) must look like cr-0123456789abcdef0`);
    return new CapacityReservationSelector({ id });
  }

  /** Every reservation carrying these tags (a value of '*' matches any value), optionally of one owner account. */
  public static byTags(tags: Record<string, string>, ownerAccountId?: string): CapacityReservationSelector {
    const entries = Object.entries(tags);
    check(entries.length > 0 && entries.length <= 20 && entries.every(([k, v]) => k !== '' && v !== ''),
      `capacity reservation tags (${JSON.stringify(tags)}) must be 1-20 non-empty keys with non-empty values`);
    if (ownerAccountId !== undefined) {
      check(/^[0-9]{12}$/.test(ownerAccountId), `capacity reservation owner (${ownerAccountId}) must be a 12-digit AWS account id`);
    }
    return new CapacityReservationSelector({ tags: { ...tags }, ownerId: ownerAccountId });
  }

  private constructor(private readonly term: Ec2NodeClassSpecCapacityReservationSelectorTerms) {}

  /** The `capacityReservationSelectorTerms` entry. */
  /** @internal */
  public _toTerm(): Ec2NodeClassSpecCapacityReservationSelectorTerms {
    return { ...this.term, tags: this.term.tags ? { ...this.term.tags } : undefined };
  }
}

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
  /** Capacity reservations the nodes may launch into. @default - none */
  readonly capacityReservations?: CapacityReservationSelector[];
  /** Name of an EC2 placement group the nodes launch into (e.g. a cluster placement group for EFA). @default - none */
  readonly placementGroupName?: string;
  /**
   * EFA devices per node: the primary ENA interface on card 0 plus one `efa-only` interface on each of this many
   * network cards. 0 = no EFA layout.
   * @default 0
   */
  readonly efaInterfaces?: number;
  /** Stripe instance-store NVMe disks into one RAID0 volume for images and ephemeral storage. @default false */
  readonly instanceStoreRaid0?: boolean;
}

/** Props of an EC2NodeClass. */
export interface Ec2NodeClassProps extends Ec2NodeClassOptions {
  /** Cluster name: the discovery tag of subnets and security groups. */
  readonly clusterName: string;
  /** Name of the IAM role Karpenter's nodes run with. */
  readonly nodeRoleName: string;
}

/**
 * The EFA layout Karpenter launches with: the primary interface (ENA) at card 0 / device 0, and an `efa-only`
 * interface at device 1 of each of the first `count` network cards (the device index Karpenter itself uses for
 * EFA interfaces on secondary cards).
 */
function efaNetworkInterfaces(count: number): Ec2NodeClassSpecNetworkInterfaces[] {
  const out: Ec2NodeClassSpecNetworkInterfaces[] = [
    { networkCardIndex: 0, deviceIndex: 0, interfaceType: Ec2NodeClassSpecNetworkInterfacesInterfaceType.INTERFACE },
  ];
  for (let card = 0; card < count; card++) {
    out.push({ networkCardIndex: card, deviceIndex: 1, interfaceType: Ec2NodeClassSpecNetworkInterfacesInterfaceType.EFA_HYPHEN_ONLY });
  }
  return out;
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
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: Ec2NodeClassProps) {
    super(scope, id);
    this.name = props.name ?? id;
    checkDnsSubdomain('name', this.name);
    this.amiAlias = props.amiAlias ?? AL2023_AMI_ALIAS.alias;
    check(
      /^(al2023|bottlerocket)@v?\d[\w.]*$/.test(this.amiAlias),
      `'amiAlias' (${this.amiAlias}) must pin an AMI release, e.g. ${AL2023_AMI_ALIAS.alias} or bottlerocket@v1.55.0; '@latest' drifts every node on each AMI release`,
    );
    check(this.amiAlias.length <= 30, `'amiAlias' (${this.amiAlias}) must be at most 30 characters (EC2NodeClass amiSelectorTerms.alias)`);
    for (const key of Object.keys(props.tags ?? {})) checkTagKey(key);
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
    const efa = props.efaInterfaces ?? 0;
    check(Number.isInteger(efa) && efa >= 0 && efa <= 64, `'efaInterfaces' (${efa}) must be an integer from 0 to 64`);
    if (props.placementGroupName !== undefined) {
      check(props.placementGroupName.trim().length > 0, `'placementGroupName' must not be empty`);
    }
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
        capacityReservationSelectorTerms: props.capacityReservations && props.capacityReservations.length > 0
          ? props.capacityReservations.map((c) => c._toTerm()) : undefined,
        placementGroupSelector: props.placementGroupName !== undefined ? { name: props.placementGroupName } : undefined,
        networkInterfaces: efa > 0 ? efaNetworkInterfaces(efa) : undefined,
        instanceStorePolicy: props.instanceStoreRaid0 ? Ec2NodeClassSpecInstanceStorePolicy.RAID0 : undefined,
      },
    });
  }
}

/** Tag keys Karpenter sets itself on instances; the EC2NodeClass CRD refuses them in `tags`. */
const RESTRICTED_TAGS = ['eks:eks-cluster-name', 'karpenter.sh/nodepool', 'karpenter.sh/nodeclaim', 'karpenter.k8s.aws/ec2nodeclass'];

/** Checks an EC2 tag key of an EC2NodeClass: not empty, not one Karpenter or EKS sets itself. */
function checkTagKey(key: string): void {
  check(key !== '', `'tags' of an EC2NodeClass must not have an empty key`);
  check(!RESTRICTED_TAGS.includes(key) && !key.startsWith('kubernetes.io/cluster'),
    `tag '${key}' in 'tags' is set by Karpenter or EKS itself and is refused by the EC2NodeClass: restricted are ${RESTRICTED_TAGS.join(', ')} and kubernetes.io/cluster/*`);
}
