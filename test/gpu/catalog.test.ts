import { Size } from 'aws-cdk-lib';
import {
  CAPACITY_BLOCK_PRICES, CpuArchitecture, GPU_PRICES, GpuArchitecture, GpuInstanceType, GpuInstanceTypeProps, GpuModel,
  GpuSelection, PriceBasis, selectGpuInstanceTypes,
} from '../../lib/gpu/catalog';
import { PlatformValidationError } from '../../lib/core/validation';

/** Asserts that `fn` throws a PlatformValidationError with exactly `message`. */
function expectValidationError(fn: () => unknown, message: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(PlatformValidationError);
  expect((thrown as Error).message).toBe(message);
}

/** Names of the selected types. */
function select(selection: GpuSelection): string[] {
  return selectGpuInstanceTypes(selection).map((t) => t.name);
}

/** Families of the selected types, each once, sorted. */
function selectedFamilies(selection: GpuSelection): string[] {
  return [...new Set(selectGpuInstanceTypes(selection).map((t) => t.family))].sort();
}

const FAMILY_LIST = 'g5, g6, g6e, g7, g7e, gr6, p4d, p4de, p5, p5e, p5en, p6-b200, p6-b300';
const MODEL_LIST = 'A10G, L4, L40S, A100_40GB, A100_80GB, H100, H200, B200, B300, RTX_PRO_4500, RTX_PRO_6000';

/** Valid props of a custom type; `overrides` replace single fields. */
function customProps(overrides: Partial<GpuInstanceTypeProps> = {}): GpuInstanceTypeProps {
  return {
    name: 'p9.48xlarge', family: 'p9', gpu: GpuModel.B300, gpuCount: 8, vcpus: 192, memory: Size.gibibytes(4096),
    efaInterfaces: 16, cpuArchitecture: CpuArchitecture.AMD64, nvlink: true, localNvme: true, onDemandUsdPerHour: 150,
    ...overrides,
  };
}

