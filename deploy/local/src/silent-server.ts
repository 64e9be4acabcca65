import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** One accepted connection: when it came, and when the other side gave up on it. */
export interface HeldConnection {
  acceptedAt: number;
  closed: Promise<number>;
}

/**
 * A backend that hangs (for deadline tests): it accepts on loopback, reads the request and
 * never answers, and records when each client gave up.
 */
export interface SilentServer {
  url: string;
  connections: HeldConnection[];
  stop(): Promise<void>;
}

export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  const connections: HeldConnection[] = [];
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.resume(); // read the request, answer nothing
    connections.push({
      acceptedAt: Date.now(),
      closed: new Promise((resolve) =>
        socket.on('close', () => {
          sockets.delete(socket);
          resolve(Date.now());
        }),
      ),
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
