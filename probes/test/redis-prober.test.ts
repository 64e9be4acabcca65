import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, redisCommands, startRedis, type RunningServer } from '@layerwatch/local';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { redisSettingsSchema } from '../src/config/redis-settings.js';
import { redisProber } from '../src/prober/redis.js';
import { SettingsError } from '../src/prober/types.js';
import { probeFakeServer, replyWith, resetOnData, silent } from './support/fake-server.js';
import { runProber, sampleLines, valueOf } from './support/run-prober.js';
import { testCertificates, type TestCertificateFiles } from './support/tls-certs.js';
import { expectValidCertificateSeries } from './support/valid-certificate-series.js';

const PASSWORD = 'probe secret';
let dataDir: string;
let open: RunningServer;
let guarded: RunningServer;
/** TLS only, with a certificate for 127.0.0.1 from the test CA. */
let secured: RunningServer;
let certFiles: TestCertificateFiles;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'layerwatch-redis-prober-'));
  const certs = await testCertificates();
  certFiles = await certs.writeFiles();
  [open, guarded, secured] = await Promise.all([
    startRedis({ dataDir: join(dataDir, 'open') }),
    startRedis({ dataDir: join(dataDir, 'guarded'), password: PASSWORD }),
    startRedis({ dataDir: join(dataDir, 'secured'), tls: certs.valid }),
  ]);
  await redisCommands(open.host, open.port, [
    ['RPUSH', 'agent-tasks', 'a', 'b', 'c'],
    ['SET', 'not-a-list', 'x'],
    ['SELECT', '3'],
    ['RPUSH', 'db3-jobs', 'only'],
  ]);
});

afterAll(async () => {
  await Promise.all([open?.stop(), guarded?.stop(), secured?.stop()]);
  await rm(dataDir, { recursive: true, force: true });
  if (certFiles) await rm(certFiles.dir, { recursive: true, force: true });
});

const settings = (input: object = {}) => redisSettingsSchema.parse(input);
const target = (server: RunningServer) => `${server.host}:${server.port}`;

