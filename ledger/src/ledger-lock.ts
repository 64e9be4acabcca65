import { randomBytes } from 'node:crypto';
import { link, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorCode } from './errors.js';
import { isAlive, tempPathFor } from './temp-files.js';

export interface LockOptions {
  /** A lock not refreshed for this long is stale whoever holds it. */
  readonly staleMs: number;
  /** How long to wait for a live holder before giving up. */
  readonly timeoutMs: number;
  /** The path as errors show it (relative to the root). */
  readonly shown: string;
}

/** The lock stayed held by a live process for the whole timeout. */
export class LedgerLockError extends Error {
  override readonly name = 'LedgerLockError';
}

interface Holder {
  readonly text: string;
  readonly pid: number | undefined;
  readonly host: string | undefined;
  readonly ageMs: number;
}

/**
 * Runs `fn` holding `lockPath`, a file only one process can create. The lock's content is
 * written to a temp file first and hard-linked into place (link fails if the lock exists),
 * so a holder killed at any moment leaves either no lock or a complete one naming its pid.
 * While held, the lock's mtime is refreshed, so "not refreshed for staleMs" means the
 * holder is gone or hung, and a slow commit is never taken over.
 */
export async function withLock<T>(
  lockPath: string,
  options: LockOptions,
  fn: () => Promise<T>,
): Promise<T> {
  const body = await acquire(lockPath, options);
  const beat = setInterval(
    () => void utimes(lockPath, new Date(), new Date()).catch(() => undefined),
    Math.max(10, Math.floor(options.staleMs / 3)),
  );
  beat.unref();
  try {
    return await fn();
  } finally {
    clearInterval(beat);
    await release(lockPath, body);
  }
}

async function acquire(lockPath: string, options: LockOptions): Promise<string> {
  const body = JSON.stringify({
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    // Tells our lock from any other at release, even one from this pid in the same ms.
    token: randomBytes(6).toString('hex'),
  });
  const temp = tempPathFor(lockPath);
  await writeFile(temp, body, { flag: 'wx' });
  const deadline = Date.now() + options.timeoutMs;
  try {
    for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
      try {
        await link(temp, lockPath);
        return body;
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw error;
      }
      const holder = await readHolder(lockPath);
      if (holder === undefined) continue; // released between our link and our read
      if (isStale(holder, options.staleMs)) {
        await breakLock(lockPath, holder.text);
        continue;
      }
      if (Date.now() >= deadline) throw new LedgerLockError(heldMessage(holder, options));
      await sleep(wait + Math.random() * wait);
    }
  } finally {
    await rm(temp, { force: true });
  }
}

async function readHolder(lockPath: string): Promise<Holder | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
    const parsed = safeParse(text);
    return {
      text,
      pid: typeof parsed?.pid === 'number' ? parsed.pid : undefined,
      host: typeof parsed?.host === 'string' ? parsed.host : undefined,
      ageMs: Date.now() - info.mtimeMs,
    };
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** Dead on this host, or silent for `staleMs` (a holder elsewhere, or hung). */
function isStale(holder: Holder, staleMs: number): boolean {
  const here = holder.host === hostname() && holder.pid !== undefined;
  if (here && !isAlive(holder.pid ?? 0)) return true;
  return holder.ageMs >= staleMs;
}

/**
 * Moves the stale lock aside rather than deleting it: if another process broke it and took
 * a fresh lock in between, what we moved is that fresh lock, and it is linked back.
 */
async function breakLock(lockPath: string, staleText: string): Promise<void> {
  const aside = tempPathFor(lockPath);
  try {
    await rename(lockPath, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  try {
    const moved = await readFile(aside, 'utf8');
    if (moved !== staleText) await link(aside, lockPath).catch(() => undefined);
  } finally {
    await rm(aside, { force: true });
  }
}

/** Removes the lock only while it is still ours (a stale-breaker may have replaced it). */
async function release(lockPath: string, body: string): Promise<void> {
  const text = await readFile(lockPath, 'utf8').catch(() => undefined);
  if (text === body) await rm(lockPath, { force: true });
}

function heldMessage(holder: Holder, options: LockOptions): string {
  const who =
    holder.pid === undefined
      ? 'an unknown process'
      : `pid ${holder.pid} on ${holder.host ?? 'an unknown host'}`;
  return (
    `${options.shown}: still held by ${who} after ${options.timeoutMs} ms ` +
    `(refreshed ${Math.round(holder.ageMs)} ms ago); ` +
    `if that process is gone, delete the lock file`
  );
}

function safeParse(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
