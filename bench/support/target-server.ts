import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// The benchmarks' target: 200 "ok" on every path, keep-alive on and long, so probers that
// reuse connections can. Prints {"port": N} when listening; GET /__connections tells how
// many connections it has accepted so far.
const BODY = Buffer.from('ok');
let connections = 0;
const server = createServer((request, response) => {
  if (request.url === '/__connections') {
    response.writeHead(200, { 'content-type': 'application/json' });
    return void response.end(JSON.stringify({ connections }));
  }
  response.writeHead(200, { 'content-type': 'text/plain', 'content-length': BODY.length });
  response.end(BODY);
});
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
