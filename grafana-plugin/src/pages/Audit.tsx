import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Badge, Button, Field, Input, Stack, useStyles2 } from '@grafana/ui';
import { listAudit, verifyAudit, type AuditFilters } from '../api/remediation';
import { useSettings } from '../components/AppContext';
import { PageState } from '../components/PageState';
import { useLoader } from '../hooks/useLoader';
import { testIds } from '../testIds';
import type { AuditPage, AuditRecord, AuditVerification } from '../types';

const OUTCOMES = ['', 'allowed', 'denied', 'succeeded', 'failed', 'dry-run'];

async function loadAudit(
  filters: AuditFilters,
): Promise<{ page: AuditPage; verification: AuditVerification | Error }> {
  const [page, verification] = await Promise.all([
    listAudit({ ...filters, limit: 50 }),
    verifyAudit().catch((e: Error) => e),
  ]);
  return { page, verification };
}

function VerifyStatus({ verification }: { verification: AuditVerification | Error }) {
  if (verification instanceof Error) {
    return (
      <Alert
        title="Chain verification unavailable"
        severity="warning"
        data-testid={testIds.audit.verify}
        data-ok="unknown"
      >
        {verification.message}
      </Alert>
    );
  }
  return verification.ok ? (
    <div data-testid={testIds.audit.verify} data-ok="true" role="status">
      <Badge
        color="green"
        icon="check"
        text={`Hash chain intact: ${verification.checked} records verified`}
      />
    </div>
  ) : (
    <Alert
      title="The audit log's hash chain is broken"
      severity="error"
      data-testid={testIds.audit.verify}
      data-ok="false"
    >
      First broken record: #{verification.firstBroken?.seq} ({verification.firstBroken?.id}):{' '}
      {verification.firstBroken?.reason}
    </Alert>
  );
}

export function Audit() {
  const styles = useStyles2(getStyles);
  const { refreshMs } = useSettings();
  const [draft, setDraft] = useState<AuditFilters>({});
  const [filters, setFilters] = useState<AuditFilters>({});
  const [older, setOlder] = useState<AuditRecord[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [moreError, setMoreError] = useState<Error>();
  const loaded = useLoader(() => loadAudit(filters), JSON.stringify(filters), refreshMs);
  const records = [...(loaded.data?.page.records ?? []), ...older];
  const next = cursor ?? loaded.data?.page.nextCursor;

  const apply = (e: React.FormEvent) => {
    e.preventDefault();
    setOlder([]);
    setCursor(undefined);
    setFilters(draft);
  };
  const loadMore = async () => {
    try {
      const page = await listAudit({ ...filters, limit: 50, cursor: next });
      setOlder([...older, ...page.records]);
      setCursor(page.nextCursor ?? '');
    } catch (e) {
      setMoreError(e as Error);
    }
  };

  return (
    <div data-testid={testIds.audit.container}>
      {loaded.data && <VerifyStatus verification={loaded.data.verification} />}
      <form onSubmit={apply} aria-label="Audit filters">
        <Stack gap={1} alignItems="flex-end" wrap="wrap">
          <Field label="Action" htmlFor="lw-audit-action">
            <Input
              id="lw-audit-action"
              value={draft.action ?? ''}
              onChange={(e) => setDraft({ ...draft, action: e.currentTarget.value })}
            />
          </Field>
          <Field label="Actor" htmlFor="lw-audit-actor">
            <Input
              id="lw-audit-actor"
              value={draft.actor ?? ''}
              onChange={(e) => setDraft({ ...draft, actor: e.currentTarget.value })}
            />
          </Field>
          <Field label="Outcome" htmlFor="lw-audit-outcome">
            <select
              id="lw-audit-outcome"
              className={styles.select}
              value={draft.outcome ?? ''}
              onChange={(e) => setDraft({ ...draft, outcome: e.target.value })}
            >
              {OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {o || 'any'}
                </option>
              ))}
            </select>
          </Field>
          <Field label="">
            <Button type="submit" icon="filter">
              Filter
            </Button>
          </Field>
        </Stack>
      </form>
      <PageState
        loading={loaded.loading}
        error={loaded.error}
        hasData={!!loaded.data}
        empty={records.length === 0}
        emptyText="No audit record matches."
        onRetry={loaded.reload}
      >
        <table className={styles.table}>
          <thead>
            <tr>
              {[
                '#',
                'Time',
                'Actor',
                'Grafana user',
                'Action',
                'Mode',
                'Outcome',
                'Status',
                'Detail',
              ].map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {records.map((r) => (
              <tr
                key={r.id}
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
                  <Badge
                    color={
                      r.outcome === 'failed' || r.outcome === 'denied'
                        ? 'red'
                        : r.outcome === 'succeeded'
                          ? 'green'
                          : 'blue'
                    }
                    text={r.outcome}
                  />
                </td>
                <td>{r.status}</td>
                <td className={styles.detail}>
                  {r.error ?? (r.params !== undefined ? JSON.stringify(r.params) : '')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {moreError && (
          <Alert title="Could not load more" severity="error">
            {moreError.message}
          </Alert>
        )}
        {next && (
          <Button variant="secondary" onClick={() => void loadMore()}>
            Older records
          </Button>
        )}
      </PageState>
    </div>
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
  select: css({
    height: theme.spacing(4),
    background: theme.components.input.background,
    color: theme.components.input.text,
    border: `1px solid ${theme.components.input.borderColor}`,
    borderRadius: theme.shape.radius.default,
  }),
});