describe('GpuModel', () => {
  describe('catalog models', () => {
    test.each([
      ['A10G', GpuModel.A10G, 'a10g', 22888, GpuArchitecture.AMPERE, false, false],
      ['L4', GpuModel.L4, 'l4', 22888, GpuArchitecture.ADA_LOVELACE, true, false],
      ['L40S', GpuModel.L40S, 'l40s', 45776, GpuArchitecture.ADA_LOVELACE, true, false],
      ['A100_40GB', GpuModel.A100_40GB, 'a100', 40960, GpuArchitecture.AMPERE, false, true],
      ['A100_80GB', GpuModel.A100_80GB, 'a100', 81920, GpuArchitecture.AMPERE, false, true],
      ['H100', GpuModel.H100, 'h100', 81920, GpuArchitecture.HOPPER, true, true],
      ['H200', GpuModel.H200, 'h200', 144384, GpuArchitecture.HOPPER, true, true],
      ['B200', GpuModel.B200, 'b200', 183359, GpuArchitecture.BLACKWELL, true, true],
      ['B300', GpuModel.B300, 'b300', 275040, GpuArchitecture.BLACKWELL, true, true],
      ['RTX_PRO_4500', GpuModel.RTX_PRO_4500, 'rtx-pro-4500', 32768, GpuArchitecture.BLACKWELL, true, true],
      ['RTX_PRO_6000', GpuModel.RTX_PRO_6000, 'rtx-pro-server-6000', 98304, GpuArchitecture.BLACKWELL, true, true],
    ])('%s has Karpenter name, memory, architecture, fp8 and mig', (displayName, model, karpenterName, mib, arch, fp8, mig) => {
      // GIVEN / WHEN / THEN
      expect(model.displayName).toBe(displayName);
      expect(model.karpenterName).toBe(karpenterName);
      expect(model.memory.toMebibytes()).toBe(mib);
      expect(model.architecture).toBe(arch);
      expect(model.fp8).toBe(fp8);
      expect(model.mig).toBe(mig);
    });

    test('all() lists every model once', () => {
      // GIVEN / WHEN
      const names = GpuModel.all().map((m) => m.displayName);

      // THEN
      expect(names.join(', ')).toBe(MODEL_LIST);
    });
  });

  describe('fromName', () => {
    test.each(GpuModel.all().map((m) => [m.displayName, m] as const))('finds %s by its display name', (name, model) => {
      // GIVEN / WHEN / THEN
      expect(GpuModel.fromName(name)).toBe(model);
    });

    test.each(GpuModel.all().filter((m) => m.karpenterName !== 'a100').map((m) => [m.karpenterName, m] as const))(
      'finds %s by its Karpenter name', (name, model) => {
        // GIVEN / WHEN / THEN
        expect(GpuModel.fromName(name)).toBe(model);
      });

    test.each([
      ['h100', GpuModel.H100],
      ['H100', GpuModel.H100],
      ['l40s', GpuModel.L40S],
      ['L40s', GpuModel.L40S],
      ['a100_80gb', GpuModel.A100_80GB],
      ['A100 40GB', GpuModel.A100_40GB],
      ['a100-80gb', GpuModel.A100_80GB],
      ['RTX PRO 6000', GpuModel.RTX_PRO_6000],
      ['RTX-PRO-SERVER-6000', GpuModel.RTX_PRO_6000],
      [' b200 ', GpuModel.B200],
    ])('ignores case, spaces, "_" and "-": %p', (name, model) => {
      // GIVEN / WHEN / THEN
      expect(GpuModel.fromName(name)).toBe(model);
    });

    test('an unknown name lists the display names', () => {
      // GIVEN / WHEN / THEN
      expectValidationError(() => GpuModel.fromName('X100'), `unknown GPU 'X100': use one of ${MODEL_LIST}`);
    });

    test.each(['A100', 'a100'])('%p is ambiguous', (name) => {
      // GIVEN / WHEN / THEN
      expectValidationError(() => GpuModel.fromName(name), `GPU '${name}' is ambiguous: use A100_40GB or A100_80GB`);
    });
  });

  describe('of', () => {
    test('describes a model outside the catalog without adding it', () => {
      // GIVEN
      const model = GpuModel.of({
        displayName: 'X200', karpenterName: 'x200', memory: Size.gibibytes(96), architecture: GpuArchitecture.BLACKWELL,
        fp8: true, mig: false,
      });

      // WHEN / THEN
      expect(model.memory.toMebibytes()).toBe(98304);
      expect(GpuModel.all()).not.toContain(model);
      expectValidationError(() => GpuModel.fromName('X200'), `unknown GPU 'X200': use one of ${MODEL_LIST}`);
    });

    test('rejects an empty display name', () => {
      // GIVEN / WHEN / THEN
      expectValidationError(() => GpuModel.of({
        displayName: ' ', karpenterName: 'x', memory: Size.gibibytes(1), architecture: GpuArchitecture.AMPERE,
        fp8: false, mig: false,
      }), "'displayName' of a GPU model must not be empty");
    });

    test('rejects a Karpenter name that is not a label value', () => {
      // GIVEN / WHEN / THEN
      expectValidationError(() => GpuModel.of({
        displayName: 'X', karpenterName: 'X 100', memory: Size.gibibytes(1), architecture: GpuArchitecture.AMPERE,
        fp8: false, mig: false,
      }), "'karpenterName' (X 100) of GPU 'X' must be a value of karpenter.k8s.aws/instance-gpu-name: lower-case letters, digits and '-', e.g. 'h100'");
    });

    test('rejects zero memory', () => {
      // GIVEN / WHEN / THEN
      expectValidationError(() => GpuModel.of({
        displayName: 'X', karpenterName: 'x', memory: Size.mebibytes(0), architecture: GpuArchitecture.AMPERE,
        fp8: false, mig: false,
      }), "'memory' of GPU 'X' (0 MiB) must be positive");
    });
  });
});

