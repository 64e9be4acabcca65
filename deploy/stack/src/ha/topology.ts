/**
 * The HA stack's shape (`make up HA=1`, test/ha-loop): how many of each part run, and the
 * names they carry. One home for these numbers; the parts and the tests import them.
 */
export const HA_TOPOLOGY = {
  /** The external label that tells the Prometheus replicas apart. */
  replicaLabel: 'replica',
  /** Prometheus replicas, by their `replica` external label. */
  prometheusReplicas: ['a', 'b'],
  /**
   * The replica that remote-writes to the global Prometheus. Prometheus' receiver cannot
   * merge two writers of the same series (their samples interleave out of order, and one
   * replica's staleness markers would blank the other's values), so one replica writes and
   * both evaluate the rules: alerting survives either replica, the global view survives `a`.
   */
  remoteWriter: 'a',
  /** Alertmanager peers in one gossip cluster; every Prometheus replica sends to all. */
  alertmanagerPeers: 3,
  /** Remediation replicas on one PostgreSQL, behind one webhook address. */
  remediationReplicas: ['a', 'b'],
  /** Probe daemons sharing the `/probe` targets by `hashmod`. */
  probeShards: 2,
} as const;

/** The HA option of a composition; `true` takes the topology above. */
export interface HaOptions {
  /** Probe daemons (resharding tests start with 2 and move to 3). @default 2 */
  readonly probeShards?: number;
  /** Alertmanager's `--cluster.peer-timeout` (tests shorten the wait between peers). */
  readonly peerTimeout?: string;
}
