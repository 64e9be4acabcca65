import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, RadioButtonGroup, useStyles2 } from '@grafana/ui';
import { listPages } from '../api/remediation';
import { useSettings } from '../components/AppContext';
import { PageState } from '../components/PageState';
import { priorityColor } from '../components/StateBadge';
import { TableHead } from '../components/TableHead';
import { useLoader } from '../hooks/useLoader';
import { testIds } from '../testIds';

type Filter = 'firing' | 'resolved' | 'all';
const FILTERS = [
  { label: 'Firing', value: 'firing' as const },
  { label: 'Resolved', value: 'resolved' as const },
  { label: 'All', value: 'all' as const },
];

const HEADINGS = [
  'Priority',
  'Alert',
  'Layer',
  'Status',
  'Started',
  'Received',
  'Deliveries',
  'Receiver',
  'Summary',
];

/** The on-call inbox: what the remediation service received from Alertmanager's webhook. */
export function Pages() {
  const styles = useStyles2(getStyles);
  const { refreshMs } = useSettings();
  const [filter, setFilter] = useState<Filter>('firing');
  const loaded = useLoader(
    (signal) => listPages(filter === 'all' ? undefined : filter, undefined, signal),
    filter,
    refreshMs,
  );
  const pages = loaded.data?.pages ?? [];
  return (
    <div data-testid={testIds.pages.container}>
      <RadioButtonGroup
        options={FILTERS}
        value={filter}
        onChange={(v) => setFilter(v)}
        aria-label="Page status"
      />
      <PageState
        loaded={loaded}
        empty={pages.length === 0}
        emptyText={
          filter === 'firing' ? 'No page is firing: the inbox is clear.' : 'No page received.'
        }
      >
        <table className={styles.table}>
          <TableHead headings={HEADINGS} />
          <tbody>
            {pages.map((p) => (
              <tr
                key={p.id}
                data-testid={testIds.pages.row}
                data-alertname={p.alertname}
                data-status={p.status}
              >
                <td>
                  <Badge color={priorityColor(p.priority)} text={p.priority} />
                </td>
                <td>{p.alertname}</td>
                <td>{p.layer ?? '–'}</td>
                <td>
                  <Badge color={p.status === 'firing' ? 'red' : 'green'} text={p.status} />
                </td>
                <td>{new Date(p.startsAt).toLocaleString()}</td>
                <td>{new Date(p.receivedAt).toLocaleString()}</td>
                <td>{p.deliveries}</td>
                <td>{p.receiver}</td>
                <td>{p.annotations['summary'] ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </PageState>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  table: css({
    width: '100%',
    marginTop: theme.spacing(2),
    'th, td': { padding: theme.spacing(0.5, 1), textAlign: 'left' },
  }),
});
