import { Duration, Lazy, Size } from 'aws-cdk-lib';
import { KubernetesComponent, Stage } from '../../../lib/core/component';
import { RagasEvaluation, RagasEvaluationProps, RagasMetric } from '../../../lib/observability/evaluation';
import { ContainerImage } from '../../../lib/versions';
import { expectValidK8sObjects } from '../../k8s-schema';
import { AgentModel, AgentTool, Cpu, GpuModel, MilvusMcpTools, ModelSpec, PlatformStack, RuleStatus, SystemMessage } from '../../../lib';
import { evaluatePlatformChecks } from '../../../lib/checks/run';
import { agentsPlatform } from '../../agents/fixtures';
import { LiteLlm, LiteLlmModel } from '../../../lib/gateway/litellm';
import { Langfuse } from '../../../lib/observability/langfuse';
import { find, objects, testDefinition, testPlatform } from '../../util';

const IMAGE = ContainerImage.of({
  repository: '123456789012.dkr.ecr.us-west-2.amazonaws.com/rag-eval',
  tag: '1.4.0',
  source: 'test',
  checked: '2026-11-24',
});

const BASE: RagasEvaluationProps = {
  name: 'rag-nightly',
  image: IMAGE,
  schedule: '0 3 * * *',
  dataset: 'prod-sample',
  langfuseHost: 'http://langfuse-web.langfuse.svc:3000',
  langfuseKeys: { name: 'langfuse-eval', publicKeyKey: 'public-key', secretKeyKey: 'secret-key' },
  judge: { litellmUrl: 'http://litellm.litellm.svc:4000', model: 'claude', apiKeySecret: { name: 'eval-litellm-key', key: 'key' } },
};

function component(namespace: string | undefined = 'evaluation'): KubernetesComponent {
  return new KubernetesComponent(testDefinition(), 'Eval', {
    name: 'evaluation', namespace, stage: Stage.WORKLOADS, description: 'evaluations',
  });
}

function synth(props: Partial<RagasEvaluationProps> = {}): { objs: Record<string, unknown>[]; cron: Record<string, any>; eval: RagasEvaluation } {
  const c = component();
  const e = new RagasEvaluation(c, 'Nightly', { ...BASE, ...props });
  const objs = objects(c);
  return { objs, cron: find(objs, 'CronJob', props.name ?? BASE.name), eval: e };
}

function container(cron: Record<string, any>): Record<string, any> {
  return cron.spec.jobTemplate.spec.template.spec.containers[0];
}

function env(cron: Record<string, any>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const e of container(cron).env as { name: string; value?: string; valueFrom?: unknown }[]) out[e.name] = e.value ?? e.valueFrom;
  return out;
}

function error(props: Partial<RagasEvaluationProps>, namespace?: string): () => void {
  return () => new RagasEvaluation(component(namespace), 'Nightly', { ...BASE, ...props });
}

