import type { LayerInstrumentation } from '@layerwatch/exporters';
import express, { type Express, type Router } from 'express';
import { actionDelay } from './action-delay.js';
import { controlRoutes } from './control-routes.js';
import { errorHandler, injectFault, latencyJitter, notFound } from './middleware.js';
import type { ServiceContext, ServiceModule } from './services/types.js';

export const SIM_VERSION = 'sim-0.1.0';

/**
 * One service's Express app. Order is the design: request metrics and `/metrics` (immune
 * to latency and faults), body parsing, latency, control routes (immune to faults), the
 * fault, then `/health` and the service's own routes.
 */
export function createServiceApp(
  context: ServiceContext,
  service: ServiceModule,
  latencyJitterMs: number,
  extraControl?: Router,
  instrumentation?: LayerInstrumentation,
): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag'); // health answers change every call; never 304 a probe
  if (instrumentation) {
    app.use(instrumentation.requestMetrics);
    app.get('/metrics', instrumentation.metricsHandler);
  }
  app.use(express.json({ limit: '64kb' }));
  app.use(latencyJitter(context, latencyJitterMs));
  const { control, routes } = service.create(context);
  const writes = actionDelay();
  app.use(writes.routes);
  app.use(controlRoutes(context));
  if (control) app.use(writes.delay, control);
  if (extraControl) app.use(extraControl);
  app.use(injectFault(context));
  app.get('/health', (_req, res) => {
    if (context.settings.maintenance) {
      res.status(503).json({ status: 'maintenance', service: context.name, layer: context.layer });
      return;
    }
    res.json({
      status: 'healthy',
      service: context.name,
      layer: context.layer,
      version: SIM_VERSION,
      uptime_seconds: Math.round(context.clock.now() - context.startedAt) / 1000,
    });
  });
  app.use(routes);
  app.use(notFound);
  app.use(errorHandler(context));
  return app;
}
