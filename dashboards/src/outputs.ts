/**
 * The generated files, in memory: one JSON file per dashboard, formatted as Prettier formats
 * it (so `prettier --check` agrees with the generator). `generate.ts` writes them; the drift
 * test compares them with what is committed.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AlertRulesConfig } from '@layerwatch/alert-rules';
import { buildDashboards } from './catalog.js';
import { packageRoot } from './paths.js';

export const GENERATED_DIR = 'generated';
export const REGENERATE_COMMAND = 'npx tsx dashboards/src/generate.ts';

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

export interface Drift {
  readonly path: string;
  readonly problem: 'missing' | 'out of date' | 'not generated any more';
}

/** Differences between the generated files and the committed ones. */
export async function findDrift(
  expected: ReadonlyMap<string, string>,
  root: string = packageRoot(),
): Promise<Drift[]> {
  const drift: Drift[] = [];
  for (const [path, text] of expected) {
    const file = join(root, path);
    if (!existsSync(file)) drift.push({ path, problem: 'missing' });
    else if ((await readFile(file, 'utf8')) !== text) drift.push({ path, problem: 'out of date' });
  }
  const dir = join(root, GENERATED_DIR);
  const present = existsSync(dir) ? await readdir(dir) : [];
  for (const name of present.filter((n) => n.endsWith('.json')).sort()) {
    const path = `${GENERATED_DIR}/${name}`;
    if (!expected.has(path)) drift.push({ path, problem: 'not generated any more' });
  }
  return drift;
}

export function describeDrift(drift: readonly Drift[]): string {
  const lines = drift.map((d) => `  dashboards/${d.path}: ${d.problem}`);
  return [
    'dashboards/generated is not what dashboards/src generates:',
    ...lines,
    `Regenerate with \`${REGENERATE_COMMAND}\` and commit the result.`,
  ].join('\n');
}
