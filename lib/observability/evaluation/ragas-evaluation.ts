import { Duration } from 'aws-cdk-lib';
import { Chart, Size } from 'cdk8s';
import { ContainerResources, Cpu, k8s } from 'cdk8s-plus-34';
import { Construct } from 'constructs';
import { isCronSchedule } from '../../core/private/cron';
import { cpuQuantity, memoryQuantity } from '../../core/private/quantities';
import { check, checkDnsLabel, checkDnsSubdomain, checkLiteral, isToken } from '../../core/validation';
import { LiteLlmSecretRef } from '../../gateway/litellm/model';
import { ContainerImage } from '../../versions';

/**
 * A RAGAS metric, by the name the evaluation image maps to a `ragas.metrics` class. The constants are the metrics of
 * the Langfuse + RAGAS guides; {@link RagasMetric.of} names any other metric the image knows.
 * @see https://docs.ragas.io/en/stable/concepts/metrics/available_metrics/
 */
export class RagasMetric {
  /** Whether the answer is supported by the retrieved contexts (needs question, answer, contexts). */
  public static readonly FAITHFULNESS = new RagasMetric('faithfulness');
  /** Whether the answer addresses the question (needs question, answer). */
  public static readonly ANSWER_RELEVANCY = new RagasMetric('answer_relevancy');
  /** Whether relevant contexts rank above irrelevant ones (needs question, contexts, reference). */
  public static readonly CONTEXT_PRECISION = new RagasMetric('context_precision');
  /** Whether the contexts hold everything the reference answer needs (needs contexts, reference). */
  public static readonly CONTEXT_RECALL = new RagasMetric('context_recall');

  /** A metric not in the constants, e.g. `RagasMetric.of('noise_sensitivity')`: lower-case snake_case. */
  public static of(name: string): RagasMetric {
    return new RagasMetric(name);
  }

  /** The metric name, as written to `RAGAS_METRICS` and used as the Langfuse score name. */
  public readonly name: string;

  private constructor(name: string) {
    checkLiteral('metric', name);
    check(/^[a-z][a-z0-9_]{0,62}$/.test(name),
      `'metric' (${name}) must be a RAGAS metric name: lower-case letters, digits and '_', starting with a letter`);
    this.name = name;
  }
}

/** Secret holding the Langfuse API key pair of the project the evaluation reads and scores. */
export interface LangfuseKeysSecretRef {
  /** Secret name (in the evaluation's namespace). */
  readonly name: string;
  /** Key of the public key (`pk-lf-...`). */
  readonly publicKeyKey: string;
  /** Key of the secret key (`sk-lf-...`). */
  readonly secretKeyKey: string;
}

/** The judge model, called through LiteLLM's OpenAI-compatible API. */
export interface RagasJudge {
  /** LiteLLM base URL without `/v1`, e.g. `litellm.url` (`http://litellm.litellm.svc:4000`). */
  readonly litellmUrl: string;
  /** Public LiteLLM model name of the judge, e.g. `claude` or `qwen3-32b`. */
  readonly model: string;
  /** Secret holding a LiteLLM virtual key (`sk-...`) allowed to call the judge model. */
  readonly apiKeySecret: LiteLlmSecretRef;
}

