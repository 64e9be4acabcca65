import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startPostgres, type RunningPostgres } from '@layerwatch/local';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { postgresSettingsSchema } from '../src/config/postgres-settings.js';
import { postgresProber } from '../src/prober/postgres.js';
import { probeFakeServer, replyWith, resetOnData, silent } from './support/fake-server.js';
import { runProber, sampleLines, valueOf } from './support/run-prober.js';
import { testCertificates, type TestCertificateFiles } from './support/tls-certs.js';
import { expectValidCertificateSeries } from './support/valid-certificate-series.js';

const PASSWORD = 'probe secret';
const dataDirs: string[] = [];
let certFiles: TestCertificateFiles;
/** Trusts every login; no TLS. */
let trusted: RunningPostgres;
/** Wants PASSWORD (scram-sha-256); TLS on, with a certificate for 127.0.0.1 from the test CA. */
let secured: RunningPostgres;

beforeAll(async () => {
  // Each its own mkdtemp: run as root, the server runs as postgres, which must reach it.
  const newDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'layerwatch-pg-prober-'));
    dataDirs.push(dir);
    return dir;
  };
  const certs = await testCertificates();
  certFiles = await certs.writeFiles();
  [trusted, secured] = await Promise.all([
    startPostgres({ dataDir: await newDir() }),
    startPostgres({
      dataDir: await newDir(),
      user: 'app',
      password: PASSWORD,
      database: 'agents',
      tls: certs.valid,
    }),
  ]);
});

afterAll(async () => {
  await Promise.all([trusted?.stop(), secured?.stop()]);
  await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  if (certFiles) await rm(certFiles.dir, { recursive: true, force: true });
});

const settings = (input: object = {}) => postgresSettingsSchema.parse(input);
const target = (server: RunningPostgres) => `${server.host}:${server.port}`;
const READY = ['probe_postgres_ping_status 0', 'probe_postgres_ready 1'];
// sampleLines sorts: query_success falls between ping_status and ready.
const QUERIED = [
  'probe_postgres_ping_status 0',
  'probe_postgres_query_success 1',
  'probe_postgres_ready 1',
];
const QUERY_FAILED = [
  'probe_postgres_ping_status 0',
  'probe_postgres_query_success 0',
  'probe_postgres_ready 1',
];

