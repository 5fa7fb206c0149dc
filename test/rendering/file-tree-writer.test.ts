import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TreeFile, writeFileTree } from '../../lib/rendering/private/file-tree-writer';

/** A fresh scratch directory (removed after each test). */
let scratch: string;
beforeEach(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'agentic-eks-tree-'));
});
afterEach(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** `n` files spread over a few folders, plus one at the top. */
function tree(n: number): TreeFile[] {
  return [
    ...Array.from({ length: n }, (_, i) => ({ path: `folder-${i % 7}/file-${i}.yaml`, content: `index: ${i}\n` })),
    { path: 'README.md', content: '# out\n' },
  ];
}

/** Every file under `dir`, relative and `/`-separated, with its content. */
function read(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p).split(path.sep).join('/')] = fs.readFileSync(p, 'utf-8');
    }
  };
  walk(dir);
  return out;
}

describe('writeFileTree', () => {
  test.each([
    ['in this thread', false],
    ['in a worker thread', true],
  ])('replaces the directory with the files, %s', (_, background) => {
    // GIVEN an output directory holding a file from an earlier run
    const outdir = path.join(scratch, 'dist');
    fs.mkdirSync(path.join(outdir, 'stale'), { recursive: true });
    fs.writeFileSync(path.join(outdir, 'stale', 'old.yaml'), 'old\n');
    const files = tree(300);

    // WHEN
    const written = writeFileTree(outdir, files, background);

    // THEN
    expect(written).toEqual(files.map((f) => f.path));
    expect(read(outdir)).toEqual(Object.fromEntries(files.map((f) => [f.path, f.content])));
  });

  test('reads a generator of files once, in order', () => {
    // GIVEN a generator that records how far it was read
    const outdir = path.join(scratch, 'dist');
    let produced = 0;
    function* files(): Generator<TreeFile> {
      for (const f of tree(200)) {
        produced++;
        yield f;
      }
    }

    // WHEN
    const written = writeFileTree(outdir, files(), true);

    // THEN
    expect(produced).toBe(201);
    expect(written[0]).toBe('folder-0/file-0.yaml');
    expect(written[200]).toBe('README.md');
    expect(Object.keys(read(outdir))).toHaveLength(201);
  });

  test('a file the worker thread cannot write fails with the path and the reason', () => {
    // GIVEN an output directory below a regular file
    const blocker = path.join(scratch, 'file');
    fs.writeFileSync(blocker, 'x');
    const outdir = path.join(blocker, 'dist');

    // WHEN / THEN
    expect(() => writeFileTree(outdir, tree(3), true)).toThrow(new RegExp(`^writing ${outdir.replace(/[/\\]/g, '.')}: ENOTDIR`));
  });

  test('an error while producing the files is the one thrown, and the worker thread stops', () => {
    // GIVEN a generator that fails after two files
    const outdir = path.join(scratch, 'dist');
    function* files(): Generator<TreeFile> {
      yield* tree(1);
      throw new Error('rendering failed');
    }

    // WHEN / THEN
    expect(() => writeFileTree(outdir, files(), true)).toThrow('rendering failed');
  });
});
