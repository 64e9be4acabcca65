import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, Field, Input, Stack, useStyles2 } from '@grafana/ui';
import type { AuditFilters } from '../../api/remediation';

const OUTCOMES = ['', 'allowed', 'denied', 'succeeded', 'failed', 'dry-run'];
const TEXT_FILTERS = [
  { key: 'action', label: 'Action' },
  { key: 'actor', label: 'Actor' },
] as const;

/** Action, actor and outcome filters; applied on Filter, not on each keystroke. */
export function AuditFilterForm({ onApply }: { onApply: (filters: AuditFilters) => void }) {
  const styles = useStyles2(getStyles);
  const [draft, setDraft] = useState<AuditFilters>({});
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onApply(draft);
      }}
      aria-label="Audit filters"
    >
      <Stack gap={1} alignItems="flex-end" wrap="wrap">
        {TEXT_FILTERS.map(({ key, label }) => (
          <Field key={key} label={label} htmlFor={`lw-audit-${key}`}>
            <Input
              id={`lw-audit-${key}`}
              value={draft[key] ?? ''}
              onChange={(e) => setDraft({ ...draft, [key]: e.currentTarget.value })}
            />
          </Field>
        ))}
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
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  select: css({
    height: theme.spacing(4),
    background: theme.components.input.background,
    color: theme.components.input.text,
    border: `1px solid ${theme.components.input.borderColor}`,
    borderRadius: theme.shape.radius.default,
  }),
});
