import React, { useState } from 'react';
import { Button, Stack, Text } from '@grafana/ui';
import { grafanaMayExecute } from '../AppContext';
import { testIds } from '../../testIds';
import type { ActionInfo } from '../../types';
import { ActionDialog } from './ActionDialog';

interface Props {
  action: ActionInfo;
  /** Alert labels and the like: they prefill the params (layer, deployment …). */
  context: Record<string, string>;
  /** Button text; the action's title by default. */
  label?: string;
  /** Params fixed by the caller (the acknowledge button's matchers), not shown in the form. */
  fixedParams?: Record<string, unknown>;
  initialParams?: Record<string, unknown>;
  onDone?: () => void;
}

/** Why a user cannot press this button, in words; undefined when they can. */
export function disabledReason(action: ActionInfo): string | undefined {
  const grafana = grafanaMayExecute();
  if (!grafana.allowed) return grafana.reason;
  if (!action.allowed)
    return action.deniedReason ?? `The remediation API does not let your token run ${action.name}.`;
  return undefined;
}

/** One remediation action: dry-run first, then confirmation, then progress and the result. */
export function ActionButton({
  action,
  context,
  label,
  fixedParams,
  initialParams,
  onDone,
}: Props) {
  const [open, setOpen] = useState(false);
  const reason = disabledReason(action);
  const reasonId = `lw-reason-${action.name}-${Object.values(context).join('-')}`;
  return (
    <Stack direction="column" gap={0.5}>
      <Button
        size="sm"
        variant={action.destructive ? 'destructive' : 'secondary'}
        icon={action.destructive ? 'exclamation-triangle' : 'play'}
        disabled={reason !== undefined}
        aria-describedby={reason ? reasonId : undefined}
        tooltip={reason ?? action.description}
        data-testid={testIds.action.button(action.name)}
        onClick={() => {
          if (reason === undefined) setOpen(true);
        }}
      >
        {label ?? action.title}
      </Button>
      {reason && (
        <Text variant="bodySmall" color="secondary">
          <span id={reasonId} data-testid={`${testIds.action.button(action.name)}-reason`}>
            {reason}
          </span>
        </Text>
      )}
      {open && (
        <ActionDialog
          action={action}
          context={context}
          fixedParams={fixedParams}
          initialParams={initialParams}
          onClose={(changed) => {
            setOpen(false);
            if (changed) onDone?.();
          }}
        />
      )}
    </Stack>
  );
}
