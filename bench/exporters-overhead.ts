import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp, listen, type AppVariant } from './support/overhead-apps.js';
import { CAN_PIN, cpuMs, startChild, type Child } from './support/processes.js';
import { frameDifferences, windowedProfile, type WindowedProfile } from './support/profile-diff.js';
import { fixed, printTable } from './support/table.js';
import { wrk } from './support/wrk.js';

/**
 * Requests/s and CPU per request of a minimal Express app, side by side: bare; with a no-op
 * middleware (`noop`: what any one middleware costs in Express); with our request middleware
 * (`@layerwatch/exporters`, default `traceContext: 'request'`); the same with
 * `traceContext: 'async'` (AsyncLocalStorage); with OpenTelemetry auto-instrumentation
 * (http + express, spans created, a MeterProvider for its metrics). Every app has the same
 * routes, in the same order (`/metrics` first, the instrumentation's handler in ours and a
 * fixed text in the others, then `/items/:id`), so that a difference is the middleware's.
 * Each app runs in its own process (this file, `serve VARIANT`), as the goal asks; besides,
 * `same-bare` and `same-ours` are the bare app and ours in ONE process (both on their own
 * ports, loaded one at a time), which shows the middleware's own cost with the same modules
 * and heap on both sides (`same-ours` is compared with `same-bare`, every other with bare;
 * the finish subscriber ours installs is process-wide, so `same-bare` pays its call too).
 * `loaded` (the instrumentation started, a no-op middleware) and `ours-untraced`
 * (`traceContext: false`) take ours apart, and `baseline` is ours from another build
 * (`BENCH_BASELINE=…/dist/src/index.js`); they run only when `BENCH_VARIANTS` names them.
 * Five runs (`BENCH_RUNS`), each with new processes, the apps pinned to CPU 1 and wrk to CPU
 * 0 where possible, each app warmed up (5,000 requests or 5 s), then 8 rounds; a round loads
 * each variant for 1 s (`BENCH_SECONDS` / 8) of wrk -t1 -c32 on
 * `http://127.0.0.1:PORT/items/1` right next to a 1 s load of its peer (peer first in every
 * other pair), in an order that rotates each round. A ratio is the median over a run's
 * rounds of the variant's figure against that adjacent peer load's, so drift and neighbours
 * on a shared machine fall on both sides of each ratio alike.
 * `BENCH_VARIANTS=noop,ours` measures only those and their peers. Each run prints
 * its table and whether the middleware met the goal in it (≤ 5 % fewer requests/s and
 * ≤ 1.05x CPU per request); about 8 minutes in all. Printed, never asserted.
 * `exporters-overhead.ts profile ours` profiles bare and ours (`--cpu-prof`, warmed up, 5 s
 * of the same load each) and prints the functions whose self time per request differs most.
 */
const ALL_VARIANTS = [
  'bare',
  'noop',
  'loaded',
  'ours-untraced',
  'baseline',
  'ours',
  'ours-async',
  'auto',
  'same-bare',
  'same-ours',
] as const;
type Variant = (typeof ALL_VARIANTS)[number];
/** Measured only when `BENCH_VARIANTS` names them: they take ours apart. */
const EXTRA_VARIANTS: readonly Variant[] = ['loaded', 'ours-untraced', 'baseline'];
/** The process a variant runs in: its own, or `same` (same-bare and same-ours together). */
type Process = AppVariant | 'same';
const processOf = (variant: Variant): Process =>
  variant === 'same-bare' || variant === 'same-ours' ? 'same' : variant;
/** What a variant's ratios are against: the bare app in the same kind of process. */
const peerOf = (variant: Variant): Variant =>
  processOf(variant) === 'same' ? 'same-bare' : 'bare';
