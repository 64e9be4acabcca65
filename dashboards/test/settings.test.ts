import { DEFAULT_CONFIG, buildRuleGroups, resolveConfig } from '@layerwatch/alert-rules';
import {
  CROSS_LAYER_BUCKETS,
  CROSS_LAYER_DURATION,
  HTTP_SERVER_DURATION,
  LAYER5,
  OPTIMIZATION_BUCKETS,
  prometheusNameOf,
  REQUEST_BUCKETS,
} from '@layerwatch/exporters';
import { describe, expect, it } from 'vitest';
import { DashboardSettings, durationSeconds, sloRecords } from '../src/index.js';

const settings = new DashboardSettings(DEFAULT_CONFIG);

describe('DashboardSettings', () => {
  it('links an alert to its runbook under the configured base', () => {
    expect(settings.runbook('LayerwatchProbeDown')).toBe(
      `${DEFAULT_CONFIG.runbookBaseUrl}/LayerwatchProbeDown.md`,
    );
  });

  it('refuses a runbook link to an alert that does not exist, with a hint', () => {
    expect(() => settings.runbook('LayerwatchProbeDwn')).toThrow(
      'no alert named LayerwatchProbeDwn in alert-rules, so no runbook to link. Did you mean LayerwatchProbeDown?',
    );
  });

  it('refuses an SLO the config does not have, naming those it has', () => {
    expect(() => settings.slo('latency')).toThrow(
      'SLO "latency": not in the alert-rules config (availability, execution-latency, optimization-latency, cross-layer-latency)',
    );
    expect(() => settings.latencySlo('availability')).toThrow(
      'SLO availability: its SLI is probe-success, not a latency histogram',
    );
  });

  it('refuses a layer the config does not list', () => {
    const config = resolveConfig({ layers: DEFAULT_CONFIG.layers.filter((l) => l.layer !== '7') });
    expect(() => new DashboardSettings(config).layer('7')).toThrow(
      "layer 7: not in the alert-rules config's layers (4, 5, shared)",
    );
  });

  it('checks every SLO record it reads against the rules alert-rules builds', () => {
    const groups = buildRuleGroups(DEFAULT_CONFIG).map((g) => ({
      ...g,
      recordings: g.recordings.filter((r) => r.record !== 'slo:objective:ratio'),
    }));
    expect(() => sloRecords(DEFAULT_CONFIG, groups)).toThrow(
      'recording rule slo:objective:ratio: alert-rules builds no such record; dashboards/src/records.ts must follow alert-rules/src/slo/recordings.ts',
    );
    expect(settings.records.errorRatio('1h')).toBe('slo:sli_error:ratio_rate1h');
    expect(() => settings.records.errorRatio('7m')).toThrow(
      'window 7m: not one of the burn windows',
    );
  });
});

describe('durationSeconds', () => {
  it('reads the durations the config writes', () => {
    expect([durationSeconds('30s'), durationSeconds('5m'), durationSeconds('1h')]).toEqual([
      30, 300, 3600,
    ]);
  });

  it('names a bad value', () => {
    expect(() => durationSeconds('5 minutes')).toThrow(
      '"5 minutes" is not a duration like 30s, 5m or 1h',
    );
  });
});

describe('the latency SLOs and the exporters', () => {
  it('read the histograms the exporters write (dashboards use both names)', () => {
    expect(settings.latencySlo('execution-latency').metric).toBe(
      prometheusNameOf(HTTP_SERVER_DURATION),
    );
    expect(settings.latencySlo('optimization-latency').metric).toBe(
      prometheusNameOf(LAYER5.optimization),
    );
    expect(settings.latencySlo('cross-layer-latency').metric).toBe(
      prometheusNameOf(CROSS_LAYER_DURATION),
    );
  });

  it('draw lines on bucket bounds the exporters have', () => {
    expect(REQUEST_BUCKETS).toContain(settings.latencySlo('execution-latency').bound);
    expect(OPTIMIZATION_BUCKETS).toContain(settings.latencySlo('optimization-latency').bound);
    expect(CROSS_LAYER_BUCKETS).toContain(settings.latencySlo('cross-layer-latency').bound);
  });
});
