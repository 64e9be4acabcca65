/**
 * Template variables. Every panel and every query reads its data source from `datasource`
 * (type prometheus), so the dashboards work against any Prometheus Grafana knows. Every
 * dashboard picks clusters with `cluster` (values of the alert-rules config's `clusterLabel`);
 * `layer` and `node` filter with regex matchers, and "All" is `.*`.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { CLUSTER_VARIABLE } from './promql.js';
import type { DashboardSettings } from './settings.js';

export const DATASOURCE_VARIABLE = 'datasource';

/** The data source reference every panel and target carries. */
export const DATASOURCE = { type: 'prometheus', uid: `\${${DATASOURCE_VARIABLE}}` } as const;

/** Variables a dashboard may declare, beyond `datasource` and `cluster` (which all have). */
export type FilterVariable = 'layer' | 'node' | 'slo';

function datasourceVariable(): dashboard.DatasourceVariableBuilder {
  return new dashboard.DatasourceVariableBuilder(DATASOURCE_VARIABLE)
    .label('Data source')
    .type('prometheus')
    .current({ text: 'default', value: 'default' })
    .regex('');
}

function filterVariable(
  name: FilterVariable | typeof CLUSTER_VARIABLE,
  label: string,
  query: string,
): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(DATASOURCE)
    .query(query)
    .definition(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ text: 'All', value: '$__all' });
}

/**
 * The clusters: values of the cluster label on the probe daemon's `up`, a series every
 * cluster has. Empty on a Prometheus without the label; "All" (`.*`) then matches all.
 */
export function clusterVariableQuery(settings: DashboardSettings): string {
  return `label_values(up{job="${settings.config.jobs.probes}"}, ${settings.clusterLabel})`;
}

/** The queries that list each variable's values, from the series the panels read. */
export function variableQueries(settings: DashboardSettings): Record<FilterVariable, string> {
  return {
    layer: `label_values(probe_success{${settings.probes}}, layer)`,
    node: `label_values(nvidia_smi_gpu_info{${settings.gpu}}, node)`,
    slo: `label_values(${settings.records.objective}, slo)`,
  };
}

const LABELS: Readonly<Record<FilterVariable, string>> = {
  layer: 'Layer',
  node: 'GPU node',
  slo: 'SLO',
};

export function variables(
  settings: DashboardSettings,
  filters: readonly FilterVariable[],
): (dashboard.DatasourceVariableBuilder | dashboard.QueryVariableBuilder)[] {
  const queries = variableQueries(settings);
  return [
    datasourceVariable(),
    filterVariable(CLUSTER_VARIABLE, 'Cluster', clusterVariableQuery(settings)),
    ...filters.map((name) => filterVariable(name, LABELS[name], queries[name])),
  ];
}
