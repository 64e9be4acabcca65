import { useState } from 'react';
import { dryRun, execute } from '../../api/remediation';
import type { ActionInfo, DryRunResult, ExecuteResult } from '../../types';

export type Step =
  | { kind: 'params' }
  | { kind: 'dry-running' }
  | { kind: 'planned'; plan: DryRunResult; idempotencyKey: string }
  | { kind: 'executing'; plan: DryRunResult }
  | { kind: 'done'; plan: DryRunResult; result: ExecuteResult };

function newKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

/**
 * The steps of one action run: params → dry-run → planned → executing → done. A failed step
 * goes back one with the error; a retried execute keeps its idempotency key, so it runs once.
 */
export function useActionRun(action: ActionInfo) {
  const [step, setStep] = useState<Step>({ kind: 'params' });
  const [error, setError] = useState<Error>();
  // The typed confirmation outlives a failed execute (a retry needs no retyping).
  const [typed, setTyped] = useState('');

  const runDry = async (params: Record<string, unknown>) => {
    setError(undefined);
    setStep({ kind: 'dry-running' });
    try {
      const plan = await dryRun(action.name, params);
      setTyped('');
      setStep({ kind: 'planned', plan, idempotencyKey: newKey() });
    } catch (e) {
      setError(e as Error);
      setStep({ kind: 'params' });
    }
  };

  const runExecute = async (plan: DryRunResult, idempotencyKey: string) => {
    setError(undefined);
    setStep({ kind: 'executing', plan });
    try {
      const result = await execute(
        action.name,
        plan.params,
        idempotencyKey,
        plan.confirmation?.token,
      );
      setStep({ kind: 'done', plan, result });
    } catch (e) {
      setError(e as Error);
      setStep({ kind: 'planned', plan, idempotencyKey });
    }
  };

  return {
    step,
    error,
    typed,
    setTyped,
    runDry,
    runExecute,
    back: () => setStep({ kind: 'params' }),
  };
}
