import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ConnectionOptions, TLSSocket } from 'node:tls';
import { Client, buildConnector } from 'undici';

/** How the connection that served a request was made; absent when it was reused. */
export interface ConnectTiming {
  readonly startedAt: number;
  /** DNS answer (the socket's `lookup` event); equals `startedAt` for IP literals. */
  readonly resolvedAt: number;
  readonly connectedAt: number;
  /** TLS handshake done; equals `connectedAt` for plain HTTP. */
  readonly secureAt: number;
  readonly tlsSocket: TLSSocket | undefined;
}

/** One connection: an undici Client with pipelining 1, used by one probe at a time. */
export interface PooledConnection {
  readonly client: Client;
  /** Set by the connector when this connection (re)connects; the prober resets it per request. */
  lastConnect: ConnectTiming | undefined;
  /** The TLS socket of the live connection, kept for cert series on reused connections. */
  tlsSocket: TLSSocket | undefined;
  /** 4 or 6: the address family of the live connection (`probe_ip_protocol`). */
  ipProtocol: number | undefined;
}

const MAX_IDLE_PER_ORIGIN = 32;

/**
 * Keep-alive connections per origin, checked out by one probe at a time. Unlike undici's
 * Pool, the checkout tells the prober whether its request opened a connection, so the
 * connect and TLS phases are exact, and a new connection costs ~7× the CPU of a reused one.
 */
export class HttpConnectionPool {
  private readonly idle = new Map<string, PooledConnection[]>();
  private closed = false;

  constructor(
    private readonly tls: ConnectionOptions,
    private readonly connectTimeoutMs: number,
  ) {}

  acquire(origin: string): PooledConnection {
    const connection = this.idle.get(origin)?.pop();
    return connection && !connection.client.destroyed ? connection : this.open(origin);
  }

  /** Returns a healthy connection for reuse; anything else is destroyed. */
  release(origin: string, connection: PooledConnection, reusable: boolean): void {
    const list = this.idle.get(origin) ?? [];
    if (
      !reusable ||
      this.closed ||
      connection.client.destroyed ||
      list.length >= MAX_IDLE_PER_ORIGIN
    ) {
      connection.client.destroy().catch(() => undefined);
      return;
    }
    list.push(connection);
    this.idle.set(origin, list);
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.idle.values()].flat();
    this.idle.clear();
    await Promise.all(all.map((c) => c.client.destroy().catch(() => undefined)));
  }

  private open(origin: string): PooledConnection {
    const base = buildConnector({
      ...this.tls,
      timeout: this.connectTimeoutMs,
    } as buildConnector.BuildOptions);
    const connection: PooledConnection = {
      client: undefined as unknown as Client,
      lastConnect: undefined,
      tlsSocket: undefined,
      ipProtocol: undefined,
    };
    const client = new Client(origin, {
      pipelining: 1,
      keepAliveTimeout: 4_000,
      connect: (options, callback) => {
        const startedAt = performance.now();
        let resolvedAt = startedAt;
        let connectedAt = startedAt;
        // undici's typings say void, but its connector returns the socket it opens, which is
        // what lets us time DNS and TCP apart from the TLS handshake.
        const socket = base(options, (error, established) => {
          if (error || !established) {
            callback(error ?? new Error('connect failed'), null);
            return;
          }
          const secureAt = performance.now();
          const tlsSocket = 'encrypted' in established ? (established as TLSSocket) : undefined;
          if (!tlsSocket) connectedAt = secureAt;
          connection.tlsSocket = tlsSocket;
          connection.ipProtocol = established.remoteFamily === 'IPv6' ? 6 : 4;
          connection.lastConnect = { startedAt, resolvedAt, connectedAt, secureAt, tlsSocket };
          callback(null, established);
        });
        const opened = socket as unknown as Socket | undefined;
        opened?.once('lookup', () => (resolvedAt = performance.now()));
        opened?.once('connect', () => (connectedAt = performance.now()));
        return socket;
      },
    });
    (connection as { client: Client }).client = client;
    // A connection error surfaces on the request that used it; the client itself must not
    // emit an unhandled 'error'.
    client.on('connectionError', () => undefined);
    return connection;
  }
}
