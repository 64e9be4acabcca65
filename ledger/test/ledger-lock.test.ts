import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LedgerLockError, LedgerWriter } from '../src/index.js';

let root: string;
const LOCK = 'exchange/ledger/index.json.lock';
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'layerwatch-ledger-lock-'));
  await mkdir(join(root, 'exchange/ledger'), { recursive: true });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A pid that just exited, so no process has it (for a while). */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid;
const lockBy = (pid: number, host = hostname()) =>
  writeFile(join(root, LOCK), JSON.stringify({ pid, host, since: '2026-11-23T10:00:00Z' }));
const write = (options: Partial<ConstructorParameters<typeof LedgerWriter>[0]> = {}) =>
  new LedgerWriter({ root, ...options }).writeExport({
    orderId: 'ORD-1',
    pivot: 'quilt',
    files: [{ name: 'a.csv', content: 'x' }],
  });

describe('the ledger lock file', () => {
  it('takes over a lock whose process is gone, and releases its own', async () => {
    await lockBy(deadPid());
    await write({ lockTimeoutMs: 1000 });
    expect(await readdir(join(root, 'exchange/ledger'))).toEqual(['index.json']);
  });

  it('takes over a lock from another host once it has not been refreshed for staleLockMs', async () => {
    await lockBy(1, 'elsewhere');
    const old = new Date(Date.now() - 10_000);
    await utimes(join(root, LOCK), old, old);
    await write({ staleLockMs: 5_000, lockTimeoutMs: 1000 });
  });

  it('waits for a live holder, and goes on when it lets go', async () => {
    await lockBy(process.pid);
    const writing = write({ lockTimeoutMs: 5000 });
    await new Promise((done) => setTimeout(done, 100));
    expect(await readdir(join(root, 'exchange/ledger'))).not.toContain('index.json');
    await rm(join(root, LOCK));
    await writing;
    expect(await readdir(join(root, 'exchange/ledger'))).toEqual(['index.json']);
  });

  it('gives up on a live holder after lockTimeoutMs, saying who holds it, and cleans up', async () => {
    await lockBy(process.pid);
    const error = await write({ lockTimeoutMs: 150 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerLockError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^exchange/ledger/index\\.json\\.lock: still held by pid ${process.pid} on ${hostname()} ` +
          `after 150 ms \\(refreshed \\d+ ms ago\\); if that process is gone, delete the lock file$`,
      ),
    );
    expect(await readdir(join(root, 'exchange/ledger'))).toEqual(['index.json.lock']);
    const batch = await readdir(join(root, '.toyfoundry/telemetry/quilt/exports'));
    expect(
      await readdir(join(root, '.toyfoundry/telemetry/quilt/exports', batch[0] ?? '')),
    ).toEqual([]);
  });
});
