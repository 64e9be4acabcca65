import { getBackendSrv, type BackendSrvRequest, type FetchError } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

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

/** Names what failed in a sentence: the remediation API's `error`, Grafana's `message`, or the status. */
export function toApiError(e: unknown, what: string): ApiError {
  if (e instanceof ApiError) return e;
  if (isFetchError(e)) {
    const body = typeof e.data === 'object' && e.data !== null ? e.data : {};
    const text =
      typeof body.error === 'string'
        ? body.error
        : typeof body.message === 'string'
          ? body.message
          : typeof e.data === 'string' && e.data.length > 0
            ? e.data.slice(0, 300)
            : e.statusText || 'no answer';
    return new ApiError(
      `${what} failed (HTTP ${e.status}): ${text}`,
      e.status,
      typeof body.reason === 'string' ? body.reason : undefined,
      Array.isArray(body.details) ? body.details : undefined,
      typeof body.retryAfterSeconds === 'number' ? body.retryAfterSeconds : undefined,
    );
  }
  return new ApiError(`${what} failed: ${e instanceof Error ? e.message : String(e)}`, 0);
}

/** One request through Grafana's backend service; errors become ApiError, never a toast only. */
export async function request<T>(what: string, options: BackendSrvRequest): Promise<T> {
  try {
    const response = await lastValueFrom(
      getBackendSrv().fetch<T>({ showErrorAlert: false, showSuccessAlert: false, ...options }),
    );
    return response.data;
  } catch (e) {
    throw toApiError(e, what);
  }
}
