import type { Store } from '../store/types.js';
import { fail, type Outcome } from './outcome.js';

/** The answer to an execution the store did not admit. */
export function refusal(
  result: Exclude<Awaited<ReturnType<Store['admit']>>, { ok: true }>,
  name: string,
  target: string,
): Outcome {
  switch (result.reason) {
    case 'replay':
      return {
        status: result.stored.status,
        body: { ...(result.stored.body as Record<string, unknown>), replayed: true },
      };
    case 'idempotency_key_reused':
      return fail(
        409,
        'idempotency_key_reused',
        'this Idempotency-Key was used for another action or other params; use a new key',
      );
    case 'idempotency_in_progress':
      return fail(
        409,
        'idempotency_in_progress',
        'a request with this Idempotency-Key is still running (or its server stopped mid-way); check the audit log before retrying with a new key',
      );
    case 'confirmation_used':
      return fail(
        428,
        'confirmation_used',
        'this confirmation token was already used; dry-run again',
      );
    case 'cooldown':
      return fail(
        409,
        'cooldown',
        `"${name}" on ${target} is cooling down; retry in ${result.retryAfterSeconds} s`,
        {
          retryAfterSeconds: result.retryAfterSeconds,
        },
      );
    case 'too_many_concurrent':
      return fail(
        429,
        'too_many_concurrent',
        'too many actions are running at once; retry shortly',
      );
  }
}
