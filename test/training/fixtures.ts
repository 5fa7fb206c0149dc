import { GpuModel, PlatformStack } from '../../lib';
import { testPlatform } from '../util';

/** A test platform with an L40S pool (4 GPUs per node, no EFA) and an EFA pool of p5.48xlarge (32 GPUs: 4 nodes). */
export function trainingPlatform(): { platform: PlatformStack; l40s: ReturnType<PlatformStack['gpu']['addNodePool']>; efa: ReturnType<PlatformStack['gpu']['addNodePool']> } {
  const platform = testPlatform();
  const l40s = platform.gpu.addNodePool('inference', { gpus: [GpuModel.L40S], instanceTypes: ['g6e.12xlarge'], limits: { gpus: 8 } });
  const efa = platform.gpu.addNodePool('training', { instanceTypes: ['p5.48xlarge'], efa: true, limits: { gpus: 32 } });
  return { platform, l40s, efa };
}
