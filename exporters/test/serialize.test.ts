import { ValueType } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  type MetricData,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { serialize } from '../src/index.js';

const TIME: [number, number] = [1_700_000_000, 0];

function point<T>(attributes: Record<string, string | number>, value: T) {
  return { attributes, startTime: TIME, endTime: TIME, value };
}

const COUNTER: MetricData = {
  descriptor: {
    name: 'auth_failures',
    description: 'Refused "logins".',
    unit: '{failure}',
    valueType: ValueType.DOUBLE,
  },
  aggregationTemporality: AggregationTemporality.CUMULATIVE,
  dataPointType: DataPointType.SUM,
  isMonotonic: true,
  dataPoints: [point({ reason: 'expired' }, 3), point({ reason: 'a "quoted"\\ \nvalue' }, 1)],
};

const GAUGE: MetricData = {
  descriptor: {
    name: 'layerwatch.kpi.ingestion.lag',
    description: 'Lag.\nSecond line.',
    unit: 's',
    valueType: ValueType.DOUBLE,
  },
  aggregationTemporality: AggregationTemporality.CUMULATIVE,
  dataPointType: DataPointType.GAUGE,
  dataPoints: [point({}, 2.5)],
};

const UP_DOWN: MetricData = {
  descriptor: { name: 'queue.depth', description: '', unit: '{task}', valueType: ValueType.DOUBLE },
  aggregationTemporality: AggregationTemporality.CUMULATIVE,
  dataPointType: DataPointType.SUM,
  isMonotonic: false,
  dataPoints: [point({ queue: 'agent-tasks' }, -Infinity)],
};

const HISTOGRAM: MetricData = {
  descriptor: {
    name: 'layerwatch.cross_layer.request.duration',
    description: 'Cross-layer calls.',
    unit: 's',
    valueType: ValueType.DOUBLE,
  },
  aggregationTemporality: AggregationTemporality.CUMULATIVE,
  dataPointType: DataPointType.HISTOGRAM,
  dataPoints: [
    point(
      { from_layer: '5', to_layer: '7' },
      {
        buckets: { boundaries: [0.01, 0.05], counts: [1, 2, 1] },
        count: 4,
        sum: 0.25,
        min: 0.002,
        max: 0.2,
      },
    ),
  ],
};

const EMPTY: MetricData = {
  ...GAUGE,
  descriptor: { ...GAUGE.descriptor, name: 'never.recorded' },
  dataPoints: [],
};

const COLLECTED: ResourceMetrics = {
  resource: resourceFromAttributes({ 'service.name': 'evo', layer: '5' }),
  scopeMetrics: [{ scope: { name: 'test' }, metrics: [COUNTER, GAUGE, UP_DOWN, HISTOGRAM, EMPTY] }],
};

const EXEMPLAR = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  value: 0.031,
  timestampMs: 1_700_000_000_123,
};

