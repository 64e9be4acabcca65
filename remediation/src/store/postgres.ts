import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { StoredAuditRow } from '../audit/chain.js';
import { GENESIS_HASH, type AuditQuery, type AuditRecord } from '../audit/types.js';
import type { StoreConfig } from '../config/schema.js';
import { decideAdmit } from './admit.js';
import { postgresSchema } from './postgres-schema.js';
import { pageFromRow, type PageRow } from './sqlite-schema.js';
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

/** Chains every builder from `start`, in order. */
function chain(builders: readonly AuditBuilder[], start: { seq: number; hash: string }) {
  let head = start;
  return builders.map((build) => {
    const record = build(head);
    head = { seq: record.seq, hash: record.hash };
    return record;
  });
}

type PostgresConfig = Extract<StoreConfig, { kind: 'postgres' }>;

// BIGINT comes back as a string by default; our values (seq, ms) fit a double.
const INT8 = 20;

/** The same store on PostgreSQL: a commit returns once the server has made it durable. */
export class PostgresStore implements Store {
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
    const { rows } = await this.#pool.query<{ seq: number; hash: string }>(
      `SELECT seq, hash FROM ${this.#s}.audit ORDER BY seq DESC LIMIT 1`,
    );
    return rows[0];
  }

  async appendAudit(builders: readonly AuditBuilder[]): Promise<readonly (AuditRecord | Error)[]> {
    return this.#transaction(async (c) => {
      await c.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${this.#s}.audit`]);
      const { rows } = await c.query<{ seq: number; hash: string }>(
        `SELECT seq, hash FROM ${this.#s}.audit ORDER BY seq DESC LIMIT 1`,
      );
      const start = rows[0] ?? { seq: 0, hash: GENESIS_HASH };
      // Fast path: the whole batch in one INSERT. If any row fails, redo it one savepoint
      // per record, so the bad one fails alone and the rest chain past it.
      await c.query('SAVEPOINT batch');
      try {
        const records = chain(builders, start);
        await this.#insertAudit(c, records);
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
          await this.#insertAudit(c, [record]);
          await c.query('RELEASE SAVEPOINT one');
          head = { seq: record.seq, hash: record.hash };
          results.push(record);
        } catch (error) {
          await c.query('ROLLBACK TO SAVEPOINT one');
          results.push(error instanceof Error ? error : new Error(String(error)));
        }
      }
      return results;
    });
  }

  async #insertAudit(c: pg.PoolClient, records: readonly AuditRecord[]): Promise<void> {
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
      `INSERT INTO ${this.#s}.audit (seq, id, time, actor, action, outcome, mode, body, prev_hash, hash, execution_id)
       VALUES ${tuples.join(',')}`,
      values,
    );
  }

  async orphanIntents(): Promise<AuditRecord[]> {
    const { rows } = await this.#pool.query<{ body: string }>(
      `SELECT body FROM ${this.#s}.audit a WHERE a.outcome = 'intent' AND NOT EXISTS (
         SELECT 1 FROM ${this.#s}.audit b WHERE b.execution_id = a.execution_id AND b.outcome <> 'intent')
       ORDER BY a.seq`,
    );
    return rows.map((r) => JSON.parse(r.body) as AuditRecord);
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
    const { rows } = await this.#pool.query<{ body: string }>(
      `SELECT body FROM ${this.#s}.audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY seq DESC LIMIT $${args.length}`,
      args,
    );
    return rows.map((r) => JSON.parse(r.body) as AuditRecord);
  }

  async scanAudit(afterSeq: number, limit: number): Promise<StoredAuditRow[]> {
    const { rows } = await this.#pool.query<Record<string, string | number | null>>(
      `SELECT * FROM ${this.#s}.audit WHERE seq > $1 ORDER BY seq LIMIT $2`,
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

  async admit(r: AdmitRequest): Promise<AdmitResult> {
    return this.#transaction(async (c) => {
      // One admit at a time across every process sharing this database.
      await c.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${this.#s}.admit`]);
      const idem = r.idempotency
        ? (
            await c.query<{
              request_hash: string;
              status: string;
              response: string | null;
              expires_ms: number;
            }>(
              `SELECT request_hash, status, response, expires_ms FROM ${this.#s}.idempotency WHERE scope = $1 AND key = $2`,
              [r.idempotency.scope, r.idempotency.key],
            )
          ).rows[0]
        : undefined;
      const nonceUsed = r.confirmation
        ? (
            await c.query(`SELECT 1 FROM ${this.#s}.confirmations_used WHERE nonce = $1`, [
              r.confirmation.nonce,
            ])
          ).rowCount !== 0
        : false;
      const cooldown = r.cooldown
        ? (
            await c.query<{ until_ms: number }>(
              `SELECT until_ms FROM ${this.#s}.cooldowns WHERE key = $1`,
              [r.cooldown.key],
            )
          ).rows[0]
        : undefined;
      const inflight = (
        await c.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM ${this.#s}.inflight WHERE lease_until_ms > $1`,
          [r.nowMs],
        )
      ).rows[0];
      const result = decideAdmit(
        {
          idempotency: idem && {
            requestHash: idem.request_hash,
            status: idem.status,
            response: idem.response,
            expiresMs: idem.expires_ms,
          },
          nonceUsed,
          cooldownUntilMs: cooldown?.until_ms,
          inflight: inflight?.n ?? 0,
        },
        r,
      );
      if (result.ok) await this.#claim(c, r);
      return result;
    });
  }

  async #claim(c: pg.PoolClient, r: AdmitRequest): Promise<void> {
    const s = this.#s;
    await c.query(`DELETE FROM ${s}.inflight WHERE lease_until_ms <= $1`, [r.nowMs]);
    await c.query(`INSERT INTO ${s}.inflight (execution_id, lease_until_ms) VALUES ($1, $2)`, [
      r.executionId,
      r.nowMs + r.leaseMs,
    ]);
    if (r.idempotency) {
      await c.query(
        `INSERT INTO ${s}.idempotency (scope, key, request_hash, status, response, expires_ms, execution_id)
         VALUES ($1, $2, $3, 'running', NULL, $4, $5)
         ON CONFLICT (scope, key) DO UPDATE SET request_hash = $3, status = 'running', response = NULL, expires_ms = $4, execution_id = $5`,
        [
          r.idempotency.scope,
          r.idempotency.key,
          r.idempotency.requestHash,
          r.nowMs + r.idempotency.ttlMs,
          r.executionId,
        ],
      );
    }
    if (r.confirmation) {
      await c.query(`DELETE FROM ${s}.confirmations_used WHERE expires_ms < $1`, [r.nowMs]);
      await c.query(`INSERT INTO ${s}.confirmations_used (nonce, expires_ms) VALUES ($1, $2)`, [
        r.confirmation.nonce,
        r.confirmation.expiresMs,
      ]);
    }
    if (r.cooldown && r.cooldown.seconds > 0) {
      await c.query(
        `INSERT INTO ${s}.cooldowns (key, until_ms) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET until_ms = $2`,
        [r.cooldown.key, r.nowMs + r.cooldown.seconds * 1000],
      );
    }
  }

  async finish(r: FinishRequest): Promise<void> {
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

  async upsertPage(p: PageInput): Promise<{ page: Page; created: boolean }> {
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

  async listPages(query: PageQuery): Promise<Page[]> {
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
