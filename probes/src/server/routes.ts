import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { LoadedConfig } from '../config/prepare.js';
import type { SelfMetrics } from '../metrics/self-metrics.js';
import type { ScheduledResults } from '../scheduler/results.js';
import { errorMessage } from '../util/errors.js';
import type { createProbeEndpoint } from './probe-endpoint.js';
import { PROMETHEUS_CONTENT_TYPE, sendBytes, sendText } from './respond.js';
import type { RunningConfig } from './running-config.js';

export interface DaemonRoutes {
  readonly running: RunningConfig;
  readonly metrics: SelfMetrics;
  readonly results: ScheduledResults;
  readonly probe: ReturnType<typeof createProbeEndpoint>;
  readonly logger: Logger;
}

/** The daemon's endpoints by method and path; a handler that fails answers 500, never throws. */
export function daemonRequestHandler(
  routes: DaemonRoutes,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const route = `${request.method ?? 'GET'} ${url.pathname}`;
    respond(routes, route, request, response, url).catch((error: unknown) => {
      routes.logger.error({ err: errorMessage(error), route }, 'request failed');
      if (!response.headersSent)
        sendText(response, 500, `internal error: ${errorMessage(error)}\n`);
      else response.destroy();
    });
  };
}

async function respond(
  routes: DaemonRoutes,
  route: string,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<void> {
  const { running, metrics, results } = routes;
  switch (route) {
    case 'GET /probe':
      return routes.probe(request, response, url.searchParams);
    case 'GET /metrics':
      // Three parts written as they are: the scheduled results (megabytes at 10,000
      // targets) are never turned into a string, joined or encoded again.
      return sendBytes(
        response,
        200,
        [
          Buffer.from(await metrics.registry.metrics(), 'utf8'),
          results.renderBytes(),
          Buffer.from(running.renderCollectors(), 'utf8'),
        ],
        PROMETHEUS_CONTENT_TYPE,
      );
    case 'GET /-/healthy':
      return sendText(response, 200, 'Healthy\n');
    case 'GET /-/ready':
      return sendText(response, 200, 'Ready\n');
    case 'POST /-/reload': {
      const result = await running.reload();
      return result.ok
        ? sendText(response, 200, 'OK\n')
        : sendText(response, 500, `failed to reload config: ${result.error}\n`);
    }
    case 'GET /':
      return sendText(response, 200, indexPage(running.loaded));
    default:
      return sendText(
        response,
        404,
        `Not found: ${route}. Endpoints: GET /probe, GET /metrics, GET /-/healthy, GET /-/ready, POST /-/reload\n`,
      );
  }
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
