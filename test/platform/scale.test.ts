import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GpuModel, ModelSpec, Stage } from '../../lib';
import { runCfnLint } from '../cfn-lint';
import { addGeneralPool, assemblyTemplates, testPlatform, waitsFor } from '../util';

/** CloudFormation's limits per template (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html). */
const MAX_TEMPLATE_BYTES = 1_000_000;
const MAX_RESOURCES = 500;

describe('a platform of 500 models over 50 GPU pools (CDK delivery)', () => {
  // GIVEN 50 pools alternating L40S and L4, 10 models each alternating Llama 3.1 8B and Qwen3 32B (as bench/models.ts)
  const platform = testPlatform();
  addGeneralPool(platform);
  const gpus = [GpuModel.L40S, GpuModel.L4];
  const pools = Array.from({ length: 50 }, (_, i) => platform.gpu.addNodePool(`pool-${i}`, { gpus: [gpus[i % 2]], limits: { gpus: 80 } }));
  const models = Array.from({ length: 500 }, (_, i) => platform.serving.addModel(`Model${i}`, {
    name: `${i % 2 === 0 ? 'llama' : 'qwen'}-${i}`,
    spec: i % 2 === 0 ? ModelSpec.LLAMA_3_1_8B : ModelSpec.QWEN3_32B,
    pools: [pools[i % 50]],
  }));

  // WHEN
  const templates = assemblyTemplates(platform);

  test('synthesizes, with every component attached in a nested stack', () => {
    expect(Object.keys(platform.rendering.attached).length).toBe(platform.definition.components.length);
    expect(templates.size).toBe(1 + Object.keys(platform.rendering.nestedStacks).length);
    const parent = templates.get(platform.templateFile)!.json;
    expect(Object.values(parent.Resources).filter((r) => r.Type === 'AWS::CloudFormation::Stack')).toHaveLength(Object.keys(platform.rendering.nestedStacks).length);
    expect(Object.values(parent.Resources).filter((r) => r.Type.startsWith('Custom::AWSCDK-EKS-'))).toEqual([]);
  });

  test('every template, parent and nested, is within 1 MB and 500 resources', () => {
    const over = [...templates].filter(([, t]) => t.body.length > MAX_TEMPLATE_BYTES || Object.keys(t.json.Resources).length > MAX_RESOURCES)
      .map(([f, t]) => `${f}: ${t.body.length} bytes, ${Object.keys(t.json.Resources).length} resources`);
    expect(over).toEqual([]);
  });

  test('the models are spread over the four parts of the WORKLOADS stage', () => {
    const parts = Object.keys(platform.rendering.nestedStacks).filter((id) => /^WorkloadsPart\d$/.test(id));
    expect(parts).toEqual(['WorkloadsPart0', 'WorkloadsPart1', 'WorkloadsPart2', 'WorkloadsPart3']);
  });

  test('stage order holds: a model waits for the CONFIGURATION stage (node pools, Hugging Face token), which waits for the controllers', () => {
    const component = platform.serving.componentOf(models[499]);
    expect(component.stage).toBe(Stage.WORKLOADS);
    const model = platform.rendering.attached[component.componentName]!;
    const nodePools = platform.rendering.attached['karpenter-nodepools']!;
    expect(waitsFor(model, nodePools)).toBe(true);
    expect(waitsFor(model, platform.rendering.attached['hf-tokens']!)).toBe(true);
    expect(waitsFor(nodePools, platform.rendering.attached['karpenter']!)).toBe(true);
    expect(waitsFor(nodePools, model)).toBe(false);
  });

  test('cfn-lint reports zero errors on every template', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-lint-scale-'));
    const files = [...templates].map(([f, t]) => {
      fs.writeFileSync(path.join(dir, f), t.body);
      return path.join(dir, f);
    });
    const result = runCfnLint(files);
    if (!result.available) {
      console.warn('cfn-lint is not installed: skipping the CloudFormation lint (pip install cfn-lint)');
      return;
    }
    expect(result.errors).toEqual([]);
  });
});
