import { Size } from 'aws-cdk-lib';
import { Cpu, GpuModel, RuleStatus } from '../../../lib';
import { OBJECT_NAMES_UNIQUE } from '../../../lib/checks/rules/object-names-unique';
import { examplePlatform, testPlatform } from '../../util';
import { definitionWith, messages, run } from './cross-component-fixtures';

describe('object-names-unique', () => {
  test('compliant on the example platform', () => {
    expect(run(OBJECT_NAMES_UNIQUE, examplePlatform().definition).status).toBe(RuleStatus.COMPLIANT);
  });

  test('a Karpenter pool and a GPU pool with one name fail at synth', () => {
    // GIVEN
    const platform = testPlatform();
    platform.karpenter.addNodePool('general', { limits: { cpu: Cpu.cores(64), memory: Size.gibibytes(256) } });

    // WHEN
    platform.gpu.addNodePool('gpus', { name: 'general', gpus: [GpuModel.L40S], limits: { gpus: 8 } });

    // THEN
    expect(messages(run(OBJECT_NAMES_UNIQUE, platform.definition))).toEqual([
      "EC2NodeClass 'general' is applied twice (both in component karpenter-nodepools): give one of them another 'name'",
      "NodePool 'general' is applied twice (both in component karpenter-nodepools): give one of them another 'name'",
    ]);
  });

  test('a team namespace that another component also declares', () => {
    // GIVEN: the team 'evaluations' is created before an evaluation declares the shared namespace 'evaluations'
    const platform = testPlatform();
    platform.teams.add({ name: 'evaluations' });

    // WHEN
    platform.definition.ensureNamespace('evaluations');

    // THEN
    expect(messages(run(OBJECT_NAMES_UNIQUE, platform.definition))).toEqual([
      "Namespace 'evaluations' is applied twice (by components namespaces and team-evaluations): give one of them another 'name'",
    ]);
  });

  test('the same name in another namespace or of another kind is fine', () => {
    const cm = (ns: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: ns } });
    const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'x', namespace: 'a' } };
    expect(run(OBJECT_NAMES_UNIQUE, definitionWith({ one: [cm('a'), sa], two: [cm('b')] })).status).toBe(RuleStatus.COMPLIANT);
  });
});
