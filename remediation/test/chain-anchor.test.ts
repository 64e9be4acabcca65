import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { recordHash, withoutHash } from '../src/audit/chain.js';
import type { AuditRecord } from '../src/audit/types.js';
import { runRemediationCli } from '../src/cli/cli.js';
import { api, baseConfig, startService } from './support/service.js';
import { STORE_NAMES, startStores, type StoreInput } from './support/stores.js';

/** Issue 18, item 8: a keyed chain and an anchor outside the database. */
let stores: Awaited<ReturnType<typeof startStores>>;
beforeAll(async () => {
  stores = await startStores('anchor');
});
afterAll(() => stores?.stop());

/** Runs SQL on the store behind the service's back, as an insider with database access. */
async function tamper(store: StoreInput, sql: string, args: unknown[] = []): Promise<unknown[]> {
  if (store.kind === 'sqlite') {
    const db = new Database(store.path);
    try {
      const statement = db.prepare(sql);
      return statement.reader ? statement.all(...args) : (statement.run(...args), []);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: store.url });
  await client.connect();
  try {
    await client.query(`SET search_path TO "${store.schema}"`);
    let n = 0;
    return (
      await client.query(
        sql.replace(/\?/g, () => `$${++n}`),
        args,
      )
    ).rows;
  } finally {
    await client.end();
  }
}

async function verify(config: string, anchor?: string): Promise<[number, string]> {
  const out: string[] = [];
  const io = {
    out: (t: string) => void out.push(t),
    err: (t: string) => void out.push(t),
    stdin: async () => '',
  };
  const args = ['verify-audit', '--config', config, ...(anchor ? ['--anchor', anchor] : [])];
  return [await runRemediationCli(args, io), out.join('')];
}

describe.each(STORE_NAMES)('on %s', (name) => {
  it('detects a cut tail and a suffix re-chained without the key; exports the head as series', async () => {
    const store = stores.fresh[name]();
    const keyFile = join(stores.dir, `${name}.key`);
    const anchorFile = join(stores.dir, `${name}.anchor`);
    const config = join(stores.dir, `${name}-anchor.yml`);
    await writeFile(keyFile, randomBytes(32));
    const input = baseConfig(store, {}, { audit: { keyFile, anchorFile } });
    await writeFile(config, stringify(input));
    const service = await startService(input);
    for (let i = 0; i < 10; i++) await api(service.url, 'viewer', 'GET', '/api/v1/me');
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    await service.stop();
    const anchor = JSON.parse(await readFile(anchorFile, 'utf8')) as { seq: number; hash: string };
    expect(anchor.seq).toBe(10);
    expect(metrics).toContain('layerwatch_remediation_audit_head_seq 10\n');
    expect(metrics).toContain(`layerwatch_remediation_audit_head_info{hash="${anchor.hash}"} 1\n`);
    expect(await verify(config, anchorFile)).toEqual([
      0,
      'audit chain OK: 10 records verified; the anchor (seq 10) matches\n',
    ]);

    // Rewritten suffix: records 6..10 changed and re-chained, by someone without the key.
    const rows = (await tamper(
      store,
      'SELECT seq, body FROM audit WHERE seq >= 6 ORDER BY seq',
    )) as {
      seq: number;
      body: string;
    }[];
    const [fifth] = (await tamper(store, 'SELECT hash FROM audit WHERE seq = 5')) as {
      hash: string;
    }[];
    let prevHash = fifth?.hash ?? '';
    for (const row of rows) {
      const record = { ...(JSON.parse(row.body) as AuditRecord), actor: 'someone-else', prevHash };
      delete (record as { mac?: string }).mac;
      const hash = recordHash(withoutHash(record as AuditRecord));
      await tamper(
        store,
        'UPDATE audit SET body = ?, actor = ?, prev_hash = ?, hash = ? WHERE seq = ?',
        [JSON.stringify({ ...record, hash }), 'someone-else', prevHash, hash, row.seq],
      );
      prevHash = hash;
    }
    const [code, text] = await verify(config);
    expect(code).toBe(1);
    expect(text).toMatch(
      /^audit chain BROKEN at seq 6 .*: an unkeyed record after keyed ones: the chain was rewritten;/,
    );

    // Cut tail: the last five records deleted. The chain alone still verifies; the anchor does not.
    await tamper(store, 'DELETE FROM audit WHERE seq >= 6');
    expect((await verify(config))[0]).toBe(0);
    expect(await verify(config, anchorFile)).toEqual([
      1,
      'audit chain BROKEN at seq 6 (id ?): the chain ends at seq 5 but the anchor records 10: records were cut from the tail; 5 records before it verified\n',
    ]);
  });
});
