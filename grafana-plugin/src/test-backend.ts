import {
  setBackendSrv,
  type BackendSrv,
  type BackendSrvRequest,
  type FetchResponse,
} from '@grafana/runtime';
import { Observable } from 'rxjs';

export interface Call {
  url: string;
  method: string;
  data?: unknown;
  headers?: Record<string, string>;
  params?: unknown;
  /** Set when the app gave up on the request before it was answered (unsubscribed). */
  cancelled: boolean;
}

/** An answer, or NO_ANSWER: a backend that accepted the request and never answers. */
export type Answer = { status: number; data: unknown } | typeof NO_ANSWER;
export const NO_ANSWER = 'no answer';

function respond<T>(answer: Answer, options: BackendSrvRequest) {
  return (subscriber: {
    next: (r: FetchResponse<T>) => void;
    error: (e: unknown) => void;
    complete: () => void;
  }) => {
    if (answer === NO_ANSWER) return;
    const { status, data } = answer;
    if (status >= 400)
      return subscriber.error({ status, statusText: 'error', data, config: options });
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
  };
}

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
        cancelled: false,
      };
      calls.push(call);
      const reply = answer(call);
      respond<T>(reply, options)(subscriber);
      return () => {
        if (reply === NO_ANSWER) call.cancelled = true;
      };
    });
  return { srv: { fetch } as unknown as BackendSrv, calls };
}

/** Installs a stand-in answering `answer` (one answer for every call, or per call) as Grafana's backend service; the calls it records. */
export function answerWith(answer: Answer | ((call: Call) => Answer)): Call[] {
  const { srv, calls } = standInBackend(typeof answer === 'function' ? answer : () => answer);
  setBackendSrv(srv);
  return calls;
}
