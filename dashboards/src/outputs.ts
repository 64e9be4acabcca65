/**
 * The generated files, in memory: one JSON file per dashboard, formatted as Prettier formats
 * it (so `prettier --check` agrees with the generator). `npx layerwatch generate` writes
 * them; `--check` compares them with what is committed.
 */
import { join } from 'node:path';
import type { AlertRulesConfig } from '@layerwatch/alert-rules';
import { buildDashboards } from './catalog.js';
import { packageRoot } from './paths.js';

export const GENERATED_DIR = 'generated';

/** Every generated file by its path relative to the package, formatted. */
export async function generatedFiles(
  config?: AlertRulesConfig,
  root: string = packageRoot(),
): Promise<Map<string, string>> {
  const prettier = await import('prettier');
  const files = new Map<string, string>();
  for (const built of buildDashboards(config)) {
    const filepath = join(root, built.file);
    const options = (await prettier.resolveConfig(filepath)) ?? {};
    const text = await prettier.format(JSON.stringify(built.dashboard), { ...options, filepath });
    files.set(built.file, text);
  }
  return files;
}