/** Variants whose row says whether the goal was met. */
const GOAL_VARIANTS: readonly Variant[] = ['baseline', 'ours', 'ours-async', 'same-ours'];
const VARIANTS: readonly Variant[] = ((): Variant[] => {
  const asked = process.env.BENCH_VARIANTS?.split(',').map((name) => name.trim());
  if (asked === undefined) return ALL_VARIANTS.filter((v) => !EXTRA_VARIANTS.includes(v));
  const unknown = asked.filter((name) => !(ALL_VARIANTS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`BENCH_VARIANTS: unknown ${unknown.join(', ')}`);
  const chosen = new Set(asked as Variant[]);
  for (const variant of [...chosen]) chosen.add(peerOf(variant));
  return ALL_VARIANTS.filter((variant) => chosen.has(variant));
})();
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ROUNDS = 8;
// Per round; wrk takes whole seconds.
const SECONDS = Math.max(1, Math.round(Number(process.env.BENCH_SECONDS ?? 8) / ROUNDS));
/** Warm-up per app: 1 s loads until this many requests were served, or `WARMUP_MAX_SECONDS`. */
const WARMUP_REQUESTS = 5000;
const WARMUP_MAX_SECONDS = 5;
const LOAD = { threads: 1, connections: 32 } as const;
const GOAL_OVERHEAD = 0.05;
const GOAL_CPU_RATIO = 1.05;

/** Serves one process's apps and prints `{"ports":{variant:port}}`. */
async function serve(which: Process): Promise<void> {
  const ports: Partial<Record<Variant, number>> = {};
  if (which === 'same') {
    ports['same-bare'] = await listen(await createApp('bare'));
    ports['same-ours'] = await listen(await createApp('ours'));
  } else {
    ports[which] = await listen(await createApp(which));
  }
  console.log(JSON.stringify({ ports }));
  process.on('SIGTERM', () => process.exit(0));
}

interface Round {
  rate: number;
  cpuUsPerRequest: number;
  failed: number;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[middle] ?? NaN)
    : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
};

async function measure(child: Child, url: string): Promise<Round> {
  const cpu0 = cpuMs(child.pid);
  const result = await wrk(`${url}/items/1`, { ...LOAD, seconds: SECONDS });
  return {
    rate: result.requests / result.seconds,
    cpuUsPerRequest: ((cpuMs(child.pid) - cpu0) * 1000) / result.requests,
    failed: result.non2xx + result.socketErrors,
  };
}

/** Starts `which` (`node --import tsx` this file `serve`), pinned to CPU 1 where possible. */
function startProcess(self: string, which: Process, nodeArgs: readonly string[] = []): Child {
  const node = [process.execPath, ...nodeArgs, '--import', 'tsx', self, 'serve', which];
  return CAN_PIN
    ? startChild('taskset', ['-c', '1', ...node], `app ${which}`)
    : startChild(node[0] ?? '', node.slice(1), `app ${which}`);
}

/** The apps of one run: each process new, each app warmed up, pinned where possible. */
async function startApps(self: string): Promise<Map<Variant, { child: Child; url: string }>> {
  const apps = new Map<Variant, { child: Child; url: string }>();
  const children: Child[] = [];
  try {
    for (const which of new Set(VARIANTS.map(processOf))) {
      const child = startProcess(self, which);
      children.push(child);
      const { ports } = await child.nextMessage<{ ports: Partial<Record<Variant, number>> }>();
      for (const [variant, port] of Object.entries(ports) as [Variant, number][]) {
        const url = `http://127.0.0.1:${port}`;
        apps.set(variant, { child, url });
        await warmUp(url);
      }
    }
    return apps;
  } catch (error) {
    await Promise.all(children.map((child) => child.stop()));
    throw error;
  }
}

/** Lets the JIT settle: until `WARMUP_REQUESTS` were served or `WARMUP_MAX_SECONDS` passed. */
async function warmUp(url: string): Promise<void> {
  let served = 0;
  for (let s = 0; s < WARMUP_MAX_SECONDS && served < WARMUP_REQUESTS; s += 1) {
    served += (await wrk(`${url}/items/1`, { ...LOAD, seconds: 1 })).requests;
  }
}

/** One variant's figures in one run: medians over its loads, ratios against its peer's next to it. */
interface Figures {
  rate: number;
  cpuUs: number;
  vsPeer: number;
  cpuVsPeer: number;
  failed: number;
}

/** A run's loads per variant, and each variant's ratios to the peer load measured next to it. */
interface Measured {
  loads: Map<Variant, Round[]>;
  rateRatios: Map<Variant, number[]>;
  cpuRatios: Map<Variant, number[]>;
}

