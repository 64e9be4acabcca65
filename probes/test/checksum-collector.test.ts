import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChecksumCollector } from '../src/collectors/checksums/index.js';
import { inThreadHasher, type Hasher } from '@layerwatch/ledger';
import type { Collector } from '../src/collectors/types.js';
import { capturingLogger, createLedgerRoot, type LedgerRoot } from './support/ledger-fixture.js';
import { promtoolCheckMetrics } from './support/promtool.js';

let fx: LedgerRoot;
let collector: Collector | undefined;
beforeEach(async () => {
  fx = await createLedgerRoot();
});
afterEach(async () => {
  await collector?.stop();
  collector = undefined;
  await fx.remove();
});

/** The value of one sample line, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

function start(
  overrides: Parameters<LedgerRoot['settings']>[0] = {},
  hooks: Parameters<typeof createChecksumCollector>[2] = {},
) {
  const log = capturingLogger();
  collector = createChecksumCollector(fx.settings(overrides), log.logger, hooks);
  return { collector, log };
}

describe('checksum collector', () => {
  it('exports per-file and total series that promtool accepts, never the hash', async () => {
    const a = await fx.exportFile('a.csv', 'alpha');
    const b = await fx.exportFile('b "quoted".csv', 'bravo');
    await fx.exportFile('orphan.csv', 'orphan');
    await fx.writeLedger([
      fx.entry('ORD-1', [a]),
      fx.entry('ORD-2', [{ ...b, sha256: a.sha256 }], { sign_off: null }),
      fx.entry('ORD-3', [{ ...a, path: '../escape' }]),
    ]);
    const { collector } = start();
    await collector.collectNow();
    const text = collector.render();
    const fileA = `{order_id="ORD-1",path="${a.path}"}`;
    const fileB = `{order_id="ORD-2",path="${b.path.replace(/"/g, '\\"')}"}`;
    expect(sample(text, `layerwatch_telemetry_checksum_match${fileA}`)).toBe(1);
    expect(sample(text, `layerwatch_telemetry_checksum_match${fileB}`)).toBe(0);
    expect(sample(text, `layerwatch_telemetry_file_readable${fileB}`)).toBe(1);
    expect(sample(text, `layerwatch_telemetry_file_bytes${fileB}`)).toBe(5);
    expect(sample(text, 'layerwatch_telemetry_ledger_entries')).toBe(3);
    expect(sample(text, 'layerwatch_telemetry_invalid_entries')).toBe(1);
    expect(sample(text, 'layerwatch_telemetry_entries_without_signoff')).toBe(1);
    expect(sample(text, 'layerwatch_telemetry_orphan_files')).toBe(1);
    expect(sample(text, 'layerwatch_telemetry_checksum_mismatches')).toBe(1);
    expect(sample(text, 'layerwatch_telemetry_unreadable_files')).toBe(0);
    expect(sample(text, 'layerwatch_telemetry_latest_batch_exported')).toBe(0);
    expect(sample(text, 'layerwatch_telemetry_ledger_parse_error')).toBe(0);
    expect(sample(text, 'layerwatch_telemetry_last_verified_timestamp_seconds')).toBeCloseTo(
      Date.now() / 1000,
      -1,
    );
    expect(text).not.toContain(a.sha256);
    expect(promtoolCheckMetrics(text)).toEqual({ status: 0, output: '' });
  });

  it('exports a missing file as readable 0 with no match sample', async () => {
    const a = await fx.exportFile('a.csv', 'alpha');
    await fx.writeLedger([fx.entry('ORD-1', [{ ...a, path: 'exports/gone.csv' }])]);
    const { collector } = start();
    await collector.collectNow();
    const text = collector.render();
    expect(
      sample(text, 'layerwatch_telemetry_file_readable{order_id="ORD-1",path="exports/gone.csv"}'),
    ).toBe(0);
    expect(text).not.toContain('layerwatch_telemetry_checksum_match{');
    expect(text).not.toContain('layerwatch_telemetry_file_bytes{');
    expect(sample(text, 'layerwatch_telemetry_unreadable_files')).toBe(1);
    expect(sample(text, 'layerwatch_telemetry_checksum_mismatches')).toBe(0);
  });

  it('keeps the last good series and sets parse_error 1 when the ledger is truncated', async () => {
    const a = await fx.exportFile('a.csv', 'alpha');
    await fx.writeLedger([fx.entry('ORD-1', [a])]);
    const { collector, log } = start();
    await collector.collectNow();
    const good = collector.render();
    await fx.writeLedgerText('{"version": 1, "entries": [{"order_id": "ORD-1", "evid');
    await collector.collectNow();
    const kept = collector.render();
    expect(sample(kept, 'layerwatch_telemetry_ledger_parse_error')).toBe(1);
    expect(kept.replace(/parse_error 1/, 'parse_error 0')).toBe(good);
    expect(
      log
        .lines()
        .some((l) =>
          String(l.err).startsWith('exchange/ledger/index.json: not JSON, or truncated'),
        ),
    ).toBe(true);
    expect(promtoolCheckMetrics(kept).status).toBe(0);
  });

  it('exports only the parse error when no verification ever succeeded', async () => {
    const { collector } = start();
    await collector.collectNow();
    expect(collector.render()).toMatch(
      /^# HELP layerwatch_telemetry_ledger_parse_error .*\n# TYPE .* gauge\nlayerwatch_telemetry_ledger_parse_error 1\n$/,
    );
  });

  it("removes a file's series when its entry leaves the ledger", async () => {
    const a = await fx.exportFile('a.csv', 'alpha');
    const b = await fx.exportFile('b.csv', 'bravo');
    await fx.writeLedger([fx.entry('ORD-1', [a]), fx.entry('ORD-2', [b])]);
    const { collector } = start();
    await collector.collectNow();
    expect(collector.render()).toContain('order_id="ORD-2"');
    await fx.writeLedger([fx.entry('ORD-1', [a])]);
    await collector.collectNow();
    expect(collector.render()).not.toContain('order_id="ORD-2"');
    expect(collector.render()).toContain('order_id="ORD-1"');
  });

  it('logs an invalid entry with its index, order ID and path once, not every run', async () => {
    const a = await fx.exportFile('a.csv', 'alpha');
    await fx.writeLedger([fx.entry('ORD-9', [{ ...a, path: '/etc/passwd' }])]);
    const { collector, log } = start();
    await collector.collectNow();
    await collector.collectNow();
    const warnings = log.lines().filter((l) => l.msg === 'invalid ledger entry skipped');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      index: 0,
      order_id: 'ORD-9',
      problem:
        'entries[0] (order_id "ORD-9"): evidence[0].path: must be relative to the root, not absolute (got "/etc/passwd")',
    });
  });

  it('hashes unchanged files again only when full_pass_interval has passed', async () => {
    const a = await fx.exportFile('a.csv', 'alpha');
    await fx.writeLedger([fx.entry('ORD-1', [a])]);
    let clock = 1_000_000;
    const hashed: string[] = [];
    const createHasher = (): Hasher => {
      const inner = inThreadHasher(65536);
      return { hash: (p, s) => (hashed.push(p), inner.hash(p, s)), close: () => inner.close() };
    };
    const { collector } = start(
      { full_pass_interval: 3_600_000 },
      { createHasher, now: () => clock },
    );
    await collector.collectNow();
    clock += 60_000;
    await collector.collectNow();
    expect(hashed).toHaveLength(1);
    expect(sample(collector.render(), 'layerwatch_telemetry_hashed_bytes')).toBe(0);
    expect(
      sample(collector.render(), 'layerwatch_telemetry_last_full_pass_timestamp_seconds'),
    ).toBe(1000);
    clock += 3_600_000;
    await collector.collectNow();
    expect(hashed).toHaveLength(2);
    expect(
      sample(collector.render(), 'layerwatch_telemetry_last_full_pass_timestamp_seconds'),
    ).toBe(clock / 1000);
  });

  it('hashes on its worker threads by default and matches the ledger', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    const a = await fx.exportFile('big.bin', big);
    await fx.writeLedger([fx.entry('ORD-1', [a])]);
    const { collector, log } = start({ hash_workers: 2, read_chunk_size: 1024 * 1024 });
    await collector.collectNow();
    expect(log.lines().filter((l) => String(l.msg).startsWith('hash workers failed'))).toEqual([]);
    expect(
      sample(
        collector.render(),
        `layerwatch_telemetry_checksum_match{order_id="ORD-1",path="${a.path}"}`,
      ),
    ).toBe(1);
  });
});
