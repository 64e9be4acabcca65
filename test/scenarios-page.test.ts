/**
 * The layer 5 and layer 7 scenarios page through the real loop (#16 item 3; the layer 4
 * queue backlog has test/queue-backlog-pages.test.ts, the GPU faults
 * test/gpu-faults-page.test.ts): the stack composed as `make up` composes it at 1-second
 * intervals, Prometheus running the generated rules with their windows shortened so the test
 * takes a minute, not the committed hour and ten minutes, Alertmanager paging a webhook
 * receiver. Both scenarios run at once, each on its own service.
 */
import { DEFAULT_CONFIG } from '@layerwatch/alert-rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPagingComposition, waitFor, type PagingComposition } from './support/alerting.js';

const OPTIMIZATION_SLO = 'optimization-latency';

let loop: PagingComposition;

beforeAll(async () => {
  loop = await startPagingComposition('scenarios-page', 'prometheus', {
    intervalSeconds: 1,
    rules: {
      // One fast burn window: 72 % of a minute's runs slow (14.4 × the 5 % a p95 allows).
      burnWindows: [{ factor: 14.4, long: '1m', short: '20s', for: '5s', priority: 'P0' }],
      // One run a second: 60 in the long window, so fewer than the committed 100 must do.
      slos: DEFAULT_CONFIG.slos.map((slo) =>
        slo.name === OPTIMIZATION_SLO ? { ...slo, minEvents: 20 } : slo,
      ),
      thresholds: { validationWindow: '30s', validationMinEnhancements: 5 },
      alerts: { validationGateRejecting: { for: '5s' } },
    },
  });
}, 120_000);

afterAll(() => loop?.stop());

async function startScenario(service: 'refinement' | 'evolution', scenario: string) {
  const response = await fetch(`${loop.composition.state.sim!.services[service].url}/-/fault`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ mode: 'scenario', scenario }),
  });
  expect(response.status).toBe(200);
}

function paged(alertname: string) {
  return () =>
    loop.receiver
      .alerts()
      .find((a) => a.status === 'firing' && a.labels['alertname'] === alertname);
}

describe('the layer scenarios page', () => {
  it('pages nothing of theirs while the layers are healthy', async () => {
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const names = loop.receiver.alerts().map((a) => a.labels['alertname']);
    expect(names).not.toContain('LayerwatchOptimizationLatencyBudgetBurn');
    expect(names).not.toContain('LayerwatchValidationGateRejecting');
  }, 30_000);

  it('slow-optimization pages the latency burn (P0), gate-rejections the gate (P2)', async () => {
    const started = Date.now();
    await startScenario('refinement', 'slow-optimization');
    await startScenario('evolution', 'gate-rejections');
    const pagedIn: Record<string, number> = {};
    const timed = (name: string) =>
      waitFor(name, paged(name), 150_000).then((alert) => {
        pagedIn[name] = Date.now() - started;
        return alert;
      });
    const [burn, gate] = await Promise.all([
      timed('LayerwatchOptimizationLatencyBudgetBurn'),
      timed('LayerwatchValidationGateRejecting'),
    ]);
    console.log(`pages after the scenarios started: ${JSON.stringify(pagedIn)}`);
    expect(burn.labels).toMatchObject({ priority: 'P0', layer: '5', slo: OPTIMIZATION_SLO });
    expect(gate.labels).toMatchObject({ priority: 'P2', layer: '7' });
  }, 180_000);
});
