import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { FREE_SIM_PORTS, type RunningSimulator, startSimulator } from '@layerwatch/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { verifyStore } from '../src/audit/log.js';
import { runRemediationCli } from '../src/cli/cli.js';
import { SqliteStore } from '../src/store/sqlite.js';
import { startChild } from './support/child.js';
import { TOKENS, baseConfig, tempDir } from './support/service.js';

let sim: RunningSimulator;
let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  dir = await tempDir('durability');
  sim = await startSimulator({ ports: FREE_SIM_PORTS });
});
afterAll(async () => {
  await sim?.stop();
  await dir?.remove();
});

async function writeConfig(name: string): Promise<{ file: string; db: string }> {
  const db = join(dir.dir, `${name}.db`);
  const file = join(dir.dir, `${name}.yml`);
  await writeFile(file, stringify(baseConfig({ kind: 'sqlite', path: db }, { sim })));
  return { file, db };
}

describe('audit log durability', () => {
  it('loses no acknowledged record when the server is killed with SIGKILL mid-burst of 1,000 actions', async () => {
    const { file, db } = await writeConfig('kill');
    const { child, url, exited } = startChild(file);
    const base = await url;
    const acknowledged: string[] = [];
    let sent = 0;
    const worker = async () => {
      while (sent < 1000) {
        sent += 1;
        try {
          const res = await fetch(`${base}/api/v1/actions/set-batching/dry-run`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${TOKENS.operator}`,
              'content-type': 'application/json',
            },
            body: JSON.stringify({ params: { batchSize: 1 + (sent % 1000) } }),
          });
          const body = (await res.json()) as { auditId?: string };
          if (res.status === 200 && body.auditId) acknowledged.push(body.auditId);
          if (acknowledged.length === 400) child.kill('SIGKILL');
        } catch {
          return; // the server is gone
        }
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
    expect(await exited).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(400);
    expect(acknowledged.length).toBeLessThan(1000);

    const store = new SqliteStore(db);
    try {
      const report = await verifyStore(store);
      expect(report.ok).toBe(true);
      const stored = new Set<string>();
      for (let after = 0; ;) {
        const rows = await store.scanAudit(after, 1000);
        if (rows.length === 0) break;
        for (const r of rows) stored.add((JSON.parse(r.body) as { id: string }).id);
        after = rows[rows.length - 1]?.seq ?? after;
      }
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('reports the first broken record after a row of the SQLite file is edited', async () => {
    const { file, db } = await writeConfig('tamper');
    const { child, url, exited } = startChild(file);
    const base = await url;
    for (let i = 0; i < 10; i++) {
      await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${TOKENS.viewer}` } });
    }
    child.kill('SIGTERM');
    await exited;
    const out: string[] = [];
    const io = {
      out: (t: string) => void out.push(t),
      err: (t: string) => void out.push(t),
      stdin: async () => '',
    };
    expect(await runRemediationCli(['verify-audit', '--config', file], io)).toBe(0);
    expect(out.join('')).toBe('audit chain OK: 10 records verified\n');

    // An insider rewrites who did it, keeping the columns consistent with the body.
    const sqlite = new Database(db);
    const row = sqlite.prepare('SELECT id, body FROM audit WHERE seq = 6').get() as {
      id: string;
      body: string;
    };
    const edited = {
      ...(JSON.parse(row.body) as Record<string, unknown>),
      actingUser: 'someone-else',
    };
    sqlite.prepare('UPDATE audit SET body = ? WHERE seq = 6').run(JSON.stringify(edited));
    sqlite.close();

    out.length = 0;
    expect(await runRemediationCli(['verify-audit', '--config', file], io)).toBe(1);
    expect(out.join('')).toBe(
      `audit chain BROKEN at seq 6 (id ${row.id}): hash mismatch: the record was changed after it was written; 5 records before it verified\n`,
    );
  });
});
