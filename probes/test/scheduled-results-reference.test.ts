import { describe, expect, it } from 'vitest';
import type { ScheduledTarget } from '../src/config/prepare.js';
import type { Labels } from '../src/format/sample-sink.js';
import { LeanSampleList, ScheduledResults } from '../src/scheduler/results.js';
import { ReferenceResults } from './support/reference-results.js';

function target(name: string, url = `http://${name}`): ScheduledTarget {
  return {
    key: `1/${name}`,
    target: url,
    schedule: '* * * * *',
    module: undefined as unknown as ScheduledTarget['module'],
    labels: { layer: '1', name, target: url, module: 'http_2xx' },
  };
}

/** A small deterministic generator (mulberry32), so a failing case can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VALUES = [0, 1, 200, 503, 0.125, 0.021652386000001571, 1700000000, NaN, Infinity, -1e-7];
const FAMILIES: readonly { name: string; labels?: Labels }[] = [
  { name: 'probe_http_status_code' },
  { name: 'probe_http_redirects' }, // dropped in scheduled mode
  { name: 'probe_http_last_modified_timestamp_seconds' },
  { name: 'probe_ssl_earliest_cert_expiry', labels: { serial: '1' } },
  { name: 'probe_ssl_earliest_cert_expiry', labels: { serial: '2' } },
  { name: 'probe_http_duration_seconds', labels: { phase: 'connect' } }, // dropped
  { name: 'probe_tls_info', labels: { issuer: 'CN=ünïcode "ca"\\\n' } },
  { name: 'probe_success' }, // a prober writing a shared family again
];

/** Writes what a probe of `index` wrote this time: mostly last time's families. */
function write(sink: LeanSampleList, next: () => number, stable: boolean): void {
  sink.clear();
  const count = stable ? 2 : Math.floor(next() * 5);
  for (let i = 0; i < count; i += 1) {
    const family = FAMILIES[stable ? i : Math.floor(next() * FAMILIES.length)] ?? FAMILIES[0];
    const value = VALUES[Math.floor(next() * VALUES.length)] ?? 0;
    sink.gauge(family?.name ?? '', `help of ${family?.name ?? ''}`, value, family?.labels);
  }
}

/** The reference's text as `/metrics` sends it. */
const utf8 = (reference: ReferenceResults): Buffer => Buffer.from(reference.render(), 'utf8');

describe('ScheduledResults against the previous implementation', () => {
  it('renders the same text for the same updates, in place or rebuilt, and after retain()', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const next = random(seed);
      const ours = new ScheduledResults();
      const reference = new ReferenceResults();
      const targets = Array.from({ length: 12 }, (_, i) =>
        target(i === 3 ? `nön-ascii-${i}` : `t${i}`),
      );
      const sink = new LeanSampleList();
      for (let step = 0; step < 400; step += 1) {
        const chosen = targets[Math.floor(next() * targets.length)] as ScheduledTarget;
        write(sink, next, next() < 0.7);
        const success = next() < 0.8;
        const duration = VALUES[Math.floor(next() * VALUES.length)] ?? 0;
        ours.update(chosen, success, duration, sink.samples);
        reference.update(chosen, success, duration, sink.samples);
        if (step % 97 === 96) {
          const kept = new Set(targets.filter(() => next() < 0.6).map((t) => t.key));
          ours.retain(kept);
          reference.retain(kept);
        }
        if (step % 10 === 0) {
          expect(ours.render(), `seed ${seed} step ${step}`).toBe(reference.render());
          expect(ours.renderBytes(), `seed ${seed} step ${step}`).toEqual(utf8(reference));
        }
      }
      expect(ours.render()).toBe(reference.render());
      expect(ours.renderBytes()).toEqual(utf8(reference));
    }
  });

  it('renders more than its first buffer holds, and text that is not ASCII, the same', () => {
    const ours = new ScheduledResults();
    const reference = new ReferenceResults();
    const sink = new LeanSampleList();
    sink.gauge('probe_http_status_code', 'Response HTTP status code', 200);
    for (let i = 0; i < 2000; i += 1) {
      const t = target(`t${i}`, `http://127.0.0.1:8080/a/rather/long/path/${i}`);
      ours.update(t, i % 7 !== 0, i / 1024, sink.samples);
      reference.update(t, i % 7 !== 0, i / 1024, sink.samples);
    }
    const text = ours.render();
    expect(text.length).toBeGreaterThan(64 * 1024);
    expect(text).toBe(reference.render());
    expect(ours.render()).toBe(text); // the grown buffer, again
    expect(ours.renderBytes()).toEqual(Buffer.from(text, 'utf8'));
    const few = new Set(['1/t1', '1/t2']); // a much shorter text, then a long one again
    ours.retain(few);
    reference.retain(few);
    expect(ours.render()).toBe(reference.render());
    for (let i = 0; i < 2000; i += 1) {
      const t = target(`t${i}`, `http://127.0.0.1:8080/a/rather/long/path/${i}`);
      ours.update(t, true, i / 512, sink.samples);
      reference.update(t, true, i / 512, sink.samples);
    }
    expect(ours.renderBytes()).toEqual(utf8(reference));
    const issuer = new LeanSampleList();
    issuer.gauge('probe_tls_info', 'TLS', 1, { issuer: 'CN=Zürich' }); // labels of its own
    ours.update(target('t1'), true, 0.5, issuer.samples);
    reference.update(target('t1'), true, 0.5, issuer.samples);
    expect(ours.render()).toBe(reference.render());
    expect(ours.render()).toContain('issuer="CN=Zürich"');
    expect(ours.renderBytes()).toEqual(utf8(reference)); // UTF-8, not latin1
    const accented = target('café');
    ours.update(accented, true, 0.5, sink.samples);
    reference.update(accented, true, 0.5, sink.samples);
    expect(ours.render()).toBe(reference.render());
    expect(ours.render()).toContain('name="café"');
    expect(ours.renderBytes()).toEqual(utf8(reference));
  });

  it('renders a reloaded target with its new labels on every line, probe_success included', () => {
    const results = new ScheduledResults();
    const sink = new LeanSampleList();
    sink.gauge('probe_http_status_code', 'Response HTTP status code', 200);
    results.update(target('a', 'http://old'), true, 0.5, sink.samples);
    results.update(target('a', 'http://new'), true, 0.25, sink.samples); // same key, reloaded
    const text = results.render();
    expect(text).not.toContain('http://old');
    expect(text.match(/target="http:\/\/new"/g)).toHaveLength(3);
  });
});
