import React, { useState } from 'react';
import { render, screen, fireEvent } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../types';
import { ParamsForm, defaultParams } from './ParamsForm';

const schema: JsonSchema = {
  type: 'object',
  required: ['deployment', 'replicas'],
  properties: {
    deployment: { type: 'string', enum: ['layer4-agent', 'layer7-evolution'] },
    replicas: { type: 'integer', minimum: 1, maximum: 10 },
    force: { type: 'boolean' },
    comment: { type: 'string', description: 'Why' },
    matchers: { type: 'array' },
  },
};

/** The form with its value kept the way ActionDialog keeps it, shown for the test to read. */
function Harness({ initial }: { initial: Record<string, unknown> }) {
  const [value, setValue] = useState(initial);
  return (
    <>
      <ParamsForm schema={schema} value={value} onChange={setValue} idPrefix="p" />
      <output data-testid="value">{JSON.stringify(value)}</output>
    </>
  );
}

const value = () => JSON.parse(screen.getByTestId('value').textContent!) as unknown;

describe('ParamsForm', () => {
  it('starts from the alert: the enum value of its layer, the minimum of a required number', () => {
    expect(defaultParams(schema, { layer: '7' })).toEqual({
      deployment: 'layer7-evolution',
      replicas: 1,
    });
  });

  it('edits each kind of param and drops the ones cleared', async () => {
    const user = userEvent.setup();
    render(<Harness initial={defaultParams(schema, { layer: '4' })} />);
    expect(screen.getByLabelText(/^comment \(optional\)/)).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('deployment'), 'layer7-evolution');
    await user.clear(screen.getByLabelText('replicas'));
    await user.type(screen.getByLabelText('replicas'), '3');
    await user.click(screen.getByLabelText('force (optional)'));
    await user.type(screen.getByLabelText(/^comment \(optional\)/), 'x');
    const matchers = screen.getByLabelText('matchers (optional)');
    fireEvent.blur(matchers, { target: { value: '[{"name":"layer"}]' } });
    // What the edits above set, in both values below; the comment is then cleared.
    const edited = { deployment: 'layer7-evolution', replicas: 3, force: true };
    expect(value()).toEqual({ ...edited, comment: 'x', matchers: [{ name: 'layer' }] });
    await user.clear(screen.getByLabelText(/^comment \(optional\)/));
    fireEvent.blur(matchers, { target: { value: 'not json' } });
    expect(value()).toEqual({ ...edited, matchers: 'not json' });
  });

  it('says when an action takes no parameters', () => {
    render(<ParamsForm schema={{ type: 'object' }} value={{}} onChange={() => {}} idPrefix="p" />);
    expect(screen.getByText('This action takes no parameters.')).toBeInTheDocument();
  });
});
