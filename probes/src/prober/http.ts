import { performance } from 'node:perf_hooks';
import type { HttpSettings } from '../config/http-settings.js';
import { classifySocketError } from './classify-error.js';
import { HttpExchange, type ExchangeRules } from './http-exchange.js';
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
  readonly headers: Record<string, string>;
  readonly mustMatch: readonly RegExp[];
  readonly mustNotMatch: readonly RegExp[];
  readonly jsonAssertions: readonly JsonAssertion[];
  readonly rules: ExchangeRules;
  /** Target string → URL, cached: scheduled targets repeat, and parsing shows in profiles. */
  readonly parseTarget: (target: string) => RequestUrl | undefined;
}

/**
 * Parsed targets kept: above any one daemon's scheduled targets (50,000 is measured), so
 * scheduled rounds never re-parse; the bound is for `/probe?target=`, which is open-ended.
 */
const MAX_CACHED_TARGETS = 100_000;

/**
 * A URL with what every request reads from it taken once (URL getters build strings). Only
 * strings, not the URL object, which costs about 1 KB of memory per cached target.
 */
interface RequestUrl {
  readonly href: string;
  readonly origin: string;
  readonly path: string;
  readonly ssl: boolean;
}

function requestUrl(url: URL): RequestUrl {
  const { href, origin, pathname, search, protocol } = url;
  return { href, origin, path: pathname + search, ssl: protocol === 'https:' };
}

export const httpProber: Prober<HttpSettings, PreparedHttp> = {
  name: 'http',
  prepare: prepareHttp,
  probe: probeHttp,
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
  return {
    settings,
    pool: new HttpConnectionPool(tls, 10_000),
    validStatus: codes.size ? (code) => codes.has(code) : (code) => code >= 200 && code < 300,
    headers: { 'user-agent': 'Layerwatch', ...lowerCaseKeys(settings.headers) },
    mustMatch,
    mustNotMatch,
    jsonAssertions,
    rules: {
      bodySizeLimit: settings.body_size_limit,
      needsBodyText: mustMatch.length + mustNotMatch.length + jsonAssertions.length > 0,
      followRedirects: settings.follow_redirects,
    },
    parseTarget: cachedTargetParser(),
  };
}

async function probeHttp(ctx: ProbeContext<PreparedHttp>): Promise<ProbeOutcome> {
  const state = newHttpProbeState();
  try {
    return await followRequests(ctx, state);
  } finally {
    writeHttpSeries(state, ctx.metrics);
    // Of the final response only, as blackbox_exporter: one chain per probe, no duplicates.
    if (state.tls) writeTlsInfo(state.tls, ctx.metrics);
  }
}

async function followRequests(
  ctx: ProbeContext<PreparedHttp>,
  state: HttpProbeState,
): Promise<ProbeOutcome> {
  const { settings } = ctx.settings;
  let url = ctx.settings.parseTarget(ctx.target);
  if (!url)
    return fail(ctx.log, 'invalid_target', `"${ctx.target}" is not an http:// or https:// URL`);
  for (;;) {
    if (ctx.log.debugging) ctx.log.debug(`${settings.method} ${url.href}`);
    const step = await exchangeOnce(ctx, state, url);
    if (!(step instanceof HttpExchange)) return step;
    const { statusCode, location } = step;
    const redirect = statusCode >= 300 && statusCode < 400 && location !== undefined;
    // Counted even when not followed, as blackbox_exporter counts the redirect it refused.
    if (redirect) state.redirects += 1;
    if (!redirect || !settings.follow_redirects) return checkResponse(ctx, state, step.text());
    if (state.redirects > settings.max_redirects) {
      return fail(
        ctx.log,
        'redirect',
        `more than max_redirects (${settings.max_redirects}) redirects`,
      );
    }
    url = requestUrl(new URL(location, url.href));
    if (ctx.log.debugging) ctx.log.debug(`redirected to ${url.href}`);
  }
}

/**
 * One request and its whole body on a pooled connection; the connection goes back to the
 * pool only when the exchange ended cleanly. Returns the exchange, or the failed outcome.
 */
async function exchangeOnce(
  ctx: ProbeContext<PreparedHttp>,
  state: HttpProbeState,
  url: RequestUrl,
  mayRetry = true,
): Promise<HttpExchange | ProbeOutcome> {
  const { pool, settings, headers, rules } = ctx.settings;
  if (ctx.expired) return fail(ctx.log, 'timeout', `deadline passed before ${url.href}`);
  const { origin } = url;
  const connection = pool.acquire(origin);
  connection.lastConnect = undefined;
  const exchange = new HttpExchange(rules, connection.drop);
  ctx.onDeadline(exchange);
  const sentAt = performance.now();
  connection.client.dispatch(
    { path: url.path, method: settings.method, headers, body: settings.body ?? null },
    exchange,
  );
  await exchange.done;
  const { headersAt, endedAt, error } = exchange;
  recordPhases(state, connection, sentAt, headersAt || endedAt);
  state.tls = connection.tls;
  const reusable = !error && !exchange.tooLarge;
  pool.release(origin, connection, reusable);
  if (headersAt) {
    state.statusCode = exchange.statusCode;
    state.contentLength = exchange.contentLength;
    state.ssl = url.ssl;
    state.bodyBytes += exchange.bodyBytes;
    state.transferSeconds += (endedAt - headersAt) / 1000;
    const lastModified =
      exchange.lastModified === undefined ? NaN : Date.parse(exchange.lastModified);
    if (!Number.isNaN(lastModified)) state.lastModifiedSeconds = lastModified / 1000;
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
    return exchangeOnce(ctx, state, url, false);
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

function cachedTargetParser(): (target: string) => RequestUrl | undefined {
  const cache = new Map<string, RequestUrl | undefined>();
  return (target) => {
    const cached = cache.get(target);
    if (cached !== undefined || cache.has(target)) return cached;
    if (cache.size >= MAX_CACHED_TARGETS) cache.clear();
    const parsed = parseTarget(target);
    const url = parsed && requestUrl(parsed);
    cache.set(target, url);
    return url;
  };
}

/** blackbox_exporter prepends `http://` to a target without a scheme; so do we. */
function parseTarget(target: string): URL | undefined {
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(target) ? target : `http://${target}`);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
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
