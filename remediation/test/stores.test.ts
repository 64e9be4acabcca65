import { FREE_SIM_PORTS, type RunningSimulator, startSimulator } from '@layerwatch/sim';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRemediation } from '../src/server.js';
import { actionsAs, api, baseConfig, startService } from './support/service.js';
import { STORE_NAMES, startStores, type StoreInput } from './support/stores.js';

/**
 * The guarantees that live in the store, on a real SQLite file and a real PostgreSQL:
 * confirmation, idempotent retries, cooldowns and the concurrency cap across a restart,
 * the audit chain.
 */
let sim: RunningSimulator;
let stores: Awaited<ReturnType<typeof startStores>>;
let slow: { url: string; stop(): Promise<void> };

beforeAll(async () => {
  stores = await startStores('stores');
  sim = await startSimulator({ ports: FREE_SIM_PORTS });
  slow = await startSlowService(1500);
});
afterAll(async () => {
  await sim?.stop();
  await stores?.stop();
  await slow?.stop();
});

describe.each(STORE_NAMES)('on %s', (name) => {
  let service: RunningRemediation;
  // One database for the whole block: the restart, the second process and the audit chain
  // all read what the tests before them wrote.
  let store: StoreInput;
  const operator = actionsAs('operator', () => service.url);
  const config = () =>
    baseConfig(
      store,
      { sim },
      {
        actions: {
          'set-batching': { cooldownSeconds: 3600 },
          'debug-logging': { cooldownSeconds: 0 },
        },
      },
    );
  beforeAll(async () => {
    store = stores.fresh[name]();
    service = await startService(config());
  });
  afterAll(() => service?.stop());

  it('executes a confirmed action once, with the token bound to action, params and user', async () => {
    const status = await fetch(`${sim.services.evolution.url}/api/population/status`);
    const current = ((await status.json()) as { generation: number }).generation;
    const params = { generation: current - 2 };
    const unconfirmed = await operator.execute('rollback-evolution', { params });
    expect(unconfirmed.status).toBe(428);
    expect(unconfirmed.body['reason']).toBe('confirmation_required');

    const grafana = { 'x-grafana-context': JSON.stringify({ Login: 'alice', OrgRole: 'Editor' }) };
    const dry = await operator.dryRun('rollback-evolution', { params }, grafana);
    expect(dry.status).toBe(200);
    expect(dry.body['plan']).toEqual({
      summary: `Roll layer 7 evolution back from generation ${current} to ${current - 2}`,
      changes: [
        { kind: 'generation', target: sim.services.evolution.url, from: current, to: current - 2 },
      ],
    });
    const token = (dry.body['confirmation'] as { token: string }).token;
    const confirmed = { params, confirmationToken: token };

    // Another user behind the same proxy token, other params, another token: all refused.
    const bob = { 'x-grafana-context': JSON.stringify({ Login: 'bob' }) };
    for (const [who, body, headers] of [
      ['operator', confirmed, bob],
      ['operator', { params: { generation: 41 }, confirmationToken: token }, grafana],
      ['admin', confirmed, grafana],
    ] as const) {
      const res = await actionsAs(who, () => service.url).execute(
        'rollback-evolution',
        body,
        headers,
      );
      expect(res.status).toBe(428);
      expect(res.body['reason']).toBe('confirmation_invalid');
    }
    const ok = await operator.execute('rollback-evolution', confirmed, grafana);
    expect(ok.status).toBe(200);
    expect(ok.body['result']).toEqual({ status: 'rolled_back', generation: current - 2 });
    const again = await operator.execute('rollback-evolution', confirmed, grafana);
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
    const key = { 'idempotency-key': `retry-${store.kind}` };
    const first = await operator.execute('set-batching', { params: { batchSize: 16 } }, key);
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

    const retry = await operator.execute('set-batching', { params: { batchSize: 16 } }, key);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ ...first.body, replayed: true });
    const batching = (await (
      await fetch(`${sim.services.agent.url}/api/config/batching`)
    ).json()) as { batch_size: number };
    expect(batching.batch_size).toBe(99);

    const reused = await operator.execute('set-batching', { params: { batchSize: 17 } }, key);
    expect(reused.status).toBe(409);
    expect(reused.body['reason']).toBe('idempotency_key_reused');

    const cooled = await operator.execute('set-batching', { params: { batchSize: 20 } });
    expect(cooled.status).toBe(409);
    expect(cooled.body['reason']).toBe('cooldown');
    expect(cooled.body['retryAfterSeconds']).toBeGreaterThan(3500);
  });

  it('holds the concurrency cap in the store, across processes sharing it', async () => {
    // A layer-9 service that takes 1.5 s to answer holds the only slot meanwhile.
    const slowConfig = baseConfig(
      store,
      {
        sim: { services: { ...sim.services, slow: { url: slow.url, layer: '9' } } },
      },
      { limits: { maxConcurrentActions: 1 } },
    );
    const second = await startService(slowConfig);
    const third = await startService(slowConfig);
    const inSecond = actionsAs('operator', () => second.url);
    const inThird = actionsAs('operator', () => third.url);
    const debugLayer4 = { params: { layer: '4', minutes: 1 } };
    try {
      const held = inSecond.execute('debug-logging', { params: { layer: '9', minutes: 1 } });
      // Poll until the slow action holds the slot, then a second one is refused.
      let refused: Awaited<ReturnType<typeof api>> | undefined;
      for (let i = 0; i < 50 && refused?.status !== 429; i++) {
        refused = await inSecond.execute('debug-logging', debugLayer4);
      }
      expect(refused?.status).toBe(429);
      expect(refused?.body['reason']).toBe('too_many_concurrent');
      // Another process with the same cap, sharing the store, sees the same slot taken.
      const other = await inThird.execute('debug-logging', debugLayer4);
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
