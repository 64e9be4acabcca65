import { afterEach, describe, expect, it } from 'vitest';
import { startPrometheus, type TestPrometheus } from './support/prometheus.js';
import { startTestService } from './support/service.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
let prometheus: TestPrometheus | undefined;

afterEach(async () => {
  await prometheus?.stop();
  prometheus = undefined;
});

interface TargetsAnswer {
  data: { activeTargets: { health: string; lastError: string; scrapeUrl: string }[] };
}
interface ExemplarsAnswer {
  data: {
    seriesLabels: Record<string, string>;
    exemplars: { labels: Record<string, string>; value: string }[];
  }[];
}

async function until<T>(
  what: string,
  read: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('a real Prometheus scraping /metrics', () => {
  it('negotiates OpenMetrics, parses it, and stores the trace-ID exemplars', async () => {
    const service = await startTestService((app) => {
      app.get('/items/:id', (_req, res) => {
        res.end();
      });
    });
    await fetch(`${service.url}/items/1`, {
      headers: { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` },
    });
    prometheus = await startPrometheus(new URL(service.url).host);
    const { url } = prometheus;
    const target = await until('a successful scrape', async () => {
      const answer = (await (await fetch(`${url}/api/v1/targets`)).json()) as TargetsAnswer;
      const found = answer.data.activeTargets[0];
      return found?.health === 'up' ? found : undefined;
    });
    expect(target.lastError).toBe('');
    const now = Date.now() / 1000;
    const query = new URLSearchParams({
      query: 'http_server_request_duration_seconds_bucket{http_route="/items/:id"}',
      start: String(now - 600),
      end: String(now + 600),
    });
    const exemplars = await until('the exemplar', async () => {
      const answer = (await (
        await fetch(`${url}/api/v1/query_exemplars?${query}`)
      ).json()) as ExemplarsAnswer;
      return answer.data.length > 0 ? answer.data : undefined;
    });
    expect(exemplars[0]?.seriesLabels).toMatchObject({
      http_route: '/items/:id',
      http_request_method: 'GET',
      http_response_status_code: '200',
      layer: '4',
    });
    expect(exemplars[0]?.exemplars[0]?.labels.trace_id).toBe(TRACE_ID);
  });
});
