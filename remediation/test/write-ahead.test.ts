import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { AuditRecord } from '../src/audit/types.js';
import type { RunningRemediation } from '../src/server.js';
import { startChild } from './support/child.js';
import { actionsAs, api, baseConfig, startService } from './support/service.js';
import { STORE_NAMES, storesAndBackend, type StoreInput } from './support/stores.js';

/**
 * Issue 18, items 1 and 2: no action without its audit record, whatever others send. The
 * stand-in backend logs every call it receives, so "executed" is counted outside the service.
 */
const started = storesAndBackend('write-ahead', 999);

const config = (store: StoreInput, maxConcurrentActions = 64) =>
  baseConfig(store, started.backends, {
    actions: { 'set-batching': { cooldownSeconds: 0 } },
    limits: { maxConcurrentActions, actionTimeoutSeconds: 30 },
  });

async function records(url: string, query: string): Promise<AuditRecord[]> {
  const res = await api(url, 'viewer', 'GET', `/api/v1/audit?limit=500&${query}`);
  expect(res.status).toBe(200);
  return res.body['records'] as AuditRecord[];
}

const deep = (levels: number) =>
  `{"params":{"batchSize":2,"x":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}}`;

describe.each(STORE_NAMES)('on %s', (name) => {
  it('one client sending poison while eight execute: backend calls equal audit records, every poison a 400', async () => {
    const store = started.stores.fresh[name]();
    const service: RunningRemediation = await startService(config(store));
    const operator = actionsAs('operator', () => service.url);
    const callsBefore = started.backend.puts().length;
    try {
      let running = true;
      const executes = Array.from({ length: 8 }, async (_, w) => {
        const statuses: string[] = [];
        for (let i = 0; i < 25; i++) {
          const batchSize = 1 + w * 25 + i + 100;
          const res = await operator.execute(
            'set-batching',
            { params: { batchSize } },
            { 'idempotency-key': `${name}-${batchSize}` },
          );
          statuses.push(`${res.status}/${String(res.body['status'])}`);
        }
        return statuses;
      });
      const poisons = [
        () => operator.execute('set-batching', deep(10_000)),
        () => api(service.url, 'viewer', 'POST', '/api/v1/actions/x%00/dry-run', {}),
        () => api(service.url, 'alertmanager', 'POST', '/api/v1/actions/x%00/dry-run', {}),
        () =>
          operator.execute(
            'set-batching',
            '{"params":{"__proto__":{"batchSize":5},"batchSize":3}}',
          ),
        () => operator.execute('set-batching', '{"params":{"batchSize":7,"note":"a\\u0000b"}}'),
        () => api(service.url, 'viewer', 'GET', '/api/v1/audit?action=%00'),
      ];
      const poisoned = (async () => {
        const answers: number[] = [];
        while (running) for (const p of poisons) answers.push((await p()).status);
        return answers;
      })();
      const done = await Promise.all(executes);
      running = false;
      const answers = await poisoned;

      expect(done.flat()).toEqual(Array.from({ length: 200 }, () => '200/succeeded'));
      expect(answers.length).toBeGreaterThanOrEqual(poisons.length);
      expect(new Set(answers)).toEqual(new Set([400]));

      const puts = started.backend.puts().slice(callsBefore);
      const intents = await records(service.url, 'action=set-batching&outcome=intent');
      const succeeded = await records(service.url, 'action=set-batching&outcome=succeeded');
      expect(puts.length).toBe(200);
      expect(intents.length).toBe(200);
      expect(succeeded.length).toBe(200);
      const sizes = (rs: AuditRecord[]) =>
        rs.map((r) => (r.params as { batchSize: number }).batchSize).sort((a, b) => a - b);
      expect(sizes(intents)).toEqual([...puts].sort((a, b) => a - b));
      expect(sizes(succeeded)).toEqual(sizes(intents));
      expect(await service.store.orphanIntents()).toEqual([]);
      // The poison was recorded too, as 400s with the field named and without the bad value.
      const denied = await records(service.url, 'outcome=denied');
      const fields = new Set(denied.map((r) => r.error?.split(':')[0]));
      expect(fields).toEqual(
        new Set([
          `body.params.x${'.a'.repeat(30)}`, // the depth bound: 32 levels
          'action',
          'body.params.__proto__',
          'body.params.note',
          'query.action',
        ]),
      );
      expect((await api(service.url, 'viewer', 'GET', '/api/v1/audit/verify')).body['ok']).toBe(
        true,
      );
    } finally {
      await service.stop();
    }
  });

  it('after a SIGKILL mid-execution, the intent is marked unknown at start, never re-run, and its slot and key are freed', async () => {
    const store = started.stores.fresh[name]();
    const file = join(started.stores.dir, `${name}-recovery.yml`);
    await writeFile(file, stringify(config(store, 1)));
    const { child, url, exited } = startChild(file);
    const base = await url;
    const before = started.backend.puts().length;
    const held = actionsAs('operator', () => base)
      .execute('set-batching', { params: { batchSize: 999 } }, { 'idempotency-key': 'held' })
      .catch(() => undefined);
    while (started.backend.puts().length === before) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    await exited;
    await held;

    const service = await startService(config(store, 1));
    const operator = actionsAs('operator', () => service.url);
    try {
      const unknown = await records(service.url, 'outcome=unknown');
      const [intent] = await records(service.url, 'outcome=intent');
      expect(unknown).toHaveLength(1);
      expect(unknown[0]).toMatchObject({
        action: 'set-batching',
        params: { batchSize: 999 },
        reason: 'interrupted',
        executionId: intent?.executionId,
      });
      expect(started.backend.puts().slice(before)).toEqual([999]); // never re-run
      // The one slot (maxConcurrentActions 1) and the key are free: the retry runs.
      const retry = await operator.execute(
        'set-batching',
        { params: { batchSize: 998 } },
        { 'idempotency-key': 'other' },
      );
      expect(retry.body['status']).toBe('succeeded');
      expect(await service.store.orphanIntents()).toEqual([]);
    } finally {
      await service.stop();
    }
  });
});