describe('redis prober against a real redis-server', () => {
  it('answers PONG and exports the length of each queue', async () => {
    const run = await runProber(
      redisProber,
      settings({ queues: ['agent-tasks', 'missing'] }),
      target(open),
    );
    expect(run.outcome).toEqual({ success: true });
    expect(sampleLines(run.samples)).toEqual([
      'probe_redis_ping_success 1',
      'probe_redis_queue_length{queue="agent-tasks"} 3',
      'probe_redis_queue_length{queue="missing"} 0',
      'probe_redis_queue_read_success{queue="agent-tasks"} 1',
      'probe_redis_queue_read_success{queue="missing"} 1',
    ]);
  });

  it('accepts a redis:// target and reads queues of the configured db', async () => {
    const run = await runProber(
      redisProber,
      settings({ db: 3, queues: ['db3-jobs'] }),
      `redis://${target(open)}`,
    );
    expect(run.outcome).toEqual({ success: true });
    expect(valueOf(run.samples, 'probe_redis_queue_length', { queue: 'db3-jobs' })).toBe(1);
  });

  it('fails with query when LLEN hits a key that is not a list, still reading the others', async () => {
    const run = await runProber(
      redisProber,
      settings({ queues: ['not-a-list', 'agent-tasks'] }),
      target(open),
    );
    expect(run.outcome).toEqual({ success: false, reason: 'query' });
    expect(sampleLines(run.samples)).toEqual([
      'probe_redis_ping_success 1',
      'probe_redis_queue_length{queue="agent-tasks"} 3',
      'probe_redis_queue_read_success{queue="agent-tasks"} 1',
      'probe_redis_queue_read_success{queue="not-a-list"} 0',
    ]);
    expect(run.logLines.join('\n')).toMatch(/LLEN failed for not-a-list \(WRONGTYPE/);
  });

  it('authenticates with the right password', async () => {
    const run = await runProber(redisProber, settings({ password: PASSWORD }), target(guarded));
    expect(run.outcome).toEqual({ success: true });
    expect(valueOf(run.samples, 'probe_redis_ping_success')).toBe(1);
  });

  it('reads the password from password_env', async () => {
    vi.stubEnv('LAYERWATCH_TEST_REDIS_PASSWORD', PASSWORD);
    try {
      const input = settings({ password_env: 'LAYERWATCH_TEST_REDIS_PASSWORD' });
      const run = await runProber(redisProber, input, target(guarded));
      expect(run.outcome).toEqual({ success: true });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('fails with auth on a wrong password', async () => {
    const run = await runProber(redisProber, settings({ password: 'wrong' }), target(guarded));
    expect(run.outcome).toEqual({ success: false, reason: 'auth' });
    expect(sampleLines(run.samples)).toEqual(['probe_redis_ping_success 0']);
    expect(run.logLines.join('\n')).toMatch(/AUTH answered WRONGPASS/);
  });

  it('fails with auth when the server wants a password and none is configured', async () => {
    const run = await runProber(redisProber, settings({ queues: ['q'] }), target(guarded));
    expect(run.outcome).toEqual({ success: false, reason: 'auth' });
    expect(sampleLines(run.samples)).toEqual([
      'probe_redis_ping_success 0',
      'probe_redis_queue_read_success{queue="q"} 0',
    ]);
  });

  it('closes its connection after every probe, failed or not', async () => {
    await runProber(redisProber, settings({ queues: ['agent-tasks'] }), target(open));
    await runProber(redisProber, settings({ password: 'wrong' }), target(guarded));
    const watcher = new Redis({ host: open.host, port: open.port });
    const guardedWatcher = new Redis({
      host: guarded.host,
      port: guarded.port,
      password: PASSWORD,
    });
    try {
      await vi.waitFor(async () => {
        expect(await clientCount(watcher)).toBe(1);
        expect(await clientCount(guardedWatcher)).toBe(1);
      });
    } finally {
      watcher.disconnect();
      guardedWatcher.disconnect();
    }
  });
});

describe('redis prober over TLS', () => {
  it('verifies the certificate against the configured CA', async () => {
    const input = settings({ tls: true, tls_config: { ca_file: certFiles.caFile } });
    const run = await runProber(redisProber, input, target(secured));
    expect(run.outcome).toEqual({ success: true });
    expect(sampleLines(run.samples).filter((line) => line.startsWith('probe_redis'))).toEqual([
      'probe_redis_ping_success 1',
    ]);
  });

  it('reports the certificate series on every one of five consecutive probes', async () => {
    const input = settings({ tls: true, tls_config: { ca_file: certFiles.caFile } });
    for (let i = 1; i <= 5; i += 1) {
      const run = await runProber(redisProber, input, target(secured));
      expect(run.outcome, `probe ${i}`).toEqual({ success: true });
      await expectValidCertificateSeries(run.samples, `probe ${i}`);
    }
  });

  it('fails with tls when no CA vouches for the certificate', async () => {
    const run = await runProber(redisProber, settings({ tls: true }), target(secured));
    expect(run.outcome).toEqual({ success: false, reason: 'tls' });
    expect(sampleLines(run.samples)).toEqual(['probe_redis_ping_success 0']);
  });
});

describe('redis prober against misbehaving peers', () => {
  it('fails with connection_refused on a closed port', async () => {
    const run = await runProber(redisProber, settings(), `127.0.0.1:${await freePort()}`);
    expect(run.outcome).toEqual({ success: false, reason: 'connection_refused' });
    expect(sampleLines(run.samples)).toEqual(['probe_redis_ping_success 0']);
  });

  it('fails with timeout when a fake server accepts and never answers', async () => {
    const run = await probeFakeServer(redisProber, settings(), silent, 500);
    expect(run.outcome).toEqual({ success: false, reason: 'timeout' });
    expect(run.elapsedMs).toBeLessThan(500 + 2000);
    expect(sampleLines(run.samples)).toEqual(['probe_redis_ping_success 0']);
  });

  it('fails with protocol when a fake server answers garbage', async () => {
    const run = await probeFakeServer(
      redisProber,
      settings(),
      replyWith('HTTP/1.1 400 Bad Request\r\n\r\n'),
    );
    expect(run.outcome).toEqual({ success: false, reason: 'protocol' });
    expect(sampleLines(run.samples)).toEqual(['probe_redis_ping_success 0']);
  });

  it.each([
    [
      'expect_mismatch',
      'answers PING with something else',
      '+NOPE\r\n',
      /PING answered "NOPE", expected PONG/,
    ],
    [
      'rejecting',
      'is still loading its dataset',
      '-LOADING Redis is loading the dataset\r\n',
      /PING answered LOADING/,
    ],
  ])('fails with %s when a fake server %s', async (reason, _, reply, logged) => {
    const run = await probeFakeServer(redisProber, settings(), replyWith(reply));
    expect(run.outcome).toEqual({ success: false, reason });
    expect(run.logLines.join('\n')).toMatch(logged);
  });

  it('fails with connection_reset when a fake server resets the connection', async () => {
    const run = await probeFakeServer(redisProber, settings(), resetOnData);
    expect(run.outcome).toEqual({ success: false, reason: 'connection_reset' });
  });

  it('fails with invalid_target on a target without a port', async () => {
    const run = await runProber(redisProber, settings(), 'localhost');
    expect(run.outcome).toEqual({ success: false, reason: 'invalid_target' });
    expect(sampleLines(run.samples)).toEqual(['probe_redis_ping_success 0']);
  });
});

describe('redis settings', () => {
  it('applies defaults', () => {
    expect(settings()).toEqual({ tls: false, queues: [], db: 0 });
  });

  it.each([
    [{ queue: ['a'] }, /Unrecognized key\(s\) in object: 'queue'/],
    [{ password: 'a', password_env: 'B' }, /give password or password_env, not both/],
    [{ username: 'probe' }, /username needs a password/],
    [{ tls_config: { insecure_skip_verify: true } }, /tls_config is set but tls is false/],
    [{ db: -1 }, /greater than or equal to 0/],
    [{ queues: ['a', 'a'] }, /a queue is listed twice/],
  ])('rejects %j', (input, message) => {
    expect(() => redisSettingsSchema.parse(input)).toThrow(message);
  });

  it('fails prepare, naming the variable, when password_env is not set', () => {
    const input = settings({ password_env: 'LAYERWATCH_TEST_UNSET_VARIABLE' });
    expect(() => redisProber.prepare(input)).toThrow(
      new SettingsError(
        ['password_env'],
        'environment variable LAYERWATCH_TEST_UNSET_VARIABLE is not set; export it or use password',
      ),
    );
  });
});

async function clientCount(client: Redis): Promise<number> {
  const list = (await client.client('LIST')) as string;
  return list.trim().split('\n').length;
}
