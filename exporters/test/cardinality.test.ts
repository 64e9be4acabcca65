import { describe, expect, it } from 'vitest';
import { SeriesTable } from '../src/instruments/series-table.js';
import { samples, startTestInstrumentation, startTestService } from './support/service.js';

describe('SeriesTable (the guard of one instrument)', () => {
  it('admits up to the cap, then refuses new sets and reports each refused set once', () => {
    let refused = 0;
    const table = new SeriesTable<string>(['route', 'status'], 2, () => (refused += 1));
    expect(table.get({ route: '/a', status: 200 }, () => 'A')).toBe('A');
    expect(table.get({ route: '/a', status: 500 }, () => 'B')).toBe('B');
    expect(table.get({ route: '/c', status: 200 }, () => 'C')).toBeUndefined();
    expect(table.get({ route: '/c', status: 200 }, () => 'C')).toBeUndefined();
    expect(table.get({ route: '/a', status: 404 }, () => 'D')).toBeUndefined();
    expect(table.get({ route: '/a', status: 200 }, () => 'other')).toBe('A'); // admitted sets keep recording
    expect(refused).toBe(2);
    expect(table.size).toBe(2);
  });

  it('finds admitted series by value, numbers and their strings alike; absent is not empty', () => {
    const table = new SeriesTable<string>(['code', 'error'], 10, () => undefined);
    table.get({ code: 200 }, () => 'ok');
    table.get({ code: '', error: 'aborted' }, () => 'aborted');
    expect(table.find({ code: '200' })).toBe('ok');
    expect(table.get({ code: '200' }, () => 'duplicate')).toBe('ok');
    expect(table.find({ code: '', error: 'aborted' })).toBe('aborted');
    expect(table.find({ error: 'aborted' })).toBeUndefined();
    expect(table.find({ code: 404 })).toBeUndefined();
    const none = new SeriesTable<string>([], 1, () => undefined);
    expect(none.find({})).toBeUndefined();
    expect(none.get({}, () => 'only')).toBe('only');
    expect(none.find({})).toBe('only');
  });

  it('bounds its memory of refused sets: past the cap it may count a set again', () => {
    let refused = 0;
    const table = new SeriesTable<number>(['k'], 1, () => (refused += 1));
    table.get({ k: 'a' }, () => 1);
    for (const k of ['x', 'y', 'x']) table.get({ k }, () => 0);
    expect(refused).toBe(3);
  });
});

describe('cardinality guard over real HTTP', () => {
  it('drops label sets past the cap and counts them by instrument', async () => {
    const service = await startTestService(
      (app, instrumentation) => {
        const hits = instrumentation.instruments.counter({
          name: 'demo.hits',
          kind: 'counter',
          unit: '{hit}',
          description: 'Hits by user (a label that should not be one).',
          labels: ['user'],
        });
        app.get('/hit/:user', (req, res) => {
          hits.inc({ user: req.params.user });
          res.end();
        });
      },
      { maxSeriesPerInstrument: 3 },
    );
    for (const user of ['u1', 'u2', 'u3', 'u4', 'u5', 'u4', 'u1'])
      await service.get(`/hit/${user}`);
    const body = await service.metrics();
    expect(samples(body, 'demo_hits_total')).toEqual([
      'demo_hits_total{user="u1",layer="4"} 2',
      'demo_hits_total{user="u2",layer="4"} 1',
      'demo_hits_total{user="u3",layer="4"} 1',
    ]);
    expect(samples(body, 'layerwatch_exporter_dropped_label_sets_total')).toEqual([
      'layerwatch_exporter_dropped_label_sets_total{instrument="demo_hits_total",layer="4"} 2',
    ]);
    expect(body).toContain(
      '# HELP layerwatch_exporter_dropped_label_sets_total Label sets refused because their instrument reached its series cap.\n# TYPE layerwatch_exporter_dropped_label_sets_total counter\n',
    );
  });

  it('guards the request histogram too', async () => {
    const service = await startTestService(
      (app) => {
        for (const path of ['/a', '/b', '/c']) {
          app.get(path, (_req, res) => {
            res.end();
          });
        }
      },
      { maxSeriesPerInstrument: 2 },
    );
    for (const path of ['/a', '/b', '/c', '/missing']) await service.get(path);
    const body = await service.metrics();
    expect(samples(body, 'layerwatch_exporter_dropped_label_sets_total')).toEqual([
      'layerwatch_exporter_dropped_label_sets_total{instrument="http_server_request_duration_seconds",layer="4"} 2',
    ]);
  });

  it('lifts the SDK limit above the cap: 2,100 sets are kept, none folded into an overflow series', async () => {
    const instrumentation = await startTestInstrumentation({ maxSeriesPerInstrument: 2_500 });
    const gauge = instrumentation.instruments.gauge({
      name: 'demo.wide',
      kind: 'gauge',
      unit: '',
      description: 'Many series.',
      labels: ['id'],
    });
    for (let id = 0; id < 2_100; id += 1) gauge.set(id, { id });
    const text = await instrumentation.render();
    expect(samples(text, 'demo_wide')).toHaveLength(2_100);
    expect(text).not.toContain('otel_metric_overflow');
    expect(text).not.toContain('layerwatch_exporter_dropped_label_sets_total');
  });
});
