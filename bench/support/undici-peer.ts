import { Pool, type Dispatcher } from 'undici';

/**
 * The peer for scheduled mode: what a careful engineer writes with undici alone. One
 * keep-alive `Pool` for the one origin with as many connections as the concurrency, the
 * request paths built once, and each body consumed with `body.dump()` (discards without
 * buffering). No deadline, no series. With `dispatch` as a fifth argument it skips
 * `request()`'s promise and body stream too: `pool.dispatch()` with one handler object per
 * worker, reused for every request, the status read in `onResponseStart` and the body left
 * unread — the least undici's current handler API does per request.
 *   undici-peer.ts PORT TARGETS CONCURRENCY SECONDS [request|dispatch]
 * prints {"warm": true} after a warm-up round, then {"probes", "ok", "wallS", "cpuS"}.
 */
const [port = 0, targets = 0, concurrency = 0, seconds = 0] = process.argv.slice(2, 6).map(Number);
const mode = process.argv[6] ?? 'request';
if (!port || !targets || !concurrency || !seconds) {
  throw new Error('usage: undici-peer.ts PORT TARGETS CONCURRENCY SECONDS');
}
const pool = new Pool(`http://127.0.0.1:${port}`, {
  connections: concurrency,
  pipelining: 1,
  keepAliveTimeout: 60_000,
});
// The request our prober sends, byte for byte: the same work on the wire and in undici.
const HEADERS = { 'user-agent': 'Layerwatch' };
const paths = Array.from({ length: targets }, (_, i) => `/t/${i}`);
let ok = 0;
let next = 0;

async function requestWorker(): Promise<void> {
  while (next < paths.length) {
    const path = paths[next++] ?? '/';
    const { statusCode, body } = await pool.request({ path, method: 'GET', headers: HEADERS });
    await body.dump();
    if (statusCode >= 200 && statusCode < 300) ok += 1;
  }
}

/** One handler per worker: it sends the next request itself as each one completes. */
class DispatchWorker implements Dispatcher.DispatchHandler {
  private statusCode = 0;
  private done: () => void = () => undefined;
  private readonly options = { path: '/', method: 'GET', headers: HEADERS };

  run(): Promise<void> {
    return new Promise((resolve) => {
      this.done = resolve;
      this.next();
    });
  }

  private next(): void {
    if (next >= paths.length) return this.done();
    this.options.path = paths[next++] ?? '/';
    pool.dispatch(this.options, this);
  }

  // Its presence tells undici this is a current-API handler (no onConnect/onHeaders).
  onRequestStart(): void {}

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number): void {
    this.statusCode = statusCode;
  }

  onResponseEnd(): void {
    if (this.statusCode >= 200 && this.statusCode < 300) ok += 1;
    this.next();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    throw error;
  }
}

const dispatchWorkers = Array.from({ length: concurrency }, () => new DispatchWorker());

async function round(): Promise<void> {
  next = 0;
  const workers: Promise<void>[] = [];
  for (let i = 0; i < concurrency; i += 1) {
    workers.push(
      mode === 'dispatch' ? (dispatchWorkers[i] as DispatchWorker).run() : requestWorker(),
    );
  }
  await Promise.all(workers);
}

await round(); // warm-up
ok = 0;
console.log(JSON.stringify({ warm: true }));
await new Promise((resolve) => setTimeout(resolve, 300)); // lets the parent read counters
const cpu = process.cpuUsage();
const started = performance.now();
let rounds = 0;
while (performance.now() - started < seconds * 1000) {
  await round();
  rounds += 1;
}
const wallS = (performance.now() - started) / 1000;
const used = process.cpuUsage(cpu);
console.log(
  JSON.stringify({ probes: rounds * targets, ok, wallS, cpuS: (used.user + used.system) / 1e6 }),
);
await pool.close();
