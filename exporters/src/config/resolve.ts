import {
  envFlag,
  envList,
  envValue,
  parseResourceAttributes,
  resolveInt,
  resolveString,
  InstrumentationConfigError,
  type Env,
} from './env.js';
import type {
  LayerInstrumentationOptions,
  OtlpOptions,
  OtlpProtocol,
  TraceContextMode,
} from './options.js';

export const DEFAULT_SERIES_LIMIT = 2000;
export const DEFAULT_PROMETHEUS_PORT = 9464;
const DEFAULT_OTLP_URL = 'http://localhost:4318/v1/metrics';
const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json'];
const KNOWN_EXPORTERS = ['otlp', 'prometheus', 'none'];

export interface ResolvedOtlp {
  url: string;
  protocol: OtlpProtocol;
  intervalMillis: number;
  timeoutMillis: number;
}

export interface ResolvedConfig {
  /** OTEL_SDK_DISABLED=true: instruments are no-ops and nothing is exported. */
  disabled: boolean;
  resource: Record<string, string>;
  layer: string;
  metricsServer: { host: string; port: number; path: string } | undefined;
  metricsPath: string;
  otlp: ResolvedOtlp | undefined;
  seriesLimit: number;
  traceContext: TraceContextMode | false;
  onError: (error: unknown) => void;
}

/** Defaults first, then validation: a bad setting fails `startLayerInstrumentation`, never later. */
export function resolveConfig(options: LayerInstrumentationOptions): ResolvedConfig {
  const env: Env = options.env ?? process.env;
  const onError = options.onError ?? defaultOnError;
  const fromEnv = parseResourceAttributes(envValue(env, 'OTEL_RESOURCE_ATTRIBUTES'), (message) =>
    onError(new InstrumentationConfigError(message)),
  );
  const serviceName = resolveString(
    { name: 'serviceName', value: options.serviceName },
    envValue(env, 'OTEL_SERVICE_NAME') ?? fromEnv['service.name'],
    'unknown_service:node',
  );
  const serviceVersion = resolveString(
    { name: 'serviceVersion', value: options.serviceVersion },
    fromEnv['service.version'] ?? envValue(env, 'npm_package_version'),
    'unknown',
  );
  const layer = resolveString(
    { name: 'layer', value: options.layer },
    envValue(env, 'LAYERWATCH_LAYER') ?? fromEnv['layer'],
    '',
  );
  if (layer === '') {
    throw new InstrumentationConfigError(
      'layer: missing; pass { layer: "4" } (or set LAYERWATCH_LAYER) so every series says which layer it is from',
    );
  }
  const exporters = envList(env, 'OTEL_METRICS_EXPORTER');
  for (const name of exporters ?? []) {
    if (!KNOWN_EXPORTERS.includes(name)) {
      onError(
        new InstrumentationConfigError(
          `OTEL_METRICS_EXPORTER: ${JSON.stringify(name)} is not supported here and is ignored; supported: ${KNOWN_EXPORTERS.join(', ')}`,
        ),
      );
    }
  }
  const metricsPath = options.metricsPath ?? '/metrics';
  if (!metricsPath.startsWith('/')) {
    throw new InstrumentationConfigError(
      `metricsPath: ${JSON.stringify(metricsPath)} must start with "/"`,
    );
  }
  const port =
    options.metricsPort === false
      ? undefined
      : resolveInt(
          { name: 'metricsPort', value: options.metricsPort },
          { vars: env, name: 'OTEL_EXPORTER_PROMETHEUS_PORT' },
          { min: 0, max: 65_535 },
          exporters?.includes('prometheus') ? DEFAULT_PROMETHEUS_PORT : undefined,
        );
  const host = resolveString(
    { name: 'metricsHost', value: options.metricsHost },
    envValue(env, 'OTEL_EXPORTER_PROMETHEUS_HOST'),
    '127.0.0.1',
  );
  return {
    disabled: envFlag(env, 'OTEL_SDK_DISABLED'),
    resource: {
      ...fromEnv,
      'service.name': serviceName,
      'service.version': serviceVersion,
      layer,
    },
    layer,
    metricsServer: port === undefined ? undefined : { host, port, path: metricsPath },
    metricsPath,
    otlp: resolveOtlp(options.otlp, env, exporters),
    seriesLimit: resolveInt(
      { name: 'maxSeriesPerInstrument', value: options.maxSeriesPerInstrument },
      { vars: env, name: 'LAYERWATCH_MAX_SERIES_PER_INSTRUMENT' },
      { min: 1, max: 1_000_000 },
      DEFAULT_SERIES_LIMIT,
    ),
    traceContext: resolveTraceContext(options.traceContext),
    onError,
  };
}

function resolveOtlp(
  option: boolean | OtlpOptions | undefined,
  env: Env,
  exporters: readonly string[] | undefined,
): ResolvedOtlp | undefined {
  const metricsEndpoint = envValue(env, 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT');
  const endpoint = envValue(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const wanted =
    option === undefined
      ? exporters === undefined
        ? metricsEndpoint !== undefined || endpoint !== undefined
        : exporters.includes('otlp')
      : option !== false;
  if (!wanted) return undefined;
  const given: OtlpOptions = typeof option === 'object' ? option : {};
  const protocolText =
    given.protocol ??
    envValue(env, 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL') ??
    envValue(env, 'OTEL_EXPORTER_OTLP_PROTOCOL') ??
    'http/protobuf';
  if (!(PROTOCOLS as readonly string[]).includes(protocolText)) {
    throw new InstrumentationConfigError(
      `OTLP protocol ${JSON.stringify(protocolText)} is not supported; use ${PROTOCOLS.join(' or ')}` +
        ' (set OTEL_EXPORTER_OTLP_METRICS_PROTOCOL or otlp.protocol)',
    );
  }
  const url =
    given.url ??
    metricsEndpoint ??
    (endpoint === undefined ? DEFAULT_OTLP_URL : `${endpoint.replace(/\/+$/, '')}/v1/metrics`);
  if (!/^https?:\/\/[^/]/.test(url)) {
    throw new InstrumentationConfigError(
      `OTLP endpoint ${JSON.stringify(url)} is not an http(s) URL`,
    );
  }
  return {
    url,
    protocol: protocolText as OtlpProtocol,
    intervalMillis: resolveInt(
      { name: 'otlp.intervalMillis', value: given.intervalMillis },
      { vars: env, name: 'OTEL_METRIC_EXPORT_INTERVAL' },
      { min: 1, max: 86_400_000 },
      60_000,
    ),
    timeoutMillis: resolveInt(
      { name: 'otlp.timeoutMillis', value: given.timeoutMillis },
      { vars: env, name: 'OTEL_METRIC_EXPORT_TIMEOUT' },
      { min: 1, max: 86_400_000 },
      30_000,
    ),
  };
}

function resolveTraceContext(mode: TraceContextMode | false | undefined): TraceContextMode | false {
  if (mode === undefined) return 'request';
  if (mode === false || mode === 'request' || mode === 'async') return mode;
  throw new InstrumentationConfigError(
    `traceContext: ${JSON.stringify(mode)} is not "request", "async" or false`,
  );
}

function defaultOnError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`layerwatch exporters: ${message}\n`);
}
