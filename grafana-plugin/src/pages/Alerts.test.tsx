import React from 'react';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { answerWith, NO_ANSWER, type Answer, type Call } from '../test-backend';
import { rollbackAction } from '../test-fixtures';
import { expectLoading, pastDeadline, renderPage } from '../test-render';
import { asRole } from '../test-user';
import { testIds } from '../testIds';
import type { AmAlert } from '../types';
import { Alerts } from './Alerts';

const probeDown: AmAlert = {
  fingerprint: 'f7',
  labels: { alertname: 'LayerwatchProbeDown', layer: '7', priority: 'P1', severity: 'critical' },
  annotations: {
    summary: 'evolution is down',
    description: 'evolution on layer 7 has failed every probe for 2m.',
    layerwatch_actions: 'rollback-evolution',
  },
  startsAt: '2025-01-01T00:00:00Z',
  endsAt: '2025-01-01T01:00:00Z',
  status: { state: 'active', silencedBy: [], inhibitedBy: [] },
};

const rollback = rollbackAction({ type: 'object', properties: {} });

/** Alertmanager's and the remediation API's answers, by which of the two was asked. */
function backends(alertmanager: Answer, remediation: Answer) {
  return answerWith((call: Call) =>
    call.url.includes('/alertmanager/') ? alertmanager : remediation,
  );
}

afterEach(() => asRole('Viewer'));

describe('Alerts page (Alertmanager and remediation API stand-ins)', () => {
  it('says Loading… while Alertmanager has not answered', () => {
    backends(NO_ANSWER, { status: 200, data: { actions: [] } });
    expectLoading(<Alerts />);
  });

  it('says so when no alert is firing (the watchdog does not count)', async () => {
    const watchdog = {
      ...probeDown,
      fingerprint: 'w',
      labels: { alertname: 'LayerwatchWatchdog' },
    };
    backends({ status: 200, data: [watchdog] }, { status: 200, data: { actions: [rollback] } });
    renderPage(<Alerts />);
    expect(await screen.findByTestId(testIds.state.empty)).toHaveTextContent('No alert is firing.');
  });

  it("shows Alertmanager's failure", async () => {
    backends({ status: 502, data: { message: 'Bad Gateway' } }, { status: 200, data: {} });
    renderPage(<Alerts />);
    expect(await screen.findByTestId(testIds.state.error)).toHaveTextContent(
      'Reading firing alerts from Alertmanager failed (HTTP 502): Bad Gateway',
    );
  });

  it('groups firing alerts by priority', async () => {
    const p3 = { ...probeDown, fingerprint: 'f3', labels: { alertname: 'Slow', priority: 'P3' } };
    backends(
      { status: 200, data: [p3, probeDown] },
      { status: 200, data: { actions: [rollback] } },
    );
    renderPage(<Alerts />);
    const p1 = await screen.findByTestId(testIds.alerts.group('P1'));
    expect(p1).toHaveTextContent('1 firing');
    expect(screen.getByTestId(testIds.alerts.alert('f7'))).toHaveTextContent('evolution is down');
    expect(screen.getByTestId(testIds.alerts.group('P3'))).toHaveTextContent('Slow');
  });

  it("disables a Viewer's action button and says why", async () => {
    asRole('Viewer');
    backends({ status: 200, data: [probeDown] }, { status: 200, data: { actions: [rollback] } });
    renderPage(<Alerts />);
    const alert = await screen.findByTestId(testIds.alerts.alert('f7'));
    await userEvent.setup().click(alert.querySelector('button')!);
    const button = screen.getByTestId(testIds.action.button('rollback-evolution'));
    expect(button.hasAttribute('disabled') || button.getAttribute('aria-disabled') === 'true').toBe(
      true,
    );
    expect(
      screen.getByTestId(`${testIds.action.button('rollback-evolution')}-reason`),
    ).toHaveTextContent('Your Grafana role (Viewer) cannot run remediation actions');
  });

  it('names Alertmanager when it never answers, cancels the request and offers Refresh', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const calls = backends(NO_ANSWER, { status: 200, data: { actions: [rollback] } });
    renderPage(<Alerts />);
    await pastDeadline();
    const error = screen.getByTestId(testIds.state.error);
    expect(error).toHaveAttribute('data-backend', 'Alertmanager');
    expect(error).toHaveTextContent('Alertmanager did not answer within 10 s');
    expect(calls.find((c) => c.url.includes('/alertmanager/'))?.cancelled).toBe(true);
    const asked = calls.length;
    await userEvent
      .setup({ advanceTimers: vi.advanceTimersByTime })
      .click(within(error).getByRole('button', { name: 'Refresh' }));
    expect(calls.length).toBe(asked + 2);
  });

  it('still lists the alerts when only the remediation API never answers', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    backends({ status: 200, data: [probeDown] }, NO_ANSWER);
    renderPage(<Alerts />);
    await pastDeadline();
    expect(screen.getByTestId(testIds.alerts.group('P1'))).toBeInTheDocument();
    expect(screen.getByText('Remediation actions unavailable').parentElement).toHaveTextContent(
      'The remediation API did not answer within 10 s',
    );
  });
});
