import type { ServerResponse } from 'node:http';
import { context as contextApi, isSpanContextValid, trace } from '@opentelemetry/api';
import type { TraceContextMode } from '../config/options.js';
import { activeSpan, incomingSpan } from '../trace/context.js';
import { snapshot } from '../trace/ids.js';
import { track, type InFlight } from './in-flight.js';
import { ABORTED, RequestSeries, type RequestHistogram } from './request-series.js';
import { routeTemplate, type RoutedRequest } from './route.js';

/** A Node/Express middleware: `app.use(instrumentation.requestMetrics)` before the routes. */
/** `performance.timeOrigin`, read once: a getter, and fixed for the process's life. */
const TIME_ORIGIN = performance.timeOrigin;

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
  const series = new RequestSeries(histogram);
  // One callback for every request, no closure per request; one clock read at the end, for
  // the duration and the exemplar's time alike.
  function done(request: InFlight, res: ServerResponse | undefined): void {
    const now = performance.now();
    const req = request.req as RoutedRequest;
    const found = series.get(
      routeTemplate(req),
      req.method,
      res !== undefined ? res.statusCode : ABORTED,
    );
    if (found === undefined) return;
    const exemplar = request.valid ? request.span : undefined;
    histogram.observeValid(found, (now - request.started) / 1000, exemplar, TIME_ORIGIN + now);
  }
  const runInContext = traceContext === 'async';
  return (req, res, next) => {
    const started = performance.now();
    // The connection's record, reused: nothing allocated per request here.
    const request = track(req, res, done);
    request.started = started;
    if (traceContext === false) {
      next();
      return;
    }
    // The span the request runs in, and whether it is valid: ours always, an active one
    // (another instrumentation's) checked once.
    const active = activeSpan();
    if (active !== undefined) {
      request.span = active;
      request.valid = isSpanContextValid(active);
    } else if (req.headers.traceparent !== undefined) {
      request.span = incomingSpan(req.headers);
      request.valid = true;
    } else {
      // A new trace: its IDs are drawn as bytes and written as hex only if read.
      request.newRootSpan();
    }
    const span = request.span;
    if (runInContext && span !== undefined) {
      // The context may outlive the request (and its reused record): a span of its own.
      contextApi.with(trace.setSpanContext(contextApi.active(), snapshot(span)), next);
    } else next();
  };
}
