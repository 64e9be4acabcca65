import { readdir, realpath } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { errorCode } from '../errors.js';

/**
 * Every file under the exports folder, as paths relative to the real root with `/`
 * separators. Links are listed as files and never followed (a link to a folder cannot make
 * the walk loop or leave the root). A missing exports folder holds no files.
 */
export async function listExportedFiles(realRoot: string, exportsDir: string): Promise<string[]> {
  let start: string;
  try {
    start = await realpath(exportsDir);
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes(errorCode(error) ?? '')) return [];
    throw error;
  }
  const files: string[] = [];
  const pending = [start];
  const base = toPosix(relative(realRoot, start));
  const skip = start.length + 1;
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    const below = dir === start ? '' : toPosix(dir.slice(skip));
    const prefix = base && below ? `${base}/${below}` : base || below;
    const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
      if (dir !== start && ['ENOENT', 'EACCES'].includes(errorCode(error) ?? '')) return [];
      throw error;
    });
    for (const entry of entries) {
      if (entry.isDirectory()) pending.push(join(dir, entry.name));
      else files.push(prefix ? `${prefix}/${entry.name}` : entry.name);
    }
  }
  return files.sort();
}

export function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}
