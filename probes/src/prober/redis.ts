import type { ConnectionOptions, TLSSocket } from 'node:tls';
import { Redis } from 'ioredis';
import type { RedisSettings } from '../config/redis-settings.js';
import type { SampleSink } from '../format/sample-sink.js';
import { errorCode, errorMessage } from '../util/errors.js';
import { classifySocketError } from './classify-error.js';
import type { FailureReason } from './failure-reason.js';
import { parseHostPort, type HostPort } from './host-port.js';
import { raceAbort } from './race-abort.js';
import { resolvePassword } from './resolve-password.js';
import { buildTlsOptions } from './tls-options.js';
import { readTlsInfo, writeTlsInfo, type TlsInfo } from './tls-series.js';
import { fail, succeeded, type ProbeContext, type ProbeOutcome, type Prober } from './types.js';

export interface PreparedRedis {
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly db: number;
  readonly queues: readonly string[];
  readonly tls: ConnectionOptions | undefined;
}

/** What one probe learnt; turned into series once, after it ends or times out. */
interface Findings {
  ping: boolean;
  /** What the TLS handshake showed, when the module speaks TLS and one completed. */
  tls?: TlsInfo;
  readonly lengths: Map<string, number>;
}

/**
 * Redis: a fresh connection per probe, AUTH when configured, PING expecting PONG, then
 * LLEN of each configured queue. The connection is closed whatever happens.
 */
export const redisProber: Prober<RedisSettings, PreparedRedis> = {
  name: 'redis',
  prepare: (settings) => ({
    username: settings.username,
    password: resolvePassword(settings),
    db: settings.db,
    queues: settings.queues,
    tls: settings.tls
      ? buildTlsOptions(settings.tls_config ?? { insecure_skip_verify: false })
      : undefined,
  }),
  probe: probeRedis,
};

async function probeRedis(ctx: ProbeContext<PreparedRedis>): Promise<ProbeOutcome> {
  const findings: Findings = { ping: false, lengths: new Map() };
  const address = parseHostPort(ctx.target, ['redis'], 6379);
  const outcome =
    typeof address === 'string'
      ? fail(ctx.log, 'invalid_target', address)
      : await raceAbort(ctx.signal, converse(ctx, address, findings), () =>
          fail(ctx.log, 'timeout', `no complete answer within ${ctx.timeoutMs} ms`),
        );
  writeSeries(ctx.metrics, ctx.settings.queues, findings);
  return outcome;
}

const HELP = {
  ping: 'Whether PING was answered with PONG',
  length: 'LLEN of a configured queue, when it could be read',
  read: 'Whether LLEN of a configured queue succeeded',
} as const;

function writeSeries(metrics: SampleSink, queues: readonly string[], findings: Findings): void {
  if (findings.tls) writeTlsInfo(findings.tls, metrics);
  metrics.gauge('probe_redis_ping_success', HELP.ping, findings.ping ? 1 : 0);
  for (const queue of queues) {
    const length = findings.lengths.get(queue);
    if (length !== undefined) {
      metrics.gauge('probe_redis_queue_length', HELP.length, length, { queue });
    }
    const read = length === undefined ? 0 : 1;
    metrics.gauge('probe_redis_queue_read_success', HELP.read, read, { queue });
  }
}

