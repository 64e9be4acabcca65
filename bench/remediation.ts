import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgres } from '@layerwatch/local';
import { hashToken } from '@layerwatch/remediation';
import { startSimulator } from '@layerwatch/sim';
import { stringify } from 'yaml';
import { fixed, printTable } from './support/table.js';

/**
 * Audited actions per second and p99 latency of the remediation service (its own process),
 * with the audit log on a SQLite file (fsync'd), on PostgreSQL, and — the peer measured in
 * the same run — on an in-memory SQLite database: the ratio shows what durability costs.
 * Dry-runs of set-batching (each reads the simulator's current batch size) and executed
 * debug-logging actions (each a PUT to both layer 4 services of the simulator).
 * Printed, never asserted.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = 32;
const GOAL = 1000;
const TOKEN = 'lw_bench_operator_token_0123456789';
const SERVE = fileURLToPath(new URL('../remediation/test/support/serve.ts', import.meta.url));

interface Result {
  readonly perSecond: number;
  readonly p99Ms: number;
  readonly errors: number;
}

async function load(url: string, body: (i: number) => unknown): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  let i = 0;
  const end = performance.now() + SECONDS * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const started = performance.now();
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body(i++)),
      });
      await res.arrayBuffer();
      if (res.status === 200) latencies.push(performance.now() - started);
      else errors += 1;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: latencies.length / elapsed,
    p99Ms: latencies[Math.floor(latencies.length * 0.99)] ?? NaN,
    errors,
  };
}

async function serve(config: string): Promise<{ child: ChildProcess; url: string }> {
  // BENCH_CPU_PROF=DIR writes the service's CPU profiles there, to find where it spends.
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const child = spawn(
    process.execPath,
    [...profile, '--import', 'tsx', SERVE, '--config', config],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (t: string) => {
      out += t;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`remediation exited (${code})`)));
  });
  return { child, url };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'lw-bench-remediation-'));
  const pgDir = await mkdtemp(join(tmpdir(), 'lw-bench-remediation-pg-'));
  const sim = await startSimulator({
    ports: { agent: 0, scheduler: 0, refinement: 0, evolution: 0 },
  });
  const pg = await startPostgres({ dataDir: pgDir, database: 'bench' });
  const stores = [
    ['SQLite file (WAL, fsync)', { kind: 'sqlite', path: join(dir, 'audit.db') }],
    [
      'PostgreSQL',
      { kind: 'postgres', url: `postgres://${pg.user}@127.0.0.1:${pg.port}/${pg.database}` },
    ],
    ['in-memory (peer)', { kind: 'sqlite', path: ':memory:' }],
  ] as const;
  const rows: string[][] = [];
  const measured: Record<string, { dry: Result; exec: Result }> = {};
  try {
    for (const [name, store] of stores) {
      const file = join(dir, `${name.split(' ')[0]}.yml`);
      await writeFile(
        file,
        stringify({
          listen: '127.0.0.1:0',
          store,
          auth: { tokens: [{ name: 'bench', sha256: hashToken(TOKEN), role: 'operator' }] },
          http: {
            services: Object.entries(sim.services).map(([n, s]) => ({
              name: n,
              layer: s.layer,
              url: s.url,
            })),
          },
          limits: { maxConcurrentActions: 64 },
        }),
      );
      const { child, url } = await serve(file);
      try {
        await load(`${url}/api/v1/actions/set-batching/dry-run`, () => ({
          params: { batchSize: 8 },
        })); // warm-up
        const dry = await load(`${url}/api/v1/actions/set-batching/dry-run`, (i) => ({
          params: { batchSize: 1 + (i % 1024) },
        }));
        const exec = await load(`${url}/api/v1/actions/debug-logging/execute`, () => ({
          params: { layer: '4', minutes: 1 },
        }));
        measured[name] = { dry, exec };
        rows.push([
          name,
          fixed(dry.perSecond, 0),
          fixed(dry.p99Ms),
          fixed(exec.perSecond, 0),
          fixed(exec.p99Ms),
          String(dry.errors + exec.errors),
        ]);
      } finally {
        child.kill('SIGTERM');
      }
    }
  } finally {
    await sim.stop();
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(pgDir, { recursive: true, force: true });
  }
  console.log(`\nremediation: ${CONCURRENCY} concurrent clients, ${SECONDS} s per measurement\n`);
  printTable(['audit store', 'dry-runs/s', 'p99 ms', 'executed/s', 'p99 ms', 'errors'], rows);
  const sqlite = measured[stores[0][0]]?.dry.perSecond ?? NaN;
  const postgres = measured[stores[1][0]]?.dry.perSecond ?? NaN;
  const memory = measured[stores[2][0]]?.dry.perSecond ?? NaN;
  console.log(
    `\nRESULT remediation: ${fixed(sqlite, 0)} audited dry-runs/s on SQLite = ${fixed(sqlite / GOAL)}x the goal of ${GOAL}/s ` +
      `(PostgreSQL ${fixed(postgres / GOAL)}x); durability costs: SQLite file ${fixed(sqlite / memory)}x, ` +
      `PostgreSQL ${fixed(postgres / memory)}x the in-memory peer's ${fixed(memory, 0)}/s`,
  );
}

await main();
