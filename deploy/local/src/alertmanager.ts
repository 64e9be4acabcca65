import { findOnPath, missingBinaryError } from './find-binary.js';
import { startPrometheusFamily, type RunningHttpServer } from './prometheus-family.js';
import type { LogFn } from './running-server.js';

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

/** `url` is the UI, with the API under `/api/v2`; `reload()` re-reads the config file. */
export type RunningAlertmanager = RunningHttpServer;

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
  return startPrometheusFamily({
    what: 'alertmanager',
    binary,
    options,
    storageFlag: '--storage.path',
    // Empty: no gossip listener, so two instances (tests, make up) never collide on 9094.
    extraArgs: ['--cluster.listen-address='],
  });
}
