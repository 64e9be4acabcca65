import { describe, expect, it } from 'vitest';
import { startLayerInstrumentation } from '../src/index.js';
import { scrape, startTestInstrumentation } from './support/service.js';

describe('/metrics on its own port', () => {
  it('serves GET and HEAD on the path, 404 elsewhere, 405 for other methods', async () => {
    const instrumentation = await startTestInstrumentation({ metricsPort: 0 });
    const url = instrumentation.metricsUrl ?? '';
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    instrumentation.layer7.bestFitness.set(0.91);
    const { status, contentType, body } = await scrape(url);
    expect([status, contentType]).toEqual([200, 'text/plain; version=0.0.4; charset=utf-8']);
    expect(body).toContain('layerwatch_population_best_fitness{layer="4"} 0.91\n');
    const head = await fetch(url, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
    expect(Number(head.headers.get('content-length'))).toBe(Buffer.byteLength(body));
    const other = await fetch(url.replace('/metrics', '/'));
    expect([other.status, await other.text()]).toEqual([
      404,
      'not found; metrics are at /metrics\n',
    ]);
    const post = await fetch(url, { method: 'POST' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  });

  it('says which port is taken, and start fails cleanly', async () => {
    const first = await startTestInstrumentation({ metricsPort: 0 });
    const port = Number(new URL(first.metricsUrl ?? '').port);
    await expect(startTestInstrumentation({ metricsPort: port })).rejects.toThrow(
      new RegExp(
        `^metrics server cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE.* \\(pick another port, or 0 for a free one\\)$`,
      ),
    );
  });

  it('shutdown closes the server, is safe to call twice, and later scrapes answer 500 with a comment', async () => {
    const errors: unknown[] = [];
    const instrumentation = await startLayerInstrumentation({
      layer: '8',
      env: {},
      metricsPort: 0,
      onError: (e) => errors.push(e),
    });
    const url = instrumentation.metricsUrl ?? '';
    await Promise.all([instrumentation.shutdown(), instrumentation.shutdown()]);
    await instrumentation.shutdown();
    await expect(fetch(url)).rejects.toThrow();
    // The handler, mounted elsewhere, never throws: it answers why.
    let answered = '';
    let status = 0;
    const res = {
      headersSent: false,
      destroyed: false,
      statusCode: 200,
      setHeader: () => undefined,
      end(body: string) {
        status = this.statusCode;
        answered = body;
      },
    };
    instrumentation.metricsHandler({ headers: {}, method: 'GET' } as never, res as never);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(status).toBe(500);
    expect(answered).toMatch(/^# metrics collection failed: .+\n$/);
    expect(errors).toHaveLength(1);
  });

  it('OTEL_SDK_DISABLED=true: instruments are no-ops and /metrics says why', async () => {
    const instrumentation = await startTestInstrumentation({ env: { OTEL_SDK_DISABLED: 'true' } });
    instrumentation.common.authFailures.inc({ reason: 'x' });
    expect(await instrumentation.render()).toBe(
      '# OpenTelemetry SDK disabled by OTEL_SDK_DISABLED=true\n',
    );
    expect(await instrumentation.render('openmetrics')).toBe(
      '# OpenTelemetry SDK disabled by OTEL_SDK_DISABLED=true\n# EOF\n',
    );
  });
});
