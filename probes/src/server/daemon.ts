import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { buildCollectors } from '../collectors/build.js';
import type { Collector } from '../collectors/types.js';
import { loadProbeConfig, type LoadedConfig } from '../config/prepare.js';
import { SelfMetrics } from '../metrics/self-metrics.js';
import { ScheduledResults } from '../scheduler/results.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { errorMessage } from '../util/errors.js';
import { createProbeEndpoint } from './probe-endpoint.js';
import { PROMETHEUS_CONTENT_TYPE, sendText } from './respond.js';

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
  reload(): Promise<{ ok: true } | { ok: false; error: string }>;
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
  let loaded: LoadedConfig = loadProbeConfig(options.configFile);
  metrics.reloadSuccessful.set(1);
  metrics.reloadTimestamp.setToCurrentTime();
  let scheduler = new Scheduler(loaded, metrics, results, logger);
  let collectors: Collector[] = buildCollectors(loaded.config, options.configFile, logger);

  const reload = async (): Promise<{ ok: true } | { ok: false; error: string }> => {
    let next: LoadedConfig;
    try {
      next = loadProbeConfig(options.configFile);
    } catch (error) {
      metrics.reloadSuccessful.set(0);
      logger.error(
        { err: errorMessage(error) },
        'config reload failed; keeping the running config',
      );
      return { ok: false, error: errorMessage(error) };
    }
    await scheduler.stop();
    await Promise.all(collectors.map((c) => c.stop()));
    const previous = loaded;
    loaded = next;
    results.retain(new Set(next.targets.map((t) => t.key)));
    scheduler = new Scheduler(next, metrics, results, logger);
    collectors = buildCollectors(next.config, options.configFile, logger);
    if (next.config.scheduler.enabled) scheduler.start();
    for (const collector of collectors) collector.start();
    metrics.reloadSuccessful.set(1);
    metrics.reloadTimestamp.setToCurrentTime();
    logger.info({ targets: next.targets.length, modules: next.modules.size }, 'config reloaded');
    await previous.close();
    return { ok: true };
  };

  const probeEndpoint = createProbeEndpoint({ config: () => loaded, metrics });
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const route = `${request.method ?? 'GET'} ${url.pathname}`;
    const handle = async (): Promise<void> => {
      switch (route) {
        case 'GET /probe':
          return probeEndpoint(request, response, url.searchParams);
        case 'GET /metrics':
          return sendText(
            response,
            200,
            (await metrics.registry.metrics()) +
              results.render() +
              collectors.map((c) => c.render()).join(''),
            PROMETHEUS_CONTENT_TYPE,
          );
        case 'GET /-/healthy':
          return sendText(response, 200, 'Healthy\n');
        case 'GET /-/ready':
          return sendText(response, 200, 'Ready\n');
        case 'POST /-/reload': {
          const result = await reload();
          return result.ok
            ? sendText(response, 200, 'OK\n')
            : sendText(response, 500, `failed to reload config: ${result.error}\n`);
        }
        case 'GET /':
          return sendText(response, 200, indexPage(loaded));
        default:
          return sendText(
            response,
            404,
            `Not found: ${route}. Endpoints: GET /probe, GET /metrics, GET /-/healthy, GET /-/ready, POST /-/reload\n`,
          );
      }
    };
    handle().catch((error: unknown) => {
      logger.error({ err: errorMessage(error), route }, 'request failed');
      if (!response.headersSent)
        sendText(response, 500, `internal error: ${errorMessage(error)}\n`);
      else response.destroy();
    });
  });

  const { host, port } = parseListen(options.listen ?? loaded.config.server.listen);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  if (loaded.config.scheduler.enabled) scheduler.start();
  for (const collector of collectors) collector.start();
  const onHangup = (): void => void reload();
  process.on('SIGHUP', onHangup);
  logger.info({ url, targets: loaded.targets.length }, 'probe daemon listening');

  let stopped = false;
  return {
    url,
    port: address.port,
    reload,
    probeScheduledTargets: () => scheduler.probeAll(),
    collectNow: async () => {
      await Promise.all(collectors.map((c) => c.collectNow()));
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      process.off('SIGHUP', onHangup);
      await scheduler.stop();
      await Promise.all(collectors.map((c) => c.stop()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await loaded.close();
    },
  };
}

export function parseListen(listen: string): { host: string; port: number } {
  const match = /^\[?([^\]]*?)\]?:(\d+)$/.exec(listen);
  if (!match) throw new Error(`listen address "${listen}" must be host:port, e.g. 127.0.0.1:9701`);
  return { host: match[1] ?? '127.0.0.1', port: Number(match[2]) };
}

function indexPage(loaded: LoadedConfig): string {
  const targets = loaded.targets.map(
    (t) => `  layer ${t.labels.layer}  ${t.labels.name}  ${t.target}  (${t.module.name})`,
  );
  return [
    'Layerwatch probe daemon',
    '',
    'GET  /probe?target=URL&module=NAME[&debug=true]   blackbox_exporter-compatible probe',
    'GET  /metrics                                      scheduled results and self-metrics',
    'GET  /-/healthy, /-/ready;  POST /-/reload',
    '',
    `modules: ${[...loaded.modules.keys()].join(', ')}`,
    'scheduled targets:',
    ...targets,
    '',
  ].join('\n');
}
