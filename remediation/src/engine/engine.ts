import { randomUUID } from 'node:crypto';
import type { ActionRegistry, RegisteredAction } from '../actions/registry.js';
import { ActionError } from '../actions/types.js';
import type { AuditLog } from '../audit/log.js';
import type { Confirmations } from '../auth/confirmation.js';
import { roleAtLeast } from '../auth/tokens.js';
import { canonicalJson, sha256Hex } from '../canonical.js';
import type { RemediationConfig } from '../config/schema.js';
import { printable } from '../input/storable.js';
import type { RemediationMetrics } from '../metrics.js';
import type { AdmitResult, Store } from '../store/types.js';
import { actorName, type Caller } from './caller.js';
import { fail, type Outcome } from './outcome.js';
import { intentEntry, outcomeEntry, writeRecord, type Mode } from './record.js';
import { refusal } from './refusal.js';
import { checkInputs, parseBody, parseParams } from './validate.js';

type Confirmation = { nonce: string; expiresMs: number };
type Idempotency = { scope: string; key: string; requestHash: string };
/** A request past every guard: the action, its parsed params and the confirmation to claim. */
type Admissible = {
  action: RegisteredAction;
  params: unknown;
  confirmation?: Confirmation | undefined;
};

const CONFIRM = {
  confirmation_required: (name: string) =>
    `"${name}" needs confirmation: dry-run it first and send its confirmation.token as confirmationToken`,
  confirmation_invalid: () =>
    `the confirmation token does not match this action, its params and caller; dry-run again`,
  confirmation_expired: () => `the confirmation token has expired; dry-run again`,
};

export interface EngineDeps {
  readonly registry: ActionRegistry;
  readonly store: Store;
  readonly audit: AuditLog;
  readonly confirmations: Confirmations;
  readonly limits: RemediationConfig['limits'];
  readonly metrics: RemediationMetrics;
  /** This replica's id, the owner written into each intent. */
  readonly replica: string;
  readonly log: (message: string, fields?: Record<string, unknown>) => void;
}

/**
 * Dry-run and execute, whoever asks (a person through the API, or auto-remediation for an
 * alert): registry lookup, role, params, confirmation, idempotency, cooldown, concurrency,
 * then the action, and the audit record before any answer.
 */
export class Engine {
  constructor(private readonly deps: EngineDeps) {}

  /** The action if the caller's role may run it, else the 404/403 outcome. */
  authorize(caller: Caller, name: string): { action: RegisteredAction } | { outcome: Outcome } {
    const action = this.deps.registry.get(name);
    if (!action) {
      return {
        outcome: fail(404, 'unknown_action', `unknown action "${name}": see GET /api/v1/actions`),
      };
    }
    if (!action.roles.some((r) => roleAtLeast(caller.principal.role, r))) {
      const needs = action.roles.join(' or ');
      return {
        outcome: fail(
          403,
          'forbidden_role',
          `role ${caller.principal.role} may not run "${name}" (it needs ${needs})`,
        ),
      };
    }
    return { action };
  }

