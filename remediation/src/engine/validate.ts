import { z } from 'zod/v4';
import type { RegisteredAction } from '../actions/registry.js';
import { checkStorable } from '../input/storable.js';
import { fail, type Outcome } from './outcome.js';

const dryRunBody = z.object({ params: z.record(z.string(), z.unknown()).default({}) }).strict();
const executeBody = z
  .object({
    params: z.record(z.string(), z.unknown()).default({}),
    confirmationToken: z.string().max(200).optional(),
  })
  .strict();

export type Parsed<T> = { ok: true; value: T } | { ok: false; outcome: Outcome };

function details(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
}

export function parseBody<K extends 'dry-run' | 'execute'>(
  kind: K,
  body: unknown,
): Parsed<K extends 'execute' ? z.infer<typeof executeBody> : z.infer<typeof dryRunBody>> {
  const schema = kind === 'execute' ? executeBody : dryRunBody;
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, value: result.data as never };
  const d = details(result.error);
  const valid =
    kind === 'execute' ? '{"params": {...}, "confirmationToken"?: "..."}' : '{"params": {...}}';
  return {
    ok: false,
    outcome: fail(
      400,
      'invalid_body',
      `request body: ${d[0]?.path}: ${d[0]?.message}; expected ${valid}`,
      {
        details: d,
      },
    ),
  };
}

export function parseParams(action: RegisteredAction, params: unknown): Parsed<unknown> {
  const result = action.params.safeParse(params);
  if (result.success) return { ok: true, value: result.data };
  const d = details(result.error).map((x) => ({
    ...x,
    path: x.path === '(body)' ? 'params' : `params.${x.path}`,
  }));
  const first = d[0];
  return {
    ok: false,
    outcome: fail(
      400,
      'invalid_params',
      `${first?.path}: ${first?.message} (see paramsSchema of "${action.name}" in GET /api/v1/actions)`,
      { details: d },
    ),
  };
}

/**
 * Before anything else, whoever asks: the action name and the body must be storable (no
 * NUL, no `__proto__` key, bounded depth and size), or the request ends here with a 400
 * naming the field, and its record is written without them.
 */
export function checkInputs(name: string, body: unknown): Outcome | undefined {
  const problem = checkStorable(name, 'action') ?? checkStorable(body, 'body');
  return problem && fail(400, 'invalid_input', problem.message, { field: problem.field });
}
