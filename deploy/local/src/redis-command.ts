import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export interface RedisCommandOptions {
  /** @default 1000 */
  readonly timeoutMs?: number;
  /** Speak TLS, trusting any certificate: this checks a server we started, not its identity. */
  readonly tls?: boolean;
}

/**
 * Sends commands whose replies are one line (`+PONG`, `-NOAUTH …`, `:3`) over one
 * connection and returns those lines. Enough to see that a server answers, with no Redis
 * client library.
 */
export function redisCommands(
  host: string,
  port: number,
  commands: readonly (readonly string[])[],
  options: RedisCommandOptions = {},
): Promise<string[]> {
  const timeoutMs = options.timeoutMs ?? 1000;
  return new Promise((resolve, reject) => {
    const socket = options.tls
      ? tlsConnect({ host, port, rejectUnauthorized: false })
      : netConnect({ host, port });
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new Error(`no answer within ${timeoutMs} ms`)),
    );
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      const lines = received.split('\r\n').slice(0, -1);
      if (lines.length >= commands.length) {
        socket.end();
        resolve(lines.slice(0, commands.length));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error('connection closed before every reply came')));
    socket.write(commands.map(encodeCommand).join(''));
  });
}

/** RESP array of bulk strings: safe for any byte in a password. */
function encodeCommand(args: readonly string[]): string {
  let out = `*${args.length}\r\n`;
  for (const arg of args) out += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
  return out;
}