describe('postgres prober against a real server', () => {
  it('is ready when the server asks for authentication', async () => {
    const run = await runProber(postgresProber, settings({ user: 'layerwatch' }), target(trusted));
    expect(run.outcome).toEqual({ success: true });
    expect(sampleLines(run.samples)).toEqual(READY);
  });

  it('is ready for a role that does not exist, as pg_isready is', async () => {
    // The default user, postgres, is no role of this cluster: a login would fail, a ping not.
    const run = await runProber(postgresProber, settings(), `postgres://${target(trusted)}`);
    expect(run.outcome).toEqual({ success: true });
    expect(sampleLines(run.samples)).toEqual(READY);
  });

  it('runs SELECT 1 when query is enabled', async () => {
    const input = settings({ user: 'layerwatch', database: 'postgres', query: true });
    const run = await runProber(postgresProber, input, target(trusted));
    expect(run.outcome).toEqual({ success: true });
    expect(sampleLines(run.samples)).toEqual(QUERIED);
  });

  it('is ready with a wrong password when it does not log in', async () => {
    const input = settings({ user: 'app', password: 'wrong' });
    const run = await runProber(postgresProber, input, target(secured));
    expect(run.outcome).toEqual({ success: true });
    expect(sampleLines(run.samples)).toEqual(READY);
  });

  it('fails with auth on a wrong password when it logs in', async () => {
    const input = settings({ user: 'app', database: 'agents', password: 'wrong', query: true });
    const run = await runProber(postgresProber, input, target(secured));
    expect(run.outcome).toEqual({ success: false, reason: 'auth' });
    expect(sampleLines(run.samples)).toEqual(QUERY_FAILED);
    expect(run.logLines.join('\n')).toMatch(/password authentication failed/);
  });

  it('logs in with the password from password_env', async () => {
    vi.stubEnv('LAYERWATCH_TEST_PG_PASSWORD', PASSWORD);
    try {
      const input = settings({
        user: 'app',
        database: 'agents',
        password_env: 'LAYERWATCH_TEST_PG_PASSWORD',
        query: true,
      });
      const run = await runProber(postgresProber, input, target(secured));
      expect(run.outcome).toEqual({ success: true });
      expect(sampleLines(run.samples)).toEqual(QUERIED);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('fails with query when the database does not exist, though the server is ready', async () => {
    const input = settings({ user: 'app', database: 'nope', password: PASSWORD, query: true });
    const run = await runProber(postgresProber, input, target(secured));
    expect(run.outcome).toEqual({ success: false, reason: 'query' });
    expect(sampleLines(run.samples)).toEqual(QUERY_FAILED);
  });
});

describe('postgres prober over TLS', () => {
  const login = { user: 'app', database: 'agents', password: PASSWORD, query: true };

  it('pings and logs in with tls: require', async () => {
    const run = await runProber(
      postgresProber,
      settings({ ...login, tls: 'require' }),
      target(secured),
    );
    expect(run.outcome).toEqual({ success: true });
    expect(run.logLines.join('\n')).toMatch(/TLS established \(TLSv1\.3\)/);
    expect(sampleLines(run.samples).filter((line) => line.startsWith('probe_postgres'))).toEqual(
      QUERIED,
    );
    // require checks no chain: blackbox's zero time for the last verified chain.
    expect(valueOf(run.samples, 'probe_ssl_last_chain_expiry_timestamp_seconds')).toBe(
      -62135596800,
    );
  });

  it('reports the certificate series on every one of five consecutive probes', async () => {
    const input = settings({
      ...login,
      tls: 'verify-full',
      tls_config: { ca_file: certFiles.caFile },
    });
    for (let i = 1; i <= 5; i += 1) {
      const run = await runProber(postgresProber, input, target(secured));
      expect(run.outcome, `probe ${i}`).toEqual({ success: true });
      await expectValidCertificateSeries(run.samples, `probe ${i}`);
    }
  });

  it('verifies the certificate with tls: verify-full and the CA', async () => {
    const input = settings({
      ...login,
      tls: 'verify-full',
      tls_config: { ca_file: certFiles.caFile },
    });
    const run = await runProber(postgresProber, input, target(secured));
    expect(run.outcome).toEqual({ success: true });
  });

  it('fails with tls under verify-full when no CA vouches for the certificate', async () => {
    const run = await runProber(postgresProber, settings({ tls: 'verify-full' }), target(secured));
    expect(run.outcome).toEqual({ success: false, reason: 'tls' });
    expect(sampleLines(run.samples)).toEqual([
      'probe_postgres_ping_status 2',
      'probe_postgres_ready 0',
    ]);
  });

  it('fails with tls when TLS is required and the server has none', async () => {
    const run = await runProber(postgresProber, settings({ tls: 'require' }), target(trusted));
    expect(run.outcome).toEqual({ success: false, reason: 'tls' });
    expect(run.logLines.join('\n')).toMatch(/does not accept TLS/);
    expect(sampleLines(run.samples)).toEqual([
      'probe_postgres_ping_status 2',
      'probe_postgres_ready 0',
    ]);
  });
});

describe('postgres prober against misbehaving peers', () => {
  const NO_RESPONSE = ['probe_postgres_ping_status 2', 'probe_postgres_ready 0'];

  it('fails with connection_refused on a closed port', async () => {
    const run = await runProber(postgresProber, settings(), `127.0.0.1:${await freePort()}`);
    expect(run.outcome).toEqual({ success: false, reason: 'connection_refused' });
    expect(sampleLines(run.samples)).toEqual(NO_RESPONSE);
  });

  it('fails with timeout when a fake server accepts and never answers', async () => {
    const run = await probeFakeServer(postgresProber, settings({ query: true }), silent, 500);
    expect(run.outcome).toEqual({ success: false, reason: 'timeout' });
    expect(run.elapsedMs).toBeLessThan(500 + 2000);
    expect(sampleLines(run.samples)).toEqual([
      'probe_postgres_ping_status 2',
      'probe_postgres_query_success 0',
      'probe_postgres_ready 0',
    ]);
  });

  it('fails with protocol when a fake server answers garbage', async () => {
    const run = await probeFakeServer(
      postgresProber,
      settings(),
      replyWith('HTTP/1.1 400 Bad Request\r\n\r\n'),
    );
    expect(run.outcome).toEqual({ success: false, reason: 'protocol' });
    expect(sampleLines(run.samples)).toEqual(NO_RESPONSE);
  });

  it('fails with rejecting when a fake server answers SQLSTATE 57P03', async () => {
    const answer = errorResponse('57P03', 'the database system is starting up');
    const run = await probeFakeServer(postgresProber, settings({ query: true }), replyWith(answer));
    expect(run.outcome).toEqual({ success: false, reason: 'rejecting' });
    expect(sampleLines(run.samples)).toEqual([
      'probe_postgres_ping_status 1',
      'probe_postgres_query_success 0',
      'probe_postgres_ready 0',
    ]);
    expect(run.logLines.join('\n')).toMatch(/the database system is starting up/);
  });

  it('is ready when a fake server answers SQLSTATE 53300, as pg_isready is', async () => {
    const run = await probeFakeServer(
      postgresProber,
      settings(),
      replyWith(errorResponse('53300', 'too many clients')),
    );
    expect(run.outcome).toEqual({ success: true });
    expect(sampleLines(run.samples)).toEqual(READY);
  });

  it('fails with connection_reset when a fake server resets the connection', async () => {
    const run = await probeFakeServer(postgresProber, settings(), resetOnData);
    expect(run.outcome).toEqual({ success: false, reason: 'connection_reset' });
    expect(sampleLines(run.samples)).toEqual(NO_RESPONSE);
  });

  it('makes no attempt on an invalid target', async () => {
    const run = await runProber(postgresProber, settings(), 'mysql://db:3306');
    expect(run.outcome).toEqual({ success: false, reason: 'invalid_target' });
    expect(sampleLines(run.samples)).toEqual([
      'probe_postgres_ping_status 3',
      'probe_postgres_ready 0',
    ]);
  });
});

describe('postgres settings', () => {
  it('applies defaults', () => {
    expect(settings()).toEqual({ user: 'postgres', query: false, tls: 'disable' });
  });

  it.each([
    [{ sslmode: 'require' }, /Unrecognized key\(s\) in object: 'sslmode'/],
    [{ tls: 'verify-ca' }, /Expected 'disable' \| 'require' \| 'verify-full'/],
    [{ password: 'a', password_env: 'B' }, /give password or password_env, not both/],
    [{ tls_config: { ca_file: 'ca.pem' } }, /tls_config is set but tls is 'disable'/],
  ])('rejects %j', (input, message) => {
    expect(() => postgresSettingsSchema.parse(input)).toThrow(message);
  });
});

/** ErrorResponse as a backend sends it during startup. */
function errorResponse(sqlstate: string, message: string): Buffer {
  const body = Buffer.from(`SFATAL\0VFATAL\0C${sqlstate}\0M${message}\0\0`);
  const header = Buffer.alloc(5);
  header.write('E');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}
