import { ActionError } from './types.js';

/** What the Kubernetes API answered to a failed call: its status code and Status message. */
export interface ApiAnswer {
  readonly code: number;
  readonly message: string;
}

/** The status and message of the client's ApiException; undefined when no answer came. */
export function apiAnswer(error: unknown): ApiAnswer | undefined {
  const e = error as { code?: unknown; body?: unknown };
  if (typeof e.code !== 'number') return undefined;
  let message = '';
  try {
    const body = (typeof e.body === 'string' ? JSON.parse(e.body) : e.body) as {
      message?: unknown;
    };
    message = typeof body.message === 'string' ? body.message : '';
  } catch {
    message = '';
  }
  return { code: e.code, message };
}

/** "Kubernetes API answered 404: …" or "Kubernetes API unreachable: …", safe to show. */
export function describeKubeError(error: unknown): string {
  const answer = apiAnswer(error);
  if (answer) {
    return `Kubernetes API answered ${answer.code}${answer.message ? `: ${answer.message}` : ''}`;
  }
  return `Kubernetes API unreachable: ${(error as { message?: string }).message ?? String(error)}`;
}

/** Runs a Kubernetes call; its ApiException becomes an ActionError naming the status and reason. */
export async function kube<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ActionError) throw error;
    if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
      throw error;
    }
    throw new ActionError(describeKubeError(error));
  }
}
