import { createServer, type Socket } from 'node:net';
import type { Prober } from '../../src/prober/types.js';
import { runProber, type ProberRun } from './run-prober.js';

/** A TCP server on a free loopback port that misbehaves as `onConnection` says. */
export interface FakeServer {
  readonly port: number;
  readonly target: string;
  close(): Promise<void>;
}

export function startFakeServer(onConnection: (socket: Socket) => void): Promise<FakeServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolve({
        port,
        target: `127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Accepts and then says nothing, ever. */
export const silent = (): void => undefined;

/** Answers the first bytes it receives with `reply`. */
export function replyWith(reply: string | Buffer): (socket: Socket) => void {
  return (socket) => socket.once('data', () => socket.write(reply));
}

/** Resets the connection (RST) as soon as the client speaks. */
export function resetOnData(socket: Socket): void {
  socket.once('data', () => socket.resetAndDestroy());
}

/** One probe of a fake server that misbehaves as `onConnection` says, closed afterwards. */
export async function probeFakeServer<Settings, Prepared>(
  prober: Prober<Settings, Prepared>,
  settings: Settings,
  onConnection: (socket: Socket) => void,
  timeoutMs?: number,
): Promise<ProberRun> {
  const server = await startFakeServer(onConnection);
  try {
    return await runProber(prober, settings, server.target, timeoutMs);
  } finally {
    await server.close();
  }
}
