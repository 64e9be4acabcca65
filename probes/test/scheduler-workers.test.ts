import { copyFile, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDaemon } from '../src/server/daemon.js';
import { startTestDaemon } from './support/daemon.js';
import { startHttpTarget, type HttpTarget } from './support/http-target.js';
import { tempDirEach } from './support/temp-dir.js';
import { testCertificates, type TestCertificates } from './support/tls-certs.js';

/**
 * `scheduler.worker_threads`: the probes run in worker threads, the results come back to
 * the main thread. What a scrape shows must not depend on where the probes ran.
 */
let plain: HttpTarget;
let closedPort: number;
beforeAll(async () => {
  plain = await startHttpTarget();
  const closed = await startHttpTarget();
  closedPort = closed.port;
  await closed.close();
});
afterAll(async () => {
  await plain.close();
});

function config(workerThreads: number): string {
  return `
scheduler:
  enabled: false
  worker_threads: ${workerThreads}
modules:
  http_2xx: { prober: http, timeout: 5s }
  http_quick: { prober: http, timeout: 500ms }
  http_json:
    prober: http
    timeout: 5s
    http: { json_assertions: ['$.status == "healthy"'] }
layers:
  - layer: '4'
    name: execution
    targets:
      - { name: ok, target: '${plain.url}/ok', module: http_json }
      - { name: degraded, target: '${plain.url}/degraded', module: http_json }
      - { name: unavailable, target: '${plain.url}/status/503', module: http_2xx }
      - { name: redirect, target: '${plain.url}/redirect', module: http_2xx }
      - { name: refused, target: 'http://127.0.0.1:${closedPort}/', module: http_2xx }
      - { name: hang, target: '${plain.url}/hang', module: http_quick }
      - { name: last-modified, target: '${plain.url}/last-modified', module: http_2xx }
`;
}

/** Every per-target and failure-counter line of a scrape, durations left out (they vary). */
async function scrapedLines(daemon: RunningDaemon): Promise<string[]> {
  const text = await (await fetch(`${daemon.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) =>
      /^(probe_|layerwatch_probe_failures_total|layerwatch_probes_total)/.test(line),
    )
    .filter((line) => !line.startsWith('probe_duration_seconds'))
    .sort();
}

describe('scheduled probes in worker threads', () => {
  const dir = tempDirEach('layerwatch-workers-');

  it('a scrape shows the same series and failure reasons as probing on the main thread', async () => {
    const seen: string[][] = [];
    for (const threads of [0, 3]) {
      const { daemon } = await startTestDaemon(dir(), config(threads));
      try {
        await daemon.probeScheduledTargets();
        await daemon.probeScheduledTargets();
        seen.push(await scrapedLines(daemon));
      } finally {
        await daemon.stop();
      }
    }
    const [inMain, inWorkers] = seen as [string[], string[]];
    expect(inWorkers).toEqual(inMain);
    // The matrix did what it says, so the equality above covers every kind of outcome.
    const success = inMain.filter((line) => line.startsWith('probe_success'));
    expect(success.filter((line) => line.endsWith(' 1'))).toHaveLength(3); // ok, redirect, last-modified
    for (const reason of ['json_assertion', 'status_code', 'connection_refused', 'timeout']) {
      expect(
        inMain.some((line) => line.includes(`reason="${reason}"`)),
        reason,
      ).toBe(true);
    }
  }, 30_000);

  it('a worker that cannot prepare its config fails its probes as internal, and is started again', async () => {
    const certs: TestCertificates = await testCertificates();
    const files = await certs.writeFiles();
    const tls = await startHttpTarget(certs.valid);
    const caFile = `${dir()}/ca.pem`;
    await copyFile(files.caFile, caFile);
    const { daemon } = await startTestDaemon(
      dir(),
      `
scheduler: { enabled: false, worker_threads: 1 }
modules:
  https_ca: { prober: http, timeout: 2s, http: { tls_config: { ca_file: ${caFile} } } }
layers:
  - layer: '4'
    name: execution
    targets:
      - { name: agent, target: 'https://127.0.0.1:${tls.port}/ok', module: https_ca }
`,
    );
    try {
      // The main thread read the CA at start; the worker, started at the first probe, cannot.
      await rm(caFile);
      await daemon.probeScheduledTargets();
      let lines = await scrapedLines(daemon);
      expect(lines).toContain(
        'layerwatch_probe_failures_total{module="https_ca",prober="http",mode="scheduled",reason="internal"} 1',
      );
      expect(lines.find((line) => line.startsWith('probe_success'))).toMatch(/ 0$/);
      // The daemon still answers, and once the file is back a restarted worker probes again.
      await copyFile(files.caFile, caFile);
      await expect
        .poll(
          async () => {
            await daemon.probeScheduledTargets();
            lines = await scrapedLines(daemon);
            return lines.find((line) => line.startsWith('probe_success'));
          },
          { timeout: 10_000, interval: 500 },
        )
        .toMatch(/ 1$/);
    } finally {
      await daemon.stop();
      await tls.close();
      await rm(files.dir, { recursive: true, force: true });
    }
  }, 30_000);
});
