import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { formatHostPort } from './address.js';

export interface Backend {
  readonly host: string;
  readonly port: number;
}

export interface TcpBalancer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * A Kubernetes Service's behaviour on loopback: each connection goes to the next backend in
 * turn, and to the one after it when that one refuses (a killed replica). Used where several
 * replicas of ours sit behind one address (remediation's webhook in the HA stack).
 */
export async function startTcpBalancer(
  backends: readonly Backend[],
  host = '127.0.0.1',
  port = 0,
): Promise<TcpBalancer> {
  if (backends.length === 0) throw new Error('a TCP balancer needs at least one backend');
  let turn = 0;
  const sockets = new Set<Socket>();
  const track = (socket: Socket): Socket => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    return socket;
  };
  const server = createServer((client) => {
    track(client).pause();
    const first = turn++ % backends.length;
    const tryBackend = (attempt: number): void => {
      if (attempt === backends.length || client.destroyed) {
        client.destroy();
        return;
      }
      const backend = backends[(first + attempt) % backends.length]!;
      const upstream = track(connect(backend.port, backend.host));
      // Refused before connecting: the next backend. After: the client sees the reset.
      const refused = (): void => tryBackend(attempt + 1);
      upstream.once('error', refused);
      upstream.once('connect', () => {
        upstream.off('error', refused);
        upstream.once('close', () => client.destroy());
        client.once('close', () => upstream.destroy());
        client.pipe(upstream).pipe(client);
        client.resume();
      });
    };
    tryBackend(0);
  });
  const address = await listenOn(server, port, host);
  return {
    url: `http://${formatHostPort(host, address.port)}`,
    port: address.port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function listenOn(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}
