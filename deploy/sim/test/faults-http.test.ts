import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { call, noAnswerWithin, send, startTestSim } from './helpers.js';

const UNHEALTHY = { status: 'unhealthy', reason: 'injected fault' };

describe('fault modes over HTTP', () => {
  it('GET /-/fault starts ok; POST sets and echoes the fault with defaults', async () => {
    const { agent } = (await startTestSim()).services;
    expect((await call(`${agent.url}/-/fault`)).body).toEqual({ fault: { mode: 'ok' } });
    expect(await send('POST', `${agent.url}/-/fault`, { mode: 'fail' })).toEqual({
      status: 200,
      body: { fault: { mode: 'fail', status: 503 } },
    });
    expect((await call(`${agent.url}/-/fault`)).body).toEqual({
      fault: { mode: 'fail', status: 503 },
    });
  });

  it('fail answers the status with the injected-fault body on every faulted route', async () => {
    const { agent } = (await startTestSim()).services;
    await send('POST', `${agent.url}/-/fault`, { mode: 'fail', status: 500 });
    expect(await call(`${agent.url}/health`)).toEqual({ status: 500, body: UNHEALTHY });
    expect(await call(`${agent.url}/health/agents`)).toEqual({ status: 500, body: UNHEALTHY });
    // Control routes stay reachable so the fault can be cleared.
    expect((await call(`${agent.url}/api/config/batching`)).status).toBe(200);
    await send('POST', `${agent.url}/-/fault`, { mode: 'ok' });
    expect((await call(`${agent.url}/health`)).status).toBe(200);
  });

  it('slow delays the answer by at least delay_ms, then answers normally', async () => {
    const { scheduler } = (await startTestSim()).services;
    await send('POST', `${scheduler.url}/-/fault`, { mode: 'slow', delay_ms: 300, jitter_ms: 50 });
    const started = performance.now();
    const answer = await call(`${scheduler.url}/health/queue`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(295); // timer granularity
    expect(answer.status).toBe(200);
  });

  it('hang never answers; the client gives up', async () => {
    const { refinement } = (await startTestSim()).services;
    await send('POST', `${refinement.url}/-/fault`, { mode: 'hang' });
    expect(await noAnswerWithin(`${refinement.url}/health`, 300)).toBe(true);
    expect((await call(`${refinement.url}/-/fault`)).body).toEqual({ fault: { mode: 'hang' } });
  });

  it('flap alternates failing and healthy every period', async () => {
    const { agent } = (await startTestSim()).services;
    await send('POST', `${agent.url}/-/fault`, { mode: 'flap', period_ms: 200 });
    const seen = new Set<number>();
    const deadline = Date.now() + 2_000;
    while (seen.size < 2 && Date.now() < deadline) {
      seen.add((await call(`${agent.url}/health`)).status);
      await sleep(50);
    }
    expect([...seen].sort()).toEqual([200, 503]);
  });

  it('duration_ms reverts the fault to ok by itself', async () => {
    const { agent } = (await startTestSim()).services;
    const set = await send('POST', `${agent.url}/-/fault`, { mode: 'fail', duration_ms: 200 });
    expect(set.body).toMatchObject({ fault: { mode: 'fail', duration_ms: 200 } });
    expect((await call(`${agent.url}/health`)).status).toBe(503);
    await sleep(250);
    expect((await call(`${agent.url}/health`)).status).toBe(200);
    expect((await call(`${agent.url}/-/fault`)).body).toEqual({ fault: { mode: 'ok' } });
  });

  it('evolution rollback clears the fault', async () => {
    // No workload ticks: the generation stays where it starts.
    const { evolution } = (await startTestSim({ workloadIntervalMs: 0 })).services;
    await send('POST', `${evolution.url}/-/fault`, { mode: 'fail' });
    expect((await call(`${evolution.url}/api/population/status`)).status).toBe(503);
    expect((await send('POST', `${evolution.url}/api/evolution/rollback`, {})).body).toEqual({
      status: 'rolled_back',
      generation: 41,
    });
    expect((await call(`${evolution.url}/api/population/status`)).status).toBe(200);
    expect((await call(`${evolution.url}/-/fault`)).body).toEqual({ fault: { mode: 'ok' } });
  });

  it('rejects invalid fault payloads with the exact message and keeps the old fault', async () => {
    const { agent } = (await startTestSim()).services;
    expect(await send('POST', `${agent.url}/-/fault`, { mode: 'bogus' })).toEqual({
      status: 400,
      body: { error: 'mode: "bogus" is not one of fail, slow, hang, flap, scenario, ok' },
    });
    expect(await send('POST', `${agent.url}/-/fault`, { mode: 'slow', delay_ms: 'long' })).toEqual({
      status: 400,
      body: { error: 'delay_ms: "long" is not an integer in 0..600000' },
    });
    expect(await send('POST', `${agent.url}/-/fault`, { mode: 'hang', extra: true })).toEqual({
      status: 400,
      body: { error: 'unknown key "extra" in a "hang" fault; valid keys are mode, duration_ms' },
    });
    expect((await call(`${agent.url}/-/fault`)).body).toEqual({ fault: { mode: 'ok' } });
  });

  it('setFault() applies the same validation and semantics', async () => {
    const sim = await startTestSim();
    sim.setFault('scheduler', { mode: 'fail', status: 502 });
    expect(await call(`${sim.services.scheduler.url}/health`)).toEqual({
      status: 502,
      body: UNHEALTHY,
    });
    expect(() => sim.setFault('scheduler', { mode: 'bogus' } as never)).toThrow(
      'mode: "bogus" is not one of fail, slow, hang, flap, scenario, ok',
    );
    expect(() => sim.setFault('schedular' as never, { mode: 'ok' })).toThrow(
      'unknown service "schedular"; valid services are agent, scheduler, refinement, evolution, resources (did you mean "scheduler"?)',
    );
  });

  it('latencyJitterMs adds delay to every answer without breaking them', async () => {
    const { agent } = (await startTestSim({ latencyJitterMs: 20 })).services;
    for (let i = 0; i < 5; i += 1) {
      expect((await call(`${agent.url}/health`)).status).toBe(200);
    }
  });
});