/** Props of {@link RagasEvaluation}. */
export interface RagasEvaluationProps {
  /** Name of the CronJob; a DNS label of at most 52 characters (Kubernetes appends a suffix to Job names). */
  readonly name: string;
  /** Namespace. @default - the namespace of the enclosing chart (component) */
  readonly namespace?: string;
  /**
   * The evaluation image (RAGAS publishes none): see {@link RagasEvaluation} for what it must contain.
   * @see https://github.com/vibrantlabsai/ragas/issues/1011
   */
  readonly image: ContainerImage;
  /**
   * Cron schedule, five fields (`0 3 * * *`) or a macro (`@daily`), in the time zone of the kube-controller-manager
   * (UTC on EKS).
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#schedule-syntax
   */
  readonly schedule: string;
  /** Langfuse dataset evaluated on each run (`DATASET`). */
  readonly dataset: string;
  /** Metrics computed (`RAGAS_METRICS`, comma-separated). @default [RagasMetric.FAITHFULNESS, RagasMetric.ANSWER_RELEVANCY] */
  readonly metrics?: RagasMetric[];
  /** Langfuse base URL (`LANGFUSE_HOST` and `LANGFUSE_BASE_URL`), e.g. `http://langfuse-web.langfuse.svc:3000`. */
  readonly langfuseHost: string;
  /** Secret with the Langfuse public and secret keys. */
  readonly langfuseKeys: LangfuseKeysSecretRef;
  /** Judge model through LiteLLM. */
  readonly judge: RagasJudge;
  /** Container entrypoint. @default - the image's entrypoint */
  readonly command?: string[];
  /** Container arguments. @default - the image's command */
  readonly args?: string[];
  /** CPU and memory. @default - CPU request 250m, limit 1; memory request and limit 1 GiB */
  readonly resources?: ContainerResources;
  /**
   * How late a missed run may still start (`startingDeadlineSeconds`).
   * @default Duration.minutes(10)
   */
  readonly startingDeadline?: Duration;
  /** Finished successful Jobs kept. @default 3 */
  readonly successfulJobsHistoryLimit?: number;
  /** Finished failed Jobs kept. @default 3 */
  readonly failedJobsHistoryLimit?: number;
  /**
   * Longest a run may take (`activeDeadlineSeconds`). With `concurrencyPolicy: Forbid`, a hung run would otherwise
   * block every later run.
   * @default Duration.hours(2)
   */
  readonly activeDeadline?: Duration;
  /** Retries of a failed run (`backoffLimit`). A retry re-scores the traces already scored. @default 0 */
  readonly retries?: number;
}

const DEFAULT_METRICS = [RagasMetric.FAITHFULNESS, RagasMetric.ANSWER_RELEVANCY];
const DEFAULT_CPU = { request: Cpu.millis(250), limit: Cpu.units(1) };
const DEFAULT_MEMORY = { request: Size.gibibytes(1), limit: Size.gibibytes(1) };
const RUN_AS = 1000;
const TMP = '/tmp';

function checkUrl(prop: string, name: string, url: string): void {
  checkLiteral(prop, url);
  check(/^https?:\/\/[^\s/]+(\/\S*)?$/.test(url), `'${prop}' (${url}) of evaluation '${name}' must be an http:// or https:// URL`);
}

function checkCount(prop: string, name: string, value: number | undefined): void {
  if (value === undefined) return;
  check(Number.isInteger(value) && value >= 0, `'${prop}' (${value}) of evaluation '${name}' must be an integer of zero or more`);
}

function checkSeconds(prop: string, name: string, value: Duration | undefined): void {
  if (value === undefined) return;
  const ms = value.toMilliseconds();
  check(ms >= 1000 && ms % 1000 === 0,
    `'${prop}' (${value.toHumanString()}) of evaluation '${name}' must be a whole number of seconds, at least 1`);
}

function secretEnv(name: string, secret: string, key: string): k8s.EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

