import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

/**
 * A real HTTP(S) server on a free loopback port with every misbehaviour a probe must
 * survive: slow, dripping, huge, hanging, resetting. Counts connections so tests can
 * see keep-alive at work.
 */
export interface HttpTarget {
  readonly url: string;
  readonly port: number;
  connections: number;
  /** TLS handshakes that resumed an earlier session instead of presenting the certificate. */
  resumedSessions: number;
  close(): Promise<void>;
}

const GIB = 1024 ** 3;

function handle(request: IncomingMessage, response: ServerResponse): void {
  const path = new URL(request.url ?? '/', 'http://x').pathname;
  const json = (status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    response.end(text);
  };
  if (path === '/ok') return json(200, { status: 'healthy', generation: 7 });
  if (path === '/degraded') return json(200, { status: 'degraded' });
  if (path === '/not-json') {
    response.writeHead(200, { 'content-type': 'text/plain' });
    return void response.end('healthy but not JSON');
  }
  if (path === '/last-modified') {
    response.writeHead(200, {
      'last-modified': 'Wed, 21 Oct 2015 07:28:00 GMT',
      'content-length': 2,
    });
    return void response.end('ok');
  }
  if (path.startsWith('/status/')) return json(Number(path.slice(8)), { status: 'unhealthy' });
  if (path === '/redirect') {
    response.writeHead(302, { location: '/ok', 'content-length': 0 });
    return void response.end();
  }
  if (path === '/redirect-loop') {
    response.writeHead(302, { location: '/redirect-loop', 'content-length': 0 });
    return void response.end();
  }
  if (path === '/echo-method')
    return json(200, { method: request.method, header: request.headers['x-probe'] ?? null });
  if (path === '/big') return streamBytes(response, GIB);
  if (path === '/chunked') {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.write('part one, ');
    return void response.end('part two');
  }
  if (path === '/drip') return drip(response);
  if (path === '/hang') return; // accept, never answer
  if (path === '/reset') return void request.socket.destroy();
  json(404, { status: 'not found' });
}

/** Writes `total` bytes lazily, honouring back-pressure, and stops when the client leaves. */
function streamBytes(response: ServerResponse, total: number): void {
  response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': total });
  const chunk = Buffer.alloc(64 * 1024, 120);
  let sent = 0;
  const pump = (): void => {
    while (sent < total && !response.destroyed) {
      sent += chunk.length;
      if (!response.write(chunk)) return void response.once('drain', pump);
    }
    if (!response.destroyed) response.end();
  };
  pump();
}

function drip(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/plain', 'content-length': 100 });
  const timer = setInterval(() => response.write('x'), 1000);
  response.on('close', () => clearInterval(timer));
}

/**
 * `clientCa` makes the server demand a client certificate signed by it (mTLS);
 * `keepAliveMs` closes idle connections that soon, as a target behind a strict proxy does.
 */
export async function startHttpTarget(
  tls?: { cert: string; key: string; clientCa?: string },
  options: { keepAliveMs?: number } = {},
): Promise<HttpTarget> {
  const mtls = tls?.clientCa
    ? { ca: tls.clientCa, requestCert: true, rejectUnauthorized: true }
    : {};
  const server: Server = tls
    ? createHttpsServer({ cert: tls.cert, key: tls.key, ...mtls }, handle)
    : createHttpServer(handle);
  if (options.keepAliveMs !== undefined) server.keepAliveTimeout = options.keepAliveMs;
  const sockets = new Set<Socket>();
  const target = {
    url: '',
    port: 0,
    connections: 0,
    resumedSessions: 0,
    close: async () => undefined,
  };
  server.on('secureConnection', (socket: TLSSocket) => {
    if (socket.isSessionReused()) target.resumedSessions += 1;
  });
  server.on('connection', (socket: Socket) => {
    target.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  target.port = port;
  target.url = `${tls ? 'https' : 'http'}://${tls ? 'localhost' : '127.0.0.1'}:${port}`;
  target.close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return target;
}
