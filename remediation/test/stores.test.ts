import { join } from 'node:path';
import { startPostgres, type RunningPostgres } from '@layerwatch/local';
import { startSimulator, type RunningSimulator } from '@layerwatch/sim';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../src/config/schema.js';
import type { RunningRemediation } from '../src/server.js';
import { api, baseConfig, startService, tempDir } from './support/service.js';

/**
 * The guarantees that live in the store, on a real SQLite file and a real PostgreSQL:
 * confirmation, idempotent retries, cooldowns and the concurrency cap across a restart,
 * the audit chain.
 */
let sim: RunningSimulator;
let pg: RunningPostgres;
let dir: Awaited<ReturnType<typeof tempDir>>;
let pgDir: Awaited<ReturnType<typeof tempDir>>;
let slow: { url: string; stop(): Promise<void> };

beforeAll(async () => {
  dir = await tempDir('stores');
  sim = await startSimulator({ ports: { agent: 0, scheduler: 0, refinement: 0, evolution: 0 } });
  pgDir = await tempDir('pg');
  pg = await startPostgres({ dataDir: pgDir.dir, database: 'remediation' });
  slow = await startSlowService(1500);
});
afterAll(async () => {
  await sim?.stop();
  await pg?.stop();
  await slow?.stop();
  await dir?.remove();
  await pgDir?.remove();
});

const stores: [string, () => ConfigInput['store']][] = [
  ['SQLite', () => ({ kind: 'sqlite', path: join(dir.dir, 'audit.db') })],
  [
    'PostgreSQL',
    () => ({ kind: 'postgres', url: `postgres://${pg.user}@127.0.0.1:${pg.port}/${pg.database}` }),
  ],
];

