import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import {
  ContainerImage, FsxCsiDriver, GpuModel, GpuNodePool, KubeRayOperator, Kueue, LustreFileSystem, MlflowTrackingServer, PlatformStack, RayJob, Team,
} from '../../lib';
import { CHARTS_DIR } from '../charts/helm';
import { addGeneralPool, testPlatform } from '../util';

/** The RayJob CRD of the vendored kuberay-operator chart (not among the stored schemas). */
export function rayJobCrd(): unknown[] {
  const file = path.join(CHARTS_DIR, 'kuberay-operator-1.7.0', 'crds', 'ray.io_rayjobs.yaml');
  return fs.existsSync(file) ? [yaml.load(fs.readFileSync(file, 'utf8'))] : [];
}

/** A platform with the training pieces of issue 11. */
export interface TrainingPlatform {
  readonly platform: PlatformStack;
  readonly pool: GpuNodePool;
  readonly team: Team;
  readonly kueue: Kueue;
  readonly lustre: LustreFileSystem;
  readonly mlflow: MlflowTrackingServer;
  readonly rayJob: RayJob;
}

export function trainingPlatform(): TrainingPlatform {
  const platform = testPlatform();
  addGeneralPool(platform);
  const definition = platform.definition;
  const pool = platform.gpu.addNodePool('h100', {
    instanceTypes: ['p5.48xlarge'], efa: true, placementGroupName: 'training-pg', limits: { gpus: 32 },
  });
  const team = platform.teams.add({ name: 'research', gpuQuota: 16 });
  const kueue = new Kueue(platform, 'Kueue', { definition });
  const queue = kueue.addTeamQueue({ team, pools: [{ pool, gpus: 8 }] });
  const driver = new FsxCsiDriver(platform, 'Fsx', { definition, cluster: platform.cluster });
  const lustre = new LustreFileSystem(platform, 'Datasets', {
    definition, cluster: platform.cluster, driver, name: 'datasets', namespace: team.namespace,
    existing: { fileSystemId: 'fs-0123456789abcdef0', dnsName: 'fs-0123456789abcdef0.fsx.us-west-2.amazonaws.com', mountName: 'abcdefgh' },
  });
  const mlflow = new MlflowTrackingServer(platform, 'Mlflow', {
    definition, cluster: platform.cluster, secrets: platform.secrets, metrics: true,
    route: { gateway: platform.gateway.gateway, hostname: 'mlflow.example.com' },
  });
  const operator = new KubeRayOperator(platform, 'KubeRay', { definition });
  const rayJob = new RayJob(platform, 'Finetune', {
    definition, operator, queue: queue.defaultQueue, name: 'finetune',
    image: ContainerImage.of({ repository: 'rayproject/ray', tag: '2.49.0-py311-gpu', source: 'test', checked: '2026-12-02' }),
    rayVersion: '2.49.0', entrypoint: 'python /mnt/data/finetune.py', pool, workers: 2, priority: kueue.priorityClass('normal'),
    volumes: [{ fileSystem: lustre, mountPath: '/mnt/data' }],
  });
  return { platform, pool, team, kueue, lustre, mlflow, rayJob };
}

/** A test platform with an L40S pool (4 GPUs per node, no EFA) and an EFA pool of p5.48xlarge (32 GPUs: 4 nodes). */
export function trainerPlatform(): { platform: PlatformStack; l40s: ReturnType<PlatformStack['gpu']['addNodePool']>; efa: ReturnType<PlatformStack['gpu']['addNodePool']> } {
  const platform = testPlatform();
  const l40s = platform.gpu.addNodePool('inference', { gpus: [GpuModel.L40S], instanceTypes: ['g6e.12xlarge'], limits: { gpus: 8 } });
  const efa = platform.gpu.addNodePool('training', { instanceTypes: ['p5.48xlarge'], efa: true, limits: { gpus: 32 } });
  return { platform, l40s, efa };
}

