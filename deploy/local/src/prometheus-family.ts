import { mkdir } from 'node:fs/promises';
import { answers200, postReload } from './http-ready.js';
import type { LogFn, RunningServer } from './running-server.js';
import { ServerProcess } from './server-process.js';
import { STOP_GRACE_MS, onPort, waitReady } from './wait-ready.js';

/** A Prometheus-family server: ready at `/-/ready`, reloads at `POST /-/reload`. */
export interface RunningHttpServer extends RunningServer {
  /** `http://host:port`. */
  readonly url: string;
  /** Re-reads the config (`POST /-/reload`). */
  reload(): Promise<void>;
}

export interface PrometheusFamilyLaunch {
  /** `prometheus`, `alertmanager`: names the process in logs and errors. */
  readonly what: string;
  readonly binary: string;
  readonly dataDir: string;
  readonly port?: number | undefined;
  readonly host?: string | undefined;
  readonly log?: LogFn | undefined;
  /** Its command line for the chosen address. */
  readonly args: (host: string, port: number) => string[];
}

const READY_TIMEOUT_MS = 30_000;

/**
 * Starts Prometheus or Alertmanager (both Prometheus-project servers, same lifecycle): data
 * folder created, a free port unless one is given, ready once `/-/ready` answers 200,
 * stopped by SIGTERM.
 */
export async function startPrometheusFamily(
  launch: PrometheusFamilyLaunch,
): Promise<RunningHttpServer> {
  const host = launch.host ?? '127.0.0.1';
  const { dataDir } = launch;
  await mkdir(dataDir, { recursive: true });
  return onPort(launch.port, host, async (port) => {
    const server = new ServerProcess(
      `${launch.what} on ${host}:${port}`,
      launch.binary,
      launch.args(host, port),
      { log: launch.log, cwd: dataDir },
    );
    const url = `http://${host}:${port}`;
    await waitReady(server, () => answers200(`${url}/-/ready`), {
      timeoutMs: READY_TIMEOUT_MS,
      stopSignal: 'SIGTERM',
    });
    return {
      host,
      port,
      dataDir,
      url,
      reload: () => postReload(url, server.name),
      stop: () => server.stop('SIGTERM', STOP_GRACE_MS),
    };
  });
}
