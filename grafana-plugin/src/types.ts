/** Settings stored by Grafana for the app: jsonData is readable by the browser, secureJsonData never. */
export interface AppJsonData {
  remediationUrl?: string;
  alertmanagerUrl?: string;
  prometheusUid?: string;
  refreshSeconds?: number;
  /**
   * Regex of the cluster label values the Overview reads (what `$cluster` is on the
   * dashboards). @default `.*`: every cluster, and a Prometheus without the label
   */
  cluster?: string;
}

export interface AppSecureJsonData {
  remediationToken?: string;
}

/** Remediation API v1 (remediation/, see the contract in the root README). */
export type RemediationRole = 'viewer' | 'operator' | 'admin';

export interface Me {
  subject: string;
  role: RemediationRole;
  actingUser?: string;
}

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: Array<string | number | boolean>;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  description?: string;
  title?: string;
  items?: JsonSchema;
}

export interface ActionInfo {
  name: string;
  title: string;
  description: string;
  kind: 'kubernetes' | 'http' | 'alertmanager';
  destructive: boolean;
  requiresConfirmation: boolean;
  roles: string[];
  cooldownSeconds: number;
  paramsSchema: JsonSchema;
  allowed: boolean;
  deniedReason?: string;
}

export interface PlanChange {
  kind: string;
  target: string;
  from?: unknown;
  to?: unknown;
}

export interface DryRunResult {
  action: string;
  params: Record<string, unknown>;
  target: string;
  plan: { summary: string; changes: PlanChange[] };
  requiresConfirmation: boolean;
  confirmation?: { token: string; expiresAt: string };
  auditId: string;
}

export interface ExecuteResult {
  executionId: string;
  status: 'succeeded' | 'failed';
  result?: unknown;
  error?: string;
  auditId: string;
  replayed: boolean;
}

export interface AuditRecord {
  id: string;
  seq: number;
  time: string;
  actor: string;
  role: string;
  actingUser?: string;
  sourceIp?: string;
  method: string;
  path: string;
  action?: string;
  params?: unknown;
  mode: string;
  outcome: string;
  status: number;
  durationMs: number;
  result?: unknown;
  error?: string;
  hash: string;
}

export interface AuditPage {
  records: AuditRecord[];
  nextCursor?: string;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  firstBroken?: { seq: number; id: string; reason: string };
}

export interface Page {
  id: string;
  fingerprint: string;
  status: 'firing' | 'resolved';
  alertname: string;
  priority: string;
  severity: string;
  layer?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  receivedAt: string;
  deliveries: number;
  receiver: string;
}

/** Alertmanager API v2 GET /api/v2/alerts. */
export interface AmAlert {
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  status: {
    state: 'active' | 'suppressed' | 'unprocessed';
    silencedBy: string[];
    inhibitedBy: string[];
  };
}
