/**
 * Every PromQL query a generated dashboard sends, in the form Grafana sends it to
 * Prometheus: template variables replaced the way Grafana replaces them ("All" is `.*`),
 * `$__rate_interval` and the other built-ins with fixed durations.
 */
import type { BuiltDashboard } from '@layerwatch/dashboards';

export interface DashboardQuery {
  readonly dashboard: string;
  /** Panel title; `(variable x)` and `(annotation x)` for the dashboard's own queries. */
  readonly panel: string;
  readonly refId: string;
  /** As written in the dashboard JSON. */
  readonly raw: string;
  /** As sent to Prometheus. */
  readonly expr: string;
  /** What the panel says in place of "No data" (no rows of a table: nothing is wrong). */
  readonly noValue?: string;
}

/** What Grafana puts in for its built-ins at a 1-second scrape and a 5-minute range. */
const BUILT_INS: Readonly<Record<string, string>> = {
  __rate_interval: '1m',
  __interval: '15s',
  __range: '5m',
};

/** `$layer`, `${node}`, `$__rate_interval` → what Grafana would send; variables as `.*`. */
export function interpolate(expr: string): string {
  return expr.replace(
    /\$(?:\{([A-Za-z0-9_]+)(?::[^}]*)?\}|([A-Za-z0-9_]+))/g,
    (_match: string, a: string | undefined, b: string | undefined) => {
      const name = a ?? b ?? '';
      return BUILT_INS[name] ?? '.*';
    },
  );
}

interface Json {
  readonly title?: string;
  readonly expr?: string;
  readonly refId?: string;
  readonly name?: string;
  readonly type?: string;
  readonly query?: unknown;
  readonly builtIn?: number;
  readonly targets?: readonly Json[];
  readonly fieldConfig?: { readonly defaults?: { readonly noValue?: string } };
}

/** `label_values(selector, label)` → the selector, which Grafana sends as `match[]`. */
export function variableSelector(query: string): { selector: string; label: string } | undefined {
  const match = /^label_values\((.*),\s*([A-Za-z_][A-Za-z0-9_]*)\)$/s.exec(query);
  return match?.[1] === undefined || match[2] === undefined
    ? undefined
    : { selector: match[1], label: match[2] };
}

export function dashboardQueries(built: readonly BuiltDashboard[]): DashboardQuery[] {
  const out: DashboardQuery[] = [];
  for (const { dashboard } of built) {
    const title = dashboard.title ?? dashboard.uid ?? '?';
    const add = (panel: string, refId: string, raw: string, noValue?: string): void => {
      const expr = interpolate(raw);
      out.push({ dashboard: title, panel, refId, raw, expr, ...(noValue && { noValue }) });
    };
    for (const panel of (dashboard.panels ?? []) as readonly Json[]) {
      for (const target of panel.targets ?? []) {
        const noValue = panel.fieldConfig?.defaults?.noValue;
        add(panel.title ?? '?', target.refId ?? '?', target.expr ?? '', noValue);
      }
    }
    for (const annotation of (dashboard.annotations.list ?? []) as readonly Json[]) {
      if (annotation.builtIn !== 1 && annotation.expr) {
        add(`(annotation ${annotation.name ?? '?'})`, '-', annotation.expr);
      }
    }
    for (const variable of (dashboard.templating.list ?? []) as readonly Json[]) {
      const selector =
        typeof variable.query === 'string' ? variableSelector(variable.query) : undefined;
      if (variable.type === 'query' && selector) {
        add(`(variable ${variable.name ?? '?'})`, '-', selector.selector);
      }
    }
  }
  return out;
}

export interface QueryResult {
  readonly httpStatus: number;
  readonly status: string;
  readonly error?: string;
  readonly series: number;
}

/** One instant query through Prometheus's HTTP API (`POST /api/v1/query`). */
export async function instantQuery(prometheusUrl: string, expr: string): Promise<QueryResult> {
  const response = await fetch(`${prometheusUrl}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query: expr }).toString(),
  });
  const body = (await response.json()) as {
    status: string;
    error?: string;
    data?: { resultType: string; result: unknown };
  };
  const result = body.data?.result;
  const series = Array.isArray(result) ? result.length : result === undefined ? 0 : 1;
  return {
    httpStatus: response.status,
    status: body.status,
    ...(body.error === undefined ? {} : { error: body.error }),
    series,
  };
}
