/** The backends the app reads, named as a page names the one that did not answer. */
export type Backend = 'Prometheus' | 'Alertmanager' | 'The remediation API' | 'Grafana';
