import { createServer, type AddressInfo, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpTarget, type HttpTarget } from './support/http-target.js';
import { probeOnce, sampleValue, samplesLike, testModule } from './support/probe-module.js';
import {
  testCertificates,
  type TestCertificateFiles,
  type TestCertificates,
} from './support/tls-certs.js';

type HttpSettings = Extract<Parameters<typeof testModule>[0], { prober: 'http' }>['http'];

/** A module of the http prober with these settings (the prober of every test here). */
const httpModule = (http: HttpSettings) => testModule({ prober: 'http', http });

let plain: HttpTarget;
beforeAll(async () => {
  plain = await startHttpTarget();
});
afterAll(async () => {
  await plain.close();
});

describe('http prober over real HTTP', () => {
  const http2xx = httpModule({});

  it('succeeds on 200 and writes blackbox_exporter series', async () => {
    const run = await probeOnce(http2xx, `${plain.url}/ok`);
    expect(run.outcome).toEqual({ success: true });
    const expected = {
      probe_http_status_code: 200,
      probe_http_content_length: 35,
      probe_http_uncompressed_body_length: 35,
      probe_http_ssl: 0,
      probe_http_redirects: 0,
      probe_ip_protocol: 4,
    };
    expect(samplesLike(run, expected)).toEqual(expected);
    for (const phase of ['resolve', 'connect', 'tls', 'processing', 'transfer']) {
      expect(sampleValue(run, 'probe_http_duration_seconds', { phase })).toBeGreaterThanOrEqual(0);
    }
  });

  it('fails on a status outside 2xx with reason status_code', async () => {
    const run = await probeOnce(http2xx, `${plain.url}/status/503`);
    expect(run.outcome).toEqual({ success: false, reason: 'status_code' });
    expect(sampleValue(run, 'probe_http_status_code')).toBe(503);
    expect(run.log.join('\n')).toContain('status 503 is not valid (2xx)');
  });

  it('accepts the listed valid_status_codes only', async () => {
    const only503 = httpModule({ valid_status_codes: [503] });
    expect((await probeOnce(only503, `${plain.url}/status/503`)).outcome.success).toBe(true);
    expect((await probeOnce(only503, `${plain.url}/ok`)).outcome).toEqual({
      success: false,
      reason: 'status_code',
    });
  });

  it('checks JSON fields', async () => {
    const healthy = httpModule({ json_assertions: ['$.status == "healthy"'] });
    expect((await probeOnce(healthy, `${plain.url}/ok`)).outcome.success).toBe(true);
    const degraded = await probeOnce(healthy, `${plain.url}/degraded`);
    expect(degraded.outcome).toEqual({ success: false, reason: 'json_assertion' });
    expect(degraded.log.join('\n')).toContain('$.status == "healthy": found "degraded"');
    const notJson = await probeOnce(healthy, `${plain.url}/not-json`);
    expect(notJson.outcome).toEqual({ success: false, reason: 'json_assertion' });
  });

  it('checks body regexps and sets probe_failed_due_to_regex', async () => {
    const mustMatch = httpModule({ fail_if_body_not_matches_regexp: ['"healthy"'] });
    expect((await probeOnce(mustMatch, `${plain.url}/ok`)).outcome.success).toBe(true);
    const miss = await probeOnce(mustMatch, `${plain.url}/degraded`);
    expect(miss.outcome).toEqual({ success: false, reason: 'body_mismatch' });
    expect(sampleValue(miss, 'probe_failed_due_to_regex')).toBe(1);
    const mustNot = httpModule({ fail_if_body_matches_regexp: ['degraded'] });
    expect((await probeOnce(mustNot, `${plain.url}/degraded`)).outcome).toEqual({
      success: false,
      reason: 'body_mismatch',
    });
  });

  it('sends the configured method, headers and body', async () => {
    const post = httpModule({
      method: 'POST',
      headers: { 'X-Probe': 'layerwatch' },
      body: '{}',
      json_assertions: ['$.method == "POST"', '$.header == "layerwatch"'],
    });
    expect((await probeOnce(post, `${plain.url}/echo-method`)).outcome.success).toBe(true);
  });

  it('follows redirects and counts them; a loop fails with reason redirect', async () => {
    const run = await probeOnce(http2xx, `${plain.url}/redirect`);
    expect(run.outcome.success).toBe(true);
    expect(sampleValue(run, 'probe_http_redirects')).toBe(1);
    const loop = await probeOnce(http2xx, `${plain.url}/redirect-loop`);
    expect(loop.outcome).toEqual({ success: false, reason: 'redirect' });
  });

  it('does not follow redirects when told not to', async () => {
    const noFollow = httpModule({ follow_redirects: false, valid_status_codes: [302] });
    const run = await probeOnce(noFollow, `${plain.url}/redirect`);
    expect(run.outcome.success).toBe(true);
    expect(sampleValue(run, 'probe_http_status_code')).toBe(302);
  });

  it('reports Content-Length -1 for a chunked body, as Go does', async () => {
    const run = await probeOnce(http2xx, `${plain.url}/chunked`);
    expect(sampleValue(run, 'probe_http_content_length')).toBe(-1);
    expect(sampleValue(run, 'probe_http_uncompressed_body_length')).toBe(18);
  });

  it('exports Last-Modified', async () => {
    const run = await probeOnce(http2xx, `${plain.url}/last-modified`);
    expect(sampleValue(run, 'probe_http_last_modified_timestamp_seconds')).toBe(1445412480);
  });

  it('reuses the connection across probes of one target (keep-alive)', async () => {
    const target = await startHttpTarget();
    try {
      for (let i = 0; i < 5; i += 1)
        expect((await probeOnce(http2xx, `${target.url}/ok`)).outcome.success).toBe(true);
      expect(target.connections).toBe(1);
    } finally {
      await target.close();
    }
  });

  it('rejects a target that is not an http(s) URL', async () => {
    const run = await probeOnce(http2xx, 'ftp://127.0.0.1/file');
    expect(run.outcome).toEqual({ success: false, reason: 'invalid_target' });
  });
});

