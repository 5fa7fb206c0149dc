import {
  CapacityReservationSelector, GitOpsRendering, GpuModel, KvCacheDType, ModelSpec, PLATFORM_REPORT_VERSION, PlatformReport, PlatformStack,
  PriceBasis, REPORT_JSON_FILE, REPORT_MARKDOWN_FILE,
} from '../../lib';
import { examplePlatform, testPlatform } from '../util';

/*
 * Prices used below (catalog, AWS Price List us-east-1): g6e.xlarge $1.861 (the cheapest L40S GPU hour), g6e.12xlarge
 * $10.49264 (4 x L40S), g6e.16xlarge $7.57719 (1 x L40S: the dearest L40S GPU hour), p4de.24xlarge $27.44705,
 * p5.48xlarge $55.04 ($6.88 per GPU), p5e.48xlarge Capacity Blocks $43.26 ($5.4075 per GPU).
 */

/**
 * A platform with an on-demand L40S pool (16 GPUs) holding Llama 3.1 8B (TP=2, 1-4 replicas) and Qwen3 32B (TP=4, 1
 * replica), a static pool of one p4de.24xlarge, a team with a 4-GPU quota and one without.
 */
function smallPlatform(): PlatformStack {
  const platform = testPlatform();
  const l40s = platform.gpu.addNodePool('l40s', { gpus: [GpuModel.L40S], limits: { gpus: 16 } });
  platform.gpu.addNodePool('a100', { instanceTypes: ['p4de.24xlarge'], replicas: 1, limits: { gpus: 8 } });
  platform.serving.addModel('Llama', {
    name: 'llama', spec: ModelSpec.LLAMA_3_1_8B, pools: [l40s], contextLength: 16384, concurrency: 32,
    autoscaling: { minReplicas: 1, maxReplicas: 4 },
  });
  platform.serving.addModel('Qwen', { name: 'qwen', spec: ModelSpec.QWEN3_32B, pools: [l40s], contextLength: 32768, concurrency: 16 });
  platform.teams.add({ name: 'search', gpuQuota: 4 });
  platform.teams.add({ name: 'ops' });
  return platform;
}

