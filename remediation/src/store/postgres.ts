import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { StoredAuditRow } from '../audit/chain.js';
import type { AuditQuery, AuditRecord } from '../audit/types.js';
import type { StoreConfig } from '../config/schema.js';
import { admitPostgres } from './postgres-admit.js';
import { appendAudit, lastAudit, orphanIntents, queryAudit, scanAudit } from './postgres-audit.js';
import { postgresSchema } from './postgres-schema.js';
import { pageFromRow, type PageRow } from './sqlite-schema.js';
import type * as contract from './types.js';

type PostgresConfig = Extract<StoreConfig, { kind: 'postgres' }>;

// BIGINT comes back as a string by default; our values (seq, ms) fit a double.
const INT8 = 20;

/** The same store on PostgreSQL: a commit returns once the server has made it durable. */
export class PostgresStore implements contract.Store {
  readonly kind = 'postgres';
  readonly #pool: pg.Pool;
  readonly #s: string;

  private constructor(pool: pg.Pool, schema: string) {
    this.#pool = pool;
    this.#s = `"${schema}"`;
  }

  static async open(config: PostgresConfig): Promise<PostgresStore> {
    const password = config.passwordFile
      ? readFileSync(config.passwordFile, 'utf8').trim()
      : undefined;
    const pool = new pg.Pool({
      connectionString: config.url,
      ...(password === undefined ? {} : { password }),
      max: 8,
      types: {
        getTypeParser: ((oid: number, format?: string) =>
          oid === INT8 ? Number : pg.types.getTypeParser(oid, format as 'text')) as never,
      },
    });
    // An idle client losing its server must not crash the process.
    pool.on('error', () => undefined);
    await pool.query(postgresSchema(config.schema));
    return new PostgresStore(pool, config.schema);
  }

  async lastAudit(): Promise<{ seq: number; hash: string } | undefined> {
    return lastAudit(this.#pool, this.#s);
  }

  async appendAudit(
    builders: readonly contract.AuditBuilder[],
  ): Promise<readonly (AuditRecord | Error)[]> {
    return this.#transaction((c) => appendAudit(c, this.#s, builders));
  }

  async orphanIntents(scope?: contract.OrphanScope): Promise<AuditRecord[]> {
    return orphanIntents(this.#pool, this.#s, scope);
  }

  async heartbeat(replica: string, leaseUntilMs: number): Promise<void> {
    await this.#pool.query(
      `INSERT INTO ${this.#s}.replicas (id, lease_until_ms) VALUES ($1, $2)
       ON CONFLICT (id) DO UPDATE SET lease_until_ms = $2`,
      [replica, leaseUntilMs],
    );
  }

  /** A session advisory lock on its own connection: freed by the server if the process dies. */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    const key = [`${this.#s}.exclusive`];
    try {
      await client.query(`SELECT pg_advisory_lock(hashtext($1))`, key);
      try {
        return await work();
      } finally {
        await client.query(`SELECT pg_advisory_unlock(hashtext($1))`, key);
      }
    } finally {
      client.release();
    }
  }

  async release(executionId: string): Promise<void> {
    await this.#transaction(async (c) => {
      await c.query(`DELETE FROM ${this.#s}.inflight WHERE execution_id = $1`, [executionId]);
      await c.query(
        `DELETE FROM ${this.#s}.idempotency WHERE execution_id = $1 AND status = 'running'`,
        [executionId],
      );
    });
  }

  async queryAudit(query: AuditQuery): Promise<AuditRecord[]> {
    return queryAudit(this.#pool, this.#s, query);
  }

  async scanAudit(afterSeq: number, limit: number): Promise<StoredAuditRow[]> {
    return scanAudit(this.#pool, this.#s, afterSeq, limit);
  }

  async admit(r: contract.AdmitRequest): Promise<contract.AdmitResult> {
    return this.#transaction((c) => admitPostgres(c, this.#s, r));
  }

  async finish(r: contract.FinishRequest): Promise<void> {
    await this.#transaction(async (c) => {
      await c.query(`DELETE FROM ${this.#s}.inflight WHERE execution_id = $1`, [r.executionId]);
      if (r.idempotency) {
        await c.query(
          `UPDATE ${this.#s}.idempotency SET status = 'done', response = $1 WHERE scope = $2 AND key = $3`,
          [JSON.stringify(r.response), r.idempotency.scope, r.idempotency.key],
        );
      }
    });
  }

  async upsertPage(p: contract.PageInput): Promise<{ page: contract.Page; created: boolean }> {
    const { rows } = await this.#pool.query<PageRow & { created: boolean }>(
      `INSERT INTO ${this.#s}.pages (dedupe_key, fingerprint, status, alertname, priority, severity,
         layer, labels, annotations, starts_at, ends_at, received_at, deliveries, receiver)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13)
       ON CONFLICT (dedupe_key) DO UPDATE SET deliveries = pages.deliveries + 1,
         status = CASE WHEN pages.status = 'resolved' THEN 'resolved' ELSE EXCLUDED.status END,
         ends_at = CASE WHEN EXCLUDED.status = 'resolved' THEN EXCLUDED.ends_at ELSE pages.ends_at END,
         annotations = EXCLUDED.annotations
       RETURNING *, (xmax = 0) AS created`,
      [
        p.dedupeKey,
        p.fingerprint,
        p.status,
        p.alertname,
        p.priority,
        p.severity,
        p.layer ?? null,
        JSON.stringify(p.labels),
        JSON.stringify(p.annotations),
        p.startsAt,
        p.endsAt ?? null,
        p.receivedAt,
        p.receiver,
      ],
    );
    const row = rows[0] as PageRow & { created: boolean };
    return { page: pageFromRow(row), created: row.created };
  }

  async listPages(query: contract.PageQuery): Promise<contract.Page[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (query.status) {
      args.push(query.status);
      where.push(`status = $${args.length}`);
    }
    if (query.beforeId !== undefined) {
      args.push(query.beforeId);
      where.push(`id < $${args.length}`);
    }
    args.push(query.limit);
    const { rows } = await this.#pool.query<PageRow>(
      `SELECT * FROM ${this.#s}.pages ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY id DESC LIMIT $${args.length}`,
      args,
    );
    return rows.map(pageFromRow);
  }

  async claimAutoRun(instanceKey: string, rule: string, nowMs: number): Promise<boolean> {
    const { rowCount } = await this.#pool.query(
      `INSERT INTO ${this.#s}.auto_runs (instance_key, rule, time_ms) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [instanceKey, rule, nowMs],
    );
    return rowCount === 1;
  }

  async releaseAutoRun(instanceKey: string, rule: string): Promise<void> {
    await this.#pool.query(
      `DELETE FROM ${this.#s}.auto_runs WHERE instance_key = $1 AND rule = $2`,
      [instanceKey, rule],
    );
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  async #transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
