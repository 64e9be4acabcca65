import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the stand-in received: counted outside the service under test. */
export interface BackendCall {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

export interface BackendStandIn {
  /** A layer service config entry for remediation's `http.services`. */
  readonly url: string;
  readonly calls: BackendCall[];
  /** The executions that reached it: every PUT, by the batch size it set. */
  puts(): number[];
  stop(): Promise<void>;
}

/**
 * Layer 4's batching endpoint (`GET/PUT /api/config/batching`), as set-batching calls it,
 * logging every call before it answers. A PUT setting `hold` is logged and never answered,
 * so a test can kill the service while that execution is in flight.
 */
export async function startBackend(hold?: number): Promise<BackendStandIn> {
  const calls: BackendCall[] = [];
  let batchSize = 1;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text === '' ? undefined : (JSON.parse(text) as unknown);
      calls.push({ method: req.method ?? '', path: req.url ?? '', body });
      const answer = () => {
        if (req.method === 'PUT') batchSize = (body as { batch_size: number }).batch_size;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ batch_size: batchSize }));
      };
      if (req.method !== 'PUT' || (body as { batch_size?: unknown }).batch_size !== hold) answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    puts: () =>
      calls
        .filter((c) => c.method === 'PUT')
        .map((c) => (c.body as { batch_size: number }).batch_size),
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
