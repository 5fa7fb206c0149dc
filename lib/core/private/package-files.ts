import * as fs from 'fs';
import * as path from 'path';

let root: string | undefined;

/**
 * The root folder of this package: the nearest folder above this module that holds a package.json. That is the same
 * folder from the sources (`lib/core/private/`, run by tsx or ts-jest) and from the compiled output
 * (`dist-lib/lib/core/private/`, in the published package), which sit at different depths below it.
 */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}: cannot find the files shipped with agentic-eks`);
    dir = parent;
  }
  root = dir;
  return dir;
}

/** The absolute path of a data file shipped with the package, given its path from the package root. */
export function packageFile(...segments: string[]): string {
  return path.join(packageRoot(), ...segments);
}
