import { Agent, request } from 'undici';

/**
 * The peer for scheduled mode: a bare `undici.request` loop with keep-alive, the same
 * targets and concurrency, nothing else (no deadline, no series).
 *   undici-peer.ts PORT TARGETS CONCURRENCY SECONDS
 * prints {"warm": true} after a warm-up round, then {"probes", "ok", "wallS", "cpuS"}.
 */
const [port = 0, targets = 0, concurrency = 0, seconds = 0] = process.argv.slice(2).map(Number);
if (!port || !targets || !concurrency || !seconds) {
  throw new Error('usage: undici-peer.ts PORT TARGETS CONCURRENCY SECONDS');
}
const dispatcher = new Agent({ connections: concurrency, keepAliveTimeout: 60_000 });
const urls = Array.from({ length: targets }, (_, i) => `http://127.0.0.1:${port}/t/${i}`);
let ok = 0;

async function round(): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < urls.length) {
      const url = urls[next++];
      if (url === undefined) break;
      const response = await request(url, { dispatcher });
      await response.body.arrayBuffer();
      if (response.statusCode >= 200 && response.statusCode < 300) ok += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
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
await dispatcher.close();
