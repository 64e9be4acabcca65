import type { ConnectionOptions } from 'node:tls';
import type { PostgresSettings } from '../config/postgres-settings.js';
import { parseHostPort, type HostPort } from './host-port.js';
import { PING_STATUS, pingPostgres } from './postgres-ping.js';
import { queryPostgres } from './postgres-query.js';
import { raceAbort } from './race-abort.js';
import { resolvePassword } from './resolve-password.js';
import { buildTlsOptions } from './tls-options.js';
import { writeTlsInfo, type TlsInfo } from './tls-series.js';
import { fail, succeeded, type ProbeContext, type ProbeOutcome, type Prober } from './types.js';

export interface PreparedPostgres {
  readonly user: string;
  readonly database: string | undefined;
  readonly password: string | undefined;
  readonly query: boolean;
  /** Undefined when `tls: disable`. */
  readonly tls: ConnectionOptions | undefined;
}

type PingStatus = (typeof PING_STATUS)[keyof typeof PING_STATUS];

/** What one probe learnt; turned into series once, after it ends or times out. */
interface Findings {
  pingStatus: PingStatus;
  querySucceeded: boolean;
  tls: TlsInfo | undefined;
}

/**
 * PostgreSQL: pg_isready's ping (a startup message, no login), then, with `query: true`,
 * a login and `SELECT 1`. Ready means accepting connections, whether or not our
 * credentials are good; the query is what checks those.
 */
export const postgresProber: Prober<PostgresSettings, PreparedPostgres> = {
  name: 'postgres',
  prepare: (settings) => ({
    user: settings.user,
    database: settings.database,
    password: resolvePassword(settings),
    query: settings.query,
    tls: tlsOptions(settings),
  }),
  probe: probePostgres,
};

function tlsOptions(settings: PostgresSettings): ConnectionOptions | undefined {
  if (settings.tls === 'disable') return undefined;
  const options = buildTlsOptions(settings.tls_config ?? { insecure_skip_verify: false });
  // libpq's sslmode=require: encrypted, but neither the certificate nor the name is checked.
  return settings.tls === 'require' ? { ...options, rejectUnauthorized: false } : options;
}

async function probePostgres(ctx: ProbeContext<PreparedPostgres>): Promise<ProbeOutcome> {
  const findings: Findings = {
    pingStatus: PING_STATUS.noResponse,
    querySucceeded: false,
    tls: undefined,
  };
  const address = parseHostPort(ctx.target, ['postgres', 'postgresql'], 5432);
  let outcome: ProbeOutcome;
  if (typeof address === 'string') {
    findings.pingStatus = PING_STATUS.noAttempt;
    outcome = fail(ctx.log, 'invalid_target', address);
  } else {
    outcome = await raceAbort(ctx.signal, check(ctx, address, findings), () =>
      fail(ctx.log, 'timeout', `no answer within ${ctx.timeoutMs} ms`),
    );
  }
  writeSeries(ctx, findings);
  return outcome;
}

async function check(
  ctx: ProbeContext<PreparedPostgres>,
  address: HostPort,
  findings: Findings,
): Promise<ProbeOutcome> {
  const { settings, signal, log } = ctx;
  const startedAt = Date.now();
  const common = {
    address,
    user: settings.user,
    database: settings.database,
    tls: settings.tls,
    signal,
  };
  const ping = await pingPostgres({ ...common, log });
  findings.pingStatus = ping.status;
  findings.tls = ping.tls;
  // At the deadline the race above has already reported the timeout.
  if (signal.aborted) return { success: false, reason: 'timeout' };
  if (ping.status !== PING_STATUS.ready) return fail(log, ping.reason, ping.message);
  if (!settings.query) return succeeded;
  const query = await queryPostgres({
    ...common,
    password: settings.password,
    timeoutMs: ctx.timeoutMs - (Date.now() - startedAt),
  });
  findings.querySucceeded = query.ok;
  if (signal.aborted) return { success: false, reason: 'timeout' };
  if (!query.ok) return fail(log, query.reason, query.message);
  log.debug(`logged in as ${settings.user} and ran SELECT 1`);
  return succeeded;
}

function writeSeries(ctx: ProbeContext<PreparedPostgres>, findings: Findings): void {
  const { metrics } = ctx;
  metrics.gauge(
    'probe_postgres_ping_status',
    "pg_isready's exit code: 0 accepting connections, 1 rejecting, 2 no response, 3 no attempt",
    findings.pingStatus,
  );
  metrics.gauge(
    'probe_postgres_ready',
    'Whether the server accepts connections (pg_isready exit code 0)',
    findings.pingStatus === PING_STATUS.ready ? 1 : 0,
  );
  // The ping's own handshake: a fresh connection per probe, so never a resumed session.
  if (findings.tls) writeTlsInfo(findings.tls, metrics);
  if (ctx.settings.query) {
    metrics.gauge(
      'probe_postgres_query_success',
      'Whether logging in and SELECT 1 succeeded',
      findings.querySucceeded ? 1 : 0,
    );
  }
}
