import React from 'react';
import { testIds } from '../../testIds';
import type { DryRunResult } from '../../types';

function show(v: unknown): string {
  if (v === undefined) return '–';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Exactly what the action will change, as the dry-run said. */
export function PlanView({ plan }: { plan: DryRunResult }) {
  return (
    <div data-testid={testIds.action.plan}>
      <p>
        <strong>Target:</strong> {plan.target}
      </p>
      <p>{plan.plan.summary}</p>
      {plan.plan.changes.length > 0 && (
        <table>
          <caption>Changes</caption>
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col">Target</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
            </tr>
          </thead>
          <tbody>
            {plan.plan.changes.map((c, i) => (
              <tr key={i}>
                <td>{c.kind}</td>
                <td>{c.target}</td>
                <td>{show(c.from)}</td>
                <td>{show(c.to)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {plan.confirmation && (
        <p>
          Confirmation valid until {new Date(plan.confirmation.expiresAt).toLocaleTimeString()}.
        </p>
      )}
    </div>
  );
}
