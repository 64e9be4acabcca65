import React, { useState } from 'react';
import { Alert, Button } from '@grafana/ui';
import { listAudit, verifyAudit, type AuditFilters } from '../api/remediation';
import { useSettings } from '../components/AppContext';
import { PageState } from '../components/PageState';
import { AuditFilterForm } from '../components/audit/AuditFilterForm';
import { AuditTable } from '../components/audit/AuditTable';
import { VerifyStatus } from '../components/audit/VerifyStatus';
import { useOlderRecords } from '../components/audit/useOlderRecords';
import { useLoader } from '../hooks/useLoader';
import { testIds } from '../testIds';
import type { AuditPage, AuditVerification } from '../types';

async function loadAudit(
  filters: AuditFilters,
  signal: AbortSignal,
): Promise<{ page: AuditPage; verification: AuditVerification | Error }> {
  const [page, verification] = await Promise.all([
    listAudit({ ...filters, limit: 50 }, signal),
    verifyAudit(signal).catch((e: Error) => e),
  ]);
  return { page, verification };
}

/** The audit log, filtered, with its hash chain checked on every load. */
export function Audit() {
  const { refreshMs } = useSettings();
  const [filters, setFilters] = useState<AuditFilters>({});
  const loaded = useLoader(
    (signal) => loadAudit(filters, signal),
    JSON.stringify(filters),
    refreshMs,
  );
  const more = useOlderRecords(filters, loaded.data?.page.nextCursor);
  const records = [...(loaded.data?.page.records ?? []), ...more.older];
  return (
    <div data-testid={testIds.audit.container}>
      {loaded.data && <VerifyStatus verification={loaded.data.verification} />}
      <AuditFilterForm
        onApply={(draft) => {
          more.reset();
          setFilters(draft);
        }}
      />
      <PageState loaded={loaded} empty={records.length === 0} emptyText="No audit record matches.">
        <AuditTable records={records} />
        {more.error && (
          <Alert title="Could not load more" severity="error">
            {more.error.message}
          </Alert>
        )}
        {more.next && (
          <Button variant="secondary" onClick={() => void more.loadMore()}>
            Older records
          </Button>
        )}
      </PageState>
    </div>
  );
}
