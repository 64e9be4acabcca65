import { mkdir } from 'node:fs/promises';
import { findOnPath, missingBinaryError } from './find-binary.js';
import { redisCommands } from './redis-command.js';
import type { LogFn, RunningServer } from './running-server.js';
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
  readonly log?: LogFn;
}

const READY_TIMEOUT_MS = 15_000;

/** Starts Debian's `redis-server` without persistence; resolves once it answers PING. */
export async function startRedis(options: RedisOptions): Promise<RunningServer> {
  const binary = findOnPath('redis-server');
  if (!binary) throw missingBinaryError('redis-server', 'on PATH', 'redis-server');
  const host = options.host ?? '127.0.0.1';
  await mkdir(options.dataDir, { recursive: true });
  return onPort(options.port, host, async (port) => {
    const server = new ServerProcess(
      `redis-server on ${host}:${port}`,
      binary,
      redisArgs(options, host, port),
      {
        log: options.log,
        cwd: options.dataDir,
      },
    );
    await waitReady(server, () => answersPing(host, port, options.password), {
      timeoutMs: READY_TIMEOUT_MS,
      stopSignal: 'SIGTERM',
    });
    return {
      host,
      port,
      dataDir: options.dataDir,
      stop: () => server.stop('SIGTERM', STOP_GRACE_MS),
    };
  });
}

function redisArgs(options: RedisOptions, host: string, port: number): string[] {
  const args = ['--port', String(port), '--bind', host, '--dir', options.dataDir];
  // No RDB or AOF: test servers start empty and leave nothing behind but their dir.
  args.push('--save', '', '--appendonly', 'no', '--daemonize', 'no');
  if (options.password !== undefined) args.push('--requirepass', options.password);
  return args;
}

async function answersPing(host: string, port: number, password?: string): Promise<boolean> {
  const commands = password === undefined ? [['PING']] : [['AUTH', password], ['PING']];
  try {
    const replies = await redisCommands(host, port, commands);
    return replies.at(-1) === '+PONG';
  } catch {
    return false; // not listening yet
  }
}
