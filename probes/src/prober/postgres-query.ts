import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import { errorCode, errorMessage } from '../util/errors.js';
import { classifySocketError } from './classify-error.js';
import type { FailureReason } from './failure-reason.js';
import type { HostPort } from './host-port.js';

export type QueryResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: FailureReason; readonly message: string };

export interface QueryOptions {
  readonly address: HostPort;
  readonly user: string;
  readonly database: string | undefined;
  readonly password: string | undefined;
  readonly tls: ConnectionOptions | undefined;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

/** Logs in and runs `SELECT 1`; the client is always ended. Never throws. */
export async function queryPostgres(options: QueryOptions): Promise<QueryResult> {
  const timeoutMs = Math.max(1, Math.ceil(options.timeoutMs));
  const client = new pg.Client({
    host: options.address.host,
    port: options.address.port,
    user: options.user,
    ...(options.database === undefined ? {} : { database: options.database }),
    ...(options.password === undefined ? {} : { password: options.password }),
    ssl: options.tls ?? false,
    connectionTimeoutMillis: timeoutMs,
    statement_timeout: timeoutMs,
    application_name: 'layerwatch-probe',
  });
  // A server going away mid-probe emits 'error'; the pending call reports it.
  client.on('error', () => undefined);
  // end() on a client still connecting destroys its socket, so connect() rejects at once.
  const end = () => void client.end().catch(() => undefined);
  options.signal.addEventListener('abort', end, { once: true });
  try {
    await client.connect();
    const result = await client.query<{ one: number }>('SELECT 1 AS one');
    if (result.rows[0]?.one !== 1) {
      return {
        ok: false,
        reason: 'query',
        message: `SELECT 1 returned ${JSON.stringify(result.rows)}`,
      };
    }
    return { ok: true };
  } catch (error) {
    return {
      ok: false,
      reason: failureReason(error, options.signal),
      message: errorMessage(error),
    };
  } finally {
    options.signal.removeEventListener('abort', end);
    await client.end().catch(() => undefined);
  }
}

function failureReason(error: unknown, signal: AbortSignal): FailureReason {
  if (signal.aborted) return 'timeout';
  if (error instanceof pg.DatabaseError) {
    const sqlstate = error.code ?? '';
    if (sqlstate.startsWith('28')) return 'auth'; // invalid password, no pg_hba.conf entry
    if (sqlstate === '57P03') return 'rejecting';
    return 'query';
  }
  const message = errorMessage(error);
  // pg's own errors carry no code: a password the server wants but we lack, its timeout.
  if (!errorCode(error)) {
    if (/password/i.test(message)) return 'auth';
    if (/timeout/i.test(message)) return 'timeout';
    if (/terminated|closed/i.test(message)) return 'connection_reset';
    if (/SSL/.test(message)) return 'tls';
  }
  return classifySocketError(error, signal.aborted);
}
