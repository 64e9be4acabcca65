import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, type RunningDaemon } from '@layerwatch/probes';
import { FREE_SIM_PORTS, type RunningSimulator, startSimulator } from '@layerwatch/sim';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promtoolCheckMetrics } from '../probes/test/support/promtool.js';

/**
 * The loop `make up` runs: the simulator's demo factory pipeline writes exports, the ledger
 * and the readiness file; the probe daemon's collectors verify them; `/metrics` shows it.
 */
let root: string;
let sim: RunningSimulator;
let daemon: RunningDaemon;

async function metrics(): Promise<string> {
  await daemon.collectNow();
  return (await fetch(`${daemon.url}/metrics`)).text();
}

function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function factorySwitch(body: object): Promise<void> {
  const response = await fetch(`${sim.services.agent.url}/-/factory`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'layerwatch-factory-loop-'));
  const factoryRoot = join(root, 'factory');
  sim = await startSimulator({
    ports: FREE_SIM_PORTS,
    factoryRoot,
  });
  const configFile = join(root, 'probes.yml');
  await writeFile(
    configFile,
    [
      'scheduler:\n  enabled: false',
      'modules:\n  http_2xx:\n    prober: http',
      'collectors:',
      '  checksums:\n    enabled: true\n    root: factory\n    interval: 1h',
      '  readiness:\n    enabled: true\n    file: factory/logs/ops_readiness.json\n    interval: 1h',
      '',
    ].join('\n'),
  );
  daemon = await startDaemon({
    configFile,
    listen: '127.0.0.1:0',
    logger: pino({ level: 'silent' }),
  });
});

afterAll(async () => {
  await daemon?.stop();
  await sim?.stop();
  await rm(root, { recursive: true, force: true });
});

describe('demo factory pipeline → collectors → /metrics', () => {
  it('verifies every export the pipeline recorded', async () => {
    const text = await metrics();
    expect(value(text, 'layerwatch_telemetry_ledger_entries')).toBe(2);
    expect(value(text, 'layerwatch_telemetry_checksum_mismatches')).toBe(0);
    expect(value(text, 'layerwatch_telemetry_latest_batch_exported')).toBe(1);
    expect(value(text, 'layerwatch_readiness_passed')).toBe(1);
    expect(promtoolCheckMetrics(text).output).toBe('');
  });

  it('shows the deliberately corrupted file as a mismatch, and clears it when restored', async () => {
    await factorySwitch({ corrupt: true });
    const corrupted = await metrics();
    expect(value(corrupted, 'layerwatch_telemetry_checksum_mismatches')).toBe(1);
    expect(corrupted).toMatch(
      /^layerwatch_telemetry_checksum_match\{order_id="ORD-0001",path="[^"]+-metrics\.jsonl"\} 0$/m,
    );
    await factorySwitch({ corrupt: false });
    // Same size, same inode, new mtime: the incremental pass notices and re-hashes.
    expect(value(await metrics(), 'layerwatch_telemetry_checksum_mismatches')).toBe(0);
  });

  it('counts readiness failures in a row, so "failed twice" can page', async () => {
    await factorySwitch({ readiness: 'fail' });
    await sim.factory?.runReadinessCheck();
    await sim.factory?.runReadinessCheck();
    expect(value(await metrics(), 'layerwatch_readiness_consecutive_failures')).toBe(2);
  });
});
