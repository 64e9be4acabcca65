import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseConfig } from '../src/config/load.js';
import { openStore } from '../src/store/open.js';
import type { AuditRecord } from '../src/audit/types.js';
import { startChild } from './support/child.js';
import { TOKENS, baseConfig } from './support/service.js';
import { STORE_NAMES, storesAndBackend } from './support/stores.js';

/**
 * Issue 18, item 2: 1,000 executions against a stand-in backend that logs every call, the
 * service killed with SIGKILL again and again mid-burst. Every call the backend saw must
 * have its intent record; after the last restart, no intent is left without an outcome.
 */
const started = storesAndBackend('kill');

const ACTIONS = 1000;

describe.each(STORE_NAMES)('on %s', (name) => {
  it(
    'finds 0 executions without an intent record over 1,000 actions and repeated SIGKILLs',
    { timeout: 120_000 },
    async () => {
      const store = started.stores.fresh[name]();
      const file = join(started.stores.dir, `${name}-kill.yml`);
      const input = baseConfig(store, started.backends, {
        actions: { 'set-batching': { cooldownSeconds: 0 } },
        limits: { maxConcurrentActions: 64 },
      });
      await writeFile(file, stringify(input));
      const before = started.backend.puts().length;
      let sent = 0;
      let kills = 0;
      while (sent < ACTIONS) {
        const { child, url, exited } = startChild(file);
        const base = await url;
        // Killed after a random number of answers, so the kill lands at any point of a request.
        const killAfter = sent + 50 + Math.floor(Math.random() * 150);
        let answered = sent;
        const worker = async () => {
          while (sent < ACTIONS) {
            const batchSize = (sent++ % 1000) + 1;
            try {
              await fetch(`${base}/api/v1/actions/set-batching/execute`, {
                method: 'POST',
                headers: {
                  authorization: `Bearer ${TOKENS.operator}`,
                  'content-type': 'application/json',
                },
                body: JSON.stringify({ params: { batchSize } }),
              });
            } catch {
              return; // the server is gone
            }
            if (++answered >= killAfter && child.exitCode === null) child.kill('SIGKILL');
          }
        };
        await Promise.all(Array.from({ length: 16 }, worker));
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        if ((await exited) === 'SIGKILL') kills += 1;
      }
      expect(kills).toBeGreaterThanOrEqual(3);

      // One more start runs recovery; then read the log.
      const last = startChild(file);
      await last.url;
      last.child.kill('SIGTERM');
      await last.exited;
      const opened = await openStore(parseConfig(input).store);
      try {
        const intents: AuditRecord[] = [];
        const outcomes = new Map<string, string>();
        for (let after = 0; ;) {
          const rows = await opened.scanAudit(after, 2000);
          if (rows.length === 0) break;
          for (const row of rows) {
            const r = JSON.parse(row.body) as AuditRecord;
            if (r.outcome === 'intent') intents.push(r);
            else if (r.executionId) outcomes.set(r.executionId, r.outcome);
          }
          after = rows[rows.length - 1]?.seq ?? after;
        }
        const calls = started.backend.puts().slice(before);
        // Each batch size was sent once per round of 1,000: count calls per size against intents.
        const intentCount = new Map<number, number>();
        for (const i of intents) {
          const size = (i.params as { batchSize: number }).batchSize;
          intentCount.set(size, (intentCount.get(size) ?? 0) + 1);
        }
        const callCount = new Map<number, number>();
        for (const size of calls) callCount.set(size, (callCount.get(size) ?? 0) + 1);
        const withoutIntent = [...callCount].filter(
          ([size, n]) => n > (intentCount.get(size) ?? 0),
        );
        expect(calls.length).toBeGreaterThan(ACTIONS / 2);
        expect(withoutIntent).toEqual([]);
        expect(intents.filter((i) => !outcomes.has(i.executionId ?? ''))).toEqual([]);
        expect((await opened.orphanIntents()).length).toBe(0);
      } finally {
        await opened.close();
      }
    },
  );
});
