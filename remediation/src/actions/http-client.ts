import { ActionError } from './types.js';

/**
 * JSON over HTTP to a layer service or Alertmanager. Only fixed paths under a configured
 * base URL are ever called; parameters travel in JSON bodies, never in a command line.
 */
export async function callJson(
  method: 'GET' | 'PUT' | 'POST',
  url: string,
  body: unknown,
  signal: AbortSignal,
  timeoutSeconds: number,
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutSeconds * 1000)]),
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
  } catch (error) {
    const reason =
      error instanceof Error
        ? ((error.cause as Error | undefined)?.message ?? error.message)
        : String(error);
    throw new ActionError(`${method} ${url} failed: ${reason}`);
  }
  const text = await response.text();
  if (!response.ok) {
    throw new ActionError(`${method} ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  }
  try {
    return text === '' ? {} : (JSON.parse(text) as unknown);
  } catch {
    throw new ActionError(
      `${method} ${url} answered ${response.status} with a body that is not JSON`,
    );
  }
}
