export { buildDashboards, DASHBOARD_SPECS, type BuiltDashboard } from './catalog.js';
export { buildDashboard, firingAlertsExpr, type DashboardSpec } from './dashboard.js';
export {
  DashboardSettings,
  durationSeconds,
  type DashboardLayer,
  type LatencySlo,
} from './settings.js';
export { sloRecords, type SloRecords } from './records.js';
export {
  panel,
  badFrom,
  goodFrom,
  atLeastOne,
  type PanelSpec,
  type Query,
  type Thresholds,
  type Unit,
} from './panels.js';
export { PLUGIN_ID, PLUGIN_PAGES, DASHBOARD_TAG, pluginPageUrl, type PluginPage } from './links.js';
export {
  DATASOURCE,
  DATASOURCE_VARIABLE,
  clusterVariableQuery,
  variableQueries,
  type FilterVariable,
} from './variables.js';
export { EXPORTED } from './metrics.js';
export { byCluster, byClusterOrNone, CLUSTER_VARIABLE, RATE_INTERVAL } from './promql.js';
export { stableUid } from './uid.js';
export { lintDashboard, lintDashboards, lintExpr, variablesUsed, formatProblems } from './lint.js';
export type { LintDashboard, LintOptions, LintPanel, LintProblem, LintTarget } from './lint.js';
export { generatedFiles, GENERATED_DIR } from './outputs.js';
export { packageRoot } from './paths.js';
