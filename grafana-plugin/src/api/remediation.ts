import { REMEDIATION_PROXY } from '../constants';
import type {
  ActionInfo,
  AuditPage,
  AuditVerification,
  DryRunResult,
  ExecuteResult,
  Me,
  Page,
} from '../types';
import type { Backend } from './backends';
import { request } from './http';

/** The remediation API v1, reached only through the plugin proxy route (token injected there). */
const API = `${REMEDIATION_PROXY}/api/v1`;
const REMEDIATION: Backend = 'The remediation API';

export function getMe(): Promise<Me> {
  return request(REMEDIATION, 'Reading who the remediation API says you are', { url: `${API}/me` });
}

export async function listActions(signal?: AbortSignal): Promise<ActionInfo[]> {
  const body = await request<{ actions: ActionInfo[] }>(
    REMEDIATION,
    'Listing remediation actions',
    { url: `${API}/actions` },
    signal,
  );
  return body.actions;
}

export function dryRun(name: string, params: Record<string, unknown>): Promise<DryRunResult> {
  return request(REMEDIATION, `Dry-run of ${name}`, {
    url: `${API}/actions/${encodeURIComponent(name)}/dry-run`,
    method: 'POST',
    data: { params },
  });
}

export function execute(
  name: string,
  params: Record<string, unknown>,
  idempotencyKey: string,
  confirmationToken?: string,
): Promise<ExecuteResult> {
  return request(REMEDIATION, `Running ${name}`, {
    url: `${API}/actions/${encodeURIComponent(name)}/execute`,
    method: 'POST',
    headers: { 'Idempotency-Key': idempotencyKey },
    data: confirmationToken ? { params, confirmationToken } : { params },
  });
}

export interface AuditFilters {
  action?: string;
  actor?: string;
  outcome?: string;
  limit?: number;
  cursor?: string;
}

function definedParams(params: object): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(params).filter(([, v]) => v !== undefined && v !== ''),
  ) as Record<string, string | number>;
}

export function listAudit(filters: AuditFilters, signal?: AbortSignal): Promise<AuditPage> {
  return request(
    REMEDIATION,
    'Reading the audit log',
    {
      url: `${API}/audit`,
      params: definedParams(filters),
    },
    signal,
  );
}

export function verifyAudit(signal?: AbortSignal): Promise<AuditVerification> {
  return request(
    REMEDIATION,
    "Verifying the audit log's hash chain",
    {
      url: `${API}/audit/verify`,
    },
    signal,
  );
}

export function listPages(
  status?: 'firing' | 'resolved',
  cursor?: string,
  signal?: AbortSignal,
): Promise<{ pages: Page[]; nextCursor?: string }> {
  return request(
    REMEDIATION,
    'Reading the on-call inbox',
    {
      url: `${API}/pages`,
      params: definedParams({ status, cursor, limit: 100 }),
    },
    signal,
  );
}
