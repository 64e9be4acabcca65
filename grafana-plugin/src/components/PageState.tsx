import React from 'react';
import { Alert, Button, LoadingPlaceholder } from '@grafana/ui';
import { NoAnswerError } from '../api/http';
import type { Loaded } from '../hooks/useLoader';
import { testIds } from '../testIds';

interface Props {
  /** The page's load: its error, whether it runs, whether data came, and Retry. */
  loaded: Loaded<unknown>;
  /** Data came, with nothing in it: `emptyText` instead of the children. @default false */
  empty?: boolean;
  emptyText?: string;
  children: React.ReactNode;
}

/** The error box: a backend that did not answer is named in the title, with Refresh. */
function ErrorBox({ error, onRetry }: { error: Error; onRetry: () => void }) {
  const noAnswer = error instanceof NoAnswerError;
  return (
    <Alert
      title={noAnswer ? `${error.backend} did not answer` : 'Could not load'}
      severity="error"
      data-testid={testIds.state.error}
      data-backend={noAnswer ? error.backend : undefined}
    >
      <p>{error.message}</p>
      <Button size="sm" variant="secondary" icon={noAnswer ? 'sync' : undefined} onClick={onRetry}>
        {noAnswer ? 'Refresh' : 'Retry'}
      </Button>
    </Alert>
  );
}

/** Loading, error and empty states, the same on every page; data stays visible on a failed refresh. */
export function PageState({ loaded, empty = false, emptyText, children }: Props) {
  const { loading, error, reload: onRetry } = loaded;
  const hasData = Boolean(loaded.data);
  return (
    <>
      {error && <ErrorBox error={error} onRetry={onRetry} />}
      {!hasData && loading && (
        <LoadingPlaceholder text="Loading…" data-testid={testIds.state.loading} />
      )}
      {hasData && empty && (
        <p data-testid={testIds.state.empty} role="status">
          {emptyText}
        </p>
      )}
      {hasData && !empty && children}
    </>
  );
}
