import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errorCode } from './errors.js';

/**
 * Every temp file the writer makes is `.<name>.<pid>.<8 hex>.lwtmp`, in the folder of the
 * file it becomes, so a rename is atomic (one file system) and a leftover is recognisable:
 * a process killed mid-write leaves one behind, and the next writer removes it once its
 * pid is gone.
 */
export const TEMP_SUFFIX = '.lwtmp';
const TEMP_PATTERN = /^\..+\.(\d+)\.[0-9a-f]{8}\.lwtmp$/;

export function tempPathFor(file: string): string {
  const tag = `${process.pid}.${randomBytes(4).toString('hex')}`;
  return join(dirname(file), `.${basename(file)}.${tag}${TEMP_SUFFIX}`);
}

/**
 * Makes the rename of a file in `dir` durable; without it a power cut can forget the
 * rename even though the file's bytes were synced. Platforms that cannot open or sync a
 * folder (Windows) skip it: their rename is as durable as it gets there.
 */
export async function fsyncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    if (!['EISDIR', 'EPERM', 'EINVAL', 'EACCES'].includes(errorCode(error) ?? '')) throw error;
  } finally {
    await handle?.close();
  }
}

/** mkdir -p, then syncs the parent of each folder it made, so the new folders persist too. */
export async function ensureDir(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true });
  if (first === undefined) return;
  for (let made = dir; ; made = dirname(made)) {
    await fsyncDir(dirname(made));
    if (made === first || dirname(made) === made) return;
  }
}

/**
 * Replaces `file` whole: temp file in the same folder, fsync, rename over, fsync the folder.
 * A crash at any moment leaves the old file or the new one, never a mix.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await ensureDir(dirname(file));
  const temp = tempPathFor(file);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await fsyncDir(dirname(file));
}

/**
 * Removes the temp files that writers killed mid-write left under `dirs` (recursively):
 * those whose pid no longer runs on this host, or older than `staleMs` whatever their pid
 * (a reused pid must not keep a leftover forever). A live writer's temp file is kept. Pids
 * are only meaningful on one host: writers of one ledger share a host (see LEDGER.md).
 */
export async function sweepTempFiles(dirs: readonly string[], staleMs: number): Promise<string[]> {
  const removed: string[] = [];
  for (const dir of dirs) {
    const names = await readdir(dir, { recursive: true }).catch((error: unknown) => {
      if (errorCode(error) === 'ENOENT') return [];
      throw error;
    });
    for (const name of names) {
      const pid = TEMP_PATTERN.exec(basename(name))?.[1];
      if (pid === undefined) continue;
      const path = join(dir, name);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile()) continue;
      if (isAlive(Number(pid)) && Date.now() - info.mtimeMs < staleMs) continue;
      await rm(path, { force: true });
      removed.push(path);
    }
  }
  return removed;
}

/** Whether a process with this pid runs here (EPERM: it runs, as another user). */
export function isAlive(pid: number): boolean {
  // kill(0) and kill(-n) signal whole process groups: no such pid is "alive".
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}
