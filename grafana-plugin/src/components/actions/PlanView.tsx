import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { testIds } from '../../testIds';
import { TableHead } from '../TableHead';
import type { DryRunResult } from '../../types';

function show(v: unknown): string {
  if (v === undefined) return '–';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Exactly what the action will change, as the dry-run said. */
export function PlanView({ plan }: { plan: DryRunResult }) {
  const styles = useStyles2(getStyles);
  return (
    <div data-testid={testIds.action.plan}>
      <p>
        <strong>Target:</strong> {plan.target}
      </p>
      <p>{plan.plan.summary}</p>
      {plan.plan.changes.length > 0 && (
        <table className={styles.table}>
          <caption className={styles.caption}>Changes</caption>
          <TableHead headings={['What', 'Target', 'From', 'To']} />
          <tbody>
            {plan.plan.changes.map((c, i) => (
              <tr key={i}>
                <td>{c.kind}</td>
                <td>{c.target}</td>
                <td>{show(c.from)}</td>
                <td>{show(c.to)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {plan.confirmation && (
        <p>
          Confirmation valid until {new Date(plan.confirmation.expiresAt).toLocaleTimeString()}.
        </p>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  table: css({
    margin: theme.spacing(1, 0),
    'th, td': {
      padding: theme.spacing(0.5, 1),
      textAlign: 'left',
      verticalAlign: 'top',
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      overflowWrap: 'anywhere',
    },
    td: { fontFamily: theme.typography.fontFamilyMonospace },
  }),
  caption: css({ captionSide: 'top', textAlign: 'left', color: theme.colors.text.secondary }),
});
