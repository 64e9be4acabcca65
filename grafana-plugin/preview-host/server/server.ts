import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { GRAFANA_PROXY_TIMEOUT_MS, sendJson } from './forward.js';
import { pageHtml } from './html.js';
import { ensureHostPage } from './page-bundle.js';
import { DIST_DIR } from './paths.js';
import { proxyDatasourceRequest, proxyPluginRequest, type HostUser } from './plugin-proxy.js';
import { permissionsOf, type OrgRole, type PluginJson } from './routes.js';
import { serveFile } from './static.js';

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

const SESSION = 'grafana_session';

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/**
 * Serves the built plugin the way Grafana would, without Grafana: the page loads
 * dist/module.js with SystemJS, and the server emulates the plugin proxy (from
 * dist/plugin.json), the data source proxy to Prometheus, and the plugin settings API.
 */
export async function startPluginHost(options: PluginHostOptions): Promise<RunningPluginHost> {
  const distDir = options.distDir ?? DIST_DIR;
  const plugin = JSON.parse(
    await readFile(`${distDir}/plugin.json`, 'utf8').catch(() => {
      throw new Error(
        `${distDir}/plugin.json is missing: build the plugin first (npm run build -w grafana-plugin)`,
      );
    }),
  ) as PluginJson & { name?: string; info?: unknown; includes?: unknown };
  const pageDir = await ensureHostPage();
  const uiImages = `${dirname(createRequire(import.meta.url).resolve('@grafana/ui/package.json'))}/dist/public/img`;
  const systemjsDir = dirname(
    createRequire(import.meta.url).resolve('systemjs/dist/system.min.js'),
  );
  const prometheusUid = options.prometheusUid ?? 'layerwatch-prometheus';
  const proxyTimeoutMs = options.proxyTimeoutMs ?? GRAFANA_PROXY_TIMEOUT_MS;
  const users: HostUser[] = [
    { login: options.user ?? 'admin', role: options.role ?? 'Admin' },
    ...(options.users ?? []),
  ].map((u, i) => ({ id: i + 1, ...u }));
  const settings = {
    enabled: true,
    pinned: true,
    jsonData: {
      remediationUrl: options.remediationUrl,
      alertmanagerUrl: options.alertmanagerUrl,
      prometheusUid,
    } as Record<string, unknown>,
    secureJsonData: { remediationToken: options.remediationToken } as Record<string, string>,
  };

  const userOf = (req: IncomingMessage): HostUser =>
    users.find((u) => u.login === cookie(req, SESSION)) ?? users[0]!;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://host');
    const path = url.pathname;
    const user = userOf(req);
    const pluginProxy = `/api/plugin-proxy/${plugin.id}/`;
    if (path.startsWith(pluginProxy)) {
      return proxyPluginRequest(
        req,
        res,
        plugin,
        path.slice(pluginProxy.length),
        url.search,
        user,
        {
          JsonData: settings.jsonData,
          SecureJsonData: settings.secureJsonData,
        },
        proxyTimeoutMs,
      );
    }
    const dsProxy = `/api/datasources/proxy/uid/${prometheusUid}/`;
    if (path.startsWith(dsProxy))
      return proxyDatasourceRequest(
        req,
        res,
        options.prometheusUrl,
        path.slice(dsProxy.length),
        url.search,
        proxyTimeoutMs,
      );
    if (path.startsWith('/api/datasources/proxy/'))
      return sendJson(res, 404, { message: 'Data source not found' });
    if (path === `/api/plugins/${plugin.id}/settings`) return pluginSettings(req, res, user);
    if (path === '/api/user')
      return sendJson(res, 200, { id: user.id, login: user.login, orgRole: user.role });
    if (path.startsWith(`/public/plugins/${plugin.id}/`))
      return serveFile(res, distDir, path.slice(`/public/plugins/${plugin.id}/`.length));
    // Grafana serves @grafana/ui's icons from public/build/img/icons (the Icon component fetches them).
    if (path.startsWith('/public/build/img/'))
      return serveFile(res, uiImages, path.slice('/public/build/img/'.length));
    if (path.startsWith('/host/systemjs/'))
      return serveFile(res, systemjsDir, path.slice('/host/systemjs/'.length));
    if (path.startsWith('/host/page/'))
      return serveFile(res, pageDir, path.slice('/host/page/'.length));
    if (path === '/login') {
      const login = url.searchParams.get('user') ?? '';
      if (!users.some((u) => u.login === login))
        return sendJson(res, 401, {
          message: `Unknown user "${login}"; known: ${users.map((u) => u.login).join(', ')}`,
        });
      res.writeHead(302, {
        'set-cookie': `${SESSION}=${encodeURIComponent(login)}; Path=/; HttpOnly; SameSite=Lax`,
        location: url.searchParams.get('next') ?? `/a/${plugin.id}/overview`,
      });
      return void res.end();
    }
    if (path === '/') {
      res.writeHead(302, { location: `/a/${plugin.id}/overview` });
      return void res.end();
    }
    if (path.startsWith('/a/') || path.startsWith('/plugins/')) {
      const theme = url.searchParams.get('theme') === 'light' ? 'light' : 'dark';
      const boot = {
        pluginId: plugin.id,
        user: {
          login: user.login,
          orgRole: user.role,
          permissions: Object.fromEntries(
            [...permissionsOf(plugin, user.role)].map((a) => [a, true]),
          ),
        },
        users: users.map((u) => ({ login: u.login, role: u.role })),
        theme,
        datasources: [
          {
            uid: prometheusUid,
            name: 'Layerwatch Prometheus',
            type: 'prometheus',
            isDefault: true,
          },
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
        user: { ...boot.user, isSignedIn: true, id: user.id, orgId: 1 },
        navTree: [],
      };
      const html = pageHtml(boot, grafanaBootData, 'Layerwatch Ops');
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
      });
      return void res.end(html);
    }
    sendJson(res, 404, { message: 'Not found' });
  };

  const pluginSettings = async (
    req: IncomingMessage,
    res: ServerResponse,
    user: HostUser,
  ): Promise<void> => {
    if (req.method === 'GET') {
      return sendJson(res, 200, {
        id: plugin.id,
        type: 'app',
        name: plugin.name,
        enabled: settings.enabled,
        pinned: settings.pinned,
        info: plugin.info,
        includes: plugin.includes,
        jsonData: settings.jsonData,
        // Grafana never returns secrets: only which are set.
        secureJsonFields: Object.fromEntries(
          Object.keys(settings.secureJsonData).map((k) => [k, true]),
        ),
      });
    }
    if (req.method !== 'POST') return sendJson(res, 405, { message: 'Method not allowed' });
    if (user.role !== 'Admin') return sendJson(res, 403, { message: 'Permission denied' });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: {
      enabled?: boolean;
      pinned?: boolean;
      jsonData?: Record<string, unknown>;
      secureJsonData?: Record<string, string>;
    };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      return sendJson(res, 400, { message: 'bad request data' });
    }
    if (body.jsonData) settings.jsonData = body.jsonData;
    if (body.secureJsonData) Object.assign(settings.secureJsonData, body.secureJsonData);
    settings.enabled = body.enabled ?? settings.enabled;
    settings.pinned = body.pinned ?? settings.pinned;
    sendJson(res, 200, { message: 'Plugin settings updated' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { message: `Plugin host error: ${String(e)}` });
      else res.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, host, () => resolve());
  });
  server.unref();
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    pluginId: plugin.id,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
