import { mkdir } from 'node:fs/promises';
import { findOnPath, missingBinaryError } from './find-binary.js';
import { answers200, postReload } from './http-ready.js';
import type { LogFn, RunningServer } from './running-server.js';
import { ServerProcess } from './server-process.js';
import { STOP_GRACE_MS, onPort, waitReady } from './wait-ready.js';

export interface PrometheusOptions {
  /** Its TSDB; created when missing. Reused between runs by `make up`. */
  readonly dataDir: string;
  /** A prometheus.yml (rule files in it are read relative to it). */
  readonly configFile: string;
  /** @default a free port */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  readonly log?: LogFn;
}

export interface RunningPrometheus extends RunningServer {
  /** `http://host:port`, for the UI and the HTTP API. */
  readonly url: string;
  /** Re-reads the config and rule files (`POST /-/reload`). */
  reload(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;

/** Starts Debian's `prometheus`; resolves once `/-/ready` answers 200. */
export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  const binary = findOnPath('prometheus');
  if (!binary) throw missingBinaryError('prometheus', 'on PATH', 'prometheus');
  const host = options.host ?? '127.0.0.1';
  const { dataDir } = options;
  await mkdir(dataDir, { recursive: true });
  return onPort(options.port, host, async (port) => {
    const args = [
      `--config.file=${options.configFile}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=${host}:${port}`,
      '--web.enable-lifecycle',
    ];
    const server = new ServerProcess(`prometheus on ${host}:${port}`, binary, args, {
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
