import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { Kueue } from './kueue';
import { LocalQueueV1Beta2 } from '../../../imports/kueue-localqueue-kueue.x-k8s.io';
import { WorkloadPriorityClassV1Beta2 } from '../../../imports/kueue-workloadpriorityclass-kueue.x-k8s.io';
import { check, checkDnsLabel } from '../../core/validation';
import { GpuNodePool } from '../../gpu/gpu-node-pool';
import { Team } from '../../teams/team';

/** Label that submits a job (TrainJob, JobSet, RayJob, batch Job) to a LocalQueue. */
export const QUEUE_NAME_LABEL = 'kueue.x-k8s.io/queue-name';
/** Label that gives a job a WorkloadPriorityClass. */
export const PRIORITY_CLASS_LABEL = 'kueue.x-k8s.io/priority-class';

/** A Kueue `WorkloadPriorityClass` to define: jobs pick it with the label `kueue.x-k8s.io/priority-class`. */
export interface WorkloadPriority {
  /** Name (a DNS label). */
  readonly name: string;
  /** Priority; higher is more important (preempts lower within a queue and reclaims across the cohort). */
  readonly value: number;
  /** Description. @default - none */
  readonly description?: string;
}

/** Props of a {@link WorkloadPriorityClass}. */
export interface WorkloadPriorityClassProps extends WorkloadPriority {
  /** The Kueue installation the class belongs to (its `queues` component holds the object). */
  readonly kueue: Kueue;
}

/**
 * A Kueue `WorkloadPriorityClass` (`kueue.x-k8s.io/v1beta2`, cluster-scoped), created by `Kueue` (`priorities`,
 * {@link Kueue.addPriorityClass}) and passed to fine-tunes and RayJobs as `priority` by reference.
 * @see https://kueue.sigs.k8s.io/docs/concepts/workload_priority_class/
 */
export class WorkloadPriorityClass extends Construct {
  /** Name (the value of the `kueue.x-k8s.io/priority-class` label). */
  public readonly name: string;
  /** Priority value. */
  public readonly value: number;
  /** Description. */
  public readonly description?: string;
  /** The Kueue installation it belongs to. */
  public readonly kueue: Kueue;
  /** The object. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: WorkloadPriorityClassProps) {
    super(scope, id);
    checkDnsLabel('priorities[].name', props.name);
    check(Number.isInteger(props.value) && Math.abs(props.value) <= 1_000_000_000,
      `'value' (${props.value}) of workload priority class '${props.name}' must be an integer from -1000000000 to 1000000000`);
    this.name = props.name;
    this.value = props.value;
    this.description = props.description;
    this.kueue = props.kueue;
    this.resource = new WorkloadPriorityClassV1Beta2(this, 'Resource', {
      metadata: { name: props.name },
      value: props.value,
      description: props.description,
    });
  }
}

/** Props of a {@link LocalQueue}. */
export interface LocalQueueProps {
  /** The Kueue installation the queue belongs to. */
  readonly kueue: Kueue;
  /** The team whose namespace holds the queue. */
  readonly team: Team;
  /** Queue name (a DNS label). */
  readonly name: string;
  /** The ClusterQueue it submits to. */
  readonly clusterQueueName: string;
}

/**
 * A Kueue `LocalQueue` in a team's namespace, created by `Kueue.addTeamQueue()`: what a fine-tune or RayJob is
 * submitted to, by reference (`queue: researchQueue.defaultQueue`), never by a name that must match.
 * @see https://kueue.sigs.k8s.io/docs/concepts/local_queue/
 */
export class LocalQueue extends Construct {
  /** Queue name (the value of the `kueue.x-k8s.io/queue-name` label). */
  public readonly name: string;
  /** Namespace (the team's). */
  public readonly namespace: string;
  /** The team. */
  public readonly team: Team;
  /** The ClusterQueue it submits to. */
  public readonly clusterQueueName: string;
  /** The Kueue installation it belongs to. */
  public readonly kueue: Kueue;
  /** The object. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: LocalQueueProps) {
    super(scope, id);
    checkDnsLabel('localQueues', props.name);
    this.name = props.name;
    this.namespace = props.team.namespace;
    this.team = props.team;
    this.clusterQueueName = props.clusterQueueName;
    this.kueue = props.kueue;
    this.resource = new LocalQueueV1Beta2(this, 'Resource', {
      metadata: { name: props.name, namespace: props.team.namespace, labels: props.team.labels },
      spec: { clusterQueue: props.clusterQueueName },
    });
  }

  /** The team's queue this LocalQueue belongs to (its GPU quota per pool). */
  public get teamQueue(): TeamQueue {
    return this.kueue.queueOf(this.team);
  }

