import { TraceFlags } from '@opentelemetry/api';
import { AggregationTemporality, type HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { GuardedHistogram } from '../src/instruments/guarded.js';
import { HistogramProducer } from '../src/instruments/histogram-producer.js';
import { mergeScopes } from '../src/merge-scopes.js';

const histogram = (): GuardedHistogram<'route'> =>
  new GuardedHistogram(
    {
      name: 'test.duration',
      kind: 'histogram',
      unit: 's',
      description: 'Test.',
      labels: ['route'],
      buckets: [0.1, 1],
    },
    10,
    () => undefined,
  );

async function collectOne(producer: HistogramProducer): Promise<HistogramMetricData | undefined> {
  const { resourceMetrics } = await producer.collect();
  return resourceMetrics.scopeMetrics[0]?.metrics[0] as HistogramMetricData | undefined;
}

describe('HistogramProducer (guarded histograms handed to an OpenTelemetry reader)', () => {
  it('cumulative: counts only grow, the start time stays the series admission time', async () => {
    const h = histogram();
    const producer = new HistogramProducer(() => [h], { name: 'scope' });
    expect(await collectOne(producer)).toBeUndefined(); // no series: left out, as the SDK does
    h.record(0.05, { route: '/a' });
    h.record(2, { route: '/a' });
    h.record(-1, { route: '/a' }); // dropped, as OpenTelemetry's histograms drop negatives
    h.record(NaN, { route: '/a' });
    const first = await collectOne(producer);
    expect(first?.aggregationTemporality).toBe(AggregationTemporality.CUMULATIVE);
    expect(first?.descriptor).toMatchObject({ name: 'test.duration', unit: 's' });
    expect(first?.dataPoints).toEqual([
      expect.objectContaining({
        attributes: { route: '/a' },
        value: {
          buckets: { boundaries: [0.1, 1], counts: [1, 0, 1] },
          sum: 2.05,
          count: 2,
          min: 0.05,
          max: 2,
        },
      }),
    ]);
    h.record(0.5, { route: '/a' });
    const second = await collectOne(producer);
    expect(second?.dataPoints[0]?.value).toMatchObject({
      count: 3,
      buckets: { counts: [1, 1, 1] },
    });
    expect(second?.dataPoints[0]?.startTime).toEqual(first?.dataPoints[0]?.startTime);
  });

  it('delta: the change since this reader last collected, only series that changed', async () => {
    const h = histogram();
    const producer = new HistogramProducer(
      () => [h],
      { name: 'scope' },
      () => AggregationTemporality.DELTA,
    );
    h.record(0.05, { route: '/a' });
    h.record(0.5, { route: '/b' });
    const first = await collectOne(producer);
    expect(first?.aggregationTemporality).toBe(AggregationTemporality.DELTA);
    expect(first?.dataPoints.map((p) => p.value.count)).toEqual([1, 1]);
    h.record(0.07, { route: '/a' });
    h.record(0.08, { route: '/a' });
    const second = await collectOne(producer);
    expect(second?.dataPoints).toHaveLength(1);
    expect(second?.dataPoints[0]).toMatchObject({
      attributes: { route: '/a' },
      startTime: first?.dataPoints[0]?.endTime,
      value: { count: 2, buckets: { counts: [2, 0, 0] } },
    });
    expect(second?.dataPoints[0]?.value.sum).toBeCloseTo(0.15);
    expect(await collectOne(producer)).toBeUndefined();
  });

  it('mergeScopes joins a scope listed twice and orders its metrics by creation', () => {
    const metric = (name: string): HistogramMetricData =>
      ({ descriptor: { name } }) as HistogramMetricData;
    const merged = mergeScopes(
      {
        resource: {} as never,
        scopeMetrics: [
          { scope: { name: 's' }, metrics: [metric('b'), metric('d')] },
          { scope: { name: 'other' }, metrics: [metric('x')] },
          { scope: { name: 's' }, metrics: [metric('c'), metric('a')] },
        ],
      },
      (name) => 'abcd'.indexOf(name),
    );
    expect(
      merged.scopeMetrics.map((s) => [s.scope.name, s.metrics.map((m) => m.descriptor.name)]),
    ).toEqual([
      ['s', ['a', 'b', 'c', 'd']],
      ['other', ['x']],
    ]);
  });
});

describe("GuardedHistogram.observe (the request middleware's path)", () => {
  const span = {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    traceFlags: TraceFlags.NONE,
  };

  it("aggregates like record, and keeps the bucket's exemplar at the time it is given", () => {
    const h = histogram();
    const series = h.seriesOf({ route: '/a' });
    if (series === undefined) throw new Error('not admitted');
    h.observe(series, 0.05, span, 1_700_000_000_123);
    h.observe(series, 0.5, undefined, 1_700_000_000_456); // no span: no exemplar
    h.observe(series, 0.07, { ...span, traceId: '0'.repeat(32) }, 1); // invalid: none either
    h.observe(series, -1, span, 2); // dropped, as record drops it
    expect(series).toMatchObject({ counts: [2, 1, 0], count: 3, min: 0.05, max: 0.5 });
    expect(series.sum).toBeCloseTo(0.62);
    expect(h.exemplarsFor({ route: '/a' })).toEqual([
      { traceId: span.traceId, spanId: span.spanId, value: 0.05, timestampMs: 1_700_000_000_123 },
    ]);
  });

  it('without a time, reads the clock as record does', () => {
    const h = histogram();
    const series = h.seriesOf({ route: '/a' });
    if (series === undefined) throw new Error('not admitted');
    const before = Date.now();
    h.observe(series, 2, span);
    const [, , exemplar] = h.exemplarsFor({ route: '/a' }) ?? [];
    expect(exemplar?.timestampMs).toBeGreaterThanOrEqual(before);
    expect(exemplar?.timestampMs).toBeLessThanOrEqual(Date.now());
  });
});
