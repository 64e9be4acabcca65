import { z } from 'zod/v4';
import { canonicalJson, sha256Hex } from '../canonical.js';
import { checkStorable } from '../input/storable.js';
import { parseInstant } from './instant.js';

/** Alertmanager's webhook payload, version 4; older variants (3, no fingerprints) tolerated. */
const alertSchema = z.looseObject({
  status: z.enum(['firing', 'resolved']).optional(),
  labels: z.record(z.string(), z.string()).default({}),
  annotations: z.record(z.string(), z.string()).default({}),
  startsAt: z.string(),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
});

const payloadSchema = z.looseObject({
  version: z.string().optional(),
  groupKey: z.string().optional(),
  truncatedAlerts: z.number().int().min(0).optional(),
  status: z.enum(['firing', 'resolved']).optional(),
  receiver: z.string().default(''),
  groupLabels: z.record(z.string(), z.string()).optional(),
  commonLabels: z.record(z.string(), z.string()).optional(),
  commonAnnotations: z.record(z.string(), z.string()).optional(),
  externalURL: z.string().optional(),
  alerts: z.array(alertSchema).max(10_000),
});

export interface ParsedAlert {
  /** The alert's own status: never the group's. */
  readonly status: 'firing' | 'resolved';
  readonly fingerprint: string;
  /** True when the sender gave none and it was derived from the sorted labels. */
  readonly derivedFingerprint: boolean;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt: string | undefined;
  /** One alert instance: fingerprint + startsAt (+ labels, see README). */
  readonly dedupeKey: string;
}

/** An alert left out because no store may hold it; the others in the payload go on. */
export interface RejectedAlert {
  readonly index: number;
  readonly field: string;
  readonly problem: string;
}

export interface ParsedPayload {
  readonly version: string | undefined;
  readonly receiver: string;
  readonly truncatedAlerts: number;
  readonly alerts: readonly ParsedAlert[];
  readonly rejected: readonly RejectedAlert[];
}

export type ParseResult =
  | { ok: true; payload: ParsedPayload }
  | { ok: false; error: string; details: { path: string; message: string }[] };

export function parseWebhook(body: unknown, nowMs = Date.now()): ParseResult {
  const result = payloadSchema.safeParse(body);
  if (!result.success) {
    const details = result.error.issues.map((i) => ({
      path: i.path.join('.') || '(body)',
      message: i.message,
    }));
    return {
      ok: false,
      error: `not an Alertmanager webhook payload: ${details[0]?.path}: ${details[0]?.message}`,
      details,
    };
  }
  const receiverProblem = checkStorable(result.data.receiver, 'receiver');
  if (receiverProblem) {
    const { field, problem } = receiverProblem;
    return {
      ok: false,
      error: receiverProblem.message,
      details: [{ path: field, message: problem }],
    };
  }
  const alerts: ParsedAlert[] = [];
  const rejected: RejectedAlert[] = [];
  for (const [index, alert] of result.data.alerts.entries()) {
    // A NUL in one alert's label must not fail the payload: a 5xx would have Alertmanager
    // resend it forever, and the alerts after it would never page.
    const bad = checkStorable(alert, `alerts.${index}`);
    if (bad) {
      rejected.push({ index, field: bad.field, problem: bad.problem });
      continue;
    }
    const startsAt = parseInstant(alert.startsAt);
    if (!startsAt) {
      const message = `startsAt ${JSON.stringify(alert.startsAt)} is not an RFC 3339 time`;
      return {
        ok: false,
        error: `alerts.${index}.${message}`,
        details: [{ path: `alerts.${index}.startsAt`, message }],
      };
    }
    const endsAt = parseInstant(alert.endsAt);
    // Senders before Alertmanager 0.x omit status: an end in the past means resolved.
    const status = alert.status ?? (endsAt && endsAt.epochMs <= nowMs ? 'resolved' : 'firing');
    const given = alert.fingerprint?.trim() ?? '';
    const labelsText = canonicalJson(alert.labels);
    const fingerprint = given !== '' ? given : sha256Hex(labelsText).slice(0, 16);
    alerts.push({
      status,
      fingerprint,
      derivedFingerprint: given === '',
      labels: alert.labels,
      annotations: alert.annotations,
      startsAt: startsAt.text,
      endsAt: endsAt?.text,
      // Labels join the key: a sender's fingerprint shared by different label sets (seen
      // in the wild) must not merge two alerts. For Alertmanager's own fingerprints,
      // which are a hash of the labels, this changes nothing.
      dedupeKey: sha256Hex(`${fingerprint}|${startsAt.text}|${labelsText}`),
    });
  }
  return {
    ok: true,
    payload: {
      version: result.data.version,
      receiver: result.data.receiver,
      truncatedAlerts: result.data.truncatedAlerts ?? 0,
      alerts,
      rejected,
    },
  };
}
