/** One schema for the file database; `CREATE … IF NOT EXISTS` so opening is idempotent. */
export const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, time TEXT NOT NULL, actor TEXT NOT NULL,
  action TEXT, outcome TEXT NOT NULL, mode TEXT NOT NULL,
  body TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, execution_id TEXT);
CREATE INDEX IF NOT EXISTS audit_action ON audit(action, seq);
CREATE INDEX IF NOT EXISTS audit_actor ON audit(actor, seq);
CREATE INDEX IF NOT EXISTS audit_outcome ON audit(outcome, seq);
CREATE TABLE IF NOT EXISTS idempotency (
  scope TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL, status TEXT NOT NULL,
  response TEXT, expires_ms INTEGER NOT NULL, execution_id TEXT, PRIMARY KEY (scope, key));
CREATE TABLE IF NOT EXISTS cooldowns (key TEXT PRIMARY KEY, until_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS inflight (execution_id TEXT PRIMARY KEY, lease_until_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS confirmations_used (nonce TEXT PRIMARY KEY, expires_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
  id INTEGER PRIMARY KEY AUTOINCREMENT, dedupe_key TEXT NOT NULL UNIQUE, fingerprint TEXT NOT NULL,
  status TEXT NOT NULL, alertname TEXT NOT NULL, priority TEXT NOT NULL, severity TEXT NOT NULL,
  layer TEXT, labels TEXT NOT NULL, annotations TEXT NOT NULL, starts_at TEXT NOT NULL,
  ends_at TEXT, received_at TEXT NOT NULL, deliveries INTEGER NOT NULL, receiver TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS pages_status ON pages(status, id);
CREATE TABLE IF NOT EXISTS auto_runs (
  instance_key TEXT NOT NULL, rule TEXT NOT NULL, time_ms INTEGER NOT NULL,
  PRIMARY KEY (instance_key, rule));
CREATE TABLE IF NOT EXISTS replicas (id TEXT PRIMARY KEY, lease_until_ms INTEGER NOT NULL);
`;

/** Columns added after the first release: files made before them gain them at open. */
export const SQLITE_ADDED_COLUMNS = [
  ['audit', 'execution_id', 'TEXT'],
  ['idempotency', 'execution_id', 'TEXT'],
] as const;

/** After the added columns exist (an index on one of them would fail before). */
export const SQLITE_INDEXES = `
CREATE INDEX IF NOT EXISTS audit_execution ON audit(execution_id);
CREATE INDEX IF NOT EXISTS idempotency_execution ON idempotency(execution_id);
`;

export interface PageRow {
  id: number;
  fingerprint: string;
  status: 'firing' | 'resolved';
  alertname: string;
  priority: string;
  severity: string;
  layer: string | null;
  labels: string;
  annotations: string;
  starts_at: string;
  ends_at: string | null;
  received_at: string;
  deliveries: number;
  receiver: string;
}

export function pageFromRow(row: PageRow) {
  return {
    id: String(row.id),
    fingerprint: row.fingerprint,
    status: row.status,
    alertname: row.alertname,
    priority: row.priority,
    severity: row.severity,
    ...(row.layer === null ? {} : { layer: row.layer }),
    labels: JSON.parse(row.labels) as Record<string, string>,
    annotations: JSON.parse(row.annotations) as Record<string, string>,
    startsAt: row.starts_at,
    ...(row.ends_at === null ? {} : { endsAt: row.ends_at }),
    receivedAt: row.received_at,
    deliveries: Number(row.deliveries),
    receiver: row.receiver,
  };
}
