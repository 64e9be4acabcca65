import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { generate } from 'selfsigned';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresOptions, type RunningPostgres } from '../src/index.js';

const started: RunningPostgres[] = [];
const dirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'layerwatch-pg-'));
  dirs.push(dir);
  return dir;
}

async function start(options: Partial<PostgresOptions> = {}): Promise<RunningPostgres> {
  const server = await startPostgres({ dataDir: await tempDir(), ...options });
  started.push(server);
  return server;
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

afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.stop()));
});

afterAll(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

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
    const second = await startPostgres({ dataDir, database: 'kept' });
    started.push(second);
    expect(await query(second, 'SELECT note FROM marker')).toEqual([{ note: 'still here' }]);
  });

  it('turns TLS on when given a certificate', async () => {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
    });
    const server = await start({ tls: { cert: pems.cert, key: pems.private } });
    const sql = 'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()';
    expect(await query(server, sql, undefined, { rejectUnauthorized: false })).toEqual([
      { ssl: true },
    ]);
  });

  it('says so when the port it was given is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      await expect(start({ port })).rejects.toThrow(
        /exited before it was ready:[\s\S]*already in use/,
      );
    } finally {
      blocker.close();
    }
  });

  it('frees its port on stop', async () => {
    const server = await start();
    await server.stop();
    await expect(connectOnce(server.host, server.port)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    await server.stop(); // a second stop is harmless
  });

  it('gives two servers started at once different ports', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    expect(a?.port).not.toBe(b?.port);
  });
});

function connectOnce(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port }, () => {
      socket.destroy();
      resolve();
    });
    socket.on('error', reject);
  });
}
