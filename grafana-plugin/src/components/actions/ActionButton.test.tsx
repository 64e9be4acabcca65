import React from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { answerWith, type Answer, type Call } from '../../test-backend';
import { rollbackAction } from '../../test-fixtures';
import { asRole } from '../../test-user';
import { testIds } from '../../testIds';
import { ActionButton } from './ActionButton';

const rollback = rollbackAction({
  type: 'object',
  properties: { generation: { type: 'integer', minimum: 0 } },
});

const plan = {
  action: 'rollback-evolution',
  params: {},
  target: 'service layer7/evolution',
  plan: {
    summary: 'Roll layer 7 back one generation.',
    changes: [{ kind: 'generation', target: 'evolution', from: 5, to: 4 }],
  },
  requiresConfirmation: true,
  confirmation: { token: 'confirm-123', expiresAt: new Date(Date.now() + 60_000).toISOString() },
  auditId: 'a1',
};

afterEach(() => asRole('Viewer'));

/** The remediation API stand-in: `plan` for the dry run, `execution` for the run itself. */
function planThenExecution(execution: Answer): Call[] {
  return answerWith((call) =>
    call.url.endsWith('/dry-run') ? { status: 200, data: plan } : execution,
  );
}

/** Grafana's Button keeps a disabled button focusable (aria-disabled) when it has a tooltip. */
function expectDisabled(button: HTMLElement) {
  expect(button.hasAttribute('disabled') || button.getAttribute('aria-disabled') === 'true').toBe(
    true,
  );
}

describe('ActionButton disabled (remediation API stand-in)', () => {
  it("is disabled with the reason for a Viewer's role", () => {
    asRole('Viewer');
    render(<ActionButton action={rollback} context={{ layer: '7' }} />);
    expectDisabled(screen.getByTestId(testIds.action.button('rollback-evolution')));
    expect(
      screen.getByTestId(`${testIds.action.button('rollback-evolution')}-reason`),
    ).toHaveTextContent('Your Grafana role (Viewer) cannot run remediation actions');
  });

  it("is disabled with the API's reason when the token's role may not run it", async () => {
    asRole('Editor');
    render(
      <ActionButton
        action={{
          ...rollback,
          allowed: false,
          deniedReason: 'role viewer may not run rollback-evolution',
        }}
        context={{}}
      />,
    );
    expectDisabled(screen.getByTestId(testIds.action.button('rollback-evolution')));
    expect(screen.getByText('role viewer may not run rollback-evolution')).toBeInTheDocument();
    await userEvent.setup().click(screen.getByTestId(testIds.action.button('rollback-evolution')));
    expect(screen.queryByTestId(testIds.action.dialog)).toBeNull();
  });
});

describe('ActionButton runs (remediation API stand-in)', () => {
  it('shows the dry-run, asks for the target name, then runs with the confirmation token and an idempotency key', async () => {
    asRole('Editor');
    const calls = planThenExecution({
      status: 200,
      data: {
        executionId: 'e1',
        status: 'succeeded',
        result: { generation: 4 },
        auditId: 'a2',
        replayed: false,
      },
    });
    const user = userEvent.setup();
    render(<ActionButton action={rollback} context={{ layer: '7' }} />);
    await user.click(screen.getByTestId(testIds.action.button('rollback-evolution')));
    await user.click(screen.getByRole('button', { name: 'Dry-run' }));
    expect(await screen.findByTestId(testIds.action.plan)).toHaveTextContent(
      'Roll layer 7 back one generation.',
    );
    const confirm = screen.getByTestId(testIds.action.confirm);
    expect(confirm).toBeDisabled();
    await user.type(screen.getByTestId(testIds.action.confirmInput), 'service layer7/evolution');
    expect(confirm).toBeEnabled();
    await user.click(confirm);
    expect(await screen.findByTestId(testIds.action.result)).toHaveAttribute(
      'data-status',
      'succeeded',
    );
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'POST /api/plugin-proxy/layerwatch-ops-app/remediation/api/v1/actions/rollback-evolution/dry-run',
      'POST /api/plugin-proxy/layerwatch-ops-app/remediation/api/v1/actions/rollback-evolution/execute',
    ]);
    expect(calls[1]!.data).toEqual({ params: {}, confirmationToken: 'confirm-123' });
    expect(calls[1]!.headers?.['Idempotency-Key']).toMatch(/\S{8,}/);
  });

  it("shows the API's refusal to the user (cooldown)", async () => {
    asRole('Editor');
    planThenExecution({
      status: 409,
      data: {
        error: 'rollback-evolution ran 10 s ago; its cooldown is 60 s',
        reason: 'cooldown',
        retryAfterSeconds: 50,
      },
    });
    const user = userEvent.setup();
    render(<ActionButton action={rollback} context={{}} />);
    await user.click(screen.getByTestId(testIds.action.button('rollback-evolution')));
    await user.click(screen.getByRole('button', { name: 'Dry-run' }));
    await user.type(
      await screen.findByTestId(testIds.action.confirmInput),
      'service layer7/evolution',
    );
    await user.click(screen.getByTestId(testIds.action.confirm));
    const error = await screen.findByTestId(testIds.action.error);
    expect(error).toHaveTextContent(
      '(HTTP 409): rollback-evolution ran 10 s ago; its cooldown is 60 s',
    );
    expect(error).toHaveTextContent('Try again in 50 s.');
    await waitFor(() => expect(screen.getByTestId(testIds.action.confirm)).toBeEnabled());
  });
});
