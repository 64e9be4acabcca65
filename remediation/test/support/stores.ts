import { join } from 'node:path';
import { startPostgres, type RunningPostgres } from '@layerwatch/local';
import type { ConfigInput } from '../../src/config/schema.js';
import { tempDir } from './service.js';

export type StoreInput = ConfigInput['store'];

/**
 * A SQLite file and a real PostgreSQL (its own data dir, a free loopback port), for
 * `describe.each`: each call of a store's factory names a fresh database, so tests on one
 * store never see each other's records.
 */
export async function startStores(prefix: string) {
  const dir = await tempDir(prefix);
  const pgDir = await tempDir(`${prefix}-pg`);
  const pg: RunningPostgres = await startPostgres({ dataDir: pgDir.dir, database: 'remediation' });
  let n = 0;
  const fresh = {
    SQLite: (): StoreInput => ({ kind: 'sqlite', path: join(dir.dir, `s${++n}.db`) }),
    PostgreSQL: (): StoreInput => ({
      kind: 'postgres',
      url: `postgres://${pg.user}@127.0.0.1:${pg.port}/${pg.database}`,
      schema: `t${++n}`,
    }),
  };
  return {
    dir: dir.dir,
    pg,
    fresh,
    async stop() {
      await pg.stop();
      await dir.remove();
      await pgDir.remove();
    },
  };
}

export const STORE_NAMES = ['SQLite', 'PostgreSQL'] as const;
