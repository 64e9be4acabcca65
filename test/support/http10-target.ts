import { createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback server that answers every request as an HTTP/1.0 server does (status line
 * `HTTP/1.0`, then closes), which Node's own HTTP server cannot be made to do.
 */
export interface Http10Target {
  readonly port: number;
  close(): Promise<void>;
}

const RESPONSE = 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok';

export async function startHttp10Target(): Promise<Http10Target> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let head = '';
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (head.includes('\r\n\r\n')) socket.end(RESPONSE);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
