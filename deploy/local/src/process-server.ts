import { answers200 } from './http-ready.js';
import type { LogFn } from './running-server.js';
import { ServerProcess, type Exit } from './server-process.js';
import { STOP_GRACE_MS, waitReady } from './wait-ready.js';

export interface ProcessServerOptions {
  /** Names the process in errors and logs, e.g. `remediation replica b`. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Its base URL; ready once `url + readyPath` answers 200. */
  readonly url: string;
  readonly readyPath: string;
  /** @default 30 s */
  readonly timeoutMs?: number;
  readonly log?: LogFn;
}

/** A server of ours run as a child process, so that a test can kill it as a crash would. */
export interface RunningProcessServer {
  readonly name: string;
  readonly url: string;
  readonly exited: Promise<Exit>;
  /** Sends `signal` (SIGKILL: a crash, no shutdown hooks) and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<Exit>;
  /** SIGTERM, then SIGKILL after the grace period. */
  stop(): Promise<void>;
  /** Its last lines of output, for error messages. */
  recentOutput(): string;
  /** Starts the same command again (after a kill), ready as before. */
  restart(): Promise<RunningProcessServer>;
}

/** Starts the child; an error naming it, with its last output, if it exits or stays unready. */
export async function startProcessServer(
  options: ProcessServerOptions,
): Promise<RunningProcessServer> {
  const child = new ServerProcess(options.name, options.command, options.args, {
    log: options.log,
  });
  await waitReady(child, () => answers200(`${options.url}${options.readyPath}`), {
    timeoutMs: options.timeoutMs ?? 30_000,
    stopSignal: 'SIGTERM',
  });
  return {
    name: options.name,
    url: options.url,
    exited: child.exited,
    kill: async (signal) => {
      child.signal(signal);
      return child.exited;
    },
    stop: () => child.stop('SIGTERM', STOP_GRACE_MS),
    recentOutput: () => child.recentOutput(),
    restart: () => startProcessServer(options),
  };
}
