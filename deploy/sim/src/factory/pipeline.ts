import { randomBytes } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  LedgerWriter,
  writeFileAtomic,
  type LedgerEntry,
  type LedgerWriterOptions,
} from '@layerwatch/ledger';

/** Where the real factory pipeline keeps things, relative to its checkout. */
export const FACTORY_PATHS = {
  ledger: 'exchange/ledger/index.json',
  exports: '.toyfoundry/telemetry/quilt/exports',
  readiness: 'logs/ops_readiness.json',
} as const;

export interface FactoryState {
  readonly root: string;
  readonly entries: number;
  readonly corrupted: boolean;
  readonly readiness: 'pass' | 'fail';
  readonly consecutiveFailures: number;
}

/**
 * A stand-in for the factory pipeline: writes telemetry exports and records each in the
 * ledger through `@layerwatch/ledger`'s writer (SHA-256 while streaming, ledger replaced
 * atomically), and writes the readiness check's result. Two switches for
 * demos: `setCorrupted` flips one byte of the first evidence file (and back), and
 * `setReadiness('fail')` makes the next readiness runs fail.
 */
export class FactoryPipeline {
  private readonly entries: LedgerEntry[] = [];
  private readonly writer: LedgerWriter;
  /** Reads what an earlier run recorded, so a restart goes on numbering instead of clashing. */
  private loaded: Promise<void> | undefined;
  private nextOrder = 1;
  private corruption: { file: string; offset: number; original: number } | undefined;
  private readiness: 'pass' | 'fail' = 'pass';
  private consecutiveFailures = 0;

  /** `createWriter` lets the embedding service count exports (`@layerwatch/exporters`). */
  constructor(
    readonly root: string,
    createWriter: (options: LedgerWriterOptions) => LedgerWriter = (options) =>
      new LedgerWriter(options),
  ) {
    this.writer = createWriter({
      root,
      ledger: FACTORY_PATHS.ledger,
      exportsDir: FACTORY_PATHS.exports,
    });
  }

  /** Exports one order (two files) in the current hour's batch and records it. */
  async exportOrder(now = new Date()): Promise<void> {
    this.loaded ??= this.loadEarlierEntries();
    await this.loaded;
    // Taken before any await, so overlapping calls (timer and switch) never share an ID.
    const orderId = `ORD-${String(this.nextOrder++).padStart(4, '0')}`;
    const files = ['metrics', 'events'].map((kind) => ({
      name: `${orderId}-${kind}.jsonl`,
      content:
        Array.from({ length: 200 }, (_, i) =>
          JSON.stringify({ order: orderId, kind, seq: i, v: randomBytes(8).toString('hex') }),
        ).join('\n') + '\n',
    }));
    const entry = await this.writer.writeExport({
      orderId,
      pivot: 'quilt',
      exportedAt: now,
      files,
      signOff: { by: 'factory-sim', at: now.toISOString() },
    });
    this.entries.push(entry);
  }

  private async loadEarlierEntries(): Promise<void> {
    const earlier = await this.writer.entries();
    this.entries.push(...earlier);
    const numbers = earlier.map((entry) => Number(/^ORD-(\d+)$/.exec(entry.order_id)?.[1] ?? 0));
    this.nextOrder = Math.max(0, ...numbers) + 1;
  }

  /** Runs the readiness check: it fails while the switch says so (or while data is corrupted). */
  async runReadinessCheck(now = new Date()): Promise<void> {
    const checksumsOk = this.corruption === undefined;
    const status = this.readiness === 'pass' && checksumsOk ? 'pass' : 'fail';
    this.consecutiveFailures = status === 'fail' ? this.consecutiveFailures + 1 : 0;
    const result = {
      timestamp: now.toISOString(),
      status,
      checks: [
        { name: 'ledger', status: 'pass' },
        { name: 'checksums', status: checksumsOk ? 'pass' : 'fail' },
        { name: 'operator', status: this.readiness },
      ],
      consecutive_failures: this.consecutiveFailures,
    };
    await writeFileAtomic(
      join(this.root, FACTORY_PATHS.readiness),
      JSON.stringify(result, null, 2),
    );
  }

  /** Flips one byte of the first evidence file, or puts it back. */
  async setCorrupted(corrupted: boolean): Promise<void> {
    if (corrupted === (this.corruption !== undefined)) return;
    if (corrupted) {
      const first = this.entries[0]?.evidence[0];
      if (!first) throw new Error('nothing exported yet: no file to corrupt');
      const file = join(this.root, first.path);
      const offset = Math.floor(first.bytes / 2);
      const original = (await readFile(file))[offset] ?? 0;
      await writeByte(file, offset, original ^ 0xff);
      this.corruption = { file, offset, original };
    } else if (this.corruption) {
      await writeByte(this.corruption.file, this.corruption.offset, this.corruption.original);
      this.corruption = undefined;
    }
  }

  setReadiness(status: 'pass' | 'fail'): void {
    this.readiness = status;
  }

  state(): FactoryState {
    return {
      root: this.root,
      entries: this.entries.length,
      corrupted: this.corruption !== undefined,
      readiness: this.readiness,
      consecutiveFailures: this.consecutiveFailures,
    };
  }
}

/** In place, keeping size and inode: the kind of silent corruption checksums exist for. */
async function writeByte(file: string, offset: number, value: number): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.write(Buffer.from([value]), 0, 1, offset);
  } finally {
    await handle.close();
  }
}
