/**
 * Alerts on the probe daemon's view from outside: a target down (priority per layer), a
 * layer without probe results, a rejected config reload.
 */
import { alert, matchers, ruleGroup } from '../builders.js';
import { by, on } from '../cluster.js';
import type { AlertRulesConfig, LayerSettings } from '../config-types.js';
import { seriesLiteral } from '../promql-series.js';
import type { InputSeries, RuleGroup, TestedAlert } from '../types.js';
import { alternatives, probeLabels, probeSeries, scenario, span } from './scenario.js';

export function probeAlerts(config: AlertRulesConfig): RuleGroup {
  return ruleGroup('layerwatch-probes', {
    alerts: [
      ...config.layers.map((layer) => probeDown(config, layer)),
      probeDown(config, undefined),
      ...config.layers.map((layer) => layerProbesAbsent(config, layer)),
      configReloadFailed(config),
    ],
  });
}

const TARGET = { name: 'svc', target: 'http://127.0.0.1:8000/health', module: 'http_healthy' };

/** One rule per listed layer (its priority, its actions), one for every other layer. */
function probeDown(config: AlertRulesConfig, layer: LayerSettings | undefined): TestedAlert {
  const settings = config.alerts.probeDown;
  const listed = config.layers.map((l) => l.layer);
  const layerMatcher = layer ? `layer="${layer.layer}"` : `layer!~"${alternatives(listed)}"`;
  const title = layer ? ` (${layer.title})` : '';
  const labels = { ...TARGET, layer: layer?.layer ?? 'other' };
  return alert(config, {
    name: 'LayerwatchProbeDown',
    expr: `probe_success{${matchers(config.selectors.probes, layerMatcher)}} == 0`,
    for: settings.for,
    priority: layer?.probeDownPriority ?? config.otherLayers.probeDownPriority,
    ...(layer ? { labels: { layer: layer.layer } } : {}),
    summary: 'A probed endpoint of a layer is down.',
    description:
      `{{ $labels.name }} ({{ $labels.target }}, module {{ $labels.module }}) on layer ` +
      `{{ $labels.layer }}${title} has failed every probe for ${settings.for}.`,
    actions: layer?.actions ?? config.otherLayers.actions,
    scenarios: [
      scenario(
        `layer ${labels.layer}: the target stops answering`,
        [probeSeries(config, 'probe_success', labels, `1 1 0x${span(settings.for)}`)],
        '2m',
        probeLabels(config, labels),
      ),
    ],
  });
}

/**
 * The daemon runs but a layer has no results: silence that must not read as healthy. Per
 * cluster: a cluster whose daemon answers but reports nothing for the layer.
 */
function layerProbesAbsent(config: AlertRulesConfig, layer: LayerSettings): TestedAlert {
  const settings = config.alerts.layerProbesAbsent;
  const job = config.jobs.probes;
  const cluster = config.clusterLabel;
  const results = `probe_success{${matchers(config.selectors.probes, `layer="${layer.layer}"`)}}`;
  const n = span(settings.for);
  const daemonUp = (extra: Record<string, string>): InputSeries => ({
    series: seriesLiteral('up', '', { job, instance: '127.0.0.1:9701', ...extra }),
    values: `1x${n}`,
  });
  // The other layers report results: only this one is absent.
  const otherLayers = (extra: Record<string, string>): InputSeries[] =>
    config.layers
      .filter((other) => other !== layer)
      .map((other) =>
        probeSeries(config, 'probe_success', { ...TARGET, layer: other.layer, ...extra }, `1x${n}`),
      );
  return alert(config, {
    name: 'LayerwatchLayerProbesAbsent',
    expr:
      `group ${by(config, ['job'])} (up{job="${job}"} == 1)\n` +
      `unless ${on(config)}\ngroup ${by(config)} (${results})`,
    ...settings,
    labels: { layer: layer.layer },
    summary: 'The probe daemon reports no probe results for a layer.',
    description:
      `The probe daemon is up but has reported no probe_success for layer ${layer.layer} ` +
      `(${layer.title}) for ${settings.for}: its targets are missing from the probe config, so ` +
      'an outage of this layer would not alert.',
    scenarios: [
      scenario(
        `layer ${layer.layer}: no targets in the probe config`,
        [daemonUp({}), ...otherLayers({})],
        '0m',
        { job, layer: layer.layer },
      ),
      scenario(
        `layer ${layer.layer}: two clusters, only cluster a lacks its targets`,
        [
          daemonUp({ [cluster]: 'a' }),
          daemonUp({ [cluster]: 'b' }),
          ...otherLayers({ [cluster]: 'a' }),
          ...otherLayers({ [cluster]: 'b' }),
          probeSeries(
            config,
            'probe_success',
            { ...TARGET, layer: layer.layer, [cluster]: 'b' },
            `1x${n}`,
          ),
        ],
        '0m',
        { job, layer: layer.layer, [cluster]: 'a' },
      ),
    ],
  });
}

function configReloadFailed(config: AlertRulesConfig): TestedAlert {
  const settings = config.alerts.probeConfigReloadFailed;
  const labels = { instance: '127.0.0.1:9701' };
  return alert(config, {
    name: 'LayerwatchProbeConfigReloadFailed',
    expr: `layerwatch_config_last_reload_successful{${config.selectors.probes}} == 0`,
    ...settings,
    summary: 'The probe daemon rejected its new config.',
    description:
      'The probe daemon {{ $labels.instance }} failed to load its config file on reload; it ' +
      'keeps probing with the last good config, so the change is not in effect.',
    scenarios: [
      scenario(
        'a reload with an invalid config',
        [
          probeSeries(
            config,
            'layerwatch_config_last_reload_successful',
            labels,
            `1 1 0x${span(settings.for)}`,
          ),
        ],
        '2m',
        probeLabels(config, labels),
      ),
    ],
  });
}
