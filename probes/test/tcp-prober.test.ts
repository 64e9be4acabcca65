import { rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, TLSSocket, type TlsOptions } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tcpSettingsSchema } from '../src/config/tcp-settings.js';
import { SampleList, type Sample } from '../src/format/sample-sink.js';
import { MAX_EXPECT_BYTES, tcpProber } from '../src/prober/tcp.js';
import {
  testCertificates,
  type TestCertificateFiles,
  type TestCertificates,
} from './support/tls-certs.js';

let certs: TestCertificates;
let files: TestCertificateFiles;
const servers = new Set<Server>();
const connections = new Set<Socket>();

beforeAll(async () => {
  certs = await testCertificates();
  files = await certs.writeFiles();
});
afterAll(() => rm(files.dir, { recursive: true, force: true }));
afterEach(async () => {
  connections.forEach((socket) => socket.destroy());
  connections.clear();
  await Promise.all([...servers].map((server) => new Promise((done) => server.close(done))));
  servers.clear();
});

/** A real server on a free loopback port; `onSocket` plays the peer. Returns `host:port`. */
async function serve(
  onSocket: (socket: Socket) => void,
  tls?: TlsOptions,
  host = '127.0.0.1',
): Promise<string> {
  const handle = (socket: Socket): void => {
    connections.add(socket);
    socket.on('error', () => {});
    onSocket(socket);
  };
  const server = tls ? createTlsServer(tls, handle) : createServer(handle);
  servers.add(server);
  await new Promise<void>((done) => server.listen(0, host, done));
  const { port } = server.address() as AddressInfo;
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

// Some CI machines have no IPv6 loopback; the tests that need it say so and skip.
const ipv6 = await new Promise<boolean>((done) => {
  const server = createServer()
    .once('error', () => done(false))
    .listen(0, '::1', () => server.close(() => done(true)));
});

const tlsServer = (which: 'valid' | 'expired' | 'selfSigned'): TlsOptions => ({
  cert: certs[which].cert,
  key: certs[which].key,
});

/** Runs the prober as the handler would: settings parsed and prepared, a deadline set. */
async function probe(target: string, settings: unknown = {}, timeoutMs = 3000) {
  const prepared = tcpProber.prepare(tcpSettingsSchema.parse(settings));
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const metrics = new SampleList();
  const log: string[] = [];
  const record = (line: string): void => void log.push(line);
  try {
    const outcome = await tcpProber.probe({
      target,
      settings: prepared,
      signal: controller.signal,
      timeoutMs,
      metrics,
      log: { debug: record, info: record },
    });
    const value = (name: string): number | undefined =>
      metrics.samples.find((sample: Sample) => sample.name === name)?.value;
    return { outcome, samples: metrics.samples, log: log.join('\n'), value };
  } finally {
    clearTimeout(timer);
  }
}

const failed = (reason: string) => ({ success: false, reason });

describe('tcp prober: plain connections', () => {
  it('succeeds when the port accepts a connection', async () => {
    const target = await serve(() => {});
    const run = await probe(target);
    expect(run.outcome).toEqual({ success: true });
    expect(run.value('probe_ip_protocol')).toBe(4);
    expect(run.value('probe_dns_lookup_time_seconds')).toBeGreaterThanOrEqual(0);
    expect(run.value('probe_failed_due_to_regex')).toBe(0);
    expect(run.value('probe_ssl_earliest_cert_expiry')).toBeUndefined();
  });

  it('resolves localhost with the preferred family', async () => {
    const target = await serve(() => {});
    const run = await probe(target.replace('127.0.0.1', 'localhost'));
    expect(run.outcome).toEqual({ success: true });
    expect(run.value('probe_ip_protocol')).toBe(4);
  });

  it.runIf(ipv6)('falls back to IPv6 when the host has no IPv4 address (needs ::1)', async () => {
    const target = await serve(() => {}, undefined, '::1');
    const run = await probe(target);
    expect(run.outcome).toEqual({ success: true });
    expect(run.value('probe_ip_protocol')).toBe(6);
  });

  it('falls back to IPv4 when ip6 is preferred but the host has none', async () => {
    const target = await serve(() => {});
    const run = await probe(target, { preferred_ip_protocol: 'ip6' });
    expect(run.outcome).toEqual({ success: true });
    expect(run.value('probe_ip_protocol')).toBe(4);
  });

  it('fails with dns when the host does not resolve', async () => {
    const run = await probe('does-not-exist.invalid:25');
    expect(run.outcome).toEqual(failed('dns'));
    expect(run.value('probe_dns_lookup_time_seconds')).toBeGreaterThanOrEqual(0);
    expect(run.value('probe_ip_protocol')).toBeUndefined();
  });

  it('fails with connection_refused on a closed port', async () => {
    const target = await serve(() => {});
    await Promise.all([...servers].map((server) => new Promise((done) => server.close(done))));
    const run = await probe(target);
    expect(run.outcome).toEqual(failed('connection_refused'));
    expect(run.log).toContain('ECONNREFUSED');
  });

  it('fails with connection_reset when the peer resets', async () => {
    const target = await serve((socket) => socket.resetAndDestroy());
    const run = await probe(target, { query_response: [{ expect: '^220' }] });
    expect(run.outcome).toEqual(failed('connection_reset'));
  });

  it('rejects a target without a port as invalid_target', async () => {
    for (const target of ['localhost', 'tcp://localhost:25', 'localhost:0', '[::1]', '::1:25']) {
      const run = await probe(target);
      expect(run.outcome, target).toEqual(failed('invalid_target'));
      expect(run.log).toContain(`target "${target}" is not host:port`);
    }
  });
});

describe('tcp prober: query_response', () => {
  /** An SMTP-like peer: greets, answers EHLO, says goodbye to QUIT. */
  function smtp(received: string[]): (socket: Socket) => void {
    return (socket) => {
      socket.setEncoding('utf8');
      socket.write('220 mail.example.test ESMTP ready\r\n');
      socket.on('data', (data: string) => {
        received.push(data);
        if (data.startsWith('EHLO')) socket.write('250-mail.example.test\r\n250 OK\r\n');
        if (data.startsWith('QUIT')) socket.end('221 bye\r\n');
      });
    };
  }

  it('holds an expect/send conversation, expanding ${1} from the match', async () => {
    const received: string[] = [];
    const target = await serve(smtp(received));
    const run = await probe(target, {
      query_response: [
        { expect: '^220 (\\S+) ESMTP' },
        { send: 'EHLO prober' },
        { expect: '^250 ', send: 'QUIT' },
        { expect: '^221' },
      ],
    });
    expect(run.outcome).toEqual({ success: true });
    expect(received.join('')).toBe('EHLO prober\nQUIT\n');
    expect(run.value('probe_failed_due_to_regex')).toBe(0);

    received.length = 0;
    const expanded = await probe(target, {
      query_response: [{ expect: '^220 (?<host>\\S+)', send: 'EHLO ${1} ${host} $$' }],
    });
    expect(expanded.outcome).toEqual({ success: true });
    await expect.poll(() => received.join('')).toBe('EHLO mail.example.test mail.example.test $\n');
  });

  it('fails with expect_mismatch when the peer closes without a matching line', async () => {
    const target = await serve((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n'));
    const run = await probe(target, { query_response: [{ expect: '^220' }] });
    expect(run.outcome).toEqual(failed('expect_mismatch'));
    expect(run.value('probe_failed_due_to_regex')).toBe(1);
    expect(run.log).toContain('the peer closed the connection without a line matching /^220/');
  });

  it('fails with expect_mismatch on binary garbage', async () => {
    const target = await serve((socket) => socket.end(Buffer.from([0, 255, 13, 10, 200, 1])));
    const run = await probe(target, { query_response: [{ expect: '^\\+OK' }] });
    expect(run.outcome).toEqual(failed('expect_mismatch'));
  });

  it('takes Go-style inline flags', async () => {
    const target = await serve((socket) => socket.write('+ok ready\n'));
    const run = await probe(target, { query_response: [{ expect: '(?i)^\\+OK' }] });
    expect(run.outcome).toEqual({ success: true });
  });

  it('times out at the deadline when the peer accepts and never answers', async () => {
    let peerClosed = false;
    const target = await serve((socket) => socket.on('close', () => (peerClosed = true)));
    const started = performance.now();
    const run = await probe(target, { query_response: [{ expect: '^220' }] }, 1000);
    expect(run.outcome).toEqual(failed('timeout'));
    expect(performance.now() - started).toBeLessThan(1000 + 2000);
    expect(run.log).toContain('query_response[0]: no answer within 1000 ms');
    await expect.poll(() => peerClosed).toBe(true);
  });

  describe('a peer flooding 50 MiB', () => {
    const FLOOD = 50 * 1024 * 1024;

    function flood(first: string, sent: { bytes: number }): (socket: Socket) => void {
      return (socket) => {
        const chunk = Buffer.alloc(64 * 1024, 'A');
        sent.bytes += Buffer.byteLength(first);
        socket.write(first);
        const pump = (): void => {
          while (sent.bytes < FLOOD && !socket.destroyed) {
            sent.bytes += chunk.length;
            if (!socket.write(chunk)) return void socket.once('drain', pump);
          }
          socket.end();
        };
        pump();
      };
    }

    it('stops reading after the cap and fails with expect_mismatch', async () => {
      const sent = { bytes: 0 };
      const target = await serve(flood('', sent));
      const before = process.memoryUsage();
      const run = await probe(target, { query_response: [{ expect: '^220' }] }, 10_000);
      const after = process.memoryUsage();
      expect(run.outcome).toEqual(failed('expect_mismatch'));
      expect(run.value('probe_failed_due_to_regex')).toBe(1);
      const read = Number(/read (\d+) bytes/.exec(run.log)?.[1]);
      expect(read).toBeGreaterThanOrEqual(MAX_EXPECT_BYTES);
      expect(read).toBeLessThan(MAX_EXPECT_BYTES + 256 * 1024);
      // What the peer got out is bounded by what the kernel buffers, far from 50 MiB.
      expect(sent.bytes).toBeLessThan(FLOOD / 2);
      const grown = (m: NodeJS.MemoryUsage): number => m.heapUsed + m.arrayBuffers;
      expect(grown(after) - grown(before)).toBeLessThan(32 * 1024 * 1024);
    });

    it('succeeds when a line matches before the flood', async () => {
      const sent = { bytes: 0 };
      const target = await serve(flood('220 ready\r\n', sent));
      const run = await probe(target, { query_response: [{ expect: '^220 ready$' }] }, 10_000);
      expect(run.outcome).toEqual({ success: true });
      expect(sent.bytes).toBeLessThan(FLOOD);
    });
  });
});

describe('tcp prober: TLS', () => {
  it('verifies a valid certificate against ca_file and reports its expiry', async () => {
    const target = await serve((socket) => socket.end(), tlsServer('valid'));
    const run = await probe(target.replace('127.0.0.1', 'localhost'), {
      tls: true,
      tls_config: { ca_file: files.caFile },
    });
    expect(run.outcome).toEqual({ success: true });
    expect(run.value('probe_ssl_earliest_cert_expiry')).toBe(certs.valid.notAfterSeconds);
    expect(run.value('probe_ssl_last_chain_expiry_timestamp_seconds')).toBe(
      certs.valid.notAfterSeconds,
    );
    const version = run.samples.find((sample) => sample.name === 'probe_tls_version_info');
    expect(version).toMatchObject({ value: 1, labels: { version: 'TLS 1.3' } });
  });

  it('times out when the peer never completes the handshake', async () => {
    const target = await serve(() => {});
    const run = await probe(target, { tls: true }, 500);
    expect(run.outcome).toEqual(failed('timeout'));
    expect(run.log).toContain('connecting to 127.0.0.1');
  });

  it('fails with tls when the peer speaks plain text', async () => {
    const target = await serve((socket) => socket.end('220 not TLS at all\r\n'));
    const run = await probe(target, { tls: true });
    expect(run.outcome).toEqual(failed('tls'));
  });

  it('fails with tls on an expired certificate', async () => {
    const target = await serve(() => {}, tlsServer('expired'));
    const run = await probe(target, { tls: true, tls_config: { ca_file: files.caFile } });
    expect(run.outcome).toEqual(failed('tls'));
    expect(run.log).toContain('certificate has expired');
  });

  it('fails with tls on a self-signed certificate', async () => {
    const target = await serve(() => {}, tlsServer('selfSigned'));
    const run = await probe(target, { tls: true, tls_config: { ca_file: files.caFile } });
    expect(run.outcome).toEqual(failed('tls'));
    expect(run.log).toContain('self-signed certificate');
  });

  it('accepts a self-signed certificate with insecure_skip_verify', async () => {
    const target = await serve(() => {}, tlsServer('selfSigned'));
    const run = await probe(target, { tls: true, tls_config: { insecure_skip_verify: true } });
    expect(run.outcome).toEqual({ success: true });
    expect(run.value('probe_ssl_earliest_cert_expiry')).toBe(certs.selfSigned.notAfterSeconds);
    // No verified chain, so no chain expiry (as blackbox_exporter).
    expect(run.value('probe_ssl_last_chain_expiry_timestamp_seconds')).toBeUndefined();
  });

  it('presents a client certificate to a server that requires one', async () => {
    const mtls: TlsOptions = { ...tlsServer('valid'), ca: certs.ca.cert, requestCert: true };
    const target = await serve((socket) => socket.write('hello\n'), {
      ...mtls,
      rejectUnauthorized: true,
    });
    const query_response = [{ expect: '^hello$' }];
    const withCert = await probe(target, {
      tls: true,
      tls_config: {
        ca_file: files.caFile,
        cert_file: files.clientCertFile,
        key_file: files.clientKeyFile,
      },
      query_response,
    });
    expect(withCert.outcome).toEqual({ success: true });
    const without = await probe(target, {
      tls: true,
      tls_config: { ca_file: files.caFile },
      query_response,
    });
    expect(without.outcome).toEqual(failed('tls'));
  });

  it('upgrades with starttls and reports the TLS series', async () => {
    const target = await serve((plain) => {
      plain.write('220 ready\r\n');
      plain.once('data', () => {
        plain.write('220 go ahead\r\n', () => {
          const secure = new TLSSocket(plain, { isServer: true, ...tlsServer('valid') });
          secure.on('error', () => {});
          secure.on('secure', () => secure.write('250 secure now\r\n'));
        });
      });
    });
    const run = await probe(target, {
      tls_config: { ca_file: files.caFile },
      query_response: [
        { expect: '^220 ready', send: 'STARTTLS' },
        { expect: '^220 go ahead', starttls: true },
        { expect: '^250 secure now$' },
      ],
    });
    expect(run.outcome).toEqual({ success: true });
    expect(run.value('probe_ssl_earliest_cert_expiry')).toBe(certs.valid.notAfterSeconds);
  });
});

describe('tcp prober: prepare', () => {
  it('rejects an invalid regular expression at load, naming the step', () => {
    const settings = tcpSettingsSchema.parse({
      query_response: [{ send: 'x' }, { expect: '^(ok' }],
    });
    expect(() => tcpProber.prepare(settings)).toThrow(
      expect.objectContaining({
        name: 'SettingsError',
        path: ['query_response', 1, 'expect'],
        message: 'invalid regular expression "^(ok": Unterminated group',
      }),
    );
  });
});
