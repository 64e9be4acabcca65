import React from 'react';
import { Alert, Button, LoadingPlaceholder } from '@grafana/ui';
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

/** Loading, error and empty states, the same on every page; data stays visible on a failed refresh. */
export function PageState({ loading, error, empty, emptyText, hasData, onRetry, children }: Props) {
  return (
    <>
      {error && (
        <Alert title="Could not load" severity="error" data-testid={testIds.state.error}>
          <p>{error.message}</p>
          <Button size="sm" variant="secondary" onClick={onRetry}>
            Retry
          </Button>
        </Alert>
      )}
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
