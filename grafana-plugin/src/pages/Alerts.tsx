import React from 'react';
import { Alert, Badge } from '@grafana/ui';
import { listAlerts } from '../api/alertmanager';
import { listActions } from '../api/remediation';
import { useSettings } from '../components/AppContext';
import { PageHeader } from '../components/PageHeader';
import { PageState } from '../components/PageState';
import { priorityColor } from '../components/StateBadge';
import { AlertItem } from '../components/alerts/AlertItem';
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

async function loadAll(signal: AbortSignal): Promise<{
  alerts: AmAlert[];
  actions?: ActionInfo[];
  actionsError?: Error;
}> {
  const [alerts, actions] = await Promise.allSettled([listAlerts(signal), listActions(signal)]);
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
      <PageHeader loaded={loaded}>
        Firing alerts from Alertmanager, by priority. Open one for its runbook and actions.
      </PageHeader>
      {loaded.data?.actionsError && (
        <Alert title="Remediation actions unavailable" severity="warning">
          {loaded.data.actionsError.message}
        </Alert>
      )}
      <PageState loaded={loaded} empty={groups.length === 0} emptyText="No alert is firing.">
        {groups.map((g) => (
          <section
            key={g.priority}
            data-testid={testIds.alerts.group(g.priority)}
            aria-label={`Priority ${g.priority}`}
          >
            <h3>
              {g.priority}{' '}
              <Badge color={priorityColor(g.priority)} text={`${g.alerts.length} firing`} />
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
