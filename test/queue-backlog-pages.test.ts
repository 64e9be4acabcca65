/**
 * The `queue-backlog` scenario pages through the real loop (#16 item 3): the stack composed
 * as `make up` composes it (1-second intervals, the simulator mirroring layer 4's task queue
 * into the stack's Redis), the probe daemon reading the list's length, Prometheus running
 * the generated `LayerwatchRedisQueueGrowing` (its depth, window and `for:` shortened so the
 * test takes seconds, not the committed 100 tasks, 10m and 10m), Alertmanager paging a
 * webhook receiver.
 */
import { TASK_QUEUE } from '@layerwatch/vocabulary';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPagingComposition, waitFor, type PagingComposition } from './support/alerting.js';

/** The backlog grows ~1.5 tasks a second: past 15 within about ten seconds. */
const QUEUE_DEPTH = 15;

let loop: PagingComposition;

beforeAll(async () => {
  loop = await startPagingComposition('queue-backlog', 'prometheus', {
    intervalSeconds: 1,
    rules: {
      thresholds: { queueDepth: QUEUE_DEPTH, queueGrowthWindow: '30s' },
      alerts: { redisQueueGrowing: { for: '5s' } },
    },
  });
}, 120_000);

afterAll(() => loop?.stop());

/** The Redis list's length as Prometheus has it now; undefined before the first probe. */
async function queueLength(): Promise<number | undefined> {
  const query = `max(probe_redis_queue_length{queue="${TASK_QUEUE}"})`;
  const response = await fetch(
    `${loop.composition.state.prometheus!.url}/api/v1/query?query=${encodeURIComponent(query)}`,
  );
  const body = (await response.json()) as { data: { result: { value: [number, string] }[] } };
  const sample = body.data.result[0];
  return sample === undefined ? undefined : Number(sample.value[1]);
}

describe('a layer 4 queue backlog pages through the Redis probe', () => {
  it('keeps the Redis list short while the agents keep up', async () => {
    const length = await waitFor('probe_redis_queue_length in Prometheus', queueLength, 30_000);
    expect(length).toBeLessThan(QUEUE_DEPTH);
  }, 45_000);

  it('grows the Redis list under queue-backlog until LayerwatchRedisQueueGrowing pages', async () => {
    const started = Date.now();
    const response = await fetch(`${loop.composition.state.sim!.services.agent.url}/-/fault`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'scenario', scenario: 'queue-backlog' }),
    });
    expect(response.status).toBe(200);
    const page = await waitFor(
      'LayerwatchRedisQueueGrowing',
      () =>
        loop.receiver
          .alerts()
          .find(
            (a) => a.status === 'firing' && a.labels['alertname'] === 'LayerwatchRedisQueueGrowing',
          ),
      60_000,
    );
    console.log(`queue-backlog → LayerwatchRedisQueueGrowing paged in ${Date.now() - started} ms`);
    expect(page.labels).toMatchObject({ priority: 'P1', queue: TASK_QUEUE, layer: 'shared' });
    expect(await queueLength()).toBeGreaterThan(QUEUE_DEPTH);
  }, 90_000);
});