/**
 * A scheduled RAGAS evaluation: a `batch/v1` CronJob that runs the user's evaluation image against a Langfuse
 * dataset, with a judge model behind LiteLLM, and writes the scores back to Langfuse.
 *
 * ## The image
 *
 * RAGAS publishes no container image, so the image is yours. It must contain:
 *
 * - Python 3.10+ with `ragas` (e.g. `ragas==0.4.3`), the Langfuse Python SDK (`langfuse`) and `openai`, e.g.
 *   `FROM python:3.12-slim` + `RUN pip install ragas==0.4.3 langfuse openai`;
 * - an entrypoint (or `command`) that
 *   1. reads the items (or the linked traces) of the Langfuse dataset named by `DATASET`
 *      (`Langfuse().get_dataset(os.environ["DATASET"])`), with `LANGFUSE_HOST`/`LANGFUSE_BASE_URL`,
 *      `LANGFUSE_PUBLIC_KEY` and `LANGFUSE_SECRET_KEY` from the environment;
 *   2. evaluates each item with the metrics of `RAGAS_METRICS` (comma-separated `ragas.metrics` names), using the
 *      judge `JUDGE_MODEL` through an OpenAI client on `OPENAI_BASE_URL` with `OPENAI_API_KEY`
 *      (`llm_factory(os.environ["JUDGE_MODEL"], client=OpenAI())`);
 *   3. writes every score back with the Langfuse score API
 *      (`langfuse.create_score(trace_id=..., name=<metric>, value=...)`) and calls `langfuse.flush()`;
 *   4. exits non-zero on failure, so the Job is marked failed.
 *
 * The container runs as UID 1000 with a read-only root file system: `HOME` and `TMPDIR` point to a writable
 * `/tmp` (an emptyDir), which must be enough for caches the libraries write.
 *
 * @example
 * new RagasEvaluation(component, 'Nightly', {
 *   name: 'rag-nightly',
 *   image: ContainerImage.of({ repository: '123456789012.dkr.ecr.us-west-2.amazonaws.com/rag-eval', tag: '1.4.0', ... }),
 *   schedule: '0 3 * * *',
 *   dataset: 'prod-sample',
 *   metrics: [RagasMetric.FAITHFULNESS, RagasMetric.CONTEXT_PRECISION],
 *   langfuseHost: 'http://langfuse-web.langfuse.svc:3000',
 *   langfuseKeys: { name: 'langfuse-eval', publicKeyKey: 'public-key', secretKeyKey: 'secret-key' },
 *   judge: { litellmUrl: liteLlm.url, model: 'claude', apiKeySecret: { name: 'eval-litellm-key', key: 'key' } },
 * });
 *
 * @see https://langfuse.com/integrations/frameworks/ragas
 */
export class RagasEvaluation extends Construct {
  /** The CronJob. */
  public readonly cronJob: k8s.KubeCronJob;
  /** CronJob name. */
  public readonly name: string;
  /** Namespace of the CronJob. */
  public readonly namespace: string;
  private readonly _metrics: RagasMetric[];

