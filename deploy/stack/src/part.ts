import type { ConfigOverrides } from '@layerwatch/alert-rules';
import type {
  RunningAlertmanager,
  RunningPostgres,
  RunningPrometheus,
  RunningServer,
} from '@layerwatch/local';
import type { RunningDaemon } from '@layerwatch/probes';
import type { RunningSimulator } from '@layerwatch/sim';
import type { RunningPluginHost } from '@layerwatch/grafana-plugin/preview-host';
import type { HaOptions } from './ha/topology.js';
import type { StartedRemediation, RemediationOptions } from './remediation.js';

/** The parts of the stack, in an order that starts every part after what it needs. */
export const PART_NAMES = [
  'redis',
  'postgres',
  'sim',
  'probes',
  'gpuNode',
  'remediation',
  'alertmanager',
  'prometheus',
  'pluginHost',
] as const;
export type PartName = (typeof PART_NAMES)[number];

/** How one composition of the stack runs: `make up`, the closed loop, the soak. */
export interface ComposeOptions {
  /** Every part's config and data go under it (`.state/` for `make up`, a temp dir for tests). */
  readonly dir: string;
  /** Where the remediation tokens are written. @default `<dir>/tokens` */
  readonly tokenDir?: string;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** `default`: the documented ports, refused if taken; `free`: free loopback ports. */
  readonly ports: 'default' | 'free';
  /**
   * Redis and PostgreSQL data persist under `dir` between runs (`make up`). Otherwise
   * PostgreSQL's goes in a temp folder of its own (it runs as its own user, who may not enter
   * a 0700 test dir), removed at stop. @default false
   */
  readonly keepData?: boolean;
  /**
   * Probe, collector, scrape and rule-evaluation interval in seconds, for tests; none: the
   * embedded default config and Prometheus's own intervals, as `make up` runs.
   */
  readonly intervalSeconds?: number;
  /** Alert-rule config overrides on top of the committed config (short `for:`s, timing). */
  readonly rules?: ConfigOverrides;
  /** Auto-remediation rules of the remediation service; none: auto-remediation off. */
  readonly autoRemediation?: RemediationOptions['autoRemediation'];
  /** Per-action settings of the remediation service (a test's cooldowns). @default its defaults */
  readonly remediationActions?: RemediationOptions['actions'];
  /** Random 0..N ms added to every simulated answer (the soak's jitter). @default 0 */
  readonly latencyJitterMs?: number;
  /** @default 'warn' ('silent' for tests) */
  readonly logLevel?: 'warn' | 'silent';
  /** Progress lines. @default nowhere */
  readonly log?: (line: string) => void;
  /**
   * Alertmanager pages this receiver instead of the remediation part's webhook, and no
   * longer needs remediation (the alerting tests' stand-in receiver). @default remediation
   */
  readonly webhookUrl?: string;
  /** Who `/login?user=` signs in as on the preview host. @default operator (Editor), viewer */
  readonly pluginUsers?: readonly { readonly login: string; readonly role: 'Editor' | 'Viewer' }[];
  /**
   * The HA stack (deploy/stack/src/ha/topology.ts): Prometheus replicas and a global
   * Prometheus, an Alertmanager cluster, remediation replicas on PostgreSQL, sharded probe
   * daemons. The parts' own ports are the ones users open (the global Prometheus, the first
   * Alertmanager peer, the remediation address); the other instances take free ports.
   */
  readonly ha?: HaOptions;
}

/** What a part's needs may depend on. */
export type NeedsOptions = Pick<ComposeOptions, 'webhookUrl' | 'ha'>;

/** Every port a composition uses, decided before anything starts (parts point at each other). */
export type StackPorts = Readonly<
  Record<Exclude<PartName, 'sim'>, number> & { sim: Readonly<Record<string, number>> }
>;

/** What has started so far; a part reads the parts it needs from here. */
export interface StackState {
  redis?: RunningServer;
  postgres?: RunningPostgres;
  sim?: RunningSimulator;
  probes?: RunningDaemon;
  /** The GPU node's daemon, and the node name its series carry. */
  gpuNode?: { readonly daemon: RunningDaemon; readonly node: string };
  remediation?: StartedRemediation;
  /** The Alertmanager the app and users open (HA: the cluster's peer 0). */
  alertmanager?: RunningAlertmanager;
  /** Every Alertmanager: the one above, or each peer of the HA cluster. */
  alertmanagerPeers?: readonly RunningAlertmanager[];
  /** The Prometheus dashboards and the app query (HA: the global one, fed by remote write). */
  prometheus?: RunningPrometheus;
  /** HA: the replicas that scrape and evaluate the rules, by `replica` label. */
  prometheusReplicas?: Readonly<Record<string, RunningPrometheus>>;
  /** HA: the probe daemons sharing the `/probe` targets, shard 0 first (`probes` is shard 0). */
  probeShards?: RunningDaemon[];
  /**
   * HA: moves the `/probe` targets onto `count` probe daemons (starting or stopping the
   * difference) and reloads every running Prometheus replica with the new `hashmod`.
   */
  reshardProbes?: (count: number) => Promise<void>;
  pluginHost?: RunningPluginHost;
}

export interface PartContext {
  readonly options: ComposeOptions;
  readonly host: string;
  readonly ports: StackPorts;
  /** Where the demo factory writes its exports, ledger and readiness file. */
  readonly factoryRoot: string;
  readonly state: StackState;
}

/** A started part: what to show the user, and how to stop it. */
export interface StackPart {
  readonly name: string;
  readonly urls: readonly string[];
  stop(): Promise<void>;
}

/** One part of the stack: what it needs first, and how it starts (ready when it resolves). */
export interface PartSpec {
  readonly name: PartName;
  readonly title: string;
  /** The parts this one needs running first; a function where options change them. */
  readonly needs: readonly PartName[] | ((options: NeedsOptions) => readonly PartName[]);
  /** Starts the part, records it in `ctx.state`, and returns what `make up` shows and stops. */
  start(ctx: PartContext): Promise<StackPart>;
}

/** The started part `name` that this part needs; a composition error if it is not running. */
export function need<K extends keyof StackState>(
  state: StackState,
  name: K,
  by: PartName,
): NonNullable<StackState[K]> {
  const part = state[name];
  if (part === undefined) throw new Error(`the ${by} part needs ${name}, which is not running`);
  return part as NonNullable<StackState[K]>;
}
