import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIM_PORTS, startSimulator } from '../src/index.js';
import { FREE_PORTS, call, send, startTestSim } from './helpers.js';

describe('startSimulator / stop', () => {
  it('binds loopback ports and describes each service', async () => {
    const sim = await startTestSim();
    expect(DEFAULT_SIM_PORTS).toEqual({
      agent: 8000,
      scheduler: 8001,
      refinement: 8002,
      evolution: 8003,
      resources: 8004,
    });
    for (const endpoint of Object.values(sim.services)) {
      expect(endpoint.port).toBeGreaterThan(0);
      expect(endpoint.url).toBe(`http://127.0.0.1:${endpoint.port}`);
    }
    expect(sim.services.evolution.layer).toBe('7');
  });

  it('stop() ends hanging requests promptly and is safe to call twice', async () => {
    const sim = await startSimulator({ ports: FREE_PORTS });
    const { url } = sim.services.agent;
    await send('POST', `${url}/-/fault`, { mode: 'hang' });
    const hanging = fetch(`${url}/health`, { signal: AbortSignal.timeout(10_000) }).then(
      () => 'answered',
      (error: Error) => error.name,
    );
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the request arrive
    const started = performance.now();
    await Promise.all([sim.stop(), sim.stop()]);
    expect(performance.now() - started).toBeLessThan(5_000); // far below the client timeout
    expect(await hanging).toBe('TypeError'); // socket destroyed, not timed out
    await sim.stop();
    await expect(call(`${url}/health`)).rejects.toThrow();
  });

  it('stop() ends slow requests without waiting for their delay', async () => {
    const sim = await startSimulator({ ports: FREE_PORTS });
    sim.setFault('agent', { mode: 'slow', delay_ms: 60_000 });
    const slow = fetch(`${sim.services.agent.url}/health`).catch((error: Error) => error.name);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await sim.stop();
    expect(await slow).toBe('TypeError');
  });

  it('rejects bad options before taking any port', async () => {
    await expect(startSimulator({ ports: { agent: 70_000 } })).rejects.toThrow(
      'agent: 70000 is not an integer in 0..65535',
    );
    await expect(startSimulator({ ports: { agnet: 1 } as never })).rejects.toThrow(
      'unknown key "agnet" in ports (services); valid keys are agent, scheduler, refinement, evolution, resources (did you mean "agent"?)',
    );
    await expect(
      startSimulator({ ports: { ...FREE_PORTS, agent: 9100, scheduler: 9100 } }),
    ).rejects.toThrow('ports: agent and scheduler both ask for port 9100');
    await expect(startSimulator({ ports: FREE_PORTS, latencyJitterMs: -5 })).rejects.toThrow(
      'latencyJitterMs: -5 is not an integer in 0..60000',
    );
  });

  it('rejects a bad Redis address or GPU node, naming the value and the fix', async () => {
    const rejects = (options: Parameters<typeof startSimulator>[0]) =>
      expect(startSimulator({ ports: FREE_PORTS, ...options })).rejects;
    for (const redis of ['127.0.0.1', 'redis:0', ':6379', 'localhost:70000']) {
      await rejects({ redis }).toThrow(
        `redis: ${JSON.stringify(redis)} is not host:port with a port in 1..65535, e.g. 127.0.0.1:6379`,
      );
    }
    await rejects({ redis: 6379 as never }).toThrow('redis: 6379 is not host:port');
    await rejects({ gpuNode: { name: ' ', gpus: 8 } }).toThrow(
      'gpuNode.name: " " is not a node name (the `node` label of its GPU series)',
    );
    await rejects({ gpuNode: { name: 'gpu-01' } as never }).toThrow(
      'gpuNode.gpus: missing; expected an integer in 0..1024',
    );
    await rejects({ gpuNode: { name: 'gpu-01', gpus: 8, gpu: 1 } as never }).toThrow(
      'unknown key "gpu" in gpuNode; valid keys are name, gpus (did you mean "gpus"?)',
    );
  });

  it('reports a port in use and releases the ports it already took', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startSimulator({ ports: { ...FREE_PORTS, evolution: port } })).rejects.toThrow(
        `sim: evolution cannot listen on 127.0.0.1:${port}: listen EADDRINUSE: address already in use 127.0.0.1:${port} (pick another port, or 0 for a free one)`,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
