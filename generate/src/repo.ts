import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The repository root (the package.json with the workspaces), found from this file whether
 * it runs as TypeScript (`src/`) or compiled (`dist/src/`). Every artefact path is
 * relative to it.
 */
function findRepo(): string {
  for (let dir = import.meta.dirname; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && readFileSync(manifest, 'utf8').includes('"workspaces"')) return dir;
    if (dirname(dir) === dir) throw new Error('cannot find the Layerwatch repository root');
  }
}

export const REPO = findRepo();

export function repoPath(relative: string): string {
  return join(REPO, relative);
}
