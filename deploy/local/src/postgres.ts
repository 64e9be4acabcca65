import { mkdir } from 'node:fs/promises';
import pg from 'pg';
import { findPostgresBinary } from './postgres-binary.js';
import { initCluster } from './postgres-init.js';
import { installTls } from './postgres-tls.js';
import { handOver, postgresOwner } from './postgres-owner.js';
import type { LogFn, PemPair, RunningServer } from './running-server.js';
import { ServerProcess } from './server-process.js';
import { STOP_GRACE_MS, onPort, waitReady } from './wait-ready.js';

export interface PostgresOptions {
  readonly dataDir: string;
  /** @default a free port */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** The cluster's superuser. @default 'layerwatch' */
  readonly user?: string;
  /** Without one, every login is trusted; with one, every login needs it. */
  readonly password?: string;
  /** Created when missing. @default 'postgres' */
  readonly database?: string;
  /** Turns TLS on with this certificate; clients may still connect without. */
  readonly tls?: PemPair;
  readonly log?: LogFn;
}

export interface RunningPostgres extends RunningServer {
  readonly user: string;
  readonly database: string;
  readonly password?: string;
}

const READY_TIMEOUT_MS = 30_000;

/**
 * Starts a PostgreSQL server on `dataDir`, running initdb first when the directory holds no
 * cluster. Resolves once `SELECT 1` succeeds and the database exists.
 */
export async function startPostgres(options: PostgresOptions): Promise<RunningPostgres> {
  const postgres = findPostgresBinary('postgres');
  const host = options.host ?? '127.0.0.1';
  const user = options.user ?? 'layerwatch';
  const { dataDir, password, log } = options;
  const owner = postgresOwner();
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await handOver(dataDir, owner);
  await initCluster({ dataDir, user, password, owner, log });
  const tlsArgs = options.tls ? await installTls(dataDir, options.tls, owner) : [];
  return onPort(options.port, host, async (port) => {
    // The socket lives in the data dir: /var/run/postgresql may not exist or be ours.
    const args = ['-D', dataDir, '-p', String(port), '-k', dataDir];
    args.push('-c', `listen_addresses=${host}`, ...tlsArgs);
    const server = new ServerProcess(`postgres on ${host}:${port}`, postgres, args, {
      log,
      cwd: dataDir,
      ...owner,
    });
    const login = { host, port, user, password };
    // SIGINT is PostgreSQL's fast shutdown: clients are disconnected, nothing is lost.
    await waitReady(server, () => selectsOne(login), {
      timeoutMs: READY_TIMEOUT_MS,
      stopSignal: 'SIGINT',
    });
    const database = options.database ?? 'postgres';
    await createDatabase(login, database);
    return {
      host,
      port,
      dataDir,
      user,
      database,
      ...(password === undefined ? {} : { password }),
      stop: () => server.stop('SIGINT', STOP_GRACE_MS),
    };
  });
}

interface Login {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string | undefined;
}

// Login refusals that waiting will not fix: fail at once instead of at the timeout.
const DEFINITIVE = new Set(['28P01', '28000', '3D000']);

async function selectsOne(login: Login): Promise<boolean> {
  try {
    await withClient(login, (client) => client.query('SELECT 1'));
    return true;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && DEFINITIVE.has(code)) {
      throw new Error(`PostgreSQL refused ${login.user}: ${(error as Error).message}`);
    }
    return false; // still starting (57P03) or not listening yet
  }
}

async function createDatabase(login: Login, database: string): Promise<void> {
  await withClient(login, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0)
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  });
}

async function withClient<T>(login: Login, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    host: login.host,
    port: login.port,
    user: login.user,
    database: 'postgres',
    connectionTimeoutMillis: 2000,
    ...(login.password === undefined ? {} : { password: login.password }),
  });
  // An 'error' event (server shut down under us) must not crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
