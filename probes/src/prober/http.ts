import { performance } from 'node:perf_hooks';
import type { HttpSettings } from '../config/http-settings.js';
import { classifySocketError } from './classify-error.js';
import { HttpExchange, type ExchangeRules } from './http-exchange.js';
import {
  cachedTargetParser,
  requestUrl,
  type RequestTemplate,
  type RequestUrl,
} from './http-target.js';
import { HttpConnectionPool, type PooledConnection } from './http-pool.js';
import { newHttpProbeState, writeHttpSeries, type HttpProbeState } from './http-series.js';
import { checkJsonAssertion, parseJsonAssertion, type JsonAssertion } from './json-assertion.js';
import { buildTlsOptions } from './tls-options.js';
import { writeTlsInfo } from './tls-series.js';
import {
  fail,
  SettingsError,
  succeeded,
  type ProbeContext,
  type ProbeOutcome,
  type Prober,
} from './types.js';
import { errorMessage } from '../util/errors.js';

export interface PreparedHttp {
  readonly settings: HttpSettings;
  readonly pool: HttpConnectionPool;
  readonly validStatus: (code: number) => boolean;
  readonly mustMatch: readonly RegExp[];
  readonly mustNotMatch: readonly RegExp[];
  readonly jsonAssertions: readonly JsonAssertion[];
  readonly rules: ExchangeRules;
  readonly request: RequestTemplate;
  /** Target string → URL, cached: scheduled targets repeat, and parsing shows in profiles. */
  readonly parseTarget: (target: string) => RequestUrl | undefined;
}

export const httpProber: Prober<HttpSettings, PreparedHttp> = {
  name: 'http',
  prepare: prepareHttp,
  probe: probeHttp,
  // Every await is an exchange's `done`, which settles past the deadline even if undici
  // never calls back (SETTLE_GRACE_MS), and the deadline is checked before each request.
  settlesAtDeadline: true,
  close: (prepared) => prepared.pool.close(),
};

function prepareHttp(settings: HttpSettings): PreparedHttp {
  const codes = new Set(settings.valid_status_codes);
  const mustMatch = compileAll(
    settings.fail_if_body_not_matches_regexp,
    'fail_if_body_not_matches_regexp',
  );
  const mustNotMatch = compileAll(
    settings.fail_if_body_matches_regexp,
    'fail_if_body_matches_regexp',
  );
  const jsonAssertions = settings.json_assertions.map((source, index) => {
    try {
      return parseJsonAssertion(source);
    } catch (error) {
      throw new SettingsError(['json_assertions', index], errorMessage(error));
    }
  });
  const tls = settings.tls_config ? buildTlsOptions(settings.tls_config) : {};
  const request: RequestTemplate = {
    method: settings.method,
    headers: { 'user-agent': 'Layerwatch', ...lowerCaseKeys(settings.headers) },
    body: settings.body ?? null,
  };
  return {
    settings,
    pool: new HttpConnectionPool(tls, 10_000),
    validStatus: codes.size ? (code) => codes.has(code) : (code) => code >= 200 && code < 300,
    mustMatch,
    mustNotMatch,
    jsonAssertions,
    rules: {
      bodySizeLimit: settings.body_size_limit,
      needsBodyText: mustMatch.length + mustNotMatch.length + jsonAssertions.length > 0,
      followRedirects: settings.follow_redirects,
    },
    request,
    parseTarget: cachedTargetParser(request),
  };
}

/**
 * One async function and one awaited promise per request (`exchange.done`): the request and
 * its outcome are synchronous steps around it, so a probe allocates no promise chain.
 */
