/**
 * promtool scenarios for the burn-rate alerts. Each window's scenario burns at a steady
 * rate between its own factor and the next faster one, so exactly one window pair fires:
 * the faster pair's condition never holds, the slower ones wait for a longer `for:`.
 * Given a cluster label, the scenario has two clusters: `a` burns as above, `b` is healthy,
 * and only `a` may fire.
 */
import type { BurnWindow, SloSettings } from '../config-types.js';
import { duration, seconds } from '../duration.js';
import { seriesLiteral } from '../promql-series.js';
import type { AlertScenario, InputSeries } from '../types.js';
import { errorBudget } from './recordings.js';

/** Events per minute of a latency scenario's histogram. */
const REQUESTS_PER_MINUTE = 1000;

export function burnScenario(
  slo: SloSettings,
  window: BurnWindow,
  faster: BurnWindow | undefined,
  layer: string | undefined,
  clusterLabel?: string,
): AlertScenario {
  const inCluster = (name: 'a' | 'b'): Record<string, string> =>
    clusterLabel === undefined ? {} : { [clusterLabel]: name };
  const named = clusterLabel === undefined ? '' : ' (two clusters: only cluster a burns)';
  const budget = errorBudget(slo);
  const lower = window.factor * budget;
  const upper = Math.min(1, faster ? faster.factor * budget : 1);
  const ratio = (lower + upper) / 2;
  // Minutes of input: past the firing check at onset + for (onset is at most minEvents).
  const steps = Math.ceil(seconds(window.for) / 60) + slo.minEvents + 5;
  const name = `burns ${window.factor}× over ${window.long} and ${window.short}${named}`;
  const sli = slo.sli;
  if (sli.kind === 'probe-success') {
    const good = Number((1 - ratio).toPrecision(10));
    const labels = { layer: layer ?? 'x', ...inCluster('a') };
    const probes = (cluster: Record<string, string>, values: string): InputSeries => ({
      series: seriesLiteral('probe_success', sli.selector, {
        layer: labels.layer,
        name: 'svc',
        target: 'http://svc/health',
        module: 'http_healthy',
        ...cluster,
      }),
      values,
    });
    const input: InputSeries[] = [probes(inCluster('a'), `${good}x${steps}`)];
    if (clusterLabel !== undefined) input.push(probes(inCluster('b'), `1x${steps}`));
    // One probe a minute: the long window holds minEvents samples from minute minEvents-1.
    const onset = duration(Math.max(0, slo.minEvents - 1) * 60);
    return { name, input, onset, labels, value: 1 - good };
  }
  const good = Math.round(REQUESTS_PER_MINUTE * (1 - ratio));
  const extra: Record<string, string> = {};
  const labels: Record<string, string> = { ...inCluster('a') };
  if ('value' in sli.layer) labels['layer'] = sli.layer.value;
  for (const name of sli.by) {
    extra[name] = name === 'from_layer' ? '4' : '5';
    labels[name] = extra[name];
  }
  if ('from' in sli.layer) labels['layer'] = extra[sli.layer.from] ?? '';
  const histogram = (cluster: Record<string, string>, goodPerMinute: number): InputSeries[] => [
    {
      series: seriesLiteral(`${sli.metric}_bucket`, sli.selector, {
        ...extra,
        ...cluster,
        le: sli.le,
      }),
      values: `0+${goodPerMinute}x${steps}`,
    },
    {
      series: seriesLiteral(`${sli.metric}_count`, sli.selector, { ...extra, ...cluster }),
      values: `0+${REQUESTS_PER_MINUTE}x${steps}`,
    },
  ];
  const input = histogram(inCluster('a'), good);
  if (clusterLabel !== undefined) input.push(...histogram(inCluster('b'), REQUESTS_PER_MINUTE));
  // rate() needs two samples; the long window needs minEvents events.
  const minutes = Math.max(1, Math.ceil(slo.minEvents / REQUESTS_PER_MINUTE));
  return {
    name,
    input,
    onset: duration(minutes * 60),
    labels,
    value: 1 - good / REQUESTS_PER_MINUTE,
  };
}
