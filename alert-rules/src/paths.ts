import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of the package named `name` that holds the module at `moduleUrl` (its
 * `import.meta.url`), whether it runs as TypeScript (`src/`, through tsx or vitest) or
 * compiled (`dist/src/`).
 */
export function findPackageRoot(name: string, moduleUrl: string): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && readFileSync(manifest, 'utf8').includes(`"${name}"`)) {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${name} package folder`);
    dir = parent;
  }
}

/** The alert-rules package folder. */
export function packageRoot(): string {
  return findPackageRoot('@layerwatch/alert-rules', import.meta.url);
}

/** Absolute path of a file of the package (`generated/…`, `runbooks/…`). */
export function packagePath(relative: string): string {
  return join(packageRoot(), relative);
}
