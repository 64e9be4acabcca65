import { createHmac } from 'node:crypto';
import { canonicalJson, sha256Hex } from '../canonical.js';
import { GENESIS_HASH, type AuditRecord, type VerifyReport } from './types.js';

/**
 * Over prevHash + the canonical JSON of the record without its own hash: HMAC-SHA256 with
 * the chain key when the record says `mac: hmac-sha256` (whoever can write the database but
 * not read the key cannot re-chain), else plain SHA-256 (records from before a key).
 */
export function recordHash(record: Omit<AuditRecord, 'hash'>, key?: Buffer): string {
  const text = record.prevHash + canonicalJson(record);
  if (record.mac !== 'hmac-sha256') return sha256Hex(text);
  if (!key) throw new Error('the record is keyed (hmac-sha256) but no audit key was given');
  return createHmac('sha256', key).update(text).digest('hex');
}

export function withoutHash(record: AuditRecord): Omit<AuditRecord, 'hash'> {
  const rest: Record<string, unknown> = { ...record };
  delete rest['hash'];
  return rest as unknown as Omit<AuditRecord, 'hash'>;
}

/** A stored row: the record as written (its body) and the columns kept beside it for queries. */
export interface StoredAuditRow {
  readonly seq: number;
  readonly body: string;
  readonly hash: string;
  readonly prevHash: string;
  readonly columns: Readonly<Record<string, string | number | null>>;
}

/**
 * Checks rows in seq order, carrying the previous hash across calls: seq contiguous, body
 * parses, columns agree with the body, prevHash links, hash recomputes.
 */
export class ChainVerifier {
  #prev = GENESIS_HASH;
  #expectSeq = 1;
  #keyedSeen = false;
  checked = 0;
  unkeyed = 0;
  broken: VerifyReport['firstBroken'];

  /** With a key, unkeyed records are accepted only before the first keyed one. */
  constructor(private readonly key?: Buffer) {}

  feed(rows: readonly StoredAuditRow[]): boolean {
    for (const row of rows) {
      const problem = this.#check(row);
      if (problem !== undefined) {
        this.broken = { seq: row.seq, id: problem.id, reason: problem.reason };
        return false;
      }
      this.checked += 1;
      this.#prev = row.hash;
      this.#expectSeq = row.seq + 1;
    }
    return true;
  }

  report(): VerifyReport {
    const head = this.checked > 0 ? { seq: this.#expectSeq - 1, hash: this.#prev } : undefined;
    const common = { checked: this.checked, unkeyed: this.unkeyed, ...(head ? { head } : {}) };
    return this.broken
      ? { ok: false, ...common, firstBroken: this.broken }
      : { ok: true, ...common };
  }

  #check(row: StoredAuditRow): { id: string; reason: string } | undefined {
    let record: AuditRecord;
    try {
      record = JSON.parse(row.body) as AuditRecord;
    } catch {
      return { id: '', reason: 'body is not valid JSON' };
    }
    const id = typeof record.id === 'string' ? record.id : '';
    if (row.seq !== this.#expectSeq) {
      return { id, reason: `seq ${row.seq} follows ${this.#expectSeq - 1}: records are missing` };
    }
    if (record.seq !== row.seq) return { id, reason: `body says seq ${record.seq}` };
    for (const [column, value] of Object.entries(row.columns)) {
      const inBody = (record as unknown as Record<string, unknown>)[column] ?? null;
      if (inBody !== value) return { id, reason: `column ${column} differs from the record` };
    }
    if (record.prevHash !== this.#prev || row.prevHash !== this.#prev) {
      return { id, reason: 'prevHash does not match the previous record' };
    }
    if (record.hash !== row.hash) return { id, reason: 'hash column differs from the record' };
    if (record.mac === 'hmac-sha256') {
      if (!this.key) return { id, reason: 'the record is keyed: give the audit key to verify it' };
      this.#keyedSeen = true;
    } else if (this.key && this.#keyedSeen) {
      return { id, reason: 'an unkeyed record after keyed ones: the chain was rewritten' };
    } else {
      this.unkeyed += 1;
    }
    if (recordHash(withoutHash(record), this.key) !== row.hash) {
      return { id, reason: 'hash mismatch: the record was changed after it was written' };
    }
    return undefined;
  }
}
