import { Agent, get as httpGet } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import {
  context,
  INVALID_SPAN_CONTEXT,
  trace,
  TraceFlags,
  type SpanContext,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  listen,
  samples,
  scrape,
  startTestInstrumentation,
  startTestService,
} from './support/service.js';

const NAME = 'http_server_request_duration_seconds';
const EXEMPLAR = / # \{trace_id="([0-9a-f]{32})",span_id="([0-9a-f]{16})"\} /;

/** Exemplars of the request histogram, of one route's series or all. */
function exemplarsOf(exposition: string, route?: string): { traceId: string; spanId: string }[] {
  const lines = samples(exposition, NAME);
  const ofRoute =
    route === undefined ? lines : lines.filter((l) => l.includes(`http_route="${route}"`));
  return ofRoute.flatMap((line) => {
    const match = EXEMPLAR.exec(line);
    return match ? [{ traceId: match[1] as string, spanId: match[2] as string }] : [];
  });
}

/** GETs `path` on one kept-alive connection after another (`agent`), reading each body. */
function getOn(agent: Agent, url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    httpGet(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

describe("another instrumentation's active span (request mode)", () => {
  let manager: AsyncLocalStorageContextManager;
  let server: Server | undefined;

  beforeEach(() => {
    manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
  });

  afterEach(async () => {
    context.disable();
    manager.disable();
    await new Promise<void>((resolve) => {
      if (server === undefined) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
      server = undefined;
    });
  });

  /** An app where a middleware before ours makes `span` the active span of every request. */
  async function startWithActive(span: SpanContext): Promise<string> {
    const instrumentation = await startTestInstrumentation({ traceContext: 'request' });
    const app = express();
    app.use((_req, _res, next) => {
      context.with(trace.setSpanContext(context.active(), span), next);
    });
    app.use(instrumentation.requestMetrics);
    app.get('/metrics', instrumentation.metricsHandler);
    app.get('/items/:id', (_req, res) => {
      res.end();
    });
    server = await listen(app);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('a valid one labels the exemplar with its own trace and span IDs', async () => {
    const span = {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.SAMPLED,
    };
    const url = await startWithActive(span);
    await fetch(`${url}/items/1`).then((r) => r.text());
    const { body } = await scrape(`${url}/metrics`, 'openmetrics');
    expect(exemplarsOf(body)).toEqual([{ traceId: span.traceId, spanId: span.spanId }]);
  });

  it.each([
    ['all zeros (INVALID_SPAN_CONTEXT)', INVALID_SPAN_CONTEXT],
    [
      'IDs that are not hex',
      { traceId: 'not-a-trace-id', spanId: 'not-a-span', traceFlags: TraceFlags.SAMPLED },
    ],
  ])('an invalid one, %s: the request is recorded, with no exemplar', async (_name, span) => {
    const url = await startWithActive(span);
    await fetch(`${url}/items/1`).then((r) => r.text());
    const { body } = await scrape(`${url}/metrics`, 'openmetrics');
    expect(samples(body, NAME).filter((line) => line.startsWith(`${NAME}_count`))).toEqual([
      `${NAME}_count{http_request_method="GET",http_route="/items/:id",http_response_status_code="200",layer="4"} 1`,
    ]);
    expect(body).not.toContain('trace_id');
  });
});

describe('the middleware’s own spans, on one kept-alive connection', () => {
  it('each request gets a new trace; the exemplar and layerFetch show the same IDs', async () => {
    const received: string[] = [];
    const b = await startTestService(
      (app) => {
        app.get('/work', (req, res) => {
          received.push(String(req.headers.traceparent));
          res.end();
        });
      },
      { serviceName: 'b', layer: '7', traceContext: 'request' },
    );
    const a = await startTestService(
      (app, instrumentation) => {
        app.get('/start', async (req, res) => {
          const answer = await instrumentation.layerFetch('7', `${b.url}/work`, { parent: req });
          res.status(answer.status).end(await answer.text());
        });
      },
      { traceContext: 'request' },
    );
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let i = 0; i < 3; i += 1) await getOn(agent, `${a.url}/start`);
    } finally {
      agent.destroy();
    }
    const traceIds = received.map(
      (header) => /^00-([0-9a-f]{32})-[0-9a-f]{16}-00$/.exec(header)?.[1],
    );
    expect(traceIds).toHaveLength(3);
    for (const id of traceIds) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(traceIds).size).toBe(3);
    const exemplars = exemplarsOf((await scrape(`${a.url}/metrics`, 'openmetrics')).body, '/start');
    // The latest request's trace labels its bucket; every exemplar is one of the three.
    expect(exemplars.map((e) => e.traceId)).toContain(traceIds[2]);
    for (const { traceId } of exemplars) expect(traceIds).toContain(traceId);
    // Rendered twice, the same exemplars (IDs written once from the kept bytes).
    expect(exemplarsOf((await scrape(`${a.url}/metrics`, 'openmetrics')).body, '/start')).toEqual(
      exemplars,
    );
  });
});
