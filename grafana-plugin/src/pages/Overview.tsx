import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { instantQuery, prometheusDatasource } from '../api/prometheus';
import { useSettings } from '../components/AppContext';
import { PageHeader } from '../components/PageHeader';
import { PageState } from '../components/PageState';
import { StateBadge } from '../components/StateBadge';
import { TableHead } from '../components/TableHead';
import { useLoader } from '../hooks/useLoader';
import {
  allChecks,
  evaluateCheck,
  overviewRows,
  withClusterRegex,
  worstState,
  type Check,
  type CheckState,
  type LayerRow,
  type Sample,
} from '../overview/checks';
import { testIds } from '../testIds';

type Results = Map<string, Sample[] | Error>;

async function runQueries(
  uid: string,
  clusterRegex: string,
  queries: string[],
  signal: AbortSignal,
): Promise<Results> {
  prometheusDatasource(uid);
  const settled = await Promise.allSettled(
    queries.map((q) => instantQuery(uid, withClusterRegex(q, clusterRegex), signal)),
  );
  const results: Results = new Map();
  settled.forEach((s, i) => {
    results.set(queries[i]!, s.status === 'fulfilled' ? s.value : (s.reason as Error));
  });
  if (settled.every((s) => s.status === 'rejected')) throw settled[0]!.reason;
  return results;
}

export function Overview() {
  const { prometheusUid, refreshMs, clusterRegex } = useSettings();
  const rows = useMemo(() => overviewRows(), []);
  const queries = useMemo(() => [...new Set(allChecks(rows).map((c) => c.query))], [rows]);
  const loaded = useLoader(
    (signal) => runQueries(prometheusUid, clusterRegex, queries, signal),
    `${prometheusUid} ${clusterRegex}`,
    refreshMs,
  );
  const styles = useStyles2(getStyles);

  return (
    <div data-testid={testIds.overview.container}>
      <PageHeader loaded={loaded}>
        Each layer against the runbook's thresholds, from Prometheus, every {refreshMs / 1000} s.
      </PageHeader>
      <PageState loaded={loaded}>
        <div className={styles.grid}>
          {rows.map((row) => (
            <LayerCard key={row.layer} row={row} results={loaded.data!} />
          ))}
        </div>
      </PageState>
    </div>
  );
}

function evaluate(
  check: Check,
  results: Results,
): { state: CheckState; value?: number; error?: string } {
  const r = results.get(check.query);
  if (r instanceof Error) return { state: 'nodata', error: r.message };
  return evaluateCheck(check, r);
}

function LayerCard({ row, results }: { row: LayerRow; results: Results }) {
  const styles = useStyles2(getStyles);
  const health = row.health ? evaluate(row.health, results) : undefined;
  const budget = row.budget ? evaluate(row.budget, results) : undefined;
  const checks = row.checks.map((c) => ({ check: c, ...evaluate(c, results) }));
  const state = worstState([...(health ? [health.state] : []), ...checks.map((c) => c.state)]);
  const name = /^\d+$/.test(row.layer)
    ? `Layer ${row.layer}`
    : row.layer[0]!.toUpperCase() + row.layer.slice(1);
  return (
    <section
      className={styles.card}
      data-testid={testIds.overview.layer(row.layer)}
      data-state={state}
      aria-label={`${name} ${row.title}: ${state}`}
    >
      <div className={styles.header}>
        <h3 className={styles.title}>
          {name} · {row.title}
        </h3>
        <StateBadge state={state} />
      </div>
      {health && (
        <div data-testid={testIds.overview.health(row.layer)} data-state={health.state}>
          Probes:{' '}
          <StateBadge
            state={health.state}
            text={health.value === undefined ? 'no data' : row.health!.format(health.value)}
          />
        </div>
      )}
      <table className={styles.table}>
        <TableHead headings={['Threshold', 'Now', 'Target', 'State']} />
        <tbody>
          {checks.map(({ check, state: s, value, error }) => (
            <tr
              key={check.key}
              data-testid={testIds.overview.threshold(row.layer, check.key)}
              data-state={s}
            >
              <td title={error}>{check.label}</td>
              <td>{value === undefined ? '–' : check.format(value)}</td>
              <td>{check.target}</td>
              <td>
                <StateBadge state={s} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {budget && (
        <div data-testid={testIds.overview.budget(row.layer)} data-state={budget.state}>
          Error budget left (30 d, worst SLO):{' '}
          <StateBadge
            state={budget.state}
            text={budget.value === undefined ? 'no data' : row.budget!.format(budget.value)}
          />
        </div>
      )}
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  grid: css({
    display: 'grid',
    gap: theme.spacing(2),
    gridTemplateColumns: 'repeat(auto-fill, minmax(380px, 1fr))',
    marginTop: theme.spacing(2),
  }),
  card: css({
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(2),
    '&[data-state="critical"]': { borderColor: theme.colors.error.border },
    '&[data-state="warning"]': { borderColor: theme.colors.warning.border },
  }),
  header: css({ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }),
  title: css({ margin: 0, fontSize: theme.typography.h4.fontSize }),
  table: css({
    width: '100%',
    margin: theme.spacing(1, 0),
    'th, td': { padding: theme.spacing(0.5), textAlign: 'left' },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
});
