import { LAYER8, prometheusNameOf } from '@layerwatch/exporters';
import { describe, expect, it } from 'vitest';
import { SIMULATED_GPU_NODE, SIMULATED_GPUS } from '../src/index.js';
import { USD_PER_GPU_HOUR, type NodeAllocation } from '../src/workload/index.js';
import { call, fastClock, send, startTestSim } from './helpers.js';
import { scrape, total, type Sample } from './metrics-text.js';

const ALLOCATED = prometheusNameOf(LAYER8.gpuAllocated);
const CAPACITY = prometheusNameOf(LAYER8.gpuCapacity);
const COST = prometheusNameOf(LAYER8.costPerHour);

async function gpus(url: string): Promise<{ status: string; nodes: NodeAllocation[] }> {
  const { status, body } = await call(`${url}/api/gpus`);
  expect(status).toBe(200);
  return body as { status: string; nodes: NodeAllocation[] };
}

/** The three layer 8 gauges of one node, as `/metrics` shows them. */
function gauges(samples: readonly Sample[], node: string) {
  return {
    allocated: total(samples, ALLOCATED, { node, layer: '8' }),
    capacity: total(samples, CAPACITY, { node, layer: '8' }),
    cost: total(samples, COST, { node, layer: '8' }),
  };
}

describe('layer 8 resources service (real HTTP)', () => {
  it('answers /health on layer 8 and /api/gpus with what its gauges show', async () => {
    // One tick, at start: the values stay put while the test reads them.
    const sim = await startTestSim({ workloadIntervalMs: 3_600_000, crossLayerIntervalMs: 0 });
    const { resources } = sim.services;
    expect(resources.layer).toBe('8');
    expect((await call(`${resources.url}/health`)).body).toMatchObject({
      status: 'healthy',
      service: 'resources',
      layer: '8',
    });
    const { status, nodes } = await gpus(resources.url);
    expect(status).toBe('healthy');
    expect(nodes).toHaveLength(1);
    const [node] = nodes as [NodeAllocation];
    expect(node).toMatchObject({
      node: SIMULATED_GPU_NODE,
      simulated: true,
      capacity: SIMULATED_GPUS.length,
      usd_per_gpu_hour: USD_PER_GPU_HOUR,
    });
    expect(node.free).toBe(node.capacity - node.allocated);
    expect(node.usd_per_hour).toBeCloseTo(node.allocated * USD_PER_GPU_HOUR, 2);
    expect(gauges(await scrape(resources.url), SIMULATED_GPU_NODE)).toEqual({
      allocated: node.allocated,
      capacity: node.capacity,
      cost: node.usd_per_hour,
    });
  });

  it('moves the allocation with load, within capacity; a queue backlog takes every GPU', async () => {
    const sim = await startTestSim({
      clock: fastClock(100, 7),
      workloadIntervalMs: 20,
      crossLayerIntervalMs: 0,
    });
    const seen = new Set<number>();
    const deadline = Date.now() + 4_000;
    while (seen.size < 2 && Date.now() < deadline) {
      const [node] = (await gpus(sim.services.resources.url)).nodes as [NodeAllocation];
      expect(node.allocated).toBeGreaterThanOrEqual(0);
      expect(node.allocated).toBeLessThanOrEqual(node.capacity);
      seen.add(node.allocated);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(seen.size).toBeGreaterThan(1);

    await send('POST', `${sim.services.agent.url}/-/fault`, {
      mode: 'scenario',
      scenario: 'queue-backlog',
    });
    let allocated = 0;
    const full = Date.now() + 6_000;
    while (allocated < SIMULATED_GPUS.length && Date.now() < full) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      allocated = ((await gpus(sim.services.resources.url)).nodes[0] as NodeAllocation).allocated;
    }
    expect(allocated).toBe(SIMULATED_GPUS.length);
  });

  it("records a real node's allocation under its own name when given one", async () => {
    const sim = await startTestSim({
      workloadIntervalMs: 3_600_000,
      crossLayerIntervalMs: 0,
      gpuNode: { name: 'gpu-host-01', gpus: 8 },
    });
    const { nodes } = await gpus(sim.services.resources.url);
    expect(nodes).toMatchObject([{ node: 'gpu-host-01', simulated: false, capacity: 8 }]);
    const samples = await scrape(sim.services.resources.url);
    expect(gauges(samples, 'gpu-host-01').capacity).toBe(8);
    expect(samples.filter((s) => s.labels['node'] === SIMULATED_GPU_NODE)).toEqual([]);
  });
});
