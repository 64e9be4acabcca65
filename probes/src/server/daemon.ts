import { createServer } from 'node:http';
import { closeServer, listen, parseListenAddress } from '@layerwatch/local/net';
import { pino, type Logger } from 'pino';
import { SelfMetrics } from '../metrics/self-metrics.js';
import { ScheduledResults } from '../scheduler/results.js';
import { createProbeEndpoint } from './probe-endpoint.js';
import { daemonRequestHandler } from './routes.js';
import { RunningConfig, type ReloadResult } from './running-config.js';

export const VERSION = '0.1.0';

export interface DaemonOptions {
  readonly configFile: string;
  /** Overrides `server.listen` (tests pass `127.0.0.1:0`). */
  readonly listen?: string;
  readonly logger?: Logger;
}

export interface RunningDaemon {
  readonly url: string;
  readonly port: number;
  /** Re-reads the config file; a bad file keeps the running config and returns the error. */
  reload(): Promise<ReloadResult>;
  /** Probes every scheduled target once now (tests and benchmarks). */
  probeScheduledTargets(): Promise<void>;
  /** Runs every enabled collector once now (tests and benchmarks). */
  collectNow(): Promise<void>;
  stop(): Promise<void>;
}

/** The probe daemon: `/probe`, scheduled targets on `/metrics`, health and reload endpoints. */
export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const logger = options.logger ?? pino({ name: 'layerwatch-probes' });
  const metrics = new SelfMetrics(VERSION);
  const results = new ScheduledResults();
  const running = new RunningConfig(options.configFile, metrics, results, logger);
  const probe = createProbeEndpoint({ config: () => running.loaded, metrics });
  const server = createServer(daemonRequestHandler({ running, metrics, results, probe, logger }));

  const { host, port } = parseListenAddress(options.listen ?? running.loaded.config.server.listen);
  const address = await listen(server, port, host);
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  running.start();
  const onHangup = (): void => void running.reload();
  process.on('SIGHUP', onHangup);
  logger.info({ url, targets: running.loaded.targets.length }, 'probe daemon listening');

  let stopped = false;
  return {
    url,
    port: address.port,
    reload: () => running.reload(),
    probeScheduledTargets: () => running.probeAll(),
    collectNow: () => running.collectNow(),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      process.off('SIGHUP', onHangup);
      await running.stop();
      await closeServer(server);
      await running.close();
    },
  };
}
