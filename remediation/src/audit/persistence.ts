import type { StoredAuditRow } from './chain.js';
import type { AuditQuery, AuditRecord } from './types.js';

/**
 * Which open intents a replica may take over: those of owners whose lease has expired, and
 * with `includeOwn` (at start) its own from a previous run and those written without an
 * owner. An intent's owner is `result.replica` of its record.
 */
export interface OrphanScope {
  readonly replica: string;
  readonly nowMs: number;
  readonly includeOwn: boolean;
}

/** Builds one record chained from the last stored one. */
export type AuditBuilder = (last: { seq: number; hash: string }) => AuditRecord;

/**
 * What the audit log needs of a store: audit owns the record and the chain, and a store
 * (store/, SQLite or PostgreSQL) persists them by implementing this.
 */
export interface AuditPersistence {
  lastAudit(): Promise<{ seq: number; hash: string } | undefined>;
  /**
   * Appends a batch in one transaction (one fsync); resolves once committed, with each
   * builder's record or the error that kept it out. A record that cannot be inserted fails
   * alone: the others are chained past it. Each builder receives the last stored record's
   * seq and hash, read under the transaction's lock: processes sharing a store extend one
   * chain.
   */
  appendAudit(builders: readonly AuditBuilder[]): Promise<readonly (AuditRecord | Error)[]>;
  queryAudit(query: AuditQuery): Promise<AuditRecord[]>;
  /** Rows in seq order after `afterSeq`, as stored, for verification and export. */
  scanAudit(afterSeq: number, limit: number): Promise<StoredAuditRow[]>;
  /**
   * Intent records with no outcome record for their executionId, oldest first; with a
   * scope, only those that replica may recover (see `OrphanScope`).
   */
  orphanIntents(scope?: OrphanScope): Promise<AuditRecord[]>;
}
