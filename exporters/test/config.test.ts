import { describe, expect, it } from 'vitest';
import { InstrumentationConfigError } from '../src/index.js';
import { resolveConfig } from '../src/config/resolve.js';

const base = { layer: '4', env: {} };

describe('resolveConfig: option → environment → default', () => {
  it('defaults', () => {
    const config = resolveConfig(base);
    expect(config.resource).toEqual({
      'service.name': 'unknown_service:node',
      'service.version': 'unknown',
      layer: '4',
    });
    expect(config.metricsServer).toBeUndefined();
    expect(config.otlp).toBeUndefined();
    expect(config.seriesLimit).toBe(2000);
    expect(config.traceContext).toBe('request');
    expect(config.disabled).toBe(false);
  });

  it('reads the standard variables, and options win over them', () => {
    const env = {
      OTEL_SERVICE_NAME: 'from-env',
      OTEL_RESOURCE_ATTRIBUTES:
        'service.name=attr,service.version=2.0.0,layer=7,deployment.environment=prod%2Ceu',
      OTEL_EXPORTER_PROMETHEUS_PORT: '9555',
      OTEL_EXPORTER_PROMETHEUS_HOST: '0.0.0.0',
      LAYERWATCH_MAX_SERIES_PER_INSTRUMENT: '50',
    };
    const fromEnv = resolveConfig({ env });
    expect(fromEnv.resource).toEqual({
      'service.name': 'from-env',
      'service.version': '2.0.0',
      layer: '7',
      'deployment.environment': 'prod,eu',
    });
    expect(fromEnv.metricsServer).toEqual({ host: '0.0.0.0', port: 9555, path: '/metrics' });
    expect(fromEnv.seriesLimit).toBe(50);
    const fromOptions = resolveConfig({
      env,
      serviceName: 'opt',
      serviceVersion: '3',
      layer: '5',
      metricsPort: 0,
      metricsHost: '127.0.0.1',
      maxSeriesPerInstrument: 10,
    });
    expect(fromOptions.resource).toMatchObject({
      'service.name': 'opt',
      'service.version': '3',
      layer: '5',
    });
    expect(fromOptions.metricsServer).toEqual({ host: '127.0.0.1', port: 0, path: '/metrics' });
    expect(fromOptions.seriesLimit).toBe(10);
  });

  it('pushes OTLP only when asked: endpoint set, OTEL_METRICS_EXPORTER, or the option', () => {
    expect(
      resolveConfig({ ...base, env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' } })
        .otlp,
    ).toEqual({
      url: 'http://collector:4318/v1/metrics',
      protocol: 'http/protobuf',
      intervalMillis: 60_000,
      timeoutMillis: 30_000,
    });
    expect(
      resolveConfig({
        ...base,
        env: {
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
          OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://metrics:9999/custom',
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
          OTEL_METRIC_EXPORT_INTERVAL: '1000',
          OTEL_METRIC_EXPORT_TIMEOUT: '500',
        },
      }).otlp,
    ).toEqual({
      url: 'http://metrics:9999/custom',
      protocol: 'http/json',
      intervalMillis: 1000,
      timeoutMillis: 500,
    });
    expect(resolveConfig({ ...base, env: { OTEL_METRICS_EXPORTER: 'otlp' } }).otlp?.url).toBe(
      'http://localhost:4318/v1/metrics',
    );
    const none = { OTEL_METRICS_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' };
    expect(resolveConfig({ ...base, env: none }).otlp).toBeUndefined();
    expect(
      resolveConfig({ ...base, env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }, otlp: false })
        .otlp,
    ).toBeUndefined();
    expect(
      resolveConfig({ ...base, otlp: { url: 'http://x:1/v1/metrics', protocol: 'http/json' } }).otlp
        ?.protocol,
    ).toBe('http/json');
  });

  it('OTEL_METRICS_EXPORTER=prometheus starts the own server on 9464; metricsPort: false never does', () => {
    const env = { OTEL_METRICS_EXPORTER: 'prometheus' };
    const config = resolveConfig({ ...base, env });
    expect(config.metricsServer).toEqual({ host: '127.0.0.1', port: 9464, path: '/metrics' });
    expect(config.otlp).toBeUndefined();
    expect(resolveConfig({ ...base, env, metricsPort: false }).metricsServer).toBeUndefined();
    const port = { OTEL_EXPORTER_PROMETHEUS_PORT: '9555' };
    expect(resolveConfig({ ...base, env: port, metricsPort: false }).metricsServer).toBeUndefined();
  });

  it('reports, without failing, what it skips', () => {
    const errors: string[] = [];
    const onError = (error: unknown) => errors.push((error as Error).message);
    resolveConfig({
      ...base,
      onError,
      env: { OTEL_METRICS_EXPORTER: 'console,otlp', OTEL_RESOURCE_ATTRIBUTES: 'noequals,x=%zz' },
    });
    expect(errors).toEqual([
      'OTEL_RESOURCE_ATTRIBUTES: "noequals" is not key=value; skipped',
      'OTEL_RESOURCE_ATTRIBUTES: "x=%zz" has a bad percent-encoding; skipped',
      'OTEL_METRICS_EXPORTER: "console" is not supported here and is ignored; supported: otlp, prometheus, none',
    ]);
  });

  it('OTEL_SDK_DISABLED=true disables', () => {
    expect(resolveConfig({ ...base, env: { OTEL_SDK_DISABLED: 'TRUE' } }).disabled).toBe(true);
    expect(resolveConfig({ ...base, env: { OTEL_SDK_DISABLED: '1' } }).disabled).toBe(false);
  });

  it.each([
    [
      { env: {} },
      'layer: missing; pass { layer: "4" } (or set LAYERWATCH_LAYER) so every series says which layer it is from',
    ],
    [{ ...base, layer: '  ' }, 'layer: "  " is empty'],
    [{ ...base, metricsPort: 70_000 }, 'metricsPort: 70000 is not an integer in 0..65535'],
    [
      { ...base, env: { OTEL_EXPORTER_PROMETHEUS_PORT: 'abc' } },
      'OTEL_EXPORTER_PROMETHEUS_PORT: "abc" is not an integer in 0..65535',
    ],
    [
      { ...base, maxSeriesPerInstrument: 0 },
      'maxSeriesPerInstrument: 0 is not an integer in 1..1000000',
    ],
    [{ ...base, metricsPath: 'metrics' }, 'metricsPath: "metrics" must start with "/"'],
    [
      { ...base, otlp: true, env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' } },
      'OTLP protocol "grpc" is not supported; use http/protobuf or http/json (set OTEL_EXPORTER_OTLP_METRICS_PROTOCOL or otlp.protocol)',
    ],
    [
      { ...base, otlp: { url: 'collector:4318' } },
      'OTLP endpoint "collector:4318" is not an http(s) URL',
    ],
    [
      { ...base, otlp: { intervalMillis: 0 } },
      'otlp.intervalMillis: 0 is not an integer in 1..86400000',
    ],
    [
      { ...base, traceContext: 'always' as never },
      'traceContext: "always" is not "request", "async" or false',
    ],
  ])('rejects %j', (options, message) => {
    expect(() => resolveConfig(options)).toThrow(new InstrumentationConfigError(message));
  });
});
