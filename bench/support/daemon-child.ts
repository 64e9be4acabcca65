import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { startBenchDaemon } from './scheduled-daemon.js';

/**
 * Our probe daemon in its own process, so a benchmark can read its CPU time.
 *   daemon-child.ts CONFIG                 serve; prints {"url", "pid"} when listening
 *   daemon-child.ts CONFIG scheduled SECS N  also probes its N scheduled targets in a loop for
 *                                            SECS seconds, prints what it did, and serves on
 *   … scheduled SECS N PROFILE               and writes a CPU profile of those rounds only
 *                                            (not start-up or warm-up) to the file PROFILE
 */
const [configFile, mode, seconds, targetCount, profileFile] = process.argv.slice(2);
if (!configFile) throw new Error('usage: daemon-child.ts CONFIG [scheduled SECONDS]');

const daemon = await startBenchDaemon(configFile);
console.log(JSON.stringify({ url: daemon.url, pid: process.pid }));

if (mode === 'scheduled') {
  const targets = Number(targetCount ?? 0);
  await daemon.probeScheduledTargets(); // warm-up: opens the connections
  console.log(JSON.stringify({ warm: true }));
  await new Promise((resolve) => setTimeout(resolve, 300)); // lets the parent read counters
  const durationMs = Number(seconds ?? 10) * 1000;
  const profiler = profileFile ? await startProfiler() : undefined;
  const cpu = process.cpuUsage();
  const started = performance.now();
  let rounds = 0;
  while (performance.now() - started < durationMs) {
    await daemon.probeScheduledTargets();
    rounds += 1;
  }
  const wallS = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  if (profiler && profileFile) await profiler.stopInto(profileFile);
  console.log(
    JSON.stringify({
      rounds,
      probes: rounds * targets,
      wallS,
      cpuS: (used.user + used.system) / 1e6,
    }),
  );
}

/** The V8 profiler through the inspector, so a profile covers only what runs between. */
async function startProfiler(): Promise<{ stopInto(file: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stopInto(file) {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
