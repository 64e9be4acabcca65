import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registryLike } from './metrics-peer.js';
import { settleIdle } from './scheduled-daemon.js';

/**
 * The peer of bench/scheduled-footprint.ts (run with `--expose-gc`):
 *   prom-footprint.ts EXPOSITION_FILE
 * a prom-client registry holding the per-target series (`layer="1"`) of a daemon's saved
 * `/metrics`, served as `GET /metrics` by a plain Node HTTP server; prints {"url", "pid",
 * "series", "heapUsed", "busyRss", "idleMs", "shrank"} once the exposition text is dropped and
 * the process has settled as the daemon does (`settleIdle`).
 */
const [file] = process.argv.slice(2);
if (!file) throw new Error('usage: prom-footprint.ts EXPOSITION_FILE');
const { registry, series } = registryLike(readFileSync(file, 'utf8'), (line) =>
  line.includes('layer="1"'),
);
const server = createServer((_request, response) => {
  void registry.metrics().then((body) => {
    response.writeHead(200, {
      'content-type': registry.contentType,
      'content-length': Buffer.byteLength(body),
    });
    response.end(body);
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
const settled = await settleIdle(); // as the daemon settles
const { port } = server.address() as AddressInfo;
console.log(
  JSON.stringify({
    url: `http://127.0.0.1:${port}`,
    pid: process.pid,
    series,
    heapUsed: process.memoryUsage().heapUsed,
    ...settled,
  }),
);
