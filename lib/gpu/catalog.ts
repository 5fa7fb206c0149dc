import { Size, SizeRoundingBehavior } from 'aws-cdk-lib';
import { check, PlatformValidationError } from '../core/validation';

/*
 * Catalog of the EC2 NVIDIA GPU instance types Karpenter can launch, as data the rest of the library uses.
 *
 * Hardware facts (vCPUs, memory, GPU count, GPU name and memory, EFA interfaces, local NVMe) were read from Karpenter's
 * generated instance-type reference, aws/karpenter-provider-aws:website/content/en/v1.14/reference/instance-types.md
 * (labels `karpenter.k8s.aws/instance-*`, resource `vpc.amazonaws.com/efa`). Families with fractional GPUs
 * (`g6f`, `gr6f`: `instance-gpu-count` 0) and pre-Ampere GPUs (`g4dn` T4, `g5g` T4G, `p3dn` V100) are left out.
 * `p6e-gb200` does not appear in that reference, so it is not here either. Prices: see {@link GPU_PRICES}.
 */

/** How an instance type's price in the catalog ({@link GpuInstanceType.usdPerHour}) is charged. */
export enum PriceBasis {
  /** On-demand, per instance hour. */
  ON_DEMAND = 'on-demand',
  /**
   * Capacity Blocks for ML only (no on-demand offering): the rate is set when the block is bought; the catalog's is
   * the last published one.
   */
  CAPACITY_BLOCK = 'capacity-block',
}

/** NVIDIA GPU micro-architecture (closed set: the generations the catalog carries). */
export enum GpuArchitecture {
  /** Ampere (A10G, A100). No hardware FP8. */
  AMPERE = 'ampere',
  /** Ada Lovelace (L4, L40S). */
  ADA_LOVELACE = 'ada-lovelace',
  /** Hopper (H100, H200). */
  HOPPER = 'hopper',
  /** Blackwell (B200, B300, RTX PRO Blackwell Server Edition). */
  BLACKWELL = 'blackwell',
}

/** CPU architecture of an instance type, as in the `kubernetes.io/arch` node label. */
export enum CpuArchitecture {
  /** x86-64. */
  AMD64 = 'amd64',
  /** 64-bit Arm (Graviton / Grace). */
  ARM64 = 'arm64',
}

/** Properties of a {@link GpuModel}. */
export interface GpuModelProps {
  /** Name shown to users and accepted by {@link GpuModel.fromName}, e.g. `H100`, `A100_80GB`. */
  readonly displayName: string;
  /**
   * Value of the node label `karpenter.k8s.aws/instance-gpu-name`, e.g. `h100`, `rtx-pro-server-6000`.
   * @see https://karpenter.sh/docs/reference/instance-types/
   */
  readonly karpenterName: string;
  /** Memory of one GPU, as Karpenter's `karpenter.k8s.aws/instance-gpu-memory` label (MiB). */
  readonly memory: Size;
  /** Micro-architecture. */
  readonly architecture: GpuArchitecture;
  /** Whether the GPU has hardware FP8 (Ada Lovelace, Hopper, Blackwell), e.g. for `--kv-cache-dtype fp8`. */
  readonly fp8: boolean;
  /** Whether the GPU supports Multi-Instance GPU partitioning. */
  readonly mig: boolean;
}

const KARPENTER_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Mebibytes of a size, rejecting tokens: catalog data drives synth-time decisions and must be literal. */
function mebibytes(size: Size, what: string): number {
  check(!size.isUnresolved(), `${what} must be a literal size, not a token`);
  return mib(size);
}

/** MiB of a literal size, fractions kept. */
function mib(size: Size): number {
  return size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
}

/** Lower case without spaces, '_' and '-', so 'A100 80GB', 'a100-80gb' and 'A100_80GB' compare equal. */
function normalizeGpuName(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_-]/g, '');
}

