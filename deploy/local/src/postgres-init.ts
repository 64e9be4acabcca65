import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPostgresBinary } from './postgres-binary.js';
import { exists, handOver, type Owner } from './postgres-owner.js';
import type { LogFn } from './running-server.js';
import { runToCompletion } from './server-process.js';

export interface InitOptions {
  readonly dataDir: string;
  readonly user: string;
  readonly password: string | undefined;
  readonly owner: Owner | undefined;
  readonly log: LogFn | undefined;
}

/**
 * Creates a cluster in `dataDir` unless one is there (PG_VERSION): reusing it is what lets
 * `make up` keep its state between runs. With a password, every login needs it (scram).
 */
export async function initCluster(options: InitOptions): Promise<void> {
  if (await exists(join(options.dataDir, 'PG_VERSION'))) return;
  const args = ['-D', options.dataDir, '-U', options.user, '-E', 'UTF8', '--locale=C'];
  // --no-sync: a fresh cluster for tests or a dev stack needs no fsync before it starts.
  args.push('--no-sync');
  const spawnOptions = { log: options.log, cwd: options.dataDir, ...options.owner };
  if (options.password === undefined) {
    args.push('--auth=trust');
    await runToCompletion('initdb', findPostgresBinary('initdb'), args, spawnOptions);
    return;
  }
  // The password goes through a file, never argv, which other users can read in ps.
  const pwDir = await mkdtemp(join(tmpdir(), 'layerwatch-pwfile-'));
  try {
    await handOver(pwDir, options.owner);
    const pwFile = join(pwDir, 'pw');
    await writeFile(pwFile, `${options.password}\n`, { mode: 0o600 });
    if (options.owner) await chown(pwFile, options.owner.uid, options.owner.gid);
    args.push('--auth=scram-sha-256', `--pwfile=${pwFile}`);
    await runToCompletion('initdb', findPostgresBinary('initdb'), args, spawnOptions);
  } finally {
    await rm(pwDir, { recursive: true, force: true });
  }
}
