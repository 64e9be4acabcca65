/**
 * prometheus.yml for a Prometheus that runs these rules: the scrape jobs carry the job
 * names the rules' selectors use (from the config), so the two cannot drift apart.
 */
import type { AlertRulesConfig } from './config-types.js';
import { toYaml } from './outputs.js';
import type { Duration } from './types.js';

export interface PrometheusSetup {
  /** `host:port` of each probe daemon. */
  readonly probes: readonly string[];
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

export function prometheusConfig(config: AlertRulesConfig, setup: PrometheusSetup): string {
  const scrapeInterval = setup.scrapeInterval ?? '15s';
  // honor_labels: the series bring their own `layer` and `node`; keep them as written.
  const jobs: Record<string, unknown>[] = [
    {
      job_name: config.jobs.probes,
      honor_labels: true,
      static_configs: [{ targets: [...setup.probes] }],
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
      },
      rule_files: [...setup.ruleFiles],
      alerting: { alertmanagers: [{ static_configs: [{ targets: [...setup.alertmanagers] }] }] },
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
