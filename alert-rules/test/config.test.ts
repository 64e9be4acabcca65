import { describe, expect, it } from 'vitest';
import { ConfigValueError, DEFAULT_CONFIG, resolveConfig } from '../src/index.js';
import type { ConfigOverrides } from '../src/index.js';

function problem(overrides: unknown): string {
  try {
    resolveConfig(overrides as ConfigOverrides);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValueError);
    return (error as Error).message;
  }
  throw new Error('resolveConfig accepted the overrides');
}

describe('resolveConfig', () => {
  it('returns the defaults, validated', () => {
    expect(resolveConfig()).toEqual(DEFAULT_CONFIG);
  });

  it('merges objects and replaces values and lists', () => {
    const config = resolveConfig({
      alerts: { probeDown: { for: '2s' } },
      burnWindows: [{ factor: 2, long: '1h', short: '5m', for: '1m', priority: 'P2' }],
    });
    expect(config.alerts.probeDown).toEqual({ ...DEFAULT_CONFIG.alerts.probeDown, for: '2s' });
    expect(config.alerts.postgresNotReady).toEqual(DEFAULT_CONFIG.alerts.postgresNotReady);
    expect(config.burnWindows).toHaveLength(1);
  });

  it.each([
    [
      { runbookBaseUrl: '' },
      'alert-rules config: runbookBaseUrl is required: the base URL of alert-rules/runbooks/, an http(s) URL (got "")',
    ],
    [
      { runbookBaseUrl: 'runbooks/' },
      'alert-rules config: runbookBaseUrl "runbooks/" is not an http(s) URL (the base URL of alert-rules/runbooks/)',
    ],
    [
      { selectors: { probes: ' ' } },
      'alert-rules config: selectors.probes is required: matchers such as job="…" (got " ")',
    ],
    [
      { alerts: { gpuSaturated: { for: '15 minutes' } } },
      'alert-rules config: alerts.gpuSaturated.for is required: a duration like 30s, 5m or 1h (got "15 minutes")',
    ],
    [
      { alerts: { gpuSaturated: { priority: 'P4' } } },
      'alert-rules config: alerts.gpuSaturated.priority is required: one of P0, P1, P2, P3 (got "P4")',
    ],
    [
      { alerts: { gpuSaturated: { actions: ['reboot'] } } },
      'alert-rules config: alerts.gpuSaturated.actions "reboot" is not an action; known: restart-deployment, scale-deployment, delete-pod, cordon-gpu-node, drain-gpu-node, rollback-evolution, set-batching, debug-logging, maintenance-mode, silence',
    ],
    [
      { alerts: { gpuSaturated: undefined, ledgerUnparseable: null } },
      'alert-rules config: alerts.ledgerUnparseable is required: { for, priority, actions }',
    ],
    [
      { thresholds: { queueDepth: -1 } },
      'alert-rules config: thresholds.queueDepth is required: a non-negative number (got -1)',
    ],
    [{ layers: [] }, 'alert-rules config: layers is required: a non-empty list'],
    [
      { clusterLabel: 'k8s-cluster' },
      'alert-rules config: clusterLabel is required: a label name such as cluster or k8s_cluster, without a leading __ (got "k8s-cluster")',
    ],
    [
      { burnWindows: [{ factor: 14.4, long: '5m', short: '1h', for: '2m', priority: 'P0' }] },
      'alert-rules config: burnWindows[0].short (1h) must be shorter than long (5m)',
    ],
    [
      { alertmanager: { remediationWebhookUrl: undefined, timing: { P0: { groupWait: '' } } } },
      'alert-rules config: alertmanager.timing.P0.groupWait is required: a duration like 30s, 5m or 1h (got "")',
    ],
    [
      { alertmanager: { pagers: { P1: ['pager'] } } },
      'alert-rules config: alertmanager.pagers.P1 is required: a list of pagerduty, opsgenie, slack, email (got ["pager"])',
    ],
  ])('refuses %j, naming the field and the fix', (overrides, message) => {
    expect(problem(overrides)).toBe(message);
  });

  it('refuses an SLO objective given as a percentage', () => {
    const slos = DEFAULT_CONFIG.slos.map((slo, i) => (i === 0 ? { ...slo, objective: 99.9 } : slo));
    expect(problem({ slos })).toBe(
      'alert-rules config: slos[0].objective 99.9 is not a ratio between 0 and 1 (99.9 % is 0.999)',
    );
  });

  it('refuses two SLOs with one name', () => {
    const first = DEFAULT_CONFIG.slos[0];
    expect(problem({ slos: [first, first] })).toBe(
      'alert-rules config: slos[1].name "availability" is used twice',
    );
  });
});
