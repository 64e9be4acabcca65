import type { RunningPrometheus } from '@layerwatch/local';
import type { RunningSimulator } from '@layerwatch/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startPagingComposition,
  waitFor,
  type PagingComposition,
  type WebhookAlert,
} from './support/alerting.js';

/**
 * The whole alerting loop with real parts, composed as `make up` composes them up to
 * Prometheus: the simulated layers, the probe daemon probing them every second, Prometheus
 * running the generated rules (probe-down `for:` shortened to 2 s) and Alertmanager routing
 * to a webhook receiver in place of the remediation service.
 */
let loop: PagingComposition;
let sim: RunningSimulator;
let prometheus: RunningPrometheus;

beforeAll(async () => {
  loop = await startPagingComposition('alerting-loop', 'prometheus', {
    intervalSeconds: 1,
    rules: { alerts: { probeDown: { for: '2s' } } },
  });
  sim = loop.composition.state.sim!;
  prometheus = loop.composition.state.prometheus!;
}, 120_000);

afterAll(() => loop?.stop());

async function query(
  promql: string,
): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const response = await fetch(
    `${prometheus.url}/api/v1/query?query=${encodeURIComponent(promql)}`,
  );
  const body = (await response.json()) as {
    data: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  return body.data.result;
}

async function setFault(mode: 'fail' | 'ok'): Promise<void> {
  const response = await fetch(`${sim.services.evolution.url}/-/fault`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ mode }),
  });
  expect(response.status).toBe(200);
}

/** The first notified alert of this name and layer with this status, if one came. */
function notified(status: 'firing' | 'resolved', layer: string): WebhookAlert | undefined {
  return loop.receiver
    .alerts()
    .find(
      (a) =>
        a.status === status &&
        a.labels['alertname'] === 'LayerwatchProbeDown' &&
        a.labels['layer'] === layer,
    );
}

describe('probe → Prometheus rules → Alertmanager → webhook', () => {
  it('scrapes healthy layers and notifies nothing', async () => {
    await waitFor('probe_success of layer 7 in Prometheus', async () => {
      const result = await query('probe_success{job="layerwatch-probes",layer="7"}');
      return result[0]?.value[1] === '1' ? true : undefined;
    });
    expect(notified('firing', '7')).toBeUndefined();
  });

  it('pages LayerwatchProbeDown for layer 7 with its priority, runbook and actions', async () => {
    await setFault('fail');
    const alert = await waitFor('a firing LayerwatchProbeDown for layer 7', () =>
      notified('firing', '7'),
    );
    expect(alert.labels).toMatchObject({
      layer: '7',
      name: 'evolution',
      target: `${sim.services.evolution.url}/health`,
      priority: 'P1',
      severity: 'critical',
      job: 'layerwatch-probes',
    });
    expect(alert.annotations['runbook_url']).toMatch(
      /\/alert-rules\/runbooks\/LayerwatchProbeDown\.md$/,
    );
    expect(alert.annotations['layerwatch_actions']).toBe(
      'rollback-evolution,restart-deployment,silence',
    );
    expect(alert.annotations['description']).toBe(
      `evolution (${sim.services.evolution.url}/health, module http_healthy) on layer 7 (evolution) has failed every probe for 2s.`,
    );
    // The remediation receiver is reached through its continue: true route.
    expect(loop.receiver.payloads.find((p) => p.alerts.includes(alert))?.receiver).toBe(
      'remediation',
    );
    expect(notified('firing', '4')).toBeUndefined();
  });

  it('notifies the resolution once the layer answers again', async () => {
    await setFault('ok');
    const resolved = await waitFor('the resolved LayerwatchProbeDown for layer 7', () =>
      notified('resolved', '7'),
    );
    expect(resolved.fingerprint).toBe(notified('firing', '7')?.fingerprint);
  });
});
