import React from 'react';
import { Alert } from '@grafana/ui';
import { ApiError } from '../../api/http';
import { testIds } from '../../testIds';

/** The remediation API's refusal as it said it: the sentence, when to retry, the details. */
export function ActionError({ error }: { error: ApiError | Error }) {
  const details = error instanceof ApiError ? error.details : undefined;
  const retry = error instanceof ApiError ? error.retryAfterSeconds : undefined;
  return (
    <Alert
      title="The remediation API refused or failed"
      severity="error"
      data-testid={testIds.action.error}
    >
      <p>{error.message}</p>
      {retry !== undefined && <p>Try again in {retry} s.</p>}
      {details && (
        <ul>
          {details.map((d, i) => (
            <li key={i}>{typeof d === 'object' && d !== null ? JSON.stringify(d) : String(d)}</li>
          ))}
        </ul>
      )}
    </Alert>
  );
}
