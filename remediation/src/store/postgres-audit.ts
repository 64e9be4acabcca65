import type pg from 'pg';
import type { StoredAuditRow } from '../audit/chain.js';
import { GENESIS_HASH, type AuditQuery, type AuditRecord } from '../audit/types.js';
import { auditColumns, type AuditBuilder, type OrphanScope } from './types.js';

// The audit table of the PostgreSQL store: append, read, scan. `s` is the quoted schema name.

/** Chains every builder from `start`, in order. */
function chain(builders: readonly AuditBuilder[], start: { seq: number; hash: string }) {
  let head = start;
  return builders.map((build) => {
    const record = build(head);
    head = { seq: record.seq, hash: record.hash };
    return record;
  });
}

export async function lastAudit(
  pool: pg.Pool,
  s: string,
): Promise<{ seq: number; hash: string } | undefined> {
  const { rows } = await pool.query<{ seq: number; hash: string }>(
    `SELECT seq, hash FROM ${s}.audit ORDER BY seq DESC LIMIT 1`,
  );
  return rows[0];
}

/** Inside the caller's transaction: the batch chained from the head, under the audit lock. */
export async function appendAudit(
  c: pg.PoolClient,
  s: string,
  builders: readonly AuditBuilder[],
): Promise<readonly (AuditRecord | Error)[]> {
  await c.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${s}.audit`]);
  const { rows } = await c.query<{ seq: number; hash: string }>(
    `SELECT seq, hash FROM ${s}.audit ORDER BY seq DESC LIMIT 1`,
  );
  const start = rows[0] ?? { seq: 0, hash: GENESIS_HASH };
  // Fast path: the whole batch in one INSERT. If any row fails, redo it one savepoint
  // per record, so the bad one fails alone and the rest chain past it.
  await c.query('SAVEPOINT batch');
  try {
    const records = chain(builders, start);
    await insertAudit(c, s, records);
    return records;
  } catch {
    await c.query('ROLLBACK TO SAVEPOINT batch');
  }
  let head = start;
  const results: (AuditRecord | Error)[] = [];
  for (const build of builders) {
    await c.query('SAVEPOINT one');
    try {
      const record = build(head);
      await insertAudit(c, s, [record]);
      await c.query('RELEASE SAVEPOINT one');
      head = { seq: record.seq, hash: record.hash };
      results.push(record);
    } catch (error) {
      await c.query('ROLLBACK TO SAVEPOINT one');
      results.push(error instanceof Error ? error : new Error(String(error)));
    }
  }
  return results;
}

async function insertAudit(
  c: pg.PoolClient,
  s: string,
  records: readonly AuditRecord[],
): Promise<void> {
  const values: unknown[] = [];
  const tuples = records.map((record, i) => {
    const c = auditColumns(record);
    values.push(record.seq, c['id'], c['time'], c['actor'], c['action'], c['outcome']);
    values.push(c['mode'], JSON.stringify(record), record.prevHash, record.hash);
    values.push(c['executionId']);
    const base = i * 11;
    return `(${Array.from({ length: 11 }, (_, k) => `$${base + k + 1}`).join(',')})`;
  });
  await c.query(
    `INSERT INTO ${s}.audit (seq, id, time, actor, action, outcome, mode, body, prev_hash, hash, execution_id)
     VALUES ${tuples.join(',')}`,
    values,
  );
}

export async function orphanIntents(
  pool: pg.Pool,
  s: string,
  scope?: OrphanScope,
): Promise<AuditRecord[]> {
  const owner = `(a.body::jsonb #>> '{result,replica}')`;
  // An owner's intents are taken once its lease has lapsed; its own (and ownerless) at start.
  const mine = scope
    ? `AND ((${owner} IS NULL OR ${owner} = $1) AND $3 OR ${owner} <> $1 AND NOT EXISTS (
         SELECT 1 FROM ${s}.replicas r WHERE r.id = ${owner} AND r.lease_until_ms > $2))`
    : '';
  const { rows } = await pool.query<{ body: string }>(
    `SELECT body FROM ${s}.audit a WHERE a.outcome = 'intent' AND NOT EXISTS (
       SELECT 1 FROM ${s}.audit b WHERE b.execution_id = a.execution_id AND b.outcome <> 'intent')
     ${mine} ORDER BY a.seq`,
    scope ? [scope.replica, scope.nowMs, scope.includeOwn] : [],
  );
  return rows.map((r) => JSON.parse(r.body) as AuditRecord);
}

export async function queryAudit(
  pool: pg.Pool,
  s: string,
  query: AuditQuery,
): Promise<AuditRecord[]> {
  const where: string[] = [];
  const args: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    args.push(value);
    where.push(sql.replace('?', `$${args.length}`));
  };
  if (query.action !== undefined) add('action = ?', query.action);
  if (query.actor !== undefined) add('actor = ?', query.actor);
  if (query.outcome !== undefined) add('outcome = ?', query.outcome);
  if (query.from !== undefined) add('time >= ?', query.from);
  if (query.to !== undefined) add('time <= ?', query.to);
  if (query.beforeSeq !== undefined) add('seq < ?', query.beforeSeq);
  args.push(query.limit);
  const { rows } = await pool.query<{ body: string }>(
    `SELECT body FROM ${s}.audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY seq DESC LIMIT $${args.length}`,
    args,
  );
  return rows.map((r) => JSON.parse(r.body) as AuditRecord);
}

export async function scanAudit(
  pool: pg.Pool,
  s: string,
  afterSeq: number,
  limit: number,
): Promise<StoredAuditRow[]> {
  const { rows } = await pool.query<Record<string, string | number | null>>(
    `SELECT * FROM ${s}.audit WHERE seq > $1 ORDER BY seq LIMIT $2`,
    [afterSeq, limit],
  );
  return rows.map((r) => ({
    seq: Number(r['seq']),
    body: String(r['body']),
    hash: String(r['hash']),
    prevHash: String(r['prev_hash']),
    columns: {
      id: r['id'] ?? null,
      time: r['time'] ?? null,
      actor: r['actor'] ?? null,
      action: r['action'] ?? null,
      outcome: r['outcome'] ?? null,
      mode: r['mode'] ?? null,
      executionId: r['execution_id'] ?? null,
    },
  }));
}
