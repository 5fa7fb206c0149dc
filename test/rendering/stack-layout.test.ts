import { ApiObject } from 'cdk8s';
import { KubernetesComponent, PlatformDefinition, Stage } from '../../lib';
import {
  checkBudget, estimatedBytes, layoutStacks, NESTED_STACK_BYTE_BUDGET, NESTED_STACK_COMPONENT_BUDGET, partOf,
} from '../../lib/rendering/private/stack-layout';
import { testDefinition } from '../util';

function component(definition: PlatformDefinition, name: string, stage: Stage, ...deps: KubernetesComponent[]): KubernetesComponent {
  const c = new KubernetesComponent(definition, name, { name, stage, description: name });
  c.addDependency(...deps);
  return c;
}

const FOUR_WORKLOAD_PARTS = (stage: Stage) => (stage === Stage.WORKLOADS ? 4 : 1);
const ids = (d: PlatformDefinition, parts = FOUR_WORKLOAD_PARTS) =>
  layoutStacks(d.components, parts).map((c) => `${c.id}: ${c.components.map((x) => x.componentName).join(' ')}`);

describe('nested stack layout of the CDK rendering', () => {
  test('one nested stack per stage, in stage order, named after the stage; empty stages have none', () => {
    // GIVEN
    const d = testDefinition();
    component(d, 'pools', Stage.CONFIGURATION);
    component(d, 'crds', Stage.CRDS);
    component(d, 'operator', Stage.CONTROLLERS);

    // WHEN / THEN
    expect(ids(d)).toEqual(['Crds: crds', 'Controllers: operator', 'Configuration: pools']);
  });

  test('WORKLOADS is spread over parts by a hash of the component name', () => {
    // GIVEN
    const d = testDefinition();
    const names = ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'];
    for (const n of names) component(d, n, Stage.WORKLOADS);

    // WHEN
    const chunks = layoutStacks(d.components, FOUR_WORKLOAD_PARTS);

    // THEN
    for (const chunk of chunks) {
      expect(chunk.id).toBe(`WorkloadsPart${chunk.part}`);
      for (const c of chunk.components) expect(partOf(c.componentName, 4)).toBe(chunk.part);
    }
    expect(chunks.flatMap((c) => c.components.map((x) => x.componentName)).sort()).toEqual(names);
    expect(chunks.map((c) => c.part)).toEqual([...chunks.map((c) => c.part)].sort());
    expect(partOf('m0', 4)).toBe(partOf('m0', 4));
    expect(partOf('anything', 1)).toBe(0);
  });

  test('adding components never moves the others', () => {
    // GIVEN
    const small = testDefinition();
    const big = testDefinition();
    for (let i = 0; i < 10; i++) component(small, `model-${i}`, Stage.WORKLOADS);
    for (let i = 0; i < 200; i++) component(big, `model-${i}`, Stage.WORKLOADS);

    // WHEN
    const where = (d: PlatformDefinition) => new Map(layoutStacks(d.components, FOUR_WORKLOAD_PARTS)
      .flatMap((chunk) => chunk.components.map((c) => [c.componentName, chunk.id] as const)));
    const before = where(small);
    const after = where(big);

    // THEN
    for (const [name, id] of before) expect(after.get(name)).toBe(id);
  });

  test('a component depending on a component of its own stage goes one level up, so chunks never depend in a cycle', () => {
    // GIVEN
    const d = testDefinition();
    const ns = component(d, 'namespaces', Stage.CRDS);
    const policies = component(d, 'policies', Stage.CRDS, ns);
    component(d, 'more-policies', Stage.CRDS, policies);
    const a = component(d, 'a', Stage.WORKLOADS, ns);
    const b = component(d, 'b', Stage.WORKLOADS);
    component(d, 'routes', Stage.WORKLOADS, a, b);

    // WHEN
    const chunks = layoutStacks(d.components, () => 1);

    // THEN
    expect(chunks.map((c) => `${c.id}: ${c.components.map((x) => x.componentName).join(' ')}`)).toEqual([
      'Crds: namespaces', 'CrdsLevel1: policies', 'CrdsLevel2: more-policies', 'Workloads: a b', 'WorkloadsLevel1: routes',
    ]);
    expect(chunks.map((c) => c.level)).toEqual([0, 1, 2, 0, 1]);
  });

  test('levels and parts combine in WORKLOADS', () => {
    // GIVEN
    const d = testDefinition();
    const m = component(d, 'model', Stage.WORKLOADS);
    const r = component(d, 'route', Stage.WORKLOADS, m);

    // WHEN
    const chunks = layoutStacks(d.components, FOUR_WORKLOAD_PARTS);

    // THEN
    expect(chunks.map((c) => c.id)).toEqual([`WorkloadsPart${partOf('model', 4)}`, `WorkloadsLevel1Part${partOf('route', 4)}`]);
    expect(chunks[1].components).toEqual([r]);
  });

  describe('budget', () => {
    const chunkOf = (d: PlatformDefinition) => layoutStacks(d.components, FOUR_WORKLOAD_PARTS)[0];
    const manifests = (d: PlatformDefinition) => new Map(d.components.map((c) => [c, (c as KubernetesComponent).toJson() as any[]]));

    test('a chunk within budget passes', () => {
      const d = testDefinition();
      component(d, 'small', Stage.WORKLOADS);
      expect(() => checkBudget(chunkOf(d), manifests(d), 4)).not.toThrow();
    });

    test('the estimate counts the manifest as a JSON string inside JSON, the prune label of each object and the resource', () => {
      const d = testDefinition();
      const c = component(d, 'one', Stage.WORKLOADS);
      new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { 'k': '"quoted"' } });
      const m = c.toJson() as any[];
      expect(estimatedBytes(c, m)).toBe(JSON.stringify(JSON.stringify(m)).length + 90 + 1000);
    });

    test('one component above the budget is refused by name', () => {
      // GIVEN
      const d = testDefinition();
      const c = component(d, 'huge', Stage.WORKLOADS);
      new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'huge' }, data: { blob: 'x'.repeat(NESTED_STACK_BYTE_BUDGET) } });
      const kb = Math.ceil(estimatedBytes(c, c.toJson() as any[]) / 1000);

      // WHEN / THEN
      expect(() => checkBudget(chunkOf(d), manifests(d), 4)).toThrow(
        `component 'huge' renders about ${kb} KB of manifests or values, above the 900 KB one nested stack of the CDK rendering can hold `
        + '(CloudFormation templates are limited to 1 MB): split it');
    });

    test('a WORKLOADS chunk above the budget asks for more workload stacks', () => {
      // GIVEN
      const d = testDefinition();
      for (const n of ['a', 'b', 'c']) {
        const c = component(d, n, Stage.WORKLOADS);
        new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n }, data: { blob: 'x'.repeat(NESTED_STACK_BYTE_BUDGET / 2) } });
      }
      const chunk = layoutStacks(d.components, () => 1)[0];
      const kb = Math.ceil(chunk.components.reduce((n, c) => n + estimatedBytes(c, (c as KubernetesComponent).toJson() as any[]), 0) / 1000);

      // WHEN / THEN
      expect(() => checkBudget(chunk, manifests(d), 1)).toThrow(
        `nested stack 'Workloads' of the CDK rendering would hold about ${kb} KB of manifests and values (3 components), above its 900 KB budget `
        + "(CloudFormation templates are limited to 1 MB): raise 'workloadStacks' (1); this moves components between nested stacks, so do it before the first deployment");
    });

    test('a chunk with more components than the budget is refused; outside WORKLOADS the message names the largest component', () => {
      // GIVEN
      const d = testDefinition();
      for (let i = 0; i <= NESTED_STACK_COMPONENT_BUDGET; i++) component(d, `c-${i}`, Stage.CONFIGURATION);
      const chunk = chunkOf(d);
      const kb = Math.ceil(estimatedBytes(chunk.components[0], []) / 1000);

      // WHEN / THEN
      expect(() => checkBudget(chunk, manifests(d), 4)).toThrow(
        `nested stack 'Configuration' of the CDK rendering would hold 401 components, above its budget of 400 (CloudFormation allows 500 resources per stack): `
        + `the stage configuration has one nested stack; its largest component is 'c-0' (${kb} KB)`);
    });
  });
});