function figures({ loads, rateRatios, cpuRatios }: Measured): Map<Variant, Figures> {
  return new Map(
    VARIANTS.map((v) => {
      const own = loads.get(v) ?? [];
      const figure: Figures = {
        rate: median(own.map((m) => m.rate)),
        cpuUs: median(own.map((m) => m.cpuUsPerRequest)),
        vsPeer: v === peerOf(v) ? 1 : median(rateRatios.get(v) ?? []),
        cpuVsPeer: v === peerOf(v) ? 1 : median(cpuRatios.get(v) ?? []),
        failed: own.reduce((sum, m) => sum + m.failed, 0),
      };
      return [v, figure];
    }),
  );
}

/**
 * One run: fresh app processes, then `ROUNDS` rounds; a round loads every variant right after
 * or right before its peer (alternating), in an order that rotates each round.
 */
async function runOnce(self: string): Promise<{ figures: Map<Variant, Figures>; spans: number }> {
  const apps = await startApps(self);
  try {
    const load = (variant: Variant): Promise<Round> => {
      const found = apps.get(variant);
      if (found === undefined) throw new Error(`no app for ${variant}`);
      return measure(found.child, found.url);
    };
    const spans = apps.has('auto') ? await countSpans(apps.get('auto')?.url ?? '') : NaN;
    const measured: Measured = { loads: new Map(), rateRatios: new Map(), cpuRatios: new Map() };
    const push = <T>(map: Map<Variant, T[]>, v: Variant, value: T): void => {
      const list = map.get(v);
      if (list === undefined) map.set(v, [value]);
      else list.push(value);
    };
    const compared = VARIANTS.filter((v) => v !== peerOf(v));
    for (let r = 0; r < ROUNDS; r += 1) {
      const shift = r % compared.length;
      const order = [...compared.slice(shift), ...compared.slice(0, shift)];
      for (const [i, v] of order.entries()) {
        const peerFirst = (r + i) % 2 === 0;
        const first = await load(peerFirst ? peerOf(v) : v);
        const second = await load(peerFirst ? v : peerOf(v));
        const [peer, own] = peerFirst ? [first, second] : [second, first];
        push(measured.loads, peerOf(v), peer);
        push(measured.loads, v, own);
        push(measured.rateRatios, v, own.rate / peer.rate);
        push(measured.cpuRatios, v, own.cpuUsPerRequest / peer.cpuUsPerRequest);
      }
    }
    return { figures: figures(measured), spans };
  } finally {
    await Promise.all(
      [...new Set([...apps.values()].map(({ child }) => child))].map((c) => c.stop()),
    );
  }
}

const overhead = (f: Figures): string => `${fixed((1 - f.vsPeer) * 100, 1)} %`;
const cpuRatio = (f: Figures): string => `${fixed(f.cpuVsPeer, 2)}x`;
const meetsGoal = (f: Figures): boolean =>
  1 - f.vsPeer <= GOAL_OVERHEAD && f.cpuVsPeer <= GOAL_CPU_RATIO;

function printRun(run: number, result: Map<Variant, Figures>, spans: number): void {
  const get = (v: Variant): Figures => result.get(v) as Figures;
  console.log(
    `run ${run}/${RUNS}: medians over rounds${Number.isNaN(spans) ? '' : `; auto-instrumentation records ~${fixed(spans, 1)} spans/request`}`,
  );
  printTable(
    ['app', 'process', 'requests/s', 'vs peer', 'CPU µs/request', 'CPU vs peer', 'failed', 'goal'],
    VARIANTS.map((v) => [
      v,
      processOf(v) === 'same' ? 'shared' : 'own',
      fixed(get(v).rate, 0),
      v === peerOf(v) ? 'peer' : `${fixed(get(v).vsPeer * 100, 1)} %`,
      fixed(get(v).cpuUs, 1),
      v === peerOf(v) ? 'peer' : cpuRatio(get(v)),
      String(get(v).failed),
      GOAL_VARIANTS.includes(v) ? (meetsGoal(get(v)) ? 'met' : 'NOT met') : '',
    ]),
  );
}