async function probeHttp(ctx: ProbeContext<PreparedHttp>): Promise<ProbeOutcome> {
  const state = newHttpProbeState();
  try {
    const prepared = ctx.settings;
    let url = prepared.parseTarget(ctx.target);
    if (!url)
      return fail(ctx.log, 'invalid_target', `"${ctx.target}" is not an http:// or https:// URL`);
    let retried = false;
    for (;;) {
      if (ctx.log.debugging && !retried) ctx.log.debug(`${prepared.settings.method} ${url.href}`);
      if (ctx.expired) return fail(ctx.log, 'timeout', `deadline passed before ${url.href}`);
      const connection = prepared.pool.acquire(url.origin);
      const exchange = send(ctx, connection, url);
      await exchange.done;
      const step = settleExchange(ctx, state, url, connection, exchange, !retried);
      if (step === RETRY) {
        retried = true;
        continue;
      }
      if (!(step instanceof HttpExchange)) return step;
      const next = nextHop(ctx, state, url, exchange);
      if (next === undefined) return checkResponse(ctx, state, exchange.text());
      if ('success' in next) return next;
      url = next;
      retried = false;
      if (ctx.log.debugging) ctx.log.debug(`redirected to ${url.href}`);
    }
  } finally {
    writeHttpSeries(state, ctx.metrics);
    // Of the final response only, as blackbox_exporter: one chain per probe, no duplicates.
    if (state.tls) writeTlsInfo(state.tls, ctx.metrics);
  }
}

/** A reused connection was closed under the request: send it once more on a new one. */
const RETRY = Symbol('retry');

/** The redirect to follow; undefined for the final response; the outcome when it must stop. */
function nextHop(
  ctx: ProbeContext<PreparedHttp>,
  state: HttpProbeState,
  url: RequestUrl,
  exchange: HttpExchange,
): RequestUrl | ProbeOutcome | undefined {
  const { settings } = ctx.settings;
  const { statusCode, location } = exchange;
  const redirect = statusCode >= 300 && statusCode < 400 && location !== undefined;
  // Counted even when not followed, as blackbox_exporter counts the redirect it refused.
  if (redirect) state.redirects += 1;
  if (!redirect || !settings.follow_redirects) return undefined;
  if (state.redirects > settings.max_redirects) {
    return fail(
      ctx.log,
      'redirect',
      `more than max_redirects (${settings.max_redirects}) redirects`,
    );
  }
  return requestUrl(new URL(location, url.href), ctx.settings.request);
}

/** Hands the request to undici on the checked-out connection; the deadline can cancel it. */
function send(
  ctx: ProbeContext<PreparedHttp>,
  connection: PooledConnection,
  url: RequestUrl,
): HttpExchange {
  connection.lastConnect = undefined;
  const exchange = new HttpExchange(ctx.settings.rules, connection.drop);
  ctx.onDeadline(exchange);
  exchange.sentAt = performance.now();
  connection.client.dispatch(url.request, exchange);
  return exchange;
}

/**
 * What one finished exchange means: the exchange itself when it ended cleanly (its
 * connection back in the pool), `RETRY`, or the failed outcome.
 */
function settleExchange(
  ctx: ProbeContext<PreparedHttp>,
  state: HttpProbeState,
  url: RequestUrl,
  connection: PooledConnection,
  exchange: HttpExchange,
  mayRetry: boolean,
): HttpExchange | ProbeOutcome | typeof RETRY {
  const { pool, settings } = ctx.settings;
  const { headersAt, endedAt, error, sentAt } = exchange;
  recordPhases(state, connection, sentAt, headersAt || endedAt);
  state.tls = connection.tls;
  pool.release(url.origin, connection, !error && !exchange.tooLarge);
  if (headersAt) {
    state.statusCode = exchange.statusCode;
    state.contentLength = exchange.contentLength;
    state.ssl = url.ssl;
    state.bodyBytes += exchange.bodyBytes;
    state.transferSeconds += (endedAt - headersAt) / 1000;
    const { lastModified } = exchange;
    if (lastModified !== undefined) {
      const parsed = Date.parse(lastModified);
      if (!Number.isNaN(parsed)) state.lastModifiedSeconds = parsed / 1000;
    }
    if (ctx.log.debugging) {
      ctx.log.debug(`status ${exchange.statusCode} after ${(headersAt - sentAt).toFixed(1)} ms`);
    }
  }
  if (exchange.tooLarge) {
    const limit = settings.body_size_limit;
    return fail(ctx.log, 'body_too_large', `body exceeds body_size_limit (${limit} bytes)`);
  }
  if (!error) return exchange;
  const reason = classifySocketError(error, ctx.expired);
  if (headersAt) return fail(ctx.log, reason, `reading body: ${errorMessage(error)}`);
  // A server may close an idle keep-alive connection just as we reuse it. That says
  // nothing about the target, so try once more on a new connection before failing.
  const reused = connection.lastConnect === undefined;
  if (reused && mayRetry && reason === 'connection_reset') {
    ctx.log.debug(`reused connection was closed (${errorMessage(error)}); retrying on a new one`);
    return RETRY;
  }
  return fail(ctx.log, reason, `request to ${url.href}: ${errorMessage(error)}`);
}

