import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../api/public-api';
import { extractSnippets, Snippet, SnippetError, SKIP_MARKER, typeCheckSnippets } from './snippets';

/** The README checked: README.md, or the file named by README_SNIPPETS_FILE (e.g. a draft of it). */
const README = process.env.README_SNIPPETS_FILE ?? path.join(ROOT, 'README.md');
const snippets = extractSnippets(fs.readFileSync(README, 'utf8'));
const compiled = snippets.filter((s) => !s.skipped);

/** Probes of the check itself, compiled with the README's blocks (one program): each must fail or pass as stated. */
const PROBES: Snippet[] = [
  { line: 10, code: "platform.addTeam({ name: 'team-a' });", skipped: false },
  { line: 20, code: "\nplatform.teams.add({ name: 'team-a', cpuQuota: 8 });", skipped: false },
  { line: 30, code: "import { NoSuchThing } from 'agentic-eks';\nnew NoSuchThing();", skipped: false },
  { line: 40, code: "const team = platform.teams.add({ name: 'team-a', cpuQuota: Cpu.cores(8), memoryQuota: Size.gibibytes(32) });\nlitellm.addTeam(team.liteLlmTeam());", skipped: false },
];

let errors: Map<Snippet, SnippetError[]>;

beforeAll(() => {
  const all = [...compiled, ...PROBES];
  const results = typeCheckSnippets(all);
  errors = new Map(all.map((s, i) => [s, results[i]]));
}, 300_000);

describe(`README snippets compile (${path.relative(ROOT, README) || README})`, () => {
  test('the README has TypeScript blocks, and skips are rare', () => {
    expect(compiled.length).toBeGreaterThanOrEqual(10);
    expect(snippets.length - compiled.length).toBeLessThanOrEqual(3);
  });

  test.each(compiled.map((s) => [`line ${s.line}: ${s.code.split('\n')[0].slice(0, 70)}`, s] as const))('%s', (_name, snippet) => {
    const found = errors.get(snippet)!.map((e) => `${path.basename(README)}:${e.line}: ${e.message}`);
    expect(found).toEqual([]);
  });
});

describe('the snippet check itself', () => {
  test('extraction: ts and typescript fences, the skip marker, fence lines', () => {
    const md = ['# x', '```ts', 'const a = 1;', '```', '', SKIP_MARKER, '', '```typescript', 'pseudo code', '```', '```sh', 'ls', '```'].join('\n');
    expect(extractSnippets(md)).toEqual([
      { line: 2, code: 'const a = 1;', skipped: false },
      { line: 8, code: 'pseudo code', skipped: true },
    ]);
  });

  test('a renamed method, a wrong quantity type and an unknown import fail, located on their README lines', () => {
    const [renamed, quantity, imported, fine] = PROBES.map((p) => errors.get(p)!);
    expect(renamed).toEqual([{ line: 11, message: "Property 'addTeam' does not exist on type 'PlatformStack'." }]);
    expect(quantity).toEqual([{ line: 22, message: "Type 'number' is not assignable to type 'Cpu'." }]);
    expect(imported.map((e) => e.line)).toContain(31);
    expect(imported.map((e) => e.message).join(' ')).toContain("has no exported member 'NoSuchThing'");
    expect(fine).toEqual([]);
  });
});
