import React from 'react';
import { Button, Field, Input, Modal } from '@grafana/ui';
import { testIds } from '../../testIds';
import type { ActionInfo, DryRunResult } from '../../types';
import { PlanView } from './PlanView';

interface Props {
  action: ActionInfo;
  plan: DryRunResult;
  typed: string;
  onType: (text: string) => void;
  onBack: () => void;
  onConfirm: () => void;
}

/** The dry-run's plan and the confirm button; a destructive action wants its target typed first. */
export function PlannedStep({ action, plan, typed, onType, onBack, onConfirm }: Props) {
  const needsTyping = action.destructive;
  return (
    <>
      <PlanView plan={plan} />
      {needsTyping && (
        <Field label={`Type ${plan.target} to confirm`} htmlFor="lw-confirm-target">
          <Input
            id="lw-confirm-target"
            data-testid={testIds.action.confirmInput}
            value={typed}
            autoFocus
            onChange={(e) => onType(e.currentTarget.value)}
          />
        </Field>
      )}
      <Modal.ButtonRow>
        <Button variant="secondary" fill="outline" onClick={onBack}>
          Back
        </Button>
        <Button
          variant={action.destructive ? 'destructive' : 'primary'}
          data-testid={testIds.action.confirm}
          disabled={needsTyping && typed !== plan.target}
          onClick={onConfirm}
        >
          {action.destructive ? `Run on ${plan.target}` : 'Confirm and run'}
        </Button>
      </Modal.ButtonRow>
    </>
  );
}
