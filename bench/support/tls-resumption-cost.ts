import type { TLSSocket } from 'node:tls';
import { Client, buildConnector } from 'undici';

export interface HandshakeCost {
  readonly resumption: boolean;
  readonly requests: number;
  /** Handshakes that resumed a session (no certificate presented). */
  readonly resumed: number;
  readonly cpuMsPerRequest: number;
}

/**
 * CPU per request of an HTTPS client whose every request needs a new connection (the
 * target closes after each answer), with undici's TLS session cache on or off: the two
 * choices for certificate series on new connections. Off is a full handshake each time (what
 * we ship); on is a resumed handshake, plus a certificate kept from the first full one.
 */
export async function handshakeCost(
  origin: string,
  resumption: boolean,
  requests: number,
): Promise<HandshakeCost> {
  const base = buildConnector({
    rejectUnauthorized: false,
    maxCachedSessions: resumption ? 100 : 0,
  } as buildConnector.BuildOptions);
  let resumed = 0;
  const client = new Client(origin, {
    pipelining: 1,
    connect: (options, callback) =>
      base(options, (error, socket) => {
        if (error || !socket) return callback(error ?? new Error('connect failed'), null);
        if ((socket as TLSSocket).isSessionReused()) resumed += 1;
        callback(null, socket);
      }),
  });
  const run = async (count: number): Promise<void> => {
    for (let i = 0; i < count; i += 1) {
      const response = await client.request({ path: '/', method: 'GET' });
      await response.body.dump();
    }
  };
  try {
    await run(50); // warm-up: the first full handshake, JIT
    resumed = 0;
    const cpu = process.cpuUsage();
    await run(requests);
    const used = process.cpuUsage(cpu);
    return {
      resumption,
      requests,
      resumed,
      cpuMsPerRequest: (used.user + used.system) / 1000 / requests,
    };
  } finally {
    await client.close();
  }
}
