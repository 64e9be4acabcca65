import { setTimeout as sleep } from 'node:timers/promises';
import type { RuleGroup } from '@layerwatch/alert-rules';
import type { RunningAlertmanager } from '@layerwatch/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAST_ALERTMANAGER,
  ruleGroupsWith,
  ruleLabels,
  startPagingComposition,
  waitFor,
  type PagingComposition,
} from './support/alerting.js';

/**
 * The generated inhibition rules, in a real Alertmanager composed as `make up` composes it
 * (paging a stand-in receiver): `amtool config routes test` can only show routing, so alerts
 * are posted over API v2 and Alertmanager is asked which of them it mutes, and the webhook
 * receiver shows what was notified.
 */
let loop: PagingComposition;
let alertmanager: RunningAlertmanager;
// The rules the composition loads: the committed config with FAST_ALERTMANAGER's timing.
const groups: RuleGroup[] = ruleGroupsWith(FAST_ALERTMANAGER);

beforeAll(async () => {
  loop = await startPagingComposition('alerting-inhibition', 'alertmanager');
  alertmanager = loop.composition.state.alertmanager!;
});

afterAll(() => loop?.stop());

const redis = { name: 'redis', target: '127.0.0.1:6379', module: 'redis_queue' };
const postgres = { name: 'postgres', target: '127.0.0.1:5432', module: 'postgres_ready' };

/** Each posted alert by a short name: what fires, and whether Alertmanager should mute it. */
function scenario(): Record<string, { labels: Record<string, string>; muted: boolean }> {
  const g = groups;
  return {
    layer4Down: {
      labels: ruleLabels(g, 'LayerwatchProbeDown', { layer: '4', name: 'agent' }),
      muted: false,
    },
    layer4Burn: {
      labels: ruleLabels(g, 'LayerwatchAvailabilityBudgetBurn', { layer: '4' }, 'P2'),
      muted: true,
    },
    layer5Burn: {
      labels: ruleLabels(g, 'LayerwatchAvailabilityBudgetBurn', { layer: '5' }, 'P2'),
      muted: false,
    },
    nodeDown: {
      labels: ruleLabels(g, 'LayerwatchGpuNodeDown', { node: 'gpu-a', instance: '10.0.0.8:9701' }),
      muted: false,
    },
    nodeASaturated: {
      labels: ruleLabels(g, 'LayerwatchGpuSaturated', { node: 'gpu-a', layer: '8', index: '0' }),
      muted: true,
    },
    nodeBSaturated: {
      labels: ruleLabels(g, 'LayerwatchGpuSaturated', { node: 'gpu-b', layer: '8', index: '0' }),
      muted: false,
    },
    postgresNotReady: {
      labels: ruleLabels(g, 'LayerwatchPostgresNotReady', { layer: 'shared', ...postgres }),
      muted: false,
    },
    postgresProbeDown: {
      labels: ruleLabels(g, 'LayerwatchProbeDown', { layer: 'shared', ...postgres }),
      muted: true,
    },
    redisProbeDown: {
      labels: ruleLabels(g, 'LayerwatchProbeDown', { layer: 'shared', ...redis }),
      muted: false,
    },
    // A P0 without a layer mutes nothing: `equal: [layer]` would match every layerless alert.
    gateHalted: { labels: ruleLabels(g, 'LayerwatchReadinessGateFailedTwice', {}), muted: false },
    readinessFileInvalid: {
      labels: ruleLabels(g, 'LayerwatchReadinessFileInvalid', {}),
      muted: false,
    },
  };
}

interface ApiAlert {
  labels: Record<string, string>;
  status: { state: string; inhibitedBy: string[] };
}

async function apiAlerts(): Promise<ApiAlert[]> {
  return (await (await fetch(`${alertmanager.url}/api/v2/alerts`)).json()) as ApiAlert[];
}

const key = (labels: Record<string, string>): string =>
  JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));

describe('Alertmanager inhibition (generated inhibit_rules)', () => {
  it('mutes lower alerts of a layer with a P0, GPU alerts of a down node, and the probe-down under PostgresNotReady', async () => {
    const alerts = scenario();
    const response = await fetch(`${alertmanager.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        Object.values(alerts).map(({ labels }) => ({ labels, annotations: {} })),
      ),
    });
    expect(response.status).toBe(200);
    const seen = await waitFor('every posted alert in the API', async () => {
      const list = await apiAlerts();
      return list.length === Object.keys(alerts).length ? list : undefined;
    });
    const state = new Map(seen.map((a) => [key(a.labels), a.status]));
    const muted = Object.entries(alerts)
      .filter(([, a]) => state.get(key(a.labels))?.inhibitedBy.length)
      .map(([name]) => name);
    expect(muted.sort()).toEqual(['layer4Burn', 'nodeASaturated', 'postgresProbeDown']);
    expect(state.get(key(alerts['layer4Burn']!.labels))?.state).toBe('suppressed');
  });

  it('notifies the remediation webhook of every alert except the muted ones', async () => {
    const alerts = scenario();
    const expected = Object.values(alerts)
      .filter((a) => !a.muted)
      .map((a) => key(a.labels));
    const notifiedKeys = () => new Set(loop.receiver.alerts().map((a) => key(a.labels)));
    await waitFor('a notification of every unmuted alert', () => {
      const got = notifiedKeys();
      return expected.every((k) => got.has(k)) ? got : undefined;
    });
    await sleep(1500); // a group interval more: a muted alert would have come by now
    const notified = notifiedKeys();
    for (const a of Object.values(alerts).filter((x) => x.muted)) {
      expect(notified.has(key(a.labels)), JSON.stringify(a.labels)).toBe(false);
    }
  });
});
