import { request } from 'node:http';
import { connect } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { UNMATCHED_ROUTE } from '../src/index.js';
import { promtoolCheckMetrics } from './support/promtool.js';
import { get, samples, scrape, startTestService } from './support/service.js';

const NAME = 'http_server_request_duration_seconds';

/** The `_count` lines of the request histogram: one per series. */
function counts(exposition: string): string[] {
  return samples(exposition, NAME).filter((line) => line.startsWith(`${NAME}_count`));
}

describe('requestMetrics over real HTTP', () => {
  it('labels by route template, never the raw path: /items/1 and /items/2 are one series', async () => {
    const service = await startTestService((app) => {
      app.get('/items/:id', (req, res) => {
        res.json({ id: req.params.id });
      });
    });
    await get(`${service.url}/items/1`);
    await get(`${service.url}/items/2`);
    const { body } = await scrape(`${service.url}/metrics`);
    expect(counts(body)).toEqual([
      `${NAME}_count{http_request_method="GET",http_route="/items/:id",http_response_status_code="200",layer="4"} 2`,
    ]);
    expect(body).not.toContain('/items/1');
    expect(body).toContain(`# HELP ${NAME} Duration of HTTP server requests, by route template.\n`);
    expect(body).toContain(`# TYPE ${NAME} histogram\n`);
    const buckets = samples(body, NAME)
      .filter((line) => line.startsWith(`${NAME}_bucket`))
      .map((line) => /le="([^"]+)"/.exec(line)?.[1]);
    expect(buckets).toEqual([
      '0.005',
      '0.01',
      '0.025',
      '0.05',
      '0.075',
      '0.1',
      '0.25',
      '0.5',
      '0.75',
      '1',
      '2.5',
      '5',
      '10',
      '+Inf',
    ]);
  });

  it(`labels 404s and middleware answers "${UNMATCHED_ROUTE}", with their status codes`, async () => {
    const service = await startTestService((app) => {
      app.use('/admin', (_req, res) => {
        res.status(401).end(); // auth middleware: no route ran
      });
      app.get('/ok', (_req, res) => {
        res.end('ok');
      });
    });
    await get(`${service.url}/no/such/path/123`);
    await get(`${service.url}/another-miss`);
    await get(`${service.url}/admin/secret`);
    const { body } = await scrape(`${service.url}/metrics`);
    expect(counts(body)).toEqual([
      `${NAME}_count{http_request_method="GET",http_route="unmatched",http_response_status_code="404",layer="4"} 2`,
      `${NAME}_count{http_request_method="GET",http_route="unmatched",http_response_status_code="401",layer="4"} 1`,
    ]);
  });

  it('joins mount paths with route paths, counts status codes and folds unknown methods', async () => {
    const service = await startTestService((app) => {
      const api = express.Router();
      api.get('/items/:id', (_req, res) => {
        res.status(503).end();
      });
      api.post('/', (_req, res) => {
        res.status(201).end();
      });
      app.use('/api/v1', api);
      app.all('/any', (_req, res) => {
        res.end();
      });
    });
    await get(`${service.url}/api/v1/items/7`);
    await fetch(`${service.url}/api/v1`, { method: 'POST' });
    await fetch(`${service.url}/any`, { method: 'PURGE' });
    const { body } = await scrape(`${service.url}/metrics`);
    expect(counts(body)).toEqual([
      `${NAME}_count{http_request_method="GET",http_route="/api/v1/items/:id",http_response_status_code="503",layer="4"} 1`,
      `${NAME}_count{http_request_method="POST",http_route="/api/v1",http_response_status_code="201",layer="4"} 1`,
      `${NAME}_count{http_request_method="_OTHER",http_route="/any",http_response_status_code="200",layer="4"} 1`,
    ]);
  });

  it('records a request whose client went away as error_type="aborted", without a status code', async () => {
    let arrived: () => void = () => undefined;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    const service = await startTestService((app) => {
      app.get('/slow', () => {
        arrived(); // never answers
      });
    });
    const req = request(`${service.url}/slow`);
    req.on('error', () => undefined);
    req.end();
    await arrival;
    req.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { body } = await scrape(`${service.url}/metrics`);
    expect(counts(body)).toEqual([
      `${NAME}_count{http_request_method="GET",http_route="/slow",error_type="aborted",layer="4"} 1`,
    ]);
  });

  it('pipelined requests on one connection: each recorded once, the unanswered one as aborted', async () => {
    let hung: () => void = () => undefined;
    const hanging = new Promise<void>((resolve) => (hung = resolve));
    const service = await startTestService((app) => {
      app.get('/slow', (_req, res) => {
        setTimeout(() => res.end('slow'), 50);
      });
      app.get('/items/:id', (_req, res) => {
        res.end('item');
      });
      app.get('/hang', () => {
        hung(); // never answers
      });
    });
    const socket = connect(Number(new URL(service.url).port), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    const ask = (path: string): string => `GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`;
    socket.write(ask('/slow') + ask('/items/2') + ask('/hang'));
    await hanging;
    while (!received.includes('item')) await new Promise((resolve) => setTimeout(resolve, 10));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { body } = await scrape(`${service.url}/metrics`);
    expect(counts(body).sort()).toEqual([
      `${NAME}_count{http_request_method="GET",http_route="/hang",error_type="aborted",layer="4"} 1`,
      `${NAME}_count{http_request_method="GET",http_route="/items/:id",http_response_status_code="200",layer="4"} 1`,
      `${NAME}_count{http_request_method="GET",http_route="/slow",http_response_status_code="200",layer="4"} 1`,
    ]);
  });

  it('many requests: one series per route, method and outcome, each counting all of its own', async () => {
    const service = await startTestService((app) => {
      app.get('/items/:id', (req, res) => {
        res.status(req.params.id === 'gone' ? 410 : 200).end();
      });
      app.post('/items', (_req, res) => {
        res.status(201).end();
      });
    });
    const asked: Promise<unknown>[] = [];
    for (let i = 0; i < 100; i += 1) {
      asked.push(get(`${service.url}/items/${i}`));
      if (i % 4 === 0) asked.push(get(`${service.url}/items/gone`));
      if (i % 10 === 0) asked.push(fetch(`${service.url}/items`, { method: 'POST' }));
    }
    await Promise.all(asked);
    const { body } = await scrape(`${service.url}/metrics`);
    expect(counts(body).sort()).toEqual([
      `${NAME}_count{http_request_method="GET",http_route="/items/:id",http_response_status_code="200",layer="4"} 100`,
      `${NAME}_count{http_request_method="GET",http_route="/items/:id",http_response_status_code="410",layer="4"} 25`,
      `${NAME}_count{http_request_method="POST",http_route="/items",http_response_status_code="201",layer="4"} 10`,
    ]);
  });

  it("exemplars: the latest request's trace in its bucket, timed when its response finished", async () => {
    const service = await startTestService((app) => {
      app.get('/items/:id', (_req, res) => {
        res.end();
      });
    });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const before = Date.now() / 1000;
    await get(`${service.url}/items/1`, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    const after = Date.now() / 1000;
    const { body } = await scrape(`${service.url}/metrics`, 'openmetrics');
    const exemplars = samples(body, NAME).flatMap((line) => {
      const match =
        / # \{trace_id="([0-9a-f]{32})",span_id="[0-9a-f]{16}"\} [0-9.e-]+ (\d+\.\d{3})$/.exec(
          line,
        );
      return match ? [{ traceId: match[1], timestamp: Number(match[2]) }] : [];
    });
    expect(exemplars.map((e) => e.traceId)).toEqual([traceId]);
    const [{ timestamp } = { timestamp: NaN }] = exemplars;
    // Rounded to the millisecond, and taken from a clock that may differ from Date.now by a few.
    expect(timestamp).toBeGreaterThanOrEqual(before - 0.05);
    expect(timestamp).toBeLessThanOrEqual(after + 0.05);
  });

  it('the exposition is promtool-clean', async () => {
    const service = await startTestService((app) => {
      app.get('/items/:id', (_req, res) => {
        res.end();
      });
    });
    await get(`${service.url}/items/1`);
    await get(`${service.url}/nope`);
    const { status, contentType, body } = await scrape(`${service.url}/metrics`);
    expect(status).toBe(200);
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(promtoolCheckMetrics(body)).toEqual({ status: 0, output: '' });
  });
});
