import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { resolveConfig } from './config-resolve.js';
import { GENERATED, REGENERATE_COMMAND, formatFiles, generatedFiles } from './outputs.js';
import { packageRoot } from './paths.js';

export interface Drift {
  readonly path: string;
  readonly problem: 'missing' | 'differs' | 'not generated any more';
}

/** The committed files, regenerated in memory and formatted: what the generator would write. */
export async function expectedFiles(root = packageRoot()): Promise<Map<string, string>> {
  return formatFiles(generatedFiles(resolveConfig()), root);
}

/** Differences between the committed generated files and a fresh generation. */
export async function findDrift(root = packageRoot()): Promise<Drift[]> {
  const expected = await expectedFiles(root);
  const drift: Drift[] = [];
  for (const [path, text] of expected) {
    const onDisk = await readFile(join(root, path), 'utf8').catch(() => undefined);
    if (onDisk === undefined) drift.push({ path, problem: 'missing' });
    else if (onDisk !== text) drift.push({ path, problem: 'differs' });
  }
  for (const path of await listFiles(join(root, GENERATED.dir))) {
    const rel = relative(root, path);
    if (!expected.has(rel)) drift.push({ path: rel, problem: 'not generated any more' });
  }
  return drift;
}

export function describeDrift(drift: readonly Drift[]): string {
  return [
    'alert-rules/generated/ is out of date with alert-rules/src:',
    ...drift.map((d) => `  ${d.path}: ${d.problem}`),
    `Regenerate with \`${REGENERATE_COMMAND}\` (from the repository root) and commit the result.`,
  ].join('\n');
}

export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
    ),
  );
  return nested.flat().sort();
}