describe('serialize', () => {
  it('writes the Prometheus text format 0.0.4, exactly', () => {
    expect(serialize(COLLECTED, { format: 'text', constantLabels: { layer: '5' } })).toBe(
      [
        '# HELP target_info Target metadata',
        '# TYPE target_info gauge',
        'target_info{service_name="evo",layer="5"} 1',
        '# HELP auth_failures_total Refused "logins".',
        '# TYPE auth_failures_total counter',
        'auth_failures_total{reason="expired",layer="5"} 3',
        'auth_failures_total{reason="a \\"quoted\\"\\\\ \\nvalue",layer="5"} 1',
        '# HELP layerwatch_kpi_ingestion_lag_seconds Lag.\\nSecond line.',
        '# TYPE layerwatch_kpi_ingestion_lag_seconds gauge',
        'layerwatch_kpi_ingestion_lag_seconds{layer="5"} 2.5',
        '# HELP queue_depth queue.depth',
        '# TYPE queue_depth gauge',
        'queue_depth{queue="agent-tasks",layer="5"} -Inf',
        '# HELP layerwatch_cross_layer_request_duration_seconds Cross-layer calls.',
        '# TYPE layerwatch_cross_layer_request_duration_seconds histogram',
        'layerwatch_cross_layer_request_duration_seconds_bucket{from_layer="5",to_layer="7",layer="5",le="0.01"} 1',
        'layerwatch_cross_layer_request_duration_seconds_bucket{from_layer="5",to_layer="7",layer="5",le="0.05"} 3',
        'layerwatch_cross_layer_request_duration_seconds_bucket{from_layer="5",to_layer="7",layer="5",le="+Inf"} 4',
        'layerwatch_cross_layer_request_duration_seconds_sum{from_layer="5",to_layer="7",layer="5"} 0.25',
        'layerwatch_cross_layer_request_duration_seconds_count{from_layer="5",to_layer="7",layer="5"} 4',
        '',
      ].join('\n'),
    );
  });

  it('writes OpenMetrics 1.0 with exemplars on the buckets they fell in, and # EOF', () => {
    const text = serialize(COLLECTED, {
      format: 'openmetrics',
      exemplars: (name, attributes) =>
        name === 'layerwatch.cross_layer.request.duration' && attributes['to_layer'] === '7'
          ? [undefined, EXEMPLAR]
          : undefined,
    });
    expect(text).toBe(
      [
        '# HELP target Target metadata',
        '# TYPE target info',
        'target_info{service_name="evo",layer="5"} 1',
        '# HELP auth_failures Refused \\"logins\\".',
        '# TYPE auth_failures counter',
        'auth_failures_total{reason="expired"} 3',
        'auth_failures_total{reason="a \\"quoted\\"\\\\ \\nvalue"} 1',
        '# HELP layerwatch_kpi_ingestion_lag_seconds Lag.\\nSecond line.',
        '# TYPE layerwatch_kpi_ingestion_lag_seconds gauge',
        'layerwatch_kpi_ingestion_lag_seconds 2.5',
        '# HELP queue_depth queue.depth',
        '# TYPE queue_depth gauge',
        'queue_depth{queue="agent-tasks"} -Inf',
        '# HELP layerwatch_cross_layer_request_duration_seconds Cross-layer calls.',
        '# TYPE layerwatch_cross_layer_request_duration_seconds histogram',
        'layerwatch_cross_layer_request_duration_seconds_bucket{from_layer="5",to_layer="7",le="0.01"} 1',
        'layerwatch_cross_layer_request_duration_seconds_bucket{from_layer="5",to_layer="7",le="0.05"} 3 # {trace_id="0af7651916cd43dd8448eb211c80319c",span_id="b7ad6b7169203331"} 0.031 1700000000.123',
        'layerwatch_cross_layer_request_duration_seconds_bucket{from_layer="5",to_layer="7",le="+Inf"} 4',
        'layerwatch_cross_layer_request_duration_seconds_sum{from_layer="5",to_layer="7"} 0.25',
        'layerwatch_cross_layer_request_duration_seconds_count{from_layer="5",to_layer="7"} 4',
        '# EOF',
        '',
      ].join('\n'),
    );
  });

  it('never writes exemplars in the text format', () => {
    const text = serialize(COLLECTED, {
      format: 'text',
      exemplars: () => [EXEMPLAR, EXEMPLAR, EXEMPLAR],
    });
    expect(text).not.toContain('trace_id');
  });

  it("lets a series' own label win over a constant label of the same name", () => {
    const own: ResourceMetrics = {
      resource: resourceFromAttributes({}),
      scopeMetrics: [
        { scope: { name: 't' }, metrics: [{ ...GAUGE, dataPoints: [point({ layer: '7' }, 1)] }] },
      ],
    };
    expect(serialize(own, { format: 'text', constantLabels: { layer: '5' } })).toContain(
      'layerwatch_kpi_ingestion_lag_seconds{layer="7"} 1\n',
    );
  });
});
