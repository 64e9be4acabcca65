import { createServer } from 'node:http';
import { closeServer, formatHostPort, listen } from '@layerwatch/local/net';
import { jitter, type Clock } from '../clock.js';

export interface SharedStoreStandIn {
  readonly url: string;
  stop(): Promise<void>;
}

/** How long the stand-in takes to answer: a store on the same network, in ms. */
const ANSWER_MS = { min: 1, max: 4 };

/**
 * The shared layer's stores (Redis, PostgreSQL) as the simulated services call them for
 * their cross-layer latency: a loopback HTTP stand-in that answers `{"ok":true}` after a
 * few ms. `layerFetch` is the exporters' one cross-layer helper and it speaks HTTP, so the
 * calls to layer `shared` are timed through it against this stand-in.
 */
export async function startSharedStoreStandIn(
  host: string,
  clock: Clock,
): Promise<SharedStoreStandIn> {
  const server = createServer((_req, res) => {
    const delay = ANSWER_MS.min + jitter(clock, ANSWER_MS.max - ANSWER_MS.min);
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    }, delay);
  });
  const { port } = await listen(server, 0, host);
  server.unref();
  return { url: `http://${formatHostPort(host, port)}`, stop: () => closeServer(server) };
}
