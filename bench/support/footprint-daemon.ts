import { settleIdle, startBenchDaemon } from './scheduled-daemon.js';

/**
 * Our probe daemon for a footprint measurement (run with `--expose-gc`):
 *   footprint-daemon.ts CONFIG ROUNDS
 * probes its scheduled targets ROUNDS times (every target has a result), settles as an
 * idle daemon (`settleIdle`), then prints {"url", "pid", "heapUsed", "busyRss", "idleMs",
 * "shrank"} and serves until SIGTERM.
 */
const [configFile, roundsArg] = process.argv.slice(2);
if (!configFile) throw new Error('usage: footprint-daemon.ts CONFIG ROUNDS');

const daemon = await startBenchDaemon(configFile);
const rounds = Number(roundsArg ?? 3);
for (let i = 0; i < rounds; i += 1) await daemon.probeScheduledTargets();
const settled = await settleIdle();
console.log(
  JSON.stringify({
    url: daemon.url,
    pid: process.pid,
    heapUsed: process.memoryUsage().heapUsed,
    ...settled,
  }),
);
