import { execFileSync } from 'node:child_process';
import { channel } from 'node:diagnostics_channel';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getHeapSpaceStatistics } from 'node:v8';
import type * as Exporters from '@layerwatch/exporters';

/**
 * Heap bytes the request middleware allocates per request, counted rather than sampled:
 * the middleware is called in a loop with a fake request, response and socket (the same
 * objects every time, so the loop itself allocates nothing), and Node's
 * `http.server.response.finish` message, also one object reused, is published after each
 * call, as Node's HTTP server does when a response finishes. Each variant runs in its own
 * process with a 64 MB young generation, warmed up (50,000 requests), then measures 20,000
 * requests between two reads of the heap's used bytes with no GC in between (checked; a run
 * with a GC is repeated). `noop` is a middleware that only calls `next`: the loop's own
 * cost, subtracted from the others. Variants: `noop`, `ours` (`traceContext: 'request'`),
 * `ours-untraced` (`false`), `ours-async` (`'async'`), and, with
 * `BENCH_BASELINE=…/dist/src/index.js` (another build of the package), `baseline` and
 * `baseline-untraced`. `BENCH_VARIANTS` picks. Printed, never asserted.
 *
 * What it does not count: Express's and Node's allocations per request (the same with or
 * without the middleware, apart from the finish message, which Node allocates only while the
 * channel has a subscriber: about 100 B; here the loop's own reused message stands for it).
 */
const VARIANTS = [
  'noop',
  'ours',
  'ours-untraced',
  'ours-async',
  'baseline',
  'baseline-untraced',
] as const;
type Variant = (typeof VARIANTS)[number];
const WARMUP = 50_000;
const MEASURED = 20_000;
const ATTEMPTS = 5;

type Middleware = (req: unknown, res: unknown, next: () => void) => void;

async function middlewareOf(variant: Variant): Promise<Middleware> {
  if (variant === 'noop') return (_req, _res, next) => next();
  const baseline = variant.startsWith('baseline');
  if (baseline && process.env.BENCH_BASELINE === undefined) throw new Error('set BENCH_BASELINE');
  const { startLayerInstrumentation } = (await import(
    baseline ? pathToFileURL(process.env.BENCH_BASELINE ?? '').href : '@layerwatch/exporters'
  )) as typeof Exporters;
  const instrumentation = await startLayerInstrumentation({
    serviceName: 'bench',
    layer: '4',
    env: {},
    traceContext: variant.endsWith('untraced')
      ? false
      : variant === 'ours-async'
        ? 'async'
        : 'request',
  });
  return instrumentation.requestMetrics as unknown as Middleware;
}

function newSpaceUsed(): number {
  const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  if (space === undefined) throw new Error('no new_space');
  return space.space_used_size;
}

async function measure(variant: Variant): Promise<void> {
  const middleware = await middlewareOf(variant);
  const socket = { destroyed: false, once: (): void => {} };
  const req = {
    socket,
    headers: {},
    method: 'GET',
    url: '/items/1',
    baseUrl: '',
    route: { path: '/items/:id' },
  };
  const res = { statusCode: 200 };
  const message = { request: req, response: res, socket, server: null };
  const finish = channel('http.server.response.finish');
  const next = (): void => {};
  const loop = (n: number): void => {
    for (let i = 0; i < n; i += 1) {
      middleware(req, res, next);
      finish.publish(message);
    }
  };
  let gcs = 0;
  const observer = new PerformanceObserver((list) => {
    gcs += list.getEntries().length;
  });
  observer.observe({ entryTypes: ['gc'] });
  loop(WARMUP);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const seen = gcs;
    const before = newSpaceUsed();
    loop(MEASURED);
    const after = newSpaceUsed();
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (gcs === seen && after >= before) {
      observer.disconnect();
      console.log(JSON.stringify({ variant, bytesPerRequest: (after - before) / MEASURED }));
      return;
    }
  }
  observer.disconnect();
  throw new Error(`${variant}: a GC in every one of ${ATTEMPTS} attempts`);
}

function main(): void {
  const asked = process.env.BENCH_VARIANTS?.split(',').map((name) => name.trim());
  const chosen = (
    asked ?? VARIANTS.filter((v) => !v.startsWith('baseline') || process.env.BENCH_BASELINE)
  ).filter((name): name is Variant => (VARIANTS as readonly string[]).includes(name));
  if (!chosen.includes('noop')) chosen.unshift('noop');
  const self = fileURLToPath(import.meta.url);
  const bytes = new Map<Variant, number>();
  for (const variant of chosen) {
    const out = execFileSync(
      process.execPath,
      [
        ...process.execArgv,
        '--expose-gc',
        '--min-semi-space-size=64',
        '--max-semi-space-size=64',
        self,
        'measure',
        variant,
      ],
      { encoding: 'utf8' },
    );
    const line = out.trim().split('\n').at(-1) ?? '';
    bytes.set(variant, (JSON.parse(line) as { bytesPerRequest: number }).bytesPerRequest);
  }
  const noop = bytes.get('noop') ?? 0;
  console.log('variant              B/request (measured)   B/request (minus noop)');
  for (const [variant, value] of bytes) {
    console.log(
      `${variant.padEnd(20)} ${value.toFixed(1).padStart(20)}   ${(value - noop).toFixed(1).padStart(22)}`,
    );
  }
}

if (process.argv[2] === 'measure') await measure(process.argv[3] as Variant);
else main();
