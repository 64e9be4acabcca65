import { lstatSync } from 'node:fs';

/** What says "this is still the same file with the same bytes" without reading it. */
export interface FileIdentity {
  readonly size: number;
  readonly mtimeNs: bigint;
  readonly ino: bigint;
  readonly isFile: boolean;
  readonly isSymlink: boolean;
}

/**
 * `lstat` reduced to a FileIdentity (a link is reported as a link, not followed); tests
 * inject their own to simulate a file that changes while it is hashed. The default is
 * synchronous on purpose: a cached lstat costs a few µs, the thread-pool round trip of
 * `fs.promises.lstat` ~3× that, and re-verifying 10,000 files is 10,000 of them; callers
 * yield to the event loop between batches (forEachLimit).
 */
export type StatFn = (path: string) => Promise<FileIdentity>;

export const statIdentity: StatFn = async (path) => {
  const info = lstatSync(path, { bigint: true });
  return {
    size: Number(info.size),
    mtimeNs: info.mtimeNs,
    ino: info.ino,
    isFile: info.isFile(),
    isSymlink: info.isSymbolicLink(),
  };
};

export function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ino === b.ino;
}

interface CachedHash {
  readonly identity: FileIdentity;
  readonly sha256: string;
  /** When it was hashed (ms, on the verifier's clock). */
  readonly at: number;
}

/**
 * Digests of files already hashed, by real path. A file whose size, mtime and inode are
 * unchanged reuses its digest; the periodic full pass ignores the cache to catch silent
 * corruption (a bit flip changes none of the three).
 */
export class HashCache {
  private readonly entries = new Map<string, CachedHash>();

  /** The digest if the file is unchanged and was hashed at or after `notBefore`. */
  lookup(path: string, identity: FileIdentity, notBefore = -Infinity): string | undefined {
    const cached = this.entries.get(path);
    if (!cached || cached.at < notBefore || !sameIdentity(cached.identity, identity))
      return undefined;
    return cached.sha256;
  }

  store(path: string, identity: FileIdentity, sha256: string, at: number): void {
    this.entries.set(path, { identity, sha256, at });
  }

  /** Forgets files no longer cited, so the cache never outgrows the ledger. */
  retainOnly(paths: ReadonlySet<string>): void {
    for (const path of this.entries.keys()) if (!paths.has(path)) this.entries.delete(path);
  }

  get size(): number {
    return this.entries.size;
  }
}

const YIELD_EVERY = 256;

/**
 * Runs `task` over `items`, at most `limit` at once, in order of start, letting the event
 * loop run (a scrape, a timer) every 256 items even when the tasks never wait on I/O.
 */
export async function forEachLimit<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      if (index > 0 && index % YIELD_EVERY === 0) await new Promise((done) => setImmediate(done));
      signal?.throwIfAborted();
      await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}
