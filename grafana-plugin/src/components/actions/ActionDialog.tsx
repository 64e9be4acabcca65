import React, { useMemo, useState } from 'react';
import { Button, LoadingPlaceholder, Modal } from '@grafana/ui';
import { testIds } from '../../testIds';
import type { ActionInfo, JsonSchema } from '../../types';
import { ActionError } from './ActionError';
import { DoneStep } from './DoneStep';
import { PlanView } from './PlanView';
import { PlannedStep } from './PlannedStep';
import { ParamsForm, defaultParams } from './ParamsForm';
import { useActionRun } from './useActionRun';

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

/** The action's schema without the params the caller fixes. */
function shownSchema(schema: JsonSchema, fixed: Record<string, unknown> | undefined): JsonSchema {
  const properties = { ...(schema.properties ?? {}) };
  for (const name of Object.keys(fixed ?? {})) delete properties[name];
  return { ...schema, properties };
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
  const schema = useMemo(
    () => shownSchema(action.paramsSchema, fixedParams),
    [action.paramsSchema, fixedParams],
  );
  const run = useActionRun(action);
  const { step } = run;
  return (
    <Modal
      title={`${action.title}${action.destructive ? ' (destructive)' : ''}`}
      isOpen
      onDismiss={() => onClose(step.kind === 'done')}
    >
      <div data-testid={testIds.action.dialog}>
        <p>{action.description}</p>
        {children}
        {run.error && <ActionError error={run.error} />}
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
              <Button onClick={() => void run.runDry({ ...params, ...fixedParams })}>
                Dry-run
              </Button>
            </Modal.ButtonRow>
          </>
        )}
        {step.kind === 'dry-running' && <LoadingPlaceholder text="Asking for the dry-run…" />}
        {step.kind === 'planned' && (
          <PlannedStep
            action={action}
            plan={step.plan}
            typed={run.typed}
            onType={run.setTyped}
            onBack={run.back}
            onConfirm={() => void run.runExecute(step.plan, step.idempotencyKey)}
          />
        )}
        {step.kind === 'executing' && (
          <>
            <PlanView plan={step.plan} />
            <LoadingPlaceholder text={`Running ${action.name} on ${step.plan.target}…`} />
          </>
        )}
        {step.kind === 'done' && (
          <DoneStep
            action={action}
            plan={step.plan}
            result={step.result}
            onClose={() => onClose(true)}
          />
        )}
      </div>
    </Modal>
  );
}
