import type Database from 'better-sqlite3';
import type { AdmitState } from './admit.js';
import type { AdmitRequest } from './types.js';

/** What an admit reads, inside its IMMEDIATE transaction, before deciding. */
export function admitState(db: Database.Database, r: AdmitRequest): AdmitState {
  const idem = r.idempotency
    ? (db
        .prepare(
          'SELECT request_hash, status, response, expires_ms FROM idempotency WHERE scope = ? AND key = ?',
        )
        .get(r.idempotency.scope, r.idempotency.key) as
        | { request_hash: string; status: string; response: string | null; expires_ms: number }
        | undefined)
    : undefined;
  const cooldown = r.cooldown
    ? (db.prepare('SELECT until_ms FROM cooldowns WHERE key = ?').get(r.cooldown.key) as
        { until_ms: number } | undefined)
    : undefined;
  const inflight = db
    .prepare('SELECT count(*) AS n FROM inflight WHERE lease_until_ms > ?')
    .get(r.nowMs) as { n: number };
  return {
    idempotency: idem && {
      requestHash: idem.request_hash,
      status: idem.status,
      response: idem.response,
      expiresMs: idem.expires_ms,
    },
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
  db.prepare('DELETE FROM inflight WHERE lease_until_ms <= ?').run(r.nowMs);
  db.prepare('INSERT INTO inflight (execution_id, lease_until_ms) VALUES (?, ?)').run(
    r.executionId,
    r.nowMs + r.leaseMs,
  );
  if (r.idempotency) {
    db.prepare(
      `INSERT OR REPLACE INTO idempotency (scope, key, request_hash, status, response, expires_ms, execution_id)
       VALUES (?, ?, ?, 'running', NULL, ?, ?)`,
    ).run(
      r.idempotency.scope,
      r.idempotency.key,
      r.idempotency.requestHash,
      r.nowMs + r.idempotency.ttlMs,
      r.executionId,
    );
  }
  if (r.confirmation) {
    db.prepare('DELETE FROM confirmations_used WHERE expires_ms < ?').run(r.nowMs);
    db.prepare('INSERT INTO confirmations_used (nonce, expires_ms) VALUES (?, ?)').run(
      r.confirmation.nonce,
      r.confirmation.expiresMs,
    );
  }
  if (r.cooldown && r.cooldown.seconds > 0) {
    db.prepare('INSERT OR REPLACE INTO cooldowns (key, until_ms) VALUES (?, ?)').run(
      r.cooldown.key,
      r.nowMs + r.cooldown.seconds * 1000,
    );
  }
}
