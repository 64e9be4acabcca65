import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import { fileURLToPath } from 'node:url';
import { CAN_PIN, cpuMs, startChild, type Child } from './support/processes.js';
import { topSelfFrames } from './support/cpu-profile.js';
import { fixed, printTable } from './support/table.js';
import { wrk } from './support/wrk.js';

/**
 * Requests/s and CPU per request of a minimal Express app, side by side: bare; with our
 * request middleware (`@layerwatch/exporters`, default `traceContext: 'request'`); the same
 * with `traceContext: 'async'` (AsyncLocalStorage); with OpenTelemetry auto-instrumentation
 * (http + express, spans created, a MeterProvider for its metrics). Five runs (`BENCH_RUNS`),
 * each with new processes: every app in its own process (this file, `serve VARIANT`),
 * pinned to one CPU where possible, warmed up (5,000 requests or 5 s), then 8 rounds of 1 s
 * of wrk -t1 -c32 on `http://127.0.0.1:PORT/items/1` per app, in an order that rotates each
 * round. A ratio is the median over a run's rounds of the app's figure against bare's in the
 * same round, so drift and neighbours on a shared machine fall on every variant alike. Each
 * run prints its table and whether `requestMetrics` met the goal in it (≤ 5 % fewer
 * requests/s and ≤ 1.05x CPU per request); about 4 minutes in all. Printed, never asserted.
 * `exporters-overhead.ts profile ours` prints the app's top frames under `--cpu-prof`.
 */
const VARIANTS = ['bare', 'ours', 'ours-async', 'auto'] as const;
type Variant = (typeof VARIANTS)[number];
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

async function serve(variant: Variant): Promise<void> {
  const require = createRequire(import.meta.url);
  let spans = (): number => 0;
  if (variant === 'auto') spans = await autoInstrument();
  // Required after the instrumentations, so that their require hooks patch express and http.
  const createApp = require('express') as typeof express;
  const app = createApp();
  if (variant === 'ours' || variant === 'ours-async') {
    const { startLayerInstrumentation } = await import('@layerwatch/exporters');
    const instrumentation = await startLayerInstrumentation({
      serviceName: 'bench',
      layer: '4',
      env: {},
      traceContext: variant === 'ours' ? 'request' : 'async',
    });
    app.use(instrumentation.requestMetrics);
    app.get('/metrics', instrumentation.metricsHandler);
  }
  app.get('/items/:id', (req, res) => {
    res.json({ id: req.params.id });
  });
  app.get('/-/spans', (_req, res) => {
    res.json({ spans: spans() });
  });
  const server = app.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    console.log(JSON.stringify({ port }));
  });
  process.on('SIGTERM', () => process.exit(0));
}

/** What a user of auto-instrumentation runs: a tracer provider, a meter provider, http + express. */
async function autoInstrument(): Promise<() => number> {
  const { metrics } = await import('@opentelemetry/api');
  const { NodeTracerProvider } = await import('@opentelemetry/sdk-trace-node');
  const { MeterProvider, MetricReader } = await import('@opentelemetry/sdk-metrics');
  const { HttpInstrumentation } = await import('@opentelemetry/instrumentation-http');
  const { ExpressInstrumentation } = await import('@opentelemetry/instrumentation-express');
  let ended = 0;
  const provider = new NodeTracerProvider({
    spanProcessors: [
      {
        onStart: () => undefined,
        onEnd: () => void (ended += 1),
        forceFlush: () => Promise.resolve(),
        shutdown: () => Promise.resolve(),
      },
    ],
  });
  provider.register();
  class PullReader extends MetricReader {
    protected override onForceFlush(): Promise<void> {
      return Promise.resolve();
    }
    protected override onShutdown(): Promise<void> {
      return Promise.resolve();
    }
  }
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [new PullReader()] }));
  new HttpInstrumentation().enable();
  new ExpressInstrumentation().enable();
  return () => ended;
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

