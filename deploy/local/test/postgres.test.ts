import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startPostgres, type PostgresOptions, type RunningPostgres } from '../src/index.js';
import {
  itStopsAndPicksItsOwnPort,
  localhostCert,
  servers,
  withTakenPort,
} from './support/servers.js';

const { tempDir, keep } = servers('pg');

async function start(options: Partial<PostgresOptions> = {}): Promise<RunningPostgres> {
  return keep(await startPostgres({ dataDir: await tempDir(), ...options }));
}

async function query(
  server: RunningPostgres,
  sql: string,
  password?: string,
  ssl: pg.ClientConfig['ssl'] = false,
): Promise<unknown[]> {
  const client = new pg.Client({
    host: server.host,
    port: server.port,
    user: server.user,
    database: server.database,
    ssl,
    ...(password === undefined ? {} : { password }),
  });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('startPostgres', () => {
  it('initialises a cluster and answers SELECT 1 as the default user', async () => {
    const server = await start();
    expect(server).toMatchObject({ host: '127.0.0.1', user: 'layerwatch', database: 'postgres' });
    expect(await query(server, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('creates the requested database and requires the password', async () => {
    const server = await start({ user: 'app', password: 'pw 1', database: 'agents' });
    expect(server).toMatchObject({ user: 'app', database: 'agents', password: 'pw 1' });
    expect(await query(server, 'SELECT current_database() AS db', 'pw 1')).toEqual([
      { db: 'agents' },
    ]);
    await expect(query(server, 'SELECT 1', 'wrong')).rejects.toMatchObject({ code: '28P01' });
  });

  it('reuses an existing cluster, keeping its data', async () => {
    const dataDir = await tempDir();
    const first = await startPostgres({ dataDir, database: 'kept' });
    await query(first, "CREATE TABLE marker AS SELECT 'still here' AS note");
    await first.stop();
    const second = keep(await startPostgres({ dataDir, database: 'kept' }));
    expect(await query(second, 'SELECT note FROM marker')).toEqual([{ note: 'still here' }]);
  });

  it('turns TLS on when given a certificate', async () => {
    const server = await start({ tls: await localhostCert() });
    const sql = 'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()';
    expect(await query(server, sql, undefined, { rejectUnauthorized: false })).toEqual([
      { ssl: true },
    ]);
  });

  it('says so when the port it was given is taken', async () => {
    await withTakenPort(async (port) => {
      await expect(start({ port })).rejects.toThrow(
        /exited before it was ready:[\s\S]*already in use/,
      );
    });
  });

  itStopsAndPicksItsOwnPort(() => start());
});
