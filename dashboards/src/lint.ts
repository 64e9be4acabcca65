/**
 * The checks a dashboard linter makes (after grafana/dashboard-linter's rules), over the
 * generated JSON as Grafana reads it. Pure: each problem names the dashboard, the panel, the
 * rule and the fix. The tests run it over dashboards/generated and over broken copies.
 */
import { selectorsWithoutCluster } from './lint-cluster.js';
import { CLUSTER_VARIABLE } from './promql.js';
import { DATASOURCE_VARIABLE } from './variables.js';

export interface LintTarget {
  readonly expr?: string;
  readonly refId?: string;
  readonly datasource?: { readonly type?: string; readonly uid?: string };
}

export interface LintPanel {
  readonly id?: number;
  readonly type?: string;
  readonly title?: string;
  readonly description?: string;
  readonly datasource?: { readonly type?: string; readonly uid?: string };
  readonly targets?: readonly LintTarget[];
  readonly links?: readonly { readonly url?: string }[];
  readonly fieldConfig?: { readonly defaults?: { readonly unit?: string } };
  readonly gridPos?: { readonly x: number; readonly w: number };
}

export interface LintDashboard {
  readonly uid?: string;
  readonly title?: string;
  readonly description?: string;
  readonly panels?: readonly LintPanel[];
  readonly templating?: {
    readonly list?: readonly {
      readonly name?: string;
      readonly type?: string;
      readonly query?: unknown;
    }[];
  };
  readonly annotations?: {
    readonly list?: readonly (LintTarget & { readonly builtIn?: number })[];
  };
}

export interface LintOptions {
  /** Every panel links to at least one runbook under this base. */
  readonly runbookBaseUrl: string;
  /** Every panel links to a page of this app: `/a/<id>/…`. */
  readonly pluginId: string;
  /** Every query selector filters on `<clusterLabel>=~"$cluster"` (alert-rules' `clusterLabel`). */
  readonly clusterLabel: string;
}

export interface LintProblem {
  readonly dashboard: string;
  readonly panel?: string;
  readonly rule: string;
  readonly message: string;
}

const DATASOURCE_UID = `\${${DATASOURCE_VARIABLE}}`;
/** Variables Grafana defines itself. */
const BUILT_IN = new Set([
  '__rate_interval',
  '__interval',
  '__range',
  '__interval_ms',
  '__range_s',
]);

/** Ranges inside rate/irate/increase calls (one level of nested parentheses is enough here). */
const RATE_RANGE = /\b(rate|irate|increase)\((?:[^()]|\([^()]*\))*?\[([^\]]*)\]/g;
/** A literal duration in a range or subquery: `[1m]`, `[5m:30s]`. */
const LITERAL_RANGE = /\[\s*\d+(?:ms|[smhdwy])[^\]]*\]/;
const VARIABLE_USE = /\$(?:\{([A-Za-z0-9_]+)(?::[^}]*)?\}|([A-Za-z0-9_]+))/g;

/** Problems in one query expression; the cluster rule when `clusterLabel` is given. */
export function lintExpr(expr: string, clusterLabel?: string): { rule: string; message: string }[] {
  const problems: { rule: string; message: string }[] = [];
  for (const selector of clusterLabel === undefined
    ? []
    : selectorsWithoutCluster(expr, clusterLabel)) {
    problems.push({
      rule: 'cluster-matcher',
      message: `${selector} lacks ${clusterLabel}=~"$${CLUSTER_VARIABLE}": it would mix clusters`,
    });
  }
  const literal = LITERAL_RANGE.exec(expr);
  if (literal) {
    problems.push({
      rule: 'no-literal-range',
      message: `range ${literal[0]} is fixed: use [$__rate_interval] (or [$__range] for the whole range)`,
    });
  }
  for (const match of expr.matchAll(RATE_RANGE)) {
    if (match[2] !== '$__rate_interval') {
      problems.push({
        rule: 'rate-interval',
        message: `${match[1]}(…[${match[2]}]) must read [$__rate_interval]`,
      });
    }
  }
  return problems;
}

/** Names of the variables an expression uses (`$layer`, `${datasource}`), built-ins left out. */
export function variablesUsed(text: string): string[] {
  const names = [...text.matchAll(VARIABLE_USE)].map((m) => m[1] ?? m[2] ?? '');
  return names.filter((name) => name !== '' && !BUILT_IN.has(name));
}

