import React from 'react';
import { Alert, Button, LoadingPlaceholder } from '@grafana/ui';
import { NoAnswerError } from '../api/http';
import { testIds } from '../testIds';

interface Props {
  loading: boolean;
  error?: Error;
  empty: boolean;
  emptyText: string;
  hasData: boolean;
  onRetry: () => void;
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
export function PageState({ loading, error, empty, emptyText, hasData, onRetry, children }: Props) {
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
