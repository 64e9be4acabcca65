import { describe, expect, it } from 'vitest';
import { call, send, startTestSim } from './helpers.js';

describe('control endpoints over HTTP', () => {
  it('maintenance mode turns /health into 503 maintenance and back', async () => {
    const { scheduler } = (await startTestSim()).services;
    expect(await send('PUT', `${scheduler.url}/api/maintenance`, { enabled: true })).toEqual({
      status: 200,
      body: { enabled: true },
    });
    expect(await call(`${scheduler.url}/health`)).toEqual({
      status: 503,
      body: { status: 'maintenance', service: 'scheduler', layer: '4' },
    });
    expect((await call(`${scheduler.url}/api/maintenance`)).body).toEqual({ enabled: true });
    await send('PUT', `${scheduler.url}/api/maintenance`, { enabled: false });
    expect((await call(`${scheduler.url}/health`)).status).toBe(200);
  });

  it('stores the log level on every service', async () => {
    const sim = await startTestSim();
    for (const { url } of Object.values(sim.services)) {
      expect((await call(`${url}/api/config/log-level`)).body).toEqual({ level: 'info' });
      const set = await send('PUT', `${url}/api/config/log-level`, {
        level: 'debug',
        duration_seconds: 300,
      });
      expect(set.status).toBe(200);
      expect((await call(`${url}/api/config/log-level`)).body).toMatchObject({
        level: 'debug',
        duration_seconds: 300,
      });
    }
  });

  it('rejects bad control bodies with the exact message', async () => {
    const { agent } = (await startTestSim()).services;
    expect(await send('PUT', `${agent.url}/api/config/log-level`, { level: 'loud' })).toEqual({
      status: 400,
      body: { error: 'level: "loud" is not one of debug, info, warn, error' },
    });
    expect(await send('PUT', `${agent.url}/api/maintenance`, { enabled: 1 })).toEqual({
      status: 400,
      body: { error: 'enabled: 1 is not true or false' },
    });
  });

  it('answers malformed JSON with a JSON 400, not an HTML stack', async () => {
    const { agent } = (await startTestSim()).services;
    const res = await fetch(`${agent.url}/-/fault`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"mode": fail',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { error: string };
    expect(body.error).toMatch(/^invalid JSON body: /);
  });

  it('says what to send when the body is not JSON at all', async () => {
    const { agent } = (await startTestSim()).services;
    const res = await call(`${agent.url}/-/fault`, { method: 'POST', body: 'mode=fail' });
    expect(res).toEqual({
      status: 400,
      body: {
        error: 'fault: expected a JSON object, got nothing (send Content-Type: application/json)',
      },
    });
  });
});
