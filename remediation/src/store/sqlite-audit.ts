import type Database from 'better-sqlite3';
import type { StoredAuditRow } from '../audit/chain.js';
import { GENESIS_HASH, type AuditQuery, type AuditRecord } from '../audit/types.js';
import { auditColumns, type AuditBuilder, type OrphanScope } from './types.js';

// The audit table of the SQLite store: append, read, scan.

const GENESIS = { seq: 0, hash: GENESIS_HASH };

interface AuditRow {
  seq: number;
  id: string;
  time: string;
  actor: string;
  action: string | null;
  outcome: string;
  mode: string;
  body: string;
  prev_hash: string;
  hash: string;
  execution_id: string | null;
}

/**
 * The batch append, one IMMEDIATE transaction chained from the stored head; prepared once,
 * after the schema exists.
 */
export function auditAppender(
  db: Database.Database,
): (builders: readonly AuditBuilder[]) => (AuditRecord | Error)[] {
  const insertAudit = db.prepare(
    `INSERT INTO audit (seq, id, time, actor, action, outcome, mode, body, prev_hash, hash, execution_id)
     VALUES (@seq, @id, @time, @actor, @action, @outcome, @mode, @body, @prevHash, @hash, @executionId)`,
  );
  const last = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
  // Nested inside the batch's transaction, better-sqlite3 runs this as a SAVEPOINT: a
  // record that fails rolls back alone and the batch goes on from the previous head.
  const insertOne = db.transaction((build: AuditBuilder, head: typeof GENESIS) => {
    const record = build(head);
    insertAudit.run({
      ...auditColumns(record),
      seq: record.seq,
      body: JSON.stringify(record),
      prevHash: record.prevHash,
      hash: record.hash,
    });
    return record;
  });
  return db.transaction((builders: readonly AuditBuilder[]) => {
    let head = (last.get() as { seq: number; hash: string } | undefined) ?? GENESIS;
    return builders.map((build) => {
      try {
        const record = insertOne(build, head);
        head = { seq: record.seq, hash: record.hash };
        return record;
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
    });
  }).immediate;
}

export function lastAudit(db: Database.Database): { seq: number; hash: string } | undefined {
  return db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: string } | undefined;
}

export function orphanIntents(db: Database.Database, scope?: OrphanScope): AuditRecord[] {
  const owner = `json_extract(a.body, '$.result.replica')`;
  // As on PostgreSQL: others' intents once their lease lapsed; own and ownerless at start.
  const mine = scope
    ? `AND ((${owner} IS NULL OR ${owner} = @replica) AND @own OR ${owner} <> @replica AND NOT EXISTS (
         SELECT 1 FROM replicas r WHERE r.id = ${owner} AND r.lease_until_ms > @now))`
    : '';
  const rows = db
    .prepare(
      `SELECT body FROM audit a WHERE a.outcome = 'intent' AND NOT EXISTS (
         SELECT 1 FROM audit b WHERE b.execution_id = a.execution_id AND b.outcome <> 'intent')
       ${mine} ORDER BY a.seq`,
    )
    .all(
      scope ? { replica: scope.replica, now: scope.nowMs, own: scope.includeOwn ? 1 : 0 } : {},
    ) as { body: string }[];
  return rows.map((r) => JSON.parse(r.body) as AuditRecord);
}

export function queryAudit(db: Database.Database, query: AuditQuery): AuditRecord[] {
  const where: string[] = [];
  const args: Record<string, string | number> = { limit: query.limit };
  for (const key of ['action', 'actor', 'outcome'] as const) {
    const value = query[key];
    if (value !== undefined) {
      where.push(`${key} = @${key}`);
      args[key] = value;
    }
  }
  if (query.from !== undefined) {
    where.push('time >= @from');
    args['from'] = query.from;
  }
  if (query.to !== undefined) {
    where.push('time <= @to');
    args['to'] = query.to;
  }
  if (query.beforeSeq !== undefined) {
    where.push('seq < @before');
    args['before'] = query.beforeSeq;
  }
  const sql = `SELECT body FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY seq DESC LIMIT @limit`;
  const rows = db.prepare(sql).all(args) as { body: string }[];
  return rows.map((r) => JSON.parse(r.body) as AuditRecord);
}

export function scanAudit(
  db: Database.Database,
  afterSeq: number,
  limit: number,
): StoredAuditRow[] {
  const rows = db
    .prepare('SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?')
    .all(afterSeq, limit) as AuditRow[];
  return rows.map((r) => ({
    seq: r.seq,
    body: r.body,
    hash: r.hash,
    prevHash: r.prev_hash,
    columns: {
      id: r.id,
      time: r.time,
      actor: r.actor,
      action: r.action,
      outcome: r.outcome,
      mode: r.mode,
      executionId: r.execution_id,
    },
  }));
}
