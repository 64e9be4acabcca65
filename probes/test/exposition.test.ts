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

  it('writes a family whose help or type changed with its new header, not a remembered one', () => {
    const first = new SampleList();
    first.gauge('layerwatch_changing', 'old help', 1);
    expect(serializeSamples(first.samples)).toContain('# HELP layerwatch_changing old help\n');
    const second = new SampleList();
    second.counter('layerwatch_changing', 'new help', 2);
    expect(serializeSamples(second.samples)).toBe(
      '# HELP layerwatch_changing new help\n# TYPE layerwatch_changing counter\nlayerwatch_changing 2\n',
    );
  });

  it('gives the same text whether or not a name comes back later in the list', () => {
    const names = ['a', 'b', 'c'];
    for (let round = 0; round < 50; round += 1) {
      const list = new SampleList();
      for (let i = 0; i < 6; i += 1) {
        const name = names[(round * 7 + i * (round % 3)) % 3] as string;
        list.gauge(name, `help of ${name}`, i, { i: String(i) });
      }
      // The expected text: each name's samples under its one header, in first-seen order.
      const order = [...new Set(list.samples.map((s) => s.name))];
      const expected = order
        .map(
          (name) =>
            `# HELP ${name} help of ${name}\n# TYPE ${name} gauge\n` +
            list.samples
              .filter((s) => s.name === name)
              .map((s) => `${name}{x="1",i="${s.labels?.i}"} ${s.value}\n`)
              .join(''),
        )
        .join('');
      expect(serializeSamples(list.samples, { x: '1' })).toBe(expected);
    }
  });
});