describe('RagasEvaluation', () => {
  describe('defaults', () => {
    test('emits one valid batch/v1 CronJob with Forbid and the default limits', () => {
      // GIVEN / WHEN
      const { objs, cron } = synth();
      // THEN
      expect(objs).toHaveLength(1);
      expectValidK8sObjects(objs);
      expect(cron.apiVersion).toBe('batch/v1');
      expect(cron.metadata.namespace).toBe('evaluation');
      expect(cron.spec).toMatchObject({
        schedule: '0 3 * * *',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
      });
      expect(cron.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 7200 });
    });

    test('runs the image non-root with a read-only root file system and restartPolicy Never', () => {
      const { cron } = synth();
      const pod = cron.spec.jobTemplate.spec.template.spec;
      expect(pod.restartPolicy).toBe('Never');
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
      const c = container(cron);
      expect(c.image).toBe('123456789012.dkr.ecr.us-west-2.amazonaws.com/rag-eval:1.4.0');
      expect(c.command).toBeUndefined();
      expect(c.args).toBeUndefined();
      expect(c.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
      expect(c.resources).toEqual({ requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } });
    });

    test('wires Langfuse, the judge through LiteLLM, the metrics and the dataset into the environment', () => {
      const { cron, eval: e } = synth();
      expect(env(cron)).toEqual({
        LANGFUSE_HOST: 'http://langfuse-web.langfuse.svc:3000',
        LANGFUSE_BASE_URL: 'http://langfuse-web.langfuse.svc:3000',
        LANGFUSE_PUBLIC_KEY: { secretKeyRef: { name: 'langfuse-eval', key: 'public-key' } },
        LANGFUSE_SECRET_KEY: { secretKeyRef: { name: 'langfuse-eval', key: 'secret-key' } },
        OPENAI_BASE_URL: 'http://litellm.litellm.svc:4000/v1',
        OPENAI_API_KEY: { secretKeyRef: { name: 'eval-litellm-key', key: 'key' } },
        JUDGE_MODEL: 'claude',
        RAGAS_METRICS: 'faithfulness,answer_relevancy',
        DATASET: 'prod-sample',
        HOME: '/tmp',
        TMPDIR: '/tmp',
        PYTHONUNBUFFERED: '1',
      });
      expect(e.metrics.map((m) => m.name)).toEqual(['faithfulness', 'answer_relevancy']);
      expect(e.namespace).toBe('evaluation');
    });
  });

  describe('props', () => {
    test('metrics, command, args, resources, deadlines, history and retries', () => {
      const { objs, cron } = synth({
        metrics: [RagasMetric.FAITHFULNESS, RagasMetric.CONTEXT_PRECISION, RagasMetric.CONTEXT_RECALL, RagasMetric.of('noise_sensitivity')],
        command: ['python', '/app/eval.py'],
        args: ['--limit', '200'],
        resources: {
          cpu: { request: Cpu.millis(500), limit: Cpu.cores(2) },
          memory: { request: Size.mebibytes(512), limit: Size.gibibytes(2) },
          ephemeralStorage: { request: Size.gibibytes(1), limit: Size.gibibytes(4) },
        },
        startingDeadline: Duration.minutes(30),
        activeDeadline: Duration.minutes(45),
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 5,
        retries: 2,
        schedule: '@daily',
        namespace: 'rag',
      });
      expectValidK8sObjects(objs);
      expect(cron.metadata.namespace).toBe('rag');
      expect(cron.spec).toMatchObject({ schedule: '@daily', startingDeadlineSeconds: 1800, successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 5 });
      expect(cron.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 2700 });
      const c = container(cron);
      expect(c.command).toEqual(['python', '/app/eval.py']);
      expect(c.args).toEqual(['--limit', '200']);
      expect(c.resources).toEqual({
        requests: { 'cpu': '500m', 'memory': '512Mi', 'ephemeral-storage': '1Gi' },
        limits: { 'cpu': '2', 'memory': '2Gi', 'ephemeral-storage': '4Gi' },
      });
      expect(env(cron).RAGAS_METRICS).toBe('faithfulness,context_precision,context_recall,noise_sensitivity');
    });

    test('a trailing slash of the LiteLLM URL is dropped', () => {
      const { cron } = synth({ judge: { ...BASE.judge, litellmUrl: 'http://litellm.litellm.svc:4000/' } });
      expect(env(cron).OPENAI_BASE_URL).toBe('http://litellm.litellm.svc:4000/v1');
    });

    test('only a CPU limit leaves requests out', () => {
      const { objs, cron } = synth({ resources: { cpu: { limit: Cpu.cores(1) }, memory: {} } });
      expectValidK8sObjects(objs);
      expect(container(cron).resources).toEqual({ limits: { cpu: '1' } });
    });

    test.each([
      '*/15 * * * *', '0 */6 * * *', '0 3 * * 1-5', '30 2 1,15 * *', '0 0 * JAN,jul MON-FRI', '0 0 ? * 0', '@hourly', '@weekly',
      '@monthly', '@yearly', '@annually', '@midnight', '0 3 * * 7',
    ])('accepts the schedule %s', (schedule) => {
      expect(synth({ schedule }).cron.spec.schedule).toBe(schedule);
    });
  });

  describe('errors', () => {
    test.each([
      '0 3 * *', '0 3 * * * *', '60 * * * *', '* 24 * * *', '* * 0 * *', '* * * 13 *', '* * * * 8', '5-1 * * * *',
      '*/0 * * * *', 'TZ=UTC 0 3 * * *', '@every 1h', 'daily', '', '? * * * *', 'a b c d e',
    ])('schedule %p', (schedule) => {
      expect(error({ schedule })).toThrow(
        `'schedule' (${schedule}) of evaluation 'rag-nightly' is not a cron expression: use five fields such as '0 3 * * *' or a macro such as @daily`,
      );
    });

    test('name', () => {
      expect(error({ name: 'Rag' })).toThrow(
        "'name' (Rag) must be a DNS label: 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit");
      const long = 'a'.repeat(53);
      expect(error({ name: long })).toThrow(
        `'name' (${long}) of an evaluation must be at most 52 characters: Kubernetes appends 11 characters to the names of its Jobs`);
    });

    test('tokens', () => {
      expect(error({ schedule: Lazy.string({ produce: () => '0 3 * * *' }) })).toThrow(
        "'schedule' must be a literal string, not a token: Kubernetes manifests of the GitOps rendering cannot carry CloudFormation tokens");
    });

    test('namespace', () => {
      const c = new KubernetesComponent(testDefinition(), 'Eval', { name: 'evaluation', stage: Stage.WORKLOADS, description: 'x' });
      expect(() => new RagasEvaluation(c, 'Nightly', BASE)).toThrow(
        "evaluation 'rag-nightly' needs a 'namespace': set it, or create the evaluation in a component that has one");
    });

    test('metrics', () => {
      expect(error({ metrics: [] })).toThrow("'metrics' of evaluation 'rag-nightly' must name at least one metric");
      expect(error({ metrics: [RagasMetric.FAITHFULNESS, RagasMetric.of('faithfulness')] })).toThrow(
        "'metrics' of evaluation 'rag-nightly' names 'faithfulness' twice");
      expect(() => RagasMetric.of('Answer Relevancy')).toThrow(
        "'metric' (Answer Relevancy) must be a RAGAS metric name: lower-case letters, digits and '_', starting with a letter");
      expect(() => RagasMetric.of('')).toThrow("'metric' must not be empty");
    });

    test('URLs', () => {
      expect(error({ langfuseHost: 'langfuse:3000' })).toThrow(
        "'langfuseHost' (langfuse:3000) of evaluation 'rag-nightly' must be an http:// or https:// URL");
      expect(error({ judge: { ...BASE.judge, litellmUrl: 'litellm' } })).toThrow(
        "'judge.litellmUrl' (litellm) of evaluation 'rag-nightly' must be an http:// or https:// URL");
      expect(error({ judge: { ...BASE.judge, litellmUrl: 'http://litellm.litellm.svc:4000/v1' } })).toThrow(
        "'judge.litellmUrl' (http://litellm.litellm.svc:4000/v1) of evaluation 'rag-nightly' must not end with /v1: the evaluation appends it");
    });

    test('dataset, judge model and secret references', () => {
      expect(error({ dataset: ' ' })).toThrow("'dataset' must not be empty");
      expect(error({ judge: { ...BASE.judge, model: '' } })).toThrow("'judge.model' must not be empty");
      expect(error({ langfuseKeys: { ...BASE.langfuseKeys!, name: 'Langfuse' } })).toThrow(
        "'langfuseKeys.name' (Langfuse) must be a DNS subdomain: 1-253 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit");
      expect(error({ langfuseKeys: { ...BASE.langfuseKeys!, publicKeyKey: '' } })).toThrow("'langfuseKeys.publicKeyKey' must not be empty");
      expect(error({ langfuseKeys: { ...BASE.langfuseKeys!, secretKeyKey: '' } })).toThrow("'langfuseKeys.secretKeyKey' must not be empty");
      expect(error({ judge: { ...BASE.judge, apiKeySecret: { name: 'x_y', key: 'k' } } })).toThrow(
        "'judge.apiKeySecret.name' (x_y) must be a DNS subdomain: 1-253 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit");
      expect(error({ judge: { ...BASE.judge, apiKeySecret: { name: 'k', key: '' } } })).toThrow("'judge.apiKeySecret.key' must not be empty");
    });

    test('counts and durations', () => {
      expect(error({ successfulJobsHistoryLimit: -1 })).toThrow(
        "'successfulJobsHistoryLimit' (-1) of evaluation 'rag-nightly' must be an integer of zero or more");
      expect(error({ failedJobsHistoryLimit: 1.5 })).toThrow(
        "'failedJobsHistoryLimit' (1.5) of evaluation 'rag-nightly' must be an integer of zero or more");
      expect(error({ retries: -2 })).toThrow("'retries' (-2) of evaluation 'rag-nightly' must be an integer of zero or more");
      expect(error({ startingDeadline: Duration.millis(10) })).toThrow(
        "'startingDeadline' (10 millis) of evaluation 'rag-nightly' must be a whole number of seconds, at least 1");
      expect(error({ activeDeadline: Duration.seconds(0) })).toThrow(
        "'activeDeadline' (0 seconds) of evaluation 'rag-nightly' must be a whole number of seconds, at least 1");
      expect(error({ activeDeadline: Duration.millis(1500) })).toThrow(
        "'activeDeadline' (1 second 500 millis) of evaluation 'rag-nightly' must be a whole number of seconds, at least 1");
    });
  });
});

