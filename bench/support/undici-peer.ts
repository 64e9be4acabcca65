import { Pool } from 'undici';

/**
 * The peer for scheduled mode: what a careful engineer writes with undici alone. One
 * keep-alive `Pool` for the one origin with as many connections as the concurrency, the
 * request paths built once, and each body consumed with `body.dump()` (discards without
 * buffering). No deadline, no series.
 *   undici-peer.ts PORT TARGETS CONCURRENCY SECONDS
 * prints {"warm": true} after a warm-up round, then {"probes", "ok", "wallS", "cpuS"}.
 */
const [port = 0, targets = 0, concurrency = 0, seconds = 0] = process.argv.slice(2).map(Number);
if (!port || !targets || !concurrency || !seconds) {
  throw new Error('usage: undici-peer.ts PORT TARGETS CONCURRENCY SECONDS');
}
const pool = new Pool(`http://127.0.0.1:${port}`, {
  connections: concurrency,
  pipelining: 1,
  keepAliveTimeout: 60_000,
});
const paths = Array.from({ length: targets }, (_, i) => `/t/${i}`);
let ok = 0;
let next = 0;

async function worker(): Promise<void> {
  while (next < paths.length) {
    const path = paths[next++] ?? '/';
    const { statusCode, body } = await pool.request({ path, method: 'GET' });
    await body.dump();
    if (statusCode >= 200 && statusCode < 300) ok += 1;
  }
}

async function round(): Promise<void> {
  next = 0;
  const workers: Promise<void>[] = [];
  for (let i = 0; i < concurrency; i += 1) workers.push(worker());
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
