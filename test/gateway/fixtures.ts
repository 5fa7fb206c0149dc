import { GpuModel, ModelSpec, PlatformStack, VllmModel } from '../../lib';
import { GatewayController, GatewayImplementation, PlatformGateway, PlatformGatewayProps } from '../../lib/gateway';
import { InferencePool } from '../../lib/serving/llm-d';
import { testPlatform } from '../util';

/** A platform with Qwen3 32B (`qwen`, llm-d routing on) and Llama 3.1 8B twice (`llama`, `llama-next`, Service routing). */
export interface GatewayFixture {
  readonly platform: PlatformStack;
  readonly qwen: VllmModel;
  readonly pool: InferencePool;
  readonly llama: VllmModel;
  readonly llamaNext: VllmModel;
  readonly controller: GatewayController;
  readonly gateway: PlatformGateway;
}

/** The fixture with a controller of `implementation` and a gateway made with `props`. */
export function gatewayFixture(
  implementation: GatewayImplementation = GatewayImplementation.AGENTGATEWAY,
  props: Partial<Omit<PlatformGatewayProps, 'definition' | 'controller'>> = {},
): GatewayFixture {
  const platform = testPlatform();
  const gpus = platform.gpu.addNodePool('l40s', { gpus: [GpuModel.L40S], limits: { gpus: 32 } });
  const qwen = platform.serving.addModel('Qwen', { name: 'qwen', spec: ModelSpec.QWEN3_32B, pools: [gpus], routing: {} });
  const llama = platform.serving.addModel('Llama', { name: 'llama', spec: ModelSpec.LLAMA_3_1_8B, pools: [gpus] });
  const llamaNext = platform.serving.addModel('LlamaNext', { name: 'llama-next', spec: ModelSpec.LLAMA_3_1_8B, pools: [gpus] });
  const pool = platform.serving.inferencePoolOf(qwen)!;
  const definition = platform.definition;
  const controller = new GatewayController(definition, 'GatewayController', { definition, implementation });
  const gateway = new PlatformGateway(definition, 'Gateway', { definition, controller, ...props });
  return { platform, qwen, pool, llama, llamaNext, controller, gateway };
}