  async dryRun(caller: Caller, name: string, rawBody: unknown): Promise<Outcome> {
    const started = performance.now();
    const invalid = checkInputs(name, rawBody);
    if (invalid)
      return this.#finish(caller, 'dry-run', printable(name), undefined, invalid, started);
    const body = parseBody('dry-run', rawBody);
    const gate = this.authorize(caller, name);
    if ('outcome' in gate)
      return this.#finish(caller, 'dry-run', name, undefined, gate.outcome, started);
    if (!body.ok) return this.#finish(caller, 'dry-run', name, undefined, body.outcome, started);
    const { action } = gate;
    const params = parseParams(action, body.value.params);
    if (!params.ok)
      return this.#finish(caller, 'dry-run', name, body.value.params, params.outcome, started);
    let outcome: Outcome;
    try {
      const signal = AbortSignal.timeout(this.deps.limits.actionTimeoutSeconds * 1000);
      const plan = await action.plan(params.value, signal);
      const confirmation = action.requiresConfirmation
        ? this.deps.confirmations.issue(this.#binding(caller, name, params.value))
        : undefined;
      outcome = {
        status: 200,
        body: {
          action: name,
          params: params.value,
          target: action.target(params.value),
          plan,
          requiresConfirmation: action.requiresConfirmation,
          ...(confirmation ? { confirmation } : {}),
        },
      };
    } catch (error) {
      outcome = fail(
        422,
        'dry_run_failed',
        `dry run of "${name}" failed: ${this.#message(error, name)}`,
      );
    }
    return this.#finish(caller, 'dry-run', name, params.value, outcome, started);
  }

  /**
   * Write-ahead: the request's guards, then the intent record, durable before anything is
   * claimed or run; then admission, the action, and the outcome record.
   */
  async execute(
    caller: Caller,
    name: string,
    rawBody: unknown,
    idempotencyKey: string | undefined,
    mode: Mode = 'execute',
  ): Promise<Outcome> {
    const started = performance.now();
    const gate = await this.#gateExecute(caller, name, rawBody, idempotencyKey, mode, started);
    if ('done' in gate) return gate.done;
    const { action, params, confirmation } = gate;

    const executionId = randomUUID();
    const target = action.target(params);
    const scope = `${caller.principal.subject}|${caller.actingUser ?? ''}`;
    const idem = idempotencyKey
      ? { scope, key: idempotencyKey, requestHash: sha256Hex(canonicalJson({ name, params })) }
      : undefined;
    // Write-ahead: the intent is durable before anything is claimed or run. If it cannot be
    // written, nothing was claimed and nothing ran.
    const intent = await writeRecord(
      this.deps.audit,
      intentEntry(caller, mode, name, params, target, executionId, this.deps.replica),
      this.deps.metrics,
      this.deps.log,
    );
    if (!intent.ok) return intent.outcome;
    const end = (outcome: Outcome) =>
      this.#finish(caller, mode, name, params, outcome, started, executionId);

    const admitted = await this.#admit(action, name, target, executionId, idem, confirmation);
    if (admitted === undefined) {
      return end(fail(503, 'store_unavailable', 'the store could not admit the action; retry'));
    }
    if (!admitted.ok) return end(refusal(admitted, name, target));

    const outcome = await this.#run(action, params, executionId, caller);
    const finished = await end(outcome);
    await this.#store(executionId, idem, finished);
    return finished;
  }

  /** Every guard before the intent record: inputs, body, role, params, key, confirmation. */
  async #gateExecute(
    caller: Caller,
    name: string,
    rawBody: unknown,
    idempotencyKey: string | undefined,
    mode: Mode,
    started: number,
  ): Promise<{ done: Outcome } | Admissible> {
    const done = async (action: string, params: unknown, outcome: Outcome) => ({
      done: await this.#finish(caller, mode, action, params, outcome, started),
    });
    const invalid = checkInputs(name, rawBody);
    if (invalid) return done(printable(name), undefined, invalid);
    const body = parseBody('execute', rawBody);
    const gate = this.authorize(caller, name);
    if ('outcome' in gate) return done(name, undefined, gate.outcome);
    if (!body.ok) return done(name, undefined, body.outcome);
    const { action } = gate;
    const params = parseParams(action, body.value.params);
    if (!params.ok) return done(name, body.value.params, params.outcome);
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,200}$/.test(idempotencyKey)) {
      const bad = fail(
        400,
        'invalid_idempotency_key',
        'Idempotency-Key: 1 to 200 printable ASCII characters',
      );
      return done(name, params.value, bad);
    }
    if (!action.requiresConfirmation || mode === 'auto') return { action, params: params.value };
    const check = this.deps.confirmations.check(
      body.value.confirmationToken,
      this.#binding(caller, name, params.value),
    );
    if (!check.ok)
      return done(name, params.value, fail(428, check.reason, CONFIRM[check.reason](name)));
    const confirmation = { nonce: check.nonce, expiresMs: Date.now() + 3_600_000 };
    return { action, params: params.value, confirmation };
  }

  /** The store's admission (key, confirmation nonce, cooldown, slot); undefined if it failed. */
  async #admit(
    action: RegisteredAction,
    name: string,
    target: string,
    executionId: string,
    idem: Idempotency | undefined,
    confirmation: Confirmation | undefined,
  ): Promise<AdmitResult | undefined> {
    try {
      return await this.deps.store.admit({
        executionId,
        nowMs: Date.now(),
        ...(idem
          ? { idempotency: { ...idem, ttlMs: this.deps.limits.idempotencyTtlHours * 3_600_000 } }
          : {}),
        ...(confirmation ? { confirmation } : {}),
        cooldown: { key: `${name}|${target}`, seconds: action.cooldownSeconds },
        maxConcurrent: this.deps.limits.maxConcurrentActions,
        leaseMs: (this.deps.limits.actionTimeoutSeconds + 30) * 1000,
      });
    } catch (error) {
      this.deps.log('admission failed', { error: String(error) });
      return undefined;
    }
  }

  /** After the outcome record: store the response for replay, or free the slot and key. */
  async #store(
    executionId: string,
    idem: Idempotency | undefined,
    finished: Outcome,
  ): Promise<void> {
    const stored =
      finished.status === 503
        ? // The outcome is not recorded: free the slot and the key so the advised retry
          // can run; the intent stays without outcome and recovery marks it unknown.
          this.deps.store.release(executionId)
        : this.deps.store.finish({
            executionId,
            ...(idem ? { idempotency: idem } : {}),
            response: finished,
          });
    await stored.catch((error: unknown) =>
      this.deps.log('could not store the execution result', { error: String(error) }),
    );
  }

  async #run(
    action: RegisteredAction,
    params: unknown,
    executionId: string,
    caller: Caller,
  ): Promise<Outcome> {
    const m = this.deps.metrics;
    m.inFlight.inc();
    const timer = m.actionDuration.startTimer({ action: action.name });
    try {
      const signal = AbortSignal.timeout(this.deps.limits.actionTimeoutSeconds * 1000);
      const result = await action.execute(params, signal, actorName(caller));
      return { status: 200, body: { executionId, status: 'succeeded', result, replayed: false } };
    } catch (error) {
      const message = this.#message(error, action.name);
      const result = error instanceof ActionError ? error.result : undefined;
      return {
        status: 200,
        body: {
          executionId,
          status: 'failed',
          error: message,
          ...(result && { result }),
          replayed: false,
        },
      };
    } finally {
      timer();
      m.inFlight.dec();
    }
  }

  /** Writes the audit record, then returns the outcome with its auditId (400/503 if unwritable). */
  async #finish(
    caller: Caller,
    mode: Mode,
    action: string,
    params: unknown,
    outcome: Outcome,
    started: number,
    executionId?: string,
  ): Promise<Outcome> {
    const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
    const entry = outcomeEntry(caller, mode, action, params, outcome, durationMs, executionId);
    this.deps.metrics.actions.inc({ action: entry.action ?? '', mode, outcome: entry.outcome });
    if (entry.outcome === 'denied' && entry.reason)
      this.deps.metrics.denials.inc({ reason: entry.reason });
    const written = await writeRecord(this.deps.audit, entry, this.deps.metrics, this.deps.log);
    if (!written.ok) return written.outcome;
    const replayed = entry.reason === 'idempotent_replay';
    return {
      status: outcome.status,
      body: replayed ? outcome.body : { ...outcome.body, auditId: written.id },
    };
  }

  #binding(caller: Caller, action: string, params: unknown) {
    return { action, params, subject: caller.principal.subject, actingUser: caller.actingUser };
  }

  #message(error: unknown, action: string): string {
    if (error instanceof ActionError) return error.message;
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      return `timed out after ${this.deps.limits.actionTimeoutSeconds} s`;
    }
    this.deps.log(`action ${action} failed unexpectedly`, { error: String(error) });
    return 'internal error (the server log has the details)';
  }
}
