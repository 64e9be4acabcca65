import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { AuditRecord } from '../src/audit/types.js';
import { runRemediationCli } from '../src/cli/cli.js';
import type { ConfigInput } from '../src/config/schema.js';
import type { RunningRemediation } from '../src/server.js';
import { startChild } from './support/child.js';
import { api, baseConfig, startService } from './support/service.js';
import { storesAndBackend, type StoreInput } from './support/stores.js';

/**
 * Issue 14, item 2: remediation replicas on one real PostgreSQL behind the Alertmanager
 * webhook. The same alert delivered by every peer to every replica runs once; the audit
 * chain both append stays one chain; a starting replica leaves the other's in-flight
 * execution alone; a replica killed mid-action is never re-run and its intent is recorded
 * `unknown` (by itself at restart, or by a live replica once its lease lapses).
 */
const HOLD = 99; // the backend logs a PUT of this batch size and never answers it
const started = storesAndBackend('replicas', HOLD);

const rule = (name: string, alertname: string, batchSize: number) => ({
  name,
  matchLabels: { alertname },
  action: 'set-batching' as const,
  params: { batchSize },
});

function replicaConfig(store: StoreInput, id: string, leaseSeconds: number): ConfigInput {
  return baseConfig(store, started.backends, {
    replica: { id, leaseSeconds },
    // No cooldown: only the store's claim on the alert instance can keep a second run out.
    actions: { 'set-batching': { cooldownSeconds: 0 } },
    limits: { maxConcurrentActions: 64, actionTimeoutSeconds: 6 },
    webhook: {
      autoRemediation: {
        enabled: true,
        rules: [rule('once', 'ReplicaOnce', 7), rule('held', 'ReplicaHeld', HOLD)],
      },
    },
  });
}

function payload(alertname: string, fingerprint: string) {
  return {
    version: '4',
    groupKey: `{}:{alertname="${alertname}"}`,
    status: 'firing',
    receiver: 'remediation',
    alerts: [
      {
        status: 'firing',
        labels: { alertname, layer: '4', priority: 'P1', severity: 'warning' },
        annotations: { summary: alertname },
        startsAt: '2026-12-07T10:00:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        fingerprint,
      },
    ],
  };
}

