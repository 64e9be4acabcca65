import React, { useMemo, useState } from 'react';
import { Alert, Button, Field, Input, LoadingPlaceholder, Modal, Stack } from '@grafana/ui';
import { dryRun, execute } from '../../api/remediation';
import { ApiError } from '../../api/http';
import { testIds } from '../../testIds';
import type { ActionInfo, DryRunResult, ExecuteResult } from '../../types';
import { PlanView } from './PlanView';
import { ParamsForm, defaultParams } from './ParamsForm';

type Step =
  | { kind: 'params' }
  | { kind: 'dry-running' }
  | { kind: 'planned'; plan: DryRunResult; idempotencyKey: string }
  | { kind: 'executing'; plan: DryRunResult }
  | { kind: 'done'; plan: DryRunResult; result: ExecuteResult };

interface Props {
  action: ActionInfo;
  context: Record<string, string>;
  /** Extra params the caller fixes (they are not shown in the form). */
  fixedParams?: Record<string, unknown>;
  /** Starting values for fields the form shows (over the schema's defaults). */
  initialParams?: Record<string, unknown>;
  children?: React.ReactNode;
  onClose: (changed: boolean) => void;
}

function newKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

function ErrorView({ error }: { error: ApiError | Error }) {
  const details = error instanceof ApiError ? error.details : undefined;
  const retry = error instanceof ApiError ? error.retryAfterSeconds : undefined;
  return (
    <Alert
      title="The remediation API refused or failed"
      severity="error"
      data-testid={testIds.action.error}
    >
      <p>{error.message}</p>
      {retry !== undefined && <p>Try again in {retry} s.</p>}
      {details && (
        <ul>
          {details.map((d, i) => (
            <li key={i}>{typeof d === 'object' && d !== null ? JSON.stringify(d) : String(d)}</li>
          ))}
        </ul>
      )}
    </Alert>
  );
}

/** The dialog behind every action button: params → dry-run plan → confirm → run → result. */
export function ActionDialog({
  action,
  context,
  fixedParams,
  initialParams,
  children,
  onClose,
}: Props) {
  const [params, setParams] = useState(() => ({
    ...defaultParams(action.paramsSchema, context),
    ...initialParams,
  }));
  const [step, setStep] = useState<Step>({ kind: 'params' });
  const [error, setError] = useState<Error>();
  const [typed, setTyped] = useState('');
  const schema = useMemo(() => {
    const properties = { ...(action.paramsSchema.properties ?? {}) };
    for (const name of Object.keys(fixedParams ?? {})) delete properties[name];
    return { ...action.paramsSchema, properties };
  }, [action.paramsSchema, fixedParams]);
  const allParams = { ...params, ...fixedParams };

  const runDry = async () => {
    setError(undefined);
    setStep({ kind: 'dry-running' });
    try {
      const plan = await dryRun(action.name, allParams);
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

  const needsTyping = action.destructive;
  const changed = step.kind === 'done';
  return (
    <Modal
      title={`${action.title}${action.destructive ? ' (destructive)' : ''}`}
      isOpen
      onDismiss={() => onClose(changed)}
    >
      <div data-testid={testIds.action.dialog}>
        <p>{action.description}</p>
        {children}
        {error && <ErrorView error={error} />}
        {step.kind === 'params' && (
          <>
            <ParamsForm
              schema={schema}
              value={params}
              onChange={setParams}
              idPrefix={`lw-${action.name}`}
            />
            <Modal.ButtonRow>
              <Button variant="secondary" fill="outline" onClick={() => onClose(false)}>
                Cancel
              </Button>
              <Button onClick={() => void runDry()}>Dry-run</Button>
            </Modal.ButtonRow>
          </>
        )}
        {step.kind === 'dry-running' && <LoadingPlaceholder text="Asking for the dry-run…" />}
        {step.kind === 'planned' && (
          <>
            <PlanView plan={step.plan} />
            {needsTyping && (
              <Field label={`Type ${step.plan.target} to confirm`} htmlFor="lw-confirm-target">
                <Input
                  id="lw-confirm-target"
                  data-testid={testIds.action.confirmInput}
                  value={typed}
                  autoFocus
                  onChange={(e) => setTyped(e.currentTarget.value)}
                />
              </Field>
            )}
            <Modal.ButtonRow>
              <Button
                variant="secondary"
                fill="outline"
                onClick={() => setStep({ kind: 'params' })}
              >
                Back
              </Button>
              <Button
                variant={action.destructive ? 'destructive' : 'primary'}
                data-testid={testIds.action.confirm}
                disabled={needsTyping && typed !== step.plan.target}
                onClick={() => void runExecute(step.plan, step.idempotencyKey)}
              >
                {action.destructive ? `Run on ${step.plan.target}` : 'Confirm and run'}
              </Button>
            </Modal.ButtonRow>
          </>
        )}
        {step.kind === 'executing' && (
          <>
            <PlanView plan={step.plan} />
            <LoadingPlaceholder text={`Running ${action.name} on ${step.plan.target}…`} />
          </>
        )}
        {step.kind === 'done' && (
          <>
            <Alert
              title={step.result.status === 'succeeded' ? 'Done' : 'The action failed'}
              severity={step.result.status === 'succeeded' ? 'success' : 'error'}
              data-testid={testIds.action.result}
              data-status={step.result.status}
            >
              <p>
                {action.name} on {step.plan.target}: {step.result.status}
                {step.result.replayed ? ' (replayed: it had already run with this key)' : ''}. Audit
                record {step.result.auditId}.
              </p>
              {step.result.error && <p>{step.result.error}</p>}
              {step.result.result !== undefined && (
                <pre>{JSON.stringify(step.result.result, null, 2)}</pre>
              )}
            </Alert>
            <Stack justifyContent="flex-end">
              <Button onClick={() => onClose(true)}>Close</Button>
            </Stack>
          </>
        )}
      </div>
    </Modal>
  );
}
