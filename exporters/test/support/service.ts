import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type Express } from 'express';
import { afterEach } from 'vitest';
import {
  startLayerInstrumentation,
  type LayerInstrumentation,
  type LayerInstrumentationOptions,
} from '../../src/index.js';

/**
 * A layer service as the README shows it: Express, our middleware first, `/metrics`
 * mounted, on a free loopback port. Everything started is stopped after each test.
 */
export interface TestService {
  readonly url: string;
  readonly app: Express;
  readonly instrumentation: LayerInstrumentation;
  /** GETs `path` on the service and reads the body. */
  get(path: string): Promise<string>;
  /** What Prometheus would scrape from the service's `/metrics`, in the text format. */
  metrics(): Promise<string>;
}

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** Instrumentation with an empty environment unless the test gives one, and errors collected. */
export async function startTestInstrumentation(
  options: LayerInstrumentationOptions = {},
): Promise<LayerInstrumentation> {
  const instrumentation = await startLayerInstrumentation({
    serviceName: 'test-service',
    serviceVersion: '1.0.0',
    layer: '4',
    env: {},
    onError: () => undefined,
    ...options,
  });
  cleanups.push(() => instrumentation.shutdown());
  return instrumentation;
}

/** Starts the service; `routes` adds the service's own routes after the middleware. */
export async function startTestService(
  routes: (app: Express, instrumentation: LayerInstrumentation) => void,
  options: LayerInstrumentationOptions = {},
): Promise<TestService> {
  const instrumentation = await startTestInstrumentation(options);
  const app = express();
  app.use(instrumentation.requestMetrics);
  app.get('/metrics', instrumentation.metricsHandler);
  routes(app, instrumentation);
  const server = await listen(app);
  cleanups.push(() => close(server));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    app,
    instrumentation,
    get: (path) => get(`${url}${path}`),
    metrics: async () => (await scrape(`${url}/metrics`)).body,
  };
}

export function listen(app: Express): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1', (error?: Error) =>
      error ? reject(error) : resolve(server),
    );
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** GET and read the body; for answers the test only needs to have happened. */
export async function get(url: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
  return response.text();
}

/** What Prometheus would scrape: `/metrics` as text, or as OpenMetrics. */
export async function scrape(
  url: string,
  format: 'text' | 'openmetrics' = 'text',
): Promise<{ status: number; contentType: string | null; body: string }> {
  const accept =
    format === 'openmetrics'
      ? 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'
      : 'text/plain;version=0.0.4;q=1,*/*;q=0.1';
  const response = await fetch(url, { headers: { accept }, signal: AbortSignal.timeout(10_000) });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: await response.text(),
  };
}

/** The sample lines of one metric family (`name` and its `_bucket`/`_sum`/`_count`). */
export function samples(exposition: string, name: string): string[] {
  return exposition
    .split('\n')
    .filter(
      (line) =>
        line.startsWith(`${name}{`) ||
        line.startsWith(`${name} `) ||
        line.startsWith(`${name}_bucket{`) ||
        line.startsWith(`${name}_sum`) ||
        line.startsWith(`${name}_count`),
    );
}
