import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FACTORY_PATHS,
  FactoryPipeline,
  startSimulator,
  type RunningSimulator,
} from '../src/index.js';
import { FREE_PORTS } from './helpers.js';

let root: string;
let sim: RunningSimulator;

interface Ledger {
  version: number;
  entries: {
    order_id: string;
    batch: string;
    evidence: { path: string; sha256: string; bytes: number }[];
  }[];
}

const ledger = async (): Promise<Ledger> =>
  JSON.parse(await readFile(join(root, FACTORY_PATHS.ledger), 'utf8')) as Ledger;
const sha256 = async (path: string): Promise<string> =>
  createHash('sha256')
    .update(await readFile(join(root, path)))
    .digest('hex');
const post = (body: unknown) =>
  fetch(`${sim.services.agent.url}/-/factory`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'layerwatch-factory-'));
  sim = await startSimulator({
    ports: FREE_PORTS,
    factoryRoot: root,
  });
});
afterEach(async () => {
  await sim.stop();
  await rm(root, { recursive: true, force: true });
});

describe('demo factory pipeline', () => {
  it('records every export in the ledger with its real SHA-256 and size', async () => {
    const { version, entries } = await ledger();
    expect(version).toBe(1);
    expect(entries.map((e) => e.order_id)).toEqual(['ORD-0001', 'ORD-0002']);
    for (const file of entries.flatMap((e) => e.evidence)) {
      expect(file.path.startsWith(`${FACTORY_PATHS.exports}/${entries[0]?.batch}/`)).toBe(true);
      expect(await sha256(file.path)).toBe(file.sha256);
      expect((await readFile(join(root, file.path))).length).toBe(file.bytes);
    }
  });

  it("counts its exports and bytes on the agent's /metrics (layer 4)", async () => {
    const { entries } = await ledger();
    const bytes = entries.flatMap((e) => e.evidence).reduce((sum, file) => sum + file.bytes, 0);
    const text = await (await fetch(`${sim.services.agent.url}/metrics`)).text();
    expect(text).toContain(`layerwatch_telemetry_exports_total{layer="4"} ${entries.length}\n`);
    expect(text).toContain(`layerwatch_telemetry_exported_bytes_total{layer="4"} ${bytes}\n`);
  });

  it('corrupts one evidence file on demand and restores it', async () => {
    const first = (await ledger()).entries[0]?.evidence[0];
    if (!first) throw new Error('no evidence');
    expect((await post({ corrupt: true })).status).toBe(200);
    expect(await sha256(first.path)).not.toBe(first.sha256);
    expect((await readFile(join(root, first.path))).length).toBe(first.bytes);
    await post({ corrupt: false });
    expect(await sha256(first.path)).toBe(first.sha256);
  });

  it('fails the readiness check while switched to fail, counting runs in a row', async () => {
    await post({ readiness: 'fail' });
    await sim.factory?.runReadinessCheck();
    await sim.factory?.runReadinessCheck();
    const result = JSON.parse(
      await readFile(join(root, FACTORY_PATHS.readiness), 'utf8'),
    ) as Record<string, unknown>;
    expect(result.status).toBe('fail');
    expect(result.consecutive_failures).toBe(2);
    expect(await (await fetch(`${sim.services.agent.url}/-/factory`)).json()).toMatchObject({
      readiness: 'fail',
      consecutiveFailures: 2,
    });
  });

  it('exports another order on request', async () => {
    await post({ export: true });
    expect((await ledger()).entries).toHaveLength(3);
  });

  it('goes on numbering from the ledger it finds, as a restarted pipeline must', async () => {
    const restarted = new FactoryPipeline(root);
    await Promise.all([restarted.exportOrder(), restarted.exportOrder()]);
    // Two at once (the timer and a switch can overlap): distinct IDs, in either order.
    expect((await ledger()).entries.map((e) => e.order_id).sort()).toEqual([
      'ORD-0001',
      'ORD-0002',
      'ORD-0003',
      'ORD-0004',
    ]);
    expect(restarted.state().entries).toBe(4);
  });

  it('rejects a bad switch with a message naming the field and the valid values', async () => {
    const response = await post({ readiness: 'maybe' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'readiness: "maybe" is not one of pass, fail' });
  });
});
