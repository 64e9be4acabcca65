import { describe, expect, it } from 'vitest';
import {
  formatProblems,
  lintDashboard,
  lintDashboards,
  lintExpr,
  variablesUsed,
} from '../src/index.js';
import { committedDashboards, copy, LINT_OPTIONS, type GeneratedDashboard } from './support.js';

const dashboards = committedDashboards();
const systemHealth = dashboards.find((d) => d.file === 'system-health.json')?.json;
if (!systemHealth) throw new Error('generated/system-health.json is missing');

interface EditablePanel {
  id?: number;
  description?: string;
  datasource?: unknown;
  links?: unknown[];
  fieldConfig: { defaults: { unit?: string } };
  targets: { expr?: string; datasource?: unknown }[];
}

interface Editable {
  panels: EditablePanel[];
  templating: { list: unknown[] };
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item ${index}`);
  return item;
}

/** The problems of a broken copy of System health, as `panel: [rule] message` lines. */
function problemsAfter(breakIt: (d: Editable) => void): string[] {
  const broken = copy(systemHealth) as unknown as Editable;
  breakIt(broken);
  return lintDashboard(broken as unknown as GeneratedDashboard, LINT_OPTIONS).map(
    (p) => `${p.panel ?? '-'}: [${p.rule}] ${p.message}`,
  );
}

describe('the generated dashboards', () => {
  it('pass every structural check', () => {
    expect(dashboards).toHaveLength(7);
    expect(
      formatProblems(
        lintDashboards(
          dashboards.map((d) => d.json),
          LINT_OPTIONS,
        ),
      ),
    ).toBe('');
  });

  it('number their panels 1…n and set a unit and a description on each', () => {
    for (const { json } of dashboards) {
      expect(json.panels.map((p) => p.id)).toEqual(json.panels.map((_, i) => i + 1));
      for (const panel of json.panels) {
        expect(panel.fieldConfig.defaults.unit, panel.title).toBeTruthy();
      }
    }
  });
});

describe('lintDashboard catches', () => {
  it('a repeated panel id', () => {
    expect(problemsAfter((d) => (at(d.panels, 1).id = 1))).toEqual([
      'Probed endpoints: [panel-id] id 1 is used twice',
    ]);
  });

  it('a panel without a description or a unit', () => {
    expect(
      problemsAfter((d) => {
        delete at(d.panels, 0).description;
        delete at(d.panels, 0).fieldConfig.defaults.unit;
      }),
    ).toEqual([
      'Layer up: [panel-description] has no description',
      'Layer up: [panel-unit] sets no unit (fieldConfig.defaults.unit)',
    ]);
  });

  it('a panel or query not on the datasource variable', () => {
    expect(
      problemsAfter((d) => {
        at(d.panels, 0).datasource = { type: 'prometheus', uid: 'prod' };
        at(at(d.panels, 0).targets, 0).datasource = { uid: 'prod' };
      }),
    ).toEqual([
      'Layer up: [panel-datasource] datasource must be ${datasource}, got {"type":"prometheus","uid":"prod"}',
      'Layer up: [target-datasource] query A: datasource must be ${datasource}',
    ]);
  });

  it.each([
    [
      'a fixed window in a rate',
      'sum(rate(layerwatch_probe_failures_total{cluster=~"$cluster"}[1m]))',
      [
        'Probe failures by reason: [no-literal-range] query A: range [1m] is fixed: use [$__rate_interval] (or [$__range] for the whole range)',
        'Probe failures by reason: [rate-interval] query A: rate(…[1m]) must read [$__rate_interval]',
      ],
    ],
    [
      'a query selector without the cluster matcher',
      'sum(rate(layerwatch_probe_failures_total{job="x"}[$__rate_interval])) / up',
      [
        'Probe failures by reason: [cluster-matcher] query A: layerwatch_probe_failures_total{job="x"} lacks cluster=~"$cluster": it would mix clusters',
        'Probe failures by reason: [cluster-matcher] query A: up lacks cluster=~"$cluster": it would mix clusters',
      ],
    ],
  ])('%s', (_, expr, problems) => {
    expect(problemsAfter((d) => (at(at(d.panels, 9).targets, 0).expr = expr))).toEqual(problems);
  });

  it('a dashboard without the cluster variable', () => {
    expect(
      problemsAfter(
        (d) =>
          (d.templating.list = d.templating.list.filter(
            (v) => (v as { name?: string }).name !== 'cluster',
          )),
      ),
    ).toEqual(['-: [variable-undeclared] queries use $cluster, which is not declared']);
  });

  it('panels without a runbook or app link', () => {
    expect(problemsAfter((d) => (at(d.panels, 0).links = []))).toEqual([
      `Layer up: [panel-runbook-link] links to no runbook under ${LINT_OPTIONS.runbookBaseUrl}`,
      'Layer up: [panel-app-link] links to no page of the layerwatch-ops-app app',
    ]);
  });

  it('a missing datasource variable, and variables used but not declared', () => {
    expect(problemsAfter((d) => (d.templating.list = []))).toEqual(
      expect.arrayContaining([
        '-: [datasource-variable] needs a variable datasource of type datasource, query prometheus',
        '-: [variable-undeclared] queries use $layer, which is not declared',
        '-: [variable-undeclared] queries use $datasource, which is not declared',
      ]),
    );
  });

  it('a variable no query uses', () => {
    expect(
      problemsAfter((d) => d.templating.list.push({ name: 'node', type: 'query', query: 'x' })),
    ).toEqual(['-: [variable-unused] variable node is declared but no query uses it']);
  });

  it('a dashboard UID used twice', () => {
    const twin = { ...copy(systemHealth), title: 'Twin' };
    expect(lintDashboards([systemHealth, twin], LINT_OPTIONS).map((p) => p.message)).toEqual([
      `uid ${systemHealth.uid} is also Layerwatch / System health's`,
    ]);
  });
});

describe('lintExpr', () => {
  it.each([
    ['rate(x[$__rate_interval])', []],
    ['sum by (le) (rate(x_bucket{a="b"}[$__rate_interval]))', []],
    ['avg_over_time(up[$__range])', []],
    ['increase(x[5m])', ['no-literal-range', 'rate-interval']],
    ['irate(x[$__interval])', ['rate-interval']],
    ['max_over_time(up[1h:1m])', ['no-literal-range']],
  ])('%s', (expr, rules) => {
    expect(lintExpr(expr).map((p) => p.rule)).toEqual(rules);
  });

  it('lists the variables a query uses, Grafana built-ins left out', () => {
    expect(
      variablesUsed('up{a=~"$layer",n=~"${node}"}[$__rate_interval] ${datasource:raw}'),
    ).toEqual(['layer', 'node', 'datasource']);
  });
});
