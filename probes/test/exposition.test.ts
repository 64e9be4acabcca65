import { describe, expect, it } from 'vitest';
import { escapeLabelValue, formatValue, serializeSamples } from '../src/format/exposition.js';
import { SampleList } from '../src/format/sample-sink.js';

describe('serializeSamples', () => {
  it('groups samples of one name under one HELP/TYPE header, in first-seen order', () => {
    const list = new SampleList();
    list.gauge('probe_http_duration_seconds', 'Duration by phase', 0.001, { phase: 'resolve' });
    list.gauge('probe_http_status_code', 'Response HTTP status code', 200);
    list.gauge('probe_http_duration_seconds', 'Duration by phase', 0.25, { phase: 'transfer' });
    expect(serializeSamples(list.samples, { layer: '4' })).toBe(
      [
        '# HELP probe_http_duration_seconds Duration by phase',
        '# TYPE probe_http_duration_seconds gauge',
        'probe_http_duration_seconds{layer="4",phase="resolve"} 0.001',
        'probe_http_duration_seconds{layer="4",phase="transfer"} 0.25',
        '# HELP probe_http_status_code Response HTTP status code',
        '# TYPE probe_http_status_code gauge',
        'probe_http_status_code{layer="4"} 200',
        '',
      ].join('\n'),
    );
  });

  it('escapes label values and help text as the text format requires', () => {
    const list = new SampleList();
    list.gauge('x', 'line one\nback\\slash', 1, { target: 'a "quoted"\\path\nnext' });
    expect(serializeSamples(list.samples)).toBe(
      '# HELP x line one\\nback\\\\slash\n# TYPE x gauge\nx{target="a \\"quoted\\"\\\\path\\nnext"} 1\n',
    );
  });

  it('writes special float values the Prometheus way', () => {
    expect([NaN, Infinity, -Infinity, 1.5e-7].map(formatValue)).toEqual([
      'NaN',
      '+Inf',
      '-Inf',
      '1.5e-7',
    ]);
    expect(escapeLabelValue('plain')).toBe('plain');
  });

  it('writes no labels braces when there are none', () => {
    const list = new SampleList();
    list.gauge('probe_success', 'ok', 0);
    expect(serializeSamples(list.samples)).toBe(
      '# HELP probe_success ok\n# TYPE probe_success gauge\nprobe_success 0\n',
    );
  });
});