/** The apps of one run: each in its own new process, warmed up, pinned where possible. */
async function startApps(self: string): Promise<Map<Variant, { child: Child; url: string }>> {
  const apps = new Map<Variant, { child: Child; url: string }>();
  try {
    for (const variant of VARIANTS) {
      const node = [process.execPath, '--import', 'tsx', self, 'serve', variant];
      const child = CAN_PIN
        ? startChild('taskset', ['-c', '1', ...node], `app ${variant}`)
        : startChild(node[0] ?? '', node.slice(1), `app ${variant}`);
      const { port } = await child.nextMessage<{ port: number }>();
      const url = `http://127.0.0.1:${port}`;
      apps.set(variant, { child, url });
      await warmUp(url);
    }
    return apps;
  } catch (error) {
    await Promise.all([...apps.values()].map(({ child }) => child.stop()));
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

/** One variant's figures in one run: medians over its rounds, ratios against bare's same round. */
interface Figures {
  rate: number;
  cpuUs: number;
  vsBare: number;
  cpuVsBare: number;
  failed: number;
}

function figures(rounds: readonly Map<Variant, Round>[]): Map<Variant, Figures> {
  const of = (v: Variant, pick: (round: Round) => number): number[] =>
    rounds.map((round) => {
      const measured = round.get(v);
      return measured === undefined ? NaN : pick(measured);
    });
  const bareRates = of('bare', (m) => m.rate);
  const bareCpu = of('bare', (m) => m.cpuUsPerRequest);
  return new Map(
    VARIANTS.map((v) => [
      v,
      {
        rate: median(of(v, (m) => m.rate)),
        cpuUs: median(of(v, (m) => m.cpuUsPerRequest)),
        vsBare: median(of(v, (m) => m.rate).map((x, i) => x / (bareRates[i] ?? NaN))),
        cpuVsBare: median(of(v, (m) => m.cpuUsPerRequest).map((x, i) => x / (bareCpu[i] ?? NaN))),
        failed: of(v, (m) => m.failed).reduce((a, b) => a + b, 0),
      },
    ]),
  );
}

/** One run: fresh app processes, `ROUNDS` rounds in rotating order, figures per variant. */
async function runOnce(self: string): Promise<{ figures: Map<Variant, Figures>; spans: number }> {
  const apps = await startApps(self);
  try {
    const app = (variant: Variant): { child: Child; url: string } => {
      const found = apps.get(variant);
      if (found === undefined) throw new Error(`no app for ${variant}`);
      return found;
    };
    const spans = await countSpans(app('auto').url);
    const rounds: Map<Variant, Round>[] = [];
    for (let r = 0; r < ROUNDS; r += 1) {
      const order = [
        ...VARIANTS.slice(r % VARIANTS.length),
        ...VARIANTS.slice(0, r % VARIANTS.length),
      ];
      const round = new Map<Variant, Round>();
      for (const variant of order)
        round.set(variant, await measure(app(variant).child, app(variant).url));
      rounds.push(round);
    }
    return { figures: figures(rounds), spans };
  } finally {
    await Promise.all([...apps.values()].map(({ child }) => child.stop()));
  }
}

const overhead = (f: Figures): string => `${fixed((1 - f.vsBare) * 100, 1)} %`;
const cpuRatio = (f: Figures): string => `${fixed(f.cpuVsBare, 2)}x`;
const meetsGoal = (f: Figures): boolean =>
  1 - f.vsBare <= GOAL_OVERHEAD && f.cpuVsBare <= GOAL_CPU_RATIO;

function printRun(run: number, result: Map<Variant, Figures>, spans: number): void {
  const get = (v: Variant): Figures => result.get(v) as Figures;
  console.log(
    `run ${run}/${RUNS}: auto-instrumentation records ~${fixed(spans, 1)} spans/request; medians over rounds`,
  );
  printTable(
    [
      'app',
      'requests/s',
      'vs bare (same round)',
      'CPU µs/request',
      'CPU vs bare',
      'failed',
      'goal',
    ],
    VARIANTS.map((v) => [
      v,
      fixed(get(v).rate, 0),
      `${fixed(get(v).vsBare * 100, 1)} %`,
      fixed(get(v).cpuUs, 1),
      cpuRatio(get(v)),
      String(get(v).failed),
      v === 'bare' || v === 'auto' ? '' : meetsGoal(get(v)) ? 'met' : 'NOT met',
    ]),
  );
}

async function main(): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  console.log(
    `exporters-overhead: minimal Express app, GET /items/1, wrk -t${LOAD.threads} -c${LOAD.connections} on 127.0.0.1, ` +
      `${RUNS} runs, each with new processes and ${ROUNDS} rounds of ${SECONDS}s per app${CAN_PIN ? ', apps pinned to CPU 1' : ''}; ` +
      `goal per run: ≤ ${GOAL_OVERHEAD * 100} % fewer requests/s and ≤ ${GOAL_CPU_RATIO}x CPU per request than bare`,
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
    return `${all.map((f) => `${overhead(f)} ${cpuRatio(f)}`).join(', ')} (goal met in ${met} of ${RUNS})`;
  };
  console.log(
    `RESULT exporters-overhead: fewer requests/s and CPU/request vs bare per run; ours ${summary('ours')}; ` +
      `ours async ${summary('ours-async')}; auto-instrumentation ${runs
        .map((r) => `${overhead(r.get('auto') as Figures)} ${cpuRatio(r.get('auto') as Figures)}`)
        .join(', ')}`,
  );
}

/**
 * `profile VARIANT`: the app under `node --cpu-prof`, warmed up, then 5 s of the same load;
 * prints its top frames by self time (start-up included, idle left out).
 */
async function profile(self: string, variant: Variant): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'exporters-overhead-'));
  const args = ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--import', 'tsx', self, 'serve', variant];
  const child = startChild(process.execPath, args, `app ${variant}`);
  try {
    const { port } = await child.nextMessage<{ port: number }>();
    await warmUp(`http://127.0.0.1:${port}`);
    const { requests } = await wrk(`http://127.0.0.1:${port}/items/1`, { ...LOAD, seconds: 5 });
    console.log(`profile of ${variant}: ${requests} requests in 5 s after warm-up; top self time:`);
  } finally {
    await child.stop();
  }
  // tsx's loader thread writes a profile too; the main thread's (thread 0) sorts first.
  for (const name of (await readdir(dir)).sort().slice(1)) await rm(join(dir, name));
  const frames = await topSelfFrames(dir, 25);
  printTable(
    ['frame', 'where', 'self'],
    frames.map((f) => [f.name, f.where, `${fixed(f.selfPercent, 1)} %`]),
  );
  await rm(dir, { recursive: true });
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
if (mode === 'serve' || mode === 'profile') {
  if (!VARIANTS.includes(variant as Variant)) {
    throw new Error(`usage: exporters-overhead.ts ${mode} ${VARIANTS.join('|')}`);
  }
  if (mode === 'serve') await serve(variant as Variant);
  else await profile(fileURLToPath(import.meta.url), variant as Variant);
} else {
  await main();
}
