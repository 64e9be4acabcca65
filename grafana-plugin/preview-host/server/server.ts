import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { closeServer, formatHostPort, listen } from '@layerwatch/local/net';
import { sendAppPage } from './app-page.js';
import { GRAFANA_PROXY_TIMEOUT_MS, sendJson } from './forward.js';
import { ensureHostPage } from './page-bundle.js';
import { DIST_DIR } from './paths.js';
import { proxyDatasourceRequest, proxyPluginRequest, type HostUser } from './plugin-proxy.js';
import type { OrgRole } from './routes.js';
import { pluginSettings, type HostPluginJson, type HostSettings } from './settings.js';
import { serveFile } from './static.js';
import { login, userOf } from './users.js';

export interface PluginHostOptions {
  /** @default 3000 (0: a free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  remediationUrl: string;
  remediationToken: string;
  alertmanagerUrl: string;
  prometheusUrl: string;
  /** The signed-in user when the browser names none. @default 'admin' */
  user?: string;
  /** @default 'Admin' */
  role?: OrgRole;
  /** More users `/login?user=<login>` switches to (a session cookie, stripped by the proxy). */
  users?: Array<{ login: string; role: OrgRole }>;
  /** The built plugin. @default grafana-plugin/dist */
  distDir?: string;
  /** @default 'layerwatch-prometheus' */
  prometheusUid?: string;
  /** How long both proxies wait for a backend's response headers before a 504. @default 30_000, Grafana's */
  proxyTimeoutMs?: number;
}

export interface RunningPluginHost {
  url: string;
  port: number;
  pluginId: string;
  stop(): Promise<void>;
}

/** Everything a request needs, resolved once at start. */
interface Host {
  options: PluginHostOptions;
  plugin: HostPluginJson;
  distDir: string;
  pageDir: string;
  uiImages: string;
  systemjsDir: string;
  prometheusUid: string;
  proxyTimeoutMs: number;
  users: HostUser[];
  settings: HostSettings;
}

async function readPlugin(distDir: string): Promise<HostPluginJson> {
  const text = await readFile(`${distDir}/plugin.json`, 'utf8').catch(() => {
    throw new Error(
      `${distDir}/plugin.json is missing: build the plugin first (npm run build -w grafana-plugin)`,
    );
  });
  return JSON.parse(text) as HostPluginJson;
}

async function resolveHost(options: PluginHostOptions): Promise<Host> {
  const distDir = options.distDir ?? DIST_DIR;
  const require = createRequire(import.meta.url);
  const prometheusUid = options.prometheusUid ?? 'layerwatch-prometheus';
  return {
    options,
    plugin: await readPlugin(distDir),
    distDir,
    pageDir: await ensureHostPage(),
    uiImages: `${dirname(require.resolve('@grafana/ui/package.json'))}/dist/public/img`,
    systemjsDir: dirname(require.resolve('systemjs/dist/system.min.js')),
    prometheusUid,
    proxyTimeoutMs: options.proxyTimeoutMs ?? GRAFANA_PROXY_TIMEOUT_MS,
    users: [
      { login: options.user ?? 'admin', role: options.role ?? 'Admin' },
      ...(options.users ?? []),
    ].map((u, i) => ({ id: i + 1, ...u })),
    settings: {
      enabled: true,
      pinned: true,
      jsonData: {
        remediationUrl: options.remediationUrl,
        alertmanagerUrl: options.alertmanagerUrl,
        prometheusUid,
      },
      secureJsonData: { remediationToken: options.remediationToken },
    },
  };
}

/** Grafana's proxies: the plugin's routes, and the Prometheus data source; false if neither. */
function proxy(host: Host, req: IncomingMessage, res: ServerResponse, url: URL): boolean {
  const { plugin, settings, proxyTimeoutMs } = host;
  const pluginProxy = `/api/plugin-proxy/${plugin.id}/`;
  const dsProxy = `/api/datasources/proxy/uid/${host.prometheusUid}/`;
  const path = url.pathname;
  if (path.startsWith(pluginProxy)) {
    const data = { JsonData: settings.jsonData, SecureJsonData: settings.secureJsonData };
    const rest = path.slice(pluginProxy.length);
    proxyPluginRequest(
      req,
      res,
      plugin,
      rest,
      url.search,
      userOf(req, host.users),
      data,
      proxyTimeoutMs,
    );
  } else if (path.startsWith(dsProxy)) {
    const rest = path.slice(dsProxy.length);
    proxyDatasourceRequest(req, res, host.options.prometheusUrl, rest, url.search, proxyTimeoutMs);
  } else if (path.startsWith('/api/datasources/proxy/')) {
    sendJson(res, 404, { message: 'Data source not found' });
  } else return false;
  return true;
}

/** Static files: the plugin's folder as Grafana serves it, @grafana/ui's icons, the page's own. */
function staticFile(host: Host, res: ServerResponse, path: string): Promise<void> | undefined {
  const roots: Array<[string, string]> = [
    [`/public/plugins/${host.plugin.id}/`, host.distDir],
    // The Icon component fetches icons from Grafana's public/build/img/icons.
    ['/public/build/img/', host.uiImages],
    ['/host/systemjs/', host.systemjsDir],
    ['/host/page/', host.pageDir],
  ];
  const found = roots.find(([prefix]) => path.startsWith(prefix));
  return found ? serveFile(res, found[1], path.slice(found[0].length)) : undefined;
}

async function handle(host: Host, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://host');
  const path = url.pathname;
  const user = userOf(req, host.users);
  const home = `/a/${host.plugin.id}/overview`;
  if (proxy(host, req, res, url)) return;
  if (path === `/api/plugins/${host.plugin.id}/settings`)
    return pluginSettings(req, res, user, host.plugin, host.settings);
  if (path === '/api/user')
    return sendJson(res, 200, { id: user.id, login: user.login, orgRole: user.role });
  const file = staticFile(host, res, path);
  if (file) return file;
  if (path === '/login') return login(res, url, host.users, home);
  if (path === '/') {
    res.writeHead(302, { location: home });
    return void res.end();
  }
  if (path.startsWith('/a/') || path.startsWith('/plugins/')) {
    const theme = url.searchParams.get('theme') === 'light' ? 'light' : 'dark';
    return sendAppPage(res, host.plugin, user, host.users, host.prometheusUid, theme);
  }
  sendJson(res, 404, { message: 'Not found' });
}

/**
 * Serves the built plugin the way Grafana would, without Grafana: the page loads
 * dist/module.js with SystemJS, and the server emulates the plugin proxy (from
 * dist/plugin.json), the data source proxy to Prometheus, and the plugin settings API.
 */
export async function startPluginHost(options: PluginHostOptions): Promise<RunningPluginHost> {
  const host = await resolveHost(options);
  const server = createServer((req, res) => {
    handle(host, req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { message: `Plugin host error: ${String(e)}` });
      else res.destroy();
    });
  });
  const address = options.host ?? '127.0.0.1';
  const { port } = await listen(server, options.port ?? 3000, address);
  server.unref();
  return {
    url: `http://${formatHostPort(address, port)}`,
    port,
    pluginId: host.plugin.id,
    stop: () => closeServer(server),
  };
}
