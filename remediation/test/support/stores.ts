import { join } from 'node:path';
import { startPostgres, type RunningPostgres } from '@layerwatch/local';
import { afterAll, beforeAll } from 'vitest';
import type { ConfigInput } from '../../src/config/schema.js';
import { startBackend, type BackendStandIn } from './backend-standin.js';
import { tempDir, type Backends } from './service.js';

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

/**
 * For one test file: both stores and a backend stand-in (layer 4's agent), started before
 * its tests and stopped after them; `hold` as for `startBackend`.
 */
export function storesAndBackend(prefix: string, hold?: number) {
  let stores: Awaited<ReturnType<typeof startStores>> | undefined;
  let backend: BackendStandIn | undefined;
  beforeAll(async () => {
    stores = await startStores(prefix);
    backend = await startBackend(hold);
  });
  afterAll(async () => {
    await backend?.stop();
    await stores?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('read the stores and backend inside a test');
    return value;
  };
  return {
    get stores() {
      return started(stores);
    },
    get backend() {
      return started(backend);
    },
    /** The backend as remediation's one layer service. */
    get backends(): Backends {
      return { sim: { services: { agent: { url: started(backend).url, layer: '4' } } } };
    },
  };
}
