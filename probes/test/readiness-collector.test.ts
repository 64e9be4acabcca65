import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReadinessCollector } from '../src/collectors/readiness/index.js';
import { parseReadinessFile } from '../src/collectors/readiness/readiness-file.js';
import type { Collector } from '../src/collectors/types.js';
import { startTestDaemon } from './support/daemon.js';
import { promtoolCheckMetrics } from './support/promtool.js';

let dir: string;
let file: string;
let collector: Collector;
const silent = pino({ level: 'silent' });

const run = (timestamp: string, status: 'pass' | 'fail', extra: object = {}): string =>
  JSON.stringify({
    timestamp,
    status,
    checks: [
      { name: 'ledger', status },
      { name: 'evidence', status: 'pass' },
    ],
    ...extra,
  });

function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'layerwatch-readiness-'));
  file = join(dir, 'ops_readiness.json');
  collector = createReadinessCollector({ enabled: true, file, interval: 60_000 }, silent);
});
afterEach(async () => {
  await collector.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('readiness collector', () => {
  it('exports the last result, its time and each check', async () => {
    await writeFile(file, run('2026-11-23T12:00:00Z', 'pass'));
    await collector.collectNow();
    const text = collector.render();
    expect(value(text, 'layerwatch_readiness_passed')).toBe(1);
    expect(value(text, 'layerwatch_readiness_last_run_timestamp_seconds')).toBe(
      Date.parse('2026-11-23T12:00:00Z') / 1000,
    );
    expect(value(text, 'layerwatch_readiness_consecutive_failures')).toBe(0);
    expect(value(text, 'layerwatch_readiness_check_passed{check="ledger"}')).toBe(1);
    expect(value(text, 'layerwatch_readiness_file_valid')).toBe(1);
    expect(promtoolCheckMetrics(text).output).toBe('');
  });

  it('counts failures in a row over distinct runs, not over re-reads of one run', async () => {
    const consecutive = async (): Promise<number | undefined> => {
      await collector.collectNow();
      return value(collector.render(), 'layerwatch_readiness_consecutive_failures');
    };
    await writeFile(file, run('2026-11-23T12:00:00Z', 'fail'));
    expect(await consecutive()).toBe(1);
    expect(await consecutive()).toBe(1);
    await writeFile(file, run('2026-11-23T12:05:00Z', 'fail'));
    expect(await consecutive()).toBe(2);
    await writeFile(file, run('2026-11-23T12:10:00Z', 'pass'));
    expect(await consecutive()).toBe(0);
  });

  it("prefers the pipeline's own count when the file carries one", async () => {
    await writeFile(file, run('2026-11-23T12:00:00Z', 'fail', { consecutive_failures: 3 }));
    await collector.collectNow();
    expect(value(collector.render(), 'layerwatch_readiness_consecutive_failures')).toBe(3);
  });

  it('keeps the last good result when the file turns malformed, and says so', async () => {
    await writeFile(file, run('2026-11-23T12:00:00Z', 'fail'));
    await collector.collectNow();
    await writeFile(file, '{"timestamp": "2026-11-23T12:05:00Z", "stat');
    await collector.collectNow();
    const text = collector.render();
    expect(value(text, 'layerwatch_readiness_file_valid')).toBe(0);
    expect(value(text, 'layerwatch_readiness_passed')).toBe(0);
    expect(value(text, 'layerwatch_readiness_consecutive_failures')).toBe(1);
  });

  it('reports a missing file as invalid, without inventing a result', async () => {
    await collector.collectNow();
    const text = collector.render();
    expect(value(text, 'layerwatch_readiness_file_valid')).toBe(0);
    expect(text).not.toContain('layerwatch_readiness_passed');
  });
});

describe('readiness file format', () => {
  it('names the field and what is valid', () => {
    expect(() =>
      parseReadinessFile(
        JSON.stringify({ timestamp: 'yesterday', status: 'ok' }),
        'logs/ops_readiness.json',
      ),
    ).toThrow(
      [
        'logs/ops_readiness.json: timestamp: must be an ISO 8601 time, e.g. 2026-11-23T12:00:00Z',
        'logs/ops_readiness.json: status: must be "pass" or "fail"',
      ].join('\n'),
    );
  });

  it('says when the file is not JSON', () => {
    expect(() => parseReadinessFile('not json', 'r.json')).toThrow(/^r\.json: not JSON \(/);
  });
});

describe('readiness collector in the daemon', () => {
  it('resolves its file against the config file folder and shows on /metrics', async () => {
    await writeFile(
      join(dir, 'ops_readiness.json'),
      run('2026-11-23T12:00:00Z', 'fail', { consecutive_failures: 2 }),
    );
    const { daemon } = await startTestDaemon(
      dir,
      'modules:\n  http_2xx:\n    prober: http\ncollectors:\n  readiness:\n    enabled: true\n    file: ops_readiness.json\n',
    );
    try {
      await daemon.collectNow();
      const text = await (await fetch(`${daemon.url}/metrics`)).text();
      expect(value(text, 'layerwatch_readiness_consecutive_failures')).toBe(2);
      expect(promtoolCheckMetrics(text).output).toBe('');
    } finally {
      await daemon.stop();
    }
  });
});
