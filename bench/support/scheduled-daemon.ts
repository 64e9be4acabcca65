import type { RunningDaemon } from '@layerwatch/probes';
import { stringify } from 'yaml';

/**
 * What the scheduled benchmarks share: the config of N HTTP targets on one loopback server
 * (bench/scheduled.ts, bench/scheduled-footprint.ts), and the daemon their children start
 * with it (support/daemon-child.ts, support/footprint-daemon.ts).
 */
export interface ScheduledConfig {
  /** The target server's port: target i is `http://127.0.0.1:PORT/t/i`. */
  readonly port: number;
  readonly targets: number;
  /** `scheduler.max_concurrent_probes`. */
  readonly concurrency: number;
  /** `scheduler.worker_threads` (0: probes on the main thread). */
  readonly workerThreads?: number;
}

/**
 * The config YAML: one layer of `targets` HTTP targets, one `http_2xx` module. Cron never
 * fires during a run (hourly, and the scheduler is off): the bench drives the rounds itself
 * through `probeScheduledTargets()`.
 */
export function scheduledConfigYaml(options: ScheduledConfig): string {
  const { port, targets, concurrency, workerThreads = 0 } = options;
  return stringify({
    scheduler: {
      enabled: false,
      default_schedule: '0 0 * * * *',
      max_concurrent_probes: concurrency,
      worker_threads: workerThreads,
    },
    modules: { http_2xx: { prober: 'http', timeout: '5s' } },
    layers: [
      {
        layer: '1',
        name: 'bench',
        targets: Array.from({ length: targets }, (_, i) => ({
          name: `t${i}`,
          target: `http://127.0.0.1:${port}/t/${i}`,
          module: 'http_2xx',
        })),
      },
    ],
  });
}

/**
 * Our probe daemon in a benchmark's child process: the config file, an ephemeral loopback
 * port, no logs; SIGTERM stops it and exits. The package is imported here, not at the top,
 * so a parent that only writes configs does not load it.
 */
export async function startBenchDaemon(configFile: string): Promise<RunningDaemon> {
  const [{ startDaemon }, { pino }] = await Promise.all([
    import('@layerwatch/probes'),
    import('pino'),
  ]);
  const daemon = await startDaemon({
    configFile,
    listen: '127.0.0.1:0',
    logger: pino({ level: 'silent' }),
  });
  process.on('SIGTERM', () => {
    void daemon.stop().then(() => process.exit(0));
  });
  return daemon;
}

/** How long `settleIdle` waits at most for V8 to shrink the young generation on its own. */
const IDLE_MAX_MS = Number(process.env.BENCH_IDLE_MS ?? 20_000);
/** The young generation's size once V8's memory reducer has shrunk it (1–2 MiB here). */
const SHRUNK_NEW_SPACE = 4 * 2 ** 20;

export interface Settled {
  /** RSS (bytes) after the work and two full collections, before the idle wait. */
  readonly busyRss: number;
  /** How long the process then sat idle (ms), and whether the young generation shrank. */
  readonly idleMs: number;
  readonly shrank: boolean;
}

/**
 * Lets a footprint child (run with `--expose-gc`) settle as an idle daemon does: two full
 * collections (`busyRss` is read then); then idle, with a full collection a second, as V8's
 * memory reducer does in a process that idles, until V8 has shrunk the young generation
 * (which it does once it sees a low allocation rate for a while) or `IDLE_MAX_MS` has
 * passed. Nothing else is released: the RSS read afterwards is the process's real RSS.
 */
export async function settleIdle(): Promise<Settled> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('footprint children run with --expose-gc');
  const { getHeapSpaceStatistics } = await import('node:v8');
  const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  for (let i = 0; i < 2; i += 1) {
    gc();
    await pause(200);
  }
  const busyRss = process.memoryUsage().rss;
  const started = performance.now();
  const newSpace = (): number =>
    getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
  let shrank = newSpace() <= SHRUNK_NEW_SPACE;
  while (!shrank && performance.now() - started < IDLE_MAX_MS) {
    await pause(1000);
    gc();
    shrank = newSpace() <= SHRUNK_NEW_SPACE;
  }
  const idleMs = performance.now() - started;
  await pause(300);
  return { busyRss, idleMs, shrank };
}
