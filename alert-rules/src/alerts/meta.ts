/**
 * Alerts about the monitoring itself, so that silence never means healthy: the dead-man's
 * switch (always firing; its absence at the receiving end is the alarm) and `absent()`
 * alerts for scrape targets that stopped answering or were never there.
 */
import { alert, ruleGroup } from '../builders.js';
import type { AlertRulesConfig, LayerSettings } from '../config-types.js';
import type { RuleGroup, TestedAlert } from '../types.js';
import { scenario, span } from './scenario.js';

export function metaAlerts(config: AlertRulesConfig): RuleGroup {
  return ruleGroup('layerwatch-meta', {
    alerts: [
      watchdog(config),
      probeDaemonAbsent(config),
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
  return alert(config, {
    name: 'LayerwatchProbeDaemonAbsent',
    expr: `absent(up{job="${job}"} == 1)`,
    for: settings.for,
    priority: settings.priority,
    summary: 'Prometheus cannot scrape the probe daemon.',
    description:
      `No target of job ${job} has been scraped successfully for ${settings.for}: every probe, ` +
      'collector and SLO alert is blind until the probe daemon is back.',
    actions: settings.actions,
    scenarios: [
      scenario(
        'the probe daemon stops answering scrapes',
        [
          {
            series: `up{job="${job}",instance="127.0.0.1:9701"}`,
            values: `1 1 0x${span(settings.for)}`,
          },
        ],
        '2m',
        {},
      ),
    ],
  });
}

/** The layer's embedded exporter is not scraped: its latency SLOs would stay silent. */
function layerExporterAbsent(config: AlertRulesConfig, layer: LayerSettings): TestedAlert {
  const settings = config.alerts.layerExporterAbsent;
  const job = config.jobs.layers;
  return alert(config, {
    name: 'LayerwatchLayerExporterAbsent',
    expr: `absent(up{job="${job}",layer="${layer.layer}"} == 1)`,
    for: settings.for,
    priority: settings.priority,
    labels: { layer: layer.layer },
    summary: "Prometheus cannot scrape a layer's exporter.",
    description:
      `No /metrics target of layer ${layer.layer} (${layer.title}, job ${job}) has been ` +
      `scraped successfully for ${settings.for}: its request metrics and latency SLOs are blind.`,
    actions: settings.actions,
    scenarios: [
      scenario(
        `layer ${layer.layer}: its exporter stops answering`,
        config.layers
          .filter((l) => l.exporter)
          .map((l) => ({
            series: `up{job="${job}",layer="${l.layer}",instance="layer-${l.layer}:8000"}`,
            // Only this layer's exporter stops answering.
            values: l === layer ? `1 1 0x${span(settings.for)}` : `1x${span(settings.for)}`,
          })),
        '2m',
        {},
      ),
    ],
  });
}
