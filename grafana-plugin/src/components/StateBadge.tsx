import React from 'react';
import { Badge, type BadgeColor } from '@grafana/ui';
import type { CheckState } from '../overview/checks';

const COLORS: Record<CheckState, BadgeColor> = {
  ok: 'green',
  warning: 'orange',
  critical: 'red',
  nodata: 'darkgrey',
};

const LABELS: Record<CheckState, string> = {
  ok: 'OK',
  warning: 'Warning',
  critical: 'Critical',
  nodata: 'No data',
};

/** A priority's color: P0 red, P1 orange, the rest blue. */
export function priorityColor(priority: string): BadgeColor {
  return priority === 'P0' ? 'red' : priority === 'P1' ? 'orange' : 'blue';
}

/** A state as a colored badge with words, so color is never the only signal. */
export function StateBadge({ state, text }: { state: CheckState; text?: string }) {
  return <Badge color={COLORS[state]} text={text ?? LABELS[state]} data-state={state} />;
}