describe('RagasEvaluation with the platform Langfuse and LiteLLM', () => {
  function platformSetup(): { platform: PlatformStack; langfuse: Langfuse; litellm: LiteLlm } {
    const platform = testPlatform();
    const pool = platform.gpu.addNodePool('l40s', { gpus: [GpuModel.L40S], limits: { gpus: 8 } });
    const llama = platform.serving.addModel('Llama', { name: 'llama', spec: ModelSpec.LLAMA_3_1_8B, pools: [pool] });
    const langfuse = platform.observability.addLangfuse({ initialization: { organization: 'Acme', project: 'Agents' } });
    const litellm = platform.gateway.addLiteLlm({ models: [LiteLlmModel.selfHosted('judge-llm', llama)], langfuse });
    return { platform, langfuse, litellm };
  }

  test('keys reach the CronJob without copying: Langfuse keys and a generated judge key next to it', () => {
    // GIVEN
    const { platform, langfuse, litellm } = platformSetup();
    // WHEN
    const e = platform.observability.addEvaluation('Rag', {
      name: 'rag-nightly', image: IMAGE, schedule: '0 3 * * *', dataset: 'prod-sample',
      langfuse, judge: { litellm, model: 'judge-llm' },
    }, { namespace: 'evals' });
    const component = platform.definition.components.find((c) => c.componentName === 'evaluation-rag-nightly') as KubernetesComponent;
    const objs = objects(component);
    const cron = find(objs, 'CronJob', 'rag-nightly');
    // THEN
    expect(env(cron)).toMatchObject({
      LANGFUSE_HOST: 'http://langfuse-web.langfuse.svc.cluster.local:3000',
      LANGFUSE_PUBLIC_KEY: { secretKeyRef: { name: 'langfuse-keys', key: 'LANGFUSE_PUBLIC_KEY' } },
      LANGFUSE_SECRET_KEY: { secretKeyRef: { name: 'langfuse-keys', key: 'LANGFUSE_SECRET_KEY' } },
      OPENAI_BASE_URL: 'http://litellm.litellm.svc:4000/v1',
      OPENAI_API_KEY: { secretKeyRef: { name: 'evaluation-evals-rag-nightly-litellm-key', key: 'api-key' } },
      JUDGE_MODEL: 'judge-llm',
    });
    expect(e.judgeKeySecret).toEqual({ name: 'evaluation-evals-rag-nightly-litellm-key', key: 'api-key' });
    expect(find(objs, 'ExternalSecret', 'langfuse-keys').metadata.namespace).toBe('evals');
    expect(find(objs, 'ExternalSecret', 'evaluation-evals-rag-nightly-litellm-key').metadata.namespace).toBe('evals');
    expect(litellm.keyRequests).toEqual([{
      key_alias: 'evaluation-evals-rag-nightly',
      models: ['judge-llm'],
      metadata: { aws_secret: 'test/evals/evaluation-evals-rag-nightly-litellm-key', namespace: 'evals', secret: 'evaluation-evals-rag-nightly-litellm-key' },
    }]);
    expectValidK8sObjects(objs);
  });

  test('errors: Langfuse and judge sources are exclusive and required', () => {
    // GIVEN
    const { langfuse, litellm } = platformSetup();
    // WHEN / THEN
    expect(error({ langfuse })).toThrow(
      "evaluation 'rag-nightly' sets 'langfuse' and 'langfuseHost' or 'langfuseKeys': set the platform's Langfuse or a host and keys, not both");
    expect(error({ langfuseHost: undefined })).toThrow(
      "evaluation 'rag-nightly' needs Langfuse: set 'langfuse' (the platform's Langfuse), or both 'langfuseHost' and 'langfuseKeys'");
    expect(error({ judge: { ...BASE.judge, litellm } })).toThrow(
      "evaluation 'rag-nightly' sets 'judge.litellm' and 'judge.litellmUrl' or 'judge.apiKeySecret': set the platform's LiteLLM or a URL and key, not both");
    expect(error({ judge: { model: 'claude', litellmUrl: 'http://litellm.litellm.svc:4000' } })).toThrow(
      "evaluation 'rag-nightly' needs a judge endpoint: set 'judge.litellm' (the platform's LiteLLM), or both 'judge.litellmUrl' and 'judge.apiKeySecret'");
    expect(error({ judge: { litellm, model: 'claude' } })).toThrow(
      "virtual key 'evaluation-evaluation-rag-nightly' allows model 'claude', which is not a model of this LiteLLM");
  });
});

