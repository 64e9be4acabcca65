import type { IncomingMessage, ServerResponse } from 'node:http';
import { forward, sendJson } from './forward.js';
import {
  hasAccessToRoute,
  interpolate,
  joinUrlFragments,
  matchRoute,
  type OrgRole,
  type PluginJson,
  type TemplateData,
} from './routes.js';

export interface HostUser {
  id: number;
  login: string;
  role: OrgRole;
}

/** The X-Grafana-Context header: Grafana's SignedInUser as JSON (the fields a backend reads). */
export function grafanaContext(user: HostUser): string {
  return JSON.stringify({
    UserID: user.id,
    OrgID: 1,
    OrgName: 'Main Org.',
    OrgRole: user.role,
    Login: user.login,
    Name: user.login,
    Email: `${user.login}@localhost`,
    IsGrafanaAdmin: user.role === 'Admin',
    IsAnonymous: false,
  });
}

/** `/api/plugin-proxy/<id>/<proxyPath>?query` as Grafana's PluginProxy handles it. */
export function proxyPluginRequest(
  req: IncomingMessage,
  res: ServerResponse,
  plugin: PluginJson,
  proxyPath: string,
  search: string,
  user: HostUser,
  data: TemplateData,
  timeoutMs: number,
): void {
  const matched = matchRoute(plugin.routes ?? [], req.method ?? 'GET', proxyPath);
  if (!matched) return sendJson(res, 404, { message: 'plugin route match not found' });
  if (!hasAccessToRoute(plugin, matched.route, user.role)) {
    return sendJson(res, 403, { message: 'plugin proxy route access denied' });
  }
  let target: URL;
  try {
    target = new URL(interpolate(matched.route.url ?? '', data));
  } catch {
    return sendJson(res, 500, { message: 'Could not parse url' });
  }
  target.pathname = joinUrlFragments(target.pathname, matched.rest);
  target.search = search;
  const headers: Record<string, string> = { 'x-grafana-context': grafanaContext(user) };
  for (const h of matched.route.headers ?? [])
    headers[h.name.toLowerCase()] = interpolate(h.content, data);
  forward(req, res, target, headers, timeoutMs);
}

const PROMETHEUS_POSTS = /^api\/v1\/(query|query_range|series|labels|query_exemplars)$/;

/** `/api/datasources/proxy/uid/<uid>/<path>` for a Prometheus data source (reads; POST only on query APIs). */
export function proxyDatasourceRequest(
  req: IncomingMessage,
  res: ServerResponse,
  prometheusUrl: string,
  path: string,
  search: string,
  timeoutMs: number,
): void {
  const method = req.method ?? 'GET';
  if (
    method === 'DELETE' ||
    method === 'PUT' ||
    (method === 'POST' && !PROMETHEUS_POSTS.test(path))
  ) {
    return sendJson(res, 403, {
      message: `non allow-listed ${method}s not allowed on proxied Prometheus datasource`,
    });
  }
  const target = new URL(prometheusUrl);
  target.pathname = joinUrlFragments(target.pathname, path);
  target.search = search;
  forward(req, res, target, {}, timeoutMs);
}
