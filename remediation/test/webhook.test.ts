import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@layerwatch/local';
import { FREE_SIM_PORTS, type RunningSimulator, startSimulator } from '@layerwatch/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRemediation } from '../src/server.js';
import { parseWebhook } from '../src/webhook/parse.js';
import { api, baseConfig, startService, tempDir } from './support/service.js';

// Read in place, never copied into the project.
const FIXTURES = fileURLToPath(
  new URL('../../../shared/fixtures/alertmanager-webhooks/', import.meta.url),
);
const fixtures = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .sort();
const load = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));

describe('webhook payload parsing', () => {
  it('finds the shared fixtures', () => expect(fixtures.length).toBeGreaterThanOrEqual(7));

  it.each(fixtures)('parses %s', (name) => {
    const result = parseWebhook(load(name), Date.parse('2026-01-01T00:00:00Z'));
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    for (const alert of result.payload.alerts) {
      expect(alert.fingerprint).toMatch(/^[0-9a-f]{16}$/);
      expect(alert.startsAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    }
  });

  it('normalises timestamps and derives missing status and fingerprints', () => {
    const teams = parseWebhook(load('prometheus-msteams__prom_post_request.json'));
    expect(teams.ok && teams.payload.alerts[0]).toMatchObject({
      status: 'firing', // no status, endsAt is Go's zero time
      startsAt: '2018-03-07T11:33:21.873077559Z',
      endsAt: undefined,
      derivedFingerprint: true,
    });
    const multiple = parseWebhook(load('prom2teams__all_ok_multiple.json'));
    const [a, b] = multiple.ok ? multiple.payload.alerts : [];
    // Same sender fingerprint and startsAt (written with 9 and 6 digits), other labels: two alerts.
    expect(a?.startsAt).toBe('2017-05-09T07:01:37.803Z');
    expect(b?.startsAt).toBe(a?.startsAt);
    expect(a?.dedupeKey).not.toBe(b?.dedupeKey);
    const empty = parseWebhook(load('prometheus-am-executor__alert_payload.json'));
    const [x, y] = empty.ok ? empty.payload.alerts : [];
    expect(x?.derivedFingerprint).toBe(true);
    expect(x?.fingerprint).not.toBe(y?.fingerprint);
  });

  it('refuses what is not a payload, naming the field', () => {
    expect(parseWebhook({ alerts: [{ labels: {}, startsAt: 'yesterday' }] })).toMatchObject({
      ok: false,
      error: 'alerts.0.startsAt "yesterday" is not an RFC 3339 time',
    });
    expect(parseWebhook({ receiver: 'x' })).toMatchObject({ ok: false });
  });
});

describe('POST /alertmanager/webhook', () => {
  let sim: RunningSimulator;
  let service: RunningRemediation;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  const firing = (startsAt: string, status = 'firing') => ({
    version: '4',
    groupKey: '{}:{alertname="LayerwatchLayerDown"}',
    status: 'firing',
    receiver: 'remediation',
    alerts: [
      {
        status,
        labels: {
          alertname: 'LayerwatchLayerDown',
          layer: '7',
          priority: 'P0',
          severity: 'critical',
        },
        annotations: { summary: 'layer 7 down' },
        startsAt,
        endsAt: '0001-01-01T00:00:00Z',
        fingerprint: 'a1b2c3d4e5f60718',
      },
    ],
  });

  beforeAll(async () => {
    dir = await tempDir('webhook');
    sim = await startSimulator({ ports: FREE_SIM_PORTS });
    service = await startService(
      // Layer 9's only service is gone: its actions fail.
      baseConfig(
        { kind: 'sqlite', path: join(dir.dir, 'audit.db') },
        {
          sim: {
            services: {
              ...sim.services,
              gone: { url: `http://127.0.0.1:${await freePort()}`, layer: '9' },
            },
          },
        },
        {
          actions: { 'rollback-evolution': { cooldownSeconds: 0 } },
          webhook: {
            autoRemediation: {
              enabled: true,
              rules: [
                {
                  name: 'rollback-layer7',
                  matchLabels: { alertname: 'LayerwatchLayerDown', layer: '7' },
                  action: 'rollback-evolution',
                  params: {},
                },
                {
                  name: 'debug-layer',
                  matchLabels: { alertname: 'LayerwatchLayerDown' },
                  action: 'debug-logging',
                  params: { layer: { fromLabel: 'layer' }, minutes: 5 },
                },
                {
                  name: 'debug-gone',
                  matchLabels: { alertname: 'LayerwatchLayerDown' },
                  action: 'debug-logging',
                  params: { layer: '9', minutes: 5 },
                },
                {
                  name: 'bad-params',
                  matchLabels: { layer: '7' },
                  action: 'set-batching',
                  params: { batchSize: 5000 },
                },
              ],
            },
          },
        },
      ),
    );
  });
  afterAll(async () => {
    await service?.stop();
    await sim?.stop();
    await dir?.remove();
  });

  it('takes only the alertmanager identity', async () => {
    expect(
      (
        await api(
          service.url,
          undefined,
          'POST',
          '/alertmanager/webhook',
          firing('2026-01-01T00:00:00Z'),
        )
      ).status,
    ).toBe(401);
    const admin = await api(
      service.url,
      'admin',
      'POST',
      '/alertmanager/webhook',
      firing('2026-01-01T00:00:00Z'),
    );
    expect(admin.status).toBe(403);
    expect(admin.body['reason']).toBe('not_a_sender');
  });

  it('stores every fixture as pages, and a second delivery only counts', async () => {
    for (const name of fixtures) {
      const res = await api(
        service.url,
        'alertmanager',
        'POST',
        '/alertmanager/webhook',
        load(name),
      );
      expect(res.status, name).toBe(200);
    }
    const again = await api(
      service.url,
      'alertmanager',
      'POST',
      '/alertmanager/webhook',
      load('prom2teams__all_ok_multiple.json'),
    );
    expect(again.body).toMatchObject({ received: 2, newPages: 0, duplicates: 2 });
    const pages = await api(
      service.url,
      'viewer',
      'GET',
      '/api/v1/pages?status=resolved&limit=500',
    );
    const disk = (
      pages.body['pages'] as { labels: { instance?: string }; deliveries: number }[]
    ).filter((p) => p.labels.instance?.endsWith('.evilcorp'));
    // cs30 (fingerprint dd19…, also in extra_annotations): 3; cs31: 2; cs30 without a
    // fingerprint (an older Alertmanager, so another derived one): 1.
    expect(disk.map((p) => p.deliveries).sort()).toEqual([1, 2, 3]);
  });

  it('auto-remediates a firing alert once, however often it is delivered; a failing action still answers 200', async () => {
    const generation = async () =>
      (
        (await (await fetch(`${sim.services.evolution.url}/api/population/status`)).json()) as {
          generation: number;
        }
      ).generation;
    const before = await generation();
    const payload = firing('2026-02-01T10:00:00.123456789Z');
    const first = await api(service.url, 'alertmanager', 'POST', '/alertmanager/webhook', payload);
    expect(first.status).toBe(200);
    const fingerprint = 'a1b2c3d4e5f60718';
    expect(first.body['autoRuns']).toEqual([
      {
        rule: 'rollback-layer7',
        action: 'rollback-evolution',
        fingerprint,
        status: 200,
        outcome: 'succeeded',
      },
      {
        rule: 'debug-layer',
        action: 'debug-logging',
        fingerprint,
        status: 200,
        outcome: 'succeeded',
      },
      { rule: 'debug-gone', action: 'debug-logging', fingerprint, status: 200, outcome: 'failed' },
      {
        rule: 'bad-params',
        action: 'set-batching',
        fingerprint,
        status: 400,
        outcome: 'invalid_params',
      },
    ]);
    expect(await generation()).toBe(before - 1);
    // HA duplicates and retries: the same instance, with the timestamp written otherwise.
    const dup = firing('2026-02-01T11:00:00.123456789+01:00');
    const results = await Promise.all(
      [1, 2, 3].map(() => api(service.url, 'alertmanager', 'POST', '/alertmanager/webhook', dup)),
    );
    for (const r of results) expect(r.body['autoRuns']).toEqual([]);
    expect(await generation()).toBe(before - 1);
    // In a firing group, an alert that has itself resolved runs nothing.
    const resolved = await api(
      service.url,
      'alertmanager',
      'POST',
      '/alertmanager/webhook',
      firing('2026-03-01T00:00:00Z', 'resolved'),
    );
    expect(resolved.body['autoRuns']).toEqual([]);
    const audit = await api(service.url, 'viewer', 'GET', '/api/v1/audit?actor=alertmanager-auto');
    expect(
      (audit.body['records'] as { mode: string; outcome: string }[])
        .map((r) => `${r.mode}/${r.outcome}`)
        .sort(),
    ).toEqual([
      'auto/denied',
      'auto/failed',
      // Write-ahead: each of the three runs that reached a backend has its intent first.
      'auto/intent',
      'auto/intent',
      'auto/intent',
      'auto/succeeded',
      'auto/succeeded',
    ]);
  });
});
