import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

// The benchmarks' target: 200 "ok" on every path, keep-alive on and long, so probers that
// reuse connections can. Prints {"port": N} when listening; GET /__connections tells how
// many connections it has accepted so far.
//   target-server.ts                         plain HTTP, keep-alive
//   target-server.ts --tls CERT KEY --close   HTTPS, closing the connection after every
//                                            answer, so every probe makes a new handshake
const args = process.argv.slice(2);
const tlsAt = args.indexOf('--tls');
const closeEach = args.includes('--close');
const BODY = Buffer.from('ok');
let connections = 0;
const handle = (request: IncomingMessage, response: ServerResponse): void => {
  if (request.url === '/__connections') {
    response.writeHead(200, { 'content-type': 'application/json' });
    return void response.end(JSON.stringify({ connections }));
  }
  response.writeHead(200, {
    'content-type': 'text/plain',
    'content-length': BODY.length,
    ...(closeEach ? { connection: 'close' } : {}),
  });
  response.end(BODY);
};
const server =
  tlsAt >= 0
    ? createHttpsServer(
        { cert: readFileSync(args[tlsAt + 1] ?? ''), key: readFileSync(args[tlsAt + 2] ?? '') },
        handle,
      )
    : createServer(handle);
server.on('connection', () => (connections += 1));
server.keepAliveTimeout = 60_000;
server.maxRequestsPerSocket = 0;
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }));
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
