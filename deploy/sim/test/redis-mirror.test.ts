import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, redisCommands, startRedis, type RunningServer } from '@layerwatch/local';
import { TASK_QUEUE } from '@layerwatch/vocabulary';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_PUSH_PER_SYNC, RedisQueueMirror, TaskQueue } from '../src/workload/index.js';
import { call, fastClock, send, startTestSim } from './helpers.js';

let dataDir: string;
let redis: RunningServer;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'layerwatch-sim-redis-'));
  redis = await startRedis({ dataDir });
});

afterAll(async () => {
  await redis?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

beforeEach(async () => {
  await redisCommands(redis.host, redis.port, [['DEL', TASK_QUEUE]]);
});

async function listLength(): Promise<number> {
  const [length = ':0'] = await redisCommands(redis.host, redis.port, [['LLEN', TASK_QUEUE]]);
  return Number(length.slice(1));
}

/** The bulk-string header of the list's entry at `index` (`$2` for a two-digit time). */
async function entryHeader(index: number): Promise<string | undefined> {
  return (await redisCommands(redis.host, redis.port, [['LINDEX', TASK_QUEUE, String(index)]]))[0];
}

describe('the task queue mirrored into a real Redis', () => {
  it('pushes what was enqueued, trims what the agents took, and empties with the queue', async () => {
    const queue = new TaskQueue();
    const mirror = new RedisQueueMirror(queue, redis, () => {});
    for (const at of [1, 22, 333]) queue.enqueue(at);
    await mirror.sync();
    expect(mirror.length).toBe(3);
    expect(await listLength()).toBe(3);
    expect(queue.take()).toBe(1);
    queue.enqueue(4_444);
    queue.enqueue(55_555);
    await mirror.sync();
    // [22, 333, 4444, 55555]: the oldest waiting task at the head, the newest at the tail.
    expect(mirror.length).toBe(4);
    expect(await entryHeader(0)).toBe('$2');
    expect(await entryHeader(-1)).toBe('$5');
    while (queue.take() !== undefined);
    await mirror.sync();
    expect(await listLength()).toBe(0);
    expect(mirror.length).toBe(0);
  });

  it('catches a long backlog up over a few syncs, never past the queue', async () => {
    const queue = new TaskQueue();
    const mirror = new RedisQueueMirror(queue, redis, () => {});
    for (let i = 0; i < MAX_PUSH_PER_SYNC + 200; i += 1) queue.enqueue(i);
    await mirror.sync();
    expect(mirror.length).toBe(MAX_PUSH_PER_SYNC);
    await mirror.sync();
    expect(mirror.length).toBe(MAX_PUSH_PER_SYNC + 200);
    await mirror.sync();
    expect(await listLength()).toBe(MAX_PUSH_PER_SYNC + 200);
  });

  it('logs once while Redis is away, and refills the list when it answers again', async () => {
    const lines: string[] = [];
    const queue = new TaskQueue();
    queue.enqueue(1);
    queue.enqueue(2);
    const away = { host: '127.0.0.1', port: await freePort() };
    const mirror = new RedisQueueMirror(queue, away, (line) => lines.push(line));
    await mirror.sync();
    await mirror.sync();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^task queue mirror: Redis 127.0.0.1:${away.port} list ${TASK_QUEUE}: .+; retrying every tick$`,
      ),
    );
    expect(mirror.length).toBe(0);
  });

  it('the queue-backlog scenario grows the Redis list; without it the list stays short', async () => {
    const sim = await startTestSim({
      clock: fastClock(100),
      workloadIntervalMs: 20,
      crossLayerIntervalMs: 0,
      redis: `${redis.host}:${redis.port}`,
    });
    const depth = async () =>
      ((await call(`${sim.services.scheduler.url}/health/queue`)).body as { depth: number }).depth;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await listLength()).toBeLessThan(20);
    await send('POST', `${sim.services.agent.url}/-/fault`, {
      mode: 'scenario',
      scenario: 'queue-backlog',
    });
    const lengths: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      lengths.push(await listLength());
    }
    // 1.5 tasks a second more than the agents take, for minutes of the fast clock.
    expect(lengths.at(-1)).toBeGreaterThan(100);
    expect([...lengths].sort((a, b) => a - b)).toEqual(lengths);
    expect(Math.abs((lengths.at(-1) ?? 0) - (await depth()))).toBeLessThan(30);
    await sim.stop();
  });
});
