import pluginJson from './plugin.json';

/** One place for the app's id, its pages and the paths it calls (create-plugin's layout). */
export const PLUGIN_ID = pluginJson.id;
export const PLUGIN_BASE_URL = `/a/${PLUGIN_ID}`;

export enum ROUTES {
  Overview = 'overview',
  Alerts = 'alerts',
  Audit = 'audit',
  Pages = 'pages',
}

export const PAGE_TITLES: Record<ROUTES, string> = {
  [ROUTES.Overview]: 'Overview',
  [ROUTES.Alerts]: 'Alerts',
  [ROUTES.Audit]: 'Audit',
  [ROUTES.Pages]: 'Pages',
};

export function prefixRoute(route: string): string {
  return `${PLUGIN_BASE_URL}/${route}`;
}

/** Everything the plugin sends to its backends goes through Grafana's plugin proxy. */
export const PROXY_BASE = `/api/plugin-proxy/${PLUGIN_ID}`;
export const REMEDIATION_PROXY = `${PROXY_BASE}/remediation`;
export const ALERTMANAGER_PROXY = `${PROXY_BASE}/alertmanager`;
/** Runbooks ship in dist/runbooks and Grafana serves the plugin's folder as static files. */
export const RUNBOOKS_BASE = `public/plugins/${PLUGIN_ID}/runbooks`;

export const DEFAULT_PROMETHEUS_UID = 'layerwatch-prometheus';
export const DEFAULT_REFRESH_SECONDS = 15;
/**
 * How long any request of the app waits before its page names the backend that did not
 * answer; under Grafana's own data proxy timeout (30 s), so the page says it first.
 */
export const REQUEST_TIMEOUT_MS = 10_000;
/** The cluster regex when none is set: every cluster (and series without the label). */
export const ALL_CLUSTERS = '.*';
