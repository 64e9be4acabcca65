import { lookup } from 'node:dns/promises';
import { ipAddressHash } from '../util/ip-hash.js';
import { once } from 'node:events';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, createSecureContext, type ConnectionOptions } from 'node:tls';
import { classifySocketError } from './classify-error.js';
import { LineReader } from './line-reader.js';
import { buildTlsOptions } from './tls-options.js';
import { writeTlsSeries } from './tls-series.js';
import { fail, SettingsError, succeeded } from './types.js';
import type { Prober, ProbeContext, ProbeOutcome } from './types.js';
import type { TcpQueryStep, TcpSettings } from '../config/tcp-settings.js';
import type { TlsSettings } from '../config/tls-settings.js';
import { errorMessage } from '../util/errors.js';

/** How much one `expect` step reads before giving up: a flooding peer must not fill memory. */
export const MAX_EXPECT_BYTES = 1024 * 1024;

export interface PreparedStep {
  readonly expect?: RegExp;
  readonly send?: string;
  readonly starttls: boolean;
}

export interface PreparedTcp {
  readonly tls: boolean;
  /** Holds a ready `secureContext`, so a probe never parses PEM again. */
  readonly tlsOptions: ConnectionOptions;
  readonly family: 4 | 6;
  readonly steps: readonly PreparedStep[];
}

const DEFAULT_TLS: TlsSettings = { insecure_skip_verify: false };
// blackbox_exporter's Go regexps set flags inline, `(?i)^+ok`; JavaScript takes them apart.
const INLINE_FLAGS = /^\(\?([ims]+)\)/;
const TARGET = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:/[\]@]+)):(\d{1,5})$/;

function compile(source: string, index: number): RegExp {
  const inline = INLINE_FLAGS.exec(source);
  const flags = [...new Set(inline?.[1] ?? '')].join('');
  try {
    return new RegExp(inline ? source.slice(inline[0].length) : source, flags);
  } catch (error) {
    const message = errorMessage(error);
    throw new SettingsError(
      ['query_response', index, 'expect'],
      `invalid regular expression "${source}": ${message.slice(message.lastIndexOf(': ') + 2)}`,
    );
  }
}

function prepareStep(step: TcpQueryStep, index: number): PreparedStep {
  return {
    starttls: step.starttls,
    ...(step.expect !== undefined && { expect: compile(step.expect, index) }),
    ...(step.send !== undefined && { send: step.send }),
  };
}

function prepareTls(settings: TcpSettings): ConnectionOptions {
  const used = settings.tls || settings.query_response.some((step) => step.starttls);
  if (!used && settings.tls_config === undefined) return {};
  try {
    const options = buildTlsOptions(settings.tls_config ?? DEFAULT_TLS);
    return { ...options, secureContext: createSecureContext(options) };
  } catch (error) {
    // An unreadable file comes named by buildTlsOptions; a bad PEM or key from OpenSSL.
    if (error instanceof SettingsError) throw error;
    throw new SettingsError(['tls_config'], `cannot load TLS settings: ${errorMessage(error)}`);
  }
}

function parseTarget(target: string): { host: string; port: number } | undefined {
  const match = TARGET.exec(target);
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (host === undefined || !(port >= 1 && port <= 65_535)) return undefined;
  return { host, port };
}

// SNI and the certificate's name check use the target's host name; an IP goes unnamed.
function serverName(host: string): ConnectionOptions {
  return isIP(host) === 0 ? { servername: host } : {};
}

/** Settles with `promise`, or rejects as soon as `signal` aborts (for what takes no signal). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Go's `Regexp.Expand` for `send`: `${1}`, `$1`, `${name}`, `$$`; unknown groups are empty. */
function expand(template: string, match: RegExpExecArray): string {
  return template.replace(/\$(?:\$|\{(\w+)\}|(\w+))/g, (whole, braced?: string, bare?: string) => {
    if (whole === '$$') return '$';
    const name = braced ?? bare ?? '';
    return (/^\d+$/.test(name) ? match[Number(name)] : match.groups?.[name]) ?? '';
  });
}

function preview(line: string): string {
  return line.length > 200 ? `${JSON.stringify(line.slice(0, 200))}…` : JSON.stringify(line);
}

/** What one probe holds; `phase` names where a failure happened, for the log. */
interface Probe {
  readonly ctx: ProbeContext<PreparedTcp>;
  readonly sockets: Socket[];
  phase: string;
  failedDueToRegex: number;
}

interface Connection {
  readonly socket: Socket;
  readonly reader: LineReader;
}

async function resolve(probe: Probe, host: string): Promise<{ address: string; family: number }> {
  const { ctx } = probe;
  probe.phase = `resolving ${host}`;
  const started = performance.now();
  try {
    const found = await abortable(lookup(host, { all: true }), ctx.signal);
    // As blackbox_exporter's default ip_protocol_fallback: the other family if need be.
    const chosen = found.find((entry) => entry.family === ctx.settings.family) ?? found[0];
    if (chosen === undefined) throw Object.assign(new Error('no address'), { code: 'ENOTFOUND' });
    ctx.log.debug(`resolved ${host} to ${chosen.address}`);
    ctx.metrics.gauge(
      'probe_ip_protocol',
      'Specifies whether probe ip protocol is IP4 or IP6',
      chosen.family,
    );
    ctx.metrics.gauge(
      'probe_ip_addr_hash',
      "Specifies the hash of IP address. It's useful to detect if the IP address changes.",
      ipAddressHash(chosen.address),
    );
    return chosen;
  } finally {
    const seconds = (performance.now() - started) / 1000;
    ctx.metrics.gauge(
      'probe_dns_lookup_time_seconds',
      'Returns the time taken for probe dns lookup in seconds',
      seconds,
    );
  }
}

