import { execFileSync } from 'node:child_process';
import { access, chown, constants } from 'node:fs/promises';
import { resolve, sep } from 'node:path';

export interface Owner {
  readonly uid: number;
  readonly gid: number;
}

const SYSTEM_USER = 'postgres';

/**
 * Who runs initdb and postgres: ourselves, or the `postgres` system user when we are root,
 * because PostgreSQL refuses to run as root. Debian's postgresql package creates that user.
 */
export function postgresOwner(): Owner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const id = (flag: string) =>
      Number(execFileSync('id', [flag, SYSTEM_USER], { encoding: 'utf8' }));
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error(
      `PostgreSQL cannot run as root and there is no '${SYSTEM_USER}' user to run it as; ` +
        'install it with `apt-get install postgresql`, or run as a non-root user',
    );
  }
}

/** Hands `dir` to the owner and checks the owner can reach it through its parents. */
export async function handOver(dir: string, owner: Owner | undefined): Promise<void> {
  if (!owner) return;
  await chown(dir, owner.uid, owner.gid);
  if (canEnter(dir, owner)) return;
  const blocked = ancestors(dir).find((ancestor) => !canEnter(ancestor, owner)) ?? dir;
  throw new Error(
    `the ${SYSTEM_USER} user cannot reach ${dir}: it may not enter ${blocked}; ` +
      `chmod o+x ${blocked}, or use a directory of its own such as a fresh mkdtemp under /tmp`,
  );
}

function canEnter(dir: string, owner: Owner): boolean {
  try {
    execFileSync('test', ['-x', dir], { uid: owner.uid, gid: owner.gid });
    return true;
  } catch {
    return false;
  }
}

/** `/a/b/c` → `/a`, `/a/b`, `/a/b/c`. */
function ancestors(dir: string): string[] {
  const absolute = resolve(dir);
  return absolute.split(sep).map((_, index, parts) => parts.slice(0, index + 1).join(sep) || sep);
}

export async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}