describe('http prober never hangs or crashes on a bad target', () => {
  const http2xx = httpModule({});

  /** The probe must end within its timeout (plus scheduling slack), whatever the target does. */
  async function timedProbe(target: string, timeoutMs: number) {
    const started = performance.now();
    const run = await probeOnce(http2xx, target, timeoutMs);
    return { run, elapsedMs: performance.now() - started };
  }

  it('a server that accepts and never answers: timeout', async () => {
    const { run, elapsedMs } = await timedProbe(`${plain.url}/hang`, 500);
    expect(run.outcome).toEqual({ success: false, reason: 'timeout' });
    expect(elapsedMs).toBeLessThan(500 + 2000);
  });

  it('an HTTPS server that accepts and never answers the handshake: timeout, its socket closed', async () => {
    // The deadline comes before the connection is up: the prober has no request to abort
    // yet, so it drops the connection attempt itself.
    const sockets: Socket[] = [];
    let closed = 0;
    const silent = createServer((socket) => {
      sockets.push(socket);
      socket.on('close', () => (closed += 1)).on('error', () => undefined);
      socket.resume(); // reads (and drops) the ClientHello, so the client's close is seen
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const { run, elapsedMs } = await timedProbe(`https://127.0.0.1:${port}/`, 500);
      expect(run.outcome).toEqual({ success: false, reason: 'timeout' });
      expect(elapsedMs).toBeLessThan(500 + 2000);
      await expect.poll(() => closed, { timeout: 2000 }).toBe(1);
      expect(sockets.length).toBe(1);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('a body dripping one byte a second: timeout', async () => {
    const { run, elapsedMs } = await timedProbe(`${plain.url}/drip`, 1500);
    expect(run.outcome).toEqual({ success: false, reason: 'timeout' });
    expect(elapsedMs).toBeLessThan(1500 + 2000);
  });

  it('a 1 GiB body: stops at body_size_limit without buffering it', async () => {
    const capped = httpModule({ body_size_limit: '1MiB' });
    const before = process.memoryUsage().rss;
    const run = await probeOnce(capped, `${plain.url}/big`, 5000);
    expect(run.outcome).toEqual({ success: false, reason: 'body_too_large' });
    expect(sampleValue(run, 'probe_http_content_length')).toBe(1024 ** 3);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 ** 2);
  });

  it('a connection reset: connection_reset', async () => {
    const { run } = await timedProbe(`${plain.url}/reset`, 2000);
    expect(run.outcome).toEqual({ success: false, reason: 'connection_reset' });
  });

  it('a closed port: connection_refused', async () => {
    const closed = await startHttpTarget();
    await closed.close();
    const { run } = await timedProbe(`${closed.url}/ok`, 2000);
    expect(run.outcome).toEqual({ success: false, reason: 'connection_refused' });
  });
});

describe('http prober over TLS with certificates generated in the test', () => {
  let certs: TestCertificates;
  let files: TestCertificateFiles;
  let valid: HttpTarget;
  let expired: HttpTarget;
  let selfSigned: HttpTarget;
  beforeAll(async () => {
    certs = await testCertificates();
    files = await certs.writeFiles();
    [valid, expired, selfSigned] = await Promise.all([
      startHttpTarget(certs.valid),
      startHttpTarget(certs.expired),
      startHttpTarget(certs.selfSigned),
    ]);
  });
  afterAll(async () => {
    await Promise.all([valid.close(), expired.close(), selfSigned.close()]);
  });

  it('a certificate signed by the configured CA: success, with expiry and TLS version', async () => {
    const https = httpModule({ tls_config: { ca_file: files.caFile }, fail_if_not_ssl: true });
    const run = await probeOnce(https, `${valid.url}/ok`);
    expect(run.outcome).toEqual({ success: true });
    expect(sampleValue(run, 'probe_http_ssl')).toBe(1);
    expect(sampleValue(run, 'probe_ssl_earliest_cert_expiry')).toBe(certs.valid.notAfterSeconds);
    expect(sampleValue(run, 'probe_tls_version_info', { version: 'TLS 1.3' })).toBe(1);
    expect(sampleValue(run, 'probe_http_duration_seconds', { phase: 'tls' })).toBeGreaterThan(0);
  });

  // A target that closes idle connections sooner than the probe interval makes every probe
  // open a new connection; a resumed TLS session would present no certificate to read.
  it.each([
    ['CA-verified chain', () => certs.valid, () => ({ ca_file: files.caFile })],
    [
      'self-signed, insecure_skip_verify',
      () => certs.selfSigned,
      () => ({ insecure_skip_verify: true }),
    ],
  ] as const)(
    'reports the certificate series on every probe when idle connections close between probes (%s)',
    async (_title, cert, tlsConfig) => {
      const target = await startHttpTarget(cert(), { keepAliveMs: 50 });
      const module = httpModule({ tls_config: tlsConfig() });
      try {
        for (let i = 0; i < 6; i += 1) {
          const run = await probeOnce(module, `${target.url}/ok`);
          expect(run.outcome, `probe ${i + 1}`).toEqual({ success: true });
          expect(sampleValue(run, 'probe_ssl_earliest_cert_expiry'), `probe ${i + 1}`).toBe(
            cert().notAfterSeconds,
          );
          expect(
            run.samples.filter((s) => s.name === 'probe_ssl_last_chain_info'),
            `probe ${i + 1}`,
          ).toHaveLength(1);
          expect(
            sampleValue(run, 'probe_ssl_last_chain_expiry_timestamp_seconds'),
            `probe ${i + 1}`,
          ).toBeDefined();
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        // Every probe made its own connection, and none resumed a session.
        expect(target.connections).toBe(6);
        expect(target.resumedSessions).toBe(0);
      } finally {
        await target.close();
      }
    },
  );

  it('writes the TLS series once, for the final response, across an HTTPS redirect', async () => {
    const https = httpModule({ tls_config: { ca_file: files.caFile } });
    const run = await probeOnce(https, `${valid.url}/redirect`);
    expect(run.outcome).toEqual({ success: true });
    expect(sampleValue(run, 'probe_http_redirects')).toBe(1);
    expect(run.samples.filter((s) => s.name === 'probe_ssl_earliest_cert_expiry')).toHaveLength(1);
  });

  it('an expired certificate: tls', async () => {
    const https = httpModule({ tls_config: { ca_file: files.caFile } });
    const run = await probeOnce(https, `${expired.url}/ok`);
    expect(run.outcome).toEqual({ success: false, reason: 'tls' });
    expect(run.log.join('\n')).toMatch(
      /certificate verification failed: CERT_HAS_EXPIRED \(subject CN=localhost, issuer CN=Layerwatch Test CA, expires 20/,
    );
  });

  it('a self-signed certificate: tls, unless insecure_skip_verify', async () => {
    const strict = httpModule({ tls_config: { ca_file: files.caFile } });
    expect((await probeOnce(strict, `${selfSigned.url}/ok`)).outcome).toEqual({
      success: false,
      reason: 'tls',
    });
    const lax = httpModule({ tls_config: { insecure_skip_verify: true } });
    expect((await probeOnce(lax, `${selfSigned.url}/ok`)).outcome.success).toBe(true);
  });

  it('presents a client certificate where the server demands one (mTLS)', async () => {
    const mtls = await startHttpTarget({ ...certs.valid, clientCa: certs.ca.cert });
    try {
      const withCert = httpModule({
        tls_config: {
          ca_file: files.caFile,
          cert_file: files.clientCertFile,
          key_file: files.clientKeyFile,
        },
      });
      expect((await probeOnce(withCert, `${mtls.url}/ok`)).outcome).toEqual({ success: true });
      const without = httpModule({ tls_config: { ca_file: files.caFile } });
      expect((await probeOnce(without, `${mtls.url}/ok`)).outcome.success).toBe(false);
    } finally {
      await mtls.close();
    }
  });

  it('fail_if_ssl fails an HTTPS answer', async () => {
    const noTls = httpModule({ fail_if_ssl: true, tls_config: { ca_file: files.caFile } });
    expect((await probeOnce(noTls, `${valid.url}/ok`)).outcome).toEqual({
      success: false,
      reason: 'tls',
    });
  });
});
