import React from 'react';
import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { answerWith, NO_ANSWER } from '../test-backend';
import { REQUEST_TIMEOUT_MS } from '../constants';
import { expectLoading, renderPage } from '../test-render';
import { testIds } from '../testIds';
import type { Page } from '../types';
import { Pages } from './Pages';

const page: Page = {
  id: 'p1',
  fingerprint: 'f7',
  status: 'firing',
  alertname: 'LayerwatchProbeDown',
  priority: 'P1',
  severity: 'critical',
  layer: '7',
  labels: {},
  annotations: { summary: 'evolution is down' },
  startsAt: '2025-01-01T00:00:00Z',
  receivedAt: '2025-01-01T00:00:05Z',
  deliveries: 2,
  receiver: 'layerwatch-remediation',
};

describe('Pages page, the on-call inbox (remediation API stand-in)', () => {
  it('says Loading… while the inbox has not answered', () => {
    answerWith(NO_ANSWER);
    expectLoading(<Pages />);
  });

  it('says the inbox is clear when nothing is firing', async () => {
    const calls = answerWith({ status: 200, data: { pages: [] } });
    renderPage(<Pages />);
    expect(await screen.findByTestId(testIds.state.empty)).toHaveTextContent(
      'No page is firing: the inbox is clear.',
    );
    expect(calls[0]?.params).toEqual({ status: 'firing', limit: 100 });
  });

  it('shows the failure', async () => {
    answerWith({ status: 502, data: { message: 'Bad Gateway: remediation did not answer' } });
    renderPage(<Pages />);
    expect(await screen.findByTestId(testIds.state.error)).toHaveTextContent(
      'Reading the on-call inbox failed (HTTP 502): Bad Gateway: remediation did not answer',
    );
  });

  it('lists the pages received, and all of them under All', async () => {
    const calls = answerWith({ status: 200, data: { pages: [page] } });
    renderPage(<Pages />);
    const row = await screen.findByTestId(testIds.pages.row);
    expect(row).toHaveAttribute('data-alertname', 'LayerwatchProbeDown');
    expect(row).toHaveTextContent('P1LayerwatchProbeDown7firing');
    expect(row).toHaveTextContent('evolution is down');
    await userEvent.setup().click(screen.getByRole('radio', { name: 'All' }));
    await screen.findByTestId(testIds.pages.row);
    expect(calls.at(-1)?.params).toEqual({ limit: 100 });
  });

  it("names Grafana's proxy giving up (504) as the remediation API not answering", async () => {
    answerWith({ status: 504, data: '' });
    renderPage(<Pages />);
    const error = await screen.findByTestId(testIds.state.error);
    expect(error).toHaveAttribute('data-backend', 'The remediation API');
    expect(error).toHaveTextContent("did not answer in time for Grafana's proxy (HTTP 504)");
  });
});

describe('Pages page against a remediation API that never answers (stand-in)', () => {
  it('cancels the request when the page goes away', () => {
    const calls = answerWith(NO_ANSWER);
    const { unmount } = renderPage(<Pages />);
    expect(calls).toHaveLength(1);
    unmount();
    expect(calls[0]?.cancelled).toBe(true);
  });

  it('cancels the request in flight when the filter changes', async () => {
    const calls = answerWith(NO_ANSWER);
    renderPage(<Pages />);
    await userEvent.setup().click(screen.getByRole('radio', { name: 'All' }));
    expect(calls.map((c) => c.cancelled)).toEqual([true, false]);
  });

  it('still names it when the refresh (5 s) is shorter than the deadline', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const calls = answerWith(NO_ANSWER);
    renderPage(<Pages />, 5);
    // The 5 s tick finds the first load in flight and leaves it be.
    await act(() => vi.advanceTimersByTimeAsync(REQUEST_TIMEOUT_MS - 100));
    expect(calls).toHaveLength(1);
    await act(() => vi.advanceTimersByTimeAsync(200));
    expect(screen.getByTestId(testIds.state.error)).toHaveTextContent(
      'The remediation API did not answer within 10 s (Reading the on-call inbox).',
    );
  });
});
