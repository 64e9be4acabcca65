import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ARTEFACT_SETS } from './artefacts.js';
import { describeDrift, expectedArtefacts, findDrift } from './drift.js';
import { repoPath } from './repo.js';

const USAGE = `usage: layerwatch generate [--check]
  writes every generated artefact from the one config (alert-rules/src/config.ts);
  --check writes nothing, and exits 1 naming each stale file`;

/**
 * `layerwatch generate [--check]`: the one generator and the one drift check. Returns the
 * exit code.
 */
export async function runGenerateCli(args: readonly string[]): Promise<number> {
  const unknown = args.filter((arg) => arg !== '--check');
  if (unknown.length > 0) {
    process.stderr.write(`${USAGE}\nunknown argument "${unknown[0]}"\n`);
    return 2;
  }
  const expected = await expectedArtefacts(ARTEFACT_SETS);
  const drift = await findDrift(ARTEFACT_SETS, expected);
  if (args.includes('--check')) {
    if (drift.length > 0) process.stderr.write(`${describeDrift(drift)}\n`);
    else process.stdout.write(`${expected.size} generated files are up to date\n`);
    return drift.length === 0 ? 0 : 1;
  }
  for (const { path, problem } of drift) {
    const text = expected.get(path);
    if (text === undefined) {
      await rm(repoPath(path));
    } else {
      await mkdir(dirname(repoPath(path)), { recursive: true });
      await writeFile(repoPath(path), text);
    }
    process.stdout.write(`${problem === 'not generated any more' ? 'removed' : 'wrote'} ${path}\n`);
  }
  if (drift.length === 0) process.stdout.write(`${expected.size} generated files are up to date\n`);
  return 0;
}
