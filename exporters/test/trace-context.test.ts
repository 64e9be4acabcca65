import { setTimeout as sleep } from 'node:timers/promises';
import type { Express } from 'express';
import { describe, expect, it } from 'vitest';
import type { LayerInstrumentation, TraceContextMode } from '../src/index.js';
import { promtoolCheckMetrics } from './support/promtool.js';
import { samples, scrape, startTestService } from './support/service.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${CALLER_SPAN}-01`;
const W3C = /^00-([0-9a-f]{32})-([0-9a-f]{16})-(0[01])$/;

interface Layers {
  a: { url: string; instrumentation: LayerInstrumentation };
  b: { url: string };
  /** `traceparent` headers service B received, in order. */
  received: string[];
}

/**
 * Two simulated layers in one process, each with its own instrumentation: A (layer 4) answers
 * `/start` by calling B (layer 7) through `layerFetch`; B records the `traceparent` it gets.
 */
async function startLayers(
  mode: TraceContextMode,
  call: (app: Express, t: LayerInstrumentation, b: () => string) => void,
): Promise<Layers> {
  const received: string[] = [];
  const b = await startTestService(
    (app) => {
      app.get('/work', (req, res) => {
        received.push(String(req.headers.traceparent));
        res.json({ ok: true });
      });
    },
    { serviceName: 'evolution', layer: '7', traceContext: mode },
  );
  const a = await startTestService(
    (app, instrumentation) => call(app, instrumentation, () => `${b.url}/work`),
    {
      serviceName: 'scheduler',
      layer: '4',
      traceContext: mode,
    },
  );
  return { a, b, received };
}

function exemplarsOf(exposition: string, name: string): { traceId: string; spanId: string }[] {
  return samples(exposition, name).flatMap((line) => {
    const match =
      / # \{trace_id="([0-9a-f]{32})",span_id="([0-9a-f]{16})"\} [0-9.e-]+ \d+\.\d{3}$/.exec(line);
    return match ? [{ traceId: match[1] as string, spanId: match[2] as string }] : [];
  });
}

describe('trace context across two simulated layers', () => {
  it("request mode: B receives A's trace, and A's cross-layer histogram has it as exemplar", async () => {
    const { a, received } = await startLayers('request', (app, instrumentation, bUrl) => {
      app.get('/start', async (req, res) => {
        await sleep(1); // the trace must survive an await: it travels with the request
        const answer = await instrumentation.layerFetch('7', bUrl(), { parent: req });
        res.status(answer.status).json(await answer.json());
      });
    });
    const response = await fetch(`${a.url}/start`, { headers: { traceparent: TRACEPARENT } });
    expect(response.status).toBe(200);

    expect(received).toHaveLength(1);
    const [, traceId, parentSpan, flags] = W3C.exec(received[0] as string) ?? [];
    expect(traceId).toBe(TRACE_ID);
    expect(parentSpan).not.toBe(CALLER_SPAN); // A's own hop, a new span ID
    expect(flags).toBe('01'); // the caller's sampling decision travels on

    const openMetrics = await scrape(`${a.url}/metrics`, 'openmetrics');
    expect(openMetrics.contentType).toBe(
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
    expect(openMetrics.body.endsWith('# EOF\n')).toBe(true);
    const crossLayer = 'layerwatch_cross_layer_request_duration_seconds';
    expect(
      samples(openMetrics.body, crossLayer).filter((l) => l.startsWith(`${crossLayer}_count`)),
    ).toEqual([`${crossLayer}_count{from_layer="4",to_layer="7",layer="4"} 1`]);
    expect(exemplarsOf(openMetrics.body, crossLayer)).toEqual([
      { traceId: TRACE_ID, spanId: parentSpan },
    ]);
    // A's request histogram carries the same trace, under A's server span.
    const requests = exemplarsOf(openMetrics.body, 'http_server_request_duration_seconds');
    expect(requests.map((e) => e.traceId)).toEqual([TRACE_ID]);

    // The text format has no exemplars and stays promtool-clean.
    const text = await scrape(`${a.url}/metrics`);
    expect(text.body).not.toContain('trace_id');
    expect(promtoolCheckMetrics(text.body)).toEqual({ status: 0, output: '' });
  });

  it('request mode: B continues the trace it received, so its own exemplar has the same trace ID', async () => {
    const { a, b, received } = await startLayers('request', (app, instrumentation, bUrl) => {
      app.get('/start', async (req, res) => {
        res.json(await (await instrumentation.layerFetch('7', bUrl(), { parent: req })).json());
      });
    });
    await (await fetch(`${a.url}/start`)).text(); // no traceparent: A starts the trace
    const traceId = W3C.exec(received[0] as string)?.[1];
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(W3C.exec(received[0] as string)?.[3]).toBe('00'); // started here, not sampled
    const fromB = exemplarsOf(
      (await scrape(`${b.url}/metrics`, 'openmetrics')).body,
      'http_server_request_duration_seconds',
    );
    expect(fromB.map((e) => e.traceId)).toEqual([traceId]);
  });

  it("async mode: layerFetch finds the request's trace without being given the request", async () => {
    const { a, received } = await startLayers('async', (app, instrumentation, bUrl) => {
      app.get('/start', async (_req, res) => {
        await sleep(1);
        const answer = await instrumentation.layerFetch('7', bUrl());
        res.json(await answer.json());
      });
    });
    await (await fetch(`${a.url}/start`, { headers: { traceparent: TRACEPARENT } })).text();
    expect(W3C.exec(received[0] as string)?.[1]).toBe(TRACE_ID);
  });

  it('a call outside any request starts a new trace, and failures count as cross-layer errors', async () => {
    const { a, received } = await startLayers('request', () => undefined);
    await await a.instrumentation
      .layerFetch('7', `${a.url.replace(/:\d+$/, ':1')}/refused`)
      .catch(() => undefined);
    const answer = await a.instrumentation.layerFetch(
      '7',
      `${a.url}/metrics`.replace('/metrics', '/missing'),
    );
    expect(answer.status).toBe(404);
    expect(received).toEqual([]);
    const { body } = await scrape(`${a.url}/metrics`);
    expect(samples(body, 'layerwatch_cross_layer_request_errors_total')).toEqual([
      'layerwatch_cross_layer_request_errors_total{from_layer="4",to_layer="7",error_type="network",layer="4"} 1',
    ]);
    expect(
      samples(body, 'layerwatch_cross_layer_request_duration_seconds').filter((l) =>
        l.includes('_count'),
      ),
    ).toEqual([
      'layerwatch_cross_layer_request_duration_seconds_count{from_layer="4",to_layer="7",layer="4"} 2',
    ]);
  });
});
