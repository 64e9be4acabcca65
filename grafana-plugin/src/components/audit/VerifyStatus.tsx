import React from 'react';
import { Alert, Badge } from '@grafana/ui';
import { testIds } from '../../testIds';
import type { AuditVerification } from '../../types';

/** Whether the audit log's hash chain holds, or where it first breaks, or why it was not checked. */
export function VerifyStatus({ verification }: { verification: AuditVerification | Error }) {
  if (verification instanceof Error) {
    return (
      <Alert
        title="Chain verification unavailable"
        severity="warning"
        data-testid={testIds.audit.verify}
        data-ok="unknown"
      >
        {verification.message}
      </Alert>
    );
  }
  return verification.ok ? (
    <div data-testid={testIds.audit.verify} data-ok="true" role="status">
      <Badge
        color="green"
        icon="check"
        text={`Hash chain intact: ${verification.checked} records verified`}
      />
    </div>
  ) : (
    <Alert
      title="The audit log's hash chain is broken"
      severity="error"
      data-testid={testIds.audit.verify}
      data-ok="false"
    >
      First broken record: #{verification.firstBroken?.seq} ({verification.firstBroken?.id}):{' '}
      {verification.firstBroken?.reason}
    </Alert>
  );
}
