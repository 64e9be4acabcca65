import { createServer } from 'node:net';

/**
 * A port that was free a moment ago: the OS picks it for a listener on port 0, which is
 * closed again. Another process may take it before the server binds, so launchers retry.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        if (port > 0) resolve(port);
        else reject(new Error(`no free port found on ${host}`));
      });
    });
  });
}
