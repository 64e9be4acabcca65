import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, useStyles2 } from '@grafana/ui';
import { testIds } from '../../testIds';
import type { AmAlert } from '../../types';
import { Runbook } from '../Runbook';
import { AlertActions, type AlertProps } from './AlertActions';

/** The alert's one line: name, layer, severity, acknowledged, summary, since when. */
function AlertSummary({ alert }: { alert: AmAlert }) {
  const styles = useStyles2(getStyles);
  return (
    <>
      <strong>{alert.labels['alertname']}</strong>
      {alert.labels['layer'] && <Badge color="purple" text={`layer ${alert.labels['layer']}`} />}
      <Badge
        color={alert.labels['severity'] === 'critical' ? 'red' : 'orange'}
        text={alert.labels['severity'] ?? 'no severity'}
      />
      {alert.status.silencedBy.length > 0 && (
        <Badge color="darkgrey" text="acknowledged (silenced)" />
      )}
      <span>{alert.annotations['summary']}</span>
      <span className={styles.since}>since {new Date(alert.startsAt).toLocaleString()}</span>
    </>
  );
}

/** One firing alert; opened, its description, actions and runbook. */
export function AlertItem({ alert, actions, onChanged }: AlertProps) {
  const styles = useStyles2(getStyles);
  const [open, setOpen] = useState(false);
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
        <AlertSummary alert={alert} />
      </button>
      {open && (
        <div id={detailsId} className={styles.details}>
          <p>{alert.annotations['description']}</p>
          <AlertActions alert={alert} actions={actions} onChanged={onChanged} />
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
