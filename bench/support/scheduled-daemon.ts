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