async function converse(
  ctx: ProbeContext<PreparedRedis>,
  address: HostPort,
  findings: Findings,
): Promise<ProbeOutcome> {
  const { settings, log, signal } = ctx;
  const client = new Redis({
    host: address.host,
    port: address.port,
    lazyConnect: true,
    connectTimeout: ctx.timeoutMs,
    // Fail fast and once: no retries, no reconnects, no queueing while disconnected.
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    reconnectOnError: null,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    // Plain RESP2 and no extra round trips (HELLO, INFO, CLIENT SETINFO): the probe sends
    // exactly the commands it reports on, so every failure belongs to one of them.
    protocol: 2,
    enableReadyCheck: false,
    disableClientInfo: true,
    ...(settings.tls ? { tls: settings.tls } : {}),
  });
  // Socket and parser errors reach only the 'error' event; commands just see "Connection is closed".
  let clientError: Error | undefined;
  client.on('error', (error: Error) => {
    clientError ??= error;
    log.debug(`redis client error: ${error.message}`);
  });
  const disconnect = () => client.disconnect();
  signal.addEventListener('abort', disconnect, { once: true });
  try {
    await client.connect();
    log.debug(`connected to ${address.host}:${address.port}`);
    // A fresh connection per probe, never a resumed session: the certificate is always there.
    if (settings.tls) findings.tls = readTlsInfo(client.stream as TLSSocket);
    await authenticate(client, settings);
    if (settings.db !== 0) await step('SELECT', 'query', () => client.select(settings.db));
    const pong = await step('PING', 'expect_mismatch', () => client.ping());
    if (pong !== 'PONG') {
      return fail(log, 'expect_mismatch', `PING answered ${JSON.stringify(pong)}, expected PONG`);
    }
    findings.ping = true;
    log.debug('PING answered PONG');
    return await readQueues(client, ctx, findings);
  } catch (error) {
    // At the deadline the race above has already reported the timeout.
    if (signal.aborted) return { success: false, reason: 'timeout' };
    return fail(log, failureReason(error, clientError), describe(error, clientError));
  } finally {
    signal.removeEventListener('abort', disconnect);
    client.disconnect();
  }
}

async function authenticate(client: Redis, settings: PreparedRedis): Promise<void> {
  const { username, password } = settings;
  if (password === undefined) return;
  await step('AUTH', 'auth', () =>
    username === undefined ? client.auth(password) : client.auth(username, password),
  );
}

async function readQueues(
  client: Redis,
  ctx: ProbeContext<PreparedRedis>,
  findings: Findings,
): Promise<ProbeOutcome> {
  const queues = ctx.settings.queues;
  // Sent together, so a long list of queues costs one round trip.
  const results = await Promise.allSettled(queues.map((queue) => client.llen(queue)));
  const failed: string[] = [];
  results.forEach((result, index) => {
    const queue = queues[index] ?? '';
    if (result.status === 'fulfilled') {
      findings.lengths.set(queue, result.value);
      ctx.log.debug(`LLEN ${queue} = ${result.value}`);
    } else if (isReplyError(result.reason)) {
      failed.push(`${queue} (${result.reason.message})`);
    } else {
      throw result.reason;
    }
  });
  return failed.length === 0
    ? succeeded
    : fail(ctx.log, 'query', `LLEN failed for ${failed.join(', ')}`);
}

/** A command's error reply, turned into the failure it means for that command. */
class StepFailure extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
  ) {
    super(message);
  }
}

async function step<T>(command: string, reason: FailureReason, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!isReplyError(error)) throw error;
    throw new StepFailure(
      replyReason(error.message, reason),
      `${command} answered ${error.message}`,
    );
  }
}

function replyReason(reply: string, fallback: FailureReason): FailureReason {
  if (/^(NOAUTH|WRONGPASS)\b/.test(reply)) return 'auth';
  if (/^LOADING\b/.test(reply)) return 'rejecting'; // up, but still loading its dataset
  return fallback;
}

function isReplyError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'ReplyError';
}

function failureReason(error: unknown, clientError: Error | undefined): FailureReason {
  if (error instanceof StepFailure) return error.reason;
  // Socket errors carry a code; the RESP decoder's "Unknown RESP type" has none.
  if (clientError) return errorCode(clientError) ? classifySocketError(clientError) : 'protocol';
  return 'connection_reset'; // closed by the server without an error
}

function describe(error: unknown, clientError: Error | undefined): string {
  const message = errorMessage(error);
  return clientError && clientError !== error ? `${message} (${clientError.message})` : message;
}
