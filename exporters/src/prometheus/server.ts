import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
  return new Promise((resolve, reject) => {
    server.once('error', (error) => {
      reject(
        new Error(
          `metrics server cannot listen on ${options.host}:${options.port}: ${error.message}` +
            ' (pick another port, or 0 for a free one)',
          { cause: error },
        ),
      );
    });
    server.listen(options.port, options.host, () => {
      server.unref();
      const { port } = server.address() as AddressInfo;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      let stopping: Promise<void> | undefined;
      resolve({
        url: `http://${host}:${port}${options.path}`,
        port,
        stop: () => (stopping ??= close(server)),
      });
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
