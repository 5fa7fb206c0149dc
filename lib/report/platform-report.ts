import { modelDecisionsOf } from './private/model-decisions';
import { renderReportMarkdown, renderReportSummary } from './private/render';
import { PlatformDefinition } from '../core/platform-definition';
import { CAPACITY_BLOCK_PRICES, GPU_PRICES, GpuInstanceType, PriceBasis, PriceSource } from '../gpu/catalog';
import { GpuNodePool } from '../gpu/gpu-node-pool';
import { CapacityType } from '../karpenter/node-pool-types';
import { LayoutOption } from '../serving/sizing';
import { Team } from '../teams/team';
import { FineTuning } from '../training/fine-tuning';

/*
 * The platform report: what the GPU capacity of a platform costs per hour and why each model got its layout, built
 * from the definition at synth (models from the serving layer's decisions, pools, teams and fine-tunes from the
 * construct tree) and written beside each rendering: dist/REPORT.md + dist/report.json, and
 * cdk.out/<stack>.report.md + .report.json.
 *
 * Costs (USD per hour, catalog prices: GpuInstanceType.usdPerHour):
 * - a model at N replicas: the nodes it needs on its own, N x PP nodes across nodes, ceil(N x TP / GPUs per node)
 *   on one node (replicas of one model share a node when their GPUs fit), times the instance type's price;
 * - the floor: every model at its minimum replicas, models of one pool and instance type packed onto shared nodes
 *   (TP sizes are powers of two dividing the node's GPUs, so GPUs / GPUs per node rounded up is exact), plus the
 *   static nodes of pools with `replicas` (the larger of the two on such a pool);
 * - models at maximum: the same at every model's maximum replicas;
 * - the ceiling: every GPU pool at its GPU limit, priced at the dearest GPU among its instance types (a static pool:
 *   its nodes at the dearest type). Karpenter launches no more GPUs than the limit.
 * - a team: its GPU quota times the cheapest and the dearest GPU hour of the platform's GPU pools;
 * - a fine-tune: its nodes times the cheapest and the dearest instance type of its pool with enough GPUs per node.
 */

/** Version of the `report.json` layout; bumped when a field changes meaning or goes away. */
export const PLATFORM_REPORT_VERSION = 1;

/** The GitOps rendering's file names of the report. */
export const REPORT_MARKDOWN_FILE = 'REPORT.md';
/** The GitOps rendering's file name of the machine-readable report. */
export const REPORT_JSON_FILE = 'report.json';

/** How a model's layout was decided. */
export enum LayoutChoice {
  /** The synth-time sizing chose the cheapest layout that holds the requested concurrency. */
  SIZING = 'sizing',
  /** The operator gave the tensor-parallel size; the layout is evaluated as given. */
  GIVEN = 'given',
}

/** The price of one GPU hour on an instance type. */
export interface ReportedGpuPrice {
  /** Instance type. */
  readonly instanceType: string;
  /** Its price per GPU and hour, USD. */
  readonly usdPerGpuHour: number;
}

/** A range of hourly costs. */
export interface UsdRange {
  /** The least, USD per hour. */
  readonly minUsdPerHour: number;
  /** The most, USD per hour. */
  readonly maxUsdPerHour: number;
}

/** One layout the sizing weighed, as reported. */
export interface ReportedLayoutOption {
  /** Instance type of every node. */
  readonly instanceType: string;
  /** Tensor-parallel size. */
  readonly tensorParallelSize: number;
  /** Pipeline-parallel size (nodes per replica). */
  readonly pipelineParallelSize: number;
  /** GPUs of one replica. */
  readonly gpus: number;
  /** Price of one replica's nodes, USD per hour. */
  readonly usdPerHour: number;
  /** Tokens the KV cache of one replica holds. */
  readonly kvCacheTokens: number;
  /** Sequences of the model's context one replica holds at once. */
  readonly concurrentSequences: number;
}

