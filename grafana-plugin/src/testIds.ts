/** data-testid values shared by the component tests and the browser tests. */
export const testIds = {
  app: { nav: 'lw-nav', container: 'lw-app' },
  state: { loading: 'lw-loading', empty: 'lw-empty', error: 'lw-error' },
  overview: {
    container: 'lw-overview',
    layer: (layer: string) => `lw-layer-${layer}`,
    health: (layer: string) => `lw-health-${layer}`,
    threshold: (layer: string, key: string) => `lw-threshold-${layer}-${key}`,
    budget: (layer: string) => `lw-budget-${layer}`,
  },
  alerts: {
    container: 'lw-alerts',
    group: (priority: string) => `lw-priority-${priority}`,
    alert: (fingerprint: string) => `lw-alert-${fingerprint}`,
    runbook: 'lw-runbook',
    acknowledge: 'lw-acknowledge',
  },
  action: {
    button: (name: string) => `lw-action-${name}`,
    dialog: 'lw-action-dialog',
    plan: 'lw-action-plan',
    confirmInput: 'lw-action-confirm-input',
    confirm: 'lw-action-confirm',
    result: 'lw-action-result',
    error: 'lw-action-error',
  },
  audit: { container: 'lw-audit', row: 'lw-audit-row', verify: 'lw-audit-verify' },
  pages: { container: 'lw-pages', row: 'lw-page-row' },
  config: {
    remediationUrl: 'lw-config-remediation-url',
    remediationToken: 'lw-config-remediation-token',
    alertmanagerUrl: 'lw-config-alertmanager-url',
    prometheusUid: 'lw-config-prometheus-uid',
    cluster: 'lw-config-cluster',
    submit: 'lw-config-submit',
    error: 'lw-config-error',
  },
};
