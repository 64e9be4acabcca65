import { createServer } from 'node:net';

/** Fails early, naming the port and its owner, instead of a component dying half-started. */
export async function assertPortFree(host: string, port: number, what: string): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
  if (!free) {
    throw new Error(
      `port ${port} on ${host} (${what}) is already in use: stop what listens there ` +
        `(see \`ss -ltnp 'sport = :${port}'\`) and run again`,
    );
  }
}
