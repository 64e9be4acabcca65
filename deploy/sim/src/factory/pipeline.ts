import { createHash, randomBytes } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';

/** Where the real factory pipeline keeps things, relative to its checkout. */
export const FACTORY_PATHS = {
  ledger: 'exchange/ledger/index.json',
  exports: '.toyfoundry/telemetry/quilt/exports',
  readiness: 'logs/ops_readiness.json',
} as const;

interface Evidence {
  path: string;
  sha256: string;
  bytes: number;
}

interface LedgerEntry {
  order_id: string;
  pivot: string;
  batch: string;
  exported_at: string;
  evidence: Evidence[];
  sign_off: { by: string; at: string } | null;
}

export interface FactoryState {
  readonly root: string;
  readonly entries: number;
  readonly corrupted: boolean;
  readonly readiness: 'pass' | 'fail';
  readonly consecutiveFailures: number;
}

/**
 * A stand-in for the factory pipeline: writes telemetry exports, records each in the ledger
 * with its SHA-256 (atomically), and writes the readiness check's result. Two switches for
 * demos: `setCorrupted` flips one byte of the first evidence file (and back), and
 * `setReadiness('fail')` makes the next readiness runs fail.
 */
export class FactoryPipeline {
  private readonly entries: LedgerEntry[] = [];
  private corruption: { file: string; offset: number; original: number } | undefined;
  private readiness: 'pass' | 'fail' = 'pass';
  private consecutiveFailures = 0;

  constructor(readonly root: string) {}

  /** Exports one order (two files) in the current hour's batch and records it. */
  async exportOrder(now = new Date()): Promise<void> {
    const orderId = `ORD-${String(this.entries.length + 1).padStart(4, '0')}`;
    const batch = now.toISOString().slice(0, 13);
    const evidence: Evidence[] = [];
    for (const kind of ['metrics', 'events']) {
      const path = `${FACTORY_PATHS.exports}/${batch}/${orderId}-${kind}.jsonl`;
      const content = Buffer.from(
        Array.from({ length: 200 }, (_, i) =>
          JSON.stringify({ order: orderId, kind, seq: i, v: randomBytes(8).toString('hex') }),
        ).join('\n') + '\n',
      );
      await writeFileAtomic(join(this.root, path), content);
      evidence.push({
        path,
        sha256: createHash('sha256').update(content).digest('hex'),
        bytes: content.length,
      });
    }
    const at = now.toISOString();
    this.entries.push({
      order_id: orderId,
      pivot: 'quilt',
      batch,
      exported_at: at,
      evidence,
      sign_off: { by: 'factory-sim', at },
    });
    await writeFileAtomic(
      join(this.root, FACTORY_PATHS.ledger),
      JSON.stringify({ version: 1, entries: this.entries }, null, 2),
    );
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
