import { isIP, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ConnectionOptions, TLSSocket } from 'node:tls';
import { readTlsInfo, type TlsInfo } from './tls-series.js';
import { Client, buildConnector } from 'undici';

/** How the connection that served a request was made; absent when it was reused. */
export interface ConnectTiming {
  readonly startedAt: number;
  /** DNS answer (the socket's `lookup` event); equals `startedAt` for IP literals. */
  readonly resolvedAt: number;
  readonly connectedAt: number;
  /** TLS handshake done; equals `connectedAt` for plain HTTP. */
  readonly secureAt: number;
  readonly tls: TlsInfo | undefined;
}

/** One connection: an undici Client with pipelining 1, used by one probe at a time. */
export interface PooledConnection {
  readonly client: Client;
  /** Set by the connector when this connection (re)connects; the prober resets it per request. */
  lastConnect: ConnectTiming | undefined;
  /** What the latest TLS handshake showed, kept for cert series on reused connections. */
  tls: TlsInfo | undefined;
  /** The address the latest connect went to (known once resolved, even if connect fails). */
  remoteAddress: string | undefined;
  /** Destroys the client, failing its queued request with `reason` (made once per connection). */
  readonly drop: (reason: Error) => void;
}

/**
 * Idle connections kept per origin. As high as the daemon's probe concurrency, so a round of
 * scheduled probes finds its connections again; idle ones close on their keep-alive timeout.
 */
const MAX_IDLE_PER_ORIGIN = 1024;

function describeLeaf(tls: TlsInfo | undefined): string {
  const expiry = tls?.expiries[0];
  const expires =
    expiry === undefined ? 'no expiry' : `expires ${new Date(expiry * 1000).toISOString()}`;
  return `subject ${tls?.leaf?.subject ?? 'unknown'}, issuer ${tls?.leaf?.issuer ?? 'unknown'}, ${expires}`;
}

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
    // We verify the chain ourselves after the handshake, so a rejected certificate's expiry
    // and details are still reported (as blackbox_exporter does) before the probe fails.
    const verify = this.tls.rejectUnauthorized !== false;
    // No TLS session resumption: a resumed handshake presents no certificate, so its expiry
    // could not be read, and a renewed certificate would go unseen until the ticket expired.
    // Every new connection gets a full handshake, as blackbox_exporter does; a kept-alive
    // connection reports what its own handshake showed (bench/probe-endpoint.ts measures both).
    const base = buildConnector({
      ...this.tls,
      rejectUnauthorized: false,
      timeout: this.connectTimeoutMs,
      maxCachedSessions: 0,
    } as buildConnector.BuildOptions);
    const connection: PooledConnection = {
      client: undefined as unknown as Client,
      lastConnect: undefined,
      tls: undefined,
      remoteAddress: undefined,
      // undici waits for a connect in progress (up to its connect timeout) before it
      // honours destroy(), so the socket still connecting is destroyed here first.
      drop: (reason) => {
        connecting?.destroy(reason);
        void client.destroy(reason).catch(() => undefined);
      },
    };
    let connecting: Socket | undefined;
    const client = new Client(origin, {
      pipelining: 1,
      // Up to 30 s idle; a server's own Keep-Alive hint (minus a margin) wins when shorter.
      keepAliveTimeout: 30_000,
      connect: (options, callback) => {
        const startedAt = performance.now();
        connection.remoteAddress = isIP(options.hostname) ? options.hostname : undefined;
        let resolvedAt = startedAt;
        let connectedAt = startedAt;
        // undici's typings say void, but its connector returns the socket it opens, which is
        // what lets us time DNS and TCP apart from the TLS handshake.
        const socket = base(options, (error, established) => {
          connecting = undefined;
          if (error || !established) {
            callback(error ?? new Error('connect failed'), null);
            return;
          }
          const secureAt = performance.now();
          const tlsSocket = 'encrypted' in established ? (established as TLSSocket) : undefined;
          if (!tlsSocket) connectedAt = secureAt;
          const tls = tlsSocket && readTlsInfo(tlsSocket);
          connection.tls = tls;
          connection.remoteAddress = established.remoteAddress ?? connection.remoteAddress;
          connection.lastConnect = { startedAt, resolvedAt, connectedAt, secureAt, tls };
          if (verify && tlsSocket && !tlsSocket.authorized) {
            // Like blackbox_exporter, no TLS series for a rejected chain; the probe log says
            // what was presented, which is what on-call needs to act.
            connection.tls = undefined;
            const code = String(tlsSocket.authorizationError);
            const message = `certificate verification failed: ${code} (${describeLeaf(tls)})`;
            established.destroy();
            callback(Object.assign(new Error(message), { code }), null);
            return;
          }
          callback(null, established);
        });
        const opened = socket as unknown as Socket | undefined;
        connecting = opened;
        opened?.once('lookup', (_error: Error | null, address: string) => {
          resolvedAt = performance.now();
          connection.remoteAddress = address;
        });
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
