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
  /**
   * A peer of a gossip cluster: its own cluster address and the others'. None: a single
   * instance with no cluster listener.
   */
  readonly cluster?: AlertmanagerCluster;
}

export interface AlertmanagerCluster {
  /** `host:port` this peer gossips on (also advertised: loopback has no private IP). */
  readonly listenAddress: string;
  /** The other peers' cluster addresses. */
  readonly peers: readonly string[];
  /**
   * How long a peer waits per position before it sends what an earlier peer should have
   * sent (Alertmanager's `--cluster.peer-timeout`). @default '15s'
   */
  readonly peerTimeout?: string;
}

/** `url` is the UI, with the API under `/api/v2`; `reload()` re-reads the config file. */
export type RunningAlertmanager = RunningHttpServer;

/**
 * Starts Debian's Alertmanager (its binary is `prometheus-alertmanager`; upstream's
 * `alertmanager` is used when that is what PATH has): a single instance with no cluster
 * port, or one peer of a gossip cluster.
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
    extraArgs: clusterArgs(options.cluster),
  });
}

function clusterArgs(cluster: AlertmanagerCluster | undefined): string[] {
  // Empty: no gossip listener, so two instances (tests, make up) never collide on 9094.
  if (cluster === undefined) return ['--cluster.listen-address='];
  return [
    `--cluster.listen-address=${cluster.listenAddress}`,
    `--cluster.advertise-address=${cluster.listenAddress}`,
    ...cluster.peers.map((peer) => `--cluster.peer=${peer}`),
    ...(cluster.peerTimeout === undefined ? [] : [`--cluster.peer-timeout=${cluster.peerTimeout}`]),
  ];
}
