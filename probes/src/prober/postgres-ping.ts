import { once } from 'node:events';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { readTlsInfo, type TlsInfo } from './tls-series.js';
import { errorMessage } from '../util/errors.js';
import { classifySocketError } from './classify-error.js';
import type { FailureReason } from './failure-reason.js';
import type { HostPort } from './host-port.js';
import {
  PeerClosedError,
  ProtocolError,
  WireReader,
  errorFields,
  sslRequest,
  startupMessage,
} from './postgres-wire.js';
import type { ProbeLog } from './types.js';

/** pg_isready's exit codes, which are libpq's PQping results. */
export const PING_STATUS = { ready: 0, rejecting: 1, noResponse: 2, noAttempt: 3 } as const;

export type PingResult = (
  | { readonly status: typeof PING_STATUS.ready }
  | {
      readonly status: typeof PING_STATUS.rejecting | typeof PING_STATUS.noResponse;
      readonly reason: FailureReason;
      readonly message: string;
    }
) & {
  /** What the TLS handshake showed, when one completed: the certificate series come from it. */
  readonly tls?: TlsInfo | undefined;
};

export interface PingOptions {
  readonly address: HostPort;
  readonly user: string;
  readonly database: string | undefined;
  /** TLS options when the server must encrypt; undefined to speak in clear. */
  readonly tls: ConnectionOptions | undefined;
  readonly signal: AbortSignal;
  readonly log: ProbeLog;
}

/** SQLSTATE cannot_connect_now: starting up, shutting down or in crash recovery. */
const CANNOT_CONNECT_NOW = '57P03';

/** The peer refused TLS that the settings require. */
class TlsRefusedError extends Error {}

/**
 * PQping, as pg_isready runs it: send a startup message and read the first answer, without
 * logging in. An authentication request, or any error with a SQLSTATE other than 57P03
 * (bad password, unknown database, even too many connections), means the server is up.
 * Never throws.
 */
export async function pingPostgres(options: PingOptions): Promise<PingResult> {
  const { address, signal } = options;
  const sockets: Socket[] = [];
  let tls: TlsInfo | undefined;
  const destroyAll = () => sockets.forEach((socket) => socket.destroy());
  signal.addEventListener('abort', destroyAll, { once: true });
  try {
    const socket = track(sockets, netConnect({ host: address.host, port: address.port }));
    await once(socket, 'connect', { signal });
    options.log.debug(`connected to ${address.host}:${address.port}`);
    const secure = options.tls ? await startTls(socket, options, sockets) : undefined;
    if (secure) tls = readTlsInfo(secure);
    const stream = secure ?? socket;
    const reader = new WireReader(stream);
    const parameters: Record<string, string> = { user: options.user };
    if (options.database !== undefined) parameters['database'] = options.database;
    stream.write(startupMessage(parameters));
    return { ...(await readFirstAnswer(reader, options.log)), tls };
  } catch (error) {
    const reason = failureReason(error, signal);
    return { status: PING_STATUS.noResponse, reason, message: errorMessage(error), tls };
  } finally {
    signal.removeEventListener('abort', destroyAll);
    destroyAll();
  }
}

async function readFirstAnswer(reader: WireReader, log: ProbeLog): Promise<PingResult> {
  // Notices and a protocol-version negotiation may come first; an answer comes soon after.
  for (let skipped = 0; skipped < 8; skipped += 1) {
    const { type, payload } = await reader.readMessage();
    if (type === 'R') {
      if (payload.length < 4) {
        throw new ProtocolError('not PostgreSQL: a short authentication request');
      }
      log.debug(
        `server asked for authentication (method ${payload.readInt32BE(0)}): accepting connections`,
      );
      return { status: PING_STATUS.ready };
    }
    if (type === 'E') return fromError(errorFields(payload), log);
    if (type !== 'N' && type !== 'v') {
      throw new ProtocolError(
        `not PostgreSQL: expected an authentication request, got message ${JSON.stringify(type)}`,
      );
    }
  }
  throw new ProtocolError('no authentication request among the first messages');
}

function fromError(fields: Map<string, string>, log: ProbeLog): PingResult {
  const sqlstate = fields.get('C') ?? '';
  const message = `${fields.get('M') ?? 'no message'} (SQLSTATE ${sqlstate || 'missing'})`;
  if (sqlstate.length !== 5) {
    // libpq too calls an error without SQLSTATE "no response": no modern server sends one.
    return {
      status: PING_STATUS.noResponse,
      reason: 'protocol',
      message: `error without SQLSTATE: ${message}`,
    };
  }
  if (sqlstate === CANNOT_CONNECT_NOW) {
    return { status: PING_STATUS.rejecting, reason: 'rejecting', message };
  }
  log.debug(`server answered ${message}: it is up and accepting connections`);
  return { status: PING_STATUS.ready };
}

async function startTls(
  socket: Socket,
  options: PingOptions,
  sockets: Socket[],
): Promise<TLSSocket> {
  const reader = new WireReader(socket);
  socket.write(sslRequest());
  const answer = String.fromCharCode(await reader.readByte());
  const unread = reader.detach();
  if (answer === 'N') {
    throw new TlsRefusedError('the server does not accept TLS (it answered N to SSLRequest)');
  }
  if (answer !== 'S') {
    throw new ProtocolError(`not PostgreSQL: SSLRequest answered ${JSON.stringify(answer)}`);
  }
  // Bytes before the handshake would be read as if encrypted (CVE-2021-23222): refuse them.
  if (unread.length > 0) throw new ProtocolError('the server sent data before the TLS handshake');
  const { host } = options.address;
  const secure = track(
    sockets,
    tlsConnect({ ...(isIP(host) ? {} : { servername: host }), ...options.tls, host, socket }),
  );
  await once(secure, 'secureConnect', { signal: options.signal });
  options.log.debug(`TLS established (${secure.getProtocol() ?? 'unknown version'})`);
  return secure;
}

function track<S extends Socket>(sockets: Socket[], socket: S): S {
  // Errors reach the ping through `once` and the reader; this keeps a late one from crashing.
  socket.on('error', () => undefined);
  sockets.push(socket);
  return socket;
}

function failureReason(error: unknown, signal: AbortSignal): FailureReason {
  if (signal.aborted) return 'timeout';
  if (error instanceof ProtocolError) return 'protocol';
  if (error instanceof PeerClosedError) return 'connection_reset';
  if (error instanceof TlsRefusedError) return 'tls';
  return classifySocketError(error, signal.aborted);
}
