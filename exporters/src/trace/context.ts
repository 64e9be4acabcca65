import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import {
  context as contextApi,
  isSpanContextValid,
  ROOT_CONTEXT,
  trace,
  type Context,
  type SpanContext,
  type TextMapGetter,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { inFlightOf } from '../http/in-flight.js';
import { newRootSpan, newSpanId, snapshot } from './ids.js';

/** W3C `traceparent`/`tracestate`, OpenTelemetry's own implementation. */
export const propagator = new W3CTraceContextPropagator();

const headerGetter: TextMapGetter<IncomingHttpHeaders> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, key) => headers[key],
};

/** Set once: every later call waits for the same installation. */
let installing: Promise<void> | undefined;

/** A request's remembered span as a context, a context as is, or the active one. */
export function parentContext(parent: object | undefined): Context {
  if (parent === undefined) return contextApi.active();
  if (typeof (parent as Partial<Context>).getValue === 'function') return parent as Context;
  const span = inFlightOf(parent as IncomingMessage)?.span;
  // A copy: the request's record (and its span) is reused once the request is recorded.
  return span === undefined
    ? contextApi.active()
    : trace.setSpanContext(ROOT_CONTEXT, snapshot(span));
}

/**
 * Makes `context.with` carry across `await`s. Installs an AsyncLocalStorage context manager
 * unless one is already registered (e.g. by `@opentelemetry/sdk-node`), which is then used.
 * Its package is loaded only here, for `traceContext: 'async'`.
 */
export function ensureContextManager(): Promise<void> {
  installing ??= import('@opentelemetry/context-async-hooks').then(
    ({ AsyncLocalStorageContextManager }) => {
      const manager = new AsyncLocalStorageContextManager().enable();
      if (!contextApi.setGlobalContextManager(manager)) manager.disable();
    },
  );
  return installing;
}

/**
 * The active context's span, when an instrumentation started one: the span a request runs
 * in before any of ours (then `incomingSpan`, or the middleware's own new trace). No span is
 * recorded; the IDs exist to be propagated and to label exemplars.
 */
export function activeSpan(): SpanContext | undefined {
  return trace.getSpanContext(contextApi.active());
}

/** A new span ID continuing the caller's `traceparent`, or a new trace: valid either way. */
export function incomingSpan(headers: IncomingHttpHeaders): SpanContext {
  if (headers.traceparent === undefined) return childOf(undefined);
  return childOf(trace.getSpanContext(propagator.extract(ROOT_CONTEXT, headers, headerGetter)));
}

/** A span context for a new hop: the parent's trace, or a new unsampled trace. */
export function childOf(parent: SpanContext | undefined): SpanContext {
  if (parent === undefined || !isSpanContextValid(parent)) return newRootSpan();
  return {
    traceId: parent.traceId,
    spanId: newSpanId(),
    traceFlags: parent.traceFlags,
    ...(parent.traceState && { traceState: parent.traceState }),
  };
}

/** Writes `traceparent` (and `tracestate`) for `ctx` into `headers`. */
export function injectTraceContext(ctx: Context, headers: Headers): void {
  propagator.inject(ctx, headers, {
    set: (carrier, key, value) => carrier.set(key, value),
  });
}
