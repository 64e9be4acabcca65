import React from 'react';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { answerWith, NO_ANSWER, type Answer } from '../test-backend';
import { expectLoading, pastDeadline, renderPage } from '../test-render';
import { testIds } from '../testIds';
import type { AuditRecord } from '../types';
import { Audit } from './Audit';

function record(seq: number, over: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id: `r${seq}`,
    seq,
    time: '2025-01-01T00:00:00Z',
    actor: 'grafana-operator',
    role: 'operator',
    actingUser: 'olivia',
    method: 'POST',
    path: '/api/v1/actions/rollback-evolution/execute',
    action: 'rollback-evolution',
    mode: 'execute',
    outcome: 'succeeded',
    status: 200,
    durationMs: 12,
    hash: `h${seq}`,
    ...over,
  };
}

/** The audit log's and the chain check's answers. */
function backend(audit: Answer, verify: Answer = { status: 200, data: { ok: true, checked: 2 } }) {
  return answerWith((call) => (call.url.endsWith('/audit/verify') ? verify : audit));
}

describe('Audit page (remediation API stand-in)', () => {
  it('says Loading… while the audit log has not answered', () => {
    backend(NO_ANSWER);
    expectLoading(<Audit />);
  });

  it('says so when no record matches', async () => {
    backend({ status: 200, data: { records: [] } });
    renderPage(<Audit />);
    expect(await screen.findByTestId(testIds.state.empty)).toHaveTextContent(
      'No audit record matches.',
    );
  });

  it("shows the API's refusal", async () => {
    backend({ status: 403, data: { error: 'token lacks audit:read' } });
    renderPage(<Audit />);
    expect(await screen.findByTestId(testIds.state.error)).toHaveTextContent(
      'Reading the audit log failed (HTTP 403): token lacks audit:read',
    );
  });
});

describe('Audit page with records (remediation API stand-in)', () => {
  it('lists records with who ran what, and that the hash chain is intact', async () => {
    backend({
      status: 200,
      data: { records: [record(2), record(1, { outcome: 'denied', error: 'cooldown' })] },
    });
    renderPage(<Audit />);
    const rows = await screen.findAllByTestId(testIds.audit.row);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveAttribute('data-outcome', 'succeeded');
    expect(rows[0]).toHaveTextContent('grafana-operator (operator)olivia');
    expect(rows[1]).toHaveTextContent('cooldown');
    expect(screen.getByTestId(testIds.audit.verify)).toHaveAttribute('data-ok', 'true');
  });

  it('names the first broken record when the chain is broken', async () => {
    backend(
      { status: 200, data: { records: [record(1)] } },
      {
        status: 200,
        data: { ok: false, checked: 1, firstBroken: { seq: 1, id: 'r1', reason: 'hash mismatch' } },
      },
    );
    renderPage(<Audit />);
    const verify = await screen.findByTestId(testIds.audit.verify);
    expect(verify).toHaveAttribute('data-ok', 'false');
    expect(verify).toHaveTextContent('First broken record: #1 (r1): hash mismatch');
  });

  it('sends the filters it was given', async () => {
    const calls = backend({ status: 200, data: { records: [] } });
    renderPage(<Audit />);
    await screen.findByTestId(testIds.state.empty);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Actor'), 'olivia');
    await user.click(screen.getByRole('button', { name: 'Filter' }));
    await screen.findByTestId(testIds.state.empty);
    expect(calls.at(-2)?.params).toEqual({ actor: 'olivia', limit: 50 });
  });

  it('appends older records page by page until there is no cursor', async () => {
    const calls = backend({ status: 200, data: { records: [record(3)], nextCursor: 'c1' } });
    renderPage(<Audit />);
    await screen.findAllByTestId(testIds.audit.row);
    const older = answerWith({ status: 200, data: { records: [record(2), record(1)] } });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Older records' }));
    await waitFor(() => expect(screen.getAllByTestId(testIds.audit.row)).toHaveLength(3));
    expect(calls).toHaveLength(2);
    expect(older[0]?.params).toEqual({ limit: 50, cursor: 'c1' });
    expect(screen.queryByRole('button', { name: 'Older records' })).toBeNull();
  });

  it('names the remediation API when it never answers', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    backend(NO_ANSWER, NO_ANSWER);
    renderPage(<Audit />);
    await pastDeadline();
    expect(screen.getByTestId(testIds.state.error)).toHaveAttribute(
      'data-backend',
      'The remediation API',
    );
  });
});
