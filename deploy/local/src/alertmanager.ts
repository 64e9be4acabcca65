import { mkdir } from 'node:fs/promises';
import { findOnPath, missingBinaryError } from './find-binary.js';
import { answers200, postReload } from './http-ready.js';
import type { LogFn, RunningServer } from './running-server.js';
import { ServerProcess } from './server-process.js';
import { STOP_GRACE_MS, onPort, waitReady } from './wait-ready.js';

export interface AlertmanagerOptions {
  /** Its silences and notification log; created when missing. */
  readonly dataDir: string;
  readonly configFile: string;
  /** @default a free port */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  readonly log?: LogFn;
}

export interface RunningAlertmanager extends RunningServer {
  /** `http://host:port`: the UI, and the API under `/api/v2`. */
  readonly url: string;
  /** Re-reads the config file (`POST /-/reload`). */
  reload(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;

/**
 * Starts Debian's Alertmanager (its binary is `prometheus-alertmanager`; upstream's
 * `alertmanager` is used when that is what PATH has) as a single instance: no cluster port.
 */
export async function startAlertmanager(
  options: AlertmanagerOptions,
): Promise<RunningAlertmanager> {
  const binary = findOnPath('prometheus-alertmanager') ?? findOnPath('alertmanager');
  if (!binary) {
    throw missingBinaryError('prometheus-alertmanager', 'on PATH', 'prometheus-alertmanager');
  }
  const host = options.host ?? '127.0.0.1';
  const { dataDir } = options;
  await mkdir(dataDir, { recursive: true });
  return onPort(options.port, host, async (port) => {
    const args = [
      `--config.file=${options.configFile}`,
      `--storage.path=${dataDir}`,
      `--web.listen-address=${host}:${port}`,
      // Empty: no gossip listener, so two instances (tests, make up) never collide on 9094.
      '--cluster.listen-address=',
    ];
    const server = new ServerProcess(`alertmanager on ${host}:${port}`, binary, args, {
      log: options.log,
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