describe('PlatformReport', () => {
  describe('models', () => {
    test('layout, KV cache, replicas and cost at minimum and maximum scale', () => {
      // GIVEN
      const platform = smallPlatform();

      // WHEN
      const [llama, qwen] = PlatformReport.of(platform.definition).data.models;

      // THEN Llama: TP=2 on g6e.12xlarge holds 934,515 tokens = 57 sequences of 16384; 4 replicas x 2 GPUs = 2 nodes
      expect(llama).toMatchObject({
        name: 'llama', namespace: 'models', model: 'Llama 3.1 8B', pool: 'l40s', instanceType: 'g6e.12xlarge',
        priceBasis: PriceBasis.ON_DEMAND, tensorParallelSize: 2, pipelineParallelSize: 1, gpusPerReplica: 2,
        usdPerHourPerReplica: 10.49264, layoutChosenBy: 'sizing', contextLength: 16384, requestedConcurrency: 32,
        kvCacheDType: 'fp8', kvCacheTokensPerReplica: 934_515, concurrentSequencesPerReplica: 57,
        minReplicas: 1, maxReplicas: 4, autoscaled: true, nodesAtMin: 1, nodesAtMax: 2,
        usdPerHourAtMin: 10.49264, usdPerHourAtMax: 20.98528,
      });
      expect(llama.runnersUp.map((o) => [o.instanceType, o.tensorParallelSize, o.usdPerHour, o.concurrentSequences])).toEqual([
        ['g6e.12xlarge', 4, 10.49264, 129],
        ['g6e.48xlarge', 8, 30.13118, 273],
      ]);
      expect(llama.rejected).toEqual([{
        instanceType: 'g6e.xlarge', tensorParallelSize: 1, pipelineParallelSize: 1, gpus: 1, usdPerHour: 1.861,
        kvCacheTokens: 344_729, concurrentSequences: 21,
      }]);
      // Qwen: a fixed replica (the default), TP=4: 679,082 tokens = 20 sequences of 32768
      expect(qwen).toMatchObject({
        name: 'qwen', instanceType: 'g6e.12xlarge', tensorParallelSize: 4, kvCacheTokensPerReplica: 679_082,
        concurrentSequencesPerReplica: 20, minReplicas: 1, maxReplicas: 1, autoscaled: false, nodesAtMin: 1, nodesAtMax: 1,
        usdPerHourAtMin: 10.49264, usdPerHourAtMax: 10.49264,
      });
    });

    test('a model that scales to zero costs nothing at its minimum', () => {
      // GIVEN
      const platform = testPlatform();
      const pool = platform.gpu.addNodePool('l40s', { gpus: [GpuModel.L40S], limits: { gpus: 16 } });

      // WHEN
      platform.serving.addModel('Llama', {
        name: 'llama', spec: ModelSpec.LLAMA_3_1_8B, pools: [pool], contextLength: 16384, concurrency: 32,
        autoscaling: { minReplicas: 0, maxReplicas: 3, scaleToZero: { activationQuery: 'sum(gateway_pending{model="llama"})', activationThreshold: 0 } },
      });

      // THEN 3 replicas x 2 GPUs = 6 GPUs = 2 nodes
      const report = PlatformReport.of(platform.definition).data;
      expect(report.models[0]).toMatchObject({ minReplicas: 0, nodesAtMin: 0, usdPerHourAtMin: 0, nodesAtMax: 2, usdPerHourAtMax: 20.98528 });
      expect(report.totals.floorUsdPerHour).toBe(0);
    });

    test('a model across nodes pays replicas x PP nodes', () => {
      // GIVEN
      const platform = testPlatform();
      const pool = platform.gpu.addNodePool('h100', { instanceTypes: ['p5.48xlarge'], efa: true, limits: { gpus: 64 } });

      // WHEN Llama 3.1 70B at 131072 tokens x 16 sequences with a bf16 KV cache needs 2 x p5.48xlarge (TP=8 PP=2)
      platform.serving.addModel('Llama70', {
        name: 'llama-70b', spec: ModelSpec.LLAMA_3_1_70B, pools: [pool], contextLength: 131072, concurrency: 16,
        kvCacheDType: KvCacheDType.AUTO, autoscaling: { minReplicas: 1, maxReplicas: 2 },
      });

      // THEN
      const model = PlatformReport.of(platform.definition).data.models[0];
      expect([model.pipelineParallelSize, model.gpusPerReplica, model.nodesAtMin, model.nodesAtMax]).toEqual([2, 16, 2, 4]);
      expect([model.usdPerHourAtMin, model.usdPerHourAtMax]).toEqual([110.08, 220.16]);
    });
  });

  describe('pools, teams and totals', () => {
    test('pools: GPU limit and its cost, the models packed onto shared nodes, static nodes', () => {
      // GIVEN
      const platform = smallPlatform();

      // WHEN
      const [l40s, a100] = PlatformReport.of(platform.definition).data.pools;

      // THEN L40S at min: 2 + 4 = 6 GPUs = 2 x g6e.12xlarge; at max: 4 x 2 + 4 = 12 GPUs = 3 nodes
      expect(l40s).toEqual({
        name: 'l40s',
        instanceTypes: ['g6e.xlarge', 'g6e.2xlarge', 'g6e.4xlarge', 'g6e.8xlarge', 'g6e.16xlarge', 'g6e.12xlarge', 'g6e.24xlarge', 'g6e.48xlarge'],
        capacityTypes: ['on-demand'],
        gpuLimit: 16,
        cheapestGpu: { instanceType: 'g6e.xlarge', usdPerGpuHour: 1.861 },
        dearestGpu: { instanceType: 'g6e.16xlarge', usdPerGpuHour: 7.57719 },
        atLimit: { minUsdPerHour: 29.776, maxUsdPerHour: 121.23504 },
        modelGpusAtMin: 6,
        modelGpusAtMax: 12,
        floorUsdPerHour: 20.98528,
        modelsAtMaxUsdPerHour: 31.47792,
      });
      // A static pool costs its nodes, always
      expect(a100).toMatchObject({
        name: 'a100', gpuLimit: 8, staticNodes: 1, atLimit: { minUsdPerHour: 27.44705, maxUsdPerHour: 27.44705 },
        modelGpusAtMin: 0, floorUsdPerHour: 27.44705, modelsAtMaxUsdPerHour: 27.44705,
      });
    });

    test('teams: the GPU quota at full use, from the cheapest to the dearest GPU hour of the pools', () => {
      // GIVEN
      const platform = smallPlatform();

      // WHEN
      const teams = PlatformReport.of(platform.definition).data.teams;

      // THEN 4 x $1.861 = $7.444; 4 x $7.57719 = $30.30876; no quota, no cost
      expect(teams).toEqual([
        { name: 'search', gpuQuota: 4, atFullUse: { minUsdPerHour: 7.444, maxUsdPerHour: 30.30876 } },
        { name: 'ops' },
      ]);
    });

    test('totals: floor, every model at its maximum, every pool at its limit', () => {
      // GIVEN
      const platform = smallPlatform();

      // WHEN
      const report = PlatformReport.of(platform.definition).data;

      // THEN floor 20.98528 + 27.44705; at max 31.47792 + 27.44705; ceiling 121.23504 + 27.44705
      expect(report.totals).toEqual({ floorUsdPerHour: 48.43233, modelsAtMaxUsdPerHour: 58.92497, ceilingUsdPerHour: 148.68209 });
      expect([report.reportVersion, report.platform, report.region]).toEqual([PLATFORM_REPORT_VERSION, 'test', 'us-west-2']);
    });

    test('the example platform: floor $162.23, models at max $193.71, ceiling $710.24, fine-tunes per run', () => {
      // GIVEN
      const platform = examplePlatform();

      // WHEN
      const report = PlatformReport.of(platform.definition).data;

      // THEN floor: 2 x g6e.12xlarge (2 + 4 + 2 GPUs) + 2 x g6e.xlarge ($1.861: the LoRA-serving model, the embedding
      //      model) + 2 x p5.48xlarge (Llama 405B, PP=2) + 1 static p4de.24xlarge;
      //      at max: 5 x g6e.12xlarge (4 x 2 + 2 x 4 + 2 GPUs) + 2 x g6e.xlarge; ceiling: 32 x $7.57719 + 64 x $6.88 + $27.44705
      expect(report.totals).toEqual({ floorUsdPerHour: 162.23433, modelsAtMaxUsdPerHour: 193.71225, ceilingUsdPerHour: 710.23713 });
      expect(report.models.map((m) => [m.name, m.instanceType, m.tensorParallelSize, m.pipelineParallelSize, m.minReplicas, m.maxReplicas,
        m.kvCacheTokensPerReplica, m.concurrentSequencesPerReplica])).toEqual([
        ['llama-3-1-8b', 'g6e.12xlarge', 2, 1, 1, 4, 934_515, 57],
        ['qwen3-32b', 'g6e.12xlarge', 4, 1, 1, 2, 679_082, 20],
        ['llama-3-1-405b', 'p5.48xlarge', 8, 2, 1, 1, 1_248_106, 38],
        ['llama-3-1-8b-fp8', 'g6e.12xlarge', 2, 1, 1, 1, 1_041_011, 63],
        ['llama-3-1-8b-support', 'g6e.xlarge', 1, 1, 1, 1, 342_681, 20],
        ['qwen3-embedding', 'g6e.xlarge', 1, 1, 1, 1, 326_626, 39],
      ]);
      expect(report.teams.map((t) => [t.name, t.gpuQuota, t.atFullUse?.maxUsdPerHour])).toEqual([
        ['research', 32, 242.47008], ['team-a', 8, 60.61752], ['team-b', 2, 15.15438],
      ]);
      // 3 x p5.48xlarge = $165.12/h for at most 72 h; a LoRA on one L40S: 1 node, $1.861 to $30.13118
      expect(report.fineTunes).toEqual([
        {
          name: 'llama-8b-support-lora', namespace: 'research', pool: 'inference', nodes: 1, gpusPerNode: 1, gibPerGpu: 20.4,
          whileRunning: { minUsdPerHour: 1.861, maxUsdPerHour: 30.13118 }, deadlineHours: 12,
          perRunAtMost: { minUsdPerHour: 22.332, maxUsdPerHour: 361.57416 },
        },
        {
          name: 'llama-70b-full', namespace: 'research', pool: 'h100-efa', nodes: 3, gpusPerNode: 8, gibPerGpu: 54.8,
          whileRunning: { minUsdPerHour: 165.12, maxUsdPerHour: 165.12 }, deadlineHours: 72,
          perRunAtMost: { minUsdPerHour: 11888.64, maxUsdPerHour: 11888.64 },
        },
      ]);
      expect(report.notes).toContain('Pools that may launch spot capacity (inference) are priced at on-demand rates: spot costs less while it lasts.');
    });
  });

  describe('prices', () => {
    test('name the AWS Price List data and its date', () => {
      // GIVEN
      const platform = smallPlatform();

      // WHEN
      const prices = PlatformReport.of(platform.definition).data.prices;

      // THEN
      expect(prices).toHaveLength(1);
      expect(prices[0]).toMatchObject({ basis: PriceBasis.ON_DEMAND, dataDate: '2026-07-20', checked: '2026-12-02' });
      expect(prices[0].source).toContain('AWS Price List API');
      expect(prices[0].instanceTypes).toContain('p4de.24xlarge');
    });

    test('a Capacity Block pool is priced at the stale block rate and says so', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN
      platform.gpu.addNodePool('h200', {
        instanceTypes: ['p5e.48xlarge'], limits: { gpus: 16 }, capacityReservations: [CapacityReservationSelector.byId('cr-0123456789abcdef0')],
      });

      // THEN 16 x $5.4075 = $86.52
      const report = PlatformReport.of(platform.definition).data;
      expect(report.pools[0].atLimit).toEqual({ minUsdPerHour: 86.52, maxUsdPerHour: 86.52 });
      expect(report.prices.map((p) => [p.basis, p.dataDate, p.instanceTypes])).toEqual([
        [PriceBasis.ON_DEMAND, '2026-07-20', []],
        [PriceBasis.CAPACITY_BLOCK, 'late 2024', ['p5e.48xlarge']],
      ]);
      expect(report.notes).toContain('p5e.48xlarge has no on-demand price (EC2 sells it as Capacity Blocks): priced at the last published '
        + 'Capacity Block rate, which is stale; the real rate is set when a block is bought.');
      expect(report.notes).toContain('Pools that launch into capacity reservations (h200) pay for the whole reservation whether nodes '
        + 'run or not; the report prices only the nodes it counts.');
    });

    test('a pool whose models outgrow its GPU limit is called out', () => {
      // GIVEN
      const platform = testPlatform();
      const pool = platform.gpu.addNodePool('l40s', { gpus: [GpuModel.L40S], limits: { gpus: 4 } });

      // WHEN 4 replicas x 2 GPUs
      platform.serving.addModel('Llama', {
        name: 'llama', spec: ModelSpec.LLAMA_3_1_8B, pools: [pool], contextLength: 16384, concurrency: 32, autoscaling: { minReplicas: 1, maxReplicas: 4 },
      });

      // THEN
      expect(PlatformReport.of(platform.definition).data.notes).toContain(
        'Pool l40s: its models need 8 GPUs at maximum replicas, above its GPU limit of 4; Karpenter stops there, so the last replicas stay pending.');
    });

    test('the region is named when it is not us-east-1', () => {
      // GIVEN / WHEN
      const notes = PlatformReport.of(smallPlatform().definition).data.notes;

      // THEN
      expect(notes).toContain('Prices are on-demand rates in us-east-1; the platform runs in us-west-2. Spot, Savings Plans and '
        + 'reservations cost less; never bill from these numbers.');
    });
  });

  describe('renderings', () => {
    test('REPORT.md: totals, a row per model, pool and team, and why each layout won', () => {
      // GIVEN
      const platform = smallPlatform();

      // WHEN
      const md = PlatformReport.of(platform.definition).toMarkdown();

      // THEN
      const lines = md.split('\n');
      expect(lines[0]).toBe('# Platform report: `test` (us-west-2)');
      expect(lines).toEqual(expect.arrayContaining([
        '| Floor: every model at its minimum replicas, plus static pools | $48.43 |',
        '| Every model at its maximum replicas | $58.92 |',
        '| Ceiling: every GPU pool at its GPU limit | $148.68 |',
        '| llama | l40s | g6e.12xlarge TP=2 | 2 | 1-4 | 934,515 | 57 x 16,384 | $10.49 | $20.99 |',
        '| qwen | l40s | g6e.12xlarge TP=4 | 4 | 1 | 679,082 | 20 x 32,768 | $10.49 | $10.49 |',
        '| **g6e.12xlarge TP=2** | 2 | $10.49 | 934,515 | 57 | **chosen**: the cheapest that holds 32 |',
        '| g6e.12xlarge TP=4 | 4 | $10.49 | 2,114,086 | 129 | runner-up: same price, more GPUs |',
        '| g6e.48xlarge TP=8 | 8 | $30.13 | 4,473,228 | 273 | runner-up: dearer |',
        '| g6e.xlarge TP=1 | 1 | $1.86 | 344,729 | 21 | rejected: holds 21 of 32 |',
        'One replica holds 934,515 tokens of KV cache: 57 sequences of 16,384 tokens at once (228 at 4 replicas). '
          + 'Cost: $10.49/h at 1 (1 node), $20.99/h at 4 (2 nodes).',
        '| l40s | 8 types of g6e | on-demand | 16 | $1.86 (g6e.xlarge) to $7.58 (g6e.16xlarge) | $29.78 to $121.24 | 6 / 12 | $20.99 |',
        '| a100 | p4de.24xlarge | on-demand | 8 (1 static node) | $3.43 | $27.45 | 0 / 0 | $27.45 |',
        '| search | 4 | $7.44 to $30.31 |',
        '| ops | none | no GPU quota: bounded by the pools\' limits |',
      ]));
      expect(md).not.toContain('## Fine-tunes');
    });

    test('report.json is the data', () => {
      // GIVEN
      const report = PlatformReport.of(smallPlatform().definition);

      // WHEN / THEN
      expect(JSON.parse(report.toJson())).toEqual(report.data);
      expect(report.toJson().endsWith('}\n')).toBe(true);
    });

    test('the one-screen summary: totals, a line per model, pool and team, where the report is', () => {
      // GIVEN
      const report = PlatformReport.of(smallPlatform().definition);

      // WHEN
      const summary = report.summary(['dist/REPORT.md', 'dist/report.json']);

      // THEN
      expect(summary).toBe([
        'Platform test (us-west-2): 2 models, 2 GPU pools, 2 teams.',
        'GPU cost per hour: floor $48.43, models at max $58.92, ceiling $148.68 (on-demand us-east-1, AWS Price List of 2026-07-20).',
        '  model llama   g6e.12xlarge TP=2  1-4 x 57 seq of 16,384  $10.49-$20.99/h',
        '  model qwen    g6e.12xlarge TP=4  1 x 20 seq of 32,768  $10.49/h',
        '  pool  l40s    limit 16 GPUs  up to $121.24/h',
        '  pool  a100    limit 8 GPUs  up to $27.45/h',
        '  team  search  quota 4 GPUs  up to $30.31/h',
        'Why each layout won, runners-up and notes: dist/REPORT.md, dist/report.json',
      ].join('\n'));
      expect(summary.split('\n').length).toBeLessThanOrEqual(25);
    });

    test('the GitOps rendering writes REPORT.md and report.json beside README.md, which points to them', () => {
      // GIVEN
      const platform = smallPlatform();
      const report = PlatformReport.of(platform.definition);

      // WHEN
      const files = GitOpsRendering.files(platform.definition, platform.gitOps!);

      // THEN
      const content = (p: string) => files.find((f) => f.path === p)?.content;
      expect(content(REPORT_MARKDOWN_FILE)).toBe(report.toMarkdown());
      expect(content(REPORT_JSON_FILE)).toBe(report.toJson());
      expect(content('README.md')).toContain('- `REPORT.md` (and `report.json` for tools): the platform report');
    });
  });
});
