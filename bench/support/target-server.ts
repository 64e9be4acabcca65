import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// The benchmarks' target: 200 "ok" on every path, keep-alive on and long, so probers that
// reuse connections can. Prints {"port": N} when listening.
const BODY = Buffer.from('ok');
const server = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain', 'content-length': BODY.length });
  response.end(BODY);
});
server.keepAliveTimeout = 60_000;
server.maxRequestsPerSocket = 0;
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }));
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
