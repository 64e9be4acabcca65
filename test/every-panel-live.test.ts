/**
 * The embedded default shows everything (#16): the stack composed as `make up` composes it
 * (1-second intervals, free ports, the simulated GPU node where there is no nvidia-smi), then
 * every query of every generated dashboard, every tile of the app's Overview and every
 * vector selector of every alert and recording rule, against its real Prometheus. Each
 * must parse, and each must return data; a failure names every panel, tile or rule that
 * returned nothing.
 */
import { alertRules, buildRuleGroups, DEFAULT_CONFIG } from '@layerwatch/alert-rules';
import { buildDashboards } from '@layerwatch/dashboards';
import { allChecks, overviewRows, withClusterRegex } from '@layerwatch/grafana-plugin/overview';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestComposition, type TestComposition } from './support/composition.js';
import { dashboardQueries, instantQuery } from './support/dashboard-queries.js';
import { vectorSelectors } from './support/promql-selectors.js';

/** One thing that must show data: where it is shown, and the query Prometheus is sent. */
interface Shown {
  readonly where: string;
  readonly expr: string;
  readonly mayBeEmpty?: boolean;
}

const QUERIES = dashboardQueries(buildDashboards());
/**
 * Every panel and variable query. Annotations (firing alerts drawn on the graphs) are only
 * parsed: they are events, empty while nothing fires. A panel that says what its emptiness
 * means (`noValue`: a table of broken files shows none) may be empty.
 */
const PANELS: Shown[] = QUERIES.filter((q) => !q.panel.startsWith('(annotation')).map((q) => ({
  where: `${q.dashboard} / ${q.panel}`,
  expr: q.expr,
  ...(q.noValue !== undefined && { mayBeEmpty: true }),
}));
const ANNOTATIONS: Shown[] = QUERIES.filter((q) => q.panel.startsWith('(annotation')).map((q) => ({
  where: `${q.dashboard} / ${q.panel}`,
  expr: q.expr,
}));
const TILES: Shown[] = allChecks(overviewRows()).map((check) => ({
  where: `Overview / ${check.label}`,
  expr: withClusterRegex(check.query, '.*'),
}));
const GROUPS = buildRuleGroups(DEFAULT_CONFIG);
const RULE_INPUTS: Shown[] = [
  ...GROUPS.flatMap((g) => g.recordings).map((r) => ({ name: r.record, expr: r.expr })),
  ...alertRules(GROUPS).map((r) => ({ name: `${r.alert} ${r.labels.priority}`, expr: r.expr })),
].flatMap(({ name, expr }) =>
  vectorSelectors(expr).map((selector) => ({
    where: `${name}: ${selector}`,
    expr: `count(${selector})`,
  })),
);

/**
 * Rule inputs that exist only once what they watch has happened, or only on hardware the
 * demo does not have: absent is not zero, so nothing stands in for them. The test checks
 * each is still needed (really empty), so the list cannot outlive its reason.
 */
const ABSENT_UNTIL_IT_HAPPENS: Readonly<Record<string, string>> = {
  'nvidia_smi_retired_pages_pending{layer="8"}':
    'pages are retired on pre-Ampere GPUs only; the simulated node is H100-class (it remaps rows)',
  'nvidia_smi_gpu_readable{layer="8",reason="fallen_off_the_bus"}':
    'a GPU that fell off the bus (test/gpu-faults-page.test.ts injects one)',
  'nvidia_smi_xid_last_timestamp_seconds{layer="8",xid=~"79|95"}':
    'an XID of that class in the kernel log (test/gpu-faults-page.test.ts injects an XID 79)',
  'nvidia_smi_xid_last_timestamp_seconds{layer="8",xid=~"48|63|64|74|94"}':
    'an XID of that class in the kernel log (the promtool tests cover the rule)',
  'nvidia_smi_xid_last_timestamp_seconds{layer="8",xid=~"13|31|43"}':
    'an XID of that class in the kernel log (the promtool tests cover the rule)',
};
const exempt = (where: string): boolean =>
  Object.keys(ABSENT_UNTIL_IT_HAPPENS).some((selector) => where.endsWith(`: ${selector}`));

