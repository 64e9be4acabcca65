/**
 * prometheus.yml for a Prometheus that runs these rules: the scrape jobs carry the job
 * names the rules' selectors use (from the config), so the two cannot drift apart.
 */
import type { AlertRulesConfig } from './config-types.js';
import { toYaml } from './outputs.js';
import type { Duration } from './types.js';

export interface PrometheusSetup {
  /** `host:port` of each probe daemon whose `/metrics` (scheduled probes, collectors) it scrapes. */
  readonly probes: readonly string[];
  /**
   * Targets probed through `/probe` (blackbox_exporter's way), spread over `daemons` by
   * `hashmod` of the target: each target goes to exactly one daemon.
   */
  readonly probeShards?: ProbeShards;
  /**
   * One replica of an HA pair: its external label (`replica: a`), which it drops from the
   * alerts it sends, so that Alertmanager sees one alert from both replicas, and from what
   * it remote-writes, so that the global view has one series, not one per replica.
   */
  readonly replica?: { readonly label: string; readonly value: string };
  /** Where it remote-writes everything it scrapes and records. */
  readonly remoteWriteUrl?: string;
  /** Layer services that serve the exporters' `/metrics`, with their `layer`. */
  readonly layers?: readonly { readonly target: string; readonly layer: string }[];
  /** Layerwatch daemons on GPU nodes, with the node name their GPU series carry. */
  readonly gpuNodes?: readonly { readonly target: string; readonly node: string }[];
  /** `host:port` of each Alertmanager. */
  readonly alertmanagers: readonly string[];
  /** Absolute paths of rule files. */
  readonly ruleFiles: readonly string[];
  /** @default '15s' */
  readonly scrapeInterval?: Duration;
  /** @default the scrape interval */
  readonly evaluationInterval?: Duration;
}

export interface ProbeShards {
  /** `host:port` of each probe daemon, shard 0 first. */
  readonly daemons: readonly string[];
  /** Each target with its module and the labels its series carry (`name`, `layer`). */
  readonly targets: readonly {
    readonly target: string;
    readonly module: string;
    readonly labels: Readonly<Record<string, string>>;
  }[];
}

export function prometheusConfig(config: AlertRulesConfig, setup: PrometheusSetup): string {
  const scrapeInterval = setup.scrapeInterval ?? '15s';
  const { replica } = setup;
  // honor_labels: the series bring their own `layer` and `node`; keep them as written.
  const jobs: Record<string, unknown>[] = [
    {
      job_name: config.jobs.probes,
      honor_labels: true,
      static_configs: [
        ...(setup.probes.length > 0 ? [{ targets: [...setup.probes] }] : []),
        ...(setup.probeShards?.targets ?? []).map((t) => ({
          targets: [t.target],
          labels: { module: t.module, ...t.labels },
        })),
      ],
      ...(setup.probeShards && { relabel_configs: shardRelabelling(setup.probeShards) }),
    },
  ];
  const layers = setup.layers ?? [];
  if (layers.length > 0) {
    jobs.push(labelledJob(config.jobs.layers, layers, (l) => ({ layer: l.layer })));
  }
  const gpuNodes = setup.gpuNodes ?? [];
  if (gpuNodes.length > 0) {
    jobs.push(labelledJob(config.jobs.gpuNodes, gpuNodes, (n) => ({ node: n.node })));
  }
  return toYaml(
    {
      global: {
        scrape_interval: scrapeInterval,
        scrape_timeout: scrapeInterval,
        evaluation_interval: setup.evaluationInterval ?? scrapeInterval,
        ...(replica && { external_labels: { [replica.label]: replica.value } }),
      },
      ...(setup.remoteWriteUrl !== undefined && {
        remote_write: [
          {
            url: setup.remoteWriteUrl,
            ...(replica && { write_relabel_configs: [dropLabel(replica.label)] }),
          },
        ],
      }),
      rule_files: [...setup.ruleFiles],
      alerting: {
        ...(replica && { alert_relabel_configs: [dropLabel(replica.label)] }),
        alertmanagers: [{ static_configs: [{ targets: [...setup.alertmanagers] }] }],
      },
      scrape_configs: jobs,
    },
    ['Written by Layerwatch for a Prometheus that runs alert-rules/generated rules.'],
  );
}

/** A job whose every target carries its own labels (`layer`, `node`), as its series do. */
function labelledJob<T extends { readonly target: string }>(
  jobName: string,
  targets: readonly T[],
  labels: (target: T) => Record<string, string>,
): Record<string, unknown> {
  return {
    job_name: jobName,
    honor_labels: true,
    static_configs: targets.map((t) => ({ targets: [t.target], labels: labels(t) })),
  };
}

/**
 * The `/probe` relabelling for targets that carry a `module` label (the daemons' own
 * `/metrics` targets carry none and are left alone): target and module become the request's
 * parameters, the target its `instance`, and `hashmod` of the target picks the daemon, as
 * Prometheus shards blackbox_exporter targets.
 */
function shardRelabelling(shards: ProbeShards): Record<string, unknown>[] {
  const probed = { source_labels: ['module', '__address__'], regex: '.+;(.+)' };
  return [
    { ...probed, target_label: '__param_target' },
    { ...probed, target_label: 'instance' },
    { source_labels: ['module'], regex: '(.+)', target_label: '__param_module' },
    {
      source_labels: ['module'],
      regex: '.+',
      target_label: '__metrics_path__',
      replacement: '/probe',
    },
    {
      source_labels: ['__param_target'],
      modulus: shards.daemons.length,
      target_label: '__tmp_shard',
      action: 'hashmod',
    },
    ...shards.daemons.map((daemon, shard) => ({
      source_labels: ['module', '__tmp_shard'],
      regex: `.+;${shard}`,
      target_label: '__address__',
      replacement: daemon,
    })),
  ];
}

function dropLabel(label: string): Record<string, string> {
  return { action: 'labeldrop', regex: label };
}
