import { z } from 'zod';

/**
 * The readiness check's result, `logs/ops_readiness.json`, as the factory pipeline writes it
 * after each run:
 *
 *   { "timestamp": "2026-11-23T12:00:00Z", "status": "pass" | "fail",
 *     "checks": [ { "name": "ledger", "status": "fail", "message": "2 entries unsigned" } ],
 *     "consecutive_failures": 2 }
 *
 * `checks` and `consecutive_failures` are optional. When the pipeline counts consecutive
 * failures itself, its count wins (it survives a restart of ours); otherwise we count them
 * from the distinct timestamps we see.
 */
const statusSchema = z.enum(['pass', 'fail'], {
  errorMap: () => ({ message: 'must be "pass" or "fail"' }),
});

export const readinessFileSchema = z
  .object({
    timestamp: z
      .string()
      .datetime({ offset: true, message: 'must be an ISO 8601 time, e.g. 2026-11-23T12:00:00Z' }),
    status: statusSchema,
    checks: z
      .array(
        z
          .object({
            name: z
              .string()
              .regex(/^[A-Za-z0-9_.:-]+$/, 'must be a short name (letters, digits, _ . : -)'),
            status: statusSchema,
            message: z.string().optional(),
          })
          .passthrough(),
      )
      .default([]),
    consecutive_failures: z.number().int().min(0).optional(),
  })
  .passthrough();

export type ReadinessResult = z.output<typeof readinessFileSchema>;

/** Parses the file's text; throws an Error naming the file, the field and what is valid. */
export function parseReadinessFile(text: string, file: string): ReadinessResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `${file}: not JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const result = readinessFileSchema.safeParse(json);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field =
      issue.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
        .join('')
        .slice(1) || '(top level)';
    return `${file}: ${field}: ${issue.message}`;
  });
  throw new Error(problems.join('\n'));
}
