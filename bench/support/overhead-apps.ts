import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type * as Exporters from '@layerwatch/exporters';
import type express from 'express';
import { pathToFileURL } from 'node:url';

/**
 * The apps `bench/exporters-overhead.ts` compares: a minimal Express app with the same
 * routes in every variant, after the variant's middleware (none, a no-op, ours, ours with
 * `traceContext: 'async'`, or OpenTelemetry's auto-instrumentation). Two more take ours
 * apart: `loaded` starts the instrumentation (its modules and heap) but uses a no-op
 * middleware and its own `/metrics` text; `ours-untraced` is ours with `traceContext: false`
 * (no span IDs, no exemplars). `baseline` is ours from another build of the package, the
 * `index.js` that `BENCH_BASELINE` names (e.g. an earlier commit's `dist/src`), to compare
 * two versions in the same run.
 */
export type AppVariant =
  'bare' | 'noop' | 'loaded' | 'ours-untraced' | 'baseline' | 'ours' | 'ours-async' | 'auto';

/** One app: the routes every variant has, after the variant's middleware. */
export async function createApp(variant: AppVariant): Promise<express.Express> {
  const require = createRequire(import.meta.url);
  let spans = (): number => 0;
  if (variant === 'auto') spans = await autoInstrument();
  // Required after the instrumentations, so that their require hooks patch express and http.
  const createExpress = require('express') as typeof express;
  const app = createExpress();
  let metrics: express.RequestHandler = (_req, res) => {
    res.type('text/plain').send('# no metrics\n');
  };
  if (
    variant === 'ours' ||
    variant === 'ours-async' ||
    variant === 'ours-untraced' ||
    variant === 'baseline'
  ) {
    const baseline = process.env.BENCH_BASELINE;
    if (variant === 'baseline' && baseline === undefined) throw new Error('set BENCH_BASELINE');
    const { startLayerInstrumentation } = (await import(
      variant === 'baseline' ? pathToFileURL(baseline ?? '').href : '@layerwatch/exporters'
    )) as typeof Exporters;
    const instrumentation = await startLayerInstrumentation({
      serviceName: 'bench',
      layer: '4',
      env: {},
      traceContext:
        variant === 'ours-async' ? 'async' : variant === 'ours-untraced' ? false : 'request',
    });
    app.use(instrumentation.requestMetrics);
    metrics = instrumentation.metricsHandler;
  } else if (variant === 'noop' || variant === 'loaded') {
    if (variant === 'loaded') {
      const { startLayerInstrumentation } = await import('@layerwatch/exporters');
      await startLayerInstrumentation({ serviceName: 'bench', layer: '4', env: {} });
    }
    app.use((_req, _res, next) => {
      next();
    });
  }
  app.get('/metrics', metrics);
  app.get('/items/:id', (req, res) => {
    res.json({ id: req.params.id });
  });
  app.get('/-/spans', (_req, res) => {
    res.json({ spans: spans() });
  });
  return app;
}

export function listen(app: express.Express): Promise<number> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** What a user of auto-instrumentation runs: a tracer provider, a meter provider, http + express. */
async function autoInstrument(): Promise<() => number> {
  const { metrics } = await import('@opentelemetry/api');
  const { NodeTracerProvider } = await import('@opentelemetry/sdk-trace-node');
  const { MeterProvider, MetricReader } = await import('@opentelemetry/sdk-metrics');
  const { HttpInstrumentation } = await import('@opentelemetry/instrumentation-http');
  const { ExpressInstrumentation } = await import('@opentelemetry/instrumentation-express');
  let ended = 0;
  const provider = new NodeTracerProvider({
    spanProcessors: [
      {
        onStart: () => undefined,
        onEnd: () => void (ended += 1),
        forceFlush: () => Promise.resolve(),
        shutdown: () => Promise.resolve(),
      },
    ],
  });
  provider.register();
  class PullReader extends MetricReader {
    protected override onForceFlush(): Promise<void> {
      return Promise.resolve();
    }
    protected override onShutdown(): Promise<void> {
      return Promise.resolve();
    }
  }
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [new PullReader()] }));
  new HttpInstrumentation().enable();
  new ExpressInstrumentation().enable();
  return () => ended;
}