let stack: TestComposition;
let prometheusUrl: string;
/** What returned nothing at the last look, by `where` (a place shows data when any query does). */
let empty: { panels: string[]; tiles: string[]; rules: string[] } = {
  panels: [],
  tiles: [],
  rules: [],
};

async function withoutData(shown: readonly Shown[]): Promise<string[]> {
  const series = new Map<string, number>();
  await Promise.all(
    shown.map(async ({ where, expr }) => {
      const result = await instantQuery(prometheusUrl, expr);
      series.set(
        where,
        (series.get(where) ?? 0) + (result.status === 'success' ? result.series : 0),
      );
    }),
  );
  const mayBeEmpty = new Set(shown.filter((s) => s.mayBeEmpty).map((s) => s.where));
  return [...series]
    .filter(([where, n]) => n === 0 && !mayBeEmpty.has(where))
    .map(([where]) => where)
    .sort();
}

/** Places that showed data at some look: a panel over a time range shows what it ever had. */
const seen = new Set<string>();

async function look(): Promise<number> {
  const stillEmpty = async (shown: readonly Shown[]): Promise<string[]> => {
    const nothing = new Set(await withoutData(shown));
    for (const { where } of shown) if (!nothing.has(where)) seen.add(where);
    return [...nothing].filter((where) => !seen.has(where));
  };
  empty = {
    panels: await stillEmpty(PANELS),
    tiles: await stillEmpty(TILES),
    rules: await stillEmpty(RULE_INPUTS.filter((input) => !exempt(input.where))),
  };
  return empty.panels.length + empty.tiles.length + empty.rules.length;
}

beforeAll(async () => {
  stack = await startTestComposition('every-panel', ['prometheus'], { intervalSeconds: 1 });
  prometheusUrl = stack.composition.state.prometheus!.url;
  // Rates need two samples in their window, and rare events a little time to happen.
  const deadline = Date.now() + 90_000;
  while ((await look()) > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}, 150_000);

afterAll(() => stack?.stop());

describe('the embedded default, every panel live', () => {
  it('sends only queries that Prometheus parses and runs', async () => {
    expect(new Set(QUERIES.map((q) => q.dashboard)).size).toBe(7);
    expect(PANELS.length).toBeGreaterThan(70);
    expect(PANELS.every((q) => !q.expr.includes('$'))).toBe(true);
    const failed: string[] = [];
    for (const { where, expr } of [...PANELS, ...ANNOTATIONS, ...TILES, ...RULE_INPUTS]) {
      const result = await instantQuery(prometheusUrl, expr);
      if (result.httpStatus !== 200 || result.status !== 'success') {
        failed.push(`${where}: HTTP ${result.httpStatus} ${result.error ?? ''}\n  ${expr}`);
      }
    }
    expect(failed.join('\n')).toBe('');
  });

  it('shows data on every panel of every dashboard', () => {
    expect(empty.panels).toEqual([]);
  });

  it('shows a value on every tile of the app’s Overview', () => {
    expect(TILES.length).toBeGreaterThan(15);
    expect(empty.tiles).toEqual([]);
  });

  it('has every input series of every alert and recording rule', () => {
    expect(RULE_INPUTS.length).toBeGreaterThan(50);
    expect(empty.rules).toEqual([]);
  });

  it('still needs every exemption: each exempted rule input is really absent', async () => {
    const stillAbsent = await withoutData(RULE_INPUTS.filter((input) => exempt(input.where)));
    const exempted = [...new Set(RULE_INPUTS.filter((i) => exempt(i.where)).map((i) => i.where))];
    expect(stillAbsent.sort()).toEqual(exempted.sort());
    expect(new Set(exempted.map((w) => w.slice(w.indexOf(': ') + 2))).size).toBe(
      Object.keys(ABSENT_UNTIL_IT_HAPPENS).length,
    );
  });

  it('lists every probed layer in the layer variable', async () => {
    const selector = `probe_success{${DEFAULT_CONFIG.selectors.probes}}`;
    const response = await fetch(
      `${prometheusUrl}/api/v1/label/layer/values?match[]=${encodeURIComponent(selector)}`,
    );
    const body = (await response.json()) as { data: string[] };
    expect(body.data).toEqual(['4', '5', '7', '8', 'shared']);
  });
});
