import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Series of each kind, registered on `registry` alone (never prom-client's global one). */
function seriesOn(registry: Registry) {
  const registers = [registry];
  return {
    counter: <L extends string = string>(name: string, help: string, labelNames: L[] = []) =>
      new Counter<L>({ name, help, labelNames, registers }),
    gauge: <L extends string = string>(name: string, help: string, labelNames: L[] = []) =>
      new Gauge<L>({ name, help, labelNames, registers }),
    histogram: <L extends string = string>(
      name: string,
      help: string,
      buckets: number[],
      labelNames: L[] = [],
    ) => new Histogram<L>({ name, help, labelNames, buckets, registers }),
  };
}

/** The service's own series, on its own registry. */
export class RemediationMetrics {
  readonly registry = new Registry();
  readonly #series = seriesOn(this.registry);

  readonly requests = this.#series.counter(
    'layerwatch_remediation_http_requests_total',
    'HTTP requests answered, by route template and status code.',
    ['route', 'code'],
  );
  readonly actions = this.#series.counter(
    'layerwatch_remediation_actions_total',
    'Action requests by action, mode (dry-run, execute, auto) and outcome.',
    ['action', 'mode', 'outcome'],
  );
  readonly actionDuration = this.#series.histogram(
    'layerwatch_remediation_action_duration_seconds',
    'Time an executed action took against its target.',
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    ['action'],
  );
  readonly denials = this.#series.counter(
    'layerwatch_remediation_denials_total',
    'Requests refused, by machine reason (invalid_token, forbidden_role, cooldown, ...).',
    ['reason'],
  );
  readonly inFlight = this.#series.gauge(
    'layerwatch_remediation_actions_in_flight',
    'Actions executing now in this process.',
  );
  readonly auditRecords = this.#series.counter(
    'layerwatch_remediation_audit_records_total',
    'Audit records committed.',
  );
  readonly auditCommit = this.#series.histogram(
    'layerwatch_remediation_audit_commit_duration_seconds',
    'Time one audit commit (a batch of records, fsync included) took.',
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  );
  readonly auditFailures = this.#series.counter(
    'layerwatch_remediation_audit_write_failures_total',
    'Requests answered 503 because their audit record could not be written.',
  );
  readonly auditHeadSeq = this.#series.gauge(
    'layerwatch_remediation_audit_head_seq',
    'Seq of the last committed audit record: the chain holds this many records. Kept outside the database, a drop shows a cut tail.',
  );
  readonly auditHead = this.#series.gauge(
    'layerwatch_remediation_audit_head_info',
    'Always 1; the hash label is the chain head after the last commit (the anchor).',
    ['hash'],
  );
  readonly interrupted = this.#series.counter(
    'layerwatch_remediation_interrupted_executions_total',
    'Intents found at start without an outcome, recorded as unknown and never re-run.',
  );
  readonly webhookAlerts = this.#series.counter(
    'layerwatch_remediation_webhook_alerts_total',
    'Alerts received on the Alertmanager webhook, by their own status and whether they were new pages.',
    ['status', 'result'],
  );

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // prom-client names these gauges `_total`, which `promtool check metrics` rejects; the
    // per-type `nodejs_active_{handles,requests,resources}` gauges carry the same counts.
    for (const name of ['handles', 'requests', 'resources']) {
      this.registry.removeSingleMetric(`nodejs_active_${name}_total`);
    }
  }
}
