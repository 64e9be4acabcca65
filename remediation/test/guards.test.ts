import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAlertmanager } from '@layerwatch/local';
import type { RunningRemediation } from '../src/server.js';
import { startTestAlertmanager } from './support/alertmanager.js';
import { actionsAs, api, baseConfig, startService } from './support/service.js';
import { STORE_NAMES, storesAndBackend } from './support/stores.js';

/** Issue 18, items 3–5: no silence that mutes everything; auto-runs from the stored state. */
const started = storesAndBackend('guards');
let am: RunningAlertmanager;
beforeAll(async () => {
  am = await startTestAlertmanager(started.stores.dir);
});
afterAll(() => am?.stop());

const MUTE_ALL = ['.*', '.+', '(.*)', '^.*$', '.*.*', '.*|x', '.{0,}', '[\\s\\S]*'];

const alert = (status: 'firing' | 'resolved', startsAt: string) => ({
  version: '4',
  status,
  receiver: 'remediation',
  alerts: [
    {
      status,
      labels: { alertname: 'LayerwatchBatchStuck', layer: '4' },
      annotations: {},
      startsAt,
      ...(status === 'resolved' ? { endsAt: '2026-04-01T01:00:00Z' } : {}),
      fingerprint: '0123456789abcdef',
    },
  ],
});

describe.each(STORE_NAMES)('on %s', (name) => {
  let service: RunningRemediation;
  const operator = actionsAs('operator', () => service.url);
  beforeAll(async () => {
    service = await startService(
      baseConfig(
        started.stores.fresh[name](),
        { ...started.backends, alertmanagerUrl: am.url },
        {
          actions: { 'set-batching': { cooldownSeconds: 2 } },
          webhook: {
            autoRemediation: {
              enabled: true,
              rules: [
                {
                  name: 'unstick',
                  matchLabels: { alertname: 'LayerwatchBatchStuck' },
                  action: 'set-batching',
                  params: { batchSize: 5 },
                },
              ],
            },
          },
        },
      ),
    );
  });
  afterAll(() => service?.stop());

  const hook = async (body: unknown) => {
    const res = await api(service.url, 'alertmanager', 'POST', '/alertmanager/webhook', body);
    expect(res.status).toBe(200);
    return res.body['autoRuns'] as { status: number; outcome: string }[];
  };
  const silence = (matchers: unknown[]) =>
    operator.dryRun('silence', { params: { matchers, minutes: 5, comment: 'test' } });

  it.each(MUTE_ALL)('refuses a silence whose only matcher is alertname=~%j', async (value) => {
    const res = await silence([{ name: 'alertname', value, isRegex: true }]);
    expect(res.status).toBe(400);
    // `.+` fails on the empty value, so it is the missing equality that refuses it.
    expect(res.body['error']).toMatch(
      /^params\.matchers: (these matchers match every alert|a silence needs at least one equality)/,
    );
  });

  it('refuses no_such_label=~"^$" and negative matchers alone; takes one narrowed by an equality', async () => {
    for (const m of [
      { name: 'no_such_label', value: '^$', isRegex: true },
      { name: 'alertname', value: 'Nope', isEqual: false },
      { name: 'alertname', value: 'x+', isRegex: true },
    ]) {
      const res = await silence([m]);
      expect(res.status, JSON.stringify(m)).toBe(400);
      expect(res.body['error']).toMatch(/^params\.matchers: /);
    }
    const ok = await silence([
      { name: 'alertname', value: 'LayerwatchBatchStuck' },
      { name: 'instance', value: '.+', isRegex: true },
    ]);
    expect(ok.status).toBe(200);
  });

  it('never auto-runs for an instance whose resolved came before a late firing copy', async () => {
    const before = started.backend.puts().length;
    const startsAt = '2026-04-01T00:00:00Z';
    expect(await hook(alert('resolved', startsAt))).toEqual([]);
    expect(await hook(alert('firing', startsAt))).toEqual([]);
    expect(started.backend.puts().length).toBe(before);
  });

  it('retries an auto-run refused by the cooldown on the next delivery, and runs it once', async () => {
    const startsAt = '2026-04-02T00:00:00Z';
    const manual = await operator.execute('set-batching', { params: { batchSize: 6 } });
    expect(manual.body['status']).toBe('succeeded');
    const refused = { status: 409, outcome: 'cooldown' };
    expect(await hook(alert('firing', startsAt))).toMatchObject([refused]);
    expect(await hook(alert('firing', startsAt))).toMatchObject([refused]);
    await new Promise((r) => setTimeout(r, 2100));
    const before = started.backend.puts().length;
    expect(await hook(alert('firing', startsAt))).toMatchObject([
      { status: 200, outcome: 'succeeded' },
    ]);
    expect(await hook(alert('firing', startsAt))).toEqual([]);
    expect(started.backend.puts().slice(before)).toEqual([5]);
  });
});
