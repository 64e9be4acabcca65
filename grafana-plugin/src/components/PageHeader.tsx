import React from 'react';
import { Button, Stack, Text } from '@grafana/ui';
import type { Loaded } from '../hooks/useLoader';

/** What the page shows, in a line, and its Refresh button (disabled while a load runs). */
export function PageHeader({
  loaded,
  children,
}: {
  loaded: Loaded<unknown>;
  children: NonNullable<React.ReactNode>;
}) {
  return (
    <Stack justifyContent="space-between" alignItems="center">
      <Text element="p" color="secondary">
        {children}
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
  );
}