/** A served model in the report. */
export interface ReportedModel {
  /** Model name (workload and Service). */
  readonly name: string;
  /** Namespace. */
  readonly namespace: string;
  /** The model (spec name), e.g. `Llama 3.1 8B`. */
  readonly model: string;
  /** GPU pool. */
  readonly pool: string;
  /** Instance type of every node. */
  readonly instanceType: string;
  /** What the instance type's price is. */
  readonly priceBasis: PriceBasis;
  /** Tensor-parallel size. */
  readonly tensorParallelSize: number;
  /** Pipeline-parallel size (nodes per replica). */
  readonly pipelineParallelSize: number;
  /** GPUs of one replica. */
  readonly gpusPerReplica: number;
  /** Price of the nodes of one replica, USD per hour (a replica on part of a node pays the whole node). */
  readonly usdPerHourPerReplica: number;
  /** How the layout was decided. */
  readonly layoutChosenBy: LayoutChoice;
  /** `--max-model-len`. */
  readonly contextLength: number;
  /** Sequences of full context the sizing was asked to hold per replica. */
  readonly requestedConcurrency: number;
  /** KV cache dtype. */
  readonly kvCacheDType: string;
  /** Tokens the KV cache of one replica holds. */
  readonly kvCacheTokensPerReplica: number;
  /** Sequences of full context one replica holds at once. */
  readonly concurrentSequencesPerReplica: number;
  /** Replicas at the least. */
  readonly minReplicas: number;
  /** Replicas at the most. */
  readonly maxReplicas: number;
  /** Whether KEDA scales between the two. */
  readonly autoscaled: boolean;
  /** Nodes at the minimum (the model alone). */
  readonly nodesAtMin: number;
  /** Nodes at the maximum (the model alone). */
  readonly nodesAtMax: number;
  /** USD per hour at the minimum. */
  readonly usdPerHourAtMin: number;
  /** USD per hour at the maximum. */
  readonly usdPerHourAtMax: number;
  /** The sizing's sentence. */
  readonly explanation: string;
  /** Fitting layouts that lost on price. */
  readonly runnersUp: ReportedLayoutOption[];
  /** No dearer layouts that do not hold the requested concurrency. */
  readonly rejected: ReportedLayoutOption[];
}

/** A GPU pool in the report. */
export interface ReportedPool {
  /** Pool name. */
  readonly name: string;
  /** Candidate instance types, cheapest first. */
  readonly instanceTypes: string[];
  /** Capacity types the pool launches. */
  readonly capacityTypes: string[];
  /** GPU limit. */
  readonly gpuLimit: number;
  /** Static node count (pools with `replicas`). */
  readonly staticNodes?: number;
  /** Cheapest GPU hour among the instance types, and its type. */
  readonly cheapestGpu: ReportedGpuPrice;
  /** Dearest GPU hour among the instance types, and its type. */
  readonly dearestGpu: ReportedGpuPrice;
  /** Cost at the GPU limit (static pools: their nodes), cheapest to dearest instance type. */
  readonly atLimit: UsdRange;
  /** GPUs the pool's models use at their minimum replicas. */
  readonly modelGpusAtMin: number;
  /** GPUs the pool's models use at their maximum replicas. */
  readonly modelGpusAtMax: number;
  /** The pool's share of the floor, USD per hour. */
  readonly floorUsdPerHour: number;
  /** The pool with every model at its maximum replicas, USD per hour. */
  readonly modelsAtMaxUsdPerHour: number;
}

/** A team in the report. */
export interface ReportedTeam {
  /** Team name (namespace). */
  readonly name: string;
  /** GPU quota, if any. */
  readonly gpuQuota?: number;
  /** The quota in use on the cheapest to the dearest GPU of the platform's pools; absent without a quota. */
  readonly atFullUse?: UsdRange;
}

/** A fine-tune in the report. */
export interface ReportedFineTune {
  /** TrainJob name. */
  readonly name: string;
  /** Namespace. */
  readonly namespace: string;
  /** GPU pool. */
  readonly pool: string;
  /** Nodes. */
  readonly nodes: number;
  /** GPUs per node. */
  readonly gpusPerNode: number;
  /** GPU memory one GPU needs, GiB. */
  readonly gibPerGpu: number;
  /** While it runs, on the cheapest to the dearest instance type of the pool with enough GPUs per node. */
  readonly whileRunning: UsdRange;
  /** `activeDeadline` in hours, if set. */
  readonly deadlineHours?: number;
  /** At most per run (the deadline reached), if a deadline is set. */
  readonly perRunAtMost?: UsdRange;
}

/** A price list the report used. */
export interface ReportedPriceSource extends PriceSource {
  /** What these prices are. */
  readonly basis: PriceBasis;
  /** Instance types of the report priced from this source. */
  readonly instanceTypes: string[];
}

/** The platform's totals, USD per hour. */
export interface ReportedTotals {
  /** Every model at its minimum replicas plus static pools. */
  readonly floorUsdPerHour: number;
  /** Every model at its maximum replicas plus static pools. */
  readonly modelsAtMaxUsdPerHour: number;
  /** Every GPU pool at its GPU limit (dearest GPU). */
  readonly ceilingUsdPerHour: number;
}

