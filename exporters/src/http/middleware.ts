import type { ServerResponse } from 'node:http';
import { context as contextApi, trace } from '@opentelemetry/api';
import type { TraceContextMode } from '../config/options.js';
import type { GuardedHistogram } from '../instruments/guarded.js';
import { rememberRequestSpan, requestSpanOf, serverSpan } from '../trace/context.js';
import { requestMethod, routeTemplate, type RoutedRequest } from './route.js';

export type RequestHistogram = GuardedHistogram<
  'http.request.method' | 'http.route',
  'http.response.status_code' | 'error.type'
>;

/** A Node/Express middleware: `app.use(telemetry.requestMetrics)` before the routes. */
export type RequestMiddleware = (
  req: RoutedRequest,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/** What the middleware keeps on the response until it closes: no closure per request. */
const STARTED = Symbol('layerwatch.started');
interface Tracked extends ServerResponse {
  [STARTED]?: number;
}

/**
 * Records `http.server.request.duration` for every request when its response closes:
 * method, route template and status code. A request whose client went away first is
 * recorded with `error.type="aborted"` and no status code. With a trace-context mode, the
 * request's W3C trace labels the measurement's exemplar and is kept for `layerFetch`: with
 * the request (`request`), or also as the active context of everything it runs (`async`).
 */
export function createRequestMiddleware(
  histogram: RequestHistogram,
  traceContext: TraceContextMode | false,
): RequestMiddleware {
  // One listener function for every response; EventEmitter calls it with `this` = the response.
  function onClose(this: Tracked): void {
    const seconds = (performance.now() - (this[STARTED] ?? 0)) / 1000;
    const req = this.req as RoutedRequest;
    const method = requestMethod(req.method);
    const route = routeTemplate(req);
    const labels = this.writableFinished
      ? {
          'http.request.method': method,
          'http.route': route,
          'http.response.status_code': this.statusCode,
        }
      : { 'http.request.method': method, 'http.route': route, 'error.type': 'aborted' };
    histogram.recordInSpan(seconds, labels, requestSpanOf(req));
  }
  const runInContext = traceContext === 'async';
  return (req, res: Tracked, next) => {
    res[STARTED] = performance.now();
    res.on('close', onClose);
    if (traceContext === false) {
      next();
      return;
    }
    const span = serverSpan(req.headers);
    rememberRequestSpan(req, span);
    if (runInContext) contextApi.with(trace.setSpanContext(contextApi.active(), span), next);
    else next();
  };
}