  /**
   * The labels that submit a job to this queue: `kueue.x-k8s.io/queue-name` and, with `priority`,
   * `kueue.x-k8s.io/priority-class`. Refuses a priority class of another Kueue installation.
   */
  public labels(priority?: WorkloadPriorityClass): Record<string, string> {
    const labels: Record<string, string> = { [QUEUE_NAME_LABEL]: this.name };
    if (priority !== undefined) {
      check(priority.kueue === this.kueue,
        `workload priority class '${priority.name}' belongs to another Kueue installation than LocalQueue '${this.namespace}/${this.name}'`);
      labels[PRIORITY_CLASS_LABEL] = priority.name;
    }
    return labels;
  }
}

/** Props of a {@link TeamQueue}. */
export interface TeamQueueProps {
  /** The team. */
  readonly team: Team;
  /** ClusterQueue name. */
  readonly clusterQueueName: string;
  /** The LocalQueues of the team's namespace; the first is the default. */
  readonly localQueues: LocalQueue[];
  /** GPUs guaranteed (nominal) per pool name. */
  readonly nominalGpus: Record<string, number>;
  /** GPUs the team may borrow per pool name. */
  readonly borrowingLimits: Record<string, number>;
}

/** A team's queue: ClusterQueue `<team>` and the LocalQueues of its namespace (returned by `Kueue.addTeamQueue()`). */
export class TeamQueue {
  /** The team. */
  public readonly team: Team;
  /** ClusterQueue name (the team name). */
  public readonly clusterQueueName: string;
  /** GPUs guaranteed (nominal) per pool name. */
  public readonly nominalGpus: Readonly<Record<string, number>>;
  /** GPUs the team may borrow per pool name. */
  public readonly borrowingLimits: Readonly<Record<string, number>>;
  private readonly queues: LocalQueue[];

  constructor(props: TeamQueueProps) {
    check(props.localQueues.length > 0, `the Kueue queue of team '${props.team.name}' needs at least one LocalQueue in 'localQueues'`);
    this.team = props.team;
    this.clusterQueueName = props.clusterQueueName;
    this.queues = [...props.localQueues];
    this.nominalGpus = { ...props.nominalGpus };
    this.borrowingLimits = { ...props.borrowingLimits };
  }

  /** The LocalQueues in the team's namespace. */
  public get localQueues(): LocalQueue[] {
    return [...this.queues];
  }

  /** The first LocalQueue (`default` unless `localQueues` named others). */
  public get defaultQueue(): LocalQueue {
    return this.queues[0];
  }

  /** The LocalQueue named `name`; refuses a name that is not one of the team's queues. */
  public localQueue(name: string): LocalQueue {
    const q = this.queues.find((x) => x.name === name);
    check(q !== undefined,
      `LocalQueue '${name}' is not a queue of team '${this.team.name}' (its queues: ${this.queues.map((x) => x.name).join(', ')})`);
    return q;
  }

  /** GPUs of `pool` the team can ever be admitted at once (guaranteed + borrowable); undefined when the pool is not in the queue. */
  public gpuCeiling(pool: GpuNodePool): number | undefined {
    const nominal = this.nominalGpus[pool.name];
    return nominal === undefined ? undefined : nominal + (this.borrowingLimits[pool.name] ?? 0);
  }

  /**
   * Refuses a job of `what` that asks for `gpus` GPUs of `pool` when the pool is not in this queue or the GPUs exceed
   * what the team can ever be admitted there: Kueue would hold the job forever.
   */
  public checkAdmissible(what: string, pool: GpuNodePool, gpus: number, shape: string): void {
    const ceiling = this.gpuCeiling(pool);
    check(ceiling !== undefined,
      `GPU NodePool '${pool.name}' is not in the Kueue queue of team '${this.team.name}' (its pools: ${Object.keys(this.nominalGpus).join(', ')}): ${what} would never be admitted`);
    check(gpus <= ceiling,
      `${what} asks for ${gpus} GPUs (${shape}) on pool '${pool.name}', more than team '${this.team.name}' can ever be admitted there (${ceiling})`);
  }
}
