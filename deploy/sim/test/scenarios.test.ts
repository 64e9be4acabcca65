import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { RunningSimulator, ScenarioName } from '../src/index.js';
import { call, fastClock, send, startTestSim } from './helpers.js';
import { scrape, total, type Sample } from './metrics-text.js';

/** 100× real time, ticking every 20 ms: 2 s of work per tick, a minute and a half per window. */
const WINDOW_MS = 900;

function startFast(): Promise<RunningSimulator> {
  return startTestSim({ clock: fastClock(100), workloadIntervalMs: 20, crossLayerIntervalMs: 0 });
}

/** How much each reading grew over one window. */
async function growth(
  url: string,
  read: (samples: readonly Sample[]) => readonly number[],
): Promise<number[]> {
  const before = read(await scrape(url));
  await sleep(WINDOW_MS);
  const after = read(await scrape(url));
  return after.map((value, i) => value - (before[i] ?? 0));
}

/** The same window healthy, then with the scenario set on `service`: both growths. */
async function healthyThenScenario(
  sim: RunningSimulator,
  service: 'agent' | 'refinement' | 'evolution',
  scenario: ScenarioName,
  read: (samples: readonly Sample[]) => readonly number[],
): Promise<{ healthy: number[]; played: number[] }> {
  const { url } = sim.services[service];
  const healthy = await growth(url, read);
  const set = await send('POST', `${url}/-/fault`, { mode: 'scenario', scenario });
  expect(set).toEqual({ status: 200, body: { fault: { mode: 'scenario', scenario } } });
  const played = await growth(url, read);
  // A scenario plays on the domain signals only: HTTP answers pass.
  expect((await call(`${url}/health`)).status).toBe(200);
  return { healthy, played };
}

const WAIT = 'layerwatch_task_queue_wait_duration_seconds';

describe('named scenarios over HTTP (POST /-/fault {"mode":"scenario"})', () => {
  it('queue-backlog on the agent: tasks wait longer, fail, and the queue grows', async () => {
    const sim = await startFast();
    const depth = async () =>
      ((await call(`${sim.services.scheduler.url}/health/queue`)).body as { depth: number }).depth;
    const healthyDepth = await depth();
    const { healthy, played } = await healthyThenScenario(sim, 'agent', 'queue-backlog', (s) => [
      total(s, `${WAIT}_sum`),
      total(s, `${WAIT}_count`),
      total(s, 'layerwatch_tasks_failed_total'),
      total(s, 'layerwatch_tasks_processed_total'),
    ]);
    const [healthySum = 0, healthyCount = 1, healthyFailed = 0, healthyDone = 0] = healthy;
    const [playedSum = 0, playedCount = 1, playedFailed = 0, playedDone = 0] = played;
    expect(healthySum / healthyCount).toBeLessThan(2);
    expect(playedSum / playedCount).toBeGreaterThan(10 * (healthySum / healthyCount));
    expect(playedFailed / (playedFailed + playedDone)).toBeGreaterThan(
      5 * (healthyFailed / (healthyFailed + healthyDone)),
    );
    expect(await depth()).toBeGreaterThan(Math.max(20, 5 * healthyDepth));
  });

  it('slow-optimization on refinement: optimisation runs take longer than 100 ms', async () => {
    const sim = await startFast();
    const metric = 'layerwatch_optimization_duration_seconds';
    const { healthy, played } = await healthyThenScenario(
      sim,
      'refinement',
      'slow-optimization',
      (s) => [total(s, `${metric}_bucket`, { le: '0.1' }), total(s, `${metric}_count`)],
    );
    const [healthyFast = 0, healthyRuns = 0] = healthy;
    const [playedFast = 0, playedRuns = 0] = played;
    expect(healthyRuns).toBeGreaterThan(20);
    expect(healthyFast).toBe(healthyRuns); // healthy: every run within the 100 ms target
    expect(playedRuns).toBeGreaterThan(20);
    expect(playedFast).toBe(0);
  });

  it('gate-rejections on evolution: the validation gate rejects most enhancements', async () => {
    const sim = await startFast();
    const { healthy, played } = await healthyThenScenario(
      sim,
      'evolution',
      'gate-rejections',
      (s) => [
        total(s, 'layerwatch_enhancements_rejected_total'),
        total(s, 'layerwatch_enhancements_received_total'),
      ],
    );
    const [healthyRejected = 0, healthyReceived = 1] = healthy;
    const [playedRejected = 0, playedReceived = 1] = played;
    expect(healthyReceived).toBeGreaterThan(10);
    expect(healthyRejected / healthyReceived).toBeLessThan(0.3);
    expect(playedReceived).toBeGreaterThan(10);
    expect(playedRejected / playedReceived).toBeGreaterThan(0.7);
    // The rollback action recovers the layer: it clears the scenario like any fault.
    await send('POST', `${sim.services.evolution.url}/api/evolution/rollback`, {});
    expect((await call(`${sim.services.evolution.url}/-/fault`)).body).toEqual({
      fault: { mode: 'ok' },
    });
  });

  it('rejects a scenario the service does not play, or none, naming the field and the valid values', async () => {
    const sim = await startTestSim({ workloadIntervalMs: 0, crossLayerIntervalMs: 0 });
    const { agent, scheduler } = sim.services;
    expect(
      await send('POST', `${agent.url}/-/fault`, {
        mode: 'scenario',
        scenario: 'slow-optimization',
      }),
    ).toEqual({
      status: 400,
      body: {
        error:
          'scenario: "slow-optimization" is played by refinement, not agent: send it to refinement\'s /-/fault (agent plays queue-backlog)',
      },
    });
    expect(
      await send('POST', `${agent.url}/-/fault`, { mode: 'scenario', scenario: 'queue' }),
    ).toEqual({
      status: 400,
      body: {
        error:
          'scenario: "queue" is not a scenario; agent plays queue-backlog, refinement plays slow-optimization, evolution plays gate-rejections (did you mean "queue-backlog"?)',
      },
    });
    expect(await send('POST', `${scheduler.url}/-/fault`, { mode: 'scenario' })).toEqual({
      status: 400,
      body: {
        error:
          'scenario: missing; agent plays queue-backlog, refinement plays slow-optimization, evolution plays gate-rejections',
      },
    });
    expect((await call(`${agent.url}/-/fault`)).body).toEqual({ fault: { mode: 'ok' } });
    expect(() =>
      sim.setFault('evolution', { mode: 'scenario', scenario: 'queue-backlog' }),
    ).toThrow('scenario: "queue-backlog" is played by agent, not evolution');
  });
});