  constructor(scope: Construct, id: string, props: RagasEvaluationProps) {
    super(scope, id);
    const name = props.name;
    checkDnsLabel('name', name);
    check(name.length <= 52, `'name' (${name}) of an evaluation must be at most 52 characters: Kubernetes appends 11 characters to the names of its Jobs`);
    const namespace = props.namespace ?? Chart.of(this).namespace;
    check(namespace !== undefined, `evaluation '${name}' needs a 'namespace': set it, or create the evaluation in a component that has one`);
    checkDnsLabel('namespace', namespace);
    this.name = name;
    this.namespace = namespace;

    check(!isToken(props.schedule),
      "'schedule' must be a literal string, not a token: Kubernetes manifests of the GitOps rendering cannot carry CloudFormation tokens");
    check(isCronSchedule(props.schedule),
      `'schedule' (${props.schedule}) of evaluation '${name}' is not a cron expression: use five fields such as '0 3 * * *' or a macro such as @daily`);
    checkLiteral('dataset', props.dataset);
    const metrics = props.metrics ?? DEFAULT_METRICS;
    check(metrics.length > 0, `'metrics' of evaluation '${name}' must name at least one metric`);
    const seen = new Set<string>();
    for (const m of metrics) {
      check(!seen.has(m.name), `'metrics' of evaluation '${name}' names '${m.name}' twice`);
      seen.add(m.name);
    }
    this._metrics = [...metrics];
    checkUrl('langfuseHost', name, props.langfuseHost);
    checkUrl('judge.litellmUrl', name, props.judge.litellmUrl);
    check(!/\/v1\/?$/.test(props.judge.litellmUrl),
      `'judge.litellmUrl' (${props.judge.litellmUrl}) of evaluation '${name}' must not end with /v1: the evaluation appends it`);
    checkLiteral('judge.model', props.judge.model);
    checkDnsSubdomain('langfuseKeys.name', props.langfuseKeys.name);
    checkLiteral('langfuseKeys.publicKeyKey', props.langfuseKeys.publicKeyKey);
    checkLiteral('langfuseKeys.secretKeyKey', props.langfuseKeys.secretKeyKey);
    checkDnsSubdomain('judge.apiKeySecret.name', props.judge.apiKeySecret.name);
    checkLiteral('judge.apiKeySecret.key', props.judge.apiKeySecret.key);
    checkCount('successfulJobsHistoryLimit', name, props.successfulJobsHistoryLimit);
    checkCount('failedJobsHistoryLimit', name, props.failedJobsHistoryLimit);
    checkCount('retries', name, props.retries);
    checkSeconds('startingDeadline', name, props.startingDeadline);
    checkSeconds('activeDeadline', name, props.activeDeadline);

    const cpu = props.resources?.cpu ?? DEFAULT_CPU;
    const memory = props.resources?.memory ?? DEFAULT_MEMORY;
    const requests: Record<string, k8s.Quantity> = {};
    const limits: Record<string, k8s.Quantity> = {};
    if (cpu.request) requests.cpu = cpuQuantity(cpu.request);
    if (cpu.limit) limits.cpu = cpuQuantity(cpu.limit);
    if (memory.request) requests.memory = memoryQuantity(memory.request);
    if (memory.limit) limits.memory = memoryQuantity(memory.limit);
    const storage = props.resources?.ephemeralStorage;
    if (storage?.request) requests['ephemeral-storage'] = memoryQuantity(storage.request);
    if (storage?.limit) limits['ephemeral-storage'] = memoryQuantity(storage.limit);

    const labels = {
      'app.kubernetes.io/name': 'ragas-evaluation',
      'app.kubernetes.io/instance': name,
    };
    const env: k8s.EnvVar[] = [
      { name: 'LANGFUSE_HOST', value: props.langfuseHost },
      { name: 'LANGFUSE_BASE_URL', value: props.langfuseHost },
      secretEnv('LANGFUSE_PUBLIC_KEY', props.langfuseKeys.name, props.langfuseKeys.publicKeyKey),
      secretEnv('LANGFUSE_SECRET_KEY', props.langfuseKeys.name, props.langfuseKeys.secretKeyKey),
      { name: 'OPENAI_BASE_URL', value: `${props.judge.litellmUrl.replace(/\/+$/, '')}/v1` },
      secretEnv('OPENAI_API_KEY', props.judge.apiKeySecret.name, props.judge.apiKeySecret.key),
      { name: 'JUDGE_MODEL', value: props.judge.model },
      { name: 'RAGAS_METRICS', value: metrics.map((m) => m.name).join(',') },
      { name: 'DATASET', value: props.dataset },
      { name: 'HOME', value: TMP },
      { name: 'TMPDIR', value: TMP },
      { name: 'PYTHONUNBUFFERED', value: '1' },
    ];

    this.cronJob = new k8s.KubeCronJob(this, 'Resource', {
      metadata: { name, namespace, labels },
      spec: {
        schedule: props.schedule.trim(),
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: (props.startingDeadline ?? Duration.minutes(10)).toSeconds(),
        successfulJobsHistoryLimit: props.successfulJobsHistoryLimit ?? 3,
        failedJobsHistoryLimit: props.failedJobsHistoryLimit ?? 3,
        jobTemplate: {
          metadata: { labels },
          spec: {
            backoffLimit: props.retries ?? 0,
            activeDeadlineSeconds: (props.activeDeadline ?? Duration.hours(2)).toSeconds(),
            template: {
              metadata: { labels },
              spec: {
                restartPolicy: 'Never',
                automountServiceAccountToken: false,
                securityContext: {
                  runAsNonRoot: true,
                  runAsUser: RUN_AS,
                  runAsGroup: RUN_AS,
                  fsGroup: RUN_AS,
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                containers: [{
                  name: 'evaluate',
                  image: props.image.uri,
                  imagePullPolicy: 'IfNotPresent',
                  command: props.command ? [...props.command] : undefined,
                  args: props.args ? [...props.args] : undefined,
                  env,
                  resources: {
                    requests: Object.keys(requests).length > 0 ? requests : undefined,
                    limits: Object.keys(limits).length > 0 ? limits : undefined,
                  },
                  securityContext: {
                    allowPrivilegeEscalation: false,
                    readOnlyRootFilesystem: true,
                    runAsNonRoot: true,
                    capabilities: { drop: ['ALL'] },
                    seccompProfile: { type: 'RuntimeDefault' },
                  },
                  volumeMounts: [{ name: 'tmp', mountPath: TMP }],
                }],
                volumes: [{ name: 'tmp', emptyDir: {} }],
              },
            },
          },
        },
      },
    });
  }

  /** The metrics computed on each run. */
  public get metrics(): RagasMetric[] {
    return [...this._metrics];
  }
}
