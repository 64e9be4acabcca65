import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { StoredAuditRow } from '../audit/chain.js';
import type { AuditQuery, AuditRecord } from '../audit/types.js';
import { decideAdmit } from './admit.js';
import { admitState, claimSqlite } from './sqlite-admit.js';
import { auditAppender, lastAudit, orphanIntents, queryAudit, scanAudit } from './sqlite-audit.js';
import {
  SQLITE_ADDED_COLUMNS,
  SQLITE_INDEXES,
  SQLITE_SCHEMA,
  pageFromRow,
  type PageRow,
} from './sqlite-schema.js';
import type * as contract from './types.js';

/**
 * The default store: one SQLite file in WAL mode with `synchronous=FULL`, so a commit is on
 * disk (fsync'd) before the promise resolves. `:memory:` gives the same code without the
 * disk: the benchmark's peer that shows what durability costs.
 */
export class SqliteStore implements contract.Store {
  readonly kind = 'sqlite';
  readonly #db: Database.Database;
  readonly #append: (builders: readonly contract.AuditBuilder[]) => (AuditRecord | Error)[];
  readonly #admit: (request: contract.AdmitRequest) => contract.AdmitResult;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(SQLITE_SCHEMA);
    addColumns(this.#db);
    this.#db.exec(SQLITE_INDEXES);
    this.#append = auditAppender(this.#db);
    // IMMEDIATE: the write lock is taken at BEGIN, so two processes never interleave an admit.
    this.#admit = this.#db.transaction((request: contract.AdmitRequest) => {
      const result = decideAdmit(admitState(this.#db, request), request);
      if (result.ok) claimSqlite(this.#db, request);
      return result;
    }).immediate;
  }

  async lastAudit(): Promise<{ seq: number; hash: string } | undefined> {
    return lastAudit(this.#db);
  }

  async appendAudit(
    builders: readonly contract.AuditBuilder[],
  ): Promise<readonly (AuditRecord | Error)[]> {
    return this.#append(builders);
  }

  async orphanIntents(scope?: contract.OrphanScope): Promise<AuditRecord[]> {
    return orphanIntents(this.#db, scope);
  }

  async heartbeat(replica: string, leaseUntilMs: number): Promise<void> {
    this.#db
      .prepare(
        `INSERT INTO replicas (id, lease_until_ms) VALUES (?, ?)
         ON CONFLICT (id) DO UPDATE SET lease_until_ms = excluded.lease_until_ms`,
      )
      .run(replica, leaseUntilMs);
  }

  /** One replica per SQLite file (see README): nothing else to exclude. */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    return work();
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
    return queryAudit(this.#db, query);
  }

  async scanAudit(afterSeq: number, limit: number): Promise<StoredAuditRow[]> {
    return scanAudit(this.#db, afterSeq, limit);
  }

  async admit(request: contract.AdmitRequest): Promise<contract.AdmitResult> {
    return this.#admit(request);
  }

  async finish(request: contract.FinishRequest): Promise<void> {
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

  async upsertPage(input: contract.PageInput): Promise<{ page: contract.Page; created: boolean }> {
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

  async listPages(query: contract.PageQuery): Promise<contract.Page[]> {
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
}

function addColumns(db: Database.Database): void {
  for (const [table, column, type] of SQLITE_ADDED_COLUMNS) {
    const columns = db.pragma(`table_info(${table})`) as { name: string }[];
    if (!columns.some((c) => c.name === column)) {
      db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
    }
  }
}
