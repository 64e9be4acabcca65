import type { BackendSrv, BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { Observable, lastValueFrom } from 'rxjs';

/**
 * Grafana's BackendSrv as the plugin sees it, over window.fetch: same-origin requests with
 * the session cookie; a non-2xx answer errors the Observable with Grafana's FetchError shape
 * ({ status, statusText, data, config }).
 */
function withParams(url: string, params: BackendSrvRequest['params']): string {
  if (!params || typeof params !== 'object') return url;
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params as Record<string, unknown>)) {
    if (v === undefined || v === null) continue;
    for (const item of Array.isArray(v) ? v : [v]) search.append(k, String(item));
  }
  const text = search.toString();
  return text ? `${url}${url.includes('?') ? '&' : '?'}${text}` : url;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function fetchObservable<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
  return new Observable((subscriber) => {
    const controller = new AbortController();
    const method = (options.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'X-Grafana-Org-Id': '1',
      ...(options.headers ?? {}),
    };
    let body: string | undefined;
    if (options.data !== undefined && method !== 'GET') {
      body = typeof options.data === 'string' ? options.data : JSON.stringify(options.data);
      headers['Content-Type'] ??= 'application/json';
    }
    const url = withParams(options.url, options.params);
    fetch(url, { method, headers, body, credentials: 'same-origin', signal: controller.signal })
      .then(async (res) => {
        const data = parse(await res.text()) as T;
        const response = {
          data,
          status: res.status,
          statusText: res.statusText,
          ok: res.ok,
          headers: res.headers,
          redirected: res.redirected,
          type: res.type,
          url: res.url,
          config: options,
        } satisfies FetchResponse<T>;
        if (res.ok) {
          subscriber.next(response);
          subscriber.complete();
        } else {
          subscriber.error({
            status: res.status,
            statusText: res.statusText,
            data,
            config: options,
          });
        }
      })
      .catch((e: unknown) => {
        if (controller.signal.aborted) return;
        subscriber.error({
          status: 0,
          statusText: String(e),
          data: { message: `Network error: ${String(e)}` },
          config: options,
        });
      });
    return () => controller.abort();
  });
}

export function createBackendSrv(): BackendSrv {
  const dataOf = async <T>(options: BackendSrvRequest): Promise<T> =>
    (await lastValueFrom(fetchObservable<T>(options))).data;
  const srv: Partial<BackendSrv> = {
    fetch: fetchObservable,
    request: dataOf,
    datasourceRequest: (options) => lastValueFrom(fetchObservable(options)),
    get: (url, params) => dataOf({ url, params, method: 'GET' }),
    delete: (url, data) => dataOf({ url, data, method: 'DELETE' }),
    post: (url, data) => dataOf({ url, data, method: 'POST' }),
    patch: (url, data) => dataOf({ url, data, method: 'PATCH' }),
    put: (url, data) => dataOf({ url, data, method: 'PUT' }),
  };
  return srv as BackendSrv;
}
