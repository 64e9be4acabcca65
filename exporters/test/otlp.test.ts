import { describe, expect, it } from 'vitest';
import type { OtlpProtocol } from '../src/index.js';
import { startOtlpReceiver } from './support/otlp-receiver.js';
import {
  decodeJsonMetricsRequest,
  decodeMetricsRequest,
  type DecodedRequest,
} from './support/otlp-protobuf.js';
import { get, startTestService, startTestInstrumentation } from './support/service.js';

const DECODERS: Record<
  OtlpProtocol,
  { contentType: string; decode: (body: Buffer) => DecodedRequest[] }
> = {
  'http/protobuf': { contentType: 'application/x-protobuf', decode: decodeMetricsRequest },
  'http/json': { contentType: 'application/json', decode: decodeJsonMetricsRequest },
};

describe('OTLP/HTTP push', () => {
  it.each(Object.keys(DECODERS) as OtlpProtocol[])(
    '%s: the receiver decodes our resource, names and attributes; shutdown flushes',
    async (protocol) => {
      const receiver = await startOtlpReceiver();
      const service = await startTestService(
        (app) => {
          app.get('/items/:id', (_req, res) => {
            res.end();
          });
        },
        {
          serviceName: 'refinement',
          serviceVersion: '2.3.4',
          layer: '5',
          // The standard variables, as a deployment sets them; a long interval, so only the
          // shutdown flush can deliver.
          env: {
            OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
            OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: protocol,
            OTEL_METRIC_EXPORT_INTERVAL: '600000',
            OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=test',
          },
        },
      );
      await get(`${service.url}/items/1`);
      await get(`${service.url}/items/2`);
      service.instrumentation.layer5.optimization.record(0.042);
      service.instrumentation.common.authFailures.inc({ reason: 'expired_token' });
      expect(receiver.received).toHaveLength(0);

      await service.instrumentation.shutdown();
      const exported = await receiver.next();
      expect(exported.path).toBe('/v1/metrics');
      expect(exported.headers['content-type']).toBe(DECODERS[protocol].contentType);
      const [request] = DECODERS[protocol].decode(exported.body);
      expect(request?.resource).toMatchObject({
        'service.name': 'refinement',
        'service.version': '2.3.4',
        layer: '5',
        'deployment.environment': 'test',
        'telemetry.sdk.language': 'nodejs',
      });
      const byName = new Map(request?.metrics.map((m) => [m.name, m]));
      const requests = byName.get('http.server.request.duration');
      expect(requests).toMatchObject({ unit: 's', kind: 'histogram' });
      expect(requests?.points).toEqual([
        {
          attributes: {
            'http.request.method': 'GET',
            'http.route': '/items/:id',
            'http.response.status_code': 200,
          },
          count: 2,
          sum: expect.any(Number) as number,
          bounds: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10],
        },
      ]);
      expect(byName.get('layerwatch.optimization.duration')?.points[0]).toMatchObject({
        count: 1,
        sum: 0.042,
      });
      expect(byName.get('auth_failures')).toMatchObject({
        kind: 'sum',
        unit: '{failure}',
        points: [{ attributes: { reason: 'expired_token' }, value: 1 }],
      });
    },
  );

  it('pushes on its interval too', async () => {
    const receiver = await startOtlpReceiver();
    const instrumentation = await startTestInstrumentation({
      otlp: { url: `${receiver.endpoint}/v1/metrics`, protocol: 'http/json', intervalMillis: 100 },
    });
    instrumentation.common.validationGate.received();
    const [request] = decodeJsonMetricsRequest((await receiver.next()).body);
    expect(request?.metrics.map((m) => m.name)).toContain('layerwatch.enhancements.received');
  });

  it('a receiver that is down goes to onError, never thrown', async () => {
    const errors: string[] = [];
    const instrumentation = await startTestInstrumentation({
      otlp: {
        url: 'http://127.0.0.1:1/v1/metrics',
        protocol: 'http/json',
        intervalMillis: 60_000,
        timeoutMillis: 2_000,
      },
      onError: (error) => errors.push(error instanceof Error ? error.message : String(error)),
    });
    instrumentation.common.validationGate.accepted();
    await instrumentation.shutdown();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^OTLP push to http:\/\/127\.0\.0\.1:1\/v1\/metrics failed: /);
  });
});
