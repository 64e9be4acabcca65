import { randomUUID } from 'node:crypto';
import type { Store } from '../store/types.js';
import { ChainVerifier, recordHash } from './chain.js';
import { type AuditEntry, type AuditRecord, type VerifyReport } from './types.js';

interface Pending {
  readonly entry: AuditEntry;
  readonly time: string;
  readonly done: (result: AuditRecord | Error) => void;
}

/** Batches above this size are split, so one commit never grows without bound. */
const MAX_BATCH = 500;

/**
 * The audit log: every append resolves once its record is committed. Appends that arrive
 * while a commit is running are chained and committed together in the next one (group
 * commit), so durability costs one fsync per batch, not per request. The chain (seq, prev
 * hash) is assigned inside the commit's transaction, from the last stored record: a failed
 * commit leaves no gap (its callers get the error and answer 503, never an unrecorded
 * success), and processes sharing a store extend one chain.
 */
export class AuditLog {
  #queue: Pending[] = [];
  #flushing = false;
  #onCommit: ((batch: number, seconds: number) => void) | undefined;

  private constructor(private readonly store: Store) {}

  static async open(
    store: Store,
    onCommit?: (batch: number, seconds: number) => void,
  ): Promise<AuditLog> {
    const log = new AuditLog(store);
    await store.lastAudit(); // fails now, at start, if the store is unusable
    log.#onCommit = onCommit;
    return log;
  }

  append(entry: AuditEntry): Promise<AuditRecord> {
    return new Promise((resolve, reject) => {
      this.#queue.push({
        entry,
        time: new Date().toISOString(),
        done: (result) => (result instanceof Error ? reject(result) : resolve(result)),
      });
      if (!this.#flushing) {
        this.#flushing = true;
        // Let the requests already in this turn of the event loop join the batch.
        setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MAX_BATCH);
      const ids = batch.map(() => randomUUID());
      const build = (last: { seq: number; hash: string }): AuditRecord[] => {
        let { seq, hash } = last;
        return batch.map(({ entry, time }, i) => {
          const unhashed = {
            ...clean(entry),
            id: ids[i] as string,
            seq: ++seq,
            time,
            prevHash: hash,
          };
          hash = recordHash(unhashed);
          return { ...unhashed, hash } as AuditRecord;
        });
      };
      const started = process.hrtime.bigint();
      try {
        const records = await this.store.appendAudit(build);
        this.#onCommit?.(records.length, Number(process.hrtime.bigint() - started) / 1e9);
        batch.forEach((p, i) => p.done(records[i] as AuditRecord));
      } catch (error) {
        const failure = new Error(`audit log write failed: ${(error as Error).message}`);
        batch.forEach((p) => p.done(failure));
      }
    }
    this.#flushing = false;
  }

  /** Walks the whole chain in seq order; reports the first record that does not verify. */
  async verify(): Promise<VerifyReport> {
    return verifyStore(this.store);
  }
}

export async function verifyStore(store: Store, pageSize = 2000): Promise<VerifyReport> {
  const verifier = new ChainVerifier();
  let after = 0;
  for (;;) {
    const rows = await store.scanAudit(after, pageSize);
    if (rows.length === 0 || !verifier.feed(rows)) break;
    after = rows[rows.length - 1]?.seq ?? after;
  }
  return verifier.report();
}

/** JSON round trip: the stored body must hash the same when read back. */
function clean(entry: AuditEntry): AuditEntry {
  return JSON.parse(JSON.stringify(entry)) as AuditEntry;
}
