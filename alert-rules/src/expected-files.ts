import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveConfig } from './config-resolve.js';
import { formatFiles, generatedFiles } from './outputs.js';
import { packageRoot } from './paths.js';

/**
 * The generated files, built in memory and formatted, by their path relative to the package:
 * what `npx layerwatch generate` writes under alert-rules/.
 */
export async function expectedFiles(root = packageRoot()): Promise<Map<string, string>> {
  return formatFiles(generatedFiles(resolveConfig()), root);
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
