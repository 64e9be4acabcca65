import type { z } from 'zod/v4';
import type { ActionName, Role } from '../config/schema.js';

import type { ActionKind } from '@layerwatch/vocabulary';
export type { ActionKind };

export interface PlannedChange {
  readonly kind: string;
  readonly target: string;
  readonly from?: unknown;
  readonly to?: unknown;
}

/** What a dry-run returns: exactly what execute would do, nothing changed. */
export interface Plan {
  readonly summary: string;
  readonly changes: readonly PlannedChange[];
}

export interface ActionDefaults {
  readonly title: string;
  readonly description: string;
  readonly kind: ActionKind;
  readonly destructive: boolean;
  readonly roles: readonly Role[];
  readonly cooldownSeconds: number;
  readonly requiresConfirmation: boolean;
}

/** One registered action: its schema and the two things it can do with valid params. */
export interface ActionDefinition<P = unknown> extends ActionDefaults {
  readonly name: ActionName;
  readonly params: z.ZodType<P>;
  /** The resolved target: shown to the user and the key of the per-target cooldown. */
  target(params: P): string;
  plan(params: P, signal: AbortSignal): Promise<Plan>;
  /** `actor` names who asked (the audit actor, with the Grafana user when there is one). */
  execute(params: P, signal: AbortSignal, actor: string): Promise<Record<string, unknown>>;
}

/**
 * An executor's error whose message is safe to show the caller (no secrets, no stack).
 * `result` is what the action did before it stopped (a partial drain's pods), answered and
 * audited with the failure.
 */
export class ActionError extends Error {
  override readonly name = 'ActionError';

  constructor(
    message: string,
    readonly result?: Record<string, unknown>,
  ) {
    super(message);
  }
}
