import { describe, expect, it } from 'vitest';
import type { ScheduledTarget } from '../src/config/prepare.js';
import { LeanSampleList, ScheduledResults } from '../src/scheduler/results.js';

function target(name: string): ScheduledTarget {
  return {
    key: `1/${name}`,
    target: `http://${name}`,
    schedule: '* * * * *',
    module: undefined as unknown as ScheduledTarget['module'],
    labels: { layer: '1', name, target: `http://${name}`, module: 'http_2xx' },
  };
}

const labels = (name: string): string =>
  `{layer="1",name="${name}",target="http://${name}",module="http_2xx"}`;

function header(name: string, help: string): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} gauge\n`;
}

const SUCCESS = header('probe_success', 'Displays whether or not the probe was a success');
const DURATION = header(
  'probe_duration_seconds',
  'Returns how long the probe took to complete in seconds',
);
const STATUS = header('probe_http_status_code', 'Response HTTP status code');
const MODIFIED = header('probe_http_last_modified_timestamp_seconds', 'Last-Modified');

describe('ScheduledResults', () => {
  it('rewrites a target in place when its families are unchanged, and rebuilds when they change', () => {
    const results = new ScheduledResults();
    const a = target('a');
    const b = target('b');
    const sink = new LeanSampleList();
    sink.gauge('probe_http_status_code', 'Response HTTP status code', 200);
    sink.gauge('probe_http_redirects', 'The number of redirects', 0); // lean: dropped
    results.update(a, true, 0.5, sink.samples);
    results.update(b, true, 0.25, sink.samples);
    sink.clear();
    sink.gauge('probe_http_status_code', 'Response HTTP status code', 503);
    results.update(a, false, 0.125, sink.samples);
    expect(results.render()).toBe(
      `${SUCCESS}probe_success${labels('a')} 0\nprobe_success${labels('b')} 1\n` +
        `${DURATION}probe_duration_seconds${labels('a')} 0.125\nprobe_duration_seconds${labels('b')} 0.25\n` +
        `${STATUS}probe_http_status_code${labels('a')} 503\nprobe_http_status_code${labels('b')} 200\n`,
    );
    sink.gauge('probe_http_last_modified_timestamp_seconds', 'Last-Modified', 1700000000);
    results.update(b, true, 0.75, sink.samples); // a family more
    sink.clear();
    results.update(a, false, 1, sink.samples); // a family fewer
    expect(results.render()).toBe(
      `${SUCCESS}probe_success${labels('a')} 0\nprobe_success${labels('b')} 1\n` +
        `${DURATION}probe_duration_seconds${labels('a')} 1\nprobe_duration_seconds${labels('b')} 0.75\n` +
        `${STATUS}probe_http_status_code${labels('b')} 503\n` +
        `${MODIFIED}probe_http_last_modified_timestamp_seconds${labels('b')} 1700000000\n`,
    );
  });

  it('keeps several lines of one family together and forgets targets no longer configured', () => {
    const results = new ScheduledResults();
    const a = target('a');
    const sink = new LeanSampleList();
    for (const value of [1, 2]) {
      sink.clear();
      sink.gauge('probe_ssl_earliest_cert_expiry', 'Expiry', value, { serial: '1' });
      sink.gauge('probe_ssl_earliest_cert_expiry', 'Expiry', value * 10, { serial: '2' });
      results.update(a, true, value, sink.samples);
    }
    const expiry = header('probe_ssl_earliest_cert_expiry', 'Expiry');
    const withSerial = (serial: string): string =>
      `{layer="1",name="a",target="http://a",module="http_2xx",serial="${serial}"}`;
    expect(results.render()).toBe(
      `${SUCCESS}probe_success${labels('a')} 1\n${DURATION}probe_duration_seconds${labels('a')} 2\n` +
        `${expiry}probe_ssl_earliest_cert_expiry${withSerial('1')} 2\nprobe_ssl_earliest_cert_expiry${withSerial('2')} 20\n`,
    );
    results.retain(new Set());
    expect(results.render()).toBe('');
  });
});
