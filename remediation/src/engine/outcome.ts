/** A handler's answer before it becomes HTTP: status and JSON body. */
export interface Outcome {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** The error body of the contract: a sentence, a machine reason, optional details. */
export function fail(
  status: number,
  reason: string,
  error: string,
  extra: Record<string, unknown> = {},
): Outcome {
  return { status, body: { error, reason, ...extra } };
}
