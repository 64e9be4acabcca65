import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The service's own series, on its own registry (never prom-client's global one). */
export class RemediationMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'layerwatch_remediation_http_requests_total',
    help: 'HTTP requests answered, by route template and status code.',
    labelNames: ['route', 'code'] as const,
    registers: [this.registry],
  });
  readonly actions = new Counter({
    name: 'layerwatch_remediation_actions_total',
    help: 'Action requests by action, mode (dry-run, execute, auto) and outcome.',
    labelNames: ['action', 'mode', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly actionDuration = new Histogram({
    name: 'layerwatch_remediation_action_duration_seconds',
    help: 'Time an executed action took against its target.',
    labelNames: ['action'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly denials = new Counter({
    name: 'layerwatch_remediation_denials_total',
    help: 'Requests refused, by machine reason (invalid_token, forbidden_role, cooldown, ...).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly inFlight = new Gauge({
    name: 'layerwatch_remediation_actions_in_flight',
    help: 'Actions executing now in this process.',
    registers: [this.registry],
  });
  readonly auditRecords = new Counter({
    name: 'layerwatch_remediation_audit_records_total',
    help: 'Audit records committed.',
    registers: [this.registry],
  });
  readonly auditCommit = new Histogram({
    name: 'layerwatch_remediation_audit_commit_duration_seconds',
    help: 'Time one audit commit (a batch of records, fsync included) took.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly auditFailures = new Counter({
    name: 'layerwatch_remediation_audit_write_failures_total',
    help: 'Requests answered 503 because their audit record could not be written.',
    registers: [this.registry],
  });
  readonly auditHeadSeq = new Gauge({
    name: 'layerwatch_remediation_audit_head_seq',
    help: 'Seq of the last committed audit record: the chain holds this many records. Kept outside the database, a drop shows a cut tail.',
    registers: [this.registry],
  });
  readonly auditHead = new Gauge({
    name: 'layerwatch_remediation_audit_head_info',
    help: 'Always 1; the hash label is the chain head after the last commit (the anchor).',
    labelNames: ['hash'] as const,
    registers: [this.registry],
  });
  readonly interrupted = new Counter({
    name: 'layerwatch_remediation_interrupted_executions_total',
    help: 'Intents found at start without an outcome, recorded as unknown and never re-run.',
    registers: [this.registry],
  });
  readonly webhookAlerts = new Counter({
    name: 'layerwatch_remediation_webhook_alerts_total',
    help: 'Alerts received on the Alertmanager webhook, by their own status and whether they were new pages.',
    labelNames: ['status', 'result'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // prom-client names these gauges `_total`, which `promtool check metrics` rejects; the
    // per-type `nodejs_active_{handles,requests,resources}` gauges carry the same counts.
    for (const name of ['handles', 'requests', 'resources']) {
      this.registry.removeSingleMetric(`nodejs_active_${name}_total`);
    }
  }
}
