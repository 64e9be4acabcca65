import React from 'react';
import { Badge, Stack } from '@grafana/ui';
import type { ActionInfo, AmAlert } from '../../types';
import { ActionButton } from '../actions/ActionButton';

/** The action names an alert offers, from its `layerwatch_actions` annotation. */
export function alertActions(alert: AmAlert): string[] {
  return (alert.annotations['layerwatch_actions'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The acknowledge button silences exactly this alert: every label an equality matcher. */
function AcknowledgeButton({
  alert,
  silence,
  onDone,
}: {
  alert: AmAlert;
  silence: ActionInfo;
  onDone: () => void;
}) {
  return (
    <ActionButton
      action={silence}
      context={alert.labels}
      label="Acknowledge (silence)"
      fixedParams={{
        matchers: Object.entries(alert.labels).map(([name, value]) => ({
          name,
          value,
          isRegex: false,
          isEqual: true,
        })),
      }}
      initialParams={{
        minutes: 60,
        comment: `Acknowledged: ${alert.labels['alertname'] ?? 'alert'}`,
      }}
      onDone={onDone}
    />
  );
}

/** An alert, the actions the remediation API offers, and what to do once one ran. */
export interface AlertProps {
  alert: AmAlert;
  actions?: ActionInfo[];
  onChanged: () => void;
}

/** The alert's actions as the remediation API offers them; one it does not offer says so. */
export function AlertActions({ alert, actions, onChanged }: AlertProps) {
  const names = alertActions(alert);
  const byName = new Map((actions ?? []).map((a) => [a.name, a]));
  const silence = names.includes('silence') ? byName.get('silence') : undefined;
  return (
    <Stack wrap="wrap" gap={1}>
      {names
        .filter((n) => n !== 'silence')
        .map((n) => {
          const action = byName.get(n);
          return action ? (
            <ActionButton key={n} action={action} context={alert.labels} onDone={onChanged} />
          ) : (
            <Badge key={n} color="darkgrey" text={`${n}: not offered by the remediation API`} />
          );
        })}
      {silence && <AcknowledgeButton alert={alert} silence={silence} onDone={onChanged} />}
    </Stack>
  );
}
