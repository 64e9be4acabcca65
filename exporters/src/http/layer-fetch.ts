import type { IncomingMessage } from 'node:http';
import { context as contextApi, trace, type Context } from '@opentelemetry/api';
import type { GuardedCounter, GuardedHistogram } from '../instruments/guarded.js';
import { childOf, injectTraceContext, parentContext } from '../trace/context.js';

/** `fetch`'s options, plus the request (or context) whose trace the call continues. */
export interface LayerFetchInit extends RequestInit {
  /**
   * The incoming request being served (its trace is continued), or an OpenTelemetry
   * context. @default the active context; with none, the call starts a new trace
   */
  parent?: IncomingMessage | Context;
}

/** `fetch` to another layer: same arguments after the target layer, same answer. */
export type LayerFetch = (
  toLayer: string,
  url: string | URL,
  init?: LayerFetchInit,
) => Promise<Response>;

export type CrossLayerHistogram = GuardedHistogram<'from_layer' | 'to_layer'>;
export type CrossLayerErrors = GuardedCounter<'from_layer' | 'to_layer' | 'error.type'>;

/**
 * Calls another layer with the W3C trace of `init.parent` (or the active one) propagated:
 * `traceparent` with a new child span ID, or a new trace when there is none and records the time to the response headers in
 * `layerwatch_cross_layer_request_duration_seconds{from_layer,to_layer}`, its trace as the
 * exemplar. Answers without a response, and 5xx answers, also count in
 * `layerwatch_cross_layer_request_errors_total`. Errors reach the caller unchanged.
 */
export function createLayerFetch(
  fromLayer: string,
  histogram: CrossLayerHistogram,
  errors: CrossLayerErrors,
  fetchImpl: typeof fetch = fetch,
): LayerFetch {
  return async (toLayer, url, { parent: from, ...init } = {}) => {
    const parent = parentContext(from);
    const ctx = trace.setSpanContext(parent, childOf(trace.getSpanContext(parent)));
    const headers = new Headers(init.headers);
    injectTraceContext(ctx, headers);
    const labels = { from_layer: fromLayer, to_layer: toLayer };
    const started = performance.now();
    try {
      const response = await contextApi.with(ctx, () => fetchImpl(url, { ...init, headers }));
      histogram.record((performance.now() - started) / 1000, labels, ctx);
      if (response.status >= 500) errors.inc({ ...labels, 'error.type': String(response.status) });
      return response;
    } catch (error) {
      histogram.record((performance.now() - started) / 1000, labels, ctx);
      errors.inc({ ...labels, 'error.type': errorType(error) });
      throw error;
    }
  };
}

/** `timeout`, `aborted` or `network`: a closed set, whatever the error text says. */
export function errorType(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError') return 'timeout';
  if (name === 'AbortError') return 'aborted';
  return 'network';
}