/** `a`, `a or b`, `a, b or c`. */
function orList(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/**
 * An NVIDIA GPU model. Open set: the catalog's models are constants; {@link GpuModel.of} describes any other.
 * Memory values are Karpenter's `instance-gpu-memory` label values (MiB), not the marketing GB figure.
 */
export class GpuModel {
  /** NVIDIA A10G (g5), 22888 MiB. */
  public static readonly A10G = new GpuModel({
    displayName: 'A10G', karpenterName: 'a10g', memory: Size.mebibytes(22888),
    architecture: GpuArchitecture.AMPERE, fp8: false, mig: false,
  });

  /** NVIDIA L4 (g6, gr6), 22888 MiB. */
  public static readonly L4 = new GpuModel({
    displayName: 'L4', karpenterName: 'l4', memory: Size.mebibytes(22888),
    architecture: GpuArchitecture.ADA_LOVELACE, fp8: true, mig: false,
  });

  /** NVIDIA L40S (g6e), 45776 MiB. */
  public static readonly L40S = new GpuModel({
    displayName: 'L40S', karpenterName: 'l40s', memory: Size.mebibytes(45776),
    architecture: GpuArchitecture.ADA_LOVELACE, fp8: true, mig: false,
  });

  /** NVIDIA A100 40 GB (p4d), 40960 MiB. Karpenter names both A100 variants `a100`; memory tells them apart. */
  public static readonly A100_40GB = new GpuModel({
    displayName: 'A100_40GB', karpenterName: 'a100', memory: Size.mebibytes(40960),
    architecture: GpuArchitecture.AMPERE, fp8: false, mig: true,
  });

  /** NVIDIA A100 80 GB (p4de), 81920 MiB. */
  public static readonly A100_80GB = new GpuModel({
    displayName: 'A100_80GB', karpenterName: 'a100', memory: Size.mebibytes(81920),
    architecture: GpuArchitecture.AMPERE, fp8: false, mig: true,
  });

  /** NVIDIA H100 (p5), 81920 MiB. */
  public static readonly H100 = new GpuModel({
    displayName: 'H100', karpenterName: 'h100', memory: Size.mebibytes(81920),
    architecture: GpuArchitecture.HOPPER, fp8: true, mig: true,
  });

  /** NVIDIA H200 (p5e, p5en), 144384 MiB. */
  public static readonly H200 = new GpuModel({
    displayName: 'H200', karpenterName: 'h200', memory: Size.mebibytes(144384),
    architecture: GpuArchitecture.HOPPER, fp8: true, mig: true,
  });

  /** NVIDIA B200 (p6-b200), 183359 MiB. */
  public static readonly B200 = new GpuModel({
    displayName: 'B200', karpenterName: 'b200', memory: Size.mebibytes(183359),
    architecture: GpuArchitecture.BLACKWELL, fp8: true, mig: true,
  });

  /** NVIDIA B300 (p6-b300), 275040 MiB. */
  public static readonly B300 = new GpuModel({
    displayName: 'B300', karpenterName: 'b300', memory: Size.mebibytes(275040),
    architecture: GpuArchitecture.BLACKWELL, fp8: true, mig: true,
  });

  /**
   * NVIDIA RTX PRO 4500 Blackwell Server Edition (g7), 32768 MiB. MIG: NVIDIA AI Enterprise lists MIG profiles
   * (1g.16gb, 2g.32gb) for the RTX Pro 4500 SE (docs.nvidia.com/ai-enterprise vGPU reference, Blackwell).
   */
  public static readonly RTX_PRO_4500 = new GpuModel({
    displayName: 'RTX_PRO_4500', karpenterName: 'rtx-pro-4500', memory: Size.mebibytes(32768),
    architecture: GpuArchitecture.BLACKWELL, fp8: true, mig: true,
  });

  /** NVIDIA RTX PRO 6000 Blackwell Server Edition (g7e), 98304 MiB; MIG capable (up to 4 instances). */
  public static readonly RTX_PRO_6000 = new GpuModel({
    displayName: 'RTX_PRO_6000', karpenterName: 'rtx-pro-server-6000', memory: Size.mebibytes(98304),
    architecture: GpuArchitecture.BLACKWELL, fp8: true, mig: true,
  });

  /** A GPU model the catalog does not know. It is not added to the catalog. */
  public static of(props: GpuModelProps): GpuModel {
    return new GpuModel(props);
  }

  /**
   * A catalog model by display name (`H100`, `A100_80GB`, `RTX_PRO_6000`) or Karpenter GPU name (`h100`,
   * `rtx-pro-server-6000`). Case, spaces, `_` and `-` are ignored. `A100` alone is ambiguous and throws.
   */
  public static fromName(name: string): GpuModel {
    const wanted = normalizeGpuName(name);
    const matches = GpuModel.all().filter((m) =>
      normalizeGpuName(m.displayName) === wanted || normalizeGpuName(m.karpenterName) === wanted);
    if (matches.length > 1) {
      throw new PlatformValidationError(`GPU '${name}' is ambiguous: use ${orList(matches.map((m) => m.displayName))}`);
    }
    if (matches.length === 0) {
      throw new PlatformValidationError(
        `unknown GPU '${name}': use one of ${GpuModel.all().map((m) => m.displayName).join(', ')}`);
    }
    return matches[0];
  }

  /** The catalog's models, oldest architecture first. */
  public static all(): GpuModel[] {
    return [
      GpuModel.A10G, GpuModel.L4, GpuModel.L40S, GpuModel.A100_40GB, GpuModel.A100_80GB, GpuModel.H100, GpuModel.H200,
      GpuModel.B200, GpuModel.B300, GpuModel.RTX_PRO_4500, GpuModel.RTX_PRO_6000,
    ];
  }

  /** Name shown to users, e.g. `H100`. */
  public readonly displayName: string;
  /** Value of `karpenter.k8s.aws/instance-gpu-name`, e.g. `h100`. */
  public readonly karpenterName: string;
  /** Memory of one GPU (MiB precision, Karpenter's `instance-gpu-memory`). */
  public readonly memory: Size;
  /** Micro-architecture. */
  public readonly architecture: GpuArchitecture;
  /** Hardware FP8. */
  public readonly fp8: boolean;
  /** Multi-Instance GPU capable. */
  public readonly mig: boolean;

  private constructor(props: GpuModelProps) {
    check(props.displayName.trim().length > 0, `'displayName' of a GPU model must not be empty`);
    check(KARPENTER_NAME.test(props.karpenterName),
      `'karpenterName' (${props.karpenterName}) of GPU '${props.displayName}' must be a value of karpenter.k8s.aws/instance-gpu-name: lower-case letters, digits and '-', e.g. 'h100'`);
    const mib = mebibytes(props.memory, `'memory' of GPU '${props.displayName}'`);
    check(mib > 0, `'memory' of GPU '${props.displayName}' (${mib} MiB) must be positive`);
    this.displayName = props.displayName;
    this.karpenterName = props.karpenterName;
    this.memory = props.memory;
    this.architecture = props.architecture;
    this.fp8 = props.fp8;
    this.mig = props.mig;
  }
}

/** Same model: Karpenter name and memory (the two A100 variants share a Karpenter name). */
function sameModel(a: GpuModel, b: GpuModel): boolean {
  return a.karpenterName === b.karpenterName && mib(a.memory) === mib(b.memory);
}

/** Properties of a {@link GpuInstanceType}. */
export interface GpuInstanceTypeProps {
  /** EC2 instance type, e.g. `p5.48xlarge`. */
  readonly name: string;
  /** Karpenter's `karpenter.k8s.aws/instance-family`: the part of the name before the '.', e.g. `p6-b200` (not `p6`). */
  readonly family: string;
  /** GPU model. */
  readonly gpu: GpuModel;
  /** GPUs per instance (`karpenter.k8s.aws/instance-gpu-count`). */
  readonly gpuCount: number;
  /** vCPUs (`karpenter.k8s.aws/instance-cpu`). */
  readonly vcpus: number;
  /** Instance memory (`karpenter.k8s.aws/instance-memory`, MiB). */
  readonly memory: Size;
  /** EFA interfaces Karpenter advertises as `vpc.amazonaws.com/efa`; 0 = no EFA. */
  readonly efaInterfaces: number;
  /** CPU architecture. */
  readonly cpuArchitecture: CpuArchitecture;
  /** GPUs connected by NVLink (NVSwitch) within the instance. */
  readonly nvlink: boolean;
  /** Instance-store NVMe present (`karpenter.k8s.aws/instance-local-nvme`), e.g. for a RAID0 of the disks. */
  readonly localNvme: boolean;
  /**
   * On-demand Linux price in us-east-1, USD per instance hour.
   * @default - EC2 sells no on-demand capacity of the type: set `capacityBlockUsdPerHour`
   */
  readonly onDemandUsdPerHour?: number;
  /**
   * Capacity Block rate, USD per instance hour, for a type EC2 sells only as Capacity Blocks for ML (e.g.
   * `p5e.48xlarge`). Used for ranking and cost reports when there is no on-demand price.
   * @default - none
   * @see https://aws.amazon.com/ec2/capacityblocks/pricing/
   */
  readonly capacityBlockUsdPerHour?: number;
}

/** Marks a size EC2 sells only as Capacity Blocks (no on-demand price); its rate is in CAPACITY_BLOCK_RATES. */
const CAPACITY_BLOCKS_ONLY = 'capacity-blocks-only';

/**
 * Last published Capacity Block rates (USD per instance hour) of the types without an on-demand offering. p5e.48xlarge:
 * $43.26 in us-east-2 from the AWS Capacity Blocks pricing page as mirrored in late 2024 ("current prices are scheduled
 * to be updated on January 1, 2025"): STALE. Capacity Block prices are set at purchase and change over time.
 */
const CAPACITY_BLOCK_RATES: Readonly<Record<string, number>> = { 'p5e.48xlarge': 43.26 };

/** One row of a family table: size, vCPUs, memory MiB, GPUs, EFA interfaces, on-demand USD per hour. */
type SizeRow = readonly [
  size: string, vcpus: number, memoryMiB: number, gpus: number, efa: number, usdPerHour: number | typeof CAPACITY_BLOCKS_ONLY,
];

/** The sizes of one instance family, as read from Karpenter's instance-type reference. */
interface FamilyTable {
  readonly family: string;
  readonly gpu: GpuModel;
  readonly cpuArchitecture: CpuArchitecture;
  /** NVLink between the GPUs of multi-GPU sizes. */
  readonly nvlink: boolean;
  readonly localNvme: boolean;
  readonly sizes: readonly SizeRow[];
}

const AMD64 = CpuArchitecture.AMD64;

/** Source: aws/karpenter-provider-aws:website/content/en/v1.14/reference/instance-types.md. Prices: GPU_PRICES. */
const FAMILIES: readonly FamilyTable[] = [
  {
    family: 'g5', gpu: GpuModel.A10G, cpuArchitecture: AMD64, nvlink: false, localNvme: true,
    sizes: [
      ['xlarge', 4, 16384, 1, 0, 1.006],
      ['2xlarge', 8, 32768, 1, 0, 1.212],
      ['4xlarge', 16, 65536, 1, 0, 1.624],
      ['8xlarge', 32, 131072, 1, 1, 2.448],
      ['12xlarge', 48, 196608, 4, 1, 5.672],
      ['16xlarge', 64, 262144, 1, 1, 4.096],
      ['24xlarge', 96, 393216, 4, 1, 8.144],
      ['48xlarge', 192, 786432, 8, 1, 16.288],
    ],
  },
  {
    family: 'g6', gpu: GpuModel.L4, cpuArchitecture: AMD64, nvlink: false, localNvme: true,
    sizes: [
      ['xlarge', 4, 16384, 1, 0, 0.8048],
      ['2xlarge', 8, 32768, 1, 0, 0.9776],
      ['4xlarge', 16, 65536, 1, 0, 1.3232],
      ['8xlarge', 32, 131072, 1, 1, 2.0144],
      ['12xlarge', 48, 196608, 4, 1, 4.6016],
      ['16xlarge', 64, 262144, 1, 1, 3.3968],
      ['24xlarge', 96, 393216, 4, 1, 6.6752],
      ['48xlarge', 192, 786432, 8, 1, 13.3504],
    ],
  },
  {
    family: 'g6e', gpu: GpuModel.L40S, cpuArchitecture: AMD64, nvlink: false, localNvme: true,
    sizes: [
      ['xlarge', 4, 32768, 1, 0, 1.861],
      ['2xlarge', 8, 65536, 1, 0, 2.24208],
      ['4xlarge', 16, 131072, 1, 0, 3.00424],
      ['8xlarge', 32, 262144, 1, 1, 4.52856],
      ['12xlarge', 48, 393216, 4, 1, 10.49264],
      ['16xlarge', 64, 524288, 1, 1, 7.57719],
      ['24xlarge', 96, 786432, 4, 2, 15.06559],
      ['48xlarge', 192, 1572864, 8, 4, 30.13118],
    ],
  },
  {
    family: 'g7', gpu: GpuModel.RTX_PRO_4500, cpuArchitecture: AMD64, nvlink: false, localNvme: true,
    sizes: [
      ['2xlarge', 8, 32768, 1, 0, 2.52],
      ['4xlarge', 16, 65536, 1, 0, 3.04208],
      ['8xlarge', 32, 131072, 1, 1, 4.08624],
      ['12xlarge', 48, 196608, 2, 1, 7.12832],
      ['24xlarge', 96, 393216, 4, 1, 14.25664],
      ['48xlarge', 192, 786432, 8, 2, 28.51328],
    ],
  },
  {
    family: 'g7e', gpu: GpuModel.RTX_PRO_6000, cpuArchitecture: AMD64, nvlink: false, localNvme: true,
    sizes: [
      ['2xlarge', 8, 65536, 1, 0, 3.36312],
      ['4xlarge', 16, 131072, 1, 0, 3.99816],
      ['8xlarge', 32, 262144, 1, 1, 5.26824],
      ['12xlarge', 48, 524288, 2, 1, 8.28608],
      ['24xlarge', 96, 1048576, 4, 2, 16.57216],
      ['48xlarge', 192, 2097152, 8, 4, 33.14432],
    ],
  },
  {
    family: 'gr6', gpu: GpuModel.L4, cpuArchitecture: AMD64, nvlink: false, localNvme: true,
    sizes: [
      ['4xlarge', 16, 131072, 1, 0, 1.5392],
      ['8xlarge', 32, 262144, 1, 1, 2.4464],
    ],
  },
  {
    family: 'p4d', gpu: GpuModel.A100_40GB, cpuArchitecture: AMD64, nvlink: true, localNvme: true,
    sizes: [['24xlarge', 96, 1179648, 8, 4, 21.957642]],
  },
  {
    family: 'p4de', gpu: GpuModel.A100_80GB, cpuArchitecture: AMD64, nvlink: true, localNvme: true,
    sizes: [['24xlarge', 96, 1179648, 8, 4, 27.44705]],
  },
  {
    family: 'p5', gpu: GpuModel.H100, cpuArchitecture: AMD64, nvlink: true, localNvme: true,
    sizes: [
      ['4xlarge', 16, 262144, 1, 1, 6.88],
      ['48xlarge', 192, 2097152, 8, 32, 55.04],
    ],
  },
  {
    family: 'p5e', gpu: GpuModel.H200, cpuArchitecture: AMD64, nvlink: true, localNvme: true,
    sizes: [['48xlarge', 192, 2097152, 8, 32, CAPACITY_BLOCKS_ONLY]],
  },
  {
    family: 'p5en', gpu: GpuModel.H200, cpuArchitecture: AMD64, nvlink: true, localNvme: true,
    sizes: [['48xlarge', 192, 2097152, 8, 16, 63.296]],
  },
  {
    family: 'p6-b200', gpu: GpuModel.B200, cpuArchitecture: AMD64, nvlink: true, localNvme: true,
    sizes: [['48xlarge', 192, 2097152, 8, 8, 113.9328]],
  },
  {
    family: 'p6-b300', gpu: GpuModel.B300, cpuArchitecture: AMD64, nvlink: true, localNvme: true,
    sizes: [['48xlarge', 192, 4194304, 8, 16, 142.416]],
  },
];

const INSTANCE_TYPE_NAME = /^[a-z0-9][a-z0-9-]*\.[a-z0-9-]+$/;

/** Whether `n` is an integer of at least `min`. */
function isIntAtLeast(n: number, min: number): boolean {
  return Number.isInteger(n) && n >= min;
}

/**
 * An EC2 instance type with NVIDIA GPUs. Open set: {@link GpuInstanceType.of} looks up the catalog,
 * {@link GpuInstanceType.custom} describes a type the catalog does not carry.
 */
export class GpuInstanceType {
  /** A catalog instance type by name, e.g. `p5.48xlarge`. */
  public static of(name: string): GpuInstanceType {
    const found = GpuInstanceType.CATALOG.find((t) => t.name === name);
    if (!found) {
      throw new PlatformValidationError(unknownInstanceTypeMessage(name));
    }
    return found;
  }

  /** An instance type the catalog does not know (or one with other values). It is not added to the catalog. */
  public static custom(props: GpuInstanceTypeProps): GpuInstanceType {
    return new GpuInstanceType(props);
  }

  /** Every catalog instance type, in catalog order (family, then size). */
  public static all(): GpuInstanceType[] {
    return [...GpuInstanceType.CATALOG];
  }

  /** The catalog's instance families (Karpenter `instance-family` values), in catalog order. */
  public static families(): string[] {
    return [...new Set(GpuInstanceType.CATALOG.map((t) => t.family))];
  }

  private static readonly CATALOG: readonly GpuInstanceType[] = FAMILIES.flatMap((f) =>
    f.sizes.map(([size, vcpus, memoryMiB, gpus, efa, usd]) => new GpuInstanceType({
      name: `${f.family}.${size}`,
      family: f.family,
      gpu: f.gpu,
      gpuCount: gpus,
      vcpus,
      memory: Size.mebibytes(memoryMiB),
      efaInterfaces: efa,
      cpuArchitecture: f.cpuArchitecture,
      nvlink: f.nvlink && gpus > 1,
      localNvme: f.localNvme,
      ...(usd === CAPACITY_BLOCKS_ONLY
        ? { capacityBlockUsdPerHour: CAPACITY_BLOCK_RATES[`${f.family}.${size}`] }
        : { onDemandUsdPerHour: usd }),
    })));

  /** EC2 instance type, e.g. `p5.48xlarge`. */
  public readonly name: string;
  /** Karpenter `instance-family`, e.g. `p6-b200`. */
  public readonly family: string;
  /** GPU model. */
  public readonly gpu: GpuModel;
  /** GPUs per instance. */
  public readonly gpuCount: number;
  /** vCPUs. */
  public readonly vcpus: number;
  /** Instance memory. */
  public readonly memory: Size;
  /** EFA interfaces (`vpc.amazonaws.com/efa`); 0 = no EFA. */
  public readonly efaInterfaces: number;
  /** CPU architecture. */
  public readonly cpuArchitecture: CpuArchitecture;
  /** GPUs connected by NVLink within the instance. */
  public readonly nvlink: boolean;
  /** Instance-store NVMe present. */
  public readonly localNvme: boolean;
  /**
   * On-demand Linux price in us-east-1, USD per instance hour (see {@link GPU_PRICES}); undefined when EC2 sells the
   * type only as Capacity Blocks.
   */
  public readonly onDemandUsdPerHour?: number;
  /** Capacity Block rate, USD per instance hour, of a type sold only that way (stale: set at purchase). */
  public readonly capacityBlockUsdPerHour?: number;
  /**
   * The price the library ranks instance types by and reports costs with, USD per instance hour: the on-demand price,
   * or the Capacity Block rate of a type without one (see {@link priceBasis}).
   */
  public readonly usdPerHour: number;
  /** What {@link usdPerHour} is: an on-demand price or a Capacity Block rate. */
  public readonly priceBasis: PriceBasis;
  /** GPU memory of the whole instance (per-GPU memory times GPU count). */
  public readonly totalGpuMemory: Size;
  /** {@link usdPerHour} per GPU, USD. */
  public readonly usdPerGpuHour: number;

  private constructor(props: GpuInstanceTypeProps) {
    const name = props.name;
    check(INSTANCE_TYPE_NAME.test(name),
      `'name' (${name}) of a GPU instance type must look like '<family>.<size>', e.g. 'p5.48xlarge'`);
    const prefix = name.slice(0, name.indexOf('.'));
    check(props.family === prefix,
      `'family' (${props.family}) of instance type '${name}' must be the part of the name before the '.' (${prefix})`);
    check(isIntAtLeast(props.gpuCount, 1), `'gpuCount' (${props.gpuCount}) of instance type '${name}' must be an integer >= 1`);
    check(isIntAtLeast(props.vcpus, 1), `'vcpus' (${props.vcpus}) of instance type '${name}' must be an integer >= 1`);
    const memoryMiB = mebibytes(props.memory, `'memory' of instance type '${name}'`);
    check(memoryMiB > 0, `'memory' of instance type '${name}' (${memoryMiB} MiB) must be positive`);
    check(isIntAtLeast(props.efaInterfaces, 0),
      `'efaInterfaces' (${props.efaInterfaces}) of instance type '${name}' must be an integer >= 0`);
    for (const [prop, usd] of [['onDemandUsdPerHour', props.onDemandUsdPerHour], ['capacityBlockUsdPerHour', props.capacityBlockUsdPerHour]] as const) {
      check(usd === undefined || (Number.isFinite(usd) && usd > 0),
        `'${prop}' (${usd}) of instance type '${name}' must be a positive number`);
    }
    const usdPerHour = props.onDemandUsdPerHour ?? props.capacityBlockUsdPerHour;
    check(usdPerHour !== undefined,
      `instance type '${name}' needs a price: 'onDemandUsdPerHour', or 'capacityBlockUsdPerHour' for a type EC2 sells only as Capacity Blocks`);

    this.name = name;
    this.family = props.family;
    this.gpu = props.gpu;
    this.gpuCount = props.gpuCount;
    this.vcpus = props.vcpus;
    this.memory = props.memory;
    this.efaInterfaces = props.efaInterfaces;
    this.cpuArchitecture = props.cpuArchitecture;
    this.nvlink = props.nvlink;
    this.localNvme = props.localNvme;
    this.onDemandUsdPerHour = props.onDemandUsdPerHour;
    this.capacityBlockUsdPerHour = props.capacityBlockUsdPerHour;
    this.usdPerHour = usdPerHour;
    this.priceBasis = props.onDemandUsdPerHour !== undefined ? PriceBasis.ON_DEMAND : PriceBasis.CAPACITY_BLOCK;
    this.totalGpuMemory = Size.mebibytes(mib(props.gpu.memory) * props.gpuCount);
    this.usdPerGpuHour = usdPerHour / props.gpuCount;
  }
}

/** The error for a name that is not a catalog instance type (shared by `GpuInstanceType.of` and the selection). */
function unknownInstanceTypeMessage(name: string): string {
  return `instance type '${name}' is not an NVIDIA GPU instance type in the catalog (families: ${GpuInstanceType.families().join(', ')})`;
}

/** Where a price of the catalog comes from. */
export interface PriceSource {
  /** Date the prices were last compared with their source (YYYY-MM-DD). */
  readonly checked: string;
  /** When the price data itself is from: the date the source was generated (YYYY-MM-DD), or a period. */
  readonly dataDate: string;
  /** Where the prices come from. */
  readonly source: string;
  /** What the prices are and are not. */
  readonly note: string;
}

/**
 * When and where the catalog's prices were taken: on-demand Linux, shared tenancy, us-east-1, USD per instance hour,
 * from the AWS Price List API. Use them to rank instance types and estimate costs (the platform report); never bill
 * from them: spot, Savings Plans, reservations and other regions differ.
 */
export const GPU_PRICES: PriceSource = {
  checked: '2026-12-02',
  dataDate: '2026-07-20',
  source: 'AWS Price List API (GetProducts: us-east-1, Linux, Shared tenancy, OnDemand), as generated into '
    + 'aws/karpenter-provider-aws@6fc13b5236fd04fd16ff3f9dc7490d0813994099:pkg/providers/pricing/zz_generated.pricing_aws.go '
    + '(generated 2026-07-20); cross-checked with skypilot-org/skypilot-catalog catalogs/v8/aws/vms.csv and dstack offers '
    + '(github.com/dstackai/dstack pull requests 3752, 4063, 4069, 4110)',
  note: 'Every on-demand price is the Price List value (P4/P5 after the June 2025 price cut). p5e.48xlarge has no '
    + 'on-demand price: EC2 sells it as Capacity Blocks; the catalog carries its last published Capacity Block rate '
    + '($43.26, us-east-2, late 2024: stale, set at purchase). us-west-2 prices equal us-east-1 for every type checked.',
};

/**
 * Where the Capacity Block rates of types without an on-demand price come from ({@link GpuInstanceType.capacityBlockUsdPerHour}).
 */
export const CAPACITY_BLOCK_PRICES: PriceSource = {
  checked: '2026-12-02',
  dataDate: 'late 2024',
  source: 'AWS EC2 Capacity Blocks pricing page (https://aws.amazon.com/ec2/capacityblocks/pricing/) as mirrored in late '
    + '2024, before the update announced for January 1, 2025',
  note: 'STALE: Capacity Block prices are dynamic and set when a block is bought; p5e.48xlarge $43.26 per instance hour '
    + 'was the us-east-2 rate.',
};

/** What a GPU NodePool may launch. Criteria combine with AND; list criteria match any of their entries. */
export interface GpuSelection {
  /** GPU models (any of them). @default - any model */
  readonly gpus?: GpuModel[];
  /** Minimum memory per GPU. @default - no minimum */
  readonly minGpuMemory?: Size;
  /** Karpenter instance families, e.g. `g6e`, `p6-b200`. @default - any catalog family */
  readonly families?: string[];
  /** Exact instance types, e.g. `p5.48xlarge`. @default - any catalog type */
  readonly instanceTypes?: string[];
  /** Minimum GPUs per instance. @default 1 */
  readonly minGpusPerNode?: number;
  /** CPU architectures. @default - any */
  readonly cpuArchitectures?: CpuArchitecture[];
}

/** Describes the given criteria for an error message, e.g. `gpus [H100], families [g6e]`. */
function describeSelection(selection: GpuSelection): string {
  const parts: string[] = [];
  if (selection.gpus?.length) parts.push(`gpus [${selection.gpus.map((g) => g.displayName).join(', ')}]`);
  if (selection.minGpuMemory !== undefined) {
    parts.push(`minGpuMemory ${mib(selection.minGpuMemory)} MiB`);
  }
  if (selection.families?.length) parts.push(`families [${selection.families.join(', ')}]`);
  if (selection.instanceTypes?.length) parts.push(`instanceTypes [${selection.instanceTypes.join(', ')}]`);
  if (selection.minGpusPerNode !== undefined) parts.push(`minGpusPerNode ${selection.minGpusPerNode}`);
  if (selection.cpuArchitectures?.length) parts.push(`cpuArchitectures [${selection.cpuArchitectures.join(', ')}]`);
  return parts.join(', ');
}

/**
 * Resolves a selection to catalog instance types, cheapest first (ties by name). Throws a
 * {@link PlatformValidationError} when nothing is selected, for a family or instance type the catalog does not
 * carry, and when no type satisfies the combination.
 * Internal: package users call it as {@link GpuCatalog} (every CDK language).
 * @internal
 */
export function selectGpuInstanceTypes(selection: GpuSelection): GpuInstanceType[] {
  const gpus = selection.gpus ?? [];
  const families = selection.families ?? [];
  const instanceTypes = selection.instanceTypes ?? [];
  check(gpus.length > 0 || selection.minGpuMemory !== undefined || families.length > 0 || instanceTypes.length > 0,
    'a GPU selection needs at least one of gpus, minGpuMemory, families or instanceTypes');

  const knownFamilies = GpuInstanceType.families();
  for (const family of families) {
    check(knownFamilies.includes(family),
      `family '${family}' is not an NVIDIA GPU family: use one of ${knownFamilies.join(', ')}`);
  }
  for (const name of instanceTypes) {
    GpuInstanceType.of(name);
  }
  const minGpus = selection.minGpusPerNode ?? 1;
  check(isIntAtLeast(minGpus, 1), `'minGpusPerNode' (${minGpus}) must be an integer >= 1`);
  const minMiB = selection.minGpuMemory === undefined
    ? 0
    : mebibytes(selection.minGpuMemory, `'minGpuMemory'`);
  const cpuArchitectures = selection.cpuArchitectures ?? [];

  const matches = GpuInstanceType.all().filter((t) =>
    (gpus.length === 0 || gpus.some((g) => sameModel(g, t.gpu)))
    && mib(t.gpu.memory) >= minMiB
    && (families.length === 0 || families.includes(t.family))
    && (instanceTypes.length === 0 || instanceTypes.includes(t.name))
    && t.gpuCount >= minGpus
    && (cpuArchitectures.length === 0 || cpuArchitectures.includes(t.cpuArchitecture)));

  if (matches.length === 0) {
    const largest = GpuModel.all().reduce((a, b) => (mib(b.memory) > mib(a.memory) ? b : a));
    if (minMiB > mib(largest.memory)) {
      throw new PlatformValidationError(
        `no GPU instance type has at least ${minMiB} MiB of memory per GPU (largest: ${largest.karpenterName} with ${mib(largest.memory)} MiB)`);
    }
    throw new PlatformValidationError(`no GPU instance type matches ${describeSelection(selection)}`);
  }
  return matches.sort((a, b) => a.usdPerHour - b.usdPerHour || a.name.localeCompare(b.name));
}

/**
 * MIG profiles each GPU model offers, with the most instances of that profile one GPU holds (`<compute slices>g.
 * <memory>gb`, `+me` with the media engines). Source: NVIDIA Multi-Instance GPU User Guide, "Supported MIG Profiles"
 * (https://docs.nvidia.com/datacenter/tesla/mig-user-guide/), tables for A100 40GB, A100 80GB, H100 80GB and H200
 * 141GB; checked 2026-12-02 from memory of that guide, not re-read in this check: UNCERTAIN in detail. B200 rows are
 * UNCERTAIN (read from third-party summaries of the guide). B300 and the RTX PRO Blackwell GPUs have no row yet: a
 * MIG layout on them is refused until the table is extended.
 */
export const MIG_PROFILES: { readonly source: string; readonly checked: string } = {
  source: 'NVIDIA Multi-Instance GPU User Guide, Supported MIG Profiles (https://docs.nvidia.com/datacenter/tesla/mig-user-guide/)',
  checked: '2026-12-02',
};

const A100_40GB_PROFILES = { '1g.5gb': 7, '1g.5gb+me': 1, '1g.10gb': 4, '2g.10gb': 3, '3g.20gb': 2, '4g.20gb': 1, '7g.40gb': 1 };
const GPU_80GB_PROFILES = { '1g.10gb': 7, '1g.10gb+me': 1, '1g.20gb': 4, '2g.20gb': 3, '3g.40gb': 2, '4g.40gb': 1, '7g.80gb': 1 };
const MIG_PROFILE_TABLE: ReadonlyArray<readonly [GpuModel, Readonly<Record<string, number>>]> = [
  [GpuModel.A100_40GB, A100_40GB_PROFILES],
  [GpuModel.A100_80GB, GPU_80GB_PROFILES],
  [GpuModel.H100, GPU_80GB_PROFILES],
  [GpuModel.H200, { '1g.18gb': 7, '1g.18gb+me': 1, '1g.35gb': 4, '2g.35gb': 3, '3g.71gb': 2, '4g.71gb': 1, '7g.141gb': 1 }],
  [GpuModel.B200, { '1g.23gb': 7, '1g.23gb+me': 1, '1g.45gb': 4, '2g.45gb': 3, '3g.90gb': 2, '4g.90gb': 1, '7g.180gb': 1 }],
];

/**
 * The MIG profiles of a GPU model with the most instances of each one GPU holds, or undefined when the catalog has no
 * profile table for it (see {@link MIG_PROFILES}).
 * Internal: package users call it as {@link GpuCatalog} (every CDK language).
 * @internal
 */
export function migProfilesOf(gpu: GpuModel): Readonly<Record<string, number>> | undefined {
  const row = MIG_PROFILE_TABLE.find(([m]) => sameModel(m, gpu));
  return row === undefined ? undefined : { ...row[1] };
}

/** The GPU catalog as a class (every CDK language): instance types by selection, MIG profiles by GPU. */
export class GpuCatalog {
  /** The catalog's GPU instance types that match a selection (GPU models, families, sizes, memory). */
  public static select(selection: GpuSelection): GpuInstanceType[] {
    return selectGpuInstanceTypes(selection);
  }

  /** The MIG profiles a GPU offers and how many of each fit on one GPU; undefined when it has no MIG. */
  public static migProfilesOf(gpu: GpuModel): { [profile: string]: number } | undefined {
    return migProfilesOf(gpu);
  }

  private constructor() {}
}
