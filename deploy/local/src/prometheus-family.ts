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

/** What every Prometheus-family launcher takes (`PrometheusOptions`, `AlertmanagerOptions`). */
export interface PrometheusFamilyOptions {
  /** Its data; created when missing. */
  readonly dataDir: string;
  readonly configFile: string;
  /** @default a free port */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  readonly log?: LogFn;
}

export interface PrometheusFamilyLaunch {
  /** `prometheus`, `alertmanager`: names the process in logs and errors. */
  readonly what: string;
  readonly binary: string;
  readonly options: PrometheusFamilyOptions;
  /** The flag that names the data folder, e.g. `--storage.tsdb.path`. */
  readonly storageFlag: string;
  /** Flags after the config file, the data folder and the listen address. */
  readonly extraArgs: readonly string[];
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
  const { dataDir, configFile, log } = launch.options;
  const host = launch.options.host ?? '127.0.0.1';
  await mkdir(dataDir, { recursive: true });
  return onPort(launch.options.port, host, async (port) => {
    const args = [
      `--config.file=${configFile}`,
      `${launch.storageFlag}=${dataDir}`,
      `--web.listen-address=${host}:${port}`,
      ...launch.extraArgs,
    ];
    const server = new ServerProcess(`${launch.what} on ${host}:${port}`, launch.binary, args, {
      log,
      cwd: dataDir,
    });
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
