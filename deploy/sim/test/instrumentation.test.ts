import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SERVICE_NAMES } from '../src/index.js';
import { call, send, startTestSim } from './helpers.js';

function promtoolCheckMetrics(exposition: string): string {
  const result = spawnSync('promtool', ['check', 'metrics'], {
    input: exposition,
    encoding: 'utf8',
  });
  if (result.error)
    throw new Error(`promtool is missing (apt-get install prometheus): ${result.error.message}`);
  return `${result.stdout}${result.stderr}`.trim();
}

async function metrics(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, text: await response.text() };
}

/** Polls a service's /metrics until `pattern` shows up. */
async function waitForMetric(url: string, pattern: RegExp, timeoutMs = 5_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { text } = await metrics(url);
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`${url}/metrics never showed ${pattern}:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('simulator instrumentation (@layerwatch/exporters)', () => {
  it('every service answers /metrics, promtool-clean, with request metrics by route', async () => {
    const sim = await startTestSim({ crossLayerIntervalMs: 0 });
    for (const name of SERVICE_NAMES) {
      const { url, layer } = sim.services[name];
      await call(`${url}/health`);
      await call(`${url}/no/such/path`);
      const { status, text } = await metrics(url);
      expect(status).toBe(200);
      expect(text).toContain(
        `http_server_request_duration_seconds_count{http_request_method="GET",http_route="/health",http_response_status_code="200",layer="${layer}"} 1\n`,
      );
      expect(text).toContain(
        `http_server_request_duration_seconds_count{http_request_method="GET",http_route="unmatched",http_response_status_code="404",layer="${layer}"} 1\n`,
      );
      expect(text).toMatch(
        new RegExp(
          `^target_info\\{service_name="layerwatch-sim-${name}",service_version="sim-0\\.1\\.0",layer="${layer}",`,
          'm',
        ),
      );
      expect(promtoolCheckMetrics(text)).toBe('');
    }
  });

  it('shows cross-layer latency: scheduler → agent (4 → 4) and refinement → evolution (5 → 7)', async () => {
    const sim = await startTestSim({ crossLayerIntervalMs: 50 });
    await waitForMetric(
      sim.services.scheduler.url,
      /^layerwatch_cross_layer_request_duration_seconds_count\{from_layer="4",to_layer="4",layer="4"\} [1-9]/m,
    );
    const refinement = await waitForMetric(
      sim.services.refinement.url,
      /^layerwatch_cross_layer_request_duration_seconds_count\{from_layer="5",to_layer="7",layer="5"\} [1-9]/m,
    );
    expect(promtoolCheckMetrics(refinement)).toBe('');
    // The callee sees the calls as requests on its route.
    await waitForMetric(
      sim.services.evolution.url,
      /^http_server_request_duration_seconds_count\{http_request_method="GET",http_route="\/api\/population\/status",http_response_status_code="200",layer="7"\} [1-9]/m,
    );
  });

  it('/metrics stays reachable under a fault, and a failing callee counts as cross-layer errors', async () => {
    const sim = await startTestSim({ crossLayerIntervalMs: 50 });
    await send('POST', `${sim.services.evolution.url}/-/fault`, { mode: 'fail' });
    const { status } = await metrics(sim.services.evolution.url);
    expect(status).toBe(200);
    await waitForMetric(
      sim.services.refinement.url,
      /^layerwatch_cross_layer_request_errors_total\{from_layer="5",to_layer="7",error_type="503",layer="5"\} [1-9]/m,
    );
  });

  it('rejects a bad interval before taking any port', async () => {
    await expect(startTestSim({ crossLayerIntervalMs: -1 })).rejects.toThrow(
      'crossLayerIntervalMs: -1 is not an integer in 0..3600000',
    );
  });
});
