import { Lazy } from 'aws-cdk-lib';
import { InferenceObjective } from '../../../lib/serving/llm-d';
import { describeWithSchemas, expectValidK8sObjects } from '../../k8s-schema';
import { find, objects } from '../../util';
import { poolFixture } from './fixtures';

describe('InferenceObjective', () => {
  test('emits an llm-d.ai/v1alpha2 InferenceObjective referencing the pool, in its namespace', () => {
    // GIVEN
    const { pool, component } = poolFixture({ name: 'chat' }, { namespace: 'inference' });

    // WHEN
    pool.addObjective('Critical', { name: 'critical', priority: 10 });

    // THEN
    expect(find(objects(component), 'InferenceObjective', 'critical')).toEqual({
      apiVersion: 'llm-d.ai/v1alpha2',
      kind: 'InferenceObjective',
      metadata: { name: 'critical', namespace: 'inference' },
      spec: {
        poolRef: { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'chat' },
        priority: 10,
      },
    });
  });

  test('exposes its name, priority and pool', () => {
    // GIVEN
    const { pool } = poolFixture();

    // WHEN
    const objective = pool.addObjective('Batch', { name: 'batch', priority: -3 });

    // THEN
    expect(objective).toBeInstanceOf(InferenceObjective);
    expect(objective.objectiveName).toBe('batch');
    expect(objective.priority).toBe(-3);
    expect(objective.pool).toBe(pool);
  });

  test('can be made directly with the pool as a prop', () => {
    // GIVEN
    const { pool, component } = poolFixture();

    // WHEN
    new InferenceObjective(component, 'Direct', { pool, name: 'direct', priority: 0 });

    // THEN
    expect(find(objects(component), 'InferenceObjective', 'direct').spec).toEqual({
      poolRef: { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'qwen-qwen3-32b' },
      priority: 0,
    });
  });

  test.each([
    [2147483647],
    [-2147483648],
  ])('accepts priority %p (int32 bounds)', (priority) => {
    // GIVEN
    const { pool, component } = poolFixture();

    // WHEN
    pool.addObjective('Edge', { name: 'edge', priority });

    // THEN
    expect(find(objects(component), 'InferenceObjective', 'edge').spec.priority).toBe(priority);
  });

  test.each([1.5, 2147483648, -2147483649, Number.NaN])('refuses priority %p', (priority) => {
    // GIVEN
    const { pool } = poolFixture();

    // WHEN / THEN
    expect(() => pool.addObjective('Bad', { name: 'bad', priority })).toThrow(
      `'priority' (${priority}) of InferenceObjective 'bad' must be a whole number between -2147483648 and 2147483647`);
  });

  test('refuses a token priority', () => {
    // GIVEN
    const { pool } = poolFixture();

    // WHEN / THEN
    expect(() => pool.addObjective('Bad', { name: 'bad', priority: Lazy.number({ produce: () => 1 }) })).toThrow(
      "'priority' must be a literal number, not a token: Kubernetes manifests of the GitOps rendering cannot carry CloudFormation tokens");
  });

  test('refuses a name that is no DNS subdomain', () => {
    // GIVEN
    const { pool } = poolFixture();

    // WHEN / THEN
    expect(() => pool.addObjective('Bad', { name: 'High_Priority', priority: 1 })).toThrow(
      "'name' (High_Priority) must be a DNS subdomain: 1-253 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit");
  });
});

describeWithSchemas('InferenceObjective objects against their schema', () => {
  test('positive, zero and negative priorities', () => {
    // GIVEN
    const { pool, component } = poolFixture();

    // WHEN
    pool.addObjective('Critical', { name: 'critical', priority: 100 });
    pool.addObjective('Standard', { name: 'standard', priority: 0 });
    pool.addObjective('Sheddable', { name: 'sheddable', priority: -100 });

    // THEN
    expectValidK8sObjects(objects(component).filter((o) => o.kind === 'InferenceObjective'));
  });
});