async function connect(probe: Probe, host: string, port: number): Promise<Connection> {
  const { ctx } = probe;
  const { address } = await resolve(probe, host);
  probe.phase = `connecting to ${address}:${port}`;
  if (ctx.settings.tls) {
    const options = { ...serverName(host), ...ctx.settings.tlsOptions, host: address, port };
    const socket = track(probe, tlsConnect(options));
    await once(socket, 'secureConnect', { signal: ctx.signal });
    ctx.log.debug(`connected to ${address}:${port} with ${socket.getProtocol() ?? 'TLS'}`);
    writeTlsSeries(socket, ctx.metrics);
    return { socket, reader: new LineReader(socket, ctx.signal) };
  }
  const socket = track(probe, netConnect({ host: address, port }));
  await once(socket, 'connect', { signal: ctx.signal });
  ctx.log.debug(`connected to ${address}:${port}`);
  return { socket, reader: new LineReader(socket, ctx.signal) };
}

function track<S extends Socket>(probe: Probe, socket: S): S {
  // Errors reach the probe through the reader and `once`; this only keeps one that comes
  // while nobody waits from crashing the process.
  socket.on('error', () => {});
  probe.sockets.push(socket);
  return socket;
}

async function startTls(probe: Probe, from: Connection, host: string): Promise<Connection> {
  const { ctx } = probe;
  from.reader.detach();
  const socket = track(
    probe,
    tlsConnect({
      ...serverName(host),
      ...ctx.settings.tlsOptions,
      host: from.socket.remoteAddress ?? host,
      socket: from.socket,
    }),
  );
  await once(socket, 'secureConnect', { signal: ctx.signal });
  ctx.log.debug('upgraded the connection to TLS');
  writeTlsSeries(socket, ctx.metrics);
  return { socket, reader: new LineReader(socket, ctx.signal) };
}

async function runStep(
  probe: Probe,
  connection: Connection,
  step: PreparedStep,
  host: string,
): Promise<Connection | ProbeOutcome> {
  const { ctx } = probe;
  let send = step.send;
  if (step.expect) {
    const found = await connection.reader.expect(step.expect, MAX_EXPECT_BYTES, (line) =>
      ctx.log.debug(`read line ${preview(line)}`),
    );
    if (!('match' in found)) {
      probe.failedDueToRegex = 1;
      const why = found.ended ? 'the peer closed the connection' : `read ${found.bytes} bytes`;
      return fail(
        ctx.log,
        'expect_mismatch',
        `${probe.phase}: ${why} without a line matching ${step.expect}`,
      );
    }
    probe.failedDueToRegex = 0;
    ctx.log.debug(`${step.expect} matched ${preview(found.line)}`);
    if (send !== undefined) send = expand(send, found.match);
  }
  if (send) {
    ctx.log.debug(`sending ${preview(send)}`);
    const { socket } = connection;
    await abortable(
      new Promise<void>((done, failed) => {
        socket.write(`${send}\n`, (error) => (error ? failed(error) : done()));
      }),
      ctx.signal,
    );
  }
  return step.starttls ? startTls(probe, connection, host) : connection;
}

async function converse(probe: Probe): Promise<ProbeOutcome> {
  const { ctx } = probe;
  const target = parseTarget(ctx.target);
  if (target === undefined) {
    const example = 'e.g. db.example.com:5432 or [::1]:22';
    return fail(ctx.log, 'invalid_target', `target "${ctx.target}" is not host:port (${example})`);
  }
  let connection = await connect(probe, target.host, target.port);
  for (const [index, step] of ctx.settings.steps.entries()) {
    probe.phase = `query_response[${index}]`;
    const next = await runStep(probe, connection, step, target.host);
    if ('success' in next) return next;
    connection = next;
  }
  return succeeded;
}

/** blackbox_exporter's tcp prober: connect (optionally with TLS) and hold a line conversation. */
export const tcpProber: Prober<TcpSettings, PreparedTcp> = {
  name: 'tcp',
  prepare(settings) {
    return {
      tls: settings.tls,
      tlsOptions: prepareTls(settings),
      family: settings.preferred_ip_protocol === 'ip6' ? 6 : 4,
      steps: settings.query_response.map(prepareStep),
    };
  },
  async probe(ctx) {
    const probe: Probe = { ctx, sockets: [], phase: 'starting', failedDueToRegex: 0 };
    const destroyAll = (): void => probe.sockets.forEach((socket) => socket.destroy());
    ctx.signal.addEventListener('abort', destroyAll, { once: true });
    try {
      return await converse(probe);
    } catch (error) {
      const reason = classifySocketError(error, ctx.expired);
      const why = ctx.signal.aborted ? `no answer within ${ctx.timeoutMs} ms` : errorMessage(error);
      return fail(ctx.log, reason, `${probe.phase}: ${why}`);
    } finally {
      ctx.signal.removeEventListener('abort', destroyAll);
      destroyAll();
      ctx.metrics.gauge(
        'probe_failed_due_to_regex',
        'Whether the probe failed because no line matched an expect regexp',
        probe.failedDueToRegex,
      );
    }
  },
};
