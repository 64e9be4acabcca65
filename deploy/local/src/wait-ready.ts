import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './net/free-port.js';
import type { ServerProcess } from './server-process.js';

const POLL_MS = 50;
export const STOP_GRACE_MS = 10_000;

/** The server exited before it was ready; `output` holds its last lines. */
export class ServerExitedError extends Error {
  constructor(
    readonly serverName: string,
    readonly output: string,
  ) {
    super(`${serverName} exited before it was ready:\n${output}`);
    this.name = 'ServerExitedError';
  }
}

/**
 * Polls `isReady` until it answers true. Stops the server and throws when it exits first,
 * when `isReady` throws (a definitive no, like a wrong password), or at `timeoutMs`.
 */
export async function waitReady(
  server: ServerProcess,
  isReady: () => Promise<boolean>,
  options: { readonly timeoutMs: number; readonly stopSignal: NodeJS.Signals },
): Promise<void> {
  const { timeoutMs, stopSignal } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.hasExited) throw new ServerExitedError(server.name, server.recentOutput());
    try {
      if (await isReady()) return;
    } catch (error) {
      await server.stop(stopSignal, STOP_GRACE_MS);
      throw error;
    }
    if (Date.now() > deadline) {
      await server.stop(stopSignal, STOP_GRACE_MS);
      throw new Error(
        `${server.name} was not ready after ${timeoutMs} ms:\n${server.recentOutput()}`,
      );
    }
    await sleep(POLL_MS);
  }
}

/**
 * Calls `start` on `port`, or on a free port when none is given. A free port can be taken
 * between the check and the bind, so that case is retried on another one.
 */
export async function onPort<T>(
  port: number | undefined,
  host: string,
  start: (port: number) => Promise<T>,
): Promise<T> {
  if (port !== undefined && port !== 0) return start(port);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await start(await freePort(host));
    } catch (error) {
      const portTaken = error instanceof ServerExitedError && /already in use/i.test(error.output);
      if (!portTaken || attempt >= 3) throw error;
    }
  }
}
