import { Agent, request } from 'undici';

/**
 * The peer for scheduled mode: a bare `undici.request` loop with keep-alive, the same
 * targets and concurrency, nothing else (no deadline, no series).
 *   undici-peer.ts PORT TARGETS CONCURRENCY SECONDS   prints {"probes", "wallS", "cpuS"}
 */
const [port, targets, concurrency, seconds] = process.argv.slice(2).map(Number);
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
      const url = urls[next++] as string;
      const response = await request(url, { dispatcher });
      await response.body.arrayBuffer();
      if (response.statusCode >= 200 && response.statusCode < 300) ok += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

await round(); // warm-up
ok = 0;
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
