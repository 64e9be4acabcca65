import { chmod, mkdtemp, rename, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { forEachLimit, HashCache, statIdentity, type StatFn } from '../src/verify/file-identity.js';
import { inThreadHasher, type Hasher } from '../src/verify/hash-pool.js';
import { verifyLedger, type VerifyOptions } from '../src/verify/verify.js';
import { createLedgerRoot, EXPORTS_DIR, LEDGER, type LedgerRoot } from './support/ledger-root.js';

/** The in-thread hasher, counting the files it hashed. */
function countingHasher(): Hasher & { hashed: string[] } {
  const inner = inThreadHasher(64 * 1024);
  const hashed: string[] = [];
  return {
    hashed,
    hash: (path, size) => (hashed.push(path), inner.hash(path, size)),
    close: () => inner.close(),
  };
}

let fx: LedgerRoot;
let hasher: ReturnType<typeof countingHasher>;
beforeEach(async () => {
  fx = await createLedgerRoot();
  hasher = countingHasher();
});
afterEach(() => fx.remove());

const verify = (extra: Partial<VerifyOptions> = {}) =>
  verifyLedger({ root: fx.root, ledger: LEDGER, exportsDir: EXPORTS_DIR, hasher, ...extra });
const statuses = (report: Awaited<ReturnType<typeof verify>>) =>
  Object.fromEntries(report.files.map((file) => [`${file.orderId} ${file.path}`, file.status]));

describe('verifyLedger', () => {
  it('matches intact files and reports a flipped byte as a mismatch', async () => {
    const a = await fx.exportFile('a.csv', 'alpha,1\n');
    const b = await fx.exportFile('b.csv', 'bravo,2\n');
    await fx.writeLedger([fx.entry('ORD-1', [a, b])]);
    await fx.writeFile(b.path, 'bravo,3\n');
    const report = await verify();
    expect(statuses(report)).toEqual({
      [`ORD-1 ${a.path}`]: 'match',
      [`ORD-1 ${b.path}`]: 'mismatch',
    });
    expect(report.counts).toMatchObject({ files: 2, matched: 1, mismatched: 1, unreadable: 0 });
    expect(report.files[1]).toMatchObject({ bytes: 8, expectedSha256: b.sha256 });
    expect(report.files[1]?.actualSha256).not.toBe(b.sha256);
  });

  it('reports a missing file as unreadable, never as a mismatch', async () => {
    const a = await fx.exportFile('a.csv', 'alpha');
    await fx.writeLedger([fx.entry('ORD-1', [a, { ...a, path: `${EXPORTS_DIR}/gone.csv` }])]);
    const report = await verify();
    expect(report.files[1]).toMatchObject({
      status: 'missing',
      bytes: undefined,
      reason: 'missing',
    });
    expect(report.counts).toMatchObject({ matched: 1, mismatched: 0, unreadable: 1 });
  });

  it('reports a folder and a file without read permission as unreadable', async () => {
    const a = await fx.exportFile('a.csv', 'alpha');
    await fx.exportFile('dir/x', 'x');
    await chmod(join(fx.root, a.path), 0o000);
    await fx.writeLedger([
      fx.entry('ORD-1', [{ ...a, path: `${EXPORTS_DIR}/dir` }]),
      fx.entry('ORD-2', [a]),
    ]);
    const report = await verify();
    expect(report.files[0]).toMatchObject({ status: 'unreadable', reason: 'not a regular file' });
    // root ignores file permissions; only assert the permission case when it applies
    if (process.getuid?.() !== 0) expect(report.files[1]?.status).toBe('unreadable');
  });

  it('counts orphans, unsigned entries and all entries', async () => {
    const a = await fx.exportFile('a.csv', 'alpha');
    await fx.exportFile('nested/orphan.bin', 'nobody cites me');
    const cited = await fx.exportFile('cited-by-invalid.csv', 'x');
    await fx.writeLedger([
      fx.entry('ORD-1', [a], { sign_off: null }),
      fx.entry('ORD-2', [{ ...cited, sha256: 'nope' }]),
    ]);
    const report = await verify();
    expect(report.orphans).toEqual([`${EXPORTS_DIR}/nested/orphan.bin`]);
    expect(report).toMatchObject({ entries: 2, entriesWithoutSignoff: 1 });
    expect(report.invalidEntries.map((e) => e.orderId)).toEqual(['ORD-2']);
  });

  it('refuses an entry whose path leads outside the root through a symlink', async () => {
    const outside = join(tmpdir(), `layerwatch-outside-${process.pid}.txt`);
    await writeFile(outside, 'secret');
    onTestFinished(() => rm(outside, { force: true }));
    const a = await fx.exportFile('a.csv', 'alpha');
    await symlink(outside, join(fx.root, EXPORTS_DIR, 'link.txt'));
    const link = { path: `${EXPORTS_DIR}/link.txt`, sha256: 'b'.repeat(64), bytes: 6 };
    await fx.writeLedger([fx.entry('ORD-1', [a]), fx.entry('ORD-2', [a, link])]);
    const report = await verify();
    expect(report.files.map((f) => f.orderId)).toEqual(['ORD-1']);
    expect(report.invalidEntries).toHaveLength(1);
    expect(report.invalidEntries[0]?.message).toBe(
      `entries[1] (order_id "ORD-2"): evidence[1].path: resolves through a symlink to ${outside}, outside the root ${fx.root} (got "${link.path}")`,
    );
    expect(hasher.hashed).not.toContain(outside);
  });

  it('says whether the newest batch is exported: all valid, present and matching', async () => {
    const old = await fx.exportFile('old.csv', 'old');
    const a = await fx.exportFile('a.csv', 'alpha');
    const b = await fx.exportFile('b.csv', 'bravo');
    const entries = [
      fx.entry('ORD-1', [old], { batch: '2026-11-23T09' }),
      fx.entry('ORD-2', [a], { batch: '2026-11-23T10' }),
      fx.entry('ORD-3', [b], { batch: '2026-11-23T10' }),
    ];
    await fx.writeLedger(entries);
    expect(await verify()).toMatchObject({
      latestBatch: '2026-11-23T10',
      latestBatchExported: true,
    });
    await rename(join(fx.root, b.path), join(fx.root, b.path + '.moved'));
    expect(await verify()).toMatchObject({ latestBatchExported: false });
    await fx.writeLedger([
      ...entries.slice(0, 2),
      fx.entry('ORD-4', [a], { batch: '2026-11-23T10', pivot: '' }),
    ]);
    expect(await verify()).toMatchObject({ latestBatchExported: false });
    await fx.writeLedger(entries.slice(0, 1));
    expect(await verify()).toMatchObject({
      latestBatch: '2026-11-23T09',
      latestBatchExported: true,
    });
  });

  it('detects a file that changes while it is hashed, and does not cache its digest', async () => {
    const a = await fx.exportFile('a.csv', 'alpha');
    await fx.writeLedger([fx.entry('ORD-1', [a])]);
    let calls = 0;
    // Deterministic stand-in for a writer: the stat after hashing sees a newer mtime.
    const stat: StatFn = async (path) => {
      const real = await statIdentity(path);
      return ++calls === 2 ? { ...real, mtimeNs: real.mtimeNs + 1n } : real;
    };
    const cache = new HashCache();
    const report = await verify({ stat, cache });
    expect(report.files[0]).toMatchObject({
      status: 'changed',
      reason: 'changed while being hashed (size 5 → 5, 5 bytes read)',
    });
    expect(report.counts).toMatchObject({ mismatched: 0, unreadable: 1, changedDuringHash: 1 });
    expect(cache.size).toBe(0);
    expect((await verify({ stat, cache })).files[0]?.status).toBe('match');
    expect(hasher.hashed).toHaveLength(2);
  });

  it('detects a file that grew between stat and hashing', async () => {
    const a = await fx.exportFile('a.csv', 'alpha');
    await fx.writeLedger([fx.entry('ORD-1', [a])]);
    const stat: StatFn = async (path) => ({ ...(await statIdentity(path)), size: 3 });
    expect((await verify({ stat })).files[0]).toMatchObject({
      status: 'changed',
      reason: 'changed while being hashed (size 3 → 3, 5 bytes read)',
    });
  });

  it('re-hashes only files whose size, mtime or inode changed, except in a full pass', async () => {
    const a = await fx.exportFile('a.csv', 'alpha');
    const b = await fx.exportFile('b.csv', 'bravo');
    await fx.writeLedger([fx.entry('ORD-1', [a]), fx.entry('ORD-2', [b, a])]);
    const cache = new HashCache();
    await verify({ cache });
    expect(hasher.hashed).toHaveLength(2); // a is cited twice, hashed once
    hasher.hashed.length = 0;
    expect((await verify({ cache })).counts).toMatchObject({ matched: 3, hashedFiles: 0 });
    expect(hasher.hashed).toEqual([]);

    await utimes(join(fx.root, b.path), new Date(), new Date(Date.now() + 5000));
    await verify({ cache });
    expect(hasher.hashed).toEqual([join(fx.root, b.path)]);

    hasher.hashed.length = 0;
    await fx.writeFile(a.path, 'alphx'); // same size: caught by the mtime
    expect(statuses(await verify({ cache }))[`ORD-1 ${a.path}`]).toBe('mismatch');
    expect(hasher.hashed).toEqual([join(fx.root, a.path)]);

    hasher.hashed.length = 0;
    expect((await verify({ cache, rehashBefore: Date.now() + 1 })).counts.hashedFiles).toBe(2);
    expect(hasher.hashed).toHaveLength(2);
  });

  it('resumes a full pass cut short: files hashed since it began are not hashed again', async () => {
    const files = await Promise.all(['a', 'b', 'c'].map((n) => fx.exportFile(`${n}.csv`, n)));
    await fx.writeLedger([fx.entry('ORD-1', files)]);
    const cache = new HashCache();
    await verify({ cache });
    const since = Date.now() + 1;
    await new Promise((done) => setTimeout(done, 5));
    const controller = new AbortController();
    const inner = hasher.hash;
    hasher.hash = async (path, size) => {
      const result = await inner(path, size);
      controller.abort(new Error('timed out'));
      return result;
    };
    const cut = verify({ cache, rehashBefore: since, signal: controller.signal, concurrency: 1 });
    await expect(cut).rejects.toThrow('timed out');
    hasher.hash = inner;
    hasher.hashed.length = 0;
    const resumed = await verify({ cache, rehashBefore: since });
    expect(hasher.hashed).toHaveLength(2);
    expect(resumed.counts.matched).toBe(3);
  });

  it('forgets cached digests of files no longer cited', async () => {
    const a = await fx.exportFile('a.csv', 'alpha');
    const b = await fx.exportFile('b.csv', 'bravo');
    const cache = new HashCache();
    await fx.writeLedger([fx.entry('ORD-1', [a]), fx.entry('ORD-2', [b])]);
    await verify({ cache });
    await fx.writeLedger([fx.entry('ORD-1', [a])]);
    const report = await verify({ cache });
    expect(cache.size).toBe(1);
    expect(report.files.map((f) => f.orderId)).toEqual(['ORD-1']);
    expect(report.orphans).toEqual([b.path]);
  });

  it('reports progress over distinct files and bytes', async () => {
    const a = await fx.exportFile('a.csv', 'alpha');
    const b = await fx.exportFile('b.csv', 'bravo!');
    await fx.writeLedger([fx.entry('ORD-1', [a, b])]);
    const seen: unknown[] = [];
    await verifyLedger({ root: fx.root, ledger: LEDGER, exportsDir: EXPORTS_DIR, hasher }, (p) =>
      seen.push(p),
    );
    expect(seen[0]).toEqual({ filesDone: 0, filesTotal: 2, bytesDone: 0, bytesTotal: 11 });
    expect(seen.at(-1)).toEqual({ filesDone: 2, filesTotal: 2, bytesDone: 11, bytesTotal: 11 });
  });
});

describe('path resolution and helpers', () => {
  it('refuses a path through a folder symlinked outside the root', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'layerwatch-outside-'));
    onTestFinished(() => rm(outside, { recursive: true, force: true }));
    await writeFile(join(outside, 'x.csv'), 'x');
    const a = await fx.exportFile('a.csv', 'alpha');
    await symlink(outside, join(fx.root, EXPORTS_DIR, 'elsewhere'));
    const escaping = { path: `${EXPORTS_DIR}/elsewhere/x.csv`, sha256: a.sha256, bytes: 1 };
    await fx.writeLedger([fx.entry('ORD-1', [escaping])]);
    const report = await verify();
    expect(report.invalidEntries[0]?.message).toContain(
      `evidence[0].path: resolves through a symlink to ${join(outside, 'x.csv')}, outside the root`,
    );
    expect(report.files).toEqual([]);
  });

  it('follows a symlink that stays inside the root, and does not count its target as an orphan', async () => {
    const a = await fx.exportFile('real/a.csv', 'alpha');
    await symlink(join(fx.root, a.path), join(fx.root, EXPORTS_DIR, 'alias.csv'));
    await fx.writeLedger([fx.entry('ORD-1', [{ ...a, path: `${EXPORTS_DIR}/alias.csv` }])]);
    const report = await verify();
    expect(report.files[0]?.status).toBe('match');
    expect(report.orphans).toEqual([]);
  });

  it('forEachLimit runs every item once, at most `limit` at once, across event-loop yields', async () => {
    const items = Array.from({ length: 1000 }, (_, i) => i);
    const seen: number[] = [];
    let running = 0;
    let peak = 0;
    await forEachLimit(items, 7, async (item) => {
      peak = Math.max(peak, ++running);
      await (item % 3 === 0 ? Promise.resolve() : new Promise((done) => setImmediate(done)));
      seen.push(item);
      running -= 1;
    });
    expect(seen.sort((a, b) => a - b)).toEqual(items);
    expect(peak).toBe(7);
  });
});
