import { Agent, request } from 'undici';
import { ActionError } from './types.js';

/**
 * One keep-alive pool per origin for every layer service and Alertmanager call: a dry-run
 * reads the layer's state on each request, and a fresh connection (or global fetch's
 * WHATWG machinery) per call was the largest part of a dry-run's CPU time.
 */
const dispatcher = new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });

const JSON_HEADERS = { 'content-type': 'application/json' } as const;

/**
 * JSON over HTTP to a layer service or Alertmanager. Only fixed paths under a configured
 * base URL are ever called; parameters travel in JSON bodies, never in a command line.
 * The call ends at `timeoutSeconds` or when `signal` aborts, whichever comes first.
 */
export async function callJson(
  method: 'GET' | 'PUT' | 'POST',
  url: string,
  body: unknown,
  signal: AbortSignal,
  timeoutSeconds: number,
): Promise<unknown> {
  const limit = deadline(signal, timeoutSeconds * 1000);
  let status: number;
  let text: string;
  try {
    const response = await request(url, {
      method,
      dispatcher,
      signal: limit.signal,
      ...(body === undefined ? {} : { headers: JSON_HEADERS, body: JSON.stringify(body) }),
    });
    status = response.statusCode;
    text = await response.body.text();
  } catch (error) {
    const reason =
      error instanceof Error
        ? ((error.cause as Error | undefined)?.message ?? error.message)
        : String(error);
    throw new ActionError(`${method} ${url} failed: ${reason}`);
  } finally {
    limit.done();
  }
  if (status < 200 || status > 299) {
    throw new ActionError(`${method} ${url} answered ${status}: ${text.slice(0, 300)}`);
  }
  try {
    return text === '' ? {} : (JSON.parse(text) as unknown);
  } catch {
    throw new ActionError(`${method} ${url} answered ${status} with a body that is not JSON`);
  }
}

/**
 * A signal that aborts when `signal` does or after `ms`: one timer and one listener, both
 * removed by `done()` (AbortSignal.any plus AbortSignal.timeout cost several times more).
 */
function deadline(signal: AbortSignal, ms: number): { signal: AbortSignal; done: () => void } {
  const controller = new AbortController();
  const follow = (): void => controller.abort(signal.reason);
  if (signal.aborted) follow();
  else signal.addEventListener('abort', follow, { once: true });
  const timer = setTimeout(
    () =>
      controller.abort(
        new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      ),
    ms,
  );
  return {
    signal: controller.signal,
    done: () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', follow);
    },
  };
}