describe('RagasEvaluation of an agent', () => {
  /** A platform with a Milvus store, its MCP server, an ops agent and a RAG agent that takes the search tool. */
  function ragSetup() {
    const { platform, litellm } = agentsPlatform();
    const docs = platform.retrieval.addVectorStore('Docs', { name: 'docs' });
    const search = platform.retrieval.addMcpServer('DocsSearch', { name: 'docs-search', vectorStore: docs });
    const ops = platform.agents.addAgent('Ops', {
      name: 'ops', description: 'ops', systemMessage: SystemMessage.inline('ops'), model: AgentModel.liteLlm(litellm, 'claude-sonnet'),
    });
    const rag = platform.agents.addAgent('Rag', {
      name: 'rag', description: 'rag', systemMessage: SystemMessage.inline('rag'), model: AgentModel.liteLlm(litellm, 'claude-sonnet'),
      tools: [AgentTool.mcp(search, { tools: [MilvusMcpTools.TEXT_SEARCH, MilvusMcpTools.QUERY, MilvusMcpTools.COLLECTION_INFO] }), AgentTool.agent(ops)],
    });
    const langfuse = platform.observability.langfuse!;
    return { platform, litellm, langfuse, search, ops, rag };
  }

  function evaluationObjects(platform: PlatformStack, name = 'rag-nightly'): Record<string, any>[] {
    const c = platform.definition.components.find((x) => x.componentName === `evaluation-${name}`) as KubernetesComponent;
    return c.toJson() as Record<string, any>[];
  }

  test('asks the agent through kagent\'s A2A endpoint: env contract, flow to the controller, checks pass', () => {
    // GIVEN
    const { platform, litellm, langfuse, rag } = ragSetup();

    // WHEN
    const e = platform.observability.addEvaluation('RagNightly', {
      ...BASE, langfuseHost: undefined, langfuseKeys: undefined, langfuse, judge: { litellm, model: 'claude-sonnet' }, agent: rag,
      metrics: [RagasMetric.FAITHFULNESS, RagasMetric.CONTEXT_PRECISION],
    });

    // THEN
    const objs = evaluationObjects(platform);
    expectValidK8sObjects(objs);
    expect(env(find(objs, 'CronJob', 'rag-nightly'))).toMatchObject({
      AGENT_A2A_URL: 'http://kagent-controller.kagent.svc.cluster.local:8083/api/a2a/agents/rag',
      AGENT_NAMESPACE: 'agents',
      AGENT_NAME: 'rag',
      AGENT_USER_ID: 'evaluation-rag-nightly',
      AGENT_CONTEXT_TOOLS: 'milvus_text_search,milvus_query',
      RAGAS_METRICS: 'faithfulness,context_precision',
    });
    expect([e.agent, e.contextTools]).toEqual([rag, ['milvus_text_search', 'milvus_query']]);
    const f = platform.network.flows.find((x) => x.name === 'evaluation-rag-nightly-to-kagent') as Record<string, any>;
    expect([f.from.namespace, f.to.namespace, f.to.labels, f.ports.map((p: any) => p.port)]).toEqual([
      'evaluations', 'kagent', { 'app.kubernetes.io/name': 'kagent', 'app.kubernetes.io/instance': 'kagent', 'app.kubernetes.io/component': 'controller' }, [8083],
    ]);
    const failed = evaluatePlatformChecks(platform.definition).filter((r) => r.status === RuleStatus.NON_COMPLIANT);
    expect(failed.flatMap((r) => r.findings.map((x) => `[${r.rule.id}] ${x.message}`))).toEqual([]);
  });

  test('contextTools set the tools whose results are the contexts; tools added later count by default', () => {
    // GIVEN
    const { platform, litellm, langfuse, rag, search } = ragSetup();
    const other = platform.retrieval.addMcpServer('Other', { name: 'other-search', vectorStore: search.vectorStore });

    // WHEN
    const byDefault = platform.observability.addEvaluation('A', {
      ...BASE, name: 'a', langfuseHost: undefined, langfuseKeys: undefined, langfuse, judge: { litellm, model: 'claude-sonnet' }, agent: rag,
    });
    const explicit = platform.observability.addEvaluation('B', {
      ...BASE, name: 'b', langfuseHost: undefined, langfuseKeys: undefined, langfuse, judge: { litellm, model: 'claude-sonnet' }, agent: rag,
      contextTools: [MilvusMcpTools.COLLECTION_INFO],
    });
    rag.addTool(AgentTool.mcp(other, { tools: [MilvusMcpTools.HYBRID_SEARCH] }));

    // THEN
    expect(env(find(evaluationObjects(platform, 'a'), 'CronJob', 'a')).AGENT_CONTEXT_TOOLS).toBe('milvus_text_search,milvus_query,milvus_hybrid_search');
    expect(env(find(evaluationObjects(platform, 'b'), 'CronJob', 'b')).AGENT_CONTEXT_TOOLS).toBe('milvus_get_collection_info');
    expect([byDefault.contextTools, explicit.contextTools]).toEqual([['milvus_text_search', 'milvus_query', 'milvus_hybrid_search'], ['milvus_get_collection_info']]);
  });

  test('without an agent, no agent variables and no flow to kagent', () => {
    // GIVEN / WHEN
    const { cron, eval: e } = synth();

    // THEN
    expect(Object.keys(env(cron)).filter((k) => k.startsWith('AGENT_'))).toEqual([]);
    expect([e.agent, e.contextTools]).toEqual([undefined, []]);
  });

  test('errors at synth', () => {
    // GIVEN
    const { platform, litellm, langfuse, ops, rag, search } = ragSetup();
    const base = { ...BASE, langfuseHost: undefined, langfuseKeys: undefined, langfuse, judge: { litellm, model: 'claude-sonnet' } };
    const approver = platform.agents.addAgent('Approver', {
      name: 'approver', description: 'a', systemMessage: SystemMessage.inline('a'), model: AgentModel.liteLlm(litellm, 'claude-sonnet'),
      tools: [AgentTool.mcp(search, { tools: [MilvusMcpTools.TEXT_SEARCH], requireApproval: [MilvusMcpTools.TEXT_SEARCH] })],
    });
    const caller = platform.agents.addAgent('Caller', {
      name: 'caller', description: 'c', systemMessage: SystemMessage.inline('c'), model: AgentModel.liteLlm(litellm, 'claude-sonnet'),
      tools: [AgentTool.mcp(search, { tools: [MilvusMcpTools.TEXT_SEARCH] }), AgentTool.agent(approver)],
    });
    const foreign = agentsPlatform().platform;
    const foreignAgent = foreign.agents.addAgent('X', {
      name: 'x', description: 'x', systemMessage: SystemMessage.inline('x'), model: AgentModel.bedrock('us.anthropic.claude-sonnet-4-20250514-v1:0', { region: 'us-west-2' }),
    });

    // WHEN / THEN: at construction
    expect(() => platform.observability.addEvaluation('F', { ...base, name: 'f', agent: foreignAgent })).toThrow(
      "evaluation 'f' targets agent 'x' of another platform: evaluate an agent of this platform (platform.agents.addAgent)");
    expect(error({ contextTools: ['milvus_query'] })).toThrow(
      "'contextTools' of evaluation 'rag-nightly' apply to the evaluation of an 'agent': set 'agent', or leave them out");
    expect(() => platform.observability.addEvaluation('E', { ...base, name: 'e', agent: rag, contextTools: [] })).toThrow(
      "'contextTools' of evaluation 'e' must name at least one tool, or be left out");

    // WHEN / THEN: when the manifests are rendered (the agent's tools may still change until then)
    platform.observability.addEvaluation('T', { ...base, name: 't', agent: rag, contextTools: ['milvus_list_databases'] });
    expect(() => evaluationObjects(platform, 't')).toThrow(
      "'contextTools' of evaluation 't' names 'milvus_list_databases', which agent 'rag' does not take from any MCP server (its MCP tools: milvus_text_search, milvus_query, milvus_get_collection_info)");
    platform.observability.addEvaluation('O', { ...base, name: 'o', agent: ops });
    expect(() => evaluationObjects(platform, 'o')).toThrow(
      "metric 'faithfulness' of evaluation 'o' scores retrieved contexts, but agent 'ops' takes no retrieval tool: give it one (platform.retrieval.addMcpServer and AgentTool.mcp), set 'contextTools', or drop the metric");
    platform.observability.addEvaluation('R', { ...base, name: 'r', agent: ops, metrics: [RagasMetric.ANSWER_RELEVANCY] });
    expect(() => evaluationObjects(platform, 'r')).not.toThrow();
    platform.observability.addEvaluation('A', { ...base, name: 'a', agent: caller });
    expect(() => evaluationObjects(platform, 'a')).toThrow(
      "evaluation 'a' asks agent 'caller' unattended, but tool 'milvus_text_search' of agent 'caller' -> 'approver' needs a human's approval: the run would wait until its 'activeDeadline'; evaluate an agent whose tools need no approval");
  });
});
