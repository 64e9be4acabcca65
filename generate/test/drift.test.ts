import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ARTEFACT_SETS,
  describeDrift,
  expectedArtefacts,
  findDrift,
  type ArtefactSet,
} from '../src/index.js';

// A small set of two files, one of them in a folder the set owns, in a temporary "repo".
const SET: ArtefactSet = {
  name: 'test files',
  owns: ['owned'],
  files: async () =>
    new Map([
      ['owned/a.yaml', 'a: 1\n'],
      ['elsewhere/b.json', '{}\n'],
    ]),
};

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'layerwatch-generate-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function put(path: string, text: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), text);
}

describe('the drift check', () => {
  it('finds nothing when every file is as generated', async () => {
    await put('owned/a.yaml', 'a: 1\n');
    await put('elsewhere/b.json', '{}\n');
    expect(await findDrift([SET], await expectedArtefacts([SET]), root)).toEqual([]);
  });

  it('names each missing, hand-edited and left-over file', async () => {
    await put('owned/a.yaml', 'a: 2\n');
    await put('owned/old.yaml', 'old: true\n');
    // A file in a folder the set does not own is left alone.
    await put('elsewhere/notes.txt', 'mine\n');
    const drift = await findDrift([SET], await expectedArtefacts([SET]), root);
    expect(drift).toEqual([
      { path: 'owned/a.yaml', problem: 'differs' },
      { path: 'elsewhere/b.json', problem: 'missing' },
      { path: 'owned/old.yaml', problem: 'not generated any more' },
    ]);
    expect(describeDrift(drift)).toBe(
      [
        '3 generated files are stale:',
        '  owned/a.yaml: differs',
        '  elsewhere/b.json: missing',
        '  owned/old.yaml: not generated any more',
        'Regenerate with `npx layerwatch generate` and commit the result.',
      ].join('\n'),
    );
  });

  it('refuses two sets that generate the same file', async () => {
    await expect(expectedArtefacts([SET, { ...SET, name: 'again' }])).rejects.toThrow(
      'owned/a.yaml is generated twice (second by again)',
    );
  });

  it('covers every generated artefact family of the repository', async () => {
    const paths = [...(await expectedArtefacts(ARTEFACT_SETS)).keys()];
    for (const prefix of [
      'alert-rules/generated/prometheus/',
      'alert-rules/generated/alertmanager/alertmanager.yml',
      'dashboards/generated/',
      'grafana-plugin/src/generated/thresholds.ts',
      'deploy/grafana/prometheus.yml',
      'deploy/compose/alertmanager.yml',
      'deploy/kubernetes/base/alert-rules/layerwatch.prometheusrules.yaml',
    ]) {
      expect(
        paths.some((path) => path.startsWith(prefix)),
        prefix,
      ).toBe(true);
    }
  });
});
