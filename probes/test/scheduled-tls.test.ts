import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningDaemon } from '../src/server/daemon.js';
import { startTestDaemon } from './support/daemon.js';
import { startHttpTarget, type HttpTarget } from './support/http-target.js';
import { testCertificates, type TestCertificates } from './support/tls-certs.js';

/**
 * Scheduled probing of an HTTPS target that closes idle connections between rounds: every
 * round opens a new connection, and each must still report the certificate's expiry.
 */
const ROUNDS = 5;

let certs: TestCertificates;
let target: HttpTarget;
let daemon: RunningDaemon;
let dir: string;

beforeAll(async () => {
  certs = await testCertificates();
  const files = await certs.writeFiles();
  dir = files.dir;
  target = await startHttpTarget(certs.valid, { keepAliveMs: 100 });
  ({ daemon } = await startTestDaemon(
    dir,
    `
modules:
  https_ca:
    prober: http
    timeout: 2s
    http:
      tls_config: { ca_file: ${files.caFile} }
layers:
  - layer: '4'
    name: execution
    targets:
      - { name: agent, target: 'https://127.0.0.1:${target.port}/ok', module: https_ca, schedule: '* * * * * *' }
`,
  ));
});

afterAll(async () => {
  await daemon?.stop();
  await target?.close();
  await rm(dir, { recursive: true, force: true });
});

async function expiryAfterNextRound(connectionsBefore: number): Promise<string[]> {
  const deadline = Date.now() + 5000;
  while (target.connections === connectionsBefore && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // Let the round finish and its results land before scraping.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const text = await (await fetch(`${daemon.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) =>
      /^probe_ssl_(earliest_cert_expiry|last_chain_expiry_timestamp_seconds)\{/.test(line),
    );
}

it(`reports the certificate expiry after each of ${ROUNDS} rounds on new connections`, async () => {
  for (let round = 1; round <= ROUNDS; round += 1) {
    const lines = await expiryAfterNextRound(target.connections);
    expect(lines, `round ${round}`).toHaveLength(2);
    for (const line of lines) {
      expect(line.endsWith(` ${certs.valid.notAfterSeconds}`), `round ${round}: ${line}`).toBe(
        true,
      );
    }
  }
  expect(target.connections).toBeGreaterThanOrEqual(ROUNDS);
  expect(target.resumedSessions).toBe(0);
});
