import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findOnPath, missingBinaryError } from './find-binary.js';
import { redisCommands } from './redis-command.js';
import type { LogFn, PemPair, RunningServer } from './running-server.js';
import { ServerProcess } from './server-process.js';
import { STOP_GRACE_MS, onPort, waitReady } from './wait-ready.js';

export interface RedisOptions {
  readonly dataDir: string;
  /** @default a free port */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Sets `requirepass`: clients must AUTH. */
  readonly password?: string;
  /** Serve TLS only, with this certificate, on `port`; clients need no certificate. */
  readonly tls?: PemPair;
  readonly log?: LogFn;
}

const READY_TIMEOUT_MS = 15_000;

/** Starts Debian's `redis-server` without persistence; resolves once it answers PING. */
export async function startRedis(options: RedisOptions): Promise<RunningServer> {
  const binary = findOnPath('redis-server');
  if (!binary) throw missingBinaryError('redis-server', 'on PATH', 'redis-server');
  const host = options.host ?? '127.0.0.1';
  const { dataDir, password, tls } = options;
  await mkdir(dataDir, { recursive: true });
  const tlsArgs = tls ? await installTls(dataDir, tls) : [];
  return onPort(options.port, host, async (port) => {
    const args = [...listenArgs(host, port, tls !== undefined), '--dir', dataDir, ...tlsArgs];
    // No RDB or AOF: test servers start empty and leave nothing behind but their dir.
    args.push('--save', '', '--appendonly', 'no', '--daemonize', 'no');
    if (password !== undefined) args.push('--requirepass', password);
    const server = new ServerProcess(`redis-server on ${host}:${port}`, binary, args, {
      log: options.log,
      cwd: dataDir,
    });
    const answersPing = async () => {
      const commands = password === undefined ? [['PING']] : [['AUTH', password], ['PING']];
      const replies = await redisCommands(host, port, commands, { tls: tls !== undefined });
      return replies.at(-1) === '+PONG';
    };
    await waitReady(server, () => answersPing().catch(() => false), {
      timeoutMs: READY_TIMEOUT_MS,
      stopSignal: 'SIGTERM',
    });
    return { host, port, dataDir, stop: () => server.stop('SIGTERM', STOP_GRACE_MS) };
  });
}

function listenArgs(host: string, port: number, tls: boolean): string[] {
  // `--port 0` turns the plain listener off, so a TLS server has one port only.
  const ports = tls ? ['--port', '0', '--tls-port', String(port)] : ['--port', String(port)];
  return [...ports, '--bind', host];
}

async function installTls(dataDir: string, pair: PemPair): Promise<string[]> {
  const cert = join(dataDir, 'tls.crt');
  const key = join(dataDir, 'tls.key');
  await writeFile(cert, pair.cert);
  await writeFile(key, pair.key, { mode: 0o600 });
  return ['--tls-cert-file', cert, '--tls-key-file', key, '--tls-auth-clients', 'no'];
}