describe('GpuInstanceType', () => {
  describe('of', () => {
    test('p5.48xlarge has 8 H100 and 32 EFA interfaces', () => {
      // GIVEN / WHEN
      const type = GpuInstanceType.of('p5.48xlarge');

      // THEN
      expect(type.family).toBe('p5');
      expect(type.gpu).toBe(GpuModel.H100);
      expect(type.gpuCount).toBe(8);
      expect(type.efaInterfaces).toBe(32);
      expect(type.vcpus).toBe(192);
      expect(type.memory.toMebibytes()).toBe(2097152);
      expect(type.nvlink).toBe(true);
      expect(type.localNvme).toBe(true);
      expect(type.cpuArchitecture).toBe(CpuArchitecture.AMD64);
      expect(type.totalGpuMemory.toMebibytes()).toBe(8 * 81920);
      expect([type.onDemandUsdPerHour, type.usdPerHour, type.priceBasis]).toEqual([55.04, 55.04, PriceBasis.ON_DEMAND]);
      expect(type.usdPerGpuHour).toBe(6.88);
    });

    test('p5.4xlarge has 1 H100, 1 EFA interface and no NVLink', () => {
      // GIVEN / WHEN
      const type = GpuInstanceType.of('p5.4xlarge');

      // THEN
      expect(type.gpuCount).toBe(1);
      expect(type.efaInterfaces).toBe(1);
      expect(type.vcpus).toBe(16);
      expect(type.nvlink).toBe(false);
    });

    test("p6-b200.48xlarge has family 'p6-b200'", () => {
      // GIVEN / WHEN
      const type = GpuInstanceType.of('p6-b200.48xlarge');

      // THEN
      expect(type.family).toBe('p6-b200');
      expect(type.gpu).toBe(GpuModel.B200);
      expect(type.efaInterfaces).toBe(8);
    });

    test.each([
      ['g5.xlarge', 4, 16384, 1, 0],
      ['g5.8xlarge', 32, 131072, 1, 1],
      ['g5.48xlarge', 192, 786432, 8, 1],
      ['g6.12xlarge', 48, 196608, 4, 1],
      ['g6e.24xlarge', 96, 786432, 4, 2],
      ['g6e.48xlarge', 192, 1572864, 8, 4],
      ['g7.12xlarge', 48, 196608, 2, 1],
      ['g7.48xlarge', 192, 786432, 8, 2],
      ['g7e.48xlarge', 192, 2097152, 8, 4],
      ['p4d.24xlarge', 96, 1179648, 8, 4],
      ['p4de.24xlarge', 96, 1179648, 8, 4],
      ['p5e.48xlarge', 192, 2097152, 8, 32],
      ['p5en.48xlarge', 192, 2097152, 8, 16],
      ['p6-b300.48xlarge', 192, 4194304, 8, 16],
    ])('%s: %p vCPUs, %p MiB, %p GPUs, %p EFA', (name, vcpus, memoryMiB, gpus, efa) => {
      // GIVEN / WHEN
      const type = GpuInstanceType.of(name);

      // THEN
      expect([type.vcpus, type.memory.toMebibytes(), type.gpuCount, type.efaInterfaces]).toEqual([vcpus, memoryMiB, gpus, efa]);
    });

    test('an unknown name is not an NVIDIA GPU instance type', () => {
      // GIVEN / WHEN / THEN
      expectValidationError(() => GpuInstanceType.of('m5.large'),
        `instance type 'm5.large' is not an NVIDIA GPU instance type in the catalog (families: ${FAMILY_LIST})`);
    });
  });

  describe('catalog', () => {
    test.each(GpuInstanceType.all().map((t) => [t.name, t] as const))('%s is consistent', (name, type) => {
      // GIVEN / WHEN / THEN
      expect(type.family).toBe(name.slice(0, name.indexOf('.')));
      expect(type.gpuCount).toBeGreaterThanOrEqual(1);
      expect(type.vcpus).toBeGreaterThanOrEqual(1);
      expect(type.efaInterfaces).toBeGreaterThanOrEqual(0);
      expect(type.usdPerHour).toBeGreaterThan(0);
      expect(type.usdPerHour).toBe(type.onDemandUsdPerHour ?? type.capacityBlockUsdPerHour);
      expect(GpuModel.all()).toContain(type.gpu);
      expect(GpuInstanceType.of(name)).toBe(type);
    });

    test('names are unique', () => {
      // GIVEN
      const names = GpuInstanceType.all().map((t) => t.name);

      // WHEN / THEN
      expect(new Set(names).size).toBe(names.length);
    });

    test.each([
      ['g5', ['xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '48xlarge']],
      ['g6', ['xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '48xlarge']],
      ['g6e', ['xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '48xlarge']],
      ['g7', ['2xlarge', '4xlarge', '8xlarge', '12xlarge', '24xlarge', '48xlarge']],
      ['g7e', ['2xlarge', '4xlarge', '8xlarge', '12xlarge', '24xlarge', '48xlarge']],
      ['gr6', ['4xlarge', '8xlarge']],
      ['p4d', ['24xlarge']],
      ['p4de', ['24xlarge']],
      ['p5', ['4xlarge', '48xlarge']],
      ['p5e', ['48xlarge']],
      ['p5en', ['48xlarge']],
      ['p6-b200', ['48xlarge']],
      ['p6-b300', ['48xlarge']],
    ])('family %s has every size of the Karpenter reference', (family, sizes) => {
      // GIVEN / WHEN
      const names = GpuInstanceType.all().filter((t) => t.family === family).map((t) => t.name);

      // THEN
      expect(names).toEqual(sizes.map((s) => `${family}.${s}`));
    });

    test("families() contains 'p6-b200' and not 'p6'", () => {
      // GIVEN / WHEN
      const families = GpuInstanceType.families();

      // THEN
      expect(families).toContain('p6-b200');
      expect(families).toContain('p6-b300');
      expect(families).not.toContain('p6');
      expect(families.join(', ')).toBe(FAMILY_LIST);
    });

    test('all() returns a copy', () => {
      // GIVEN
      const all = GpuInstanceType.all();

      // WHEN
      all.pop();

      // THEN
      expect(GpuInstanceType.all().length).toBe(all.length + 1);
    });

    test('GPU_PRICES names the AWS Price List data, its date and what it is not', () => {
      // GIVEN / WHEN / THEN
      expect(GPU_PRICES.checked).toBe('2026-12-02');
      expect(GPU_PRICES.dataDate).toBe('2026-07-20');
      expect(GPU_PRICES.source).toContain('AWS Price List API');
      expect(GPU_PRICES.source).toContain('us-east-1');
      expect(GPU_PRICES.source).toContain('aws/karpenter-provider-aws@6fc13b5236fd04fd16ff3f9dc7490d0813994099');
      expect(GPU_PRICES.note).toContain('p5e.48xlarge has no on-demand price');
      expect(GPU_PRICES.note).not.toContain('ESTIMATED');
      expect(CAPACITY_BLOCK_PRICES.note).toContain('STALE');
    });
  });

  describe('prices', () => {
    // ../shared/reference/gpu-prices.md: AWS Price List API, us-east-1, Linux, on-demand, generated 2026-07-20.
    test.each([
      ['g5.xlarge', 1.006], ['g5.2xlarge', 1.212], ['g5.4xlarge', 1.624], ['g5.8xlarge', 2.448], ['g5.12xlarge', 5.672],
      ['g5.16xlarge', 4.096], ['g5.24xlarge', 8.144], ['g5.48xlarge', 16.288],
      ['g6.xlarge', 0.8048], ['g6.2xlarge', 0.9776], ['g6.4xlarge', 1.3232], ['g6.8xlarge', 2.0144], ['g6.12xlarge', 4.6016],
      ['g6.16xlarge', 3.3968], ['g6.24xlarge', 6.6752], ['g6.48xlarge', 13.3504],
      ['g6e.xlarge', 1.861], ['g6e.2xlarge', 2.24208], ['g6e.4xlarge', 3.00424], ['g6e.8xlarge', 4.52856],
      ['g6e.12xlarge', 10.49264], ['g6e.16xlarge', 7.57719], ['g6e.24xlarge', 15.06559], ['g6e.48xlarge', 30.13118],
      ['g7.2xlarge', 2.52], ['g7.4xlarge', 3.04208], ['g7.8xlarge', 4.08624], ['g7.12xlarge', 7.12832],
      ['g7.24xlarge', 14.25664], ['g7.48xlarge', 28.51328],
      ['g7e.2xlarge', 3.36312], ['g7e.4xlarge', 3.99816], ['g7e.8xlarge', 5.26824], ['g7e.12xlarge', 8.28608],
      ['g7e.24xlarge', 16.57216], ['g7e.48xlarge', 33.14432],
      ['gr6.4xlarge', 1.5392], ['gr6.8xlarge', 2.4464],
      ['p4d.24xlarge', 21.957642], ['p4de.24xlarge', 27.44705], ['p5.4xlarge', 6.88], ['p5.48xlarge', 55.04],
      ['p5en.48xlarge', 63.296], ['p6-b200.48xlarge', 113.9328], ['p6-b300.48xlarge', 142.416],
    ])('%s costs $%p on demand (AWS Price List, us-east-1)', (name, usd) => {
      // GIVEN / WHEN
      const type = GpuInstanceType.of(name);

      // THEN
      expect([type.onDemandUsdPerHour, type.usdPerHour, type.priceBasis, type.capacityBlockUsdPerHour])
        .toEqual([usd, usd, PriceBasis.ON_DEMAND, undefined]);
    });

    test('every catalog type but p5e.48xlarge has an on-demand price', () => {
      // GIVEN / WHEN
      const without = GpuInstanceType.all().filter((t) => t.onDemandUsdPerHour === undefined).map((t) => t.name);

      // THEN
      expect(without).toEqual(['p5e.48xlarge']);
      expect(GpuInstanceType.all().length).toBe(46);
    });

    test('p5e.48xlarge is sold only as Capacity Blocks: priced at the last published block rate', () => {
      // GIVEN / WHEN
      const type = GpuInstanceType.of('p5e.48xlarge');

      // THEN
      expect(type.onDemandUsdPerHour).toBeUndefined();
      expect([type.capacityBlockUsdPerHour, type.usdPerHour, type.priceBasis]).toEqual([43.26, 43.26, PriceBasis.CAPACITY_BLOCK]);
      expect(type.usdPerGpuHour).toBeCloseTo(5.4075, 10);
    });

    test('g7.2xlarge costs more than g6e.2xlarge (the Price List, not the old estimate)', () => {
      // GIVEN / WHEN / THEN
      expect(GpuInstanceType.of('g7.2xlarge').usdPerHour).toBeGreaterThan(GpuInstanceType.of('g6e.2xlarge').usdPerHour);
    });

    test('g7e multi-GPU sizes cost 2, 4 and 8 times $4.14304 per GPU', () => {
      // GIVEN / WHEN / THEN
      for (const size of ['12xlarge', '24xlarge', '48xlarge']) {
        expect(GpuInstanceType.of(`g7e.${size}`).usdPerGpuHour).toBeCloseTo(4.14304, 10);
      }
    });
  });

  describe('custom', () => {
    test('a type sold only as Capacity Blocks takes capacityBlockUsdPerHour', () => {
      // GIVEN / WHEN
      const type = GpuInstanceType.custom(customProps({ onDemandUsdPerHour: undefined, capacityBlockUsdPerHour: 80 }));

      // THEN
      expect([type.usdPerHour, type.priceBasis, type.usdPerGpuHour]).toEqual([80, PriceBasis.CAPACITY_BLOCK, 10]);
    });

    test('an on-demand price wins over a Capacity Block rate', () => {
      // GIVEN / WHEN
      const type = GpuInstanceType.custom(customProps({ capacityBlockUsdPerHour: 80 }));

      // THEN
      expect([type.usdPerHour, type.priceBasis, type.capacityBlockUsdPerHour]).toEqual([150, PriceBasis.ON_DEMAND, 80]);
    });

    test('describes a type outside the catalog', () => {
      // GIVEN / WHEN
      const type = GpuInstanceType.custom(customProps());

      // THEN
      expect(type.name).toBe('p9.48xlarge');
      expect(type.totalGpuMemory.toMebibytes()).toBe(8 * 275040);
      expect(type.usdPerGpuHour).toBe(18.75);
      expect(GpuInstanceType.all()).not.toContain(type);
    });

    test.each([
      [{ name: 'p9' }, "'name' (p9) of a GPU instance type must look like '<family>.<size>', e.g. 'p5.48xlarge'"],
      [{ family: 'p' }, "'family' (p) of instance type 'p9.48xlarge' must be the part of the name before the '.' (p9)"],
      [{ gpuCount: 0 }, "'gpuCount' (0) of instance type 'p9.48xlarge' must be an integer >= 1"],
      [{ gpuCount: 1.5 }, "'gpuCount' (1.5) of instance type 'p9.48xlarge' must be an integer >= 1"],
      [{ vcpus: 0 }, "'vcpus' (0) of instance type 'p9.48xlarge' must be an integer >= 1"],
      [{ memory: Size.mebibytes(0) }, "'memory' of instance type 'p9.48xlarge' (0 MiB) must be positive"],
      [{ efaInterfaces: -1 }, "'efaInterfaces' (-1) of instance type 'p9.48xlarge' must be an integer >= 0"],
      [{ onDemandUsdPerHour: 0 }, "'onDemandUsdPerHour' (0) of instance type 'p9.48xlarge' must be a positive number"],
      [{ onDemandUsdPerHour: undefined, capacityBlockUsdPerHour: -1 },
        "'capacityBlockUsdPerHour' (-1) of instance type 'p9.48xlarge' must be a positive number"],
      [{ onDemandUsdPerHour: undefined },
        "instance type 'p9.48xlarge' needs a price: 'onDemandUsdPerHour', or 'capacityBlockUsdPerHour' for a type EC2 sells only as Capacity Blocks"],
    ])('rejects %p', (overrides, message) => {
      // GIVEN / WHEN / THEN
      expectValidationError(() => GpuInstanceType.custom(customProps(overrides)), message);
    });
  });
});

describe('selectGpuInstanceTypes', () => {
  test('by model: L40S selects only g6e types', () => {
    // GIVEN / WHEN
    const types = selectGpuInstanceTypes({ gpus: [GpuModel.L40S] });

    // THEN
    expect(types.map((t) => t.family)).toEqual(Array(8).fill('g6e'));
  });

  test('by model: L4 selects g6 and gr6', () => {
    // GIVEN / WHEN / THEN
    expect(selectedFamilies({ gpus: [GpuModel.L4] })).toEqual(['g6', 'gr6']);
  });

  test('by model: the two A100 variants are told apart by memory', () => {
    // GIVEN / WHEN / THEN
    expect(select({ gpus: [GpuModel.A100_40GB] })).toEqual(['p4d.24xlarge']);
    expect(select({ gpus: [GpuModel.A100_80GB] })).toEqual(['p4de.24xlarge']);
  });

  test('by several models: any of them', () => {
    // GIVEN / WHEN / THEN
    expect(selectedFamilies({ gpus: [GpuModel.H100, GpuModel.H200] })).toEqual(['p5', 'p5e', 'p5en']);
  });

  test('by minGpuMemory: at least 80 GiB per GPU', () => {
    // GIVEN / WHEN / THEN
    expect(selectedFamilies({ minGpuMemory: Size.gibibytes(80) }))
      .toEqual(['g7e', 'p4de', 'p5', 'p5e', 'p5en', 'p6-b200', 'p6-b300']);
  });

  test('by minGpuMemory: exactly the largest GPU', () => {
    // GIVEN / WHEN / THEN
    expect(select({ minGpuMemory: Size.mebibytes(275040) })).toEqual(['p6-b300.48xlarge']);
  });

  test('by families', () => {
    // GIVEN / WHEN / THEN
    expect(select({ families: ['p5', 'p6-b200'] })).toEqual(['p5.4xlarge', 'p5.48xlarge', 'p6-b200.48xlarge']);
  });

  test('by instanceTypes', () => {
    // GIVEN / WHEN / THEN
    expect(select({ instanceTypes: ['p5.48xlarge', 'g6e.12xlarge'] })).toEqual(['g6e.12xlarge', 'p5.48xlarge']);
  });

  test('minGpusPerNode drops smaller sizes', () => {
    // GIVEN / WHEN / THEN
    expect(select({ families: ['g6e'], minGpusPerNode: 4 })).toEqual(['g6e.12xlarge', 'g6e.24xlarge', 'g6e.48xlarge']);
    expect(select({ families: ['p5'], minGpusPerNode: 8 })).toEqual(['p5.48xlarge']);
  });

  test('cpuArchitectures filters by CPU', () => {
    // GIVEN / WHEN / THEN
    expect(select({ families: ['p5'], cpuArchitectures: [CpuArchitecture.AMD64] })).toEqual(['p5.4xlarge', 'p5.48xlarge']);
  });

  test('combined criteria all apply', () => {
    // GIVEN / WHEN
    const names = select({
      gpus: [GpuModel.H100, GpuModel.H200, GpuModel.B200],
      minGpuMemory: Size.gibibytes(100),
      minGpusPerNode: 8,
      families: ['p5', 'p5e', 'p5en', 'p6-b200'],
    });

    // THEN
    expect(names).toEqual(['p5e.48xlarge', 'p5en.48xlarge', 'p6-b200.48xlarge']);
  });

  test('results are sorted by price, cheapest first', () => {
    // GIVEN / WHEN
    const types = selectGpuInstanceTypes({ minGpuMemory: Size.mebibytes(1) });
    const prices = types.map((t) => t.usdPerHour);

    // THEN
    expect(types.length).toBe(GpuInstanceType.all().length);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    expect(types[0].name).toBe('g6.xlarge');
    expect(types[types.length - 1].name).toBe('p6-b300.48xlarge');
  });

  test('g5 sizes come out in price order, not size order', () => {
    // GIVEN / WHEN / THEN
    expect(select({ families: ['g5'] })).toEqual([
      'g5.xlarge', 'g5.2xlarge', 'g5.4xlarge', 'g5.8xlarge', 'g5.16xlarge', 'g5.12xlarge', 'g5.24xlarge', 'g5.48xlarge',
    ]);
  });

  describe('errors', () => {
    test('nothing selected', () => {
      // GIVEN / WHEN / THEN
      expectValidationError(() => selectGpuInstanceTypes({}),
        'a GPU selection needs at least one of gpus, minGpuMemory, families or instanceTypes');
    });

    test('only empty lists and non-selecting criteria select nothing', () => {
      // GIVEN / WHEN / THEN
      expectValidationError(() => selectGpuInstanceTypes({ gpus: [], families: [], minGpusPerNode: 8 }),
        'a GPU selection needs at least one of gpus, minGpuMemory, families or instanceTypes');
    });

    test.each(['m5', 'p6', 'g4dn'])('family %p is not an NVIDIA GPU family', (family) => {
      // GIVEN / WHEN / THEN
      expectValidationError(() => selectGpuInstanceTypes({ families: [family] }),
        `family '${family}' is not an NVIDIA GPU family: use one of ${FAMILY_LIST}`);
    });

    test('an instance type outside the catalog', () => {
      // GIVEN / WHEN / THEN
      expectValidationError(() => selectGpuInstanceTypes({ instanceTypes: ['p5.48xlarge', 'm5.large'] }),
        `instance type 'm5.large' is not an NVIDIA GPU instance type in the catalog (families: ${FAMILY_LIST})`);
    });

    test('minGpuMemory above every GPU names the largest', () => {
      // GIVEN / WHEN / THEN
      expectValidationError(() => selectGpuInstanceTypes({ minGpuMemory: Size.mebibytes(300000) }),
        'no GPU instance type has at least 300000 MiB of memory per GPU (largest: b300 with 275040 MiB)');
    });

    test('a model outside the family', () => {
      // GIVEN / WHEN / THEN
      expectValidationError(() => selectGpuInstanceTypes({ gpus: [GpuModel.H100], families: ['g6e'] }),
        'no GPU instance type matches gpus [H100], families [g6e]');
    });

    test('more GPUs per node than any type has', () => {
      // GIVEN / WHEN / THEN
      expectValidationError(() => selectGpuInstanceTypes({ gpus: [GpuModel.L40S], minGpusPerNode: 16 }),
        'no GPU instance type matches gpus [L40S], minGpusPerNode 16');
    });

    test('a CPU architecture no selected type has', () => {
      // GIVEN / WHEN / THEN
      expectValidationError(
        () => selectGpuInstanceTypes({ minGpuMemory: Size.gibibytes(40), cpuArchitectures: [CpuArchitecture.ARM64] }),
        'no GPU instance type matches minGpuMemory 40960 MiB, cpuArchitectures [arm64]');
    });

    test('instanceTypes and families that do not overlap', () => {
      // GIVEN / WHEN / THEN
      expectValidationError(() => selectGpuInstanceTypes({ families: ['g6e'], instanceTypes: ['p5.48xlarge'] }),
        'no GPU instance type matches families [g6e], instanceTypes [p5.48xlarge]');
    });

    test.each([0, -1, 2.5])('minGpusPerNode %p', (n) => {
      // GIVEN / WHEN / THEN
      expectValidationError(() => selectGpuInstanceTypes({ families: ['p5'], minGpusPerNode: n }),
        `'minGpusPerNode' (${n}) must be an integer >= 1`);
    });
  });
});
