/**
 * The runbook's priorities and what they mean for a page: P0 at once, P1 within 1 h, P2
 * within 4 h, P3 within 24 h. The Alertmanager timings built from them are configuration
 * (alert-rules' config); these words are not.
 */

export const PRIORITIES = ['P0', 'P1', 'P2', 'P3'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** P0 and P1 page (critical), P2 is a ticket (warning), P3 is for the record (info). */
export const SEVERITY_OF: Readonly<Record<Priority, Severity>> = {
  P0: 'critical',
  P1: 'critical',
  P2: 'warning',
  P3: 'info',
};

/** How soon the runbook wants a human on it, as a Prometheus duration. */
export const PAGE_WITHIN: Readonly<Record<Priority, '0s' | '1h' | '4h' | '24h'>> = {
  P0: '0s',
  P1: '1h',
  P2: '4h',
  P3: '24h',
};
