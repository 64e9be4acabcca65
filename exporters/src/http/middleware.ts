import type { ServerResponse } from 'node:http';
import { context as contextApi, trace } from '@opentelemetry/api';
import type { TraceContextMode } from '../config/options.js';
import type { GuardedHistogram } from '../instruments/guarded.js';
import { serverSpan } from '../trace/context.js';
import { track, type InFlight } from './in-flight.js';
import { requestMethod, routeTemplate, type RoutedRequest } from './route.js';

export type RequestHistogram = GuardedHistogram<
  'http.request.method' | 'http.route',
  'http.response.status_code' | 'error.type'
>;

/** A Node/Express middleware: `app.use(instrumentation.requestMetrics)` before the routes. */
export type RequestMiddleware = (
  req: RoutedRequest,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Records `http.server.request.duration` for every request when its response finishes:
 * method, route template and status code. A request whose client went away first is
 * recorded with `error.type="aborted"` and no status code. With a trace-context mode, the
 * request's W3C trace labels the measurement's exemplar and is kept for `layerFetch`: with
 * the request (`request`), or also as the active context of everything it runs (`async`).
 * Nothing is written to the request or the response (see `in-flight.ts`).
 */
export function createRequestMiddleware(
  histogram: RequestHistogram,
  traceContext: TraceContextMode | false,
): RequestMiddleware {
  // One callback for every request, no closure per request.
  function done(request: InFlight, res: ServerResponse | undefined): void {
    const seconds = (performance.now() - request.started) / 1000;
    const req = request.req as RoutedRequest;
    const method = requestMethod(req.method);
    const route = routeTemplate(req);
    const labels =
      res !== undefined
        ? {
            'http.request.method': method,
            'http.route': route,
            'http.response.status_code': res.statusCode,
          }
        : { 'http.request.method': method, 'http.route': route, 'error.type': 'aborted' };
    histogram.recordInSpan(seconds, labels, request.span);
  }
  const runInContext = traceContext === 'async';
  return (req, res, next) => {
    const started = performance.now();
    const span = traceContext === false ? undefined : serverSpan(req.headers);
    track({ req, started, span, done }, res);
    if (runInContext && span !== undefined) {
      contextApi.with(trace.setSpanContext(contextApi.active(), span), next);
    } else next();
  };
}
