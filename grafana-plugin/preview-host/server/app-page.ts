import type { ServerResponse } from 'node:http';
import { pageHtml } from './html.js';
import type { HostUser } from './plugin-proxy.js';
import { permissionsOf } from './routes.js';
import type { HostPluginJson } from './settings.js';

/** The app's page for `user`: the host's boot data and what Grafana's index.html would set. */
export function sendAppPage(
  res: ServerResponse,
  plugin: HostPluginJson,
  user: HostUser,
  users: HostUser[],
  prometheusUid: string,
  theme: 'light' | 'dark',
): void {
  const bootUser = {
    login: user.login,
    orgRole: user.role,
    permissions: Object.fromEntries([...permissionsOf(plugin, user.role)].map((a) => [a, true])),
  };
  const boot = {
    pluginId: plugin.id,
    user: bootUser,
    users: users.map((u) => ({ login: u.login, role: u.role })),
    theme,
    datasources: [
      { uid: prometheusUid, name: 'Layerwatch Prometheus', type: 'prometheus', isDefault: true },
    ],
  };
  // What @grafana/runtime's config reads when it loads (Grafana's index.html sets it).
  const grafanaBootData = {
    settings: {
      buildInfo: { version: '12.4.10', edition: 'Open Source' },
      featureToggles: {},
      datasources: {},
      panels: {},
      apps: {},
      appSubUrl: '',
      theme2: undefined,
    },
    user: { ...bootUser, isSignedIn: true, id: user.id, orgId: 1 },
    navTree: [],
  };
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(pageHtml(boot, grafanaBootData, 'Layerwatch Ops'));
}