async function main(): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  // wrk (started from here, so it inherits this) on the other CPU than the apps.
  if (CAN_PIN)
    execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  console.log(
    `exporters-overhead: minimal Express app, GET /items/1, wrk -t${LOAD.threads} -c${LOAD.connections} on 127.0.0.1, ` +
      `${RUNS} runs, each with new processes and ${ROUNDS} rounds of ${SECONDS}s per app${CAN_PIN ? ', apps pinned to CPU 1, wrk to CPU 0' : ''}; ` +
      `same routes in every app; peer: bare in its own process, same-bare for same-ours (one process); ` +
      `goal per run: ≤ ${GOAL_OVERHEAD * 100} % fewer requests/s and ≤ ${GOAL_CPU_RATIO}x CPU per request than the peer`,
  );
  const runs: Map<Variant, Figures>[] = [];
  for (let run = 1; run <= RUNS; run += 1) {
    const { figures: result, spans } = await runOnce(self);
    printRun(run, result, spans);
    runs.push(result);
  }
  const summary = (v: Variant): string => {
    const all = runs.map((r) => r.get(v) as Figures);
    const met = all.filter(meetsGoal).length;
    const goal = GOAL_VARIANTS.includes(v) ? ` (goal met in ${met} of ${RUNS})` : '';
    return `${v} ${all.map((f) => `${overhead(f)} ${cpuRatio(f)}`).join(', ')}${goal}`;
  };
  console.log(
    `RESULT exporters-overhead: fewer requests/s and CPU/request vs peer per run; ` +
      VARIANTS.filter((v) => v !== peerOf(v))
        .map(summary)
        .join('; '),
  );
}

/**
 * `profile VARIANT`: bare and VARIANT (each in its own process) under `node --cpu-prof`,
 * warmed up, then 5 s of the same load; prints the functions whose self time per request
 * (samples during the load only) differs most between them.
 */
async function profile(self: string, variant: Variant): Promise<void> {
  const which = processOf(variant);
  if (which === 'same') throw new Error('profile: choose a variant in its own process');
  if (CAN_PIN)
    execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  const measured: { profile: WindowedProfile; requests: number }[] = [];
  for (const app of ['bare', which] as const) {
    const dir = await mkdtemp(join(tmpdir(), 'exporters-overhead-'));
    const child = startProcess(self, app, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    let window: [number, number, number];
    try {
      const { ports } = await child.nextMessage<{ ports: Partial<Record<Variant, number>> }>();
      const url = `http://127.0.0.1:${ports[app] ?? 0}`;
      await warmUp(url);
      const from = Number(process.hrtime.bigint() / 1000n);
      const { requests } = await wrk(`${url}/items/1`, { ...LOAD, seconds: 5 });
      window = [from, Number(process.hrtime.bigint() / 1000n), requests];
    } finally {
      await child.stop();
    }
    const [from, to, requests] = window;
    const found = await windowedProfile(dir, from, to);
    measured.push({ profile: found, requests });
    console.log(
      `profile of ${app}: ${requests} requests in 5 s after warm-up, ${fixed(found.busyUs / requests, 1)} µs busy per request`,
    );
    await rm(dir, { recursive: true });
  }
  const [bare, ours] = measured;
  if (bare === undefined || ours === undefined) return;
  const rows = frameDifferences(bare.profile, bare.requests, ours.profile, ours.requests, 30);
  printTable(
    ['frame', 'where', 'bare µs/req', `${which} µs/req`, 'difference'],
    rows.map((f) => [
      f.name,
      f.where,
      fixed(f.aUs, 2),
      fixed(f.bUs, 2),
      `${f.differenceUs >= 0 ? '+' : ''}${fixed(f.differenceUs, 2)}`,
    ]),
  );
}

/** Spans the auto-instrumented app ends per request: shows that express was patched too. */
async function countSpans(url: string): Promise<number> {
  const read = async (): Promise<number> =>
    ((await (await fetch(`${url}/-/spans`)).json()) as { spans: number }).spans;
  const before = await read();
  const requests = 20;
  for (let i = 0; i < requests; i += 1) await (await fetch(`${url}/items/1`)).text();
  // The first /-/spans request's own spans end after its answer: count it as one more request.
  return ((await read()) - before) / (requests + 1);
}

const [mode, variant] = process.argv.slice(2);
if (mode === 'serve') {
  const processes = [...new Set(ALL_VARIANTS.map(processOf))];
  if (!(processes as string[]).includes(variant ?? '')) {
    throw new Error(`usage: exporters-overhead.ts serve ${processes.join('|')}`);
  }
  await serve(variant as Process);
} else if (mode === 'profile') {
  if (!(ALL_VARIANTS as readonly string[]).includes(variant ?? '')) {
    throw new Error(`usage: exporters-overhead.ts profile ${ALL_VARIANTS.join('|')}`);
  }
  await profile(fileURLToPath(import.meta.url), variant as Variant);
} else {
  await main();
}