function lintPanel(
  panel: LintPanel,
  options: LintOptions,
  report: (rule: string, message: string) => void,
): void {
  if (!panel.description?.trim()) report('panel-description', 'has no description');
  if (!panel.fieldConfig?.defaults?.unit)
    report('panel-unit', 'sets no unit (fieldConfig.defaults.unit)');
  if (panel.datasource?.uid !== DATASOURCE_UID) {
    report(
      'panel-datasource',
      `datasource must be ${DATASOURCE_UID}, got ${JSON.stringify(panel.datasource)}`,
    );
  }
  const targets = panel.targets ?? [];
  if (targets.length === 0) report('panel-targets', 'has no queries');
  const refIds = new Set<string>();
  for (const target of targets) {
    const ref = target.refId ?? '?';
    if (refIds.has(ref)) report('target-refid', `refId ${ref} is used twice`);
    refIds.add(ref);
    if (target.datasource?.uid !== DATASOURCE_UID) {
      report('target-datasource', `query ${ref}: datasource must be ${DATASOURCE_UID}`);
    }
    if (!target.expr?.trim()) report('target-expr', `query ${ref} has no expression`);
    for (const problem of lintExpr(target.expr ?? '', options.clusterLabel))
      report(problem.rule, `query ${ref}: ${problem.message}`);
  }
  const urls = (panel.links ?? []).map((l) => l.url ?? '');
  if (!urls.some((url) => url.startsWith(`${options.runbookBaseUrl.replace(/\/+$/, '')}/`))) {
    report('panel-runbook-link', `links to no runbook under ${options.runbookBaseUrl}`);
  }
  if (!urls.some((url) => url.startsWith(`/a/${options.pluginId}/`))) {
    report('panel-app-link', `links to no page of the ${options.pluginId} app`);
  }
  const grid = panel.gridPos;
  if (!grid || grid.x < 0 || grid.x + grid.w > 24)
    report('panel-grid', 'lies outside the 24-column grid');
}

/** Problems in one dashboard; `[]` when it passes. */
export function lintDashboard(dashboard: LintDashboard, options: LintOptions): LintProblem[] {
  const name = dashboard.title ?? dashboard.uid ?? '(untitled)';
  const problems: LintProblem[] = [];
  const add = (rule: string, message: string, panel?: string): void => {
    problems.push({ dashboard: name, ...(panel === undefined ? {} : { panel }), rule, message });
  };
  if (!dashboard.uid) add('dashboard-uid', 'has no uid');
  if (!dashboard.description?.trim()) add('dashboard-description', 'has no description');
  const declared = dashboard.templating?.list ?? [];
  const ds = declared.find((v) => v.name === DATASOURCE_VARIABLE);
  if (ds?.type !== 'datasource' || ds.query !== 'prometheus') {
    add(
      'datasource-variable',
      `needs a variable ${DATASOURCE_VARIABLE} of type datasource, query prometheus`,
    );
  }
  const ids = new Set<number>();
  const used = new Set<string>();
  for (const panel of dashboard.panels ?? []) {
    const title = panel.title ?? `#${panel.id ?? '?'}`;
    if (panel.id === undefined) add('panel-id', 'has no id', title);
    else if (ids.has(panel.id)) add('panel-id', `id ${panel.id} is used twice`, title);
    if (panel.id !== undefined) ids.add(panel.id);
    lintPanel(panel, options, (rule, message) => add(rule, message, title));
    for (const target of panel.targets ?? []) {
      for (const v of variablesUsed(`${target.expr ?? ''} ${target.datasource?.uid ?? ''}`))
        used.add(v);
    }
    for (const v of variablesUsed(panel.datasource?.uid ?? '')) used.add(v);
  }
  for (const annotation of dashboard.annotations?.list ?? []) {
    if (annotation.builtIn === 1) continue;
    if (annotation.datasource?.uid !== DATASOURCE_UID) {
      add('annotation-datasource', `annotation datasource must be ${DATASOURCE_UID}`);
    }
    for (const problem of lintExpr(annotation.expr ?? '', options.clusterLabel))
      add(problem.rule, `annotation: ${problem.message}`);
  }
  const names = new Set(declared.map((v) => v.name ?? ''));
  for (const v of used)
    if (!names.has(v)) add('variable-undeclared', `queries use $${v}, which is not declared`);
  for (const v of names)
    if (!used.has(v)) add('variable-unused', `variable ${v} is declared but no query uses it`);
  return problems;
}

/** Problems across a set of dashboards: each one's, and UIDs shared between them. */
export function lintDashboards(
  dashboards: readonly LintDashboard[],
  options: LintOptions,
): LintProblem[] {
  const problems = dashboards.flatMap((d) => lintDashboard(d, options));
  const seen = new Map<string, string>();
  for (const d of dashboards) {
    if (!d.uid) continue;
    const other = seen.get(d.uid);
    if (other !== undefined) {
      problems.push({
        dashboard: d.title ?? d.uid,
        rule: 'dashboard-uid',
        message: `uid ${d.uid} is also ${other}'s`,
      });
    }
    seen.set(d.uid, d.title ?? d.uid);
  }
  return problems;
}

export function formatProblems(problems: readonly LintProblem[]): string {
  return problems
    .map(
      (p) =>
        `${p.dashboard}${p.panel === undefined ? '' : ` / ${p.panel}`}: [${p.rule}] ${p.message}`,
    )
    .join('\n');
}
