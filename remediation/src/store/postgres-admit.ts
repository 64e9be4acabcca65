import type pg from 'pg';
import {
  claimRows,
  decideAdmit,
  IDEMPOTENCY_COLUMNS,
  idempotencyState,
  type IdempotencyRow,
} from './admit.js';
import type { AdmitRequest, AdmitResult } from './types.js';

/**
 * Inside the caller's transaction, under one lock across every process sharing this
 * database: read the admission state, decide, and claim what an admitted request holds.
 */
export async function admitPostgres(
  c: pg.PoolClient,
  s: string,
  r: AdmitRequest,
): Promise<AdmitResult> {
  // One admit at a time across every process sharing this database.
  await c.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${s}.admit`]);
  const idem = r.idempotency
    ? (
        await c.query<IdempotencyRow>(
          `SELECT ${IDEMPOTENCY_COLUMNS} FROM ${s}.idempotency WHERE scope = $1 AND key = $2`,
          [r.idempotency.scope, r.idempotency.key],
        )
      ).rows[0]
    : undefined;
  const nonceUsed = r.confirmation
    ? (
        await c.query(`SELECT 1 FROM ${s}.confirmations_used WHERE nonce = $1`, [
          r.confirmation.nonce,
        ])
      ).rowCount !== 0
    : false;
  const cooldown = r.cooldown
    ? (
        await c.query<{ until_ms: number }>(`SELECT until_ms FROM ${s}.cooldowns WHERE key = $1`, [
          r.cooldown.key,
        ])
      ).rows[0]
    : undefined;
  const inflight = (
    await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${s}.inflight WHERE lease_until_ms > $1`,
      [r.nowMs],
    )
  ).rows[0];
  const result = decideAdmit(
    {
      idempotency: idempotencyState(idem),
      nonceUsed,
      cooldownUntilMs: cooldown?.until_ms,
      inflight: inflight?.n ?? 0,
    },
    r,
  );
  if (result.ok) await claim(c, s, r);
  return result;
}

async function claim(c: pg.PoolClient, s: string, r: AdmitRequest): Promise<void> {
  const rows = claimRows(r);
  await c.query(`DELETE FROM ${s}.inflight WHERE lease_until_ms <= $1`, [r.nowMs]);
  await c.query(
    `INSERT INTO ${s}.inflight (execution_id, lease_until_ms) VALUES ($1, $2)`,
    rows.inflight,
  );
  if (rows.idempotency) {
    await c.query(
      `INSERT INTO ${s}.idempotency (scope, key, request_hash, status, response, expires_ms, execution_id)
       VALUES ($1, $2, $3, 'running', NULL, $4, $5)
       ON CONFLICT (scope, key) DO UPDATE SET request_hash = $3, status = 'running', response = NULL, expires_ms = $4, execution_id = $5`,
      rows.idempotency,
    );
  }
  if (rows.confirmation) {
    await c.query(`DELETE FROM ${s}.confirmations_used WHERE expires_ms < $1`, [r.nowMs]);
    await c.query(
      `INSERT INTO ${s}.confirmations_used (nonce, expires_ms) VALUES ($1, $2)`,
      rows.confirmation,
    );
  }
  if (rows.cooldown) {
    await c.query(
      `INSERT INTO ${s}.cooldowns (key, until_ms) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET until_ms = $2`,
      rows.cooldown,
    );
  }
}
