import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { StoredAuditRow } from '../audit/chain.js';
import { GENESIS_HASH, type AuditQuery, type AuditRecord } from '../audit/types.js';

const GENESIS = { seq: 0, hash: GENESIS_HASH };
import { decideAdmit, type AdmitState } from './admit.js';
import {
  SQLITE_ADDED_COLUMNS,
  SQLITE_INDEXES,
  SQLITE_SCHEMA,
  pageFromRow,
  type PageRow,
} from './sqlite-schema.js';
import {
  auditColumns,
  type AuditBuilder,
  type AdmitRequest,
  type AdmitResult,
  type FinishRequest,
  type Page,
  type PageInput,
  type PageQuery,
  type Store,
} from './types.js';

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
 * The default store: one SQLite file in WAL mode with `synchronous=FULL`, so a commit is on
 * disk (fsync'd) before the promise resolves. `:memory:` gives the same code without the
 * disk: the benchmark's peer that shows what durability costs.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  readonly #db: Database.Database;
  readonly #insertAudit: Database.Statement;
  readonly #append: (builders: readonly AuditBuilder[]) => (AuditRecord | Error)[];
  readonly #admit: (request: AdmitRequest) => AdmitResult;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(SQLITE_SCHEMA);
    addColumns(this.#db);
    this.#db.exec(SQLITE_INDEXES);
    this.#insertAudit = this.#db.prepare(
      `INSERT INTO audit (seq, id, time, actor, action, outcome, mode, body, prev_hash, hash, execution_id)
       VALUES (@seq, @id, @time, @actor, @action, @outcome, @mode, @body, @prevHash, @hash, @executionId)`,
    );
    const last = this.#db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
    // Nested inside the batch's transaction, better-sqlite3 runs this as a SAVEPOINT: a
    // record that fails rolls back alone and the batch goes on from the previous head.
    const insertOne = this.#db.transaction((build: AuditBuilder, head: typeof GENESIS) => {
      const record = build(head);
      this.#insertAudit.run({
        ...auditColumns(record),
        seq: record.seq,
        body: JSON.stringify(record),
        prevHash: record.prevHash,
        hash: record.hash,
      });
      return record;
    });
    this.#append = this.#db.transaction((builders: readonly AuditBuilder[]) => {
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
    // IMMEDIATE: the write lock is taken at BEGIN, so two processes never interleave an admit.
    this.#admit = this.#db.transaction((request: AdmitRequest) => {
      const result = decideAdmit(this.#admitState(request), request);
      if (result.ok) claimSqlite(this.#db, request);
      return result;
    }).immediate;
  }

  async lastAudit(): Promise<{ seq: number; hash: string } | undefined> {
    const row = this.#db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as
      { seq: number; hash: string } | undefined;
    return row;
  }

  async appendAudit(builders: readonly AuditBuilder[]): Promise<readonly (AuditRecord | Error)[]> {
    return this.#append(builders);
  }

  async orphanIntents(): Promise<AuditRecord[]> {
    const rows = this.#db
      .prepare(
        `SELECT body FROM audit a WHERE a.outcome = 'intent' AND NOT EXISTS (
           SELECT 1 FROM audit b WHERE b.execution_id = a.execution_id AND b.outcome <> 'intent')
         ORDER BY a.seq`,
      )
      .all() as { body: string }[];
    return rows.map((r) => JSON.parse(r.body) as AuditRecord);
  }

  async release(executionId: string): Promise<void> {
    this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM inflight WHERE execution_id = ?').run(executionId);
      this.#db
        .prepare(`DELETE FROM idempotency WHERE execution_id = ? AND status = 'running'`)
        .run(executionId);
    })();
  }

  async queryAudit(query: AuditQuery): Promise<AuditRecord[]> {
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
    const rows = this.#db.prepare(sql).all(args) as { body: string }[];
    return rows.map((r) => JSON.parse(r.body) as AuditRecord);
  }

  async scanAudit(afterSeq: number, limit: number): Promise<StoredAuditRow[]> {
    const rows = this.#db
      .prepare('SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?')
      .all(afterSeq, limit) as AuditRow[];
    return Promise.resolve(
      rows.map((r) => ({
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
      })),
    );
  }

  async admit(request: AdmitRequest): Promise<AdmitResult> {
    return this.#admit(request);
  }

  async finish(request: FinishRequest): Promise<void> {
    this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM inflight WHERE execution_id = ?').run(request.executionId);
      if (request.idempotency) {
        this.#db
          .prepare(
            `UPDATE idempotency SET status = 'done', response = ? WHERE scope = ? AND key = ?`,
          )
          .run(
            JSON.stringify(request.response),
            request.idempotency.scope,
            request.idempotency.key,
          );
      }
    })();
    return;
  }

  async upsertPage(input: PageInput): Promise<{ page: Page; created: boolean }> {
    const run = this.#db.transaction(() => {
      const existing = this.#db
        .prepare('SELECT id FROM pages WHERE dedupe_key = ?')
        .get(input.dedupeKey) as { id: number } | undefined;
      if (existing) {
        // A resolved page stays resolved: a late duplicate "firing" never reopens it.
        this.#db
          .prepare(
            `UPDATE pages SET deliveries = deliveries + 1,
               status = CASE WHEN status = 'resolved' THEN 'resolved' ELSE @status END,
               ends_at = CASE WHEN @status = 'resolved' THEN @endsAt ELSE ends_at END,
               annotations = @annotations
             WHERE id = @id`,
          )
          .run({
            id: existing.id,
            status: input.status,
            endsAt: input.endsAt ?? null,
            annotations: JSON.stringify(input.annotations),
          });
        return { id: existing.id, created: false };
      }
      const info = this.#db
        .prepare(
          `INSERT INTO pages (dedupe_key, fingerprint, status, alertname, priority, severity, layer,
             labels, annotations, starts_at, ends_at, received_at, deliveries, receiver)
           VALUES (@dedupeKey, @fingerprint, @status, @alertname, @priority, @severity, @layer,
             @labels, @annotations, @startsAt, @endsAt, @receivedAt, 1, @receiver)`,
        )
        .run({
          ...input,
          layer: input.layer ?? null,
          endsAt: input.endsAt ?? null,
          labels: JSON.stringify(input.labels),
          annotations: JSON.stringify(input.annotations),
        });
      return { id: Number(info.lastInsertRowid), created: true };
    });
    const { id, created } = run();
    const row = this.#db.prepare('SELECT * FROM pages WHERE id = ?').get(id) as PageRow;
    return { page: pageFromRow(row), created };
  }

  async listPages(query: PageQuery): Promise<Page[]> {
    const where: string[] = [];
    const args: Record<string, string | number> = { limit: query.limit };
    if (query.status) {
      where.push('status = @status');
      args['status'] = query.status;
    }
    if (query.beforeId !== undefined) {
      where.push('id < @before');
      args['before'] = query.beforeId;
    }
    const sql = `SELECT * FROM pages ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY id DESC LIMIT @limit`;
    return (this.#db.prepare(sql).all(args) as PageRow[]).map(pageFromRow);
  }

  async claimAutoRun(instanceKey: string, rule: string, nowMs: number): Promise<boolean> {
    const info = this.#db
      .prepare('INSERT OR IGNORE INTO auto_runs (instance_key, rule, time_ms) VALUES (?, ?, ?)')
      .run(instanceKey, rule, nowMs);
    return info.changes === 1;
  }

  async releaseAutoRun(instanceKey: string, rule: string): Promise<void> {
    this.#db
      .prepare('DELETE FROM auto_runs WHERE instance_key = ? AND rule = ?')
      .run(instanceKey, rule);
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }

  #admitState(r: AdmitRequest): AdmitState {
    const db = this.#db;
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
}

function addColumns(db: Database.Database): void {
  for (const [table, column, type] of SQLITE_ADDED_COLUMNS) {
    const columns = db.pragma(`table_info(${table})`) as { name: string }[];
    if (!columns.some((c) => c.name === column)) {
      db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
    }
  }
}

function claimSqlite(db: Database.Database, r: AdmitRequest): void {
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
