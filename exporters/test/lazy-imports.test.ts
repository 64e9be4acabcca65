import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const INDEX = fileURLToPath(new URL('../src/index.ts', import.meta.url));

/**
 * Modules a fresh process has loaded after importing the package and starting one
 * instrumentation with `options` (under tsx, as the package's own sources).
 */
async function loadedAfterStart(options: object, writeLedger = false): Promise<string[]> {
  const script = `
    import { createRequire } from 'node:module';
    import { tmpdir } from 'node:os';
    const { startLayerInstrumentation } = await import(${JSON.stringify(INDEX)});
    const instrumentation = await startLayerInstrumentation(${JSON.stringify(options)});
    if (${String(writeLedger)}) instrumentation.telemetryExports.ledgerWriter({ root: tmpdir() });
    console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));
    process.exit(0);
  `;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    { timeout: 30_000 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]') as string[];
}

const OTLP = /exporter-metrics-otlp|otlp-transformer|otlp-exporter-base/;
const ASYNC_HOOKS = /context-async-hooks/;
/** The ledger is an ES module; its CLI's progress bar (CommonJS) shows it was loaded. */
const LEDGER = /cli-progress/;
const CAN_REQUIRE_ESM = (process.features as { require_module?: boolean }).require_module === true;

describe('what the package loads', () => {
  it('without OTLP and with request trace context: no OTLP exporter, no context manager', async () => {
    const loaded = await loadedAfterStart({ serviceName: 'lazy', layer: '4', env: {} });
    expect(loaded.some((path) => path.includes('@opentelemetry/sdk-metrics'))).toBe(true);
    expect(loaded.filter((path) => OTLP.test(path))).toEqual([]);
    expect(loaded.filter((path) => ASYNC_HOOKS.test(path))).toEqual([]);
    if (CAN_REQUIRE_ESM) expect(loaded.filter((path) => LEDGER.test(path))).toEqual([]);
  }, 40_000);

  it('the ledger is loaded by the first ledger writer', async () => {
    const loaded = await loadedAfterStart({ serviceName: 'lazy', layer: '4', env: {} }, true);
    expect(loaded.some((path) => LEDGER.test(path))).toBe(true);
  }, 40_000);

  it('with OTLP configured and async trace context: both are loaded', async () => {
    const loaded = await loadedAfterStart({
      serviceName: 'lazy',
      layer: '4',
      traceContext: 'async',
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
        OTEL_METRIC_EXPORT_INTERVAL: '600000',
      },
    });
    expect(loaded.some((path) => path.includes('exporter-metrics-otlp-proto'))).toBe(true);
    expect(loaded.some((path) => ASYNC_HOOKS.test(path))).toBe(true);
  }, 40_000);
});
