import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { tcpSettingsSchema } from '../src/config/tcp-settings.js';
import { MAX_EXPECT_BYTES, tcpProber } from '../src/prober/tcp.js';
import { closePeers, failed, ipv6Loopback, probeTcp, servePeer } from './support/tcp-peer.js';

// TLS and STARTTLS are in tcp-prober-tls.test.ts, settings rules in tcp-settings.test.ts.
const ipv6 = await ipv6Loopback();

afterEach(closePeers);

describe('tcp prober: plain connections', () => {
  it('succeeds when the port accepts a connection', async () => {
    const target = await servePeer(() => {});
    const run = await probeTcp(target);
    expect(run.outcome).toEqual({ success: true });
    expect(run.value('probe_ip_protocol')).toBe(4);
    expect(run.value('probe_dns_lookup_time_seconds')).toBeGreaterThanOrEqual(0);
    expect(run.value('probe_failed_due_to_regex')).toBe(0);
    expect(run.value('probe_ssl_earliest_cert_expiry')).toBeUndefined();
  });

  it('resolves localhost with the preferred family', async () => {
    const target = await servePeer(() => {});
    const run = await probeTcp(target.replace('127.0.0.1', 'localhost'));
    expect(run.outcome).toEqual({ success: true });
    expect(run.value('probe_ip_protocol')).toBe(4);
  });

  it.runIf(ipv6)('falls back to IPv6 when the host has no IPv4 address (needs ::1)', async () => {
    const target = await servePeer(() => {}, undefined, '::1');
    const run = await probeTcp(target);
    expect(run.outcome).toEqual({ success: true });
    expect(run.value('probe_ip_protocol')).toBe(6);
  });

  it('falls back to IPv4 when ip6 is preferred but the host has none', async () => {
    const target = await servePeer(() => {});
    const run = await probeTcp(target, { preferred_ip_protocol: 'ip6' });
    expect(run.outcome).toEqual({ success: true });
    expect(run.value('probe_ip_protocol')).toBe(4);
  });

  // No test resolves an unknown name: that would query this machine's DNS server, and test
  // traffic stays on loopback. ENOTFOUND → 'dns' is covered in units.test.ts.

  it('fails with connection_refused on a closed port', async () => {
    const target = await servePeer(() => {});
    await closePeers();
    const run = await probeTcp(target);
    expect(run.outcome).toEqual(failed('connection_refused'));
    expect(run.log).toContain('ECONNREFUSED');
  });

  it('fails with connection_reset when the peer resets', async () => {
    const target = await servePeer((socket) => socket.resetAndDestroy());
    const run = await probeTcp(target, { query_response: [{ expect: '^220' }] });
    expect(run.outcome).toEqual(failed('connection_reset'));
  });

  it('rejects a target without a port as invalid_target', async () => {
    for (const target of ['localhost', 'tcp://localhost:25', 'localhost:0', '[::1]', '::1:25']) {
      const run = await probeTcp(target);
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
    const target = await servePeer(smtp(received));
    const run = await probeTcp(target, {
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
    const expanded = await probeTcp(target, {
      query_response: [{ expect: '^220 (?<host>\\S+)', send: 'EHLO ${1} ${host} $$' }],
    });
    expect(expanded.outcome).toEqual({ success: true });
    await expect.poll(() => received.join('')).toBe('EHLO mail.example.test mail.example.test $\n');
  });

  it('fails with expect_mismatch when the peer closes without a matching line', async () => {
    const target = await servePeer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n'));
    const run = await probeTcp(target, { query_response: [{ expect: '^220' }] });
    expect(run.outcome).toEqual(failed('expect_mismatch'));
    expect(run.value('probe_failed_due_to_regex')).toBe(1);
    expect(run.log).toContain('the peer closed the connection without a line matching /^220/');
  });

  it('fails with expect_mismatch on binary garbage', async () => {
    const target = await servePeer((socket) => socket.end(Buffer.from([0, 255, 13, 10, 200, 1])));
    const run = await probeTcp(target, { query_response: [{ expect: '^\\+OK' }] });
    expect(run.outcome).toEqual(failed('expect_mismatch'));
  });

  it('takes Go-style inline flags', async () => {
    const target = await servePeer((socket) => socket.write('+ok ready\n'));
    const run = await probeTcp(target, { query_response: [{ expect: '(?i)^\\+OK' }] });
    expect(run.outcome).toEqual({ success: true });
  });

  it('times out at the deadline when the peer accepts and never answers', async () => {
    let peerClosed = false;
    const target = await servePeer((socket) => socket.on('close', () => (peerClosed = true)));
    const started = performance.now();
    const run = await probeTcp(target, { query_response: [{ expect: '^220' }] }, 1000);
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
      const target = await servePeer(flood('', sent));
      const before = process.memoryUsage();
      const run = await probeTcp(target, { query_response: [{ expect: '^220' }] }, 10_000);
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
      const target = await servePeer(flood('220 ready\r\n', sent));
      const run = await probeTcp(target, { query_response: [{ expect: '^220 ready$' }] }, 10_000);
      expect(run.outcome).toEqual({ success: true });
      expect(sent.bytes).toBeLessThan(FLOOD);
    });
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
