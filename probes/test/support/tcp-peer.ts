import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { tcpSettingsSchema } from '../../src/config/tcp-settings.js';
import { SampleList, type Sample } from '../../src/format/sample-sink.js';
import { tcpProber } from '../../src/prober/tcp.js';
import type { FailureReason } from '../../src/prober/failure-reason.js';
import { probeContext } from './probe-context.js';
import type { ProbeOutcome } from '../../src/prober/types.js';

const servers = new Set<Server>();
const connections = new Set<Socket>();

/** A real server on a free loopback port; `onSocket` plays the peer. Returns `host:port`. */
export async function servePeer(
  onSocket: (socket: Socket) => void,
  tls?: TlsOptions,
  host = '127.0.0.1',
): Promise<string> {
  const handle = (socket: Socket): void => {
    connections.add(socket);
    socket.on('error', () => {});
    onSocket(socket);
  };
  const server = tls ? createTlsServer(tls, handle) : createServer(handle);
  servers.add(server);
  await new Promise<void>((done) => server.listen(0, host, done));
  const { port } = server.address() as AddressInfo;
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Stops every peer `servePeer` started (for `afterEach`), so their ports close. */
export async function closePeers(): Promise<void> {
  connections.forEach((socket) => socket.destroy());
  connections.clear();
  await Promise.all([...servers].map((server) => new Promise((done) => server.close(done))));
  servers.clear();
}

/** Whether this machine has an IPv6 loopback; some CI machines do not. */
export function ipv6Loopback(): Promise<boolean> {
  return new Promise<boolean>((done) => {
    const server = createServer()
      .once('error', () => done(false))
      .listen(0, '::1', () => server.close(() => done(true)));
  });
}

export interface TcpRun {
  readonly outcome: ProbeOutcome;
  readonly samples: readonly Sample[];
  /** The probe's log, one line per entry. */
  readonly log: string;
  value(name: string): number | undefined;
}

/** Runs the tcp prober as the handler would: settings parsed and prepared, a deadline set. */
export async function probeTcp(
  target: string,
  settings: unknown = {},
  timeoutMs = 3000,
): Promise<TcpRun> {
  const prepared = tcpProber.prepare(tcpSettingsSchema.parse(settings));
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const metrics = new SampleList();
  const log: string[] = [];
  const record = (line: string): void => void log.push(line);
  try {
    const outcome = await tcpProber.probe(
      probeContext({
        target,
        settings: prepared,
        signal: controller.signal,
        timeoutMs,
        metrics,
        log: { debug: record, info: record },
      }),
    );
    const value = (name: string): number | undefined =>
      metrics.samples.find((sample) => sample.name === name)?.value;
    return { outcome, samples: metrics.samples, log: log.join('\n'), value };
  } finally {
    clearTimeout(timer);
  }
}

export const failed = (reason: FailureReason): ProbeOutcome => ({ success: false, reason });
