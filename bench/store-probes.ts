import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, startRedis } from '@layerwatch/local';
import { cpuMs, startScript, type Child } from './support/processes.js';
import { fixed, printTable } from './support/table.js';
import { wrk } from './support/wrk.js';

/**
 * Redis and PostgreSQL probes: CPU per probe of our daemon's `/probe` (redis PING;
 * PostgreSQL's startup handshake, what pg_isready checks) against the tools an on-call
 * engineer would loop instead: `redis-cli -r N ping` for N PINGs
 * (one process, one connection: the wire's lower bound) or a shell loop of `redis-cli ping`,
 * and a shell loop of `pg_isready` (a process per check, as a cron or a sidecar runs it).
 * The peers' CPU is their own (bash's `times`: user + system of the children). Printed,
 * never asserted.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PEER_COUNT = Number(process.env.BENCH_PEER_COUNT ?? 20_000);
/**
 * Checks for the loops that start a process per check. 200: on this machine, about the
 * 270th `pg_isready` in a row times out connecting (psql too, at that moment) while the
 * server still listens, with or without our probes before it.
 */
const PROCESS_LOOP_COUNT = Number(process.env.BENCH_PROCESS_LOOP_COUNT ?? 200);
const LOAD = { threads: 1, connections: 16 } as const;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const CONFIG = `scheduler:
  enabled: false
modules:
  redis_ping:
    prober: redis
    timeout: 5s
  postgres_ready:
    prober: postgres
    timeout: 5s
`;

interface Row {
  readonly what: string;
  readonly probes: number;
  readonly cpuMsPerProbe: number;
}

/** CPU of `script`'s children, by bash's `times` (its second line: children's user and sys). */
function peerCpuMs(script: string): number {
  const out = execFileSync('bash', ['-c', `set -e; ${script}; times`], { encoding: 'utf8' });
  const children = out.trim().split('\n').at(-1)!;
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map(
    ([, m, s]) => Number(m) * 60 + Number(s),
  );
  return seconds.reduce((a, b) => a + b, 0) * 1000;
}

async function ours(daemon: Child, url: string, what: string): Promise<Row> {
  await wrk(url, { ...LOAD, seconds: 2 });
  const before = cpuMs(daemon.pid);
  const result = await wrk(url, { ...LOAD, seconds: SECONDS });
  if (result.non2xx + result.socketErrors > 0) throw new Error(`${what}: requests failed`);
  return {
    what,
    probes: result.requests,
    cpuMsPerProbe: (cpuMs(daemon.pid) - before) / result.requests,
  };
}

const dir = await mkdtemp(join(tmpdir(), 'layerwatch-bench-stores-'));
const redis = await startRedis({ dataDir: join(dir, 'redis') });
// A folder of its own: PostgreSQL runs as its own user, who may not enter `dir`.
const postgresDir = await mkdtemp(join(tmpdir(), 'layerwatch-bench-postgres-'));
const postgres = await startPostgres({ dataDir: postgresDir });
let daemon: Child | undefined;
try {
  await writeFile(join(dir, 'probes.yml'), CONFIG);
  daemon = startScript('daemon-child.ts', [join(dir, 'probes.yml')]);
  const { url } = await daemon.nextMessage<{ url: string }>();
  const probe = (module: string, target: string) =>
    `${url}/probe?module=${module}&target=${encodeURIComponent(target)}`;
  for (const [module, port] of [
    ['redis_ping', redis.port],
    ['postgres_ready', postgres.port],
  ] as const) {
    const text = await (await fetch(probe(module, `127.0.0.1:${port}`))).text();
    if (!/^probe_success 1$/m.test(text)) throw new Error(`${module}: probe failed:\n${text}`);
  }
  for (let run = 0; run < RUNS; run += 1) {
    console.log(`store-probes: run ${run + 1} of ${RUNS}`);
    const rows: Row[] = [
      await ours(daemon, probe('redis_ping', `127.0.0.1:${redis.port}`), 'ours /probe redis'),
      {
        what: 'redis-cli -r N ping',
        probes: PEER_COUNT,
        cpuMsPerProbe:
          peerCpuMs(`redis-cli -p ${redis.port} -r ${PEER_COUNT} ping >/dev/null`) / PEER_COUNT,
      },
      {
        what: 'redis-cli ping loop',
        probes: PROCESS_LOOP_COUNT,
        cpuMsPerProbe:
          peerCpuMs(
            `for i in $(seq ${PROCESS_LOOP_COUNT}); do redis-cli -p ${redis.port} ping >/dev/null || { echo "check $i failed" >&2; exit 1; }; done`,
          ) / PROCESS_LOOP_COUNT,
      },
      await ours(
        daemon,
        probe('postgres_ready', `127.0.0.1:${postgres.port}`),
        'ours /probe postgres',
      ),
      {
        what: 'pg_isready loop',
        probes: PROCESS_LOOP_COUNT,
        cpuMsPerProbe:
          peerCpuMs(
            `for i in $(seq ${PROCESS_LOOP_COUNT}); do pg_isready -q -h 127.0.0.1 -p ${postgres.port} || { echo "check $i failed" >&2; exit 1; }; done`,
          ) / PROCESS_LOOP_COUNT,
      },
    ];
    printTable(
      ['prober', 'probes', 'CPU ms/probe', 'probes/CPU-s'],
      rows.map((r) => [
        r.what,
        String(r.probes),
        fixed(r.cpuMsPerProbe, 3),
        fixed(1000 / r.cpuMsPerProbe, 0),
      ]),
    );
    const [ourRedis, cli, cliLoop, ourPg, isready] = rows as [Row, Row, Row, Row, Row];
    console.log(
      `RESULT store-probes run ${run + 1}: redis ${fixed(ourRedis.cpuMsPerProbe, 3)} ms CPU/probe vs redis-cli ${fixed(cli.cpuMsPerProbe, 3)} in one process (${fixed(cli.cpuMsPerProbe / ourRedis.cpuMsPerProbe, 2)}× ours), ${fixed(cliLoop.cpuMsPerProbe, 3)} as a process per check (${fixed(cliLoop.cpuMsPerProbe / ourRedis.cpuMsPerProbe, 1)}× ours); postgres ${fixed(ourPg.cpuMsPerProbe, 3)} ms vs pg_isready ${fixed(isready.cpuMsPerProbe, 3)} (${fixed(isready.cpuMsPerProbe / ourPg.cpuMsPerProbe, 1)}× ours)`,
    );
  }
} finally {
  daemon?.process.kill();
  await Promise.all([redis.stop(), postgres.stop()]);
  await rm(dir, { recursive: true, force: true });
  await rm(postgresDir, { recursive: true, force: true });
}