/** The machine-readable report (`report.json`). */
export interface PlatformReportData {
  /** {@link PLATFORM_REPORT_VERSION}. */
  readonly reportVersion: number;
  /** Cluster name. */
  readonly platform: string;
  /** AWS region of the cluster. */
  readonly region: string;
  /** The price lists used, with their dates. */
  readonly prices: ReportedPriceSource[];
  /** What the numbers leave out or assume. */
  readonly notes: string[];
  /** Totals. */
  readonly totals: ReportedTotals;
  /** Models, in the order they were added. */
  readonly models: ReportedModel[];
  /** GPU pools, in the order they were added. */
  readonly pools: ReportedPool[];
  /** Teams, in the order they were added. */
  readonly teams: ReportedTeam[];
  /** Fine-tunes, in the order they were added. */
  readonly fineTunes: ReportedFineTune[];
}

/** USD rounded to 6 decimals (no floating-point noise in the JSON). */
function usd(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/** Nodes `replicas` replicas of TP x PP on `type` need on their own. */
function nodesFor(replicas: number, tp: number, pp: number, type: GpuInstanceType): number {
  return pp > 1 ? replicas * pp : Math.ceil((replicas * tp) / type.gpuCount);
}

function option(o: LayoutOption): ReportedLayoutOption {
  return {
    instanceType: o.instanceType.name,
    tensorParallelSize: o.tensorParallelSize,
    pipelineParallelSize: o.pipelineParallelSize,
    gpus: o.gpus,
    usdPerHour: usd(o.usdPerHour),
    kvCacheTokens: o.kvCacheTokens,
    concurrentSequences: o.maxConcurrentSequencesAtContext,
  };
}

function byGpuPrice(types: GpuInstanceType[]): GpuInstanceType[] {
  return [...types].sort((a, b) => a.usdPerGpuHour - b.usdPerGpuHour || a.name.localeCompare(b.name));
}

/**
 * The platform report of a definition: per model the layout and why it won, replicas, KV cache and cost at minimum
 * and maximum scale; per GPU pool the limit and its cost; per team the GPU quota at full use; per fine-tune the cost
 * while it runs; the platform's hourly floor and ceiling. Markdown for people ({@link toMarkdown}), JSON for tools
 * ({@link data}), a one-screen summary for the console ({@link summary}).
 */
export class PlatformReport {
  /** File name of the report for people, beside the GitOps rendering's `README.md` (`REPORT.md`). */
  public static readonly MARKDOWN_FILE = REPORT_MARKDOWN_FILE;
  /** File name of the machine-readable report (`report.json`). */
  public static readonly JSON_FILE = REPORT_JSON_FILE;

  /** Builds the report of `definition` as it stands (call it after the last model, pool, team or fine-tune). */
  public static of(definition: PlatformDefinition): PlatformReport {
    return new PlatformReport(definition);
  }

  /** The report as data (`report.json`). */
  public readonly data: PlatformReportData;

  private constructor(definition: PlatformDefinition) {
    const all = definition.node.findAll();
    const pools = all.filter((c): c is GpuNodePool => c instanceof GpuNodePool);
    const teams = all.filter((c): c is Team => c instanceof Team);
    const fineTunes = all.filter((c): c is FineTuning => c instanceof FineTuning);
    const decisions = modelDecisionsOf(definition);

    const models: ReportedModel[] = decisions.map((d) => {
      const l = d.layout;
      const type = l.instanceType;
      const nodesAtMin = nodesFor(d.minReplicas, l.tensorParallelSize, l.pipelineParallelSize, type);
      const nodesAtMax = nodesFor(d.maxReplicas, l.tensorParallelSize, l.pipelineParallelSize, type);
      return {
        name: d.model.workloadName,
        namespace: d.model.namespace,
        model: d.model.spec.name,
        pool: d.model.pool.name,
        instanceType: type.name,
        priceBasis: type.priceBasis,
        tensorParallelSize: l.tensorParallelSize,
        pipelineParallelSize: l.pipelineParallelSize,
        gpusPerReplica: l.gpus,
        usdPerHourPerReplica: usd(l.usdPerHour),
        layoutChosenBy: d.given ? LayoutChoice.GIVEN : LayoutChoice.SIZING,
        contextLength: d.model.contextLength,
        requestedConcurrency: d.concurrency,
        kvCacheDType: d.kvCacheDType,
        kvCacheTokensPerReplica: l.kvCacheTokens,
        concurrentSequencesPerReplica: l.maxConcurrentSequencesAtContext,
        minReplicas: d.minReplicas,
        maxReplicas: d.maxReplicas,
        autoscaled: d.autoscaled,
        nodesAtMin,
        nodesAtMax,
        usdPerHourAtMin: usd(nodesAtMin * type.usdPerHour),
        usdPerHourAtMax: usd(nodesAtMax * type.usdPerHour),
        explanation: l.explanation,
        runnersUp: l.runnersUp.map(option),
        rejected: l.rejected.map(option),
      };
    });

    const reportedPools: ReportedPool[] = pools.map((pool) => {
      const onPool = decisions.filter((d) => d.model.pool === pool);
      const packed = (replicas: (d: typeof onPool[number]) => number) => {
        let cost = 0;
        let gpus = 0;
        const singleNode = new Map<GpuInstanceType, number>();
        for (const d of onPool) {
          const l = d.layout;
          gpus += replicas(d) * l.gpus;
          if (l.pipelineParallelSize > 1) {
            cost += replicas(d) * l.pipelineParallelSize * l.instanceType.usdPerHour;
          } else {
            singleNode.set(l.instanceType, (singleNode.get(l.instanceType) ?? 0) + replicas(d) * l.gpus);
          }
        }
        for (const [type, n] of singleNode) cost += Math.ceil(n / type.gpuCount) * type.usdPerHour;
        return { cost, gpus };
      };
      const atMin = packed((d) => d.minReplicas);
      const atMax = packed((d) => d.maxReplicas);
      const ranked = byGpuPrice(pool.candidates);
      const cheapest = ranked[0];
      const dearest = ranked[ranked.length - 1];
      const byNode = [...pool.candidates].sort((a, b) => a.usdPerHour - b.usdPerHour);
      const limit = pool.gpuLimits.gpus;
      const staticNodes = pool.replicas;
      const atLimit: UsdRange = staticNodes !== undefined
        ? { minUsdPerHour: usd(staticNodes * byNode[0].usdPerHour), maxUsdPerHour: usd(staticNodes * byNode[byNode.length - 1].usdPerHour) }
        : { minUsdPerHour: usd(limit * cheapest.usdPerGpuHour), maxUsdPerHour: usd(limit * dearest.usdPerGpuHour) };
      const staticFloor = staticNodes !== undefined ? staticNodes * byNode[0].usdPerHour : 0;
      return {
        name: pool.name,
        instanceTypes: pool.candidates.map((c) => c.name),
        capacityTypes: [...pool.capacityTypes],
        gpuLimit: limit,
        ...(staticNodes !== undefined ? { staticNodes } : {}),
        cheapestGpu: { instanceType: cheapest.name, usdPerGpuHour: usd(cheapest.usdPerGpuHour) },
        dearestGpu: { instanceType: dearest.name, usdPerGpuHour: usd(dearest.usdPerGpuHour) },
        atLimit,
        modelGpusAtMin: atMin.gpus,
        modelGpusAtMax: atMax.gpus,
        floorUsdPerHour: usd(Math.max(staticFloor, atMin.cost)),
        modelsAtMaxUsdPerHour: usd(Math.max(staticFloor, atMax.cost)),
      };
    });

    const allTypes = pools.flatMap((p) => p.candidates);
    const rankedAll = byGpuPrice(allTypes);
    const reportedTeams: ReportedTeam[] = teams.map((t) => ({
      name: t.name,
      ...(t.gpuQuota !== undefined ? { gpuQuota: t.gpuQuota } : {}),
      ...(t.gpuQuota !== undefined && rankedAll.length > 0 ? {
        atFullUse: {
          minUsdPerHour: usd(t.gpuQuota * rankedAll[0].usdPerGpuHour),
          maxUsdPerHour: usd(t.gpuQuota * rankedAll[rankedAll.length - 1].usdPerGpuHour),
        },
      } : {}),
    }));

    const reportedFineTunes: ReportedFineTune[] = fineTunes.map((f) => {
      const fitting = f.pool.candidates.filter((c) => c.gpuCount >= f.processesPerNode).sort((a, b) => a.usdPerHour - b.usdPerHour);
      const types = fitting.length > 0 ? fitting : [...f.pool.candidates].sort((a, b) => a.usdPerHour - b.usdPerHour);
      const whileRunning: UsdRange = {
        minUsdPerHour: usd(f.nodes * types[0].usdPerHour),
        maxUsdPerHour: usd(f.nodes * types[types.length - 1].usdPerHour),
      };
      const hours = f.activeDeadline !== undefined ? f.activeDeadline.toSeconds() / 3600 : undefined;
      return {
        name: f.name,
        namespace: f.namespace,
        pool: f.pool.name,
        nodes: f.nodes,
        gpusPerNode: f.processesPerNode,
        gibPerGpu: Math.round((f.memory.bytesPerGpu / 1024 ** 3) * 10) / 10,
        whileRunning,
        ...(hours !== undefined ? {
          deadlineHours: hours,
          perRunAtMost: { minUsdPerHour: usd(whileRunning.minUsdPerHour * hours), maxUsdPerHour: usd(whileRunning.maxUsdPerHour * hours) },
        } : {}),
      };
    });

    const usedTypes = new Map<string, GpuInstanceType>();
    for (const t of allTypes) usedTypes.set(t.name, t);
    const typesOf = (basis: PriceBasis) => [...usedTypes.values()].filter((t) => t.priceBasis === basis).map((t) => t.name);
    const prices: ReportedPriceSource[] = [{ ...GPU_PRICES, basis: PriceBasis.ON_DEMAND, instanceTypes: typesOf(PriceBasis.ON_DEMAND) }];
    const blocks = typesOf(PriceBasis.CAPACITY_BLOCK);
    if (blocks.length > 0) prices.push({ ...CAPACITY_BLOCK_PRICES, basis: PriceBasis.CAPACITY_BLOCK, instanceTypes: blocks });

    const notes = [
      'GPU capacity only: the system node group, general-purpose Karpenter pools, the EKS control plane, storage and '
        + 'data transfer are not included.',
      `Prices are on-demand rates in us-east-1${definition.region !== 'us-east-1' ? `; the platform runs in ${definition.region}` : ''}. `
        + 'Spot, Savings Plans and reservations cost less; never bill from these numbers.',
    ];
    if (pools.some((p) => p.capacityTypes.includes(CapacityType.SPOT))) {
      notes.push(`Pools that may launch spot capacity (${pools.filter((p) => p.capacityTypes.includes(CapacityType.SPOT)).map((p) => p.name).join(', ')}) `
        + 'are priced at on-demand rates: spot costs less while it lasts.');
    }
    if (pools.some((p) => p.capacityTypes.includes(CapacityType.RESERVED))) {
      notes.push(`Pools that launch into capacity reservations (${pools.filter((p) => p.capacityTypes.includes(CapacityType.RESERVED)).map((p) => p.name).join(', ')}) `
        + 'pay for the whole reservation whether nodes run or not; the report prices only the nodes it counts.');
    }
    if (blocks.length > 0) {
      notes.push(`${blocks.join(', ')} ${blocks.length === 1 ? 'has' : 'have'} no on-demand price (EC2 sells ${blocks.length === 1 ? 'it' : 'them'} as `
        + 'Capacity Blocks): priced at the last published Capacity Block rate, which is stale; the real rate is set when a block is bought.');
    }
    for (const p of reportedPools) {
      if (p.modelGpusAtMax > p.gpuLimit) {
        notes.push(`Pool ${p.name}: its models need ${p.modelGpusAtMax} GPUs at maximum replicas, above its GPU limit of ${p.gpuLimit}; `
          + 'Karpenter stops there, so the last replicas stay pending.');
      }
    }

    const sum = (xs: number[]) => usd(xs.reduce((a, b) => a + b, 0));
    this.data = {
      reportVersion: PLATFORM_REPORT_VERSION,
      platform: definition.clusterName,
      region: definition.region,
      prices,
      notes,
      totals: {
        floorUsdPerHour: sum(reportedPools.map((p) => p.floorUsdPerHour)),
        modelsAtMaxUsdPerHour: sum(reportedPools.map((p) => p.modelsAtMaxUsdPerHour)),
        ceilingUsdPerHour: sum(reportedPools.map((p) => p.atLimit.maxUsdPerHour)),
      },
      models,
      pools: reportedPools,
      teams: reportedTeams,
      fineTunes: reportedFineTunes,
    };
  }

  /** `report.json`: the data, indented, with a final newline. */
  public toJson(): string {
    return `${JSON.stringify(this.data, undefined, 2)}\n`;
  }

  /** `REPORT.md`: the report for people. */
  public toMarkdown(): string {
    return renderReportMarkdown(this.data);
  }

  /**
   * A one-screen summary for the console: totals, one line per model, pool and team, and where the full report is.
   * @param reportPaths where the report files were written, e.g. `['dist/REPORT.md', 'dist/report.json']`
   */
  public summary(reportPaths: string[] = []): string {
    return renderReportSummary(this.data, reportPaths);
  }
}
