import {
  getBackendSrv,
  type BackendSrvRequest,
  type FetchError,
  type FetchResponse,
} from '@grafana/runtime';
import {
  NEVER,
  fromEvent,
  lastValueFrom,
  takeUntil,
  throwError,
  timeout,
  type Observable,
} from 'rxjs';
import { REQUEST_TIMEOUT_MS } from '../constants';
import type { Backend } from './backends';

/** An HTTP failure the UI shows as is: the server's sentence, its status and reason code. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly reason?: string,
    readonly details?: unknown[],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A backend that accepted nothing in time: pages name it and offer Refresh. */
export class NoAnswerError extends ApiError {
  constructor(
    readonly backend: Backend,
    what: string,
    why: string,
    status = 0,
  ) {
    super(`${backend} did not answer ${why} (${what}).`, status, 'no-answer');
    this.name = 'NoAnswerError';
  }

  /** The app's own deadline ran out (REQUEST_TIMEOUT_MS). */
  static pastDeadline(backend: Backend, what: string): NoAnswerError {
    return new NoAnswerError(backend, what, `within ${REQUEST_TIMEOUT_MS / 1000} s`);
  }
}

interface ErrorBody {
  error?: unknown;
  message?: unknown;
  reason?: unknown;
  details?: unknown;
  retryAfterSeconds?: unknown;
}

function isFetchError(e: unknown): e is FetchError<ErrorBody | string> {
  return typeof e === 'object' && e !== null && 'status' in e && 'config' in e;
}

function errorText(e: FetchError<ErrorBody | string>, body: ErrorBody): string {
  if (typeof body.error === 'string') return body.error;
  if (typeof body.message === 'string') return body.message;
  if (typeof e.data === 'string' && e.data.length > 0) return e.data.slice(0, 300);
  return e.statusText || 'no answer';
}

/** Names what failed in a sentence: the remediation API's `error`, Grafana's `message`, or the status. */
export function toApiError(e: unknown, what: string, backend: Backend): ApiError {
  if (e instanceof ApiError) return e;
  if (isFetchError(e)) {
    // 504 is Grafana's proxy giving up on the backend (its dataproxy.timeout).
    if (e.status === 504)
      return new NoAnswerError(backend, what, "in time for Grafana's proxy (HTTP 504)", 504);
    const body = typeof e.data === 'object' && e.data !== null ? e.data : {};
    return new ApiError(
      `${what} failed (HTTP ${e.status}): ${errorText(e, body)}`,
      e.status,
      typeof body.reason === 'string' ? body.reason : undefined,
      Array.isArray(body.details) ? body.details : undefined,
      typeof body.retryAfterSeconds === 'number' ? body.retryAfterSeconds : undefined,
    );
  }
  return new ApiError(`${what} failed: ${e instanceof Error ? e.message : String(e)}`, 0);
}

/** The page that asked went away or asked again: not an error anyone is shown. */
export class AbortedError extends Error {
  constructor(what: string) {
    super(`${what}: aborted`);
    this.name = 'AbortError';
  }
}

/**
 * One request through Grafana's backend service, given up after REQUEST_TIMEOUT_MS or when
 * `signal` aborts (the unsubscribe cancels it); errors become ApiError, never a toast only.
 */
export async function request<T>(
  backend: Backend,
  what: string,
  options: BackendSrvRequest,
  signal?: AbortSignal,
): Promise<T> {
  if (signal?.aborted) throw new AbortedError(what);
  const deadline = timeout<FetchResponse<T>, Observable<never>>({
    first: REQUEST_TIMEOUT_MS,
    with: () => throwError(() => NoAnswerError.pastDeadline(backend, what)),
  });
  try {
    const response = await lastValueFrom(
      getBackendSrv()
        .fetch<T>({ showErrorAlert: false, showSuccessAlert: false, ...options })
        .pipe(deadline, takeUntil(signal ? fromEvent(signal, 'abort') : NEVER)),
    );
    return response.data;
  } catch (e) {
    throw signal?.aborted ? new AbortedError(what) : toApiError(e, what, backend);
  }
}