/** Adds this request's phases; a reused connection has no resolve/connect/tls time. */
function recordPhases(
  state: HttpProbeState,
  connection: PooledConnection,
  sentAt: number,
  headersAt: number,
): void {
  const connect = connection.lastConnect;
  state.remoteAddress = connection.remoteAddress ?? state.remoteAddress;
  if (!connect) {
    state.processingSeconds += (headersAt - sentAt) / 1000;
    return;
  }
  state.resolveSeconds += (connect.resolvedAt - connect.startedAt) / 1000;
  state.connectSeconds += (connect.connectedAt - connect.resolvedAt) / 1000;
  state.tlsSeconds += (connect.secureAt - connect.connectedAt) / 1000;
  state.processingSeconds += Math.max(0, headersAt - connect.secureAt) / 1000;
}

/** The module's rules on the final response: TLS use, status, body regexps, JSON fields. */
function checkResponse(
  ctx: ProbeContext<PreparedHttp>,
  state: HttpProbeState,
  text: string | undefined,
): ProbeOutcome {
  const prepared = ctx.settings;
  const { settings } = prepared;
  if (settings.fail_if_ssl && state.ssl)
    return fail(ctx.log, 'tls', 'final response used TLS (fail_if_ssl)');
  if (settings.fail_if_not_ssl && !state.ssl) {
    return fail(ctx.log, 'tls', 'final response did not use TLS (fail_if_not_ssl)');
  }
  if (!prepared.validStatus(state.statusCode)) {
    const valid = settings.valid_status_codes.length
      ? settings.valid_status_codes.join(', ')
      : '2xx';
    return fail(ctx.log, 'status_code', `status ${state.statusCode} is not valid (${valid})`);
  }
  const body = text ?? '';
  for (const regexp of prepared.mustNotMatch) {
    if (regexp.test(body)) {
      state.failedDueToRegex = true;
      return fail(
        ctx.log,
        'body_mismatch',
        `body matched ${regexp.source} (fail_if_body_matches_regexp)`,
      );
    }
  }
  for (const regexp of prepared.mustMatch) {
    if (!regexp.test(body)) {
      state.failedDueToRegex = true;
      return fail(ctx.log, 'body_mismatch', `body did not match ${regexp.source}`);
    }
  }
  if (prepared.jsonAssertions.length) return checkJson(ctx, body);
  return succeeded;
}

function checkJson(ctx: ProbeContext<PreparedHttp>, body: string): ProbeOutcome {
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch (error) {
    return fail(ctx.log, 'json_assertion', `body is not JSON: ${errorMessage(error)}`);
  }
  for (const assertion of ctx.settings.jsonAssertions) {
    const problem = checkJsonAssertion(assertion, document);
    if (problem) return fail(ctx.log, 'json_assertion', problem);
  }
  return succeeded;
}

function compileAll(sources: readonly string[], field: string): RegExp[] {
  return sources.map((source, index) => {
    try {
      return new RegExp(source);
    } catch (error) {
      const reason = errorMessage(error).replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
      throw new SettingsError([field, index], `invalid regular expression "${source}": ${reason}`);
    }
  });
}

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]),
  );
}
