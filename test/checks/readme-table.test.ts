import * as fs from 'fs';
import * as path from 'path';
import { PLATFORM_RULES } from '../../lib/checks/pack';

/** The README's "Platform checks" table is the rules' own description, reason and example, in pack order. */
describe('README platform checks table', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf-8');
  const section = readme.slice(readme.indexOf('## Platform checks'), readme.indexOf('### Acknowledging a finding'));
  const esc = (x: string) => x.replace(/\|/g, '\\|');

  test('lists every rule of the pack, in order, with its description, why and example message', () => {
    const rows = section.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows).toEqual(PLATFORM_RULES.map((r) => `| \`${r.id}\` | ${esc(r.description)} | ${esc(r.why)} | \`${esc(r.example)}\` |`));
  });

  test('rule ids are unique kebab-case', () => {
    const ids = PLATFORM_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });
});
