/**
 * Writes alert-rules/generated/ from the TypeScript rules and config:
 *
 *   npx tsx alert-rules/src/generate.ts           # write (and delete files no longer generated)
 *   npx tsx alert-rules/src/generate.ts --check   # exit 1, listing the drift, if not up to date
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describeDrift, expectedFiles, findDrift } from './drift.js';
import { packageRoot } from './paths.js';

async function main(argv: readonly string[]): Promise<number> {
  const root = packageRoot();
  const drift = await findDrift(root);
  if (argv.includes('--check')) {
    if (drift.length === 0) return 0;
    process.stderr.write(`${describeDrift(drift)}\n`);
    return 1;
  }
  const expected = await expectedFiles(root);
  for (const item of drift) {
    const path = join(root, item.path);
    const text = expected.get(item.path);
    if (text === undefined) {
      await rm(path);
    } else {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text);
    }
    process.stdout.write(
      `${item.problem === 'not generated any more' ? 'removed' : 'wrote'} ${item.path}\n`,
    );
  }
  process.stdout.write(drift.length === 0 ? 'generated files are up to date\n' : '');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`generate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
