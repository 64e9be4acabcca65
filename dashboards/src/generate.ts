/**
 * Writes dashboards/generated/ from the TypeScript dashboards and the alert-rules config:
 *
 *   npx tsx dashboards/src/generate.ts           # write (and delete files no longer generated)
 *   npx tsx dashboards/src/generate.ts --check   # exit 1, listing the drift, if not up to date
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describeDrift, findDrift, generatedFiles } from './outputs.js';
import { packageRoot } from './paths.js';

async function main(argv: readonly string[]): Promise<number> {
  const root = packageRoot();
  const expected = await generatedFiles(undefined, root);
  const drift = await findDrift(expected, root);
  if (argv.includes('--check')) {
    if (drift.length > 0) process.stderr.write(`${describeDrift(drift)}\n`);
    return drift.length === 0 ? 0 : 1;
  }
  for (const item of drift) {
    const path = join(root, item.path);
    const text = expected.get(item.path);
    if (text === undefined) {
      await rm(path);
      process.stdout.write(`removed dashboards/${item.path}\n`);
    } else {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text);
      process.stdout.write(`wrote dashboards/${item.path}\n`);
    }
  }
  if (drift.length === 0) process.stdout.write('generated dashboards are up to date\n');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`generate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
