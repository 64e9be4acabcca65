import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPluginHost, type RunningPluginHost } from '../preview-host/server/index.js';
import { startSilentServer, type SilentServer } from '@layerwatch/local';

/**
 * The host's proxies in front of a backend that accepts and never answers (a real loopback
 * server): Grafana's proxies give up after `[dataproxy] timeout` with an empty 504, and so
 * must the host. The test shortens the wait (GRAFANA_PROXY_TIMEOUT_MS, 30 s, by default).
 */
const TIMEOUT_MS = 400;
let silent: SilentServer;
let host: RunningPluginHost;

beforeAll(async () => {
  silent = await startSilentServer();
  host = await startPluginHost({
    port: 0,
    remediationUrl: silent.url,
    remediationToken: 'unused',
    alertmanagerUrl: silent.url,
    prometheusUrl: silent.url,
    proxyTimeoutMs: TIMEOUT_MS,
  });
});

afterAll(async () => {
  await host?.stop();
  await silent?.stop();
});

async function timed(path: string, init?: RequestInit) {
  const started = Date.now();
  const response = await fetch(`${host.url}${path}`, init);
  return { response, body: await response.text(), ms: Date.now() - started };
}

describe('preview host proxies in front of a backend that never answers', () => {
  it('the plugin proxy answers 504 with an empty body after the timeout and drops the upstream connection', async () => {
    const before = silent.connections.length;
    const { response, body, ms } = await timed(
      '/api/plugin-proxy/layerwatch-ops-app/alertmanager/api/v2/alerts',
    );
    expect(response.status).toBe(504);
    expect(body).toBe('');
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(ms).toBeLessThan(TIMEOUT_MS + 2000);
    expect(silent.connections).toHaveLength(before + 1);
    await silent.connections[before]!.closed;
  });

  it('the data source proxy to Prometheus does the same', async () => {
    const { response, body } = await timed(
      '/api/datasources/proxy/uid/layerwatch-prometheus/api/v1/query?query=up',
    );
    expect(response.status).toBe(504);
    expect(body).toBe('');
  });

  it('a client that gives up first cancels the upstream request at once', async () => {
    const before = silent.connections.length;
    const started = Date.now();
    await expect(
      fetch(`${host.url}/api/plugin-proxy/layerwatch-ops-app/remediation/api/v1/me`, {
        signal: AbortSignal.timeout(100),
      }),
    ).rejects.toThrow();
    await expect.poll(() => silent.connections.length).toBe(before + 1);
    const closedAt = await silent.connections[before]!.closed;
    expect(closedAt - started).toBeLessThan(TIMEOUT_MS);
  });
});
