import { describe, expect, it } from 'vitest';
import { alert, recordingRule, resolveConfig, ruleGroup, type AlertSpec } from '../src/index.js';
import { formatG4, renderTemplate } from '../src/template.js';

const config = resolveConfig();

const spec: AlertSpec = {
  name: 'LayerwatchExample',
  expr: 'up == 0',
  for: '5m',
  priority: 'P1',
  summary: 'An example.',
  description: 'Target {{ $labels.instance }} is down.',
  actions: ['restart-deployment', 'silence'],
  scenarios: [{ name: 'down', input: [], onset: '1m', labels: { instance: 'x' } }],
};

describe('alert()', () => {
  it('derives severity from the priority and adds the runbook URL and actions', () => {
    const { rule } = alert(config, spec);
    expect(rule).toEqual({
      alert: 'LayerwatchExample',
      expr: 'up == 0',
      for: '5m',
      labels: { priority: 'P1', severity: 'critical' },
      annotations: {
        summary: 'An example.',
        description: 'Target {{ $labels.instance }} is down.',
        runbook_url: `${config.runbookBaseUrl}/LayerwatchExample.md`,
        layerwatch_actions: 'restart-deployment,silence',
      },
    });
  });

  it('maps P2 to warning and P3 to info, and leaves out for: 0s', () => {
    expect(alert(config, { ...spec, priority: 'P2' }).rule.labels.severity).toBe('warning');
    expect(alert(config, { ...spec, priority: 'P3', for: '0s' }).rule).not.toHaveProperty('for');
  });

  it.each([
    [
      { name: 'exampleDown' },
      'alert exampleDown: names are CamelCase with the Layerwatch prefix (LayerwatchProbeDown)',
    ],
    [
      { summary: '{{ $labels.x }} down' },
      'alert LayerwatchExample: the summary is static; put {{ … }} in the description',
    ],
    [
      { labels: { severity: 'critical' } },
      'alert LayerwatchExample: label severity is set by the builder (from the priority)',
    ],
    [
      { scenarios: [] },
      'alert LayerwatchExample: give at least one promtool scenario (a firing case)',
    ],
    [
      { description: '{{ range .Alerts }}x{{ end }}' },
      'alert LayerwatchExample description: template {{ range .Alerts }} is not supported; use {{ $labels.NAME }} or {{ $value }} with an optional | humanize, | humanizePercentage or | humanizeDuration',
    ],
  ])('refuses %j', (change, message) => {
    expect(() => alert(config, { ...spec, ...change } as AlertSpec)).toThrow(message);
  });
});

describe('recordingRule() and ruleGroup()', () => {
  it('requires level:metric:operations names', () => {
    expect(recordingRule('slo:sli_error:ratio_rate5m', 'vector(0)', { slo: 'x' })).toEqual({
      record: 'slo:sli_error:ratio_rate5m',
      expr: 'vector(0)',
      labels: { slo: 'x' },
    });
    expect(() => recordingRule('error_ratio', 'vector(0)')).toThrow(
      'recording rule error_ratio: name it level:metric:operations (slo:sli_error:ratio_rate5m)',
    );
  });

  it('requires layerwatch-<component> group names', () => {
    expect(() => ruleGroup('Probes', {})).toThrow(
      'rule group Probes: name it layerwatch-<component>',
    );
  });
});

describe('annotation templates, rendered as Prometheus renders them', () => {
  it('fills labels and prints a missing one empty, as Prometheus does', () => {
    expect(renderTemplate('{{ $labels.a }}/{{$labels.b}}', { a: '1' }, undefined)).toBe('1/');
  });

  it.each([
    ['{{ $value }}', 320, '320'],
    ['{{ $value | humanizePercentage }}', 0.5072, '50.72%'],
    ['{{ $value | humanizePercentage }}', 0.010199999999999987, '1.02%'],
    ['{{ $value | humanize }}', 1234567, '1.235M'],
    ['{{ $value | humanize }}', 0.002, '2m'],
    ['{{ $value | humanizeDuration }}', 660, '11m 0s'],
    ['{{ $value | humanizeDuration }}', 90061, '1d 1h 1m 1s'],
    ['{{ $value | humanizeDuration }}', 0.25, '250ms'],
  ])('%s of %d is %s', (template, value, text) => {
    expect(renderTemplate(template, {}, value)).toBe(text);
  });

  it("formats like Go's %.4g", () => {
    expect([0, 1, 14.4, 99.99, 12345, 0.00001234, 0.5].map(formatG4)).toEqual([
      '0',
      '1',
      '14.4',
      '99.99',
      '1.234e+04',
      '1.234e-05',
      '0.5',
    ]);
  });
});
