import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import { fileURLToPath } from 'node:url';
import { CAN_PIN, cpuMs, startChild, type Child } from './support/processes.js';
import { fixed, printTable } from './support/table.js';
import { wrk } from './support/wrk.js';

/**
 * Requests/s of a minimal Express app, side by side in one run: bare; with our request
 * middleware (`@layerwatch/exporters`, default `traceContext: 'request'`); the same with
 * `traceContext: 'async'` (AsyncLocalStorage); with OpenTelemetry auto-instrumentation
 * (http + express, spans created, a MeterProvider for its metrics). Each app runs in its
 * own process (this file, `serve VARIANT`), pinned to one CPU where possible; wrk -t1 -c32
 * loads `/items/1` from the other. Each app gets 8 s of load, in four rounds of 2 s whose
 * order rotates, and each ratio is the median over rounds of the app's rate against bare's
 * in the same round, so drift and neighbours on a shared machine fall on every variant
 * alike (about 40 s in all). Printed, never asserted.
 */
const VARIANTS = ['bare', 'ours', 'ours-async', 'auto'] as const;
type Variant = (typeof VARIANTS)[number];
const ROUNDS = 4;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8) / ROUNDS; // per round
const WARMUP_SECONDS = 1;
const LOAD = { threads: 1, connections: 32 } as const;
const GOAL_OVERHEAD = 0.05;

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

async function main(): Promise<void> {
  const self = fileURLToPath(import.meta.url);
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
      await wrk(`${url}/items/1`, { ...LOAD, seconds: WARMUP_SECONDS });
    }
    const app = (variant: Variant): { child: Child; url: string } => {
      const found = apps.get(variant);
      if (found === undefined) throw new Error(`no app for ${variant}`);
      return found;
    };
    const spansPerRequest = await countSpans(app('auto').url);
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
    const of = (v: Variant, pick: (round: Round) => number): number[] =>
      rounds.map((round) => {
        const measured = round.get(v);
        return measured === undefined ? NaN : pick(measured);
      });
    const rate = (v: Variant): number => median(of(v, (m) => m.rate));
    const cpuUs = (v: Variant): number => median(of(v, (m) => m.cpuUsPerRequest));
    const bareRates = of('bare', (m) => m.rate);
    const bareCpu = of('bare', (m) => m.cpuUsPerRequest);
    const vsBare = (v: Variant): number =>
      median(of(v, (m) => m.rate).map((x, i) => x / (bareRates[i] ?? NaN)));
    const cpuVsBare = (v: Variant): number =>
      median(of(v, (m) => m.cpuUsPerRequest).map((x, i) => x / (bareCpu[i] ?? NaN)));
    console.log(
      `exporters-overhead: minimal Express app, GET /items/1, wrk -t${LOAD.threads} -c${LOAD.connections}, ${ROUNDS} rounds of ${SECONDS}s per app` +
        `${CAN_PIN ? ', apps pinned to CPU 1' : ''}; auto-instrumentation records ~${fixed(spansPerRequest, 1)} spans/request; medians over rounds`,
    );
    printTable(
      ['app', 'requests/s', 'vs bare (same round)', 'CPU µs/request', 'CPU vs bare', 'failed'],
      VARIANTS.map((v) => [
        v,
        fixed(rate(v), 0),
        `${fixed(vsBare(v) * 100, 1)} %`,
        fixed(cpuUs(v), 1),
        `${fixed(cpuVsBare(v), 2)}x`,
        String(of(v, (m) => m.failed).reduce((a, b) => a + b, 0)),
      ]),
    );
    const overhead = (v: Variant): string => `${fixed((1 - vsBare(v)) * 100, 1)} %`;
    const cpu = (v: Variant): string => `${fixed(cpuVsBare(v), 2)}x`;
    console.log(
      `RESULT exporters-overhead: bare ${fixed(rate('bare'), 0)} req/s; ours ${fixed(rate('ours'), 0)} req/s, overhead ${overhead('ours')} (goal ≤ ${GOAL_OVERHEAD * 100} %), ` +
        `CPU/request ${cpu('ours')} bare; ours async ${overhead('ours-async')}, ${cpu('ours-async')}; auto-instrumentation ${overhead('auto')}, ${cpu('auto')}`,
    );
  } finally {
    await Promise.all([...apps.values()].map(({ child }) => child.stop()));
  }
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
  if (!VARIANTS.includes(variant as Variant)) {
    throw new Error(`usage: exporters-overhead.ts serve ${VARIANTS.join('|')}`);
  }
  await serve(variant as Variant);
} else {
  await main();
}
