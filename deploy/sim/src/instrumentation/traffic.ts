import type { LayerFetch } from '@layerwatch/exporters';

/** One simulated cross-layer call: who calls, which layer it reaches, where. */
export interface CrossLayerCall {
  readonly from: string;
  readonly fetch: LayerFetch;
  readonly toLayer: string;
  readonly url: string;
}

export interface CrossLayerTraffic {
  stop(): void;
}

/** A call that gets no answer within this gives up (a hanging fault must not pile calls up). */
export const CALL_TIMEOUT_MS = 2_000;

/**
 * Calls between the simulated layers every `intervalMs`, through `layerFetch`, so each
 * caller's `/metrics` shows `layerwatch_cross_layer_request_duration_seconds` and the callee
 * receives a `traceparent`. A call still running when the next tick comes is not repeated;
 * failures only count in the callers' error series.
 */
export function startCrossLayerTraffic(
  calls: readonly CrossLayerCall[],
  intervalMs: number,
  stopped: AbortSignal,
): CrossLayerTraffic {
  const inFlight = new Set<CrossLayerCall>();
  const tick = (): void => {
    for (const call of calls) {
      if (inFlight.has(call) || stopped.aborted) continue;
      inFlight.add(call);
      const signal = AbortSignal.any([stopped, AbortSignal.timeout(CALL_TIMEOUT_MS)]);
      void call
        .fetch(call.toLayer, call.url, { signal })
        .then((response) => response.arrayBuffer())
        .catch(() => undefined) // counted by layerFetch in layerwatch_cross_layer_request_errors_total
        .finally(() => inFlight.delete(call));
    }
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return { stop: () => clearInterval(timer) };
}
