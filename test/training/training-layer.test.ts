import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { DatasetSource, FineTuneMethod, ModelSource, ModelSpec, PodSecurityLevel, RuleStatus, ShardingStrategy } from '../../lib';
import { evaluatePlatformChecks } from '../../lib/checks/run';
import { expectValidK8sObjects } from '../k8s-schema';
import { find, template } from '../util';
import { trainerPlatform } from './fixtures';

const COMMAND = ['/opt/Megatron-Bridge/examples/recipes/llama/finetune.py'];

function loraFineTune() {
  const f = trainerPlatform();
  const ft = f.platform.training.addFineTuning('Lora', {
    name: 'llama8-lora', model: ModelSpec.LLAMA_3_1_8B, pool: f.l40s, command: COMMAND,
    dataset: DatasetSource.fromUri('s3://datasets-bucket/support/v1'), checkpoints: 's3://ckpt-bucket/llama8-lora',
  });
  return { ...f, ft };
}

function componentObjects(f: ReturnType<typeof trainerPlatform>, name: string): Record<string, any>[] {
  const c = f.platform.definition.components.find((x) => x.componentName === name);
  if (c === undefined) throw new Error(`no component ${name}`);
  return (c as unknown as { toJson(): Record<string, any>[] }).toJson();
}

describe('platform.training.addFineTuning', () => {
  test('GIVEN a LoRA fine-tune on a pool without EFA THEN a TrainJob on the nemo runtime, pinned to the pool, undisruptable', () => {
    const f = loraFineTune();
    const objs = componentObjects(f, 'training-llama8-lora');
    const job = find(objs, 'TrainJob', 'llama8-lora');
    expect(job.metadata.namespace).toBe('training');
    expect(job.metadata.labels).toBeUndefined();
    expect(job.spec.suspend).toBeUndefined();
    expect(job.spec.runtimeRef).toEqual({ apiGroup: 'trainer.kubeflow.org', kind: 'ClusterTrainingRuntime', name: 'nemo' });
    expect(job.spec.trainer).toMatchObject({
      image: 'nvcr.io/nvidia/nemo:26.08', command: ['torchrun', ...COMMAND], numNodes: 1, numProcPerNode: 4,
      resourcesPerNode: { limits: { 'nvidia.com/gpu': 4 } },
    });
    expect(job.spec.trainer.env).toEqual(expect.arrayContaining([
      { name: 'CHECKPOINT_URI', value: 's3://ckpt-bucket/llama8-lora' }, { name: 'FINE_TUNE_METHOD', value: 'lora' },
    ]));
    const patch = job.spec.runtimePatches[0];
    expect(patch.manager).toBe('agentic-eks.io/training');
    const pod = patch.trainingRuntimeSpec.template.spec.replicatedJobs[0].template.spec.template;
    expect(patch.trainingRuntimeSpec.template.spec.replicatedJobs[0].name).toBe('node');
    expect(pod.metadata.annotations).toEqual({ 'karpenter.sh/do-not-disrupt': 'true' });
    expect(pod.spec.nodeSelector).toEqual({ 'agentic-eks.io/gpu-pool': 'inference' });
    expect(pod.spec.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }]);
    expect(pod.spec.serviceAccountName).toBe('llama8-lora');
    expect(pod.spec.initContainers).toEqual([
      { name: 'model-initializer', env: [
        { name: 'STORAGE_URI', value: 'hf://meta-llama/Llama-3.1-8B-Instruct' },
        { name: 'ACCESS_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'HF_TOKEN' } } },
      ] },
      { name: 'dataset-initializer', env: [{ name: 'STORAGE_URI', value: 's3://datasets-bucket/support/v1' }] },
    ]);
    find(objs, 'ServiceAccount', 'llama8-lora');
    expectValidK8sObjects(objs);
  });

  test('GIVEN the first fine-tune THEN Kubeflow Trainer is installed on the system nodes and the nemo runtime declared', () => {
    const f = loraFineTune();
    const trainer = f.platform.training.trainer!.controller;
    expect(trainer.componentName).toBe('kubeflow-trainer');
    expect(trainer.namespace).toBe('kubeflow-system');
    expect(trainer.values()).toMatchObject({
      crds: { enabled: true }, image: { tag: 'v2.3.0' },
      manager: { tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }] },
      jobset: { install: true, image: { repository: 'registry.k8s.io/jobset/jobset', tag: 'v0.12.0' }, controller: { tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }] } },
    });
    const runtimes = componentObjects(f, 'training-runtimes');
    expect(runtimes.map((o) => o.metadata.name)).toEqual(['nemo']);
    const node = runtimes[0].spec.template.spec.replicatedJobs[0].template.spec.template.spec;
    expect(runtimes[0].spec.mlPolicy).toEqual({ numNodes: 1, torch: {} });
    expect(node.volumes).toEqual([{ name: 'workspace', emptyDir: {} }, { name: 'dshm', emptyDir: { medium: 'Memory' } }]);
    expect(node.containers[0].securityContext).toBeUndefined();
    expect(node.initContainers.map((c: { image: string }) => c.image)).toEqual([
      'ghcr.io/kubeflow/trainer/model-initializer:v2.3.0', 'ghcr.io/kubeflow/trainer/dataset-initializer:v2.3.0',
    ]);
    expectValidK8sObjects(runtimes);
  });

  test('GIVEN an S3 dataset and checkpoints THEN a Pod Identity role scoped to the prefixes', () => {
    const f = loraFineTune();
    const t = template(f.platform);
    t.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'training', ServiceAccount: 'llama8-lora' });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([
        Match.objectLike({ Action: 's3:GetObject', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::datasets-bucket/support/v1/*']] } }),
        Match.objectLike({ Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'], Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::ckpt-bucket/llama8-lora/*']] } }),
      ]) },
    });
  });

  test('GIVEN a multi-node full fine-tune on the EFA pool, queued with a priority THEN nemo-efa, EFA devices, Kueue labels, suspended', () => {
    const f = trainerPlatform();
    const team = f.platform.teams.add({ name: 'research', gpuQuota: 16, podSecurity: PodSecurityLevel.PRIVILEGED });
    const kueue = f.platform.training.addKueue();
    const queue = kueue.addTeamQueue({ team, pools: [{ pool: f.efa, gpus: 16 }] });
    const ft = f.platform.training.addFineTuning('Full', {
      name: 'llama70-full', model: ModelSpec.LLAMA_3_1_70B, pool: f.efa, nodes: 2, method: FineTuneMethod.FULL, command: COMMAND,
      dataset: DatasetSource.fromHuggingFace('tatsu-lab/alpaca'), checkpoints: 's3://ckpt-bucket/llama70',
      modelSource: ModelSource.fromS3('models-bucket', 'llama-3.1-70b'), queue: queue.defaultQueue, priority: kueue.priorityClass('high'),
      runtimePatches: {
        tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }],
        volumes: [{ name: 'fsx', persistentVolumeClaim: { claimName: 'datasets' } }],
        volumeMounts: [{ name: 'fsx', mountPath: '/fsx' }],
      },
      activeDeadline: require('aws-cdk-lib').Duration.hours(48),
    });
    const objs = componentObjects(f, 'training-llama70-full');
    const job = find(objs, 'TrainJob', 'llama70-full');
    expect(job.metadata.namespace).toBe('research');
    expect(ft.namespace).toBe('research');
    expect(job.metadata.labels).toEqual({ 'kueue.x-k8s.io/queue-name': 'default', 'kueue.x-k8s.io/priority-class': 'high' });
    expect(job.spec.suspend).toBe(true);
    const component = f.platform.definition.components.find((c) => c.componentName === 'training-llama70-full')!;
    expect(component.dependencies).toEqual(expect.arrayContaining([kueue.queues, team.component]));
    expect(job.spec.activeDeadlineSeconds).toBe(172800);
    expect(ft.pool).toBe(f.efa);
    expect(ft.activeDeadline?.toHours()).toBe(48);
    expect(job.spec.runtimeRef.name).toBe('nemo-efa');
    expect(job.spec.trainer.numNodes).toBe(2);
    expect(job.spec.trainer.numProcPerNode).toBe(8);
    expect(job.spec.trainer.resourcesPerNode.limits).toEqual({ 'nvidia.com/gpu': 8, 'vpc.amazonaws.com/efa': 32 });
    const pod = job.spec.runtimePatches[0].trainingRuntimeSpec.template.spec.replicatedJobs[0].template.spec.template.spec;
    expect(pod.tolerations).toHaveLength(2);
    expect(pod.volumes).toEqual([{ name: 'fsx', persistentVolumeClaim: { claimName: 'datasets' } }]);
    expect(pod.containers).toEqual([{ name: 'node', volumeMounts: [{ name: 'fsx', mountPath: '/fsx' }] }]);
    expect(pod.initContainers[0].env).toEqual([{ name: 'STORAGE_URI', value: 's3://models-bucket/llama-3.1-70b' }]);
    expect(pod.initContainers[1].env[0]).toEqual({ name: 'STORAGE_URI', value: 'hf://tatsu-lab/alpaca' });
    expectValidK8sObjects(objs);
    const runtime = find(componentObjects(f, 'training-runtimes'), 'ClusterTrainingRuntime', 'nemo-efa');
    const node = runtime.spec.template.spec.replicatedJobs[0].template.spec.template.spec.containers[0];
    expect(node.securityContext).toEqual({ capabilities: { add: ['IPC_LOCK'] } });
    expect(node.env).toEqual([
      { name: 'MODEL_DIR', value: '/workspace/model' }, { name: 'DATASET_DIR', value: '/workspace/dataset' },
      { name: 'FI_PROVIDER', value: 'efa' }, { name: 'NCCL_NET_PLUGIN', value: 'ofi' },
    ]);
  });

  test('GIVEN an EFA fine-tune without a team THEN it runs in the training namespace at Pod Security privileged', () => {
    const f = trainerPlatform();
    const ft = f.platform.training.addFineTuning('Full', {
      name: 'llama70-full', model: ModelSpec.LLAMA_3_1_70B, pool: f.efa, nodes: 2, method: FineTuneMethod.FULL, command: COMMAND,
      dataset: DatasetSource.fromHuggingFace('tatsu-lab/alpaca'), checkpoints: 's3://ckpt-bucket/llama70',
    });
    expect(ft.namespace).toBe('training');
    expect(ft.trainJob.toJson().spec.suspend).toBeUndefined();
    expect(f.platform.definition.podSecurityOf('training')).toBe('privileged');
  });

  describe('Kueue queue and priority', () => {
    const setup = () => {
      const f = trainerPlatform();
      const team = f.platform.teams.add({ name: 'research', gpuQuota: 8, podSecurity: PodSecurityLevel.PRIVILEGED });
      const other = f.platform.teams.add({ name: 'team-b', gpuQuota: 4, podSecurity: PodSecurityLevel.PRIVILEGED });
      const kueue = f.platform.training.addKueue();
      const queue = kueue.addTeamQueue({ team, pools: [{ pool: f.l40s, gpus: 8 }], localQueues: ['default', 'sweep'] });
      const opts = {
        name: 'ft', model: ModelSpec.LLAMA_3_1_8B, pool: f.l40s, command: COMMAND,
        dataset: DatasetSource.fromUri('hf://tatsu-lab/alpaca'), checkpoints: 's3://ckpt-bucket/ft',
      };
      return { f, team, other, kueue, queue, opts };
    };
    test('GIVEN a non-default LocalQueue and a priority THEN its labels, in the queue\'s team namespace', () => {
      const { f, kueue, queue, opts } = setup();
      const ft = f.platform.training.addFineTuning('X', { ...opts, queue: queue.localQueue('sweep'), priority: kueue.priorityClass('low') });
      expect(ft.namespace).toBe('research');
      expect(ft.trainJob.toJson().metadata.labels).toEqual({ 'kueue.x-k8s.io/queue-name': 'sweep', 'kueue.x-k8s.io/priority-class': 'low' });
    });
    test('GIVEN the same team as placement THEN accepted', () => {
      const { f, team, queue, opts } = setup();
      expect(f.platform.training.addFineTuning('X', { ...opts, queue: queue.defaultQueue }, { team }).namespace).toBe('research');
    });
    test('a priority without a queue', () => {
      const { f, kueue, opts } = setup();
      expect(() => f.platform.training.addFineTuning('X', { ...opts, priority: kueue.priorityClass('high') })).toThrow(
        "'priority' (high) of fine-tune 'ft' needs a 'queue': Kueue reads the priority class of queued workloads only");
    });
    test('a queue of another team', () => {
      const { f, other, queue, opts } = setup();
      expect(() => f.platform.training.addFineTuning('X', { ...opts, queue: queue.defaultQueue }, { team: other })).toThrow(
        "'queue' (research/default) of fine-tune 'ft' is a LocalQueue of team 'research', but the fine-tune runs in team 'team-b': a LocalQueue takes jobs of its own namespace only");
    });
    test('a queue of another namespace', () => {
      const { f, queue, opts } = setup();
      expect(() => f.platform.training.addFineTuning('X', { ...opts, queue: queue.defaultQueue }, { namespace: 'training' })).toThrow(
        "'queue' (research/default) of fine-tune 'ft' is in namespace 'research', but the fine-tune runs in namespace 'training': a LocalQueue takes jobs of its own namespace only");
    });
    test('a pool outside the queue', () => {
      const { f, queue, opts } = setup();
      expect(() => f.platform.training.addFineTuning('X', { ...opts, pool: f.efa, queue: queue.defaultQueue })).toThrow(
        "GPU NodePool 'training' is not in the Kueue queue of team 'research' (its pools: inference): fine-tune 'ft' would never be admitted");
    });
    test('more GPUs than the team can ever be admitted on the pool', () => {
      const f = trainerPlatform();
      const team = f.platform.teams.add({ name: 'research', gpuQuota: 4, podSecurity: PodSecurityLevel.BASELINE });
      const queue = f.platform.training.addKueue().addTeamQueue({ team, pools: [{ pool: f.l40s }] });
      expect(() => f.platform.training.addFineTuning('X', {
        name: 'ft', model: ModelSpec.LLAMA_3_1_8B, pool: f.l40s, nodes: 2, command: COMMAND, queue: queue.defaultQueue,
        dataset: DatasetSource.fromUri('hf://tatsu-lab/alpaca'), checkpoints: 's3://ckpt-bucket/ft',
      })).toThrow("fine-tune 'ft' asks for 8 GPUs (2 x 4) on pool 'inference', more than team 'research' can ever be admitted there (4)");
    });
  });

  test('GIVEN fine-tunes and an NCCL test THEN the platform checks find nothing', () => {
    const f = loraFineTune();
    f.platform.training.addFineTuning('Full', {
      name: 'llama70-full', model: ModelSpec.LLAMA_3_1_70B, pool: f.efa, nodes: 2, method: FineTuneMethod.FULL, command: COMMAND,
      dataset: DatasetSource.fromUri('hf://tatsu-lab/alpaca'), checkpoints: 's3://ckpt-bucket/llama70',
    });
    f.platform.training.addNcclTest('Fabric', { pool: f.efa, nodes: 2 });
    const failing = evaluatePlatformChecks(f.platform.definition)
      .filter((r) => r.status === RuleStatus.NON_COMPLIANT && r.findings.length > 0)
      .flatMap((r) => r.findings.map((x) => `[${r.rule.id}] ${x.message}`));
    expect(failing).toEqual([]);
    const all = f.platform.definition.components
      .filter((c) => c.componentName.startsWith('training-'))
      .flatMap((c) => (c as unknown as { toJson(): Record<string, unknown>[] }).toJson());
    expectValidK8sObjects(all);
  });

  test('GIVEN a multi-node fine-tune without EFA THEN a warning', () => {
    const f = trainerPlatform();
    f.platform.training.addFineTuning('Lora', {
      name: 'two-nodes', model: ModelSpec.LLAMA_3_1_8B, pool: f.l40s, nodes: 2, command: COMMAND,
      dataset: DatasetSource.fromUri('hf://tatsu-lab/alpaca'), checkpoints: 's3://ckpt-bucket/x',
    });
    Annotations.fromStack(f.platform).hasWarning('/Test/Training', Match.stringLikeRegexp("fine-tune 'two-nodes' spans 2 nodes of NodePool 'inference' without EFA"));
  });

  describe('errors', () => {
    const base = () => {
      const f = trainerPlatform();
      return {
        f,
        opts: {
          name: 'ft', model: ModelSpec.LLAMA_3_1_8B, pool: f.l40s, command: COMMAND,
          dataset: DatasetSource.fromUri('hf://tatsu-lab/alpaca'), checkpoints: 's3://ckpt-bucket/ft',
        },
      };
    };
    test('more nodes than the pool limit allows', () => {
      const { f, opts } = base();
      expect(() => f.platform.training.addFineTuning('X', { ...opts, nodes: 3 })).toThrow(
        "'nodes' (3) of fine-tune 'ft' is more than NodePool 'inference' can launch: its 'limits.gpus' (8) allows 2 nodes of 4 GPUs");
    });
    test('processes per node above GPUs per node', () => {
      const { f, opts } = base();
      expect(() => f.platform.training.addFineTuning('X', { ...opts, processesPerNode: 8 })).toThrow(
        "'processesPerNode' (8) of fine-tune 'ft' is above the GPUs per node (4) of NodePool 'inference'");
    });
    test('EFA asked on a pool without EFA', () => {
      const { f, opts } = base();
      expect(() => f.platform.training.addFineTuning('X', { ...opts, efa: true })).toThrow(
        "fine-tune 'ft' asks for EFA but NodePool 'inference' has none: set 'efa: true' on an EFA pool (e.g. p5.48xlarge) or leave 'efa' unset");
    });
    test('a dataset URI that is neither s3:// nor hf://', () => {
      expect(() => DatasetSource.fromUri('gs://bucket/data')).toThrow(
        'dataset URI (gs://bucket/data) must be s3://bucket/prefix or hf://org/name: the Kubeflow dataset initializer reads only S3 and Hugging Face');
      expect(() => DatasetSource.fromUri('/fsx/data')).toThrow('dataset URI (/fsx/data) must be s3://bucket/prefix or hf://org/name');
    });
    test('checkpoints not on S3', () => {
      const { f, opts } = base();
      expect(() => f.platform.training.addFineTuning('X', { ...opts, checkpoints: '/fsx/ckpt' })).toThrow(
        "'checkpoints' (/fsx/ckpt) must be an S3 location s3://bucket/prefix");
    });
    test('a fine-tune that does not fit the pool\'s GPU memory', () => {
      const f = trainerPlatform();
      expect(() => f.platform.training.addFineTuning('X', {
        name: 'llama70', model: ModelSpec.LLAMA_3_1_70B, pool: f.efa, method: FineTuneMethod.FULL, command: COMMAND,
        dataset: DatasetSource.fromUri('hf://tatsu-lab/alpaca'), checkpoints: 's3://ckpt-bucket/ft',
      })).toThrow("fine-tune 'llama70' of Llama 3.1 70B (full, FSDP) needs 1052.0 GiB of weights, gradients and optimizer states "
        + 'sharded over 8 GPUs (1 x 8) + 5.0 GiB of activations + 6.0 GiB of overhead = 142.5 GiB per GPU; '
        + "NodePool 'training' offers 80.0 GiB per GPU (p5.48xlarge, 8 x H100): use 2 nodes of 8 GPUs, LoRA, or a pool with more GPU memory");
    });
    test('a gated model without a token', () => {
      const f = trainerPlatform();
      const { testPlatform } = require('../util');
      const p = testPlatform({ serving: {} });
      const pool = p.gpu.addNodePool('inference', { instanceTypes: ['g6e.12xlarge'], limits: { gpus: 8 } });
      expect(f).toBeDefined();
      expect(() => p.training.addFineTuning('X', {
        name: 'ft', model: ModelSpec.LLAMA_3_1_8B, pool, command: COMMAND,
        dataset: DatasetSource.fromUri('hf://tatsu-lab/alpaca'), checkpoints: 's3://ckpt-bucket/ft',
      })).toThrow("'modelSource' of fine-tune 'ft' (meta-llama/Llama-3.1-8B-Instruct) is gated on Hugging Face and needs a token");
    });
  });

  test('strategy DDP is recorded in the environment', () => {
    const { platform, l40s } = trainerPlatform();
    platform.training.addFineTuning('Ddp', {
      name: 'mistral-ddp', model: ModelSpec.MISTRAL_7B_V0_3, pool: l40s, strategy: ShardingStrategy.DDP, command: COMMAND,
      dataset: DatasetSource.fromUri('hf://tatsu-lab/alpaca'), checkpoints: 's3://ckpt-bucket/m',
    });
    const job = platform.definition.components.find((c) => c.componentName === 'training-mistral-ddp') as unknown as { toJson(): Record<string, any>[] };
    expect(job.toJson()[1].spec.trainer.env).toContainEqual({ name: 'SHARDING_STRATEGY', value: 'ddp' });
  });
});

describe('platform.training.addNcclTest', () => {
  test('GIVEN an EFA pool THEN a TrainJob on the nccl-tests MPI runtime running all_reduce_perf over 2 x 8 ranks', () => {
    const f = trainerPlatform();
    f.platform.training.addNcclTest('Fabric', { pool: f.efa });
    const job = find(componentObjects(f, 'training-nccl-training'), 'TrainJob', 'nccl-training');
    expect(job.spec.runtimeRef.name).toBe('nccl-tests');
    expect(job.spec.trainer.numNodes).toBe(2);
    expect(job.spec.trainer.command).toEqual(expect.arrayContaining(['mpirun', '-np', '16', '-N', '8', 'all_reduce_perf', '-e', '16G']));
    expect(job.spec.trainer.resourcesPerNode.limits).toEqual({ 'nvidia.com/gpu': 8, 'vpc.amazonaws.com/efa': 32 });
    const jobs = job.spec.runtimePatches[0].trainingRuntimeSpec.template.spec.replicatedJobs;
    expect(jobs.map((j: { name: string }) => j.name)).toEqual(['launcher', 'node']);
    const runtime = find(componentObjects(f, 'training-runtimes'), 'ClusterTrainingRuntime', 'nccl-tests');
    expect(runtime.spec.mlPolicy.mpi).toEqual({ numProcPerNode: 1, mpiImplementation: 'OpenMPI', sshAuthMountPath: '/root/.ssh', runLauncherAsNode: true });
    expect(runtime.spec.template.spec.replicatedJobs[0].template.spec.template.spec.containers[0].image)
      .toBe('public.ecr.aws/hpc-cloud/nccl-tests:cuda13.1.2-efa1.50.0-ofiv1.21.1-ncclv2.31.2-1-testsv2.20.0');
  });
  test('GIVEN a pool without EFA THEN refused', () => {
    const f = trainerPlatform();
    expect(() => f.platform.training.addNcclTest('X', { pool: f.l40s })).toThrow(
      "NCCL test 'nccl-inference' needs an EFA pool; NodePool 'inference' has no EFA ('efa' is not set)");
  });
  test('GIVEN one node THEN refused', () => {
    const f = trainerPlatform();
    expect(() => f.platform.training.addNcclTest('X', { pool: f.efa, nodes: 1 })).toThrow(
      "'nodes' (1) of NCCL test 'nccl-training' must be an integer >= 2: it measures the fabric between nodes");
  });
});

describe('team placement', () => {
  const opts = (f: ReturnType<typeof trainerPlatform>) => ({
    name: 'ft', model: ModelSpec.LLAMA_3_1_8B, pool: f.l40s, command: COMMAND,
    dataset: DatasetSource.fromUri('hf://tatsu-lab/alpaca'), checkpoints: 's3://ckpt-bucket/ft',
  });
  test('GIVEN a baseline team THEN the fine-tune runs in its namespace and the checks pass', () => {
    const f = trainerPlatform();
    const team = f.platform.teams.add({ name: 'research', gpuQuota: 16, podSecurity: PodSecurityLevel.BASELINE });
    const ft = f.platform.training.addFineTuning('Ft', opts(f), { team });
    expect(ft.namespace).toBe('research');
    const c = f.platform.definition.components.find((x) => x.componentName === 'training-ft')!;
    expect(c.dependencies).toContain(team.component);
    const failing = evaluatePlatformChecks(f.platform.definition).filter((r) => r.findings.length > 0).flatMap((r) => r.findings.map((x) => `[${r.rule.id}] ${x.message}`));
    expect(failing).toEqual([]);
  });
  test('GIVEN a restricted team THEN refused', () => {
    const f = trainerPlatform();
    const team = f.platform.teams.add({ name: 'research' });
    expect(() => f.platform.training.addFineTuning('Ft', opts(f), { team })).toThrow(
      "fine-tune 'ft' runs as root, which Pod Security level 'restricted' of team 'research' forbids: create the team with 'podSecurity: PodSecurityLevel.BASELINE'");
  });
});

describe('renderings', () => {
  test('GIVEN a fine-tune THEN the GitOps rendering writes the trainer Application, the runtimes and the TrainJob, all valid', () => {
    const f = loraFineTune();
    const { allGitOpsObjects } = require('../util');
    const objs: Record<string, any>[] = allGitOpsObjects(f.platform);
    const app = objs.find((o) => o.kind === 'Application' && o.metadata.name === 'kubeflow-trainer')!;
    expect(app.spec.source).toMatchObject({ repoURL: 'ghcr.io/kubeflow/charts', chart: 'kubeflow-trainer', targetRevision: '2.3.0' });
    expect(objs.filter((o) => o.kind === 'TrainJob').map((o) => o.metadata.name)).toEqual(['llama8-lora']);
    expect(objs.filter((o) => o.kind === 'ClusterTrainingRuntime').map((o) => o.metadata.name)).toEqual(['nemo']);
    expectValidK8sObjects(objs.filter((o) => ['TrainJob', 'ClusterTrainingRuntime', 'Application', 'ServiceAccount', 'NetworkPolicy'].includes(o.kind)));
  });
});

test('cdk-nag AwsSolutions: the fine-tune roles carry no unacknowledged finding; the CDK rendering synthesizes', () => {
  const { AwsSolutionsChecks } = require('cdk-nag');
  const { App } = require('aws-cdk-lib');
  const f = loraFineTune();
  f.platform.training.addFineTuning('Full', {
    name: 'llama70-full', model: ModelSpec.LLAMA_3_1_70B, pool: f.efa, nodes: 2, method: FineTuneMethod.FULL, command: COMMAND,
    modelSource: ModelSource.fromS3('models-bucket', 'llama-3.1-70b'),
    dataset: DatasetSource.fromUri('hf://tatsu-lab/alpaca'), checkpoints: 's3://ckpt-bucket/llama70',
  });
  const app = f.platform.node.root as InstanceType<typeof App>;
  app.synth();
  const report = new AwsSolutionsChecks().validateScope(app);
  const training = report.violations
    .map((v: { ruleName: string; violatingResources: { constructPath: string }[] }) => `${v.ruleName} @ ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)
    .filter((v: string) => v.includes('/Training/'));
  expect(training).toEqual([]);
});
