import { errorCode, errorMessage } from '../errors.js';
import {
  forEachLimit,
  sameIdentity,
  type FileIdentity,
  type HashCache,
  type StatFn,
} from './file-identity.js';
import type { Hasher } from './hash-pool.js';
import type { ProgressFn } from './report.js';

/** What one distinct file turned out to be this run. */
export interface FileOutcome {
  readonly status: 'read' | 'missing' | 'unreadable' | 'changed';
  readonly identity: FileIdentity | undefined;
  readonly sha256: string | undefined;
  /** False when the digest came from the cache. */
  readonly hashed: boolean;
  readonly reason: string | undefined;
}

export interface CheckOptions {
  readonly hasher: Hasher;
  readonly stat: StatFn;
  readonly cache: HashCache | undefined;
  /** Cached digests older than this are not trusted (a full pass); undefined: all are. */
  readonly rehashBefore: number | undefined;
  readonly now: () => number;
  readonly signal: AbortSignal | undefined;
  readonly concurrency: number;
}

/**
 * Hashes the files the cache cannot vouch for, biggest first (so the pool's threads finish
 * together), given each file's identity from before (see root-resolver.ts). A file is
 * stat'ed again after hashing: if its size, mtime or inode moved, or fewer or more bytes
 * were read than stat promised, the digest is thrown away and the file reported `changed`;
 * it is not cached, so the next run reads it again.
 */
export async function checkFiles(
  files: ReadonlyMap<string, FileIdentity>,
  options: CheckOptions,
  onProgress?: ProgressFn,
): Promise<Map<string, FileOutcome>> {
  const outcomes = new Map<string, FileOutcome>();
  const todo: [string, FileIdentity][] = [];
  for (const [path, identity] of files) {
    if (identity.isFile) todo.push([path, identity]);
    else outcomes.set(path, failed('unreadable', 'not a regular file', identity));
  }
  const progress = {
    filesDone: outcomes.size,
    filesTotal: files.size,
    bytesDone: 0,
    bytesTotal: 0,
  };
  for (const [, identity] of todo) progress.bytesTotal += identity.size;
  onProgress?.({ ...progress });
  todo.sort(([, a], [, b]) => b.size - a.size);
  await forEachLimit(
    todo,
    options.concurrency,
    async ([path, identity]) => {
      outcomes.set(path, await readOne(path, identity, options));
      progress.filesDone += 1;
      progress.bytesDone += identity.size;
      onProgress?.({ ...progress });
    },
    options.signal,
  );
  options.cache?.retainOnly(new Set(files.keys()));
  return outcomes;
}

async function readOne(
  path: string,
  before: FileIdentity,
  options: CheckOptions,
): Promise<FileOutcome> {
  const cached = options.cache?.lookup(path, before, options.rehashBefore);
  if (cached !== undefined) {
    return { status: 'read', identity: before, sha256: cached, hashed: false, reason: undefined };
  }
  let result;
  try {
    result = await options.hasher.hash(path, before.size);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return failed('changed', 'removed while being hashed', before);
    return failed('unreadable', errorMessage(error), before);
  }
  let after: FileIdentity;
  try {
    after = await options.stat(path);
  } catch {
    return failed('changed', 'removed while being hashed', before);
  }
  if (!sameIdentity(before, after) || result.bytes !== before.size) {
    const moved = `size ${before.size} → ${after.size}, ${result.bytes} bytes read`;
    return failed('changed', `changed while being hashed (${moved})`, after);
  }
  options.cache?.store(path, before, result.sha256, options.now());
  return {
    status: 'read',
    identity: before,
    sha256: result.sha256,
    hashed: true,
    reason: undefined,
  };
}

function failed(
  status: 'missing' | 'unreadable' | 'changed',
  reason: string,
  identity: FileIdentity | undefined,
): FileOutcome {
  return { status, identity, sha256: undefined, hashed: false, reason };
}
