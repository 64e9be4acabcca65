import type { IncomingMessage, ServerResponse } from 'node:http';
import { stringify } from 'yaml';
import type { LoadedConfig } from '../config/prepare.js';
import { serializeSamples } from '../format/exposition.js';
import { sharedSeries } from '../format/probe-series.js';
import type { SelfMetrics } from '../metrics/self-metrics.js';
import { runProbe } from '../probe-run/run-probe.js';
import { sendText, PROMETHEUS_CONTENT_TYPE } from './respond.js';

export interface ProbeEndpointOptions {
  readonly config: () => LoadedConfig;
  readonly metrics: SelfMetrics;
}

/**
 * `GET /probe?target=…&module=…[&debug=true]`, compatible with blackbox_exporter: same
 * parameters, same series, timeout from `X-Prometheus-Scrape-Timeout-Seconds` minus
 * `server.timeout_offset`, capped by the module's timeout. Beyond
 * `server.max_concurrent_probes` probes in flight it answers 503 at once.
 */
export function createProbeEndpoint(options: ProbeEndpointOptions) {
  let inFlight = 0;
  // Its label child made once: a labelled inc/dec re-hashes the labels on every call.
  const inFlightGauge = options.metrics.inFlight.labels({ mode: 'endpoint' });
  return async (
    request: IncomingMessage,
    response: ServerResponse,
    query: URLSearchParams,
  ): Promise<void> => {
    const loaded = options.config();
    const target = query.get('target');
    const moduleName = query.get('module') ?? 'http_2xx';
    if (!target) return sendText(response, 400, 'Target parameter is missing\n');
    const module = loaded.modules.get(moduleName);
    if (!module) {
      const known = [...loaded.modules.keys()].join(', ');
      return sendText(
        response,
        400,
        `Unknown module "${moduleName}": configured modules are ${known}\n`,
      );
    }
    const limit = loaded.config.server.max_concurrent_probes;
    if (inFlight >= limit) {
      options.metrics.rejections.inc({ mode: 'endpoint' });
      return sendText(
        response,
        503,
        `Too many concurrent probes (server.max_concurrent_probes is ${limit}); retry later or raise the limit\n`,
      );
    }
    const timeoutMs = probeTimeout(request, module.timeoutMs, loaded.config.server.timeout_offset);
    const debug = query.get('debug') === 'true';
    inFlight += 1;
    inFlightGauge.inc();
    try {
      const run = await runProbe(module, target, timeoutMs, debug);
      options.metrics.recordProbe(
        'endpoint',
        module.name,
        module.prober,
        run.outcome.success ? undefined : run.outcome.reason,
      );
      const body = serializeSamples([
        ...sharedSeries(run.outcome.success, run.durationSeconds),
        ...run.samples,
      ]);
      if (!debug) return sendText(response, 200, body, PROMETHEUS_CONTENT_TYPE);
      const moduleYaml = stringify({ [module.name]: module.config });
      return sendText(
        response,
        200,
        `Logs for the probe:\n${run.log.join('\n')}\n\n\nMetrics that would have been returned:\n${body}\n\n\nModule configuration:\n${moduleYaml}`,
      );
    } finally {
      inFlight -= 1;
      inFlightGauge.dec();
    }
  };
}

/** blackbox_exporter's rule: scrape timeout minus the offset, unless the module's is shorter. */
export function probeTimeout(
  request: IncomingMessage,
  moduleTimeoutMs: number,
  offsetMs: number,
): number {
  const header = Number(request.headers['x-prometheus-scrape-timeout-seconds']);
  if (!Number.isFinite(header) || header <= 0) return moduleTimeoutMs;
  const fromScrape = header * 1000 - offsetMs;
  return fromScrape > 0 && fromScrape < moduleTimeoutMs ? fromScrape : moduleTimeoutMs;
}
