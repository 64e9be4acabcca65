import { chown, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Owner } from './postgres-owner.js';
import type { PemPair } from './running-server.js';

/**
 * Writes the pair where PostgreSQL looks by default (`server.crt`, `server.key` in the data
 * dir) and returns the settings that turn TLS on. The key must be 0600 and the server's own,
 * or PostgreSQL refuses to start.
 */
export async function installTls(
  dataDir: string,
  pair: PemPair,
  owner: Owner | undefined,
): Promise<string[]> {
  const files = [
    [join(dataDir, 'server.crt'), pair.cert],
    [join(dataDir, 'server.key'), pair.key],
  ] as const;
  for (const [file, pem] of files) {
    await writeFile(file, pem, { mode: 0o600 });
    if (owner) await chown(file, owner.uid, owner.gid);
  }
  return ['-c', 'ssl=on'];
}
