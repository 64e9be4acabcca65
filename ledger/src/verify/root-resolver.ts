import { realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { errorCode, errorMessage } from '../errors.js';
import type { FileIdentity, StatFn } from './file-identity.js';

/** Where a cited path leads, with the file's identity when it stays inside the root. */
export type Located =
  | { readonly kind: 'inside'; readonly real: string; readonly identity: FileIdentity }
  | { readonly kind: 'outside'; readonly real: string }
  | { readonly kind: 'unresolvable'; readonly reason: string; readonly missing: boolean };

/**
 * Follows cited paths to real files, refusing any that lead outside the real root through a
 * link, in the folders or at the file itself. Cheap enough to run on every file every run:
 * each folder is resolved once (realpath), each file costs one lstat, which doubles as the
 * identity that decides whether it must be hashed; only a link costs a realpath of its own.
 * One resolver per run: it remembers folders and files for that run only.
 */
export function rootResolver(realRoot: string, stat: StatFn): (path: string) => Promise<Located> {
  const prefix = realRoot.endsWith(sep) ? realRoot : realRoot + sep;
  const inside = (real: string) => real === realRoot || real.startsWith(prefix);
  const folders = new Map<string, Promise<string>>();
  const files = new Map<string, Promise<Located>>();

  const locate = async (path: string): Promise<Located> => {
    // `path` is normalized and lexically inside (@layerwatch/ledger): joining is enough.
    const absolute = sep === '/' ? prefix + path : resolve(realRoot, path);
    try {
      const folder = dirname(absolute);
      let realFolder = folders.get(folder);
      if (!realFolder) folders.set(folder, (realFolder = realpath(folder)));
      let real = join(await realFolder, basename(absolute));
      if (!inside(real)) return { kind: 'outside', real };
      let identity = await stat(real);
      if (identity.isSymlink) {
        real = await realpath(real);
        if (!inside(real)) return { kind: 'outside', real };
        identity = await stat(real);
      }
      return { kind: 'inside', real, identity };
    } catch (error) {
      const code = errorCode(error);
      const missing = code === 'ENOENT' || code === 'ENOTDIR';
      return { kind: 'unresolvable', reason: missing ? 'missing' : errorMessage(error), missing };
    }
  };

  return (path) => {
    let located = files.get(path);
    if (!located) files.set(path, (located = locate(path)));
    return located;
  };
}
