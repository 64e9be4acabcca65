import { describe, expect, it } from 'vitest';
import { prometheusLabelName, prometheusMetricName } from '../src/index.js';
import { unitSuffix } from '../src/prometheus/names.js';

describe('prometheusMetricName', () => {
  it.each([
    ['http.server.request.duration', 's', 'histogram', 'http_server_request_duration_seconds'],
    ['layerwatch.tasks.processed', '{task}', 'counter', 'layerwatch_tasks_processed_total'],
    ['auth_failures', '{failure}', 'counter', 'auth_failures_total'],
    ['requests_total', '', 'counter', 'requests_total'],
    ['layerwatch.gpu.cost', 'usd/h', 'gauge', 'layerwatch_gpu_cost_usd_per_hour'],
    ['cpu.utilization', '1', 'gauge', 'cpu_utilization_ratio'],
    ['retries', '1', 'counter', 'retries_total'],
    ['payload.size', 'By', 'histogram', 'payload_size_bytes'],
    ['queue.lag_seconds', 's', 'gauge', 'queue_lag_seconds'],
    ['rate', '1/s', 'gauge', 'rate_per_second'],
    ['9lives', '', 'gauge', '_9lives'],
    ['a..b--c', '', 'gauge', 'a_b_c'],
  ] as const)('%s [%s] %s → %s', (name, unit, type, expected) => {
    expect(prometheusMetricName(name, unit, type)).toBe(expected);
  });
});

describe('unitSuffix', () => {
  it('drops annotations and spells units out', () => {
    expect(unitSuffix('{request}', 'counter')).toBe('');
    expect(unitSuffix('ms', 'histogram')).toBe('milliseconds');
    expect(unitSuffix('MiBy', 'gauge')).toBe('mebibytes');
    expect(unitSuffix('m/s', 'gauge')).toBe('meters_per_second');
    expect(unitSuffix('%', 'gauge')).toBe('percent');
  });
});

describe('prometheusLabelName', () => {
  it('replaces what Prometheus label names cannot hold', () => {
    expect(prometheusLabelName('http.response.status_code')).toBe('http_response_status_code');
    expect(prometheusLabelName('service.name')).toBe('service_name');
    expect(prometheusLabelName('k8s:pod')).toBe('k8s_pod');
    expect(prometheusLabelName('1st')).toBe('_1st');
  });
});
