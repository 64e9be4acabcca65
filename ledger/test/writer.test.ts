import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  LedgerConflictError,
  LedgerError,
  LedgerWriter,
  parseLedger,
  type LedgerEntry,
} from '../src/index.js';

const LEDGER = 'exchange/ledger/index.json';
const EXPORTS = '.toyfoundry/telemetry/quilt/exports';
const AT = new Date('2026-11-23T10:04:00Z');
let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'layerwatch-ledger-writer-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const ledgerText = () => readFile(join(root, LEDGER), 'utf8');
const writer = (options: Partial<ConstructorParameters<typeof LedgerWriter>[0]> = {}) =>
  new LedgerWriter({ root, now: () => AT, ...options });
const order = (orderId: string, content: string | Buffer = `${orderId}\n`) => ({
  orderId,
  pivot: 'quilt',
  files: [{ name: `${orderId}.csv`, content }],
});

describe('LedgerWriter', () => {
  it('writes the files and an entry that parseLedger accepts, citing their SHA-256 and size', async () => {
    const metrics = Buffer.from('a,b\n1,2\n');
    const entry = await writer().writeExport({
      orderId: 'ORD-1',
      pivot: 'quilt',
      files: [
        { name: 'ORD-1.csv', content: metrics },
        { name: 'ORD-1.txt', content: 'ü text' },
      ],
      signOff: { by: 'qa@factory', at: '2026-11-23T10:30:00Z' },
    });
    const expected = {
      order_id: 'ORD-1',
      pivot: 'quilt',
      batch: '2026-11-23T10',
      exported_at: '2026-11-23T10:04:00.000Z',
      evidence: [
        { path: `${EXPORTS}/2026-11-23T10/ORD-1.csv`, sha256: sha256(metrics), bytes: 8 },
        { path: `${EXPORTS}/2026-11-23T10/ORD-1.txt`, sha256: sha256('ü text'), bytes: 7 },
      ],
      sign_off: { by: 'qa@factory', at: '2026-11-23T10:30:00Z' },
    };
    expect(entry).toEqual(expected);
    const parsed = parseLedger(await ledgerText(), LEDGER);
    expect(parsed.invalid).toEqual([]);
    expect(parsed.valid.map((v) => v.entry)).toEqual([expected]);
    for (const file of entry.evidence) {
      const bytes = await readFile(join(root, file.path));
      expect([sha256(bytes), bytes.length]).toEqual([file.sha256, file.bytes]);
    }
    expect((await readdir(join(root, EXPORTS, '2026-11-23T10'))).sort()).toEqual([
      'ORD-1.csv',
      'ORD-1.txt',
    ]);
    expect(await readdir(join(root, 'exchange/ledger'))).toEqual(['index.json']);
  });

  it('hashes a Readable of many chunks while streaming it, and an async generator', async () => {
    const chunks = Array.from({ length: 500 }, (_, i) => Buffer.alloc(4096, i % 251));
    const whole = Buffer.concat(chunks);
    async function* generated() {
      yield 'head,';
      yield Buffer.from('tail');
    }
    const entry = await writer().writeExport({
      orderId: 'ORD-2',
      pivot: 'quilt',
      batch: '2026-11-22T23',
      files: [
        { name: 'big.bin', content: Readable.from(chunks) },
        { name: 'gen.csv', content: generated() },
      ],
    });
    expect(entry.evidence.map(({ sha256, bytes }) => ({ sha256, bytes }))).toEqual([
      { sha256: sha256(whole), bytes: whole.length },
      { sha256: sha256('head,tail'), bytes: 9 },
    ]);
    expect(entry.sign_off).toBeNull();
    // Buffer.equals: vitest's deep equality walks 2 MB byte by byte (seconds).
    expect((await readFile(join(root, EXPORTS, '2026-11-22T23/big.bin'))).equals(whole)).toBe(true);
  });

  it('counts exports and bytes and tells the onExport hook', async () => {
    const onExport = vi.fn<(entry: LedgerEntry, bytes: number) => void>();
    const w = writer({ onExport });
    await w.writeExport(order('ORD-1', 'abc'));
    await w.writeExport(order('ORD-2', 'defgh'));
    expect([w.exports, w.bytes]).toEqual([2, 8]);
    expect(onExport.mock.calls.map(([entry, bytes]) => [entry.order_id, bytes])).toEqual([
      ['ORD-1', 3],
      ['ORD-2', 5],
    ]);
  });

  it('keeps the export when the hook throws, and says so in a process warning', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      const w = writer({
        onExport: () => {
          throw new Error('metrics down');
        },
      });
      await w.writeExport(order('ORD-1'));
      await new Promise((done) => setImmediate(done));
      expect(w.exports).toBe(1);
      expect(warnings).toEqual([
        'LedgerWriter onExport hook threw for ORD-1 (the export is recorded): Error: metrics down',
      ]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('records both of two concurrent exports, from one writer and from two', async () => {
    const a = writer();
    const b = writer();
    await Promise.all([
      a.writeExport(order('ORD-1')),
      a.writeExport(order('ORD-2')),
      b.writeExport(order('ORD-3')),
    ]);
    const ids = parseLedger(await ledgerText(), LEDGER).valid.map((v) => v.entry.order_id);
    expect(ids.sort()).toEqual(['ORD-1', 'ORD-2', 'ORD-3']);
  });

  it('refuses an order ID already in the ledger, or being written, leaving no temp file', async () => {
    const w = writer();
    await w.writeExport(order('ORD-1', 'first'));
    const again = w.writeExport({
      ...order('ORD-1', 'second'),
      files: [{ name: 'x', content: 'y' }],
    });
    await expect(again).rejects.toThrow(LedgerConflictError);
    await expect(again).rejects.toThrow(
      'orderId: "ORD-1" is already in the ledger as entries[0]; order IDs must be unique',
    );
    const slow = new Readable({ read() {} });
    const first = w.writeExport({ ...order('ORD-2'), files: [{ name: 'a', content: slow }] });
    await expect(w.writeExport(order('ORD-2'))).rejects.toThrow(
      'orderId: "ORD-2" is already being written by this writer',
    );
    slow.push(null);
    await first;
    // The refused export's file "x" was never renamed in: its temp file is gone too.
    expect((await readdir(join(root, EXPORTS, '2026-11-23T10'))).sort()).toEqual([
      'ORD-1.csv',
      'a',
    ]);
  });

  it('never replaces a file another entry cites', async () => {
    const w = writer();
    await w.writeExport(order('ORD-1', 'first'));
    const clash = { ...order('ORD-2'), files: [{ name: 'ORD-1.csv', content: 'second' }] };
    await expect(w.writeExport(clash)).rejects.toThrow(
      `files[0].name: "${EXPORTS}/2026-11-23T10/ORD-1.csv" is already cited by entries[0] (order_id "ORD-1"); an export never replaces another export's file`,
    );
    expect(await readFile(join(root, EXPORTS, '2026-11-23T10/ORD-1.csv'), 'utf8')).toBe('first');
  });

  it('keeps other fields and invalid entries as written, and refuses to touch an unusable ledger', async () => {
    await mkdir(join(root, 'exchange/ledger'), { recursive: true });
    const invalid = { order_id: 'OLD', pivot: '' };
    await writeFile(
      join(root, LEDGER),
      JSON.stringify({ version: 1, owner: 'factory', entries: [invalid] }),
    );
    await writer().writeExport(order('ORD-1'));
    const doc = JSON.parse(await ledgerText()) as { owner: string; entries: unknown[] };
    expect(doc.owner).toBe('factory');
    expect(doc.entries[0]).toEqual(invalid);
    expect(doc.entries).toHaveLength(2);
    await writeFile(join(root, LEDGER), '{"version": 1, "entries": [');
    await expect(writer().writeExport(order('ORD-2'))).rejects.toThrow(LedgerError);
    expect(await ledgerText()).toBe('{"version": 1, "entries": [');
  });

  it('removes its temp file and records nothing when the source fails mid-stream', async () => {
    async function* failing() {
      yield Buffer.alloc(1024);
      throw new Error('source went away');
    }
    const w = writer();
    await expect(
      w.writeExport({ ...order('ORD-1'), files: [{ name: 'a', content: failing() }] }),
    ).rejects.toThrow('source went away');
    expect(await readdir(join(root, EXPORTS, '2026-11-23T10'))).toEqual([]);
    expect(await w.entries()).toEqual([]);
    expect([w.exports, w.bytes]).toEqual([0, 0]);
  });

  it('rejects a chunk that is not bytes, naming the file', async () => {
    async function* numbers() {
      yield 42;
    }
    const files = [{ name: 'a', content: numbers() as AsyncIterable<Buffer> }];
    await expect(writer().writeExport({ ...order('ORD-1'), files })).rejects.toThrow(
      'files[0].content: yielded a number; chunks must be Buffers or strings',
    );
  });
});
