import { useState } from 'react';
import { listAudit, type AuditFilters } from '../../api/remediation';
import type { AuditRecord } from '../../types';

/**
 * "Older records" paging below the first page the loader keeps fresh: the pages fetched so
 * far, the cursor after them ('' once there is none), and the last failure.
 */
export function useOlderRecords(filters: AuditFilters, firstCursor: string | undefined) {
  const [older, setOlder] = useState<AuditRecord[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [error, setError] = useState<Error>();
  const next = cursor ?? firstCursor;

  const loadMore = async () => {
    try {
      const page = await listAudit({ ...filters, limit: 50, cursor: next });
      setOlder([...older, ...page.records]);
      setCursor(page.nextCursor ?? '');
    } catch (e) {
      setError(e as Error);
    }
  };
  const reset = () => {
    setOlder([]);
    setCursor(undefined);
  };
  return { older, next, error, loadMore, reset };
}
