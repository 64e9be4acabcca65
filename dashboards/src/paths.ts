import { findPackageRoot } from '@layerwatch/alert-rules';

/** The dashboards package folder, from `src/` (tsx, vitest) or `dist/src/` (compiled). */
export function packageRoot(): string {
  return findPackageRoot('@layerwatch/dashboards', import.meta.url);
}
