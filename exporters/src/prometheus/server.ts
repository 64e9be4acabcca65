import { createServer } from 'node:http';
import { closeServer, formatHostPort, listen } from '@layerwatch/local/net';
import type { MetricsHandler } from './handler.js';

export interface MetricsServer {
  /** e.g. `http://127.0.0.1:9464/metrics`. */
  readonly url: string;
  readonly port: number;
  /** Closes the server and its connections; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * `/metrics` on its own port, for services without an Express app. Unref'd, so it never
 * keeps a process alive that would otherwise exit.
 */
export function startMetricsServer(
  handler: MetricsHandler,
  options: { host: string; port: number; path: string },
): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== options.path) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`not found; metrics are at ${options.path}\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('method not allowed; use GET\n');
      return;
    }
    handler(req, res);
  });
  return listen(server, options.port, options.host).then(
    ({ port }) => {
      server.unref();
      let stopping: Promise<void> | undefined;
      return {
        url: `http://${formatHostPort(options.host, port)}${options.path}`,
        port,
        stop: () => (stopping ??= closeServer(server)),
      };
    },
    (error: Error) => {
      throw new Error(
        `metrics server cannot listen on ${options.host}:${options.port}: ${error.message}` +
          ' (pick another port, or 0 for a free one)',
        { cause: error },
      );
    },
  );
}
