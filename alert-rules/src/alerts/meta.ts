/**
 * Alerts about the monitoring itself, so that silence never means healthy: the dead-man's
 * switch (always firing; its absence at the receiving end is the alarm) and `absent()`
 * alerts for scrape targets that stopped answering or were never there.
 */
import { alert, ruleGroup } from '../builders.js';
import { noHealthyScrape } from '../cluster.js';
import type { AlertRulesConfig, LayerSettings } from '../config-types.js';
import { seriesLiteral } from '../promql-series.js';
import type { InputSeries, RuleGroup, TestedAlert } from '../types.js';
import { scenario, span } from './scenario.js';

/** Mutes the instance-down alerts of its cluster (see the Alertmanager inhibition rules). */
export const PROBE_DAEMON_ABSENT = 'LayerwatchProbeDaemonAbsent';
export const PROBE_DAEMON_INSTANCE_DOWN = 'LayerwatchProbeDaemonInstanceDown';

export function metaAlerts(config: AlertRulesConfig): RuleGroup {
  return ruleGroup('layerwatch-meta', {
    alerts: [
      watchdog(config),
      probeDaemonAbsent(config),
      probeDaemonInstanceDown(config),
      ...config.layers.filter((l) => l.exporter).map((l) => layerExporterAbsent(config, l)),
    ],
  });
}

function watchdog(config: AlertRulesConfig): TestedAlert {
  return alert(config, {
    name: 'LayerwatchWatchdog',
    expr: 'vector(1)',
    priority: 'P3',
    summary: 'Always firing: proves that rules, Prometheus and Alertmanager work end to end.',
    description:
      'This alert fires all the time. Alertmanager sends it to the dead-man receiver every ' +
      `${config.alertmanager.watchdogRepeat}; when those heartbeats stop, alerting is broken.`,
    actions: [],
    alwaysFiring: true,
    scenarios: [scenario('fires from the first evaluation', [], '0m', {})],
  });
}

function probeDaemonAbsent(config: AlertRulesConfig): TestedAlert {
  const settings = config.alerts.probeDaemonAbsent;
  const job = config.jobs.probes;
  const cluster = config.clusterLabel;
  const n = span(settings.for);
  const up = (extra: Record<string, string>, values: string): InputSeries => ({
    series: seriesLiteral('up', '', { job, instance: '127.0.0.1:9701', ...extra }),
    values,
  });
  return alert(config, {
    name: PROBE_DAEMON_ABSENT,
    expr: noHealthyScrape(config, `job="${job}"`),
    ...settings,
    summary: 'Prometheus cannot scrape the probe daemon.',
    description:
      `No target of job ${job} has been scraped successfully for ${settings.for}: every probe, ` +
      'collector and SLO alert is blind until the probe daemon is back.',
    scenarios: [
      scenario('the probe daemon stops answering scrapes', [up({}, `1 1 0x${n}`)], '2m', {}),
      scenario(
        'two clusters: only the probe daemon of cluster a stops answering',
        [up({ [cluster]: 'a' }, `1 1 0x${n}`), up({ [cluster]: 'b' }, `1x${n}`)],
        '2m',
        { [cluster]: 'a' },
      ),
      scenario(
        "cluster a's probe daemon target vanishes while its layer services are scraped",
        [
          up({ [cluster]: 'a' }, '1 1 stale'),
          layerUp(config, config.layers[0]?.layer ?? '4', { [cluster]: 'a' }, `1x${n}`),
          up({ [cluster]: 'b' }, `1x${n}`),
        ],
        '2m',
        { [cluster]: 'a' },
      ),
      scenario(
        'no probe daemon target anywhere: the absent() fallback, without a cluster',
        [up({ [cluster]: 'a' }, '1 1 stale')],
        '2m',
        {},
      ),
    ],
  });
}

/**
 * One replica of a scaled-out probe daemon is down: its share of the targets goes
 * unprobed (their `probe_success` turns stale, not 0), which the absence alert above does
 * not see while another replica answers.
 */
function probeDaemonInstanceDown(config: AlertRulesConfig): TestedAlert {
  const settings = config.alerts.probeDaemonInstanceDown;
  const job = config.jobs.probes;
  const n = span(settings.for);
  const replica = (i: number): Record<string, string> => ({
    job,
    instance: `layerwatch-probes-${i}.layerwatch-probes-shards:9701`,
  });
  const up = (labels: Record<string, string>, values: string): InputSeries => ({
    series: seriesLiteral('up', '', labels),
    values,
  });
  return alert(config, {
    name: PROBE_DAEMON_INSTANCE_DOWN,
    expr: `up{job="${job}"} == 0`,
    ...settings,
    summary: 'A probe daemon instance cannot be scraped: its targets go unprobed.',
    description:
      `Prometheus has failed to scrape {{ $labels.instance }} of job ${job} for ` +
      `${settings.for}: that probe daemon instance is down, and the targets it probes have no ` +
      'fresh probe_success, so their outages would not page.',
    scenarios: [
      scenario(
        'one of three replicas stops answering while the others keep probing',
        [up(replica(0), `1x${n}`), up(replica(1), `1 1 0x${n}`), up(replica(2), `1x${n}`)],
        '2m',
        replica(1),
      ),
    ],
  });
}

/** The layer's embedded exporter is not scraped: its latency SLOs would stay silent. */
function layerExporterAbsent(config: AlertRulesConfig, layer: LayerSettings): TestedAlert {
  const settings = config.alerts.layerExporterAbsent;
  const job = config.jobs.layers;
  const cluster = config.clusterLabel;
  const n = span(settings.for);
  const exporters = (extra: Record<string, string>, down: boolean): InputSeries[] =>
    config.layers
      .filter((l) => l.exporter)
      // Only this layer's exporter stops answering.
      .map((l) => layerUp(config, l.layer, extra, down && l === layer ? `1 1 0x${n}` : `1x${n}`));
  return alert(config, {
    name: 'LayerwatchLayerExporterAbsent',
    expr: noHealthyScrape(config, `job="${job}",layer="${layer.layer}"`),
    ...settings,
    labels: { layer: layer.layer },
    summary: "Prometheus cannot scrape a layer's exporter.",
    description:
      `No /metrics target of layer ${layer.layer} (${layer.title}, job ${job}) has been ` +
      `scraped successfully for ${settings.for}: its request metrics and latency SLOs are blind.`,
    scenarios: [
      scenario(`layer ${layer.layer}: its exporter stops answering`, exporters({}, true), '2m', {}),
      scenario(
        `layer ${layer.layer}: two clusters, only cluster a's exporter stops answering`,
        [...exporters({ [cluster]: 'a' }, true), ...exporters({ [cluster]: 'b' }, false)],
        '2m',
        { [cluster]: 'a' },
      ),
    ],
  });
}

/** `up` of a layer service's exporter. */
function layerUp(
  config: AlertRulesConfig,
  layer: string,
  extra: Readonly<Record<string, string>>,
  values: string,
): InputSeries {
  const labels = { job: config.jobs.layers, layer, instance: `layer-${layer}:8000`, ...extra };
  return { series: seriesLiteral('up', '', labels), values };
}
