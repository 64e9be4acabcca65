import { startDaemon } from '@layerwatch/probes';
import { pino } from 'pino';

/**
 * Our probe daemon for a footprint measurement (run with `--expose-gc`):
 *   footprint-daemon.ts CONFIG ROUNDS
 * probes its scheduled targets ROUNDS times (every target has a result), collects garbage,
 * then prints {"url", "pid", "heapUsed"} and serves until SIGTERM.
 */
const [configFile, roundsArg] = process.argv.slice(2);
if (!configFile) throw new Error('usage: footprint-daemon.ts CONFIG ROUNDS');

const daemon = await startDaemon({
  configFile,
  listen: '127.0.0.1:0',
  logger: pino({ level: 'silent' }),
});
process.on('SIGTERM', () => {
  void daemon.stop().then(() => process.exit(0));
});
const rounds = Number(roundsArg ?? 3);
for (let i = 0; i < rounds; i += 1) await daemon.probeScheduledTargets();
await settle();
console.log(
  JSON.stringify({ url: daemon.url, pid: process.pid, heapUsed: process.memoryUsage().heapUsed }),
);

/** Two full collections with a pause between, so RSS shows what is live, not garbage. */
async function settle(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('footprint children run with --expose-gc');
  for (let i = 0; i < 2; i += 1) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
