import React from 'react';
import { Alert, Button, Stack } from '@grafana/ui';
import { testIds } from '../../testIds';
import type { ActionInfo, DryRunResult, ExecuteResult } from '../../types';

interface Props {
  action: ActionInfo;
  plan: DryRunResult;
  result: ExecuteResult;
  onClose: () => void;
}

/** What the run did, with its audit record, and Close. */
export function DoneStep({ action, plan, result, onClose }: Props) {
  const succeeded = result.status === 'succeeded';
  return (
    <>
      <Alert
        title={succeeded ? 'Done' : 'The action failed'}
        severity={succeeded ? 'success' : 'error'}
        data-testid={testIds.action.result}
        data-status={result.status}
      >
        <p>
          {action.name} on {plan.target}: {result.status}
          {result.replayed ? ' (replayed: it had already run with this key)' : ''}. Audit record{' '}
          {result.auditId}.
        </p>
        {result.error && <p>{result.error}</p>}
        {result.result !== undefined && <pre>{JSON.stringify(result.result, null, 2)}</pre>}
      </Alert>
      <Stack justifyContent="flex-end">
        <Button onClick={onClose}>Close</Button>
      </Stack>
    </>
  );
}
