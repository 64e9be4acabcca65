import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLedger } from '@layerwatch/ledger';
import { afterEach, describe, expect, it } from 'vitest';
import { samples, startTestInstrumentation } from './support/service.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('telemetry exports', () => {
  it('the counted ledger writer records the export, its checksum, and counts exports and bytes', async () => {
    const root = await mkdtemp(join(tmpdir(), 'lw-exports-'));
    dirs.push(root);
    const instrumentation = await startTestInstrumentation({ layer: '4' });
    const seen: number[] = [];
    const writer = instrumentation.telemetryExports.ledgerWriter({
      root,
      onExport: (_entry, bytes) => seen.push(bytes),
    });
    const metrics = 'a'.repeat(1000);
    const events = 'b'.repeat(234);
    const entry = await writer.writeExport({
      orderId: 'ORD-0001',
      pivot: 'quilt',
      files: [
        { name: 'ORD-0001-metrics.jsonl', content: metrics },
        { name: 'ORD-0001-events.jsonl', content: events },
      ],
    });
    await writer.writeExport({
      orderId: 'ORD-0002',
      pivot: 'quilt',
      files: [{ name: 'ORD-0002-metrics.jsonl', content: 'c'.repeat(66) }],
    });

    expect(seen).toEqual([1234, 66]); // the caller's own hook still runs
    const text = await instrumentation.render();
    expect(samples(text, 'layerwatch_telemetry_exports_total')).toEqual([
      'layerwatch_telemetry_exports_total{layer="4"} 2',
    ]);
    expect(samples(text, 'layerwatch_telemetry_exported_bytes_total')).toEqual([
      'layerwatch_telemetry_exported_bytes_total{layer="4"} 1300',
    ]);
    // What the checksum collector will verify: the ledger parses and cites the bytes written.
    const ledgerFile = join(root, writer.ledger);
    const ledger = parseLedger(await readFile(ledgerFile, 'utf8'), ledgerFile);
    expect(ledger.invalid).toEqual([]);
    expect(ledger.valid.map((v) => v.entry.order_id)).toEqual(['ORD-0001', 'ORD-0002']);
    const first = entry.evidence[0];
    expect(first).toBeDefined();
    const written = await readFile(join(root, first?.path ?? ''));
    expect(createHash('sha256').update(written).digest('hex')).toBe(first?.sha256);
  });
});
