import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = '@layerwatch/alert-rules';

/**
 * The alert-rules package folder, found from this file whether it runs as TypeScript
 * (`src/`, through tsx or vitest) or compiled (`dist/src/`).
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && readFileSync(manifest, 'utf8').includes(`"${PACKAGE_NAME}"`)) {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package folder`);
    dir = parent;
  }
}

/** Absolute path of a file of the package (`generated/…`, `runbooks/…`). */
export function packagePath(relative: string): string {
  return join(packageRoot(), relative);
}
