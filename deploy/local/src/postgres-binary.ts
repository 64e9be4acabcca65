import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { findOnPath, isExecutable, missingBinaryError } from './find-binary.js';

export type PostgresBinary = 'initdb' | 'pg_ctl' | 'postgres';

const DEBIAN_ROOT = '/usr/lib/postgresql';

/**
 * PATH first, then Debian's `/usr/lib/postgresql/<highest version>/bin`: Debian keeps the
 * server binaries off PATH (only its `pg_ctlcluster` wrappers are there).
 */
export function findPostgresBinary(name: PostgresBinary): string {
  const onPath = findOnPath(name);
  if (onPath) return onPath;
  for (const version of debianVersions()) {
    const candidate = join(DEBIAN_ROOT, version, 'bin', name);
    if (isExecutable(candidate)) return candidate;
  }
  throw missingBinaryError(
    `PostgreSQL's ${name}`,
    `on PATH or in ${DEBIAN_ROOT}/*/bin`,
    'postgresql',
  );
}

/** Installed major versions under /usr/lib/postgresql, highest first. */
function debianVersions(): string[] {
  let entries: string[];
  try {
    entries = readdirSync(DEBIAN_ROOT);
  } catch {
    return [];
  }
  return entries
    .filter((entry) => /^\d+(\.\d+)?$/.test(entry))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
}
