export { DEFAULT_CONFIG } from './config.js';
export { resolveConfig, validateConfig, ConfigValueError } from './config-resolve.js';
export type * from './config-types.js';
export { PAGER_KINDS } from './config-types.js';
export type * from './types.js';
export { isAlertRule } from './types.js';
export { alert, recordingRule, ruleGroup, runbookUrl, type AlertSpec } from './builders.js';
export { sloBurnRateAlerts } from './slo/alerts.js';
export { buildRuleGroups, alertRules, alertNames, ruleFileContent } from './rules.js';
export {
  buildAlertmanagerConfig,
  inhibitRules,
  alertmanagerGroupBy,
  RECEIVERS,
  WATCHDOG,
} from './alertmanager/config.js';
export { readPagerSecrets, SECRETS_FILE_ENV, type PagerSecrets } from './alertmanager/secrets.js';
export { routeCases, type RouteCase } from './alertmanager/route-cases.js';
export {
  generatedFiles,
  formatFiles,
  ruleFileYaml,
  ruleFilePath,
  alertmanagerYaml,
  GENERATED,
  REGENERATE_COMMAND,
} from './outputs.js';
export { expectedFiles, listFiles } from './expected-files.js';
export { prometheusConfig, type PrometheusSetup } from './prometheus-config.js';
export { findPackageRoot, packageRoot, packagePath } from './paths.js';
