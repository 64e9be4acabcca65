import type { IncomingMessage } from 'node:http';

/** `http.route` of requests no route answered: 404s, and answers given by middleware. */
export const UNMATCHED_ROUTE = 'unmatched';

/** What Express leaves on a request: the mount path and the route that matched, if any. */
export interface RoutedRequest extends IncomingMessage {
  baseUrl?: string;
  route?: { path?: unknown };
}

/**
 * The route template of an Express request (`/items/:id`, never `/items/42`): the mount
 * path joined with the matched route's path. Unmatched requests get `UNMATCHED_ROUTE`.
 */
export function routeTemplate(req: RoutedRequest): string {
  const path = req.route?.path;
  if (path === undefined) return UNMATCHED_ROUTE;
  const route =
    typeof path === 'string' ? path : Array.isArray(path) ? path.join('|') : String(path);
  const base = req.baseUrl ?? '';
  if (base === '') return route;
  return route === '/' ? base : `${base}${route}`;
}

/** Methods kept as they are; any other becomes `_OTHER`, as the semantic conventions say. */
const KNOWN_METHODS = new Set([
  'CONNECT',
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
  'QUERY',
  'TRACE',
]);

export function requestMethod(method: string | undefined): string {
  return method !== undefined && KNOWN_METHODS.has(method) ? method : '_OTHER';
}
