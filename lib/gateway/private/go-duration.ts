import { Duration } from 'aws-cdk-lib';
import { check } from '../../core/validation';

/**
 * A Duration as a Gateway API duration string (`^([0-9]{1,5}(h|m|s|ms)){1,4}$`, GEP-2257): `300s`, `30h`,
 * `1s500ms`. Throws when the duration is not a whole number of milliseconds or is too long to write.
 */
export function goDuration(prop: string, duration: Duration): string {
  const ms = duration.toMilliseconds();
  check(ms >= 1, `'${prop}' (${ms}ms) must be at least 1ms`);
  const parts: Array<[number, string]> = [
    [Math.floor(ms / 3_600_000), 'h'],
    [Math.floor((ms % 3_600_000) / 60_000), 'm'],
    [Math.floor((ms % 60_000) / 1000), 's'],
    [ms % 1000, 'ms'],
  ];
  const kept = parts.filter(([n]) => n > 0);
  check(kept.every(([n]) => n <= 99999), `'${prop}' (${ms}ms) is too long for a Gateway API duration (at most 99999h)`);
  // Whole seconds below 100000 read best as seconds (`300s`), as upstream writes them.
  if (ms % 1000 === 0 && ms / 1000 <= 99999) return `${ms / 1000}s`;
  return kept.map(([n, unit]) => `${n}${unit}`).join('');
}