const deliver = (url: string, body: unknown) =>
  api(url, 'alertmanager', 'POST', '/alertmanager/webhook', body);

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('two remediation replicas on one PostgreSQL', () => {
  let store: StoreInput;
  let a: RunningRemediation;
  let b: RunningRemediation;
  const children: ReturnType<typeof startChild>[] = [];

  /** Every record of the shared chain, in seq order. */
  async function chain(): Promise<AuditRecord[]> {
    const out: AuditRecord[] = [];
    for (let after = 0; ;) {
      const rows = await a.store.scanAudit(after, 2000);
      if (rows.length === 0) return out;
      out.push(...rows.map((r) => JSON.parse(r.body) as AuditRecord));
      after = rows[rows.length - 1]?.seq ?? after;
    }
  }
  /** The records of the executions of set-batching with `batchSize`, as outcome lists. */
  async function executions(batchSize: number): Promise<Map<string, AuditRecord[]>> {
    const byId = new Map<string, AuditRecord[]>();
    for (const r of await chain()) {
      const size = (r.params as { batchSize?: number } | undefined)?.batchSize;
      if (r.action !== 'set-batching' || size !== batchSize || !r.executionId) continue;
      byId.set(r.executionId, [...(byId.get(r.executionId) ?? []), r]);
    }
    return byId;
  }
  const puts = (size: number) => started.backend.puts().filter((s) => s === size).length;
  const childFile = async (id: string, leaseSeconds: number) => {
    const file = join(started.stores.dir, `${id}.yml`);
    await writeFile(file, stringify(replicaConfig(store, id, leaseSeconds)));
    return file;
  };
  const child = async (file: string) => {
    const c = startChild(file);
    children.push(c);
    return { ...c, url: await c.url };
  };

  beforeAll(async () => {
    store = started.stores.fresh.PostgreSQL();
    a = await startService(replicaConfig(store, 'a', 2));
    b = await startService(replicaConfig(store, 'b', 2));
  });
  afterAll(async () => {
    for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    await a?.stop();
    await b?.stop();
  });

  it('runs an alert instance once when 3 peers deliver it 8 times each to both replicas', async () => {
    const body = payload('ReplicaOnce', '0a0a0a0a0a0a0a01');
    const answers = await Promise.all(
      Array.from({ length: 48 }, (_, i) => deliver(i % 2 ? a.url : b.url, body)),
    );
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200));
    const runs = answers.flatMap((r) => r.body['autoRuns'] as { outcome: unknown }[]);
    expect(runs.map((r) => r.outcome)).toEqual(['succeeded']);
    expect(puts(7)).toBe(1);
    const records = [...(await executions(7)).values()];
    expect(records.map((rs) => rs.map((r) => r.outcome))).toEqual([['intent', 'succeeded']]);
    const owner = (records[0]?.[0]?.result as { replica: string }).replica;
    expect(['a', 'b']).toContain(owner);
    const pages = await a.store.listPages({ limit: 10 });
    expect(pages.map((p) => [p.alertname, p.deliveries])).toEqual([['ReplicaOnce', 48]]);
  });

  it('keeps one valid chain when both replicas append 400 records at once', async () => {
    const before = (await chain()).length;
    const entry = (who: string, i: number) => ({
      actor: who,
      role: 'viewer' as const,
      method: 'GET',
      sourceIp: '127.0.0.1',
      path: '/api/v1/audit',
      mode: 'read' as const,
      outcome: 'allowed' as const,
      status: 200,
      durationMs: 0,
      result: { i },
    });
    const written = await Promise.all(
      Array.from({ length: 400 }, (_, i) =>
        i % 2 ? a.audit.append(entry('a', i)) : b.audit.append(entry('b', i)),
      ),
    );
    const seqs = written.map((r) => r.seq).sort((x, y) => x - y);
    expect(new Set(seqs).size).toBe(400);
    const all = await chain();
    expect(all.map((r) => r.seq)).toEqual(all.map((_, i) => i + 1));
    expect(all.length).toBe(before + 400);
    const report = await api(b.url, 'viewer', 'GET', '/api/v1/audit/verify');
    expect(report.body).toMatchObject({ ok: true });
    expect(report.body['checked']).toBeGreaterThanOrEqual(before + 400);
    const out: string[] = [];
    const io = {
      out: (t: string) => void out.push(t),
      err: (t: string) => void out.push(t),
      stdin: async () => '',
    };
    const file = await childFile('verify', 30);
    expect(await runRemediationCli(['verify-audit', '--config', file], io)).toBe(0);
    expect(out.join('')).toMatch(/^audit chain OK: \d+ records verified/);
  });

  it('leaves the in-flight execution of a live replica alone when another starts', async () => {
    const held = puts(HOLD);
    const answer = deliver(a.url, payload('ReplicaHeld', '0a0a0a0a0a0a0a02'));
    await until('the held PUT at the backend', () => puts(HOLD) === held + 1);
    const c = await startService(replicaConfig(store, 'c', 2));
    try {
      // Past several of c's and b's lease sweeps (every 2/3 s) while a's action is held.
      await new Promise((r) => setTimeout(r, 2000));
      const open = await c.store.orphanIntents();
      expect(open.map((i) => (i.result as { replica: string }).replica)).toEqual(['a']);
    } finally {
      await c.stop();
    }
    const done = await answer; // a's action times out at the backend that never answers
    expect((done.body['autoRuns'] as { outcome: unknown }[]).map((r) => r.outcome)).toEqual([
      'failed',
    ]);
    const records = [...(await executions(HOLD)).values()];
    expect(records.map((rs) => rs.map((r) => r.outcome))).toEqual([['intent', 'failed']]);
    expect(puts(HOLD)).toBe(held + 1);
  });

  it('never re-runs the action of a replica SIGKILLed mid-action; its restart records it unknown', async () => {
    // A long lease: only the restarted replica itself may take its own intent.
    const file = await childFile('k', 600);
    const k = await child(file);
    const body = payload('ReplicaHeld', '0a0a0a0a0a0a0a03');
    const held = puts(HOLD);
    void deliver(k.url, body).catch(() => undefined);
    await until('the held PUT at the backend', () => puts(HOLD) === held + 1);
    k.child.kill('SIGKILL');
    expect(await k.exited).toBe('SIGKILL');
    const restarted = await child(file);
    const answers = await Promise.all([restarted.url, a.url, b.url].map((u) => deliver(u, body)));
    for (const r of answers) expect(r.body['autoRuns']).toEqual([]);
    const killed = [...(await executions(HOLD)).values()].filter(
      (rs) => (rs[0]?.result as { replica: string }).replica === 'k',
    );
    expect(killed.map((rs) => rs.map((r) => r.outcome))).toEqual([['intent', 'unknown']]);
    expect(killed[0]?.[1]).toMatchObject({
      reason: 'interrupted',
      result: { replica: 'k', recoveredBy: 'k' },
    });
    expect(puts(HOLD)).toBe(held + 1);
    restarted.child.kill('SIGTERM');
    await restarted.exited;
    expect((await a.audit.verify()).ok).toBe(true);
  });

  it('records the intent of a replica killed and never restarted once its lease lapses', async () => {
    const k2 = await child(await childFile('k2', 2));
    const held = puts(HOLD);
    const body = payload('ReplicaHeld', '0a0a0a0a0a0a0a04');
    void deliver(k2.url, body).catch(() => undefined);
    await until('the held PUT at the backend', () => puts(HOLD) === held + 1);
    k2.child.kill('SIGKILL');
    await k2.exited;
    const ofK2 = async () =>
      [...(await executions(HOLD)).values()].filter(
        (rs) => (rs[0]?.result as { replica: string }).replica === 'k2',
      );
    await until('a live replica to record k2 unknown', async () => (await ofK2())[0]?.length === 2);
    const [records] = await ofK2();
    expect(records?.map((r) => r.outcome)).toEqual(['intent', 'unknown']);
    expect(['a', 'b']).toContain((records?.[1]?.result as { recoveredBy: string }).recoveredBy);
    const again = await Promise.all([a.url, b.url].map((u) => deliver(u, body)));
    for (const r of again) expect(r.body['autoRuns']).toEqual([]);
    expect(puts(HOLD)).toBe(held + 1);
    expect((await b.audit.verify()).ok).toBe(true);
  });
});
