import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, useStyles2 } from '@grafana/ui';
import { testIds } from '../../testIds';
import type { AuditRecord } from '../../types';
import { TableHead } from '../TableHead';

const HEADERS = [
  '#',
  'Time',
  'Actor',
  'Grafana user',
  'Action',
  'Mode',
  'Outcome',
  'Status',
  'Detail',
];

function outcomeColor(outcome: string): 'red' | 'green' | 'blue' {
  if (outcome === 'failed' || outcome === 'denied') return 'red';
  return outcome === 'succeeded' ? 'green' : 'blue';
}

function AuditRow({ record: r }: { record: AuditRecord }) {
  const styles = useStyles2(getStyles);
  return (
    <tr
      data-testid={testIds.audit.row}
      data-action={r.action ?? ''}
      data-mode={r.mode}
      data-outcome={r.outcome}
    >
      <td>{r.seq}</td>
      <td>{new Date(r.time).toLocaleString()}</td>
      <td>
        {r.actor} ({r.role})
      </td>
      <td>{r.actingUser ?? '–'}</td>
      <td>{r.action ?? `${r.method} ${r.path}`}</td>
      <td>{r.mode}</td>
      <td>
        <Badge color={outcomeColor(r.outcome)} text={r.outcome} />
      </td>
      <td>{r.status}</td>
      <td className={styles.detail}>
        {r.error ?? (r.params !== undefined ? JSON.stringify(r.params) : '')}
      </td>
    </tr>
  );
}

/** Audit records, newest first: who ran what, how, and what came of it. */
export function AuditTable({ records }: { records: AuditRecord[] }) {
  const styles = useStyles2(getStyles);
  return (
    <table className={styles.table}>
      <TableHead headings={HEADERS} />
      <tbody>
        {records.map((r) => (
          <AuditRow key={r.id} record={r} />
        ))}
      </tbody>
    </table>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  table: css({
    width: '100%',
    'th, td': { padding: theme.spacing(0.5, 1), textAlign: 'left', verticalAlign: 'top' },
  }),
  detail: css({
    maxWidth: 360,
    overflowWrap: 'anywhere',
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
});
