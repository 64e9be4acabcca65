import { REGENERATE_COMMAND, listFiles } from '@layerwatch/alert-rules';
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import type { ArtefactSet } from './artefacts.js';
import { REPO } from './repo.js';

export type DriftProblem = 'missing' | 'differs' | 'not generated any more';

/** One stale file, by repository-relative path. */
export interface Drift {
  readonly path: string;
  readonly problem: DriftProblem;
}

/** Every file of every set, built in memory: what the generator writes. */
export async function expectedArtefacts(
  sets: readonly ArtefactSet[],
): Promise<Map<string, string>> {
  const all = new Map<string, string>();
  for (const set of sets) {
    for (const [path, text] of await set.files()) {
      if (all.has(path)) throw new Error(`${path} is generated twice (second by ${set.name})`);
      all.set(path, text);
    }
  }
  return all;
}

/** Each committed file that differs from a fresh generation, or should not be there. */
export async function findDrift(
  sets: readonly ArtefactSet[],
  expected: ReadonlyMap<string, string>,
  root: string = REPO,
): Promise<Drift[]> {
  const drift: Drift[] = [];
  for (const [path, text] of expected) {
    const onDisk = await readFile(`${root}/${path}`, 'utf8').catch(() => undefined);
    if (onDisk === undefined) drift.push({ path, problem: 'missing' });
    else if (onDisk !== text) drift.push({ path, problem: 'differs' });
  }
  for (const dir of sets.flatMap((set) => set.owns)) {
    for (const file of await listFiles(`${root}/${dir}`)) {
      const path = relative(root, file);
      if (!expected.has(path)) drift.push({ path, problem: 'not generated any more' });
    }
  }
  return drift;
}

export function describeDrift(drift: readonly Drift[]): string {
  return [
    `${drift.length} generated file${drift.length === 1 ? ' is' : 's are'} stale:`,
    ...drift.map((d) => `  ${d.path}: ${d.problem}`),
    `Regenerate with \`${REGENERATE_COMMAND}\` and commit the result.`,
  ].join('\n');
}
