import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Badge, Button, Stack, Text, useStyles2 } from '@grafana/ui';
import { listAlerts } from '../api/alertmanager';
import { listActions } from '../api/remediation';
import { useSettings } from '../components/AppContext';
import { PageState } from '../components/PageState';
import { Runbook } from '../components/Runbook';
import { ActionButton } from '../components/actions/ActionButton';
import { useLoader } from '../hooks/useLoader';
import { testIds } from '../testIds';
import type { ActionInfo, AmAlert } from '../types';

export const PRIORITIES = ['P0', 'P1', 'P2', 'P3'] as const;

/** Alerts by priority label, P0 first; alerts without one land in "other". */
export function groupByPriority(alerts: AmAlert[]): Array<{ priority: string; alerts: AmAlert[] }> {
  const groups = new Map<string, AmAlert[]>();
  for (const a of alerts) {
    const p = (PRIORITIES as readonly string[]).includes(a.labels['priority'] ?? '')
      ? a.labels['priority']!
      : 'other';
    groups.set(p, [...(groups.get(p) ?? []), a]);
  }
  return [...PRIORITIES, 'other']
    .filter((p) => groups.has(p))
    .map((p) => ({
      priority: p,
      alerts: groups.get(p)!.sort((x, y) => x.startsAt.localeCompare(y.startsAt)),
    }));
}

/** The action names an alert offers, from its `layerwatch_actions` annotation. */
export function alertActions(alert: AmAlert): string[] {
  return (alert.annotations['layerwatch_actions'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

async function loadAll(): Promise<{
  alerts: AmAlert[];
  actions?: ActionInfo[];
  actionsError?: Error;
}> {
  const [alerts, actions] = await Promise.allSettled([listAlerts(), listActions()]);
  if (alerts.status === 'rejected') throw alerts.reason;
  return actions.status === 'fulfilled'
    ? {
        alerts: alerts.value.filter((a) => a.labels['alertname'] !== 'LayerwatchWatchdog'),
        actions: actions.value,
      }
    : {
        alerts: alerts.value.filter((a) => a.labels['alertname'] !== 'LayerwatchWatchdog'),
        actionsError: actions.reason as Error,
      };
}

export function Alerts() {
  const { refreshMs } = useSettings();
  const loaded = useLoader(loadAll, 'alerts', refreshMs);
  const groups = loaded.data ? groupByPriority(loaded.data.alerts) : [];
  return (
    <div data-testid={testIds.alerts.container}>
      <Stack justifyContent="space-between" alignItems="center">
        <Text element="p" color="secondary">
          Firing alerts from Alertmanager, by priority. Open one for its runbook and actions.
        </Text>
        <Button
          icon="sync"
          variant="secondary"
          size="sm"
          onClick={loaded.reload}
          disabled={loaded.loading}
        >
          Refresh
        </Button>
      </Stack>
      {loaded.data?.actionsError && (
        <Alert title="Remediation actions unavailable" severity="warning">
          {loaded.data.actionsError.message}
        </Alert>
      )}
      <PageState
        loading={loaded.loading}
        error={loaded.error}
        hasData={!!loaded.data}
        empty={groups.length === 0}
        emptyText="No alert is firing."
        onRetry={loaded.reload}
      >
        {groups.map((g) => (
          <section
            key={g.priority}
            data-testid={testIds.alerts.group(g.priority)}
            aria-label={`Priority ${g.priority}`}
          >
            <h3>
              {g.priority}{' '}
              <Badge
                color={g.priority === 'P0' ? 'red' : g.priority === 'P1' ? 'orange' : 'blue'}
                text={`${g.alerts.length} firing`}
              />
            </h3>
            {g.alerts.map((a) => (
              <AlertItem
                key={a.fingerprint}
                alert={a}
                actions={loaded.data?.actions}
                onChanged={loaded.reload}
              />
            ))}
          </section>
        ))}
      </PageState>
    </div>
  );
}

function AlertItem({
  alert,
  actions,
  onChanged,
}: {
  alert: AmAlert;
  actions?: ActionInfo[];
  onChanged: () => void;
}) {
  const styles = useStyles2(getStyles);
  const [open, setOpen] = useState(false);
  const names = alertActions(alert);
  const byName = new Map((actions ?? []).map((a) => [a.name, a]));
  const silence = names.includes('silence') ? byName.get('silence') : undefined;
  const silenced = alert.status.silencedBy.length > 0;
  const detailsId = `lw-alert-details-${alert.fingerprint}`;
  return (
    <div
      className={styles.alert}
      data-testid={testIds.alerts.alert(alert.fingerprint)}
      data-alertname={alert.labels['alertname']}
    >
      <button
        className={styles.summary}
        aria-expanded={open}
        aria-controls={detailsId}
        onClick={() => setOpen(!open)}
      >
        <strong>{alert.labels['alertname']}</strong>
        {alert.labels['layer'] && <Badge color="purple" text={`layer ${alert.labels['layer']}`} />}
        <Badge
          color={alert.labels['severity'] === 'critical' ? 'red' : 'orange'}
          text={alert.labels['severity'] ?? 'no severity'}
        />
        {silenced && <Badge color="darkgrey" text="acknowledged (silenced)" />}
        <span>{alert.annotations['summary']}</span>
        <span className={styles.since}>since {new Date(alert.startsAt).toLocaleString()}</span>
      </button>
      {open && (
        <div id={detailsId} className={styles.details}>
          <p>{alert.annotations['description']}</p>
          <Stack wrap="wrap" gap={1}>
            {names
              .filter((n) => n !== 'silence')
              .map((n) => {
                const action = byName.get(n);
                return action ? (
                  <ActionButton key={n} action={action} context={alert.labels} onDone={onChanged} />
                ) : (
                  <Badge
                    key={n}
                    color="darkgrey"
                    text={`${n}: not offered by the remediation API`}
                  />
                );
              })}
            {silence && (
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
                onDone={onChanged}
              />
            )}
          </Stack>
          <Runbook runbookUrl={alert.annotations['runbook_url']} />
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  alert: css({
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    marginBottom: theme.spacing(1),
  }),
  summary: css({
    display: 'flex',
    gap: theme.spacing(1),
    alignItems: 'center',
    width: '100%',
    padding: theme.spacing(1),
    background: theme.colors.background.secondary,
    color: theme.colors.text.primary,
    border: 'none',
    textAlign: 'left',
    cursor: 'pointer',
    '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}` },
  }),
  since: css({ marginLeft: 'auto', color: theme.colors.text.secondary }),
  details: css({ padding: theme.spacing(1, 2) }),
});
