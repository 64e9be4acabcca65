import { describe, expect, it } from 'vitest';
import { call, send, startTestSim } from './helpers.js';

describe('service endpoints over HTTP', () => {
  it('answers /health on every service with its name and layer', async () => {
    const sim = await startTestSim();
    const layers = { agent: '4', scheduler: '4', refinement: '5', evolution: '7', resources: '8' };
    for (const [name, layer] of Object.entries(layers)) {
      const { url } = sim.services[name as keyof typeof layers];
      const { status, body } = await call(`${url}/health`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ status: 'healthy', service: name, layer, version: 'sim-0.1.0' });
      expect((body as { uptime_seconds: number }).uptime_seconds).toBeGreaterThanOrEqual(0);
    }
  });

  it('agent: reports its pool and stores the batch size', async () => {
    const { agent } = (await startTestSim()).services;
    expect((await call(`${agent.url}/health/agents`)).body).toEqual({
      status: 'healthy',
      agents: { total: 8, busy: 3, idle: 5 },
    });
    expect((await call(`${agent.url}/api/config/batching`)).body).toEqual({ batch_size: 32 });
    expect(await send('PUT', `${agent.url}/api/config/batching`, { batch_size: 64 })).toEqual({
      status: 200,
      body: { batch_size: 64 },
    });
    expect((await call(`${agent.url}/api/config/batching`)).body).toEqual({ batch_size: 64 });
    expect(await send('PUT', `${agent.url}/api/config/batching`, { batch_size: 0 })).toEqual({
      status: 400,
      body: { error: 'batch_size: 0 is not an integer in 1..1024' },
    });
    expect(await send('PUT', `${agent.url}/api/config/batching`, {})).toEqual({
      status: 400,
      body: { error: 'batch_size: missing; expected an integer in 1..1024' },
    });
  });

  it('scheduler: reports the agent-tasks queue depth', async () => {
    const { scheduler } = (await startTestSim()).services;
    const { status, body } = await call(`${scheduler.url}/health/queue`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'healthy', queue: 'agent-tasks' });
    expect(typeof (body as { depth: unknown }).depth).toBe('number');
  });

  it('refinement: models, KPI lag and optimize', async () => {
    // No workload ticks: the KPI lag stays at its starting value.
    const { refinement } = (await startTestSim({ workloadIntervalMs: 0 })).services;
    expect((await call(`${refinement.url}/health/models`)).body).toEqual({
      status: 'healthy',
      models: [
        { name: 'refiner-small', status: 'loaded' },
        { name: 'refiner-large', status: 'loaded' },
      ],
    });
    expect((await call(`${refinement.url}/health/kpi`)).body).toEqual({
      status: 'healthy',
      kpi_ingestion_lag_seconds: 2.5,
    });
    const optimized = await send('POST', `${refinement.url}/api/optimize`, {});
    expect(optimized.status).toBe(200);
    expect(optimized.body).toMatchObject({ status: 'optimized', improvement: 0.03 });
  });

  it('evolution: population status and rollback', async () => {
    // No workload ticks: the population stays at its starting values.
    const { evolution } = (await startTestSim({ workloadIntervalMs: 0 })).services;
    expect((await call(`${evolution.url}/api/population/status`)).body).toEqual({
      status: 'healthy',
      generation: 42,
      population_size: 64,
      diversity: 0.73,
      best_fitness: 0.91,
    });
    expect(
      (await call(`${evolution.url}/api/evolution/rollback`, { method: 'POST' })).body,
    ).toEqual({ status: 'rolled_back', generation: 41 });
    expect(
      await send('POST', `${evolution.url}/api/evolution/rollback`, { generation: 30 }),
    ).toEqual({ status: 200, body: { status: 'rolled_back', generation: 30 } });
    expect(
      await send('POST', `${evolution.url}/api/evolution/rollback`, { generation: 31 }),
    ).toEqual({ status: 400, body: { error: 'generation: 31 is not an integer in 0..30' } });
    expect((await call(`${evolution.url}/api/population/status`)).body).toMatchObject({
      generation: 30,
    });
  });

  it('answers unknown routes with a JSON 404', async () => {
    const { agent } = (await startTestSim()).services;
    expect(await call(`${agent.url}/nope`)).toEqual({
      status: 404,
      body: { error: 'no route GET /nope' },
    });
  });
});

describe('action delay (PUT /-/action-delay): a write to the service takes time, as a real action does', () => {
  it('delays the rollback, not the health check, and refuses a bad value', async () => {
    const { evolution } = (await startTestSim()).services;
    expect(await send('PUT', `${evolution.url}/-/action-delay`, { ms: 400 })).toEqual({
      status: 200,
      body: { ms: 400 },
    });
    const started = performance.now();
    expect((await send('POST', `${evolution.url}/api/evolution/rollback`, {})).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect((await call(`${evolution.url}/health`)).status).toBe(200);
    expect(await send('PUT', `${evolution.url}/-/action-delay`, { ms: -1 })).toEqual({
      status: 400,
      body: { error: 'ms: -1 is not an integer in 0..60000' },
    });
    expect(await send('PUT', `${evolution.url}/-/action-delay`, { ms: 0, extra: 1 })).toMatchObject(
      {
        status: 400,
      },
    );
    expect((await call(`${evolution.url}/-/action-delay`)).body).toEqual({ ms: 400 });
  });
});