describe.each(stores)('on %s', (_name, store) => {
  let service: RunningRemediation;
  const config = () =>
    baseConfig(
      store(),
      { sim },
      {
        actions: {
          'set-batching': { cooldownSeconds: 3600 },
          'debug-logging': { cooldownSeconds: 0 },
        },
      },
    );
  beforeAll(async () => {
    service = await startService(config());
  });
  afterAll(() => service?.stop());

  it('executes a confirmed action once, with the token bound to action, params and user', async () => {
    const status = await fetch(`${sim.services.evolution.url}/api/population/status`);
    const current = ((await status.json()) as { generation: number }).generation;
    const params = { generation: current - 2 };
    const unconfirmed = await api(
      service.url,
      'operator',
      'POST',
      '/api/v1/actions/rollback-evolution/execute',
      { params },
    );
    expect(unconfirmed.status).toBe(428);
    expect(unconfirmed.body['reason']).toBe('confirmation_required');

    const grafana = { 'x-grafana-context': JSON.stringify({ Login: 'alice', OrgRole: 'Editor' }) };
    const dry = await api(
      service.url,
      'operator',
      'POST',
      '/api/v1/actions/rollback-evolution/dry-run',
      { params },
      grafana,
    );
    expect(dry.status).toBe(200);
    expect(dry.body['plan']).toEqual({
      summary: `Roll layer 7 evolution back from generation ${current} to ${current - 2}`,
      changes: [
        { kind: 'generation', target: sim.services.evolution.url, from: current, to: current - 2 },
      ],
    });
    const token = (dry.body['confirmation'] as { token: string }).token;

    // Another user behind the same proxy token, other params, another token: all refused.
    const bob = { 'x-grafana-context': JSON.stringify({ Login: 'bob' }) };
    for (const [who, body, headers] of [
      ['operator', { params, confirmationToken: token }, bob],
      ['operator', { params: { generation: 41 }, confirmationToken: token }, grafana],
      ['admin', { params, confirmationToken: token }, grafana],
    ] as const) {
      const res = await api(
        service.url,
        who,
        'POST',
        '/api/v1/actions/rollback-evolution/execute',
        body,
        headers,
      );
      expect(res.status).toBe(428);
      expect(res.body['reason']).toBe('confirmation_invalid');
    }
    const ok = await api(
      service.url,
      'operator',
      'POST',
      '/api/v1/actions/rollback-evolution/execute',
      { params, confirmationToken: token },
      grafana,
    );
    expect(ok.status).toBe(200);
    expect(ok.body['result']).toEqual({ status: 'rolled_back', generation: current - 2 });
    const again = await api(
      service.url,
      'operator',
      'POST',
      '/api/v1/actions/rollback-evolution/execute',
      { params, confirmationToken: token },
      grafana,
    );
    expect(again.status).toBe(428);
    expect(again.body['reason']).toBe('confirmation_used');

    const audit = await api(
      service.url,
      'viewer',
      'GET',
      '/api/v1/audit?action=rollback-evolution&outcome=succeeded',
    );
    const [record] = audit.body['records'] as {
      actingUser: string;
      actor: string;
      params: unknown;
    }[];
    expect(record).toMatchObject({ actor: 'operator', actingUser: 'alice', params });
  });

  it('replays a retried Idempotency-Key and runs nothing twice; cooldown and idempotency survive a restart', async () => {
    const key = { 'idempotency-key': `retry-${store().kind}` };
    const first = await api(
      service.url,
      'operator',
      'POST',
      '/api/v1/actions/set-batching/execute',
      { params: { batchSize: 16 } },
      key,
    );
    expect(first.status).toBe(200);
    expect(first.body['replayed']).toBe(false);
    // Someone changes batching by hand; a replay must not set it back to 16.
    await fetch(`${sim.services.agent.url}/api/config/batching`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"batch_size":99}',
    });

    await service.stop();
    service = await startService(config());

    const retry = await api(
      service.url,
      'operator',
      'POST',
      '/api/v1/actions/set-batching/execute',
      { params: { batchSize: 16 } },
      key,
    );
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ ...first.body, replayed: true });
    const batching = (await (
      await fetch(`${sim.services.agent.url}/api/config/batching`)
    ).json()) as { batch_size: number };
    expect(batching.batch_size).toBe(99);

    const reused = await api(
      service.url,
      'operator',
      'POST',
      '/api/v1/actions/set-batching/execute',
      { params: { batchSize: 17 } },
      key,
    );
    expect(reused.status).toBe(409);
    expect(reused.body['reason']).toBe('idempotency_key_reused');

    const cooled = await api(
      service.url,
      'operator',
      'POST',
      '/api/v1/actions/set-batching/execute',
      { params: { batchSize: 20 } },
    );
    expect(cooled.status).toBe(409);
    expect(cooled.body['reason']).toBe('cooldown');
    expect(cooled.body['retryAfterSeconds']).toBeGreaterThan(3500);
  });

  it('holds the concurrency cap in the store, across processes sharing it', async () => {
    // A layer-9 service that takes 1.5 s to answer holds the only slot meanwhile.
    const slowConfig = baseConfig(
      store(),
      {
        sim: { services: { ...sim.services, slow: { url: slow.url, layer: '9' } } },
      },
      { limits: { maxConcurrentActions: 1 } },
    );
    const second = await startService(slowConfig);
    const third = await startService(slowConfig);
    try {
      const held = api(second.url, 'operator', 'POST', '/api/v1/actions/debug-logging/execute', {
        params: { layer: '9', minutes: 1 },
      });
      // Poll until the slow action holds the slot, then a second one is refused.
      let refused: Awaited<ReturnType<typeof api>> | undefined;
      for (let i = 0; i < 50 && refused?.status !== 429; i++) {
        refused = await api(
          second.url,
          'operator',
          'POST',
          '/api/v1/actions/debug-logging/execute',
          { params: { layer: '4', minutes: 1 } },
        );
      }
      expect(refused?.status).toBe(429);
      expect(refused?.body['reason']).toBe('too_many_concurrent');
      // Another process with the same cap, sharing the store, sees the same slot taken.
      const other = await api(
        third.url,
        'operator',
        'POST',
        '/api/v1/actions/debug-logging/execute',
        { params: { layer: '4', minutes: 1 } },
      );
      expect(other.status, JSON.stringify(other.body)).toBe(429);
      expect((await held).body['status']).toBe('succeeded');
    } finally {
      await third.stop();
      await second.stop();
    }
  });

  it('verifies its audit chain and pages through it newest first', async () => {
    const verify = await api(service.url, 'viewer', 'GET', '/api/v1/audit/verify');
    expect(verify.body['ok']).toBe(true);
    expect(verify.body['checked']).toBeGreaterThan(10);
    const page1 = await api(service.url, 'viewer', 'GET', '/api/v1/audit?limit=3');
    const page2 = await api(
      service.url,
      'viewer',
      'GET',
      `/api/v1/audit?limit=3&cursor=${String(page1.body['nextCursor'])}`,
    );
    const seqs = [
      ...(page1.body['records'] as { seq: number }[]),
      ...(page2.body['records'] as { seq: number }[]),
    ].map((r) => r.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(new Set(seqs).size).toBe(6);
    const denied = await api(service.url, 'operator', 'GET', '/api/v1/audit/export');
    expect(denied.status).toBe(403);
    const exported = await fetch(`${service.url}/api/v1/audit/export`, {
      headers: { authorization: 'Bearer lw_test_admin_token_00000000000000' },
    });
    const lines = (await exported.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number });
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i + 1));
  });
});

/** A layer service that answers every request after `ms`: holds a concurrency slot. */
async function startSlowService(ms: number): Promise<{ url: string; stop(): Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    setTimeout(
      () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"level":"debug"}'),
      ms,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
