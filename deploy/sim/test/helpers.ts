import { afterEach } from 'vitest';
import type { Clock } from '../src/clock.js';
import {
  FREE_SIM_PORTS,
  startSimulator,
  type RunningSimulator,
  type SimulatorOptions,
} from '../src/index.js';

/** Every test gets its own simulator on free loopback ports, stopped after the test. */
const started: RunningSimulator[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((sim) => sim.stop()));
});

export const FREE_PORTS = FREE_SIM_PORTS;

export async function startTestSim(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const sim = await startSimulator({ ports: FREE_PORTS, ...options });
  started.push(sim);
  return sim;
}

export interface Answer {
  status: number;
  body: unknown;
}

export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000), ...init });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

export function send(method: string, url: string, body: unknown): Promise<Answer> {
  return call(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** True when no answer came within `ms` (the client gave up). */
export async function noAnswerWithin(url: string, ms: number): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(ms) });
    return false;
  } catch (error) {
    return error instanceof Error && error.name === 'TimeoutError';
  }
}

/**
 * A fake clock for the simulator: time runs `factor` times faster than the real one (so
 * workloads move minutes on in a second) and chance comes from a seeded generator
 * (mulberry32), so every run of a test draws the same values.
 */
export function fastClock(factor: number, seed = 1): Clock {
  const start = Date.now();
  let state = seed >>> 0;
  return {
    now: () => start + (Date.now() - start) * factor,
    random: () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    },
  };
}
