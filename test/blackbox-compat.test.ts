import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpTarget, type HttpTarget } from '../probes/test/support/http-target.js';
import { promtoolCheckMetrics } from '../probes/test/support/promtool.js';
import { freePort } from '@layerwatch/local';
import { valueOf, type ParsedSample } from './support/exposition.js';
import { startHttp10Target, type Http10Target } from './support/http10-target.js';
import { startCompatExporters, type CompatExporters } from './support/compat-modules.js';
import { probeDifferences, probeExporter } from './support/probe-diff.js';

/**
 * Our `/probe` against the real blackbox_exporter 0.23 (Debian's binary): the same module
 * file, the same loopback targets, the same questions. Ours must answer with every series
 * blackbox writes for that probe, and with the same values where the values are facts about
 * the target (status, lengths, redirects, TLS use, certificate expiry).
 */

/**
 * Series blackbox writes that we leave out on purpose. Each entry needs its reason; the
 * list is empty while we emit every one of them.
 */
const NOT_EMITTED_BY_DESIGN: ReadonlyMap<string, string> = new Map<string, string>([]);

/**
 * Series we write that blackbox does not write for the same probe, each with its reason, so
 * that an addition is a decision and not an accident. None today.
 */
const OUR_ADDITIONS: ReadonlyMap<string, string> = new Map<string, string>([]);

interface Case {
  readonly title: string;
  readonly target: () => string;
  readonly module: string;
  /** What the probe should conclude; both exporters must agree with it. */
  readonly success: 0 | 1;
  /** Differences that are understood and stated where the case is defined. */
  readonly knownDifferences?: readonly string[];
}

let exporters: CompatExporters;
let plain: HttpTarget;
let valid: HttpTarget;
let expired: HttpTarget;
let http10: Http10Target;
let closedPort: number;

const plainUrl = (path: string) => (): string => `http://127.0.0.1:${plain.port}${path}`;
// IP literals: the test certificates name 127.0.0.1, and neither side's resolver preferences
// (blackbox prefers IPv6 for `localhost`) come into play.
const validUrl = (path: string) => (): string => `https://127.0.0.1:${valid.port}${path}`;
const expiredUrl = (path: string) => (): string => `https://127.0.0.1:${expired.port}${path}`;

const CASES: readonly Case[] = [
  { title: 'http 200', target: plainUrl('/ok'), module: 'http_2xx', success: 1 },
  { title: 'http POST 200', target: plainUrl('/ok'), module: 'http_post_2xx', success: 1 },
  { title: 'http 503 invalid', target: plainUrl('/status/503'), module: 'http_2xx', success: 0 },
  { title: 'http 503 valid', target: plainUrl('/status/503'), module: 'http_503', success: 1 },
  {
    title: 'http redirect followed',
    target: plainUrl('/redirect'),
    module: 'http_2xx',
    success: 1,
  },
  {
    title: 'http redirect not followed',
    target: plainUrl('/redirect'),
    module: 'http_no_redirect',
    success: 1,
  },
  { title: 'http chunked body', target: plainUrl('/chunked'), module: 'http_2xx', success: 1 },
  {
    title: 'http Last-Modified',
    target: plainUrl('/last-modified'),
    module: 'http_2xx',
    success: 1,
  },
  {
    title: 'http/1.0 server',
    target: () => `http://127.0.0.1:${http10.port}/`,
    module: 'http_2xx',
    success: 1,
    // undici, our HTTP client, does not expose the response's HTTP version, so we report the
    // 1.1 we speak. Only HTTP/1.0 servers tell the two apart; everything else matches.
    knownDifferences: ['probe_http_version: blackbox 1, ours 1.1'],
  },
  {
    title: 'http closed port',
    target: () => `http://127.0.0.1:${closedPort}/ok`,
    module: 'http_2xx',
    success: 0,
  },
  { title: 'https with ca_file', target: validUrl('/ok'), module: 'https_ca', success: 1 },
  { title: 'https unknown CA', target: validUrl('/ok'), module: 'http_2xx', success: 0 },
  { title: 'https insecure', target: validUrl('/ok'), module: 'https_insecure', success: 1 },
  { title: 'https expired', target: expiredUrl('/ok'), module: 'https_ca', success: 0 },
  {
    title: 'https expired, insecure',
    target: expiredUrl('/ok'),
    module: 'https_insecure',
    success: 1,
  },
  {
    title: 'tcp connect',
    target: () => `127.0.0.1:${plain.port}`,
    module: 'tcp_connect',
    success: 1,
  },
  {
    title: 'tcp closed port',
    target: () => `127.0.0.1:${closedPort}`,
    module: 'tcp_connect',
    success: 0,
  },
  {
    title: 'tls connect',
    target: () => `127.0.0.1:${valid.port}`,
    module: 'tls_connect',
    success: 1,
  },
  {
    title: 'tls connect expired',
    target: () => `127.0.0.1:${expired.port}`,
    module: 'tls_connect',
    success: 0,
  },
];

function probe(base: string, c: Case): Promise<{ text: string; samples: ParsedSample[] }> {
  return probeExporter(base, c.target(), c.module);
}

beforeAll(async () => {
  exporters = await startCompatExporters();
  const { certs } = exporters;
  [plain, valid, expired, http10, closedPort] = await Promise.all([
    startHttpTarget(),
    startHttpTarget(certs.valid),
    startHttpTarget(certs.expired),
    startHttp10Target(),
    freePort(),
  ]);
});

afterAll(async () => {
  await Promise.all([
    exporters?.stop(),
    plain?.close(),
    valid?.close(),
    expired?.close(),
    http10?.close(),
  ]);
});

describe('our /probe against blackbox_exporter 0.23 on the same targets', () => {
  it.each(CASES)('$title ($module)', async (c) => {
    const [theirs, ours] = await Promise.all([
      probe(exporters.blackbox.url, c),
      probe(exporters.daemon.url, c),
    ]);
    const context = `${c.module} ${c.target()}\n--- blackbox:\n${theirs.text}\n--- ours:\n${ours.text}`;
    expect.soft(valueOf(theirs.samples, 'probe_success'), `blackbox: ${context}`).toBe(c.success);
    expect.soft(valueOf(ours.samples, 'probe_success'), `ours: ${context}`).toBe(c.success);
    const differences = probeDifferences(theirs.samples, ours.samples, {
      notEmittedByDesign: NOT_EMITTED_BY_DESIGN,
      ourAdditions: OUR_ADDITIONS,
    });
    const unexplained = differences.filter((d) => !(c.knownDifferences ?? []).includes(d));
    expect.soft(unexplained, context).toEqual([]);
    // Our answer passes Prometheus's own linter.
    expect.soft(promtoolCheckMetrics(ours.text), ours.text).toEqual({ status: 0, output: '' });
  });

  it('reports the expiry of the expired certificate exactly', async () => {
    const c = CASES.find((x) => x.title === 'https expired, insecure');
    if (!c) throw new Error('case missing');
    const [theirs, ours] = await Promise.all([
      probe(exporters.blackbox.url, c),
      probe(exporters.daemon.url, c),
    ]);
    expect(valueOf(theirs.samples, 'probe_ssl_earliest_cert_expiry')).toBe(
      exporters.certs.expired.notAfterSeconds,
    );
    expect(valueOf(ours.samples, 'probe_ssl_earliest_cert_expiry')).toBe(
      exporters.certs.expired.notAfterSeconds,
    );
  });
});
