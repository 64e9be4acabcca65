import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startPostgres } from '@layerwatch/local';
import { hashToken } from '@layerwatch/remediation';
import { stringify } from 'yaml';
import {
  CAN_PIN,
  cpuMs,
  startChild,
  startScript,
  waitUntilUp,
  type Child,
} from './support/processes.js';
import { fixed, printTable } from './support/table.js';
import { wrkScript, type WrkScriptResult } from './support/wrk-script.js';

/**
 * Audited actions per second, p99 latency and the service's own CPU time per request, with
 * the audit log on a SQLite file (fsync'd), on PostgreSQL, and — the peer measured in the
 * same run — on an in-memory SQLite database: the ratio shows what durability costs.
 * Dry-runs of set-batching (each reads the simulator's current batch size; the batch size
 * changes every request) and executed debug-logging actions (each a PUT to both layer 4
 * services of the simulator).
 *
 * So that the load generator does not compete with the service: wrk -t1 -c32 drives the
 * load (bench/support/post.lua), the simulator runs in its own process, and where `taskset`
 * works the service is pinned to CPU 1 while wrk, the simulator and PostgreSQL share CPU 0.
 * CPU µs per request is the service process's user + system time (/proc) over the
 * measurement divided by the requests wrk completed. Printed, never asserted.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const LOAD = { threads: 1, connections: 32 } as const;
const GOAL = 1000;
const TOKEN = 'lw_bench_operator_token_0123456789';
const SERVE = fileURLToPath(new URL('../remediation/test/support/serve.ts', import.meta.url));
const SERVICE_CPU = 1;
const LOAD_CPU = 0;

interface Measured extends WrkScriptResult {
  readonly cpuUsPerRequest: number;
}

type Services = Record<string, { url: string; layer: string }>;

async function measure(
  service: Child,
  url: string,
  body: string,
  seconds = SECONDS,
): Promise<Measured> {
  const before = cpuMs(service.pid);
  const result = await wrkScript(url, {
    ...LOAD,
    seconds,
    script: 'post.lua',
    args: [TOKEN, body],
    cpu: CAN_PIN ? LOAD_CPU : undefined,
  });
  const used = cpuMs(service.pid) - before;
  return { ...result, cpuUsPerRequest: (used * 1000) / Math.max(1, result.requests) };
}

/** The service in its own process (tsx, from source), pinned to SERVICE_CPU where possible. */
async function serve(config: string): Promise<{ child: Child; url: string }> {
  // BENCH_CPU_PROF=DIR writes the service's CPU profiles there, to find where it spends.
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const port = await freePort();
  const node = [...profile, '--import', 'tsx', SERVE, '--config', config];
  const args = [...node, '--listen', `127.0.0.1:${port}`];
  const child = CAN_PIN
    ? startChild('taskset', ['-c', String(SERVICE_CPU), process.execPath, ...args], 'remediation')
    : startChild(process.execPath, args, 'remediation');
  const url = `http://127.0.0.1:${port}`;
  await waitUntilUp(`${url}/-/healthy`, 30_000);
  return { child, url };
}

/** Pins the postmaster (and so every backend it forks later) to the load generator's CPU. */
async function pinPostgres(dataDir: string): Promise<void> {
  if (!CAN_PIN) return;
  const pid = (await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]?.trim();
  if (pid) execFileSync('taskset', ['-a', '-p', '-c', String(LOAD_CPU), pid], { stdio: 'ignore' });
}

function configFor(store: unknown, services: Services): string {
  return stringify({
    listen: '127.0.0.1:0',
    store,
    auth: { tokens: [{ name: 'bench', sha256: hashToken(TOKEN), role: 'operator' }] },
    http: {
      services: Object.entries(services).map(([name, s]) => ({ name, layer: s.layer, url: s.url })),
    },
    limits: { maxConcurrentActions: 64 },
  });
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'lw-bench-remediation-'));
  const pgDir = await mkdtemp(join(tmpdir(), 'lw-bench-remediation-pg-'));
  const sim = startScript('sim-server.ts', [], CAN_PIN ? LOAD_CPU : undefined);
  const { services } = await sim.nextMessage<{ services: Services }>();
  const pg = await startPostgres({ dataDir: pgDir, database: 'bench' });
  await pinPostgres(pgDir);
  const stores = [
    ['SQLite file (WAL, fsync)', { kind: 'sqlite', path: join(dir, 'audit.db') }],
    [
      'PostgreSQL',
      { kind: 'postgres', url: `postgres://${pg.user}@127.0.0.1:${pg.port}/${pg.database}` },
    ],
    ['in-memory (peer)', { kind: 'sqlite', path: ':memory:' }],
  ] as const;
  const dryBody = '{"params":{"batchSize":%d}}';
  const execBody = '{"params":{"layer":"4","minutes":1}}';
  const rows: string[][] = [];
  const measured: Record<string, { dry: Measured; exec: Measured }> = {};
  try {
    for (const [name, store] of stores) {
      const file = join(dir, `${name.split(' ')[0]}.yml`);
      await writeFile(file, configFor(store, services));
      const { child, url } = await serve(file);
      try {
        await measure(child, `${url}/api/v1/actions/set-batching/dry-run`, dryBody, 2); // warm-up
        const dry = await measure(child, `${url}/api/v1/actions/set-batching/dry-run`, dryBody);
        const exec = await measure(child, `${url}/api/v1/actions/debug-logging/execute`, execBody);
        measured[name] = { dry, exec };
        rows.push([
          name,
          fixed(dry.requestsPerSecond, 0),
          fixed(dry.p99Ms),
          fixed(dry.cpuUsPerRequest, 0),
          fixed(exec.requestsPerSecond, 0),
          fixed(exec.p99Ms),
          fixed(exec.cpuUsPerRequest, 0),
          String(dry.non2xx + dry.socketErrors + exec.non2xx + exec.socketErrors),
        ]);
      } finally {
        await child.stop();
      }
    }
  } finally {
    await sim.stop();
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(pgDir, { recursive: true, force: true });
  }
  const pinned = CAN_PIN
    ? `service pinned to CPU ${SERVICE_CPU}; wrk, simulator and PostgreSQL on CPU ${LOAD_CPU}`
    : 'not pinned (no taskset or one CPU)';
  console.log(
    `\nremediation: wrk -t${LOAD.threads} -c${LOAD.connections}, ${SECONDS} s per measurement; ${pinned}\n`,
  );
  printTable(
    [
      'audit store',
      'dry-runs/s',
      'p99 ms',
      'CPU µs/dry-run',
      'executed/s',
      'p99 ms',
      'CPU µs/exec',
      'errors',
    ],
    rows,
  );
  const sqlite = measured[stores[0][0]]?.dry;
  const postgres = measured[stores[1][0]]?.dry.requestsPerSecond ?? NaN;
  const memory = measured[stores[2][0]]?.dry.requestsPerSecond ?? NaN;
  const rate = sqlite?.requestsPerSecond ?? NaN;
  console.log(
    `\nRESULT remediation: ${fixed(rate, 0)} audited dry-runs/s on SQLite = ${fixed(rate / GOAL)}x the goal of ${GOAL}/s ` +
      `(${fixed(sqlite?.cpuUsPerRequest ?? NaN, 0)} µs service CPU each; PostgreSQL ${fixed(postgres / GOAL)}x); ` +
      `durability costs: SQLite file ${fixed(rate / memory)}x, PostgreSQL ${fixed(postgres / memory)}x ` +
      `the in-memory peer's ${fixed(memory, 0)}/s`,
  );
}

await main();
