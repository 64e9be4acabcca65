/**
 * Grafana's plugin proxy rules (pkg/api/pluginproxy), as pure functions, so the host can
 * emulate `/api/plugin-proxy/<id>/*` exactly and tests can pin each rule:
 * - routes are tried in plugin.json order; a route's `method` must equal the request's
 *   ("" or "*" matches any); its `path` is a pattern ("a/b" exact, ":x" one segment,
 *   "*" the rest); the first match wins, and what "*" caught is appended to its `url`;
 * - access: `reqAction` (RBAC, the plugin's `roles` grants) wins over `reqRole`
 *   (Admin ⊃ Editor ⊃ Viewer); denied → 403 "plugin proxy route access denied";
 *   no route → 404 "plugin route match not found";
 * - `url` and header contents are Go templates over `.JsonData` and `.SecureJsonData`.
 */
export type OrgRole = 'Viewer' | 'Editor' | 'Admin';

export interface PluginRoute {
  path: string;
  method?: string;
  url?: string;
  reqRole?: string;
  reqAction?: string;
  headers?: Array<{ name: string; content: string }>;
}

export interface PluginRole {
  role: { name: string; permissions: Array<{ action: string; scope?: string }> };
  grants: string[];
}

export interface PluginJson {
  id: string;
  routes?: PluginRoute[];
  roles?: PluginRole[];
}

const ROLE_RANK: Record<string, number> = { Viewer: 1, Editor: 2, Admin: 3 };

export function roleIncludes(userRole: OrgRole, required: string): boolean {
  const need = ROLE_RANK[required];
  return need !== undefined && (ROLE_RANK[userRole] ?? 0) >= need;
}

/** Matches a Grafana route pattern; returns what `*` caught ("" when none), or undefined. */
export function matchPath(pattern: string, path: string): string | undefined {
  const want = pattern.replace(/^\/+/, '').split('/');
  const got = path.replace(/^\/+/, '').split('/');
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    if (w === '*' && i === want.length - 1) return got.slice(i).join('/');
    const g = got[i];
    if (g === undefined) return undefined;
    if (w.startsWith(':')) {
      if (g === '') return undefined;
      continue;
    }
    if (w !== g) return undefined;
  }
  return got.length === want.length ? '' : undefined;
}

export function matchRoute(
  routes: PluginRoute[],
  method: string,
  proxyPath: string,
): { route: PluginRoute; rest: string } | undefined {
  for (const route of routes) {
    if (route.method && route.method !== '*' && route.method !== method) continue;
    const rest = matchPath(route.path, proxyPath);
    if (rest !== undefined) return { route, rest };
  }
  return undefined;
}

/** The RBAC actions a user holds from the plugin's roles (a grant to Editor also reaches Admin). */
export function permissionsOf(plugin: PluginJson, role: OrgRole): Set<string> {
  const actions = new Set<string>();
  for (const r of plugin.roles ?? []) {
    if (r.grants.some((g) => roleIncludes(role, g)))
      for (const p of r.role.permissions) actions.add(p.action);
  }
  return actions;
}

export function hasAccessToRoute(plugin: PluginJson, route: PluginRoute, role: OrgRole): boolean {
  if (route.reqAction) return permissionsOf(plugin, role).has(route.reqAction);
  if (route.reqRole && ROLE_RANK[route.reqRole] !== undefined)
    return roleIncludes(role, route.reqRole);
  return true;
}

export interface TemplateData {
  JsonData: Record<string, unknown>;
  SecureJsonData: Record<string, string>;
}

/** `{{ .JsonData.x }}` / `{{ .SecureJsonData.x }}` as Go's text/template renders them over Grafana's maps. */
export function interpolate(template: string, data: TemplateData): string {
  return template.replace(
    /\{\{\s*\.(JsonData|SecureJsonData)\.([A-Za-z0-9_]+)\s*\}\}/g,
    (_, map: string, key: string) => {
      if (map === 'SecureJsonData') return data.SecureJsonData[key] ?? '';
      const value = data.JsonData[key];
      return value === undefined || value === null ? '<no value>' : String(value);
    },
  );
}

/** Go's util.JoinURLFragments: one slash between, the second fragment's trailing slash kept. */
export function joinUrlFragments(a: string, b: string): string {
  if (b === '') return a;
  const trailing = b.endsWith('/');
  const joined = `${a.replace(/\/+$/, '')}/${b.replace(/^\/+/, '')}`;
  return trailing || !joined.endsWith('/') ? joined : joined.replace(/\/+$/, '');
}
