import type Database from 'better-sqlite3';
import {
  claimRows,
  IDEMPOTENCY_COLUMNS,
  idempotencyState,
  type AdmitState,
  type IdempotencyRow,
} from './admit.js';
import type { AdmitRequest } from './types.js';

/** What an admit reads, inside its IMMEDIATE transaction, before deciding. */
export function admitState(db: Database.Database, r: AdmitRequest): AdmitState {
  const idem = r.idempotency
    ? (db
        .prepare(`SELECT ${IDEMPOTENCY_COLUMNS} FROM idempotency WHERE scope = ? AND key = ?`)
        .get(r.idempotency.scope, r.idempotency.key) as IdempotencyRow | undefined)
    : undefined;
  const cooldown = r.cooldown
    ? (db.prepare('SELECT until_ms FROM cooldowns WHERE key = ?').get(r.cooldown.key) as
        { until_ms: number } | undefined)
    : undefined;
  const inflight = db
    .prepare('SELECT count(*) AS n FROM inflight WHERE lease_until_ms > ?')
    .get(r.nowMs) as { n: number };
  return {
    idempotency: idempotencyState(idem),
    nonceUsed:
      r.confirmation !== undefined &&
      db.prepare('SELECT 1 FROM confirmations_used WHERE nonce = ?').get(r.confirmation.nonce) !==
        undefined,
    cooldownUntilMs: cooldown?.until_ms,
    inflight: inflight.n,
  };
}

/** What an admitted request holds: its slot, its key, its nonce and its cooldown. */
export function claimSqlite(db: Database.Database, r: AdmitRequest): void {
  const rows = claimRows(r);
  db.prepare('DELETE FROM inflight WHERE lease_until_ms <= ?').run(r.nowMs);
  db.prepare('INSERT INTO inflight (execution_id, lease_until_ms) VALUES (?, ?)').run(
    ...rows.inflight,
  );
  if (rows.idempotency) {
    db.prepare(
      `INSERT OR REPLACE INTO idempotency (scope, key, request_hash, status, response, expires_ms, execution_id)
       VALUES (?, ?, ?, 'running', NULL, ?, ?)`,
    ).run(...rows.idempotency);
  }
  if (rows.confirmation) {
    db.prepare('DELETE FROM confirmations_used WHERE expires_ms < ?').run(r.nowMs);
    db.prepare('INSERT INTO confirmations_used (nonce, expires_ms) VALUES (?, ?)').run(
      ...rows.confirmation,
    );
  }
  if (rows.cooldown) {
    db.prepare('INSERT OR REPLACE INTO cooldowns (key, until_ms) VALUES (?, ?)').run(
      ...rows.cooldown,
    );
  }
}
