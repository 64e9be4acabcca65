import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LedgerWriter, writeFileAtomic } from '../src/index.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'layerwatch-ledger-temp-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const BATCH = '.toyfoundry/telemetry/quilt/exports/2026-11-23T10';
const dead = spawnSync(process.execPath, ['-e', '']).pid;
const live = process.pid;

describe('temp files', () => {
  it('writeFileAtomic replaces a file whole, making its folder, leaving no temp file', async () => {
    const file = join(root, 'logs/deep/ready.json');
    await writeFileAtomic(file, 'old');
    await writeFileAtomic(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    expect(await readdir(join(root, 'logs/deep'))).toEqual(['ready.json']);
  });

  it('are swept once a writer starts: dead pids and old ones go, live ones and look-alikes stay', async () => {
    await mkdir(join(root, BATCH), { recursive: true });
    await mkdir(join(root, 'exchange/ledger'), { recursive: true });
    const files = {
      deadExport: `${BATCH}/.ORD-1.csv.${dead}.0123abcd.lwtmp`,
      deadLedger: `exchange/ledger/.index.json.${dead}.89abcdef.lwtmp`,
      liveExport: `${BATCH}/.ORD-2.csv.${live}.0123abcd.lwtmp`,
      oldLive: `${BATCH}/.ORD-3.csv.${live}.fedcba98.lwtmp`,
      lookAlike: `${BATCH}/ORD-4.csv`,
      noPid: `${BATCH}/.ORD-5.csv.lwtmp`,
    };
    for (const path of Object.values(files)) await writeFile(join(root, path), 'x');
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(join(root, files.oldLive), old, old);
    const removed = await new LedgerWriter({ root }).sweepTempFiles();
    expect(removed.map((path) => path.slice(root.length + 1)).sort()).toEqual(
      [files.deadExport, files.deadLedger, files.oldLive].sort(),
    );
    expect((await readdir(join(root, BATCH))).sort()).toEqual(
      ['.ORD-2.csv.' + `${live}.0123abcd.lwtmp`, '.ORD-5.csv.lwtmp', 'ORD-4.csv'].sort(),
    );
  });

  it('are swept by the first writeExport, not by later ones', async () => {
    await mkdir(join(root, BATCH), { recursive: true });
    const leftover = join(root, BATCH, `.ORD-1.csv.${dead}.0123abcd.lwtmp`);
    await writeFile(leftover, 'partial');
    const writer = new LedgerWriter({ root, now: () => new Date('2026-11-23T10:04:00Z') });
    await writer.writeExport({
      orderId: 'ORD-1',
      pivot: 'q',
      files: [{ name: 'ORD-1.csv', content: 'x' }],
    });
    expect(await readdir(join(root, BATCH))).toEqual(['ORD-1.csv']);
    await writeFile(leftover, 'partial');
    await writer.writeExport({
      orderId: 'ORD-2',
      pivot: 'q',
      files: [{ name: 'ORD-2.csv', content: 'y' }],
    });
    expect((await readdir(join(root, BATCH))).sort()).toEqual(
      ['ORD-1.csv', 'ORD-2.csv', `.ORD-1.csv.${dead}.0123abcd.lwtmp`].sort(),
    );
  });
});
