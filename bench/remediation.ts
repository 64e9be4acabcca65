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
 *
 * Write-ahead audit (issue 18) made every execution two records (the intent before the
 * backend call, the outcome after). The old one-record path no longer exists as an
 * option, so "before" is the old code itself: the revision BENCH_BEFORE_REV (default: the
 * commit before write-ahead) checked out in a temporary git worktree under .bench-out/ and
 * served the same way, in the same run, against the same stores and simulator.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const LOAD = { threads: 1, connections: 32 } as const;
const GOAL = 1000;
const TOKEN = 'lw_bench_operator_token_0123456789';
const SERVE = fileURLToPath(new URL('../remediation/test/support/serve.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../', import.meta.url));
const BEFORE_REV = process.env.BENCH_BEFORE_REV ?? 'b7b38d3~1';
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
async function serve(config: string, serveScript = SERVE): Promise<{ child: Child; url: string }> {
  // BENCH_CPU_PROF=DIR writes the service's CPU profiles there, to find where it spends.
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const port = await freePort();
  const node = [...profile, '--import', 'tsx', serveScript, '--config', config];
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

/** The old revision's serve.ts, from a worktree inside the repo (so node_modules resolve). */
function checkoutBefore(): { serve: string; remove(): void } {
  const dir = join(REPO, '.bench-out', 'remediation-before');
  execFileSync('git', ['worktree', 'add', '--force', '--detach', dir, BEFORE_REV], {
    cwd: REPO,
    stdio: 'ignore',
  });
  return {
    serve: join(dir, 'remediation/test/support/serve.ts'),
    remove: () =>
      execFileSync('git', ['worktree', 'remove', '--force', dir], { cwd: REPO, stdio: 'ignore' }),
  };
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
  const before = checkoutBefore();
  const writeAhead: string[][] = [];
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
      if (store.kind === 'sqlite' && store.path === ':memory:') continue;
      // The same store, emptied, served by the old revision: executions with one record.
      const oldFile = join(dir, `${name.split(' ')[0]}-before.yml`);
      const oldStore =
        store.kind === 'sqlite'
          ? { ...store, path: join(dir, 'audit-before.db') }
          : { ...store, schema: 'before' };
      await writeFile(oldFile, configFor(oldStore, services));
      const old = await serve(oldFile, before.serve);
      try {
        await measure(old.child, `${old.url}/api/v1/actions/debug-logging/execute`, execBody, 2);
        const oldExec = await measure(
          old.child,
          `${old.url}/api/v1/actions/debug-logging/execute`,
          execBody,
        );
        const now = measured[name]?.exec;
        writeAhead.push([
          name,
          fixed(oldExec.requestsPerSecond, 0),
          fixed(oldExec.cpuUsPerRequest, 0),
          fixed(now?.requestsPerSecond ?? NaN, 0),
          fixed(now?.cpuUsPerRequest ?? NaN, 0),
          fixed((now?.requestsPerSecond ?? NaN) / oldExec.requestsPerSecond),
          String(oldExec.non2xx + oldExec.socketErrors),
        ]);
      } finally {
        await old.child.stop();
      }
    }
  } finally {
    before.remove();
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
  console.log(
    `\naudited executions/s before (${BEFORE_REV}: one record after the action) and after (write-ahead: intent before, outcome after), same run:\n`,
  );
  printTable(
    ['audit store', 'before exec/s', 'CPU µs', 'after exec/s', 'CPU µs', 'after/before', 'errors'],
    writeAhead,
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
