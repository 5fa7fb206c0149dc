import * as fs from 'fs';
import * as path from 'path';

const PACKAGE_NAME = 'agentic-eks';

let root: string | undefined;

/**
 * The root folder of this package: the nearest folder above this module with the package's own package.json. Works
 * from the sources (`lib/core/private/`, run by tsx or ts-jest) and from the compiled output
 * (`dist-lib/lib/core/private/`, run from the published package), which sit at different depths.
 */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf-8')) as { name?: string }).name === PACKAGE_NAME) {
      root = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the '${PACKAGE_NAME}' package.json above ${__dirname}`);
    dir = parent;
  }
}

/** The absolute path of a data file shipped with the package, given its path from the package root. */
export function packageFile(...segments: string[]): string {
  return path.join(packageRoot(), ...segments);
}
