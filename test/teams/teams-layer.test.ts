import { Size } from 'aws-cdk-lib';
import { Cpu, PodSecurityLevel, Stage, Team } from '../../lib';
import { testPlatform } from '../util';

describe('TeamsLayer', () => {
  test('defaults: no team until add()', () => {
    // GIVEN / WHEN
    const platform = testPlatform();
    // THEN
    expect(platform.teams.teamList).toEqual([]);
    expect(platform.definition.components.map((c) => c.componentName).filter((n) => n.startsWith('team-'))).toEqual([]);
  });

  test('add() creates a Team in the definition with its options, listed in order', () => {
    // GIVEN
    const platform = testPlatform();
    // WHEN
    const a = platform.teams.add({ name: 'team-a', gpuQuota: 4, cpuQuota: Cpu.cores(16), memoryQuota: Size.gibibytes(64) });
    const b = platform.teams.add({ name: 'team-b', podSecurity: PodSecurityLevel.BASELINE });
    // THEN
    expect(a).toBeInstanceOf(Team);
    expect(a.node.path).toBe('Teamteam-a');
    expect(a.component.componentName).toBe('team-team-a');
    expect(a.component.stage).toBe(Stage.CONFIGURATION);
    expect([a.gpuQuota, a.cpuQuota?.toString(), a.memoryQuota?.toGibibytes()]).toEqual([4, '16', 64]);
    expect(b.podSecurity).toBe(PodSecurityLevel.BASELINE);
    expect(platform.teams.teamList).toEqual([a, b]);
  });

  test('teamList is a copy', () => {
    // GIVEN
    const platform = testPlatform();
    platform.teams.add({ name: 'team-a' });
    // WHEN
    platform.teams.teamList.pop();
    // THEN
    expect(platform.teams.teamList.map((t) => t.name)).toEqual(['team-a']);
  });

  test('a team name used twice is refused', () => {
    // GIVEN
    const platform = testPlatform();
    platform.teams.add({ name: 'team-a' });
    // WHEN / THEN
    expect(() => platform.teams.add({ name: 'team-a', gpuQuota: 2 })).toThrow("team name 'team-a' is already used by a team of this platform");
  });
});
