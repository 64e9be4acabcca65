import { randomUUID } from 'node:crypto';
import { checkStorable } from '../input/storable.js';
import type { AuditPersistence } from './persistence.js';
import { anchorProblem, writeAnchor, type AuditAnchor } from './anchor.js';
import { ChainVerifier, recordHash } from './chain.js';
import { type AuditEntry, type AuditRecord, type VerifyReport } from './types.js';

interface Pending {
  readonly entry: AuditEntry;
  readonly time: string;
  readonly done: (result: AuditRecord | Error) => void;
}

/** Batches above this size are split, so one commit never grows without bound. */
const MAX_BATCH = 500;

export interface AuditLogOptions {
  /** HMAC key of the chain; without one, records are chained with plain SHA-256. */
  readonly key?: Buffer | undefined;
  /** File that receives the head (seq, hash) after every commit. */
  readonly anchorFile?: string | undefined;
  /** After each commit: records in it, seconds it took, the new head. */
  readonly onCommit?: (batch: number, seconds: number, head: AuditAnchor) => void;
}

/**
 * The audit log: every append resolves once its record is committed. Appends that arrive
 * while a commit is running share the next one (group commit: one fsync per batch), but
 * each record succeeds or fails on its own: entries are checked before they are queued, and
 * the store isolates each insert, so one bad entry fails only its own request. The chain
 * (seq, prev hash) is assigned inside the commit's transaction, from the last stored record,
 * so processes sharing a store extend one chain.
 */
export class AuditLog {
  #queue: Pending[] = [];
  #flushing = false;

  private constructor(
    private readonly store: AuditPersistence,
    private readonly options: AuditLogOptions,
  ) {}

  static async open(store: AuditPersistence, options: AuditLogOptions = {}): Promise<AuditLog> {
    const log = new AuditLog(store, options);
    await store.lastAudit(); // fails now, at start, if the store is unusable
    return log;
  }

  /** Rejects at once with a StorableError (field named) if the entry could not be stored. */
  append(entry: AuditEntry): Promise<AuditRecord> {
    const problem = checkStorable(entry, 'audit');
    if (problem) return Promise.reject(problem);
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
      const builders = batch.map(({ entry, time }) => {
        const id = randomUUID();
        const body = clean(entry);
        return (last: { seq: number; hash: string }): AuditRecord => {
          const unhashed = {
            ...body,
            id,
            seq: last.seq + 1,
            time,
            prevHash: last.hash,
            ...(this.options.key ? { mac: 'hmac-sha256' as const } : {}),
          };
          return { ...unhashed, hash: recordHash(unhashed, this.options.key) } as AuditRecord;
        };
      });
      const started = process.hrtime.bigint();
      try {
        const results = await this.store.appendAudit(builders);
        const written = results.filter((r): r is AuditRecord => !(r instanceof Error));
        const head = written[written.length - 1];
        if (head) this.#committed(written.length, started, head);
        batch.forEach((p, i) => {
          const r = results[i] as AuditRecord | Error;
          p.done(r instanceof Error ? new Error(`audit log write failed: ${r.message}`) : r);
        });
      } catch (error) {
        const failure = new Error(`audit log write failed: ${(error as Error).message}`);
        batch.forEach((p) => p.done(failure));
      }
    }
    this.#flushing = false;
  }

  #committed(count: number, started: bigint, head: AuditRecord): void {
    const anchor = { seq: head.seq, hash: head.hash };
    // Before any caller hears of the commit, so an acknowledged record is always anchored.
    if (this.options.anchorFile) writeAnchor(this.options.anchorFile, anchor);
    this.options.onCommit?.(count, Number(process.hrtime.bigint() - started) / 1e9, anchor);
  }

  /** Walks the whole chain in seq order; reports the first record that does not verify. */
  async verify(): Promise<VerifyReport> {
    return verifyStore(this.store, { key: this.options.key });
  }
}

export interface VerifyOptions {
  readonly key?: Buffer | undefined;
  /** The head recorded outside the database: a cut tail or rewritten suffix fails. */
  readonly anchor?: AuditAnchor | undefined;
  readonly pageSize?: number;
}

export async function verifyStore(
  store: AuditPersistence,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const verifier = new ChainVerifier(options.key);
  const { anchor, pageSize = 2000 } = options;
  let hashAtAnchor: string | undefined;
  let after = 0;
  for (;;) {
    const rows = await store.scanAudit(after, pageSize);
    if (anchor) hashAtAnchor ??= rows.find((r) => r.seq === anchor.seq)?.hash;
    if (rows.length === 0 || !verifier.feed(rows)) break;
    after = rows[rows.length - 1]?.seq ?? after;
  }
  const report = verifier.report();
  if (!report.ok || !anchor) return report;
  const problem = anchorProblem(report, anchor, hashAtAnchor);
  if (!problem) return report;
  const seq = Math.min(anchor.seq, (report.head?.seq ?? 0) + 1);
  return { ...report, ok: false, firstBroken: { seq, id: '', reason: problem } };
}

/** JSON round trip: the stored body must hash the same when read back. */
function clean(entry: AuditEntry): AuditEntry {
  return JSON.parse(JSON.stringify(entry)) as AuditEntry;
}
