/**
 * The simulated GPU node's faults page through the real loop (#16 item 3, #17 item 6): the
 * stack composed as `make up` composes it (1-second intervals; no GPU here, so the
 * simulator's node and its stand-in nvidia-smi), Prometheus running the generated GPU rules
 * (their `for:` shortened), Alertmanager paging a webhook receiver. Each fault is injected on
 * its own GPU through the simulator's fault switch and must page its alert for that GPU.
 */
import type { GpuFaultMode, RunningSimulator } from '@layerwatch/sim';
import { SIMULATED_GPU_NODE, SIMULATED_GPUS } from '@layerwatch/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startPagingComposition,
  waitFor,
  type PagingComposition,
  type WebhookAlert,
} from './support/alerting.js';
import { untilGpuHealthScraped } from './support/gpu-health.js';

let loop: PagingComposition;
let sim: RunningSimulator;

beforeAll(async () => {
  loop = await startPagingComposition('gpu-faults', 'prometheus', {
    intervalSeconds: 1,
    rules: { alerts: { gpuHardwareSlowdown: { for: '2s' }, gpuUnreadable: { for: '2s' } } },
  });
  sim = loop.composition.state.sim!;
  await untilGpuHealthScraped(loop.composition.state.prometheus!.url);
}, 120_000);

afterAll(() => loop?.stop());

/** The `uuid` label, as nvidia_gpu_exporter writes it: without nvidia-smi's `GPU-`. */
const uuidLabel = (gpu: number): string => SIMULATED_GPUS[gpu]!.uuid.replace(/^GPU-/, '');

function firing(alertname: string, uuid: string): WebhookAlert | undefined {
  return loop.receiver
    .alerts()
    .find(
      (a) =>
        a.status === 'firing' && a.labels['alertname'] === alertname && a.labels['uuid'] === uuid,
    );
}

async function inject(gpu: number, mode: GpuFaultMode, alertname: string): Promise<WebhookAlert> {
  const started = Date.now();
  const response = await fetch(`${sim.services.agent.url}/-/gpu`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ gpu, mode }),
  });
  expect(response.status).toBe(200);
  const uuid = uuidLabel(gpu);
  const page = await waitFor(`${alertname} for GPU ${gpu}`, () => firing(alertname, uuid), 45_000);
  console.log(`GPU ${gpu} ${mode} → ${alertname} paged in ${Date.now() - started} ms`);
  return page;
}

describe('simulated GPU faults page through Prometheus and Alertmanager', () => {
  it('an uncorrectable ECC error pages P1 for that GPU on the simulated node', async () => {
    const page = await inject(0, 'ecc-uncorrectable', 'LayerwatchGpuEccUncorrectableErrors');
    expect(page.labels).toMatchObject({ priority: 'P1', layer: '8', node: SIMULATED_GPU_NODE });
  }, 60_000);

  it('a hot GPU pages its hardware thermal slowdown (P2)', async () => {
    const page = await inject(1, 'hot', 'LayerwatchGpuHardwareSlowdown');
    expect(page.labels).toMatchObject({ priority: 'P2', reason: 'hw_thermal_slowdown' });
  }, 60_000);

  it('an XID 79 pages the lost GPU at once (P0)', async () => {
    const page = await inject(3, 'xid-79', 'LayerwatchGpuXidFatal');
    expect(page.labels).toMatchObject({ priority: 'P0', node: SIMULATED_GPU_NODE });
  }, 60_000);

  it('leaves the healthy GPU unpaged', () => {
    const pagedGpu2 = loop.receiver.alerts().filter((a) => a.labels['uuid'] === uuidLabel(2));
    expect(pagedGpu2).toEqual([]);
  });
});
