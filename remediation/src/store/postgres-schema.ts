/** The same tables as SQLite's, in their own schema. */
export function postgresSchema(schema: string): string {
  const s = `"${schema}"`;
  return `
CREATE SCHEMA IF NOT EXISTS ${s};
CREATE TABLE IF NOT EXISTS ${s}.audit (
  seq BIGINT PRIMARY KEY, id TEXT NOT NULL UNIQUE, time TEXT NOT NULL, actor TEXT NOT NULL,
  action TEXT, outcome TEXT NOT NULL, mode TEXT NOT NULL,
  body TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
ALTER TABLE ${s}.audit ADD COLUMN IF NOT EXISTS execution_id TEXT;
CREATE INDEX IF NOT EXISTS audit_execution ON ${s}.audit(execution_id);
CREATE INDEX IF NOT EXISTS audit_action ON ${s}.audit(action, seq);
CREATE INDEX IF NOT EXISTS audit_actor ON ${s}.audit(actor, seq);
CREATE INDEX IF NOT EXISTS audit_outcome ON ${s}.audit(outcome, seq);
CREATE TABLE IF NOT EXISTS ${s}.idempotency (
  scope TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL, status TEXT NOT NULL,
  response TEXT, expires_ms BIGINT NOT NULL, PRIMARY KEY (scope, key));
ALTER TABLE ${s}.idempotency ADD COLUMN IF NOT EXISTS execution_id TEXT;
CREATE INDEX IF NOT EXISTS idempotency_execution ON ${s}.idempotency(execution_id);
CREATE TABLE IF NOT EXISTS ${s}.cooldowns (key TEXT PRIMARY KEY, until_ms BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS ${s}.inflight (execution_id TEXT PRIMARY KEY, lease_until_ms BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS ${s}.confirmations_used (nonce TEXT PRIMARY KEY, expires_ms BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS ${s}.pages (
  id BIGSERIAL PRIMARY KEY, dedupe_key TEXT NOT NULL UNIQUE, fingerprint TEXT NOT NULL,
  status TEXT NOT NULL, alertname TEXT NOT NULL, priority TEXT NOT NULL, severity TEXT NOT NULL,
  layer TEXT, labels TEXT NOT NULL, annotations TEXT NOT NULL, starts_at TEXT NOT NULL,
  ends_at TEXT, received_at TEXT NOT NULL, deliveries INTEGER NOT NULL, receiver TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS pages_status ON ${s}.pages(status, id);
CREATE TABLE IF NOT EXISTS ${s}.auto_runs (
  instance_key TEXT NOT NULL, rule TEXT NOT NULL, time_ms BIGINT NOT NULL,
  PRIMARY KEY (instance_key, rule));
CREATE TABLE IF NOT EXISTS ${s}.replicas (id TEXT PRIMARY KEY, lease_until_ms BIGINT NOT NULL);
`;
}
