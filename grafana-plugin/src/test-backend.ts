import type { BackendSrv, BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { Observable } from 'rxjs';

export interface Call {
  url: string;
  method: string;
  data?: unknown;
  headers?: Record<string, string>;
  params?: unknown;
}

type Answer = { status: number; data: unknown };

/**
 * A stand-in for Grafana's backend service in component tests: it records each request and
 * answers from `answer`, with Grafana's FetchError shape on non-2xx.
 */
export function standInBackend(answer: (call: Call) => Answer): { srv: BackendSrv; calls: Call[] } {
  const calls: Call[] = [];
  const fetch = <T>(options: BackendSrvRequest) =>
    new Observable<FetchResponse<T>>((subscriber) => {
      const call: Call = {
        url: options.url,
        method: options.method ?? 'GET',
        data: options.data,
        headers: options.headers,
        params: options.params,
      };
      calls.push(call);
      const { status, data } = answer(call);
      if (status >= 400) subscriber.error({ status, statusText: 'error', data, config: options });
      else {
        subscriber.next({
          data: data as T,
          status,
          statusText: 'OK',
          ok: true,
          headers: new Headers(),
          redirected: false,
          type: 'basic',
          url: options.url,
          config: options,
        });
        subscriber.complete();
      }
    });
  return { srv: { fetch } as unknown as BackendSrv, calls };
}
