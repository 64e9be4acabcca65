import { findOnPath, missingBinaryError } from './find-binary.js';
import { startPrometheusFamily, type RunningHttpServer } from './prometheus-family.js';
import type { LogFn } from './running-server.js';

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
  /** Accept remote writes at `/api/v1/write` (a global view fed by replicas). @default false */
  readonly remoteWriteReceiver?: boolean;
}

/** `url` serves the UI and the HTTP API; `reload()` re-reads the config and rule files. */
export type RunningPrometheus = RunningHttpServer;

/** Starts Debian's `prometheus`; resolves once `/-/ready` answers 200. */
export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  const binary = findOnPath('prometheus');
  if (!binary) throw missingBinaryError('prometheus', 'on PATH', 'prometheus');
  return startPrometheusFamily({
    what: 'prometheus',
    binary,
    options,
    storageFlag: '--storage.tsdb.path',
    extraArgs: [
      '--web.enable-lifecycle',
      ...(options.remoteWriteReceiver === true ? ['--web.enable-remote-write-receiver'] : []),
    ],
  });
}
