/**
 * Links out of the dashboards: each panel to the runbooks of the alerts it explains, and to
 * the Layerwatch Grafana app's pages; each dashboard to the app and to its siblings.
 */
import { DashboardLinkBuilder, DashboardLinkType } from '@grafana/grafana-foundation-sdk/dashboard';
import type { DashboardSettings } from './settings.js';

/** The Grafana app plugin's id (grafana-plugin/, a later issue). */
export const PLUGIN_ID = 'layerwatch-ops-app';

/** The app's pages, as its routes name them. */
export const PLUGIN_PAGES = ['overview', 'alerts', 'audit', 'pages'] as const;
export type PluginPage = (typeof PLUGIN_PAGES)[number];

const PAGE_TITLES: Readonly<Record<PluginPage, string>> = {
  overview: 'Layerwatch overview',
  alerts: 'Layerwatch alerts and actions',
  audit: 'Layerwatch remediation audit log',
  pages: 'Layerwatch pages sent',
};

/** Every Layerwatch dashboard carries this tag; the dashboards dropdown lists by it. */
export const DASHBOARD_TAG = 'layerwatch';

export function pluginPageUrl(page: PluginPage): string {
  return `/a/${PLUGIN_ID}/${page}`;
}

export function pluginLink(page: PluginPage): DashboardLinkBuilder {
  return new DashboardLinkBuilder(PAGE_TITLES[page])
    .type(DashboardLinkType.Link)
    .url(pluginPageUrl(page))
    .icon('apps')
    .tooltip(`Open ${PAGE_TITLES[page]} in the Layerwatch app`)
    .targetBlank(false)
    .includeVars(false)
    .keepTime(true)
    .asDropdown(false);
}

export function runbookLink(settings: DashboardSettings, alert: string): DashboardLinkBuilder {
  return new DashboardLinkBuilder(`Runbook: ${alert}`)
    .type(DashboardLinkType.Link)
    .url(settings.runbook(alert))
    .icon('doc')
    .tooltip(`What ${alert} means and what to do`)
    .targetBlank(true)
    .includeVars(false)
    .keepTime(false)
    .asDropdown(false);
}

/** A panel's links: its alerts' runbooks, then its app page. */
export function panelLinks(
  settings: DashboardSettings,
  alerts: readonly string[],
  page: PluginPage,
): DashboardLinkBuilder[] {
  return [...alerts.map((alert) => runbookLink(settings, alert)), pluginLink(page)];
}

/** A dashboard's links: the other Layerwatch dashboards (by tag), then the app's pages. */
export function dashboardLinks(): DashboardLinkBuilder[] {
  const siblings = new DashboardLinkBuilder('Layerwatch dashboards')
    .type(DashboardLinkType.Dashboards)
    .tags([DASHBOARD_TAG])
    .asDropdown(true)
    .includeVars(true)
    .keepTime(true)
    .targetBlank(false)
    .icon('external link')
    .tooltip('');
  return [siblings, ...PLUGIN_PAGES.map(pluginLink)];
}
