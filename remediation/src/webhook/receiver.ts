import type { AutoRule, RemediationConfig } from '../config/schema.js';
import type { Caller } from '../engine/caller.js';
import type { Engine } from '../engine/engine.js';
import { fail, type Outcome } from '../engine/outcome.js';
import type { RemediationMetrics } from '../metrics.js';
import type { Store } from '../store/types.js';
import { parseWebhook, type ParsedAlert } from './parse.js';

type WebhookConfig = RemediationConfig['webhook'];

export interface AutoRun {
  readonly rule: string;
  readonly action: string;
  readonly fingerprint: string;
  readonly status: number;
  readonly outcome: unknown;
}

/**
 * The Alertmanager receiver: every alert becomes (or updates) a page, deduplicated on its
 * instance; auto-remediation, when enabled, runs each matching rule once per firing alert
 * instance through the same engine as a person's click. It answers 200 whatever the
 * actions did: a 5xx would make Alertmanager send again.
 */
export class WebhookReceiver {
  constructor(
    private readonly config: WebhookConfig,
    private readonly store: Store,
    private readonly engine: Engine,
    private readonly metrics: RemediationMetrics,
  ) {}

  isSender(subject: string): boolean {
    return this.config.senders.includes(subject);
  }

  async receive(body: unknown, request: Omit<Caller, 'principal'>): Promise<Outcome> {
    const nowMs = Date.now();
    const parsed = parseWebhook(body, nowMs);
    if (!parsed.ok) return fail(400, 'invalid_payload', parsed.error, { details: parsed.details });
    const { payload } = parsed;
    let created = 0;
    const autoRuns: AutoRun[] = [];
    for (const alert of payload.alerts) {
      const { created: isNew, page } = await this.store.upsertPage({
        dedupeKey: alert.dedupeKey,
        fingerprint: alert.fingerprint,
        status: alert.status,
        alertname: alert.labels['alertname'] ?? '',
        priority: alert.labels['priority'] ?? '',
        severity: alert.labels['severity'] ?? '',
        layer: alert.labels['layer'],
        labels: alert.labels,
        annotations: alert.annotations,
        startsAt: alert.startsAt,
        endsAt: alert.endsAt,
        receivedAt: new Date(nowMs).toISOString(),
        receiver: payload.receiver,
      });
      if (isNew) created += 1;
      this.metrics.webhookAlerts.inc({ status: alert.status, result: isNew ? 'new' : 'duplicate' });
      // The stored page, not this delivery: once a resolved was seen for the instance, a
      // late or retried firing copy never starts an action.
      if (page.status === 'firing') {
        autoRuns.push(...(await this.#autoRemediate(alert, request, nowMs)));
      }
    }
    if (payload.rejected.length > 0) {
      this.metrics.webhookAlerts.inc(
        { status: 'unknown', result: 'rejected' },
        payload.rejected.length,
      );
    }
    return {
      status: 200,
      body: {
        received: payload.alerts.length + payload.rejected.length,
        newPages: created,
        duplicates: payload.alerts.length - created,
        truncatedAlerts: payload.truncatedAlerts,
        // Capped: the answer is also the audit record's result.
        rejected: payload.rejected.slice(0, 20),
        autoRuns,
      },
    };
  }

  async #autoRemediate(
    alert: ParsedAlert,
    request: Omit<Caller, 'principal'>,
    nowMs: number,
  ): Promise<AutoRun[]> {
    const auto = this.config.autoRemediation;
    // The alert's own status: a group can say firing while this alert has resolved.
    if (!auto.enabled || alert.status !== 'firing') return [];
    const runs: AutoRun[] = [];
    for (const rule of auto.rules) {
      if (!matches(rule, alert.labels)) continue;
      if (!(await this.store.claimAutoRun(alert.dedupeKey, rule.name, nowMs))) continue;
      const caller: Caller = { ...request, principal: { subject: auto.identity, role: auto.role } };
      const outcome = await this.engine
        .execute(
          caller,
          rule.action,
          { params: paramsFor(rule, alert.labels) },
          `auto:${rule.name}:${alert.dedupeKey}`,
          'auto',
        )
        .catch((error: unknown) => fail(500, 'internal_error', String(error)));
      // Refused before it ran (cooldown, concurrency cap, store down): give the claim back
      // so the next delivery of this still-firing instance tries again.
      if (RETRY_STATUSES.has(outcome.status)) {
        await this.store.releaseAutoRun(alert.dedupeKey, rule.name);
      }
      runs.push({
        rule: rule.name,
        action: rule.action,
        fingerprint: alert.fingerprint,
        status: outcome.status,
        outcome: outcome.body['status'] ?? outcome.body['reason'],
      });
    }
    return runs;
  }
}

const RETRY_STATUSES = new Set([409, 429, 503]);

function matches(rule: AutoRule, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(rule.matchLabels).every(([k, v]) => labels[k] === v);
}

/** Rule params: literal values, or `{ "fromLabel": "layer" }` to take one from the alert. */
function paramsFor(
  rule: AutoRule,
  labels: Readonly<Record<string, string>>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(rule.params).map(([key, value]) => {
      const from = (value as { fromLabel?: unknown } | null)?.fromLabel;
      return [key, typeof from === 'string' ? labels[from] : value];
    }),
  );
}
