import React from 'react';
import { css } from '@emotion/css';
import { renderMarkdown, type GrafanaTheme2 } from '@grafana/data';
import { Alert, LoadingPlaceholder, TextLink, useStyles2 } from '@grafana/ui';
import { REQUEST_TIMEOUT_MS, RUNBOOKS_BASE } from '../constants';
import { NoAnswerError } from '../api/http';
import { useLoader } from '../hooks/useLoader';
import { testIds } from '../testIds';

/** `…/runbooks/LayerwatchProbeDown.md` → `LayerwatchProbeDown.md`; only plain names are served. */
export function runbookFile(runbookUrl: string | undefined): string | undefined {
  const name = runbookUrl
    ?.split(/[/#?]/)
    .filter(Boolean)
    .find((part) => /^[A-Za-z0-9_-]+\.md$/.test(part));
  return name;
}

async function loadRunbook(file: string, signal: AbortSignal): Promise<string> {
  // Grafana serves the plugin's files itself; the same deadline as every other request.
  const response = await fetch(`${RUNBOOKS_BASE}/${file}`, {
    signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
  }).catch((e: unknown) => {
    throw e instanceof DOMException && e.name === 'TimeoutError'
      ? NoAnswerError.pastDeadline('Grafana', `Reading the runbook ${file}`)
      : e;
  });
  if (!response.ok)
    throw new Error(`Runbook ${file} is not in the plugin (HTTP ${response.status}).`);
  return response.text();
}

/** The alert's runbook page (Meaning, Impact, Diagnosis, Mitigation), shipped in the plugin's dist. */
export function Runbook({ runbookUrl }: { runbookUrl?: string }) {
  const styles = useStyles2(getStyles);
  const file = runbookFile(runbookUrl);
  const loaded = useLoader(
    (signal) =>
      file
        ? loadRunbook(file, signal)
        : Promise.reject(new Error('This alert has no runbook_url annotation.')),
    file ?? '',
  );
  return (
    <section data-testid={testIds.alerts.runbook} aria-label="Runbook" className={styles.runbook}>
      {runbookUrl && (
        <TextLink href={runbookUrl} external>
          Open the runbook at its source
        </TextLink>
      )}
      {loaded.error && (
        <Alert title="No runbook" severity="warning">
          {loaded.error.message}
        </Alert>
      )}
      {!loaded.data && loaded.loading && <LoadingPlaceholder text="Loading the runbook…" />}
      {loaded.data && (
        <div
          className="markdown-html"
          dangerouslySetInnerHTML={{ __html: renderMarkdown(loaded.data) }}
        />
      )}
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  runbook: css({
    padding: theme.spacing(1, 2),
    borderLeft: `3px solid ${theme.colors.border.medium}`,
    h1: { fontSize: theme.typography.h3.fontSize },
    h2: { fontSize: theme.typography.h4.fontSize, marginTop: theme.spacing(2) },
    code: { whiteSpace: 'pre-wrap' },
  }),
});
