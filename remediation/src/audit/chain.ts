import { canonicalJson, sha256Hex } from '../canonical.js';
import { GENESIS_HASH, type AuditRecord, type VerifyReport } from './types.js';

/** sha256(prevHash + canonical JSON of the record without its own hash). */
export function recordHash(record: Omit<AuditRecord, 'hash'>): string {
  return sha256Hex(record.prevHash + canonicalJson(record));
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
  checked = 0;
  broken: VerifyReport['firstBroken'];

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
    return this.broken
      ? { ok: false, checked: this.checked, firstBroken: this.broken }
      : { ok: true, checked: this.checked };
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
    if (recordHash(withoutHash(record)) !== row.hash) {
      return { id, reason: 'hash mismatch: the record was changed after it was written' };
    }
    return undefined;
  }
}
